"""Stage 4: the grouped site in, every output file as text out.

Markdown pages come from the Jinja2 templates in ``templates/``; the Atom
feeds and the data files (JSON, CSV) are built here. The result maps a path
relative to the site root (``pairs/china-russia.md``) to its content, with
paths in sorted order so output is deterministic.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from jinja2.runtime import Context

from .errors import BriefingError, Diagnostic, Location
from .group import Disagreement, EventView, PairView, Site, format_number, long_date
from .markup import md, md_url, meta_title, xml
from .models import Extract, Pair, Source, Theme
from .snippets import (
    CSV_HEADER,
    KIND_LABELS,
    ROOT,
    URL_ROOT,
    DataRows,
    ExtractForms,
    ExtractTexts,
    Links,
    SharedParts,
    plural,
    truncate,
)

T = TypeVar("T")
V = TypeVar("V")

#: Namespace for the Atom entry ids when no site URL is configured.
_FEED_NAMESPACE = uuid.UUID("6f1c1c52-58e4-4d0e-9a43-2d2c1f7a9b11")
#: Extracts in the site's feed, and in each pair's feed.
FEED_SIZE = 50
PAIR_FEED_SIZE = 20
#: How many extracts' forms a one-off build keeps at a time. Most extracts
#: appear on several pages; keeping their forms saves making them again,
#: and the bound keeps memory flat however large the corpus: a few
#: kilobytes an extract.
ONE_OFF_FORMS = 12_000

#: Sources a "sources disagree" note names for each version of an event's
#: date, outside the event's page: an event reported by hundreds of sources
#: would otherwise fill every briefing that mentions it.
NOTE_SOURCES = 8

TREND_ARROWS = {"improving": "↗", "steady": "→", "deteriorating": "↘"}


class Renderer:
    """One Jinja2 environment over a templates folder, built once."""

    def __init__(self, templates_dir: Path, site_url: str = "", directory_urls: bool = True) -> None:
        self.templates_dir = templates_dir
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        #: MkDocs' ``use_directory_urls``: how the pages' HTML links are written.
        self.directory_urls = directory_urls
        #: Changes whenever a template, the site URL or the URL style does.
        self.fingerprint = _fingerprint(templates_dir, self._settings())
        self._templates: dict[str, jinja2.Template] = {}
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir)),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            # Markdown output: HTML autoescaping would not stop Markdown links or
            # emphasis; the `md` filter escapes for Markdown (and HTML) instead.
            autoescape=False,  # noqa: S701
            # Templates are checked for changes once per build (refresh), not
            # once per page rendered.
            auto_reload=False,
            bytecode_cache=_bytecode_cache(),
        )
        self.env.filters.update(
            md=md, url=md_url, xml=xml, meta_title=meta_title, date=long_date, num=format_number,
            kind=lambda k: KIND_LABELS[k], arrow=lambda t: TREND_ARROWS.get(t, ""),
            iso=lambda d: d.isoformat(), plural=plural, cut=truncate, **_INSERTS,
        )

    def refresh(self) -> None:
        """Take note of changed templates before a rebuild."""
        fingerprint = _fingerprint(self.templates_dir, self._settings())
        if fingerprint != self.fingerprint:
            if self.env.cache is not None:
                self.env.cache.clear()
            self._templates.clear()
            self.fingerprint = fingerprint

    def _settings(self) -> str:
        return f"{self.site_url}\n{self.directory_urls}"

    def template(self, name: str) -> jinja2.Template:
        """Load a template, reporting syntax errors with its name and line."""
        # Kept here as well as in Jinja2's cache, whose lookups take a lock:
        # a build looks a template up for each of its thousands of pages.
        found = self._templates.get(name)
        if found is None:
            found = self._templates[name] = self.guard(name, lambda: self.env.get_template(name))
            # Its globals (Jinja2's range, dict...) as a plain dict rather than
            # a ChainMap over the environment's, which each render copies into
            # the page's context: 6 µs a page in Python, 1.5 µs as a dict.
            # The environment's globals never change after it is made.
            found.globals = dict(found.globals)
        return found

    def page(self, template: str, **context: Any) -> str:
        """Render one template."""
        return self.guard(template, lambda: self.template(template).render(**context))

    def guard(self, template: str, action: Callable[[], T]) -> T:
        """Run ``action``, turning template errors into a :class:`BriefingError`."""
        try:
            return action()
        except BriefingError:
            raise
        except jinja2.TemplateSyntaxError as exc:
            raise BriefingError([Diagnostic(
                Location(str(self.templates_dir / (exc.name or template)), exc.lineno or 1),
                f"template syntax error: {exc.message}")]) from None
        except jinja2.TemplateError as exc:
            raise BriefingError([Diagnostic(_template_location(exc, self.templates_dir, template),
                                            f"template error: {exc}")]) from None


# Filters that insert what generator/snippets.py writes, given the page's
# ``texts`` (extract forms), ``shared`` (recurring parts) and ``root``. A
# filter is called directly; a method call in a template goes through
# Jinja2's Context.call, which cost 1.4 µs a call, a twentieth of a page.
@jinja2.pass_context
def _blocks(context: Context, extracts: Iterable[Extract], cited: bool = True) -> str:
    return context["texts"].blocks(extracts, cited)  # type: ignore[no-any-return]


@jinja2.pass_context
def _blocks_once(context: Context, extracts: Iterable[Extract], seen: dict[str, str], section: str) -> str:
    return context["texts"].blocks_once(extracts, seen, section)  # type: ignore[no-any-return]


@jinja2.pass_context
def _lines(context: Context, extracts: Iterable[Extract]) -> str:
    return context["texts"].lines(extracts)  # type: ignore[no-any-return]


@jinja2.pass_context
def _shorts(context: Context, extracts: Iterable[Extract]) -> str:
    return context["texts"].shorts(extracts)  # type: ignore[no-any-return]


@jinja2.pass_context
def _figure_rows(context: Context, extracts: Iterable[Extract]) -> str:
    return context["texts"].figure_rows(extracts)  # type: ignore[no-any-return]


@jinja2.pass_context
def _disagreement(context: Context, note: Disagreement, full: bool = False) -> str:
    # A note about an event's date names a few sources a version; the
    # event's page names them all.
    limit = NOTE_SOURCES if note.event is not None and not full else 0
    return context["shared"].disagreement(note, limit)  # type: ignore[no-any-return]


@jinja2.pass_context
def _source_list(context: Context, sources: Iterable[Source]) -> str:
    return context["shared"].sources(sources)  # type: ignore[no-any-return]


@jinja2.pass_context
def _pair_rows(context: Context, rows: Iterable[tuple[Pair, tuple[Extract, ...]]], theme: Theme) -> str:
    return context["shared"].theme_pair_rows(  # type: ignore[no-any-return]
        theme, rows, context["site"].by_slug, context["root"])


_INSERTS: dict[str, Callable[..., str]] = {
    "blocks": _blocks, "blocks_once": _blocks_once, "lines": _lines, "shorts": _shorts,
    "figure_rows": _figure_rows, "disagreement": _disagreement, "source_list": _source_list,
    "pair_rows": _pair_rows,
}


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja2's cache of compiled templates, which a build never fails over."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs in the user's temporary folder.

    Compiling the templates takes 0.1 s, a twentieth of a build of 10,000
    extracts; loading them compiled takes 5 ms. Entries are keyed by each
    template's source, so an edited template is compiled afresh. Without a
    writable temporary folder, templates are compiled every run.
    """
    try:
        return _QuietBytecodeCache()
    except (OSError, RuntimeError):
        return None


