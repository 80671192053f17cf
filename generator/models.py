"""The editors' file formats (pydantic, also the JSON Schema) and the resolved domain.

Two layers:

* ``*File`` models describe what an editor writes, field by field. They
  check types and shapes and are the source of ``briefings/schema.json``.
  Country and theme names stay text here: resolving them needs the whole
  data set, which is validation's job.
* Frozen dataclasses (``Country``, ``Pair``, ``Extract``...) are the
  resolved, cross-checked domain that grouping and rendering work on.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
)

from .errors import Diagnostic, Location
from .when import When

# --------------------------------------------------------------------------
# Field types of the editors' format
# --------------------------------------------------------------------------

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
#: Anchors of the headings on the pages that show extracts in full (see
#: templates/), which an extract's id, its anchor there, must not take.
RESERVED_IDS = frozenset({"top", "key-figures", "timeline", "extracts-by-theme", "sources", "extracts",
                          "what-each-source-says", "earlier", "in-groups", "briefing", "pairs", "groups",
                          "themes"})
RESERVED_ID_PREFIXES = ("month-", "theme-", "source-")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _parse_date(value: object) -> object:
    if isinstance(value, str):
        if not _DATE.fullmatch(value):
            raise ValueError(f"'{value}' is not a date in the form YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a date in the calendar") from None
    if isinstance(value, dt.date):
        return value
    raise ValueError(f"expected a date in the form YYYY-MM-DD, not {type_name(value)}")


def _parse_when(value: object) -> object:
    # YAML reads `2025` as a number and `2026-02-04` as a date: both are
    # what an editor means by a year and a day.
    if isinstance(value, bool):
        raise ValueError("expected a date in the form YYYY-MM-DD, YYYY-MM or YYYY, not true/false")
    if isinstance(value, int):
        value = f"{value:04d}" if value >= 0 else str(value)
    if isinstance(value, str):
        return When.parse(value)
    if isinstance(value, dt.date):
        return When.of(value)
    if isinstance(value, When):
        return value
    raise ValueError(f"expected a date in the form YYYY-MM-DD, YYYY-MM or YYYY, not {type_name(value)}")


_LANGUAGE = re.compile(r"[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8})*")


def _language_tag(value: str) -> str:
    # BCP 47 as editors meet it: a language (ISO 639), then script, region
    # or variant subtags: en, zh-Hant, zh-Hans-CN, pt-BR.
    if not _LANGUAGE.fullmatch(value) or not _known_language(value.split("-", 1)[0].lower()):
        raise ValueError(f"'{value}' is not a language tag; write e.g. 'en', 'ja', 'zh-Hant', 'pt-BR'")
    return value


def _known_language(code: str) -> bool:
    import pycountry

    found = (pycountry.languages.get(alpha_2=code) if len(code) == 2
             else pycountry.languages.get(alpha_3=code))
    return found is not None


def _figure_value(value: object) -> object:
    # A number, or a range written as two numbers, lowest first.
    if isinstance(value, list):
        if len(value) != 2 or not all(_is_number(v) for v in value):
            raise ValueError("a range is two numbers, lowest first, e.g. [40, 55]")
        low, high = (float(v) for v in value)
        if not low < high:
            raise ValueError(f"a range goes from the lowest to the highest, e.g. [{_g(high)}, {_g(low)}]"
                             if low > high else "a range needs two different numbers; write one number")
        return (_figure_size(low), _figure_size(high))
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise ValueError(f"'value' must be a number or a range [low, high], not {type_name(value)}\n"
                         "write digits, e.g. 228.1, or a range, e.g. [40, 55]")
    return _figure_size(float(value))


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _g(value: float) -> str:
    return f"{value:g}"


def _authors(value: object) -> object:
    # One name, or a list of names: the byline as the article gives it.
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names) or not names:
        raise ValueError(f"'author' must be a name or a list of names, not {type_name(value)}\n"
                         "e.g. 'author: Masuda Khatun' or 'author: [Mari Yamaguchi, Ken Moritsugu]'")
    return tuple(names)


def _http_url(value: str) -> str:
    if not re.match(r"https?://[^\s/]+", value, re.IGNORECASE) or re.search(r"\s", value):
        raise ValueError(f"'{value}' is not an http(s) URL")
    return value


#: The largest figure written as it is: beyond, a float no longer holds the
#: digits typed, and a larger unit says it better.
MAX_FIGURE = 1e15


def _figure_size(value: float) -> float:
    if not -MAX_FIGURE <= value <= MAX_FIGURE:
        raise ValueError(f"{value:g} is too large to be a figure; write it in a larger unit, "
                         "e.g. 'value: 1.4' with 'unit: USD trillion'")
    return value


def _period_text(value: object) -> object:
    # `period: 2025` is what editors write; it means the text "2025".
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


# The length first: pydantic checks it in its core; after a Python validator it
# would add a Python call of its own for every text.
Text = Annotated[str, Field(min_length=1), AfterValidator(_non_empty)]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]
IsoDate = Annotated[dt.date, BeforeValidator(_parse_date)]
PartialDate = Annotated[When, PlainValidator(_parse_when), WithJsonSchema(
    {"anyOf": [{"type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"},
               {"type": "integer", "minimum": 1, "maximum": 9999}]})]
FigureValue = Annotated[float | tuple[float, float], PlainValidator(_figure_value), WithJsonSchema(
    {"oneOf": [{"type": "number"},
               {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}]})]
Language = Annotated[str, AfterValidator(_language_tag)]
Authors = Annotated[tuple[str, ...], PlainValidator(_authors), WithJsonSchema(
    {"oneOf": [{"type": "string", "minLength": 1},
               {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}]})]
HttpUrl = Annotated[str, AfterValidator(_http_url),
                    Field(json_schema_extra={"pattern": "^https?://[^\\s/]+\\S*$"})]
Kind = Literal["quote", "paraphrase", "figure", "analysis"]
Trend = Literal["improving", "steady", "deteriorating"]
Voice = Literal["direct", "reported"]
Translation = Literal["source", "editor", "machine"]
EventRole = Literal["reports", "reaction", "background"]
KINDS: tuple[str, ...] = ("quote", "paraphrase", "figure", "analysis")
VOICES: tuple[str, ...] = ("direct", "reported")
TRANSLATIONS: tuple[str, ...] = ("source", "editor", "machine")
EVENT_ROLES: tuple[str, ...] = ("reports", "reaction", "background")
#: The fewest and the most countries of a group: two make a pair, and a
#: group larger than twelve is better named as an actor (G20, the UN).
GROUP_SIZES = (3, 12)
TRENDS: tuple[str, ...] = ("improving", "steady", "deteriorating")


def type_name(value: object) -> str:
    """How an editor would name the YAML type of ``value``."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return "text"


