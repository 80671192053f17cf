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
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from .errors import Diagnostic, Location

# --------------------------------------------------------------------------
# Field types of the editors' format
# --------------------------------------------------------------------------

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
#: Anchors of the headings on the pages that show extracts in full (see
#: templates/), which an extract's id, its anchor there, must not take.
RESERVED_IDS = frozenset({"top", "key-figures", "timeline", "extracts-by-theme", "sources", "extracts",
                          "what-each-source-says", "earlier"})
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
HttpUrl = Annotated[str, AfterValidator(_http_url),
                    Field(json_schema_extra={"pattern": "^https?://[^\\s/]+\\S*$"})]
Kind = Literal["quote", "paraphrase", "figure", "analysis"]
Trend = Literal["improving", "steady", "deteriorating"]
KINDS: tuple[str, ...] = ("quote", "paraphrase", "figure", "analysis")
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
    # Strict: as the schema says, a number; not true/false, which lax
    # validation would publish as 1 and 0, nor a number in quotes.
    value: Annotated[float, AfterValidator(_figure_size)] = Field(
        description="The number, e.g. 228.1.", strict=True, json_schema_extra={"type": "number"})
    unit: Text = Field(description="Unit of the value, e.g. 'USD billion'.")
    period: Annotated[str | None, BeforeValidator(_period_text)] = Field(
        None, description="Period the value covers, e.g. '2025'.")


class ExtractEntry(_Format):
    """One extract from a source: a quote, paraphrase, figure or analysis."""

    id: Slug = Field(description=(
        "Unique across all files; lowercase letters, digits, hyphens. It is the extract's anchor on "
        "its pages, so not a heading's: not " + ", ".join(sorted(RESERVED_IDS)) + ", and not starting "
        "with " + ", ".join(RESERVED_ID_PREFIXES) + "."))
    date: IsoDate = Field(description="When it was said or happened, YYYY-MM-DD.")
    countries: list[str] | None = Field(
        None, description="Exactly two countries or actors: the extract's pair.")
    pairs: list[list[str]] | None = Field(
        None, description="Several pairs, each of two countries; instead of 'countries'.")
    themes: list[Slug] = Field(description="Theme slugs from themes.yml, at least one.")
    kind: Kind = Field(description="quote | paraphrase | figure | analysis")
    speaker: Text | None = Field(None, description="Who said it.")
    speaker_native: Text | None = Field(
        None, description="The speaker's name in their own script, e.g. 习近平.")
    event: Slug | None = Field(None, description="Slug of the event in events.yml it reports.")
    text: Text = Field(description="The extract, as plain text.")
    figures: list[FigureEntry] = Field(default_factory=list, description="Key figures it gives.")


class SourceEntry(_Format):
    """The article the extracts come from."""

    title: Text
    publisher: Text
    url: HttpUrl
    published: IsoDate | None = Field(None, description="Publication date, YYYY-MM-DD.")
    accessed: IsoDate | None = Field(None, description="When an editor read it, YYYY-MM-DD.")
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

    def __post_init__(self) -> None:
        object.__setattr__(self, "order", (self.name.casefold(), self.slug))

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

    def __post_init__(self) -> None:
        object.__setattr__(self, "slug", f"{self.a.slug}-{self.b.slug}")
        object.__setattr__(self, "title", f"{self.a.name} – {self.b.name}")
        object.__setattr__(self, "order", self.a.order + self.b.order)
        object.__setattr__(self, "_hash", hash(self.slug))

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
    """A key figure, as one extract gives it."""

    label: str
    value: float
    unit: str
    period: str
    #: What the figure is a value of: label, unit and period, casefolded.
    #: Figures of the same pair with the same key and different values are
    #: a disagreement.
    key: tuple[str, str, str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", (self.label.casefold(), self.unit.casefold(), self.period.casefold()))


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


@dataclass(frozen=True, slots=True)
class Extract:
    """A validated extract with its pairs, themes and source resolved."""

    id: str
    date: dt.date
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
    #: True when the quote was found in the source's archived text,
    #: False when the source has no archive or the extract is not a quote.
    verified: bool = False
    #: Newest first, then by id: a total, deterministic order. Kept rather
    #: than computed: every build sorts all extracts by it.
    sort_key: tuple[int, str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sort_key", (-self.date.toordinal(), self.id))


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
    #: events, pair summaries): a change there may change any page.
    context: str = ""