@dataclass
class RenderCache:
    """Rendered pages and extract forms kept between builds (``mkdocs serve``).

    A page is reused only when the key of everything it shows is unchanged:
    its extracts (each identified by id and the hash of its source file),
    disagreements and counts. Any change to templates, the site URL or the
    non-source data files (themes, countries, events, pair summaries) starts
    afresh, so a stale page can never be shown.
    """

    context: str = ""
    forms: dict[Hashable, ExtractForms] = field(default_factory=dict)
    #: What each extract looks like on a page, by id (see render_pages).
    looks: dict[str, tuple[str, str, tuple[str, ...]]] = field(default_factory=dict)
    #: The pair views the looks were made from, by slug.
    views: dict[str, PairView] = field(default_factory=dict)
    #: Each extract's JSON object and CSV rows, by id, with the extract they were made from.
    rows: dict[str, tuple[Extract, bytes, bytes]] = field(default_factory=dict)
    #: The "sources disagree" notes of the last build, by content.
    notes: dict[Hashable, str] = field(default_factory=dict)
    #: What was derived from each view, by kind and the view's id (see _per_view).
    derived: dict[tuple[str, int], tuple[object, Any]] = field(default_factory=dict)
    new_forms: dict[Hashable, ExtractForms] = field(default_factory=dict)
    #: Each page: the view it shows (if it shows one), the ids of its
    #: extracts, its key and its bytes.
    pages: dict[str, tuple[object, frozenset[str], Hashable, bytes]] = field(default_factory=dict)
    #: Each pair's pages (briefing, feed, archive) as they were made for the view in ``views``.
    pair_pages: dict[str, list[tuple[str, bytes]]] = field(default_factory=dict)
    #: The first and last page of every month, newest first (see render_pages).
    month_heads: tuple[tuple[str, str], ...] = ()
    #: False for a one-off build: pages are not kept.
    keep: bool = True


