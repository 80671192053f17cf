"""Stage 2: parsed documents in, the validated :class:`Briefings` out.

Checks run file by file (shape and types, through the pydantic models) and
then across files (known countries and themes, unique ids, page names that
do not collide, quotes found in archived articles). Every problem is
collected; one :class:`BriefingError` is raised at the end.
"""

from __future__ import annotations

import difflib
import hashlib
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .countries import CountryRegistry
from .errors import Diagnostic, Location, did_you_mean, fail_on_errors
from .lazy import cached_property
from .loader import Document, Loc, parse_yaml
from .models import (
    BY_SORT_KEY,
    KINDS,
    RESERVED_ID_PREFIXES,
    RESERVED_IDS,
    SLUG_PATTERN,
    TRENDS,
    Briefings,
    CountriesFile,
    Country,
    Event,
    EventEntry,
    Extract,
    ExtractEntry,
    Figure,
    Pair,
    PairFile,
    PairNote,
    Source,
    SourceFile,
    Theme,
    ThemeEntry,
    slug_problem,
    slugify,
    type_name,
)

M = TypeVar("M", bound=BaseModel)

THEMES_FILE = "themes.yml"
COUNTRIES_FILE = "countries.yml"
EVENTS_FILE = "events.yml"
SOURCES_DIR = "sources"
PAIRS_DIR = "pairs"
_YAML_SUFFIXES = (".yml", ".yaml")


def _data_files(paths: Iterable[str], folder: str) -> list[str]:
    """The YAML files anywhere under ``folder`` (editors may sort a large
    archive's sources into sub-folders, by year say), in sorted order."""
    return sorted(p for p in paths if p.startswith(folder + "/") and p.endswith(_YAML_SUFFIXES))


@dataclass
class ParsedFile:
    """One file after parsing and shape checks; cached by content."""

    document: Document
    model: Any
    diagnostics: list[Diagnostic]
    digest: str = ""


@dataclass
class ResolvedSource:
    """A source file's extracts with countries, themes and events resolved."""

    source: Source
    extracts: list[Extract]
    diagnostics: list[Diagnostic]

    # What the checks across files need, made once per file content rather
    # than from every extract on every rebuild.
    @cached_property
    def countries(self) -> dict[str, Country]:
        """The countries of the extracts' pairs, by slug."""
        return {c.slug: c for e in self.extracts for p in e.pairs for c in (p.a, p.b)}

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


