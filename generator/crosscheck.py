"""The checks across files, each a function of what the files hold, returning
the problems it finds: ids used twice, page names that collide, themes and
events no extract uses, files the build does not read, and names in
countries.yml that could pass for others."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping

from .countries import lookalike_problem
from .errors import Diagnostic, Location
from .loader import Document, Loc
from .models import CountriesFile, Group, Pair, slug_problem
from .resolve import ResolvedSource, Vocabulary

THEMES_FILE = "themes.yml"
COUNTRIES_FILE = "countries.yml"
EVENTS_FILE = "events.yml"
GROUPS_FILE = "groups.yml"
SOURCES_DIR = "sources"
PAIRS_DIR = "pairs"
#: Files of the data folder that are not data: the build neither reads them
#: nor warns about them.
IGNORED_FILES = frozenset({"schema.json", "README.md", ".gitkeep", ".gitignore"})
_YAML_SUFFIXES = (".yml", ".yaml")


def data_files(paths: Iterable[str], folder: str) -> list[str]:
    """The YAML files anywhere under ``folder`` (editors may sort a large
    archive's sources into sub-folders, by year say), in sorted order.
    Hidden files are not data files."""
    return sorted(p for p in paths if p.startswith(folder + "/") and p.endswith(_YAML_SUFFIXES)
                  and not any(part.startswith(".") for part in p.split("/")))


def duplicate_ids(resolved: Iterable[ResolvedSource]) -> list[Diagnostic]:
    """Extract ids must be unique across files: each id used again, where."""
    first: dict[str, Location] = {}
    problems = []
    for file in resolved:
        for extract_id, where in file.ids:
            if extract_id in first:
                problems.append(Diagnostic(
                    where, f"duplicate extract id '{extract_id}' (first used at {first[extract_id]})",
                    "extract ids must be unique across all files"))
            else:
                first[extract_id] = where
    return problems


def page_names(section: str, what: str, items: Iterable[tuple[str, str, Location]]) -> list[Diagnostic]:
    """Page names (slug, name, place) must be non-empty, not reserved, short
    enough for a file name, and distinct ignoring case: each item is a thing
    of its own."""
    seen: dict[str, str] = {}
    problems = []
    for slug, name, where in sorted(items, key=lambda item: (item[0], item[2], item[1])):
        problem = slug_problem(slug)
        if problem:
            problems.append(Diagnostic(where, f"{what} '{name}' {problem}", "rename it"))
            continue
        folded = slug.casefold()
        if folded in seen:
            problems.append(Diagnostic(where, f"{what} '{name}' and '{seen[folded]}' both get the page name "
                                       f"'{slug}'", "rename one of them"))
        seen.setdefault(folded, name)
    return problems


def pair_pages(resolved: Iterable[ResolvedSource]) -> list[Diagnostic]:
    """Two pairs of different countries whose names give one page name."""
    pairs: dict[str, tuple[Pair, Location]] = {}
    problems = []
    for file in resolved:
        for pair, where in file.pairs.values():
            first = pairs.setdefault(pair.slug, (pair, where))
            if (first[0].a.slug, first[0].b.slug) != (pair.a.slug, pair.b.slug):
                problems.append(Diagnostic(
                    where, f"pairs '{pair.title}' and '{first[0].title}' both get the page name "
                    f"'{pair.slug}' ('{first[0].title}' is named at {first[1]})",
                    "rename one of the countries or actors in countries.yml"))
    return problems


def group_pages(resolved: Iterable[ResolvedSource]) -> list[Diagnostic]:
    """Each group's page name: two groups of different countries must not
    share one, and it must make a file name."""
    groups: dict[str, tuple[Group, Location]] = {}
    problems = []
    for file in resolved:
        for group, where in file.groups.values():
            first = groups.setdefault(group.slug, (group, where))
            if first[0].members != group.members:
                problems.append(Diagnostic(
                    where, f"groups '{group.title}' and '{first[0].title}' both get the page name "
                    f"'{group.slug}' ('{first[0].title}' is named at {first[1]})",
                    "name one of them in groups.yml"))
    for slug, (group, where) in sorted(groups.items()):
        problem = slug_problem(slug)
        if problem:
            problems.append(Diagnostic(where, f"group '{group.title}' {problem}",
                                       "name the group in groups.yml, with a shorter slug"))
    return problems


def same_as(resolved: Iterable[ResolvedSource]) -> list[Diagnostic]:
    """Each ``same_as`` names an extract that exists."""
    files = list(resolved)
    ids = {extract_id for file in files for extract_id, _ in file.ids}
    return [Diagnostic(file.same_as_at.get(e.id, e.location),
                       f"'same_as' names extract '{e.same_as}', which does not exist",
                       "give the id of the extract with the other wording of the same remark")
            for file in files for e in file.extracts if e.same_as and e.same_as not in ids]


def revisions(resolved: Iterable[ResolvedSource]) -> list[Diagnostic]:
    """Each ``revision_of`` names another source, and no chain of versions
    comes back to where it started."""
    files = {file.source.slug: file for file in resolved if file.source is not None}
    sources = {slug: file.source for slug, file in files.items() if file.source is not None}
    looped = _in_loops({slug: source.revision_of for slug, source in sources.items()})
    problems = []
    for slug, source in sorted(sources.items()):
        if not source.revision_of:
            continue
        where = files[slug].revision_at or Location(source.path)
        if source.revision_of not in sources:
            problems.append(Diagnostic(
                where, f"'revision_of' names source '{source.revision_of}', which does not exist",
                "give the file name, without .yml, of the earlier version"))
            continue
        if slug in looped:
            problems.append(Diagnostic(where, "'revision_of' goes round in a circle back to this source",
                                       "each version names the one before it; the first names none"))
    return problems


def _in_loops(following: Mapping[str, str]) -> set[str]:
    """The keys from which following ``following`` comes back to where it
    started; each key is walked once."""
    done: set[str] = set()
    looped: set[str] = set()
    for start in following:
        path: list[str] = []
        index: dict[str, int] = {}
        key = start
        while key in following and key not in done and key not in index:
            index[key] = len(path)
            path.append(key)
            key = following[key]
        if key in index:
            looped.update(path[index[key]:])
        done.update(path)
    return looped


def unused(vocabulary: Vocabulary, resolved: list[ResolvedSource], parsed: Mapping[str, object],
           shown: Callable[[str], str]) -> list[Diagnostic]:
    """Themes and events no extract names, and sources without extracts."""
    used_themes = frozenset().union(*[file.theme_slugs for file in resolved])
    used_events = frozenset().union(*[file.event_slugs for file in resolved])
    problems = []
    for name, what, defined, used, hint in (
            (THEMES_FILE, "theme", vocabulary.themes, used_themes, "use it in an extract or remove it"),
            (EVENTS_FILE, "event", vocabulary.events, used_events, "refer to it with 'event:' or remove it")):
        document = getattr(parsed.get(name), "document", None)
        for slug in sorted(set(defined) - used):
            where = document.locate((slug,), key=True) if document else Location(shown(name))
            problems.append(Diagnostic(where, f"{what} '{slug}' has no extracts", hint, "warning"))
    for file in resolved:
        if file.source is not None and not file.extracts:
            problems.append(Diagnostic(Location(file.source.path),
                                       f"source '{file.source.slug}' has no extracts",
                                       "add extracts or remove the file", "warning"))
    return problems


def unread_files(files: Iterable[str], read: set[str], shown: Callable[[str], str]) -> list[Diagnostic]:
    """A file the build does not read is most likely misplaced: its extracts
    would be missing from the site without a word."""
    paths = list(files)
    data = {THEMES_FILE, COUNTRIES_FILE, EVENTS_FILE, GROUPS_FILE, *data_files(paths, SOURCES_DIR),
            *data_files(paths, PAIRS_DIR)}
    problems = []
    for rel in paths:
        if rel in data or rel in read or posixpath.basename(rel) in IGNORED_FILES:
            continue
        if rel.endswith("/"):
            message = "folder is not read"
            hint = "hidden folders are not part of the data; move what it holds out of it"
        elif rel.lower().endswith(_YAML_SUFFIXES):
            message, hint = "file is not read", (
                f"the data files are {THEMES_FILE}, {COUNTRIES_FILE}, {EVENTS_FILE}, {GROUPS_FILE} and the "
                "files under "
                f"{SOURCES_DIR}/ and {PAIRS_DIR}/, named .yml or .yaml, not hidden")
        else:
            message, hint = "file is not read", ("besides the YAML data files, the build reads only the "
                                                 "archives that sources name with 'archive:'")
        problems.append(Diagnostic(Location(shown(rel)), message, hint, "warning"))
    return problems


def lookalike_names(document: Document, config: CountriesFile) -> list[Diagnostic]:
    """Warnings for names in countries.yml that could pass for other names."""
    found = []
    for section, entries in (("countries", config.countries), ("actors", config.actors)):
        for key, entry in entries.items():
            spellings: list[tuple[Loc, str]] = [((section, key, "name"), entry.name)] if entry.name else []
            spellings += [((section, key, "aliases", i), alias) for i, alias in enumerate(entry.aliases)]
            for loc, spelling in spellings:
                problem = lookalike_problem(spelling)
                if problem:
                    found.append(Diagnostic(document.locate(loc), f"'{spelling}' {problem}",
                                            "retype the name in one script, without invisible characters",
                                            "warning"))
    return found