def render_pages(site: Site, renderer: Renderer, cache: RenderCache | None = None) -> dict[str, bytes]:
    """Every output file of the site: path relative to the site root → UTF-8 text.

    Pages are kept as UTF-8 bytes as soon as they are rendered: most pages
    hold a character beyond Latin-1 (an en dash in a pair's name), which
    makes Python store the whole text at two bytes a character.
    """
    cache = cache if cache is not None else RenderCache()
    context = f"{site.briefings.context}:{renderer.fingerprint}"
    if cache.context != context:
        cache.context, cache.forms, cache.pages, cache.rows, cache.looks = context, {}, {}, {}, {}
        cache.views, cache.derived, cache.notes, cache.pair_pages = {}, {}, {}, {}
        cache.month_heads = ()
    # What each extract looks like on a page: its id, the content hash of its
    # source file, and the pages its pair links point to. Pages and forms are
    # reused only while all of this is unchanged.
    # A one-off build keeps nothing, so it needs no keys.
    looks, changed, touched = _looks(site, cache) if cache.keep else ({}, set(), set())

    def keys(extracts: Iterable[Extract]) -> Hashable:
        return tuple([looks[e.id] for e in extracts]) if looks else None

    # A note's key, made once per build: a note about an event is on the
    # page of every pair and archive page with an extract reporting it.
    note_keys: dict[int, Hashable] = {}

    def notes_key(disagreements: Iterable[Disagreement]) -> Hashable:
        found = []
        for d in disagreements:
            key = note_keys.get(id(d))
            if key is None:
                key = note_keys[id(d)] = _note_key(d)
            found.append(key)
        return tuple(found)

    cache.new_forms = {}
    links = Links(_entry_id(renderer.site_url), site.home, renderer.directory_urls)
    rooted = partial(_rooted, directory_urls=renderer.directory_urls)
    texts = _extract_forms(links, cache, looks)
    pages: dict[str, bytes] = {}

    keep = cache.keep

    def unchanged(path: str, view: object) -> bytes | None:
        # The page as the last build made it, if it showed this very view and
        # none of its extracts looks different.
        cached = cache.pages.get(path)
        if cached is not None and cached[0] is view and changed.isdisjoint(cached[1]):
            return cached[3]
        return None

    def page(path: str, key: Callable[[], Hashable], render: Callable[[], str],
             view: object = None, extracts: Sequence[Extract] = ()) -> None:
        # ``key`` describes everything the page shows; a one-off build never
        # compares keys, so it does not make them. A page that shows one view
        # and nothing else (a pair's, a source's, an event's, a month's) is
        # reused without a key while the grouping reused the view (the very
        # same object) and none of its extracts looks different (a link
        # target moved).
        if path in pages:
            # Validation gives every page a name of its own; this would be a
            # page silently replacing another.
            raise BriefingError([Diagnostic(Location(path), "two pages would be written at this path",
                                            "rename one of the themes, events, sources or actors it names")])
        if not keep:
            pages[path] = rooted(render(), path)
            return
        if view is not None and (found := unchanged(path, view)) is not None:
            pages[path] = found
            return
        cached = cache.pages.get(path)
        made = key()
        if cached is not None and cached[2] == made:
            pages[path] = cached[3]
            cache.pages[path] = (view, cached[1], made, cached[3])
        else:
            pages[path] = rooted(render(), path)
            cache.pages[path] = (view, frozenset([e.id for e in extracts]), made, pages[path])

    # The data files first: memory is lowest before the pages accumulate.
    extracts, data = site.briefings.extracts, DataRows()
    if keep:
        json_rows, csv_rows = _kept_rows(extracts, cache, data)
    else:
        made = [data.rows(e) for e in extracts]
        json_rows, csv_rows = [row[0] for row in made], [row[1] for row in made]
        del made
    derived = _per_view(cache)
    pages["data/briefings.json"] = render_json(site, json_rows, partial(derived, "json"))
    pages["data/extracts.csv"] = render_csv(csv_rows)
    del json_rows, csv_rows
    shared = SharedParts(links, cache.notes if keep else None)
    top: dict[str, Any] = {"site": site, "root": "", "texts": texts, "shared": shared}
    nested: dict[str, Any] = {**top, "root": "../"}
    # The index pages summarise everything; their keys are the summaries.
    b = site.briefings

    def pair_rows() -> Hashable:
        return tuple([derived("row", v, _pair_row) for v in site.pairs])

    def theme_rows() -> Hashable:
        return tuple((v.theme.slug, v.count, len(v.by_pair)) for v in site.themes)

    sections: dict[str, Callable[[], Hashable]] = {
        "pairs": pair_rows,
        "themes": theme_rows,
        "countries": lambda: tuple((v.country.slug, len(v.pairs), v.count) for v in site.countries),
        "sources": lambda: tuple((v.source.slug, v.source.digest, len(v.extracts), v.verified)
                                 for v in site.sources),
        "events": lambda: tuple([derived("row", v, _event_row) for v in site.events]),
    }
    page("index.md", lambda: (pair_rows(), theme_rows(), keys(site.latest), len(b.sources),
                              tuple(c.slug for c in site.matrix), tuple(v.pair.slug for v in site.top_pairs)),
         lambda: renderer.page("index.md.j2", **top))
    page("timeline/index.md",
         lambda: (tuple((m.slug, len(m.extracts), site.month_pages[m.slug][0].slug) for m in site.timeline),
                  keys(e for m in site.timeline_latest for e in m.extracts)),
         lambda: renderer.page("timeline.md.j2", **nested))
    for section, key in sections.items():
        page(f"{section}/index.md", key, partial(renderer.page, f"{section}.md.j2", **nested))
    # Each month's pages link the months before and after it, at the page
    # next in time: the newer month's oldest part, the older month's newest.
    # While every month's first and last pages are as in the last build, so
    # are all these links.
    months = [site.month_pages[m.slug] for m in site.timeline]
    heads = tuple([(pages[0].slug, pages[-1].slug) for pages in months])
    same_months = heads == cache.month_heads
    for index, parts in enumerate(months):
        newer = months[index - 1][-1] if index > 0 else None
        older = months[index + 1][0] if index + 1 < len(months) else None
        around = tuple((m.slug, m.part_of or m.title) if m else None for m in (newer, older))
        for part in parts:
            page(f"timeline/{part.slug}.md",
                 lambda: (keys(part.extracts), tuple((p.slug, p.title) for p in parts), around),
                 partial(renderer.page, "month.md.j2", month=part, parts=parts, newer=newer, older=older,
                         **nested),
                 parts if same_months else None, part.extracts)
    pair_pages = {}
    for view in site.pairs:
        slug = view.pair.slug
        # Most pairs are as they were: the very same view, none of whose
        # extracts looks different. Their pages are taken in one go.
        kept = cache.pair_pages.get(slug)
        if kept is not None and cache.views.get(slug) is view and slug not in touched:
            pages.update(kept)
            pair_pages[slug] = kept
            continue
        paths = [f"pairs/{slug}.md", f"pairs/{slug}/feed.xml", *[f"pairs/{slug}/{m.slug}.md"
                                                                 for m in view.archive]]
        page(paths[0],
             lambda: (keys(view.shown), len(view.extracts), view.first,
                      notes_key(view.disagreements), tuple(e.event.slug for e in view.events),
                      tuple((m.slug, len(m.extracts)) for m in view.archive), len(view.sources),
                      tuple((s.slug, s.digest) for s in view.shown_sources)),
             partial(renderer.page, "pair.md.j2", view=view, **nested), view, view.shown)
        for index, month in enumerate(view.archive):
            newer, older = view.neighbours(index)
            notes = view.archive_notes[index]
            page(paths[2 + index],
                 lambda: (keys(month.extracts), len(view.shown), newer and newer.slug,
                          older and older.slug, newer and newer.title, older and older.title,
                          notes_key(notes)),
                 partial(renderer.page, "pair_archive.md.j2", view=view, page=month, newer=newer,
                         older=older, notes=notes, **{**nested, "root": "../../"}),
                 view, month.extracts)
        feed = view.extracts[:PAIR_FEED_SIZE]
        page(paths[1], lambda: keys(feed), partial(
            render_feed, renderer, texts, feed, title=f"{view.pair.title} briefing",
            path=paths[1], page=links.url(f"pairs/{slug}"), pair=view.pair), view, feed)
        if keep:
            pair_pages[slug] = [(path, pages[path]) for path in paths]
    for theme in site.themes:
        slug = theme.theme.slug

        def rows() -> Hashable:
            return derived("rows", theme, lambda view: tuple(
                (p.slug, len(items), items[0].date, slug in site.by_slug[p.slug].theme_slugs)
                for p, items in view.by_pair))

        page(f"themes/{slug}.md",
             lambda: (keys(theme.latest), theme.count, tuple(p.slug for p, _ in theme.top), rows()),
             partial(renderer.page, "theme.md.j2", view=theme, **nested), theme, theme.latest)
        if len(theme.by_pair) > len(theme.top):
            page(f"themes/{slug}/pairs.md", rows, partial(
                renderer.page, "theme_pairs.md.j2", view=theme, **{**nested, "root": "../../"}), theme)
    for country in site.countries:
        page(f"countries/{country.country.slug}.md",
             lambda: (tuple([derived("row", v, _pair_row) for v in country.pairs]),
                      tuple((t.slug, n) for t, n in country.themes)),
             partial(renderer.page, "country.md.j2", view=country, **nested))
    for source in site.sources:
        page(f"sources/{source.source.slug}.md", lambda: (source.source.digest, keys(source.extracts)),
             partial(renderer.page, "source.md.j2", view=source, **nested), source, source.extracts)
    for event in site.events:
        page(f"events/{event.event.slug}.md",
             lambda: (keys(event.extracts), notes_key(event.disagreements)),
             partial(renderer.page, "event.md.j2", view=event, **nested), event, event.extracts)
    page("feed.xml", lambda: keys(site.briefings.extracts[:FEED_SIZE]), partial(
        render_feed, renderer, texts, site.briefings.extracts[:FEED_SIZE], title="Briefings",
        path="feed.xml", page="./" if renderer.directory_urls else "index.html"))
    cache.pages = {path: cache.pages[path] for path in pages if path in cache.pages}
    cache.forms, cache.new_forms = cache.new_forms, {}
    if keep:
        # Only once every page is made: a build that fails half-way leaves
        # the next one comparing with the last complete build.
        cache.looks, cache.views, cache.notes = looks, site.by_slug, shared.notes
        cache.pair_pages, cache.month_heads = pair_pages, heads
    return dict(sorted(pages.items()))