class _Format(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FigureEntry(_Format):
    """A key figure given by an extract."""

    label: Text = Field(description="What is measured, e.g. 'China–Russia trade'.")
    # A number, as the schema says: not true/false, which lax validation
    # would publish as 1 and 0, nor a number in quotes.
    value: FigureValue = Field(description=(
        "The number, e.g. 228.1; or a range, lowest first, e.g. [40, 55] for '40–55 minutes'."))
    unit: Text = Field(description="Unit of the value, e.g. 'USD billion'.")
    period: Annotated[str | None, BeforeValidator(_period_text)] = Field(
        None, description="Period the value covers, e.g. '2025'.")
    approx: bool = Field(False, description="true when the source gives it as approximate: 'roughly 24%'.")
    as_written: Text | None = Field(
        None, description="The figure in the source's words, shown beside the value: 'almost an hour'.")


class FactEntry(_Format):
    """A fact in words that sources may give differently: how a meeting was held, who attended."""

    label: Text = Field(description="What the fact is about, e.g. 'Format of the Xi–Putin talks'.")
    value: Text = Field(description="What this source says it is, e.g. 'video call'.")


class ExtractEntry(_Format):
    """One extract from a source: a quote, paraphrase, figure or analysis."""

    id: Slug = Field(description=(
        "Unique across all files; lowercase letters, digits, hyphens. It is the extract's anchor on "
        "its pages, so not a heading's: not " + ", ".join(sorted(RESERVED_IDS)) + ", and not starting "
        "with " + ", ".join(RESERVED_ID_PREFIXES) + "."))
    date: PartialDate = Field(description=(
        "When it was said or happened: YYYY-MM-DD, or YYYY-MM or YYYY when the source says no more."))
    countries: list[str] | None = Field(None, description=(
        "The countries or actors it concerns: one (a country briefing), two (a pair) or three to "
        "twelve (a group)."))
    pairs: list[list[str]] | None = Field(
        None, description="Several pairs, each of two countries; instead of 'countries'.")
    themes: list[Slug] = Field(description="Theme slugs from themes.yml, at least one.")
    kind: Kind = Field(description="quote | paraphrase | figure | analysis")
    voice: Voice | None = Field(None, description=(
        "For quotes: direct (the speaker's own words, in quotation marks in the article; the default) "
        "or reported (the article's words about what the speaker said)."))
    speaker: Text | None = Field(None, description="Who said it.")
    speaker_native: Text | None = Field(
        None, description="The speaker's name in their own script, e.g. 习近平.")
    event: Slug | None = Field(None, description="Slug of the event in events.yml it concerns.")
    event_role: EventRole | None = Field(None, description=(
        "How it concerns its event: reports (the default; it dates the event and gives its figures), "
        "reaction (a response to it, on its own date) or background."))
    text: Text = Field(description="The extract, as plain text.")
    language: Language | None = Field(None, description=(
        "BCP 47 tag of the words as said or written: of 'original' when given, else of 'text'. "
        "Default: the source's language."))
    original: Text | None = Field(
        None, description="The words in their original language, when 'text' is a translation.")
    translation: Translation | None = Field(None, description=(
        "Who translated 'original' into 'text': source (the article), editor, or machine."))
    same_as: Slug | None = Field(
        None, description="Id of another extract with another wording of the same remark.")
    figures: list[FigureEntry] = Field(default_factory=list, description="Key figures it gives.")
    facts: list[FactEntry] = Field(default_factory=list, description=(
        "Facts in words it gives that other sources may give differently; the same label with "
        "another value is shown as a disagreement."))


class SourceEntry(_Format):
    """The article the extracts come from."""

    title: Text
    publisher: Text
    url: HttpUrl
    author: Authors | None = Field(None, description="The byline: one name or a list.")
    published: IsoDate | None = Field(None, description="Publication date, YYYY-MM-DD.")
    updated: IsoDate | None = Field(None, description="Date of the article's latest update, YYYY-MM-DD.")
    accessed: IsoDate | None = Field(None, description="When an editor read it, YYYY-MM-DD.")
    language: Language | None = Field(None, description="BCP 47 tag of the article's language; default en.")
    via: Text | None = Field(None, description=(
        "The original publisher of a syndicated story: 'AP', 'Jiji Press'. Sources with the same "
        "'via' count as one outlet where sources disagree."))
    revision_of: Slug | None = Field(None, description=(
        "File name (without .yml) of the source this one is a later version of: the same article, "
        "revised. Versions count as one outlet, their latest version's word standing."))
    terms: Text | None = Field(None, description="Usage terms of the source.")
    archive: str | None = Field(
        None, description="Path under briefings/ of the archived article text; "
        "quotes are then verified against it.")


class SourceFile(_Format):
    """``briefings/sources/<name>.yml``: one source article and its extracts."""

    source: SourceEntry
    extracts: list[ExtractEntry] = Field(default_factory=list)


class SourceFileParts(_Format):
    """A source file's two parts, each checked on its own: the article, and
    the extracts one by one (see :mod:`generator.resolve`)."""

    source: dict[str, Any]
    extracts: list[Any] = Field(default_factory=list)


class ThemeEntry(_Format):
    """A theme in ``briefings/themes.yml``."""

    title: Text
    description: Text


class CountryEntry(_Format):
    """Display name and aliases of a country or actor in ``countries.yml``."""

    name: Text | None = None
    aliases: list[Text] = Field(default_factory=list)


class CountriesFile(_Format):
    """``briefings/countries.yml``: names over ISO 3166 and non-country actors."""

    countries: dict[str, CountryEntry] = Field(
        default_factory=dict, description="Keyed by ISO 3166-1 alpha-2 code.")
    actors: dict[str, CountryEntry] = Field(
        default_factory=dict, description="Keyed by slug; 'name' is required.")


class EventEntry(_Format):
    """An event in ``briefings/events.yml`` that extracts may report."""

    title: Text
    description: Text | None = None


class GroupEntry(_Format):
    """A named group in ``briefings/groups.yml``: the countries an extract
    names together get this title and page name."""

    title: Text = Field(description="e.g. 'China, India and Russia at the SCO summit'.")
    countries: list[Text] = Field(description="Its three to twelve countries or actors.")
    description: Text | None = None


class PairFile(_Format):
    """``briefings/pairs/<name>.yml``: an editor's bottom line for one pair."""

    pair: list[str] = Field(description="The two countries, e.g. [China, Russia].")
    summary: Text
    trend: Trend | None = None
    trend_note: Text | None = None
    updated: IsoDate | None = None


# --------------------------------------------------------------------------
# The resolved domain
# --------------------------------------------------------------------------

_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(10)] + [f"lpt{i}" for i in range(10)]
)