def digest(*parts: bytes) -> str:
    """A short content hash."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


#: A country registry, the problems found in the countries file, and each
#: country's page name, display name and where it is defined.
Registry = tuple[CountryRegistry, list[Diagnostic], list[tuple[str, str, Location]]]


@dataclass
class ParseCache:
    """Parsed files keyed by path and content hash.

    A rebuild reuses a file's parse only when its bytes are identical, so a
    stale entry can never show old data. Entries of files that disappear
    are dropped on the next run.
    """

    entries: dict[tuple[str, str], ParsedFile] = field(default_factory=dict)
    #: Resolved sources keyed by file, its content, and the content of every
    #: file resolution reads (themes, countries, events, the archive).
    resolved: dict[tuple[str, str, str], ResolvedSource] = field(default_factory=dict)
    #: False for a one-off build: nothing is kept, so each source file's parse
    #: tree can be freed as soon as its extracts are resolved.
    keep: bool = True
    #: The country registry of the last run, by the countries file's path and
    #: content: a registry only ever grows its memo of spellings.
    registries: dict[tuple[str, str], Registry] = field(default_factory=dict)
    #: Keys looked up in the current run; everything else goes at its end.
    used: set[tuple[str, str]] = field(default_factory=set)
    used_resolved: set[tuple[str, str, str]] = field(default_factory=set)

    def parse(self, path: str, data: bytes, model: type[BaseModel] | None) -> ParsedFile:
        """Parse ``data`` as ``model`` (``None``: a mapping of slug → entry)."""
        key = (path, digest(data))
        self.used.add(key)
        cached = self.entries.get(key)
        if cached is None:
            cached = _parse_file(path, data, model)
            cached.digest = key[1]
            if self.keep:
                self.entries[key] = cached
        return cached

    def resolve(self, key: tuple[str, str, str]) -> ResolvedSource | None:
        """A source resolved in an earlier run from the same contents, if any."""
        self.used_resolved.add(key)
        return self.resolved.get(key)

    def finish_run(self) -> None:
        """Forget files no longer present and superseded contents."""
        self.entries = {k: v for k, v in self.entries.items() if k in self.used}
        self.resolved = {k: v for k, v in self.resolved.items() if k in self.used_resolved}
        self.used, self.used_resolved = set(), set()


def validate_briefings(
    files: Mapping[str, bytes], root: str = "briefings", cache: ParseCache | None = None
) -> Briefings:
    """Validate the data folder's files (relative POSIX path → bytes).

    ``root`` prefixes paths in messages. Raises :class:`BriefingError` with
    every problem; warnings are returned in ``Briefings.warnings``.
    """
    return _Validator(files, root, cache or ParseCache()).run()


class _Validator:
    def __init__(self, files: Mapping[str, bytes], root: str, cache: ParseCache) -> None:
        self.files = files
        self.root = root.rstrip("/")
        self.cache = cache
        self.diagnostics: list[Diagnostic] = []
        self.parsed: dict[str, ParsedFile] = {}
        self.themes_ok = True
        #: Events whose entry in events.yml is invalid (and reported): extracts
        #: that report them are not also errors.
        self.broken_events: set[str] = set()
        #: Content of the files every extract's resolution depends on.
        self.context = digest(*(files.get(name, b"") for name in (THEMES_FILE, COUNTRIES_FILE, EVENTS_FILE)))

    # -- helpers ---------------------------------------------------------
    def shown(self, rel: str) -> str:
        return f"{self.root}/{rel}" if self.root else rel

    def error(self, where: Location, message: str, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(where, message, hint))

    def warn(self, where: Location, message: str, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(where, message, hint, "warning"))

    def load(self, rel: str, model: type[BaseModel] | None) -> ParsedFile | None:
        if rel not in self.files:
            return None
        if rel not in self.parsed:
            self.parsed[rel] = self.cache.parse(self.shown(rel), self.files[rel], model)
            self.diagnostics.extend(self.parsed[rel].diagnostics)
        return self.parsed[rel]

    # -- the run ---------------------------------------------------------
    def run(self) -> Briefings:
        try:
            return self.check_all()
        finally:
            self.cache.finish_run()

    def check_all(self) -> Briefings:
        themes = self.load_themes()
        registry = self.load_countries()
        events = self.load_events()
        resolved, extracts = self.load_sources(themes, registry, events)
        notes = self.load_notes(registry, resolved)
        self.check_unread()
        if not any(d.severity == "error" for d in self.diagnostics):
            # With errors, unused themes and empty sources are mostly their echo.
            self.check_usage(themes, events, resolved)
        fail_on_errors(self.diagnostics)
        # Keyed by slug: a string hashes in C, a Country through Python.
        used: dict[str, Country] = {}
        for file in resolved:
            used.update(file.countries)
        return Briefings(
            themes=tuple(sorted(themes.values(), key=lambda t: t.slug)),
            countries=tuple(sorted(used.values())),
            sources=tuple(file.source for file in resolved),
            extracts=tuple(sorted(extracts, key=BY_SORT_KEY)),
            events=tuple(sorted(events.values(), key=lambda e: e.slug)),
            notes=tuple(sorted(notes, key=lambda n: n.pair.order)),
            warnings=tuple(sorted(self.diagnostics)),
            context=digest(self.context.encode(), *(
                self.files[p] for p in _data_files(self.files, PAIRS_DIR))),
        )

    def load_themes(self) -> dict[str, Theme]:
        parsed = self.load(THEMES_FILE, None)
        if parsed is None:
            self.error(Location(self.shown(THEMES_FILE)), "themes file is missing",
                       "create it with at least one theme: 'trade: {title: Trade, description: ...}'")
            return {}
        before = len(self.diagnostics)
        themes = {slug: Theme(slug, entry.title, entry.description)
                  for slug, entry in self.entries(parsed, ThemeEntry).items()}
        # A broken themes file would make every use of a theme an error too.
        self.themes_ok = not parsed.diagnostics and len(self.diagnostics) == before
        return themes

    def load_countries(self) -> CountryRegistry:
        parsed = self.load(COUNTRIES_FILE, CountriesFile)
        key = (parsed.document.path, parsed.digest) if parsed else ("", "")
        found = self.cache.registries.get(key)
        if found is None:
            found = self.make_registry(parsed)
            if self.cache.keep:
                self.cache.registries = {key: found}
        registry, problems, items = found
        self.diagnostics.extend(problems)
        self.check_slugs(items, "country")
        return registry

    def make_registry(self, parsed: ParsedFile | None) -> Registry:
        """The countries an editor may name, the problems of the countries
        file, and each country's page name with where it is defined."""
        config = parsed.model if parsed and isinstance(parsed.model, CountriesFile) else None
        registry = CountryRegistry(config)
        doc = parsed.document if parsed else None
        problems = [Diagnostic(doc.locate(loc), message) for loc, message in registry.problems] if doc else []
        actor_keys = {e.name: k for k, e in config.actors.items()} if config else {}
        items = []
        for country in registry.all().values():
            entry: Loc = (("actors", actor_keys.get(country.name, ""), "name") if country.actor
                          else ("countries", country.alpha2, "name"))
            items.append((country.slug, country.name,
                          doc.locate(entry) if doc else Location(self.shown(COUNTRIES_FILE))))
        return registry, problems, items

    def load_events(self) -> dict[str, Event]:
        parsed = self.load(EVENTS_FILE, None)
        if parsed is None:
            return {}
        return {slug: Event(slug, e.title, e.description or "")
                for slug, e in self.entries(parsed, EventEntry, self.broken_events).items()}

    def entries(self, parsed: ParsedFile, model: type[M], broken: set[str] | None = None) -> dict[str, M]:
        """Validate a file that maps slug → entry of ``model``, adding the
        slugs of invalid entries to ``broken``."""
        doc = parsed.document
        if doc.data is None and not parsed.diagnostics:
            return {}
        if not isinstance(doc.data, dict):
            if not parsed.diagnostics:
                self.error(doc.locate(()), f"expected a mapping of slug to entry, not {type_name(doc.data)}")
            return {}
        result: dict[str, M] = {}
        for slug, raw in sorted(doc.data.items()):
            if not re.fullmatch(SLUG_PATTERN, slug):
                self.error(doc.locate((slug,), key=True),
                           f"'{slug}' is not a valid slug",
                           f"use lowercase letters, digits and hyphens, e.g. '{slugify(slug) or 'trade'}'")
                continue
            try:
                result[slug] = model.model_validate(raw)
            except ValidationError as exc:
                self.diagnostics.extend(translate(doc, exc, model, prefix=(slug,)))
                if broken is not None:
                    broken.add(slug)
        return result

    # -- sources and extracts -------------------------------------------
    def load_sources(
        self, themes: Mapping[str, Theme], registry: CountryRegistry, events: Mapping[str, Event]
    ) -> tuple[list[ResolvedSource], list[Extract]]:
        paths = _data_files(self.files, SOURCES_DIR)
        sources: list[ResolvedSource] = []
        extracts: list[Extract] = []
        first_id: dict[str, Location] = {}
        slugs: list[tuple[str, str, Location]] = []
        for rel in paths:
            # Not memoised in self.parsed: a source file is read once per run.
            parsed = self.cache.parse(self.shown(rel), self.files[rel], SourceFile)
            self.diagnostics.extend(parsed.diagnostics)
            if not isinstance(parsed.model, SourceFile):
                continue
            slugs.append((slugify(posixpath.splitext(posixpath.basename(rel))[0]),
                          rel.removeprefix(SOURCES_DIR + "/"), Location(parsed.document.path)))
            archive = parsed.model.source.archive
            key = (rel, parsed.digest, digest(self.context.encode(), self.files.get(
                posixpath.normpath(archive), b"") if archive else b""))
            resolved = self.cache.resolve(key)
            if resolved is None or not self.themes_ok:
                resolved = self.resolve_source(rel, parsed, themes, registry, events)
                if self.cache.keep:
                    self.cache.resolved[key] = resolved
            else:
                self.diagnostics.extend(resolved.diagnostics)
            sources.append(resolved)
            for extract in resolved.extracts:
                if extract.id in first_id:
                    self.error(extract.location,
                               f"duplicate extract id '{extract.id}' (first used at {first_id[extract.id]})",
                               "extract ids must be unique across all files")
                    continue
                first_id[extract.id] = extract.location
                extracts.append(extract)
        self.check_slugs(slugs, "source")
        return sources, extracts

    def resolve_source(self, rel: str, parsed: ParsedFile, themes: Mapping[str, Theme],
                       registry: CountryRegistry, events: Mapping[str, Event]) -> ResolvedSource:
        """Resolve one source file's extracts, keeping the problems found."""
        before = len(self.diagnostics)
        doc, model = parsed.document, parsed.model
        source = Source(
            slug=slugify(posixpath.splitext(posixpath.basename(rel))[0]),
            title=model.source.title, publisher=model.source.publisher,
            url=model.source.url, published=model.source.published,
            accessed=model.source.accessed, terms=model.source.terms or "",
            archive=model.source.archive or "", path=doc.path, digest=parsed.digest)
        published, accessed = source.published, source.accessed
        if published and accessed and accessed < published:
            self.warn(doc.locate(("source", "accessed")),
                      f"accessed {accessed.isoformat()} is before published {published.isoformat()}",
                      "an article is read on or after the day it is published; check both dates")
        archive = self.read_archive(doc, source)
        extracts = []
        where = doc.locate_each(("extracts",), "id", len(model.extracts))
        for i, entry in enumerate(model.extracts):
            extract = self.resolve_extract(doc, i, entry, source, themes, registry, events, archive, where[i])
            if extract is not None:
                extracts.append(extract)
        return ResolvedSource(source, extracts, self.diagnostics[before:])

    def read_archive(self, doc: Document, source: Source) -> str | None:
        if not source.archive:
            return None
        rel = posixpath.normpath(source.archive)
        where = doc.locate(("source", "archive"))
        if rel.startswith("../") or rel == ".." or posixpath.isabs(rel):
            self.error(where, f"archive '{source.archive}' is outside the briefings folder",
                       "give a path relative to the briefings folder, e.g. 'archive/article.txt'")
            return None
        if rel not in self.files:
            self.error(where, f"archive file '{source.archive}' does not exist",
                       did_you_mean(rel, self.files) or "give a path relative to the briefings folder")
            return None
        try:
            return normalise_quote(self.files[rel].decode("utf-8"))
        except UnicodeDecodeError:
            self.error(where, f"archive file '{source.archive}' is not valid UTF-8")
            return None

    def resolve_extract(
        self, doc: Document, i: int, entry: ExtractEntry, source: Source,
        themes: Mapping[str, Theme], registry: CountryRegistry,
        events: Mapping[str, Event], archive: str | None, where: Location,
    ) -> Extract | None:
        loc: Loc = ("extracts", i)
        before = len(self.diagnostics)
        if entry.id in RESERVED_IDS or entry.id.startswith(RESERVED_ID_PREFIXES):
            self.error(doc.locate((*loc, "id")),
                       f"extract id '{entry.id}' is the anchor of a heading on the pages that show it",
                       "choose another id; the pages' headings use " + ", ".join(sorted(RESERVED_IDS))
                       + " and the ids starting with " + ", ".join(RESERVED_ID_PREFIXES))
        pairs = self.resolve_pairs(doc, loc, entry.countries, entry.pairs, registry)
        resolved_themes = []
        for j, slug in enumerate(entry.themes):
            if slug in themes:
                resolved_themes.append(themes[slug])
            elif not self.themes_ok:
                continue  # themes.yml itself is broken and reported
            else:
                self.error(doc.locate((*loc, "themes", j)), f"unknown theme '{slug}'",
                           did_you_mean(slug, themes, listing="known themes"))
        if not entry.themes and self.themes_ok:
            self.error(doc.locate((*loc, "themes")), "an extract needs at least one theme",
                       did_you_mean("", themes, listing="known themes"))
        event = None
        if entry.event is not None:
            event = events.get(entry.event)
            if event is None and entry.event not in self.broken_events:
                self.error(doc.locate((*loc, "event")), f"unknown event '{entry.event}'",
                           did_you_mean(entry.event, events, listing="known events")
                           or "define it in events.yml")
        verified = False
        if entry.kind == "quote" and archive is not None:
            verified = self.verify_quote(doc, loc, entry.text, archive)
        if len(self.diagnostics) > before:
            return None
        # What an article reports was said or happened by the day it appeared:
        # a later date is most likely a mistyped year. A warning, so after the
        # check for errors, which drops the extract.
        bound, seen = (source.published, "published") if source.published else (source.accessed, "accessed")
        if bound is not None and entry.date > bound:
            self.warn(doc.locate((*loc, "date")),
                      f"extract dated {entry.date.isoformat()}, after its source was {seen} "
                      f"({bound.isoformat()})",
                      "an extract's date is when it was said or happened; check the year and the month")
        return Extract(
            id=entry.id, date=entry.date, pairs=pairs,
            themes=tuple(dict.fromkeys(resolved_themes)), kind=entry.kind, text=entry.text,
            source=source, location=where,
            speaker=entry.speaker or "",
            speaker_native=entry.speaker_native or "", event=event,
            figures=tuple(Figure(f.label, f.value, f.unit, f.period or "") for f in entry.figures),
            verified=verified,
        )

    def resolve_pairs(
        self, doc: Document, loc: Loc, countries: list[str] | None,
        several: list[list[str]] | None, registry: CountryRegistry,
    ) -> tuple[Pair, ...]:
        """The pairs of ``countries: [A, B]`` or of ``pairs: [[A, B], ...]``."""
        if countries is not None and several is not None:
            self.error(doc.locate((*loc, "pairs"), key=True),
                       "give either 'countries' or 'pairs', not both",
                       "'countries: [A, B]' for one pair, 'pairs: [[A, B], [A, C]]' for several")
            return ()
        if countries is None and several is None:
            self.error(doc.locate(loc), "missing required field 'countries'",
                       "'countries: [China, Russia]', or 'pairs: [[A, B], [A, C]]' for several pairs")
            return ()
        groups: list[tuple[Loc, list[str]]]
        if countries is not None:
            groups = [((*loc, "countries"), countries)]
        elif several is not None:
            if not several:
                self.error(doc.locate((*loc, "pairs")), "'pairs' must list at least one pair")
            groups = [((*loc, "pairs", k), names) for k, names in enumerate(several)]
        pairs: list[Pair] = []
        for where, names in groups:
            if len(names) != 2:
                self.error(doc.locate(where),
                           f"a pair needs exactly two countries, not {len(names)}",
                           "for several pairs write 'pairs: [[China, Canada], [China, Finland]]'")
                continue
            members: list[Country] = []
            for k, name in enumerate(names):
                found = registry.resolve(name)
                if found.country is None:
                    self.error(doc.locate((*where, k)), f"unknown country '{name}'",
                               found.hint or "add it to countries.yml as an actor or alias")
                else:
                    members.append(found.country)
            if len(members) == 2:
                if members[0] == members[1]:
                    self.error(doc.locate(where),
                               f"a country cannot be paired with itself ({members[0].name})")
                else:
                    pairs.append(registry.pair(*members))
        return tuple(dict.fromkeys(pairs))

    def verify_quote(self, doc: Document, loc: Loc, text: str, archive: str) -> bool:
        parts = [p for p in (s.strip() for s in re.split(r"\.\.\.|…", normalise_quote(text))) if p]
        position = 0
        for part in parts:
            found = archive.find(part, position)
            if found < 0:
                self.error(doc.locate((*loc, "text")),
                           "quote not found verbatim in the source's archived text",
                           f"closest passage: \"{closest_passage(part, archive)}\"")
                return False
            position = found + len(part)
        return True

    # -- pair notes and cross-file checks -------------------------------
    def load_notes(self, registry: CountryRegistry, resolved: list[ResolvedSource]) -> list[PairNote]:
        notes: dict[Pair, Location] = {}
        result: list[PairNote] = []
        covered = frozenset().union(*[file.pair_slugs for file in resolved])
        for rel in _data_files(self.files, PAIRS_DIR):
            parsed = self.load(rel, PairFile)
            if parsed is None or not isinstance(parsed.model, PairFile):
                continue
            doc, model = parsed.document, parsed.model
            pairs = self.resolve_pairs(doc, ("pair",), model.pair, None, registry)
            if not pairs:
                continue
            pair = pairs[0]
            where = doc.locate(("pair",))
            if pair in notes:
                self.error(where, f"{pair.title} already has a pair file ({notes[pair]})")
                continue
            notes[pair] = where
            if pair.slug not in covered:
                self.warn(where, f"pair {pair.title} has no extracts",
                          "its summary is not shown until an extract names the pair")
            result.append(PairNote(pair, model.summary, model.trend or "",
                                   model.trend_note or "", model.updated))
        return result

    def check_usage(self, themes: Mapping[str, Theme], events: Mapping[str, Event],
                    resolved: list[ResolvedSource]) -> None:
        used_themes = frozenset().union(*[file.theme_slugs for file in resolved])
        used_events = frozenset().union(*[file.event_slugs for file in resolved])
        themes_file = self.load(THEMES_FILE, None)
        for slug in sorted(set(themes) - used_themes):
            where = themes_file.document.locate((slug,), key=True) if themes_file else Location(THEMES_FILE)
            self.warn(where, f"theme '{slug}' has no extracts", "use it in an extract or remove it")
        events_file = self.load(EVENTS_FILE, None)
        for slug in sorted(set(events) - used_events):
            where = events_file.document.locate((slug,), key=True) if events_file else Location(EVENTS_FILE)
            self.warn(where, f"event '{slug}' has no extracts", "refer to it with 'event:' or remove it")
        for file in resolved:
            if not file.extracts:
                self.warn(Location(file.source.path), f"source '{file.source.slug}' has no extracts",
                          "add extracts or remove the file")

    def check_unread(self) -> None:
        """A YAML file the build does not read is most likely misplaced: its
        extracts would be missing from the site without a word."""
        read = {THEMES_FILE, COUNTRIES_FILE, EVENTS_FILE,
                *_data_files(self.files, SOURCES_DIR), *_data_files(self.files, PAIRS_DIR)}
        for rel in sorted(self.files):
            if rel.endswith(_YAML_SUFFIXES) and rel not in read:
                self.warn(Location(self.shown(rel)), "file is not read",
                          f"the data files are {THEMES_FILE}, {COUNTRIES_FILE}, {EVENTS_FILE} and the "
                          f"files under {SOURCES_DIR}/ and {PAIRS_DIR}/")

    def check_slugs(self, items: Iterable[tuple[str, str, Location]], what: str) -> None:
        """Page names must be non-empty, not reserved, and distinct ignoring case."""
        seen: dict[str, str] = {}
        for slug, name, where in sorted(items, key=lambda item: (item[0], item[2], item[1])):
            problem = slug_problem(slug)
            if problem:
                self.error(where, f"{what} '{name}' {problem}", "rename it")
                continue
            folded = slug.casefold()
            if folded in seen and seen[folded] != name:
                self.error(where, f"{what} '{name}' and '{seen[folded]}' both get the page name '{slug}'",
                           "rename one of them")
            seen.setdefault(folded, name)


