"""Resolving one source file: its article and each of its extracts, checked on its own.

An extract names countries, themes and an event by the words editors use;
resolving them needs the other data files, which :class:`Vocabulary`
holds. Each extract is checked on its own, and within it each field: a
missing text does not hide an unknown country, in the same extract or in
another. Only what depends on a broken value is skipped (an extract is not
built while any of its fields is wrong). Every function returns what it
found and the problems it met; none keeps state.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from pydantic import BaseModel, ValidationError

from .countries import CountryRegistry
from .errors import Diagnostic, Location, did_you_mean
from .lazy import cached_property
from .loader import Document, Loc
from .messages import Suggestions, translate
from .models import (
    DIRECT,
    GROUP_SIZES,
    REPORTS,
    RESERVED_ID_PREFIXES,
    RESERVED_IDS,
    SITE_LANGUAGE,
    Country,
    Event,
    Extract,
    ExtractEntry,
    Fact,
    Figure,
    FigureEntry,
    Group,
    Pair,
    Source,
    SourceEntry,
    SourceFileParts,
    Theme,
    slugify,
)
from .quotes import Archive, Budget, TooManySearches, quote_parts

Problems = list[Diagnostic]


@dataclass(frozen=True)
class Vocabulary:
    """What extracts may name, from the other data files."""

    themes: Mapping[str, Theme]
    registry: CountryRegistry
    events: Mapping[str, Event]
    #: False when themes.yml is broken (and reported): a theme it would have
    #: defined is then not an error at every extract naming it.
    themes_ok: bool = True
    #: False when countries.yml is broken (and reported): the actors and
    #: aliases it would have defined are then not unknown countries.
    countries_ok: bool = True
    #: Events whose entry in events.yml is invalid (and reported).
    broken_events: frozenset[str] = frozenset()
    #: The run's "did you mean" hints, bounded in number.
    suggestions: Suggestions = field(default_factory=Suggestions, compare=False)
    #: The groups named in groups.yml, by their members' slugs.
    groups: Mapping[frozenset[str], Group] = field(default_factory=dict)


@dataclass
class ResolvedSource:
    """A source file's article and extracts, resolved, and its problems."""

    source: Source | None
    extracts: list[Extract]
    #: Every extract id written as an id, with its place: ids must be unique
    #: across files, whether or not their extracts have other problems.
    ids: list[tuple[str, Location]]
    #: Each pair the extracts name (by its countries' slugs), where it is
    #: first named: two pairs must not share a page.
    pairs: dict[tuple[str, str], tuple[Pair, Location]]
    diagnostics: Problems
    #: Each group the extracts name, where it is first named.
    groups: dict[str, tuple[Group, Location]] = field(default_factory=dict)
    #: Where the extracts' ``same_as`` and the source's ``revision_of`` are
    #: written: what they name is checked across files.
    same_as_at: dict[str, Location] = field(default_factory=dict)
    revision_at: Location | None = None

    # What the checks across files need, made once per file content rather
    # than from every extract on every rebuild.
    @cached_property
    def countries(self) -> dict[str, Country]:
        """The countries the extracts concern, by slug."""
        return {c.slug: c for e in self.extracts for subject in e.subjects for c in subject.members}

    @cached_property
    def pair_slugs(self) -> frozenset[str]:
        """The slugs of the extracts' pairs."""
        return frozenset([p.slug for e in self.extracts for p in e.pairs])

    @cached_property
    def theme_slugs(self) -> frozenset[str]:
        """The slugs of the extracts' themes."""
        return frozenset([t.slug for e in self.extracts for t in e.themes])

    @cached_property
    def event_slugs(self) -> frozenset[str]:
        """The slugs of the events the extracts report."""
        return frozenset([e.event.slug for e in self.extracts if e.event])


@dataclass
class _Fields:
    """An extract's fields that are well formed (all of them, when the entry
    is valid), and the names of those that are not."""

    values: Mapping[str, Any]
    broken: frozenset[str] = frozenset()
    entry: ExtractEntry | None = None
    problems: Problems = field(default_factory=list)