def slugify(text: str) -> str:
    """ASCII, lowercase, hyphen-separated: ``Côte d'Ivoire`` → ``cote-d-ivoire``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def slug_problem(slug: str) -> str:
    """Why ``slug`` cannot name a page, or '' when it can."""
    if not slug:
        return "gives an empty page name"
    if slug in _RESERVED:
        return f"gives the page name '{slug}', reserved by Windows"
    if slug == "index":
        return "gives the page name 'index', which is the list of its section's pages"
    if len(slug) > MAX_SLUG:
        return f"gives a page name of {len(slug):,} characters, over the limit of {MAX_SLUG}"
    return ""


#: The longest page name: a pair's joins two, and a file name holds 255 bytes.
MAX_SLUG = 100


@dataclass(frozen=True, slots=True, eq=False)
class Country:
    """A country (ISO 3166) or a non-country actor; identified by its slug."""

    slug: str
    name: str
    alpha2: str = ""
    alpha3: str = ""
    actor: bool = False
    #: Display order: by name ignoring case, then slug.
    order: tuple[str, str] = field(init=False, repr=False)
    #: As the subject of a briefing (one country's extracts): its page's section.
    section: ClassVar[str] = "countries"

    def __post_init__(self) -> None:
        object.__setattr__(self, "order", (self.name.casefold(), self.slug))

    @property
    def title(self) -> str:
        """Its name, as a briefing's title."""
        return self.name

    @property
    def members(self) -> tuple[Country, ...]:
        """The countries its briefing concerns: itself."""
        return (self,)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Country) and other.slug == self.slug

    def __hash__(self) -> int:
        return self.slug.__hash__()

    def __lt__(self, other: Country) -> bool:
        return self.order < other.order