def _parse_file(path: str, data: bytes, model: type[BaseModel] | None) -> ParsedFile:
    doc, diagnostics = parse_yaml(path, data)
    if diagnostics or model is None or doc.data is None:
        if doc.data is None and not diagnostics and model is not None:
            diagnostics = [Diagnostic(Location(path), "file is empty",
                                      "see the editors' guide in the README for the format")]
        return ParsedFile(doc, None, diagnostics)
    try:
        return ParsedFile(doc, model.model_validate(doc.data), [])
    except ValidationError as exc:
        return ParsedFile(doc, None, translate(doc, exc, model))


# --------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------

def translate(doc: Document, exc: ValidationError, model: type[BaseModel],
              prefix: Loc = ()) -> list[Diagnostic]:
    """Turn pydantic's errors into diagnostics an editor can act on."""
    result = []
    for err in exc.errors():
        loc: Loc = (*prefix, *err["loc"])
        field_loc = tuple(err["loc"])
        # The field's name; for an entry of a slug file that is not a mapping at
        # all, the entry's slug.
        name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "value")
        kind = err["type"]
        hint = ""
        if kind == "missing":
            where = doc.locate(loc[:-1])
            message = f"missing required field '{name}'"
        elif kind == "extra_forbidden":
            where = doc.locate(loc, key=True)
            known = _field_names(model, field_loc[:-1])
            message = f"unknown field '{name}'"
            hint = did_you_mean(name, known, listing="known fields")
        else:
            where = doc.locate(loc)
            message, hint = _describe(kind, name, err)
        result.append(Diagnostic(where, message, hint))
    return result