def resolve_source(rel: str, document: Document, digest: str, vocabulary: Vocabulary,
                   archive: Archive | None) -> ResolvedSource:
    """Resolve the source file at ``rel`` (under ``sources/``), parsed as
    ``document``; ``archive`` is the text its quotes are checked against."""
    if document.data is None:
        return ResolvedSource(None, [], [], {}, [Diagnostic(
            document.locate(()), "file is empty", "see the editors' guide in the README for the format")])
    parts, problems = validated(document, SourceFileParts, document.data, ())
    if parts is None:
        return ResolvedSource(None, [], [], {}, problems)
    entry, entry_problems = validated(document, SourceEntry, parts.source, ("source",))
    problems += entry_problems
    source = _source(rel, document, digest, entry) if entry is not None else None
    if source is not None:
        problems += _dates_problems(document, source)
    resolved = ResolvedSource(source, [], [], {}, problems)
    if source is not None and source.revision_of:
        resolved.revision_at = document.locate(("source", "revision_of"))
    places = document.locate_each(("extracts",), "id", len(parts.extracts))
    budget = Budget()
    for i, raw in enumerate(parts.extracts):
        _resolve_extract(document, i, raw, places[i], vocabulary, archive, budget, resolved)
    return resolved


def validated(document: Document, model: type[BaseModel], raw: object,
              prefix: Loc) -> tuple[Any, Problems]:
    """``raw`` as ``model``, or ``None`` and the problems found."""
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        return None, translate(document, exc, model, prefix)


def _source(rel: str, document: Document, digest: str, entry: SourceEntry) -> Source:
    return Source(
        slug=slugify(posixpath.splitext(posixpath.basename(rel))[0]),
        title=entry.title, publisher=entry.publisher, url=entry.url, published=entry.published,
        accessed=entry.accessed, terms=entry.terms or "", archive=entry.archive or "",
        path=document.path, digest=digest,
        authors=entry.author or (),
        updated=entry.updated, language=entry.language or SITE_LANGUAGE, via=entry.via or "",
        revision_of=entry.revision_of or "")


def _dates_problems(document: Document, source: Source) -> Problems:
    published, accessed, updated = source.published, source.accessed, source.updated
    if published and updated and updated < published:
        return [Diagnostic(
            document.locate(("source", "updated")),
            f"updated {updated.isoformat()} is before published {published.isoformat()}",
            "an article is updated on or after the day it is published; check both dates", "warning")]
    if published and accessed and accessed < published:
        return [Diagnostic(
            document.locate(("source", "accessed")),
            f"accessed {accessed.isoformat()} is before published {published.isoformat()}",
            "an article is read on or after the day it is published; check both dates", "warning")]
    return []


def _resolve_extract(document: Document, i: int, raw: object, where: Location, vocabulary: Vocabulary,
                     archive: Archive | None, budget: Budget, resolved: ResolvedSource) -> None:
    """Check extract ``i`` and add it, its id, its pairs and its problems to ``resolved``."""
    loc: Loc = ("extracts", i)
    fields = _fields(document, raw, loc)
    problems = list(fields.problems)
    values = fields.values
    if isinstance(values.get("id"), str):
        resolved.ids.append((values["id"], where))
        problems += _id_problems(document, loc, values["id"])
    subject, found = resolve_subject(document, loc, values, fields.broken, vocabulary)
    problems += found
    for pair in subject.pairs:
        members = (pair.a.slug, pair.b.slug)
        if members not in resolved.pairs:
            resolved.pairs[members] = (pair, where)
    if subject.group is not None and subject.group.slug not in resolved.groups:
        resolved.groups[subject.group.slug] = (subject.group, where)
    themes, found = _themes(document, loc, values, vocabulary)
    problems += found
    event, found = _event(document, loc, values, vocabulary)
    problems += found
    problems += extract_field_problems(document, loc, values)
    language = values.get("language") or (resolved.source.language if resolved.source else "en")
    verified, found = _verify(document, loc, values, language, resolved.source, archive, budget)
    problems += found
    resolved.diagnostics += problems
    source, entry = resolved.source, fields.entry
    if source is None or entry is None or (problems and any(p.severity == "error" for p in problems)):
        return
    resolved.diagnostics += _date_warning(document, loc, entry, source)
    if entry.same_as:
        resolved.same_as_at[entry.id] = document.locate((*loc, "same_as"))
    resolved.extracts.append(Extract(
        id=entry.id, date=entry.date, pairs=subject.pairs, themes=themes, kind=entry.kind, text=entry.text,
        source=source, location=where, speaker=entry.speaker or "",
        speaker_native=entry.speaker_native or "", event=event,
        figures=tuple(_figure(f) for f in entry.figures), verified=verified,
        country=subject.country, group=subject.group,
        voice=(entry.voice or DIRECT) if entry.kind == "quote" else "", language=language,
        original=entry.original or "", translation=entry.translation or "", same_as=entry.same_as or "",
        event_role=(entry.event_role or REPORTS) if event is not None else "",
        facts=tuple(Fact(f.label, f.value) for f in entry.facts),
    ))