@dataclass(frozen=True, slots=True, eq=False)
class Pair:
    """An unordered pair of countries; ``a`` sorts before ``b`` by display name."""

    a: Country
    b: Country
    #: ``china-russia``: the pair's page name.
    slug: str = field(init=False)
    #: ``China – Russia``.
    title: str = field(init=False)
    order: tuple[str, str, str, str] = field(init=False, repr=False)
    _hash: int = field(init=False, repr=False)
    section: ClassVar[str] = "pairs"

    def __post_init__(self) -> None:
        object.__setattr__(self, "slug", f"{self.a.slug}-{self.b.slug}")
        object.__setattr__(self, "title", f"{self.a.name} – {self.b.name}")
        object.__setattr__(self, "order", self.a.order + self.b.order)
        object.__setattr__(self, "_hash", hash(self.slug))

    @property
    def members(self) -> tuple[Country, ...]:
        """Its two countries."""
        return (self.a, self.b)

    @staticmethod
    def of(x: Country, y: Country) -> Pair:
        """The pair of ``x`` and ``y`` in canonical order."""
        return Pair(x, y) if x.order < y.order else Pair(y, x)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pair) and other.slug == self.slug

    def __hash__(self) -> int:
        return self._hash

    def __lt__(self, other: Pair) -> bool:
        return self.order < other.order