def _rooted(text: str, path: str, directory_urls: bool = True) -> bytes:
    """The page at ``path`` as UTF-8, its extracts' links starting at its way up
    to the site root: from its file for Markdown links, from its URL for
    HTML links. Replaced in the bytes, once per page: four times faster
    than in the text, which an en dash makes two bytes a character."""
    data = text.encode("utf-8")
    if _ROOT in data:
        data = data.replace(_ROOT, b"../" * path.count("/"))
    if _URL_ROOT in data:
        # With directory URLs, a page other than an index is the index of a
        # folder of its own: pairs/china-russia.md is pairs/china-russia/.
        index = path == "index.md" or path.endswith("/index.md")
        depth = path.count("/") + (directory_urls and not index)
        data = data.replace(_URL_ROOT, b"../" * depth)
    return data


_ROOT, _URL_ROOT = ROOT.encode("utf-8"), URL_ROOT.encode("utf-8")


def _extract_forms(links: Links, cache: RenderCache,
                   looks: Mapping[str, Hashable]) -> ExtractTexts:
    """Every extract's forms (see :mod:`generator.snippets`), made when a page
    first needs them.

    For rebuilds the forms are kept and reused while the extract, its source
    file and the pages it links to are unchanged. A one-off build keeps at
    most ONE_OFF_FORMS at a time: keeping every form of 100,000 extracts
    would cost more memory than the pages themselves.
    """
    made: dict[str, ExtractForms] = {}
    if not cache.keep:

        def make(e: Extract) -> ExtractForms:
            if len(made) >= ONE_OFF_FORMS:
                made.clear()
            found = made[e.id] = ExtractForms(e, links)
            return found

        return ExtractTexts(made, make)
    old, new = cache.forms, cache.new_forms

    def reuse(e: Extract) -> ExtractForms:
        # Looked up when a page needs it: a rebuild renders few pages.
        key = looks[e.id]
        found = old.get(key) if e.source.digest else None
        new[key] = made[e.id] = found = found or ExtractForms(e, links)
        return found

    return ExtractTexts(made, reuse)