def _figure(entry: FigureEntry) -> Figure:
    low, high = entry.value if isinstance(entry.value, tuple) else (entry.value, entry.value)
    return Figure(entry.label, low, entry.unit, entry.period or "", high, entry.approx,
                  entry.as_written or "")


def extract_field_problems(document: Document, loc: Loc, values: Mapping[str, Any]) -> Problems:
    """What is wrong in how an extract's fields go together: a voice on
    what is not a quote, an original without its translator, a role
    without an event, an extract that is the same as itself."""
    problems: Problems = []
    kind = values.get("kind")
    if "voice" in values and values["voice"] is not None and kind is not None and kind != "quote":
        problems.append(Diagnostic(
            document.locate((*loc, "voice"), key=True),
            f"'voice' is for quotes, and this extract is a {kind}",
            "remove 'voice', or make it 'kind: quote' if the article quotes someone"))
    has_original, has_translation = values.get("original") is not None, values.get("translation") is not None
    if has_original and not has_translation:
        problems.append(Diagnostic(
            document.locate((*loc, "original"), key=True),
            "'original' needs 'translation': who translated it",
            "add 'translation: source' (the article's translation), 'editor' or 'machine'"))
    elif has_translation and not has_original:
        problems.append(Diagnostic(
            document.locate((*loc, "translation"), key=True), "'translation' without 'original'",
            "give the words in their original language as 'original', or remove 'translation'"))
    if values.get("event_role") is not None and values.get("event") is None:
        problems.append(Diagnostic(
            document.locate((*loc, "event_role"), key=True), "'event_role' without 'event'",
            "name the event in events.yml it is a report of, a reaction to or the background of"))
    if values.get("same_as") is not None and values.get("same_as") == values.get("id"):
        problems.append(Diagnostic(document.locate((*loc, "same_as")),
                                   "an extract cannot be the same as itself",
                                   "give the id of the other extract with another wording of the remark"))
    return problems


def _fields(document: Document, raw: object, loc: Loc) -> _Fields:
    try:
        entry = ExtractEntry.model_validate(raw)
    except ValidationError as exc:
        problems = translate(document, exc, ExtractEntry, loc)
        if not isinstance(raw, dict):
            return _Fields({}, frozenset(["*"]), None, problems)
        broken = frozenset(str(err["loc"][0]) for err in exc.errors() if err["loc"])
        return _Fields({k: v for k, v in raw.items() if k in ExtractEntry.model_fields and k not in broken},
                       broken, None, problems)
    return _Fields(entry.__dict__, frozenset(), entry)


def _id_problems(document: Document, loc: Loc, extract_id: str) -> Problems:
    if extract_id in RESERVED_IDS or extract_id.startswith(RESERVED_ID_PREFIXES):
        return [Diagnostic(
            document.locate((*loc, "id")),
            f"extract id '{extract_id}' is the anchor of a heading on the pages that show it",
            "choose another id; the pages' headings use " + ", ".join(sorted(RESERVED_IDS))
            + " and the ids starting with " + ", ".join(RESERVED_ID_PREFIXES))]
    return []


@dataclass(frozen=True)
class SubjectOf:
    """What an extract's countries make: pairs, or one country, or a group."""

    pairs: tuple[Pair, ...] = ()
    country: Country | None = None
    group: Group | None = None