@dataclass(frozen=True, slots=True, eq=False)
class Group:
    """Three to twelve countries an extract concerns together; identified by its slug."""

    slug: str
    title: str
    #: In display order.
    members: tuple[Country, ...]
    description: str = ""
    order: tuple[str, ...] = field(init=False, repr=False)
    section: ClassVar[str] = "groups"

    def __post_init__(self) -> None:
        object.__setattr__(self, "order", (self.title.casefold(), self.slug))

    @staticmethod
    def of(members: tuple[Country, ...]) -> Group:
        """The group of ``members``, named after them: ``China, India and Russia``."""
        ordered = tuple(sorted(members))
        names = [c.name for c in ordered]
        return Group("-".join(c.slug for c in ordered), ", ".join(names[:-1]) + " and " + names[-1], ordered)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Group) and other.slug == self.slug

    def __hash__(self) -> int:
        return hash(self.slug)

    def __lt__(self, other: Group) -> bool:
        return self.order < other.order


#: What a briefing is about: one country, a pair, or a group.
Subject = Country | Pair | Group


@dataclass(frozen=True, slots=True, eq=False)
class Theme:
    """A theme: slug, title, description; identified by its slug."""

    slug: str
    title: str
    description: str

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Theme) and other.slug == self.slug

    def __hash__(self) -> int:
        return hash(self.slug)