def _looks(site: Site, cache: RenderCache,
           ) -> tuple[dict[str, tuple[str, str, tuple[str, ...]]], set[str], set[str]]:
    """Each extract's id, source digest and the pages its pair links point to;
    the ids of the extracts that look different than in the last build, and
    the slugs of their pairs.

    A look equal to the last build's is that very object, so comparing the
    keys of an unchanged page (tuples of looks) mostly compares identities.
    Only new extracts and those on pages that moved can look different: a
    changed extract is a new object, which makes new views of its pairs;
    a reused view's pages are where they were.
    """
    home, old, old_views = site.home, cache.looks, cache.views
    looks = dict(old) if old and old_views else {}
    changed, touched = set(), set()
    for view in site.pairs:
        old_view = old_views.get(view.pair.slug) if looks else None
        if old_view is view:
            continue
        extracts: Sequence[Extract] = view.extracts
        if old_view is not None and old_view.homes == view.homes:
            # Every page of the pair where it was: only new extracts can look new.
            seen = set(map(id, old_view.extracts))
            extracts = [e for e in extracts if id(e) not in seen]
        for e in extracts:
            look = (e.id, e.source.digest, tuple([home(p, e) for p in e.pairs]))
            before = old.get(e.id)
            if before is not None and before == look:
                looks[e.id] = before
            else:
                looks[e.id] = look
                changed.add(e.id)
                touched.update([p.slug for p in e.pairs])
    extracts = site.briefings.extracts
    if len(looks) != len(extracts):  # extracts were removed
        looks = {e.id: looks[e.id] for e in extracts}
    return looks, changed, touched