def resolve_subject(document: Document, loc: Loc, values: Mapping[str, Any], broken: frozenset[str],
                    vocabulary: Vocabulary) -> tuple[SubjectOf, Problems]:
    """The subject of ``countries: [A]``, ``[A, B]`` or ``[A, B, C...]``, or
    the pairs of ``pairs: [[A, B], ...]``."""
    countries = values.get("countries")
    if countries is None or values.get("pairs") is not None or len(countries) == 2:
        pairs, problems = resolve_pairs(document, loc, values, broken, vocabulary.registry,
                                        vocabulary.countries_ok, vocabulary.suggestions)
        return SubjectOf(pairs=pairs), problems
    where: Loc = (*loc, "countries")
    high = GROUP_SIZES[1]
    if not countries or len(countries) > high:
        return SubjectOf(), [Diagnostic(
            document.locate(where), f"'countries' names {len(countries)} countries: give one to {high}",
            "one for a country briefing, two for a pair, three to twelve for a group; a larger group "
            "is better named as an actor in countries.yml (G20, United Nations)")]
    members, problems = _members(document, where, countries, vocabulary)
    if problems or len(members) != len(countries):
        return SubjectOf(), problems
    if len(members) == 1:
        return SubjectOf(country=members[0]), []
    slugs = frozenset(c.slug for c in members)
    return SubjectOf(group=vocabulary.groups.get(slugs) or Group.of(tuple(members))), []


def _members(document: Document, where: Loc, names: list[str],
             vocabulary: Vocabulary) -> tuple[list[Country], Problems]:
    """The countries ``names`` name, each once."""
    members: dict[str, Country] = {}
    problems: Problems = []
    for k, name in enumerate(names):
        found = vocabulary.registry.resolve(name).country
        if found is None:
            if vocabulary.countries_ok:
                problems.append(_unknown_country(document, (*where, k), name, vocabulary.registry,
                                                 vocabulary.suggestions))
        elif found.slug in members:
            problems.append(Diagnostic(document.locate((*where, k)), f"{found.name} is named twice",
                                       "name each country of the group once"))
        else:
            members[found.slug] = found
    return list(members.values()), problems


def _unknown_country(document: Document, where: Loc, name: str, registry: CountryRegistry,
                     suggestions: Suggestions) -> Diagnostic:
    return Diagnostic(document.locate(where), f"unknown country '{name}'",
                      suggestions.hint("country", name, partial(registry.suggest, name),
                                       "add it to countries.yml as an alias or an actor"))


def resolve_pairs(document: Document, loc: Loc, values: Mapping[str, Any], broken: frozenset[str],
                  registry: CountryRegistry, known: bool = True,
                  suggestions: Suggestions | None = None) -> tuple[tuple[Pair, ...], Problems]:
    """The pairs of ``countries: [A, B]`` or of ``pairs: [[A, B], ...]``;
    without ``known``, a name the registry does not know is not reported."""
    countries, several = values.get("countries"), values.get("pairs")
    if countries is not None and several is not None:
        return (), [Diagnostic(document.locate((*loc, "pairs"), key=True),
                               "give either 'countries' or 'pairs', not both",
                               "'countries: [A, B]' for one pair, 'pairs: [[A, B], [A, C]]' for several")]
    if countries is None and several is None:
        if broken & {"countries", "pairs", "*"}:
            return (), []
        return (), [Diagnostic(
            document.locate(loc), "missing required field 'countries'",
            "'countries: [China, Russia]', or 'pairs: [[A, B], [A, C]]' for several pairs")]
    groups: list[tuple[Loc, list[str]]]
    problems: Problems = []
    if countries is not None:
        groups = [((*loc, "countries"), countries)]
    else:
        several = several or []
        if not several:
            problems.append(Diagnostic(document.locate((*loc, "pairs")),
                                       "'pairs' must list at least one pair"))
        groups = [((*loc, "pairs", k), names) for k, names in enumerate(several)]
    pairs: list[Pair] = []
    for where, names in groups:
        pair, found = _pair(document, where, names, registry, suggestions or Suggestions())
        problems += found if known else [p for p in found if not p.message.startswith("unknown country")]
        if pair is not None:
            pairs.append(pair)
    return tuple(dict.fromkeys(pairs)), problems