@dataclass(frozen=True, slots=True)
class Event:
    """An event several sources may report."""

    slug: str
    title: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Figure:
    """A key figure, as one extract gives it: a value, or a range from
    ``value`` to ``high``."""

    label: str
    value: float
    unit: str
    period: str
    #: The top of a range; equal to ``value`` for a single number.
    high: float = field(default=float("nan"))
    approx: bool = False
    as_written: str = ""
    #: What the figure is a value of: label, unit and period, casefolded.
    #: Figures of the same pair with the same key and values that do not
    #: agree are a disagreement.
    key: tuple[str, str, str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", (self.label.casefold(), self.unit.casefold(), self.period.casefold()))
        if self.high != self.high:  # NaN: not given
            object.__setattr__(self, "high", self.value)

    @property
    def is_range(self) -> bool:
        """Whether it is a range rather than one number."""
        return self.high != self.value


#: The unit of a fact's key: facts and figures never share a key.
FACT_UNIT = "\0fact"


@dataclass(frozen=True, slots=True)
class Fact:
    """A fact in words, as one extract gives it."""

    label: str
    value: str
    #: Like a figure's: facts of one briefing with the same key and another
    #: value are a disagreement.
    key: tuple[str, str, str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", (self.label.casefold(), FACT_UNIT, ""))


@dataclass(frozen=True, slots=True)
class Source:
    """A source article."""

    slug: str
    title: str
    publisher: str
    url: str
    published: dt.date | None
    accessed: dt.date | None
    terms: str
    archive: str
    path: str
    #: Hash of the source file's content: what its extracts were made from.
    digest: str = ""
    authors: tuple[str, ...] = ()
    updated: dt.date | None = None
    #: BCP 47 tag of the article's language.
    language: str = "en"
    #: The original publisher of a syndicated story.
    via: str = ""
    #: The slug of the source this one is a later version of.
    revision_of: str = ""


#: The language the site is written in, and editors' translations with it.
SITE_LANGUAGE = "en"

#: The default of a quote's ``voice`` and of an extract's ``event_role``.
DIRECT, REPORTS = "direct", "reports"


@dataclass(frozen=True, slots=True)
class Extract:
    """A validated extract with its subject, themes and source resolved.

    Its subject is its pairs, or its one country, or its group: exactly one
    of ``pairs``, ``country`` and ``group`` is given.
    """

    id: str
    date: When
    pairs: tuple[Pair, ...]
    themes: tuple[Theme, ...]
    kind: str
    text: str
    source: Source
    #: Where its id is written, for messages about it.
    location: Location
    speaker: str = ""
    speaker_native: str = ""
    event: Event | None = None
    figures: tuple[Figure, ...] = ()
    #: True when the quote (its text or its original) was found in the
    #: source's archived text, False when the source has no archive or the
    #: extract is not a quote.
    verified: bool = False
    country: Country | None = None
    group: Group | None = None
    #: For a quote: direct or reported; '' for other kinds.
    voice: str = ""
    #: BCP 47 tag of the words as said or written (of ``original`` when given).
    language: str = "en"
    original: str = ""
    translation: str = ""
    same_as: str = ""
    #: For an extract about an event: reports, reaction or background.
    event_role: str = ""
    facts: tuple[Fact, ...] = ()
    #: Its pairs, or its country, or its group: the briefings it is part of.
    subjects: tuple[Subject, ...] = field(init=False, compare=False, repr=False)
    #: Newest first, then by id: a total, deterministic order. Kept rather
    #: than computed: every build sorts all extracts by it.
    sort_key: tuple[int, str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sort_key", (-self.date.rank, self.id))
        subjects: tuple[Subject, ...] = (
            self.pairs or ((self.group,) if self.group else (self.country,) if self.country else ()))
        object.__setattr__(self, "subjects", subjects)

    @property
    def reports_event(self) -> bool:
        """Whether it reports its event: gives the event a date and figures."""
        return self.event is not None and self.event_role == REPORTS

    @property
    def text_language(self) -> str:
        """The language of ``text``: the extract's, unless ``text`` is a
        translation: the article's own (in its language) or an editor's or
        a machine's (in the site's)."""
        if not self.original:
            return self.language
        return self.source.language if self.translation == "source" else SITE_LANGUAGE


#: ``key=`` for sorting extracts in their order (a C-level attribute lookup).
BY_SORT_KEY = attrgetter("sort_key")


@dataclass(frozen=True, slots=True)
class PairNote:
    """An editor's summary and trend for a pair."""

    pair: Pair
    summary: str
    trend: str = ""
    trend_note: str = ""
    updated: dt.date | None = None


@dataclass(frozen=True)
class Briefings:
    """The whole validated data set."""

    themes: tuple[Theme, ...]
    countries: tuple[Country, ...]
    sources: tuple[Source, ...]
    extracts: tuple[Extract, ...]
    events: tuple[Event, ...] = ()
    notes: tuple[PairNote, ...] = ()
    warnings: tuple[Diagnostic, ...] = field(default=())
    #: Hash of the data files other than sources (themes, countries,
    #: events, groups, pair summaries): a change there may change any page.
    context: str = ""
    #: The groups the extracts name.
    groups: tuple[Group, ...] = ()