def _describe(kind: str, name: str, err: Any) -> tuple[str, str]:
    given = err.get("input")
    if kind == "value_error":
        text = str(err["ctx"]["error"])
        if text == "must not be empty":
            return f"'{name}' must not be empty", ""
        return f"'{name}': {text}", ""
    if kind == "string_too_short":
        return f"'{name}' must not be empty", ""
    if kind == "string_type":
        return f"'{name}' must be text, not {type_name(given)}", (
            "put the text on one line or in a '>-' block" if isinstance(given, (list, dict)) else
            "quote it: '\"...\"'")
    if kind == "string_pattern_mismatch":
        return (f"'{name}' must be lowercase letters, digits and hyphens, not '{given}'",
                f"e.g. '{slugify(str(given)) or 'cn-ru-trade'}'")
    if kind == "literal_error":
        choices = {"kind": KINDS, "trend": TRENDS}.get(name, ())
        return (f"'{name}' must be one of {' | '.join(choices) or err['ctx']['expected']}, not '{given}'",
                did_you_mean(str(given), choices))
    if kind in ("list_type", "tuple_type"):
        return f"'{name}' must be a list, not {type_name(given)}", f"write '{name}: [..., ...]'"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"'{name}' must be a mapping of fields, not {type_name(given)}", ""
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing"):
        return f"'{name}' must be a number, not {type_name(given)}", "write digits, e.g. 228.1"
    return f"'{name}': {err['msg']}", ""


def _field_names(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the model found at ``loc`` inside ``model``."""
    current: Any = model
    for part in loc:
        if not isinstance(part, str):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        current = _inner_model(fields[part].annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
                         "\u00ab": '"', "\u00bb": '"'})


def normalise_quote(text: str) -> str:
    """Collapse whitespace and unify quotation marks and apostrophes."""
    return " ".join(text.translate(_QUOTES).split())


def closest_passage(part: str, archive: str) -> str:
    """The sentence-sized passage of ``archive`` most like ``part``."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", archive) if s]
    best = max(sentences, key=lambda s: difflib.SequenceMatcher(None, part, s).ratio(), default="")
    return best if len(best) <= 160 else best[:157] + "..."