def _pair(document: Document, where: Loc, names: list[str], registry: CountryRegistry,
          suggestions: Suggestions) -> tuple[Pair | None, Problems]:
    if len(names) != 2:
        return None, [Diagnostic(
            document.locate(where), f"a pair needs exactly two countries, not {len(names)}",
            "for several pairs write 'pairs: [[China, Canada], [China, Finland]]'; for one country or a "
            "group of three to twelve, write them under 'countries'")]
    members: list[Country] = []
    problems: Problems = []
    for k, name in enumerate(names):
        found = registry.resolve(name)
        if found.country is None:
            problems.append(_unknown_country(document, (*where, k), name, registry, suggestions))
        else:
            members.append(found.country)
    if len(members) < 2:
        return None, problems
    if members[0] == members[1]:
        return None, [Diagnostic(document.locate(where),
                                 f"a country cannot be paired with itself ({members[0].name})")]
    return registry.pair(*members), []


def _themes(document: Document, loc: Loc, values: Mapping[str, Any],
            vocabulary: Vocabulary) -> tuple[tuple[Theme, ...], Problems]:
    slugs = values.get("themes")
    if slugs is None or not vocabulary.themes_ok:
        return (), []
    themes, known = [], vocabulary.themes
    problems: Problems = []
    for j, slug in enumerate(slugs):
        if slug in known:
            themes.append(known[slug])
        else:
            hint = vocabulary.suggestions.hint("theme", slug, partial(did_you_mean, slug, known,
                                                                      listing="known themes"),
                                               "the themes are defined in themes.yml")
            problems.append(Diagnostic(document.locate((*loc, "themes", j)), f"unknown theme '{slug}'", hint))
    if not slugs:
        problems.append(Diagnostic(document.locate((*loc, "themes")), "an extract needs at least one theme",
                                   did_you_mean("", known, listing="known themes")))
    return tuple(dict.fromkeys(themes)), problems


def _event(document: Document, loc: Loc, values: Mapping[str, Any],
           vocabulary: Vocabulary) -> tuple[Event | None, Problems]:
    slug = values.get("event")
    if slug is None:
        return None, []
    event = vocabulary.events.get(slug)
    if event is None and slug not in vocabulary.broken_events:
        hint = vocabulary.suggestions.hint("event", slug, partial(did_you_mean, slug, vocabulary.events,
                                                                  listing="known events"),
                                           "define it in events.yml")
        return None, [Diagnostic(document.locate((*loc, "event")), f"unknown event '{slug}'", hint)]
    return event, []


def _verify(document: Document, loc: Loc, values: Mapping[str, Any], language: str, source: Source | None,
            archive: Archive | None, budget: Budget) -> tuple[bool, Problems]:
    """Whether a quote stands verbatim in the archive (False for other kinds):
    its ``original`` when that is in the archive's language, else its text."""
    field_name = "original" if values.get("original") and _same_language(language, source) else "text"
    text = values.get(field_name)
    if archive is None or values.get("kind") != "quote" or not isinstance(text, str):
        return False, []
    if field_name == "text" and values.get("original") and values.get("translation") != "source":
        return False, []  # an editor's or a machine's translation is not in the article
    position = 0
    where = document.locate((*loc, field_name))
    for part in quote_parts(text):
        try:
            found = archive.find(part, position, budget)
        except TooManySearches:
            return False, [Diagnostic(where, "quote not checked: this file's quotes search the archived text "
                                      "too many times", "quote whole sentences, which the check finds by "
                                      "their words; or split the file")]
        if found < 0:
            return False, [Diagnostic(where, "quote not found verbatim in the source's archived text",
                                      _passage_hint(archive, part, budget))]
        position = found + len(part)
    return True, []


def _same_language(language: str, source: Source | None) -> bool:
    return source is not None and language.casefold() == source.language.casefold()


def _passage_hint(archive: Archive, part: str, budget: Budget) -> str:
    if budget.hints <= 0:
        return "check the quote against the archived text, and that 'archive' names the right article"
    budget.hints -= 1
    return f"closest passage: \"{archive.closest_passage(part)}\""


def _date_warning(document: Document, loc: Loc, entry: ExtractEntry, source: Source) -> Problems:
    # What an article reports was said or happened by the day it appeared:
    # a later date is most likely a mistyped year.
    bound, seen = (source.published, "published") if source.published else (source.accessed, "accessed")
    if bound is not None and entry.date.first > bound:
        return [Diagnostic(document.locate((*loc, "date")),
                           f"extract dated {entry.date.isoformat()}, after its source was {seen} "
                           f"({bound.isoformat()})",
                           "an extract's date is when it was said or happened; check the year and the month",
                           "warning")]
    return []