def _kept_rows(extracts: tuple[Extract, ...], cache: RenderCache,
               data: DataRows) -> tuple[list[bytes], list[bytes]]:
    """Each extract's JSON object and CSV rows, reusing those of the last
    build for the very same extract objects (an unchanged source file's)."""
    old = cache.rows
    new: dict[str, tuple[Extract, bytes, bytes]] = {}
    for e in extracts:
        found = old.get(e.id)
        if found is None or found[0] is not e:
            found = (e, *data.rows(e))
        new[e.id] = found
    cache.rows = new
    rows = new.values()
    return [row[1] for row in rows], [row[2] for row in rows]


def _per_view(cache: RenderCache) -> Callable[[str, V, Callable[[V], T]], T]:
    """``derived(kind, view, make)``: what ``make(view)`` derives from a view
    (its entry in the JSON file, its row in an index page's key), made once
    per build, and reused from the last build while the grouping reuses the
    view."""
    old = cache.derived
    new: dict[tuple[str, int], tuple[object, Any]] = {}
    if cache.keep:
        cache.derived = new

    def derived(kind: str, view: V, make: Callable[[V], T]) -> T:
        key = (kind, id(view))
        found = new.get(key) or old.get(key)
        value: T = found[1] if found is not None and found[0] is view else make(view)
        new[key] = (view, value)
        return value

    return derived


