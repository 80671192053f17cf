"""Stage 4: the grouped site in, every output file as bytes out.

Markdown pages come from the Jinja2 templates in ``templates/``, which
insert the extracts' forms (:mod:`generator.forms`); feeds and data files
are written in Python (:mod:`generator.feeds`, :mod:`generator.data`).
:func:`render_site` makes every page of the plan (:mod:`generator.pages`),
taking from a :class:`PageCache` each page whose key is unchanged.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from jinja2.runtime import Context

from . import charts
from .data import Rows
from .errors import BriefingError, Diagnostic, Location
from .feeds import Feeds
from .formatting import format_number, long_date, plural, truncate
from .forms import KIND_LABELS, FormStore, Links
from .group import BriefingView, Disagreement, FigureRow, Site
from .languages import language_name
from .markup import html, md, md_url, meta_title, xml
from .models import Extract, Source, Subject, Theme
from .pages import Build, plan

T = TypeVar("T")

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
            md=md, url=md_url, xml=xml, html=html, meta_title=meta_title, date=long_date, num=format_number,
            kind=lambda k: KIND_LABELS[k], arrow=lambda t: TREND_ARROWS.get(t, ""),
            iso=lambda d: d.isoformat(), plural=plural, cut=truncate, language=language_name, **_INSERTS,
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
            # the page's context, in Python, for each of thousands of pages.
            # The environment's globals never change after it is made.
            found.globals = dict(found.globals)
        return found

    def page(self, template: str, /, **context: Any) -> str:
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


# Filters that insert what generator/forms.py writes, given the page's
# ``texts`` (extract forms), ``shared`` (recurring parts) and ``up`` (its
# way up to the site root). A filter is called directly; a method call in a
# template goes through Jinja2's Context.call, once per use.
@jinja2.pass_context
def _blocks(context: Context, extracts: Iterable[Extract], cited: bool = True) -> str:
    return context["texts"].blocks(extracts, cited)  # type: ignore[no-any-return]


@jinja2.pass_context
def _blocks_once(context: Context, extracts: Iterable[Extract], seen: dict[str, str], section: str) -> str:
    return context["texts"].blocks_once(extracts, seen, section)  # type: ignore[no-any-return]


@jinja2.pass_context
def _lines(context: Context, extracts: Iterable[Extract], placed: bool = False) -> str:
    # With ``placed``: on the timeline, each extract at its event's date.
    found = context["site"].placed if placed else None
    return context["texts"].lines(extracts, found)  # type: ignore[no-any-return]


@jinja2.pass_context
def _shorts(context: Context, extracts: Iterable[Extract]) -> str:
    return context["texts"].shorts(extracts)  # type: ignore[no-any-return]


def _month_chart(view: BriefingView) -> str:
    # Extracts dated by their year alone have no month to stand in.
    dates = [e.date for e in view.extracts if e.date.month]
    return charts.extracts_per_month(dates, "chart-months") if dates else ""


def _figure_charts(view: BriefingView) -> str:
    return "\n".join(charts.figure_line(label, unit, points, f"chart-figure-{i}")
                     for i, (label, unit, points) in enumerate(view.series, 1))


@jinja2.pass_context
def _figure_table(context: Context, rows: Iterable[FigureRow]) -> str:
    return context["texts"].figure_table(rows)  # type: ignore[no-any-return]


@jinja2.pass_context
def _disagreement(context: Context, note: Disagreement, full: bool = False) -> str:
    # A note about an event's date names a few sources a version; the
    # event's page names them all.
    limit = context["site"].limits.note_sources if note.event is not None and not full else 0
    return context["shared"].disagreement(note, limit, context["up"], full)  # type: ignore[no-any-return]


@jinja2.pass_context
def _source_list(context: Context, sources: Iterable[Source]) -> str:
    return context["shared"].sources(sources, context["up"])  # type: ignore[no-any-return]


@jinja2.pass_context
def _pair_rows(context: Context, rows: Iterable[tuple[Subject, tuple[Extract, ...]]], theme: Theme) -> str:
    return context["shared"].theme_pair_rows(  # type: ignore[no-any-return]
        theme, rows, context["site"].by_path, context["root"])


_INSERTS: dict[str, Callable[..., str]] = {
    "blocks": _blocks, "blocks_once": _blocks_once, "lines": _lines, "shorts": _shorts,
    "figure_table": _figure_table, "month_chart": _month_chart, "figure_charts": _figure_charts,
    "disagreement": _disagreement, "source_list": _source_list, "pair_rows": _pair_rows,
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
    """Compiled templates kept between runs in the user's temporary folder,
    keyed by each template's source, so an edited template is compiled
    afresh. Without a writable temporary folder, templates are compiled
    every run."""
    try:
        return _QuietBytecodeCache()
    except (OSError, RuntimeError):
        return None


@dataclass
class PageCache:
    """The pages of the last build, each with its key, for a rebuild to reuse
    (``mkdocs serve``); a cache that does not ``keep`` is a one-off build's.

    Keys are values (:mod:`generator.pages`), and everything every page
    depends on is the ``context``: any change to the templates, the site
    URL or the data files other than sources starts afresh. A stale page
    can therefore never be shown.
    """

    keep: bool = True
    context: str = ""
    pages: dict[str, tuple[Hashable, bytes]] = field(default_factory=dict)
    #: The data files' rows of each extract (see :class:`generator.data.DataFiles`).
    rows: Rows = field(default_factory=dict)


def render_site(site: Site, renderer: Renderer, cache: PageCache | None = None) -> dict[str, bytes]:
    """Every output file of the site: path relative to the site root → UTF-8 bytes.

    Pages are kept as bytes as soon as they are made: most hold a character
    beyond Latin-1 (an en dash in a pair's name), which makes Python store a
    text at two bytes a character.
    """
    cache = cache if cache is not None else PageCache(keep=False)
    links = Links(renderer.directory_urls, site.home, site.wordings)
    forms = FormStore(links, site.limits.forms_kept)
    context = f"{site.briefings.context}:{renderer.fingerprint}"
    same = cache.keep and cache.context == context
    kept = cache.pages if same else {}
    build = Build(site, renderer, links, Feeds(renderer.site_url, links), forms, cache.rows if same else None,
                  cache.keep)
    pages: dict[str, bytes] = {}
    keyed: dict[str, tuple[Hashable, bytes]] = {}
    for page in plan(build):
        if page.path in pages:
            # Validation gives every page a name of its own; this would be a
            # page silently replacing another.
            raise BriefingError([Diagnostic(Location(page.path), "two pages would be written at this path",
                                            "rename one of the themes, events, sources or actors it names")])
        if not cache.keep:
            pages[page.path] = _encoded(page.make())
            continue
        key, found = page.key(), kept.get(page.path)
        if found is None or found[0] != key:
            found = (key, _encoded(page.make()))
        # The new key, equal to a kept one: the keys of one build share
        # their parts, and so hold them once.
        keyed[page.path], pages[page.path] = (key, found[1]), found[1]
    if cache.keep:
        # Only once every page is made: a build that fails half-way leaves the
        # next one comparing with the last complete build.
        # Rows no page needed this build are the kept ones, still those of every extract.
        rows = build.data.made or (cache.rows if same else {})
        cache.context, cache.pages, cache.rows = context, keyed, rows
    return dict(sorted(pages.items()))


def _encoded(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


def _fingerprint(templates_dir: Path, settings: str) -> str:
    h = hashlib.blake2b(settings.encode(), digest_size=16)
    for path in sorted(templates_dir.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(templates_dir).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _template_location(exc: Exception, templates_dir: Path, fallback: str) -> Location:
    tb = exc.__traceback__
    found = Location(str(templates_dir / fallback))
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.startswith(str(templates_dir)):
            found = Location(name, tb.tb_lineno)
        tb = tb.tb_next
    return found

