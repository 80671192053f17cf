"""Stage 2: the data folder's files in, the validated :class:`Briefings` out.

The checks, in order: each file is read and parsed; the files every extract
depends on (themes, countries, events) are loaded; each source file is
resolved on its own (:mod:`generator.resolve`); then come the checks
across files: unique extract ids, page names that do not collide, pair
summaries, and files the build does not read. Every problem is collected
and one :class:`BriefingError` is raised at the end.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from pydantic import BaseModel

from . import crosscheck
from .countries import CountryRegistry
from .crosscheck import (
    COUNTRIES_FILE,
    EVENTS_FILE,
    GROUPS_FILE,
    PAIRS_DIR,
    SOURCES_DIR,
    THEMES_FILE,
    data_files,
)
from .errors import Diagnostic, FileRefused, Location, did_you_mean, fail_on_errors
from .loader import Document, parse_yaml
from .messages import Suggestions
from .models import (
    BY_SORT_KEY,
    GROUP_SIZES,
    SLUG_PATTERN,
    Briefings,
    CountriesFile,
    Country,
    Event,
    EventEntry,
    Group,
    GroupEntry,
    Pair,
    PairFile,
    PairNote,
    Theme,
    ThemeEntry,
    slugify,
    type_name,
)
from .quotes import MAX_ARCHIVE_BYTES, Archive, normalise_quote
from .resolve import ResolvedSource, Vocabulary, resolve_pairs, resolve_source, validated

M = TypeVar("M", bound=BaseModel)

@dataclass
class ParsedFile:
    """One file after parsing and shape checks; cached by content."""

    document: Document
    model: Any
    diagnostics: list[Diagnostic]
    digest: str = ""


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
    """What a rebuild may reuse of validation, keyed by content: the parse of
    each data file other than sources (small, and read by every extract), and
    each source file's resolution.

    A parse is reused only when the file's bytes are identical, a resolution
    only when those of every file it read are too, so a stale entry can never
    show old data. Entries of files that disappear are dropped on the next run.
    """

    entries: dict[tuple[str, str], ParsedFile] = field(default_factory=dict)
    #: Resolved sources by file and content hash, with what resolving them
    #: read: the other data files' hash, and the archive's path and hash.
    resolved: dict[tuple[str, str], tuple[str, str, str, ResolvedSource]] = field(default_factory=dict)
    #: False for a one-off build: nothing is kept, so each source file's parse
    #: tree can be freed as soon as its extracts are resolved.
    keep: bool = True
    #: The country registry of the last run, by the countries file's path and
    #: content: a registry only ever grows its memo of spellings.
    registries: dict[tuple[str, str], Registry] = field(default_factory=dict)
    #: Keys looked up in the current run; everything else goes at its end.
    used: set[tuple[str, str]] = field(default_factory=set)
    used_resolved: set[tuple[str, str]] = field(default_factory=set)

    def parse(self, path: str, data: bytes, model: type[BaseModel] | None) -> ParsedFile:
        """Parse ``data`` as ``model`` (``None``: parsed only)."""
        key = (path, digest(data))
        self.used.add(key)
        cached = self.entries.get(key)
        if cached is None:
            cached = _parse_file(path, data, model)
            cached.digest = key[1]
            if self.keep:
                self.entries[key] = cached
        return cached

    def resolve(self, key: tuple[str, str]) -> tuple[str, str, str, ResolvedSource] | None:
        """A source resolved in an earlier run from the same file contents, if any."""
        self.used_resolved.add(key)
        return self.resolved.get(key)

    def finish_run(self) -> None:
        """Forget files no longer present and superseded contents."""
        self.entries = {k: v for k, v in self.entries.items() if k in self.used}
        self.resolved = {k: v for k, v in self.resolved.items() if k in self.used_resolved}
        self.used, self.used_resolved = set(), set()


def validate_briefings(files: Mapping[str, bytes], root: str = "briefings", cache: ParseCache | None = None,
                       refused: Mapping[str, FileRefused] | None = None) -> Briefings:
    """Validate the data folder's files (relative POSIX path → bytes).

    ``root`` prefixes paths in messages; ``refused`` names the entries of the
    folder that are never read, and why (links, pipes...). Raises
    :class:`BriefingError` with every problem; warnings are returned in
    ``Briefings.warnings``.
    """
    return _Validator(files, root, cache or ParseCache(), refused or {}).run()


class _Validator:
    """One run of the checks: reads each file once and collects every problem."""

    def __init__(self, files: Mapping[str, bytes], root: str, cache: ParseCache,
                 refused: Mapping[str, FileRefused]) -> None:
        self.files = files
        self.root = root.rstrip("/")
        self.cache = cache
        self.diagnostics: list[Diagnostic] = [Diagnostic(Location(self.shown(rel)), exc.reason, exc.hint)
                                              for rel, exc in sorted(refused.items())]
        self.refused = refused
        self.parsed: dict[str, ParsedFile] = {}
        #: Files read, those kept for the run, and the archives (by path) as indexed texts.
        self.read_paths: set[str] = set()
        self.kept: dict[str, bytes] = {}
        self.archive_digests: dict[str, str] = {}
        self.archives: dict[str, Archive | None] = {}
        self.suggestions = Suggestions()
        #: Content of the files every extract's resolution depends on.
        self.context = digest(*(self.read(name) or b""
                                for name in (THEMES_FILE, COUNTRIES_FILE, EVENTS_FILE, GROUPS_FILE)))

    def shown(self, rel: str) -> str:
        return f"{self.root}/{rel}" if self.root else rel

    def read(self, rel: str) -> bytes | None:
        """The file's bytes, or ``None`` when it is missing or refused (and reported).

        A file read more than once (an archive several sources name, the
        files whose hash is the context) is read once: the bytes are kept
        for the run, except a source file's, which only its parse needs.
        """
        if rel not in self.files or rel in self.refused:
            return None
        found = self.kept.get(rel)
        if found is not None:
            return found
        first = rel not in self.read_paths
        self.read_paths.add(rel)
        try:
            data = self.files[rel]
        except FileRefused as exc:
            if first:
                self.diagnostics.append(Diagnostic(Location(self.shown(rel)), exc.reason, exc.hint))
            return None
        if not rel.startswith(SOURCES_DIR + "/"):
            self.kept[rel] = data
        return data

    def load(self, rel: str, model: type[BaseModel] | None) -> ParsedFile | None:
        if rel not in self.parsed:
            data = self.read(rel)
            if data is None:
                return None
            self.parsed[rel] = self.cache.parse(self.shown(rel), data, model)
            self.diagnostics.extend(self.parsed[rel].diagnostics)
        return self.parsed[rel]

    # -- the run ---------------------------------------------------------
    def run(self) -> Briefings:
        try:
            return self.check_all()
        finally:
            self.cache.finish_run()

    def check_all(self) -> Briefings:
        themes, themes_ok = self.load_themes()
        registry, countries_ok = self.load_countries()
        events, broken_events = self.load_events()
        groups = self.load_groups(registry, countries_ok)
        vocabulary = Vocabulary(themes, registry, events, themes_ok, countries_ok, broken_events,
                                self.suggestions, groups)
        resolved = self.load_sources(vocabulary)
        self.diagnostics += crosscheck.duplicate_ids(resolved)
        self.diagnostics += crosscheck.same_as(resolved)
        self.diagnostics += crosscheck.revisions(resolved)
        self.diagnostics += self.page_problems(resolved)
        notes = self.load_notes(vocabulary.registry, resolved)
        self.diagnostics += crosscheck.unread_files(self.files, self.read_paths, self.shown)
        if not any(d.severity == "error" for d in self.diagnostics):
            # With errors, unused themes and empty sources are mostly their echo.
            self.diagnostics += crosscheck.unused(vocabulary, resolved, self.parsed, self.shown)
        fail_on_errors(self.diagnostics)
        extracts = [e for file in resolved for e in file.extracts]
        # Keyed by slug: a string hashes in C, a Country through Python.
        used: dict[str, Country] = {}
        used_groups: dict[str, Group] = {}
        for file in resolved:
            used.update(file.countries)
            used_groups.update({slug: group for slug, (group, _) in file.groups.items()})
        return Briefings(
            themes=tuple(sorted(vocabulary.themes.values(), key=lambda t: t.slug)),
            countries=tuple(sorted(used.values())),
            sources=tuple(file.source for file in resolved if file.source is not None),
            extracts=tuple(sorted(extracts, key=BY_SORT_KEY)),
            events=tuple(sorted(vocabulary.events.values(), key=lambda e: e.slug)),
            notes=tuple(sorted(notes, key=lambda n: n.pair.order)),
            warnings=tuple(sorted(self.diagnostics)),
            groups=tuple(sorted(used_groups.values())),
            context=digest(self.context.encode(), *(
                self.read(p) or b"" for p in data_files(self.files, PAIRS_DIR))),
        )

    # -- the files every extract depends on -------------------------------
    def load_themes(self) -> tuple[dict[str, Theme], bool]:
        """The themes, and whether the themes file is sound."""
        parsed = self.load(THEMES_FILE, None)
        if parsed is None:
            if THEMES_FILE not in self.files:
                self.error(Location(self.shown(THEMES_FILE)), "themes file is missing",
                           "create it with at least one theme: 'trade: {title: Trade, description: ...}'")
            return {}, False
        entries, broken = self.entries(parsed, ThemeEntry)
        themes = {slug: Theme(slug, entry.title, entry.description) for slug, entry in entries.items()}
        # A broken themes file would make every use of a theme an error too.
        return themes, not parsed.diagnostics and not broken

    def load_countries(self) -> tuple[CountryRegistry, bool]:
        """The registry of countries and actors, and whether the countries file is sound."""
        parsed = self.load(COUNTRIES_FILE, CountriesFile)
        key = (parsed.document.path, parsed.digest) if parsed else ("", "")
        found = self.cache.registries.get(key)
        if found is None:
            found = self.make_registry(parsed)
            if self.cache.keep:
                self.cache.registries = {key: found}
        registry, problems, items = found
        self.diagnostics.extend(problems)
        self.diagnostics += crosscheck.page_names("countries", "country", items)
        return registry, not (parsed and parsed.diagnostics) and not any(
            p.severity == "error" for p in problems)

    def make_registry(self, parsed: ParsedFile | None) -> Registry:
        """The countries an editor may name, the problems of the countries
        file, and each country's page name with where it is defined."""
        config = parsed.model if parsed and isinstance(parsed.model, CountriesFile) else None
        registry = CountryRegistry(config)
        doc = parsed.document if parsed else None
        problems = [Diagnostic(doc.locate(loc), message) for loc, message in registry.problems] if doc else []
        if doc is not None and config is not None:
            problems += crosscheck.lookalike_names(doc, config)
        nowhere = Location(self.shown(COUNTRIES_FILE))
        items = [(country.slug, country.name, doc.locate(entry) if doc else nowhere)
                 for country, entry in registry.defined()]
        return registry, problems, items

    def load_events(self) -> tuple[dict[str, Event], frozenset[str]]:
        """The events, and the slugs of the invalid ones."""
        parsed = self.load(EVENTS_FILE, None)
        if parsed is None:
            return {}, frozenset()
        entries, broken = self.entries(parsed, EventEntry)
        events = {slug: Event(slug, e.title, e.description or "") for slug, e in entries.items()}
        return events, frozenset(broken)

    def load_groups(self, registry: CountryRegistry, countries_ok: bool) -> dict[frozenset[str], Group]:
        """The named groups, by their members' slugs."""
        parsed = self.load(GROUPS_FILE, None)
        if parsed is None:
            return {}
        doc = parsed.document
        entries, _ = self.entries(parsed, GroupEntry)
        groups: dict[frozenset[str], Group] = {}
        for slug, entry in entries.items():
            members, problems = self.group_members(doc, slug, entry, registry, countries_ok)
            self.diagnostics += problems
            if problems or not members:
                continue
            key = frozenset(c.slug for c in members)
            if key in groups:
                self.error(doc.locate((slug, "countries")), f"group '{slug}' has the same countries as "
                           f"'{groups[key].slug}'", "a group of countries has one name; remove one of them")
                continue
            groups[key] = Group(slug, entry.title, tuple(sorted(members)), entry.description or "")
        self.diagnostics += crosscheck.page_names("groups", "group", [
            (slug, slug, doc.locate((slug,), key=True)) for slug in entries])
        return groups

    def group_members(self, doc: Document, slug: str, entry: GroupEntry, registry: CountryRegistry,
                      countries_ok: bool) -> tuple[list[Country], list[Diagnostic]]:
        """The countries of a group in groups.yml, each once, three to twelve of them."""
        low, high = GROUP_SIZES
        where = (slug, "countries")
        if not low <= len(entry.countries) <= high:
            return [], [Diagnostic(doc.locate(where),
                                   f"a group has {low} to {high} countries, not {len(entry.countries)}",
                                   "two countries make a pair: they need no group")]
        members: dict[str, Country] = {}
        problems = []
        for k, name in enumerate(entry.countries):
            country = registry.resolve(name).country
            if country is None:
                if countries_ok:
                    problems.append(Diagnostic(doc.locate((*where, k)), f"unknown country '{name}'",
                                               "use the names extracts use; see countries.yml"))
            elif country.slug in members:
                problems.append(Diagnostic(doc.locate((*where, k)), f"{country.name} is named twice"))
            else:
                members[country.slug] = country
        return list(members.values()), problems

    def entries(self, parsed: ParsedFile, model: type[M]) -> tuple[dict[str, M], set[str]]:
        """Validate a file that maps slug → entry of ``model``: the valid
        entries, and the slugs of the invalid ones."""
        doc = parsed.document
        if doc.data is None:
            return {}, set()
        if not isinstance(doc.data, dict):
            self.error(doc.locate(()), f"expected a mapping of slug to entry, not {type_name(doc.data)}")
            return {}, {"*"}
        result: dict[str, M] = {}
        broken: set[str] = set()
        for slug, raw in sorted(doc.data.items()):
            if not re.fullmatch(SLUG_PATTERN, slug):
                self.error(doc.locate((slug,), key=True),
                           f"'{slug}' is not a valid slug",
                           f"use lowercase letters, digits and hyphens, e.g. '{slugify(slug) or 'trade'}'")
                broken.add(slug)
                continue
            entry, problems = validated(doc, model, raw, (slug,))
            self.diagnostics.extend(problems)
            if entry is None:
                broken.add(slug)
            else:
                result[slug] = entry
        return result, broken

    # -- sources and extracts -------------------------------------------
    def load_sources(self, vocabulary: Vocabulary) -> list[ResolvedSource]:
        resolved = []
        for rel in data_files(self.files, SOURCES_DIR):
            data = self.read(rel)
            if data is None:
                continue
            file_digest = digest(data)
            found = self.kept_resolution(rel, file_digest, vocabulary)
            if found is None:
                # Parsed afresh, not kept: a source file's node tree is
                # needed only to resolve it, and resolutions are kept.
                parsed = _parse_file(self.shown(rel), data, None)
                parsed.digest = file_digest
                if parsed.diagnostics:
                    self.diagnostics.extend(parsed.diagnostics)
                    continue
                found = self.resolve(rel, parsed, vocabulary)
            self.diagnostics.extend(found.diagnostics)
            resolved.append(found)
        slugs = [(slugify(posixpath.splitext(posixpath.basename(r.source.path))[0]),
                  r.source.path.removeprefix(self.shown(SOURCES_DIR) + "/"), Location(r.source.path))
                 for r in resolved if r.source is not None]
        self.diagnostics += crosscheck.page_names("sources", "source", slugs)
        return resolved

    def kept_resolution(self, rel: str, file_digest: str, vocabulary: Vocabulary) -> ResolvedSource | None:
        """The source file as an earlier run resolved it from the same contents
        of every file it depends on, if there was one."""
        kept = self.cache.resolve((rel, file_digest))
        if kept is None or not (vocabulary.themes_ok and vocabulary.countries_ok):
            return None
        context, archive_path, archive_digest, found = kept
        archive_now = self.archive_digest(archive_path)
        return found if (context, archive_digest) == (self.context, archive_now) else None

    def resolve(self, rel: str, parsed: ParsedFile, vocabulary: Vocabulary) -> ResolvedSource:
        """The source file resolved, kept for later runs when it has no errors."""
        archive_path = self.archive_path(parsed.document)
        archive = self.archive(parsed.document, archive_path)
        found = resolve_source(rel.removeprefix(SOURCES_DIR + "/"), parsed.document, parsed.digest,
                               vocabulary, archive)
        found.diagnostics[:0] = self.archive_problems(parsed.document, archive_path)
        # A file with errors is resolved again each run, so that the hints of
        # a run, bounded in number, are those a fresh run would give.
        if self.cache.keep and not any(d.severity == "error" for d in found.diagnostics):
            archive_digest = self.archive_digest(archive_path)
            self.cache.resolved[(rel, parsed.digest)] = (self.context, archive_path, archive_digest, found)
        return found

    def archive_digest(self, rel: str) -> str:
        """The hash of the archive at ``rel`` ('' for none), once per run
        however many sources name it."""
        if not rel:
            return ""
        found = self.archive_digests.get(rel)
        if found is None:
            found = self.archive_digests[rel] = digest(self.read(rel) or b"")
        return found

    def archive_path(self, doc: Document) -> str:
        """The path (under the data folder) of the archive a source names, if any."""
        data = doc.data
        source = data.get("source") if isinstance(data, dict) else None
        archive = source.get("archive") if isinstance(source, dict) else None
        return posixpath.normpath(archive) if isinstance(archive, str) and archive.strip() else ""

    def archive(self, doc: Document, rel: str) -> Archive | None:
        """The archived text at ``rel``, indexed once per run for every source naming it."""
        if not rel or _outside(rel) or rel not in self.files or rel in self.refused:
            return None
        if rel not in self.archives:
            data = self.read(rel)
            text = _decode(data) if data is not None and len(data) <= MAX_ARCHIVE_BYTES else None
            self.archives[rel] = None if text is None else Archive(normalise_quote(text))
        return self.archives[rel]

    def archive_problems(self, doc: Document, rel: str) -> list[Diagnostic]:
        """What is wrong with the archive a source names, at its 'archive' field."""
        if not rel:
            return []
        where = doc.locate(("source", "archive"))
        named = doc.data["source"]["archive"]
        if _outside(rel):
            return [Diagnostic(where, f"archive '{named}' is outside the briefings folder",
                               "give a path relative to the briefings folder, e.g. 'archive/article.txt'")]
        if rel in self.refused:
            return [Diagnostic(where, f"archive file '{named}' is not read",
                               self.refused[rel].reason.removeprefix("file "))]
        if rel not in self.files:
            hint = self.suggestions.hint("file", rel, partial(did_you_mean, rel, self.files),
                                         "give a path relative to the briefings folder")
            return [Diagnostic(where, f"archive file '{named}' does not exist", hint)]
        data = self.read(rel)
        if data is None:
            return [Diagnostic(where, f"archive file '{named}' cannot be read", "see the error at its path")]
        if len(data) > MAX_ARCHIVE_BYTES:
            return [Diagnostic(where, f"archive file '{named}' is {len(data):,} bytes, over the limit of "
                               f"{MAX_ARCHIVE_BYTES:,}", "archive only the article's text")]
        if _decode(data) is None:
            return [Diagnostic(where, f"archive file '{named}' is not valid UTF-8")]
        return []

    # -- page names, pair notes and cross-file checks -------------------
    def page_problems(self, resolved: list[ResolvedSource]) -> list[Diagnostic]:
        """Themes, events and pairs each get a page; no two may share one."""
        problems = []
        for section, what, name in (("themes", "theme", THEMES_FILE), ("events", "event", EVENTS_FILE)):
            parsed = self.parsed.get(name)
            if parsed is not None and isinstance(parsed.document.data, dict):
                problems += crosscheck.page_names(section, what, [
                    (slug, slug, parsed.document.locate((slug,), key=True)) for slug in parsed.document.data
                    if isinstance(slug, str) and re.fullmatch(SLUG_PATTERN, slug)])
        return problems + crosscheck.pair_pages(resolved) + crosscheck.group_pages(resolved)

    def load_notes(self, registry: CountryRegistry, resolved: list[ResolvedSource]) -> list[PairNote]:
        notes: dict[Pair, Location] = {}
        result: list[PairNote] = []
        covered = frozenset().union(*[file.pair_slugs for file in resolved])
        for rel in data_files(self.files, PAIRS_DIR):
            parsed = self.load(rel, PairFile)
            if parsed is None or not isinstance(parsed.model, PairFile):
                continue
            doc, model = parsed.document, parsed.model
            pairs, problems = resolve_pairs(doc, (), {"countries": model.pair}, frozenset(), registry)
            self.diagnostics.extend(_renamed(problems, "countries", "pair"))
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

    def error(self, where: Location, message: str, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(where, message, hint))

    def warn(self, where: Location, message: str, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(where, message, hint, "warning"))


def _parse_file(path: str, data: bytes, model: type[BaseModel] | None) -> ParsedFile:
    doc, diagnostics = parse_yaml(path, data)
    if diagnostics or model is None or doc.data is None:
        if doc.data is None and not diagnostics and model is not None:
            diagnostics = [Diagnostic(Location(path), "file is empty",
                                      "see the editors' guide in the README for the format")]
        return ParsedFile(doc, None, diagnostics)
    found, problems = validated(doc, model, doc.data, ())
    return ParsedFile(doc, found, problems)


def _outside(rel: str) -> bool:
    return rel.startswith("../") or rel == ".." or posixpath.isabs(rel)


def _decode(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _renamed(problems: list[Diagnostic], old: str, new: str) -> list[Diagnostic]:
    """Messages about a pair file's 'pair' field, which the checks of an
    extract's 'countries' found."""
    return [Diagnostic(p.location, p.message.replace(f"'{old}'", f"'{new}'"), p.hint, p.severity)
            for p in problems]