def _note_key(d: Disagreement) -> Hashable:
    # A note names each source by its title, which the source file's digest covers.
    return (d.subject, tuple((v.value, tuple([(s.slug, s.digest) for s in v.sources])) for v in d.versions))


def render_feed(renderer: Renderer, texts: ExtractTexts, entries: tuple[Extract, ...], *,
                title: str, path: str, page: str, pair: Pair | None = None) -> str:
    """An Atom feed of ``entries`` (newest first), the site's or ``pair``'s;
    every date comes from the data.

    Links are relative to the site root, which ``xml:base`` gives: the site
    URL when configured, else the way up from the feed's own location.
    Written here rather than by a template: a feed's format is fixed by
    RFC 4287, and a site has a feed per pair.
    """
    base = renderer.site_url or "../" * path.count("/") or "./"
    feed_id = f"{renderer.site_url}{path}" if renderer.site_url else _urn(path)
    updated = _atom_time(entries[0].date) if entries else "1970-01-01T00:00:00Z"
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="{xml(base)}">\n'
        f"  <title>{xml(title)}</title>\n"
        f"  <id>{xml(feed_id)}</id>\n"
        f"  <updated>{updated}</updated>\n"
        f'  <link rel="self" type="application/atom+xml" href="{xml(path)}"/>\n'
        f'  <link rel="alternate" type="text/html" href="{xml(page or "./")}"/>\n'
        "  <author><name>Briefings editors</name></author>\n"
        f"{texts.atoms(entries, pair)}"
        "</feed>\n"
    )


def _entry_id(site_url: str) -> Callable[[Extract], str]:
    if site_url:
        return lambda e: f"{site_url}pairs/{e.pairs[0].slug}/#{e.id}"
    return lambda e: _urn(e.id)


def _fingerprint(templates_dir: Path, settings: str) -> str:
    h = hashlib.blake2b(settings.encode(), digest_size=16)
    for path in sorted(templates_dir.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(templates_dir).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _urn(name: str) -> str:
    """``urn:uuid:`` and ``uuid.uuid5(_FEED_NAMESPACE, name)``, written from the
    SHA-1 digest directly: a third of the time, for an id per feed entry."""
    x = hashlib.sha1(_FEED_NAMESPACE.bytes + name.encode(), usedforsecurity=False).hexdigest()
    # Version 5 in the first digit of the third group; RFC 4122 variant bits
    # (10xx) in the first digit of the fourth.
    return f"urn:uuid:{x[:8]}-{x[8:12]}-5{x[13:16]}-{_VARIANT[int(x[16], 16) & 3]}{x[17:20]}-{x[20:32]}"


_VARIANT = "89ab"


def _atom_time(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def render_json(site: Site, extracts: list[bytes],
                part: Callable[[Any, Callable[[Any], str]], str] = lambda view, make: make(view)) -> bytes:
    """``data/briefings.json``: the whole validated data set, given each
    extract's JSON object (UTF-8) in order. ``part(view, make)`` may reuse
    the entries of pairs and events (see :func:`_per_view`)."""
    b = site.briefings
    head = _JSON.encode({
        "countries": [{"slug": c.slug, "name": c.name, "iso_alpha2": c.alpha2 or None,
                       "iso_alpha3": c.alpha3 or None, "actor": c.actor} for c in b.countries],
        "themes": [{"slug": t.slug, "title": t.title, "description": t.description}
                   for t in b.themes],
    })
    events = ",".join([part(v, _event_json) for v in site.events])
    sources = _JSON.encode([
        {"slug": s.slug, "title": s.title, "publisher": s.publisher, "url": s.url,
         "published": _iso(s.published), "accessed": _iso(s.accessed), "terms": s.terms or None}
        for s in b.sources])
    pairs = ",".join([part(v, _pair_json) for v in site.pairs])
    start = f'{head[:-1]},"events":[{events}],"sources":{sources},"pairs":[{pairs}],"extracts":['.encode()
    return _joined(start, extracts, b",", b"]}\n")


def _joined(start: bytes, items: list[bytes], separator: bytes, end: bytes) -> bytes:
    """``start + separator.join(items) + end``, copied once: each copy of a
    file of megabytes into a new buffer costs the memory's first touch, a
    millisecond a megabyte, against a tenth of that for the copy itself."""
    if not items:
        return start + end
    parts = [separator] * (2 * len(items) + 1)
    parts[0], parts[1:-1:2], parts[-1] = start, items, end
    return b"".join(parts)


def _pair_row(v: PairView) -> Hashable:
    # What the home page and the pair index show of a pair.
    return (v.pair.slug, len(v.extracts), len(v.sources), v.first, v.last, v.note.trend if v.note else "")


def _event_row(v: EventView) -> Hashable:
    # What the event index shows of an event.
    return (v.event.slug, len(v.sources), tuple(sorted({e.date for e in v.extracts})), bool(v.disagreements))


def _event_json(v: EventView) -> str:
    return _JSON.encode({"slug": v.event.slug, "title": v.event.title, "description": v.event.description,
                         "dates": sorted({e.date.isoformat() for e in v.extracts}),
                         "sources_disagree": bool(v.disagreements)})


def _pair_json(v: PairView) -> str:
    return _JSON.encode({"slug": v.pair.slug, "countries": [v.pair.a.slug, v.pair.b.slug],
                         "title": v.pair.title, "extracts": len(v.extracts),
                         "first": v.first.isoformat(), "last": v.last.isoformat(),
                         "trend": v.note.trend if v.note and v.note.trend else None})


def render_csv(rows: list[bytes]) -> bytes:
    """``data/extracts.csv``, given each extract's rows (one per pair, UTF-8) in order."""
    return _joined(CSV_HEADER.encode("utf-8"), rows, b"", b"")


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _template_location(exc: Exception, templates_dir: Path, fallback: str) -> Location:
    tb = exc.__traceback__
    found = Location(str(templates_dir / fallback))
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.startswith(str(templates_dir)):
            found = Location(name, tb.tb_lineno)
        tb = tb.tb_next
    return found

