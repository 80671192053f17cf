"""The whole pipeline in one call, and the cache a rebuild may reuse."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .datadir import DataFolder
from .errors import Diagnostic, FileRefused
from .forms import Links
from .group import group_briefings
from .render import PageCache, Renderer, render_site
from .search import SearchRecord, search_records
from .settings import Limits
from .validate import ParseCache, validate_briefings


@dataclass
class BuildCache:
    """What a rebuild may reuse, everything keyed by content: parsed and
    resolved files (by their bytes), and pages (by their keys). A cache can
    therefore only save time, never change the output."""

    parsed: ParseCache = field(default_factory=ParseCache)
    pages: PageCache = field(default_factory=PageCache)
    renderers: dict[tuple[Path, str, bool], Renderer] = field(default_factory=dict)

    @staticmethod
    def one_off() -> BuildCache:
        """A cache for a single build: keeps nothing."""
        return BuildCache(ParseCache(keep=False), PageCache(keep=False))

    def renderer(self, templates_dir: Path, site_url: str, directory_urls: bool = True) -> Renderer:
        """A renderer whose compiled templates are kept between builds.

        Jinja2 reloads a template whose file changed; the renderer's
        fingerprint, part of the page cache's context, is recomputed each build.
        """
        key = (templates_dir.resolve(), site_url, directory_urls)
        if key not in self.renderers:
            self.renderers[key] = Renderer(templates_dir, site_url, directory_urls)
        else:
            self.renderers[key].refresh()
        return self.renderers[key]


@dataclass(frozen=True)
class Output:
    """Every output file (path → UTF-8 bytes) and the warnings found on the way."""

    files: dict[str, bytes]
    warnings: tuple[Diagnostic, ...]
    #: The search records of the site, made when asked for (by the search index).
    records: Callable[[], Iterable[SearchRecord]] = tuple

    def text(self, path: str) -> str:
        """One output file as text."""
        return self.files[path].decode("utf-8")


def build_site(files: Mapping[str, bytes], renderer: Renderer, *, root: str = "briefings",
               cache: BuildCache | None = None, refused: Mapping[str, FileRefused] | None = None,
               limits: Limits | None = None) -> Output:
    """Validate, group and render data files given as relative path → bytes
    (``refused``: entries of the folder that are never read, and why).

    Raises :class:`~generator.errors.BriefingError` listing every problem.
    """
    cache = cache or BuildCache.one_off()
    briefings = validate_briefings(files, root, cache.parsed, refused)
    site = group_briefings(briefings, limits)
    links = Links(renderer.directory_urls, site.home, site.wordings)
    return Output(render_site(site, renderer, cache.pages), briefings.warnings,
                  partial(search_records, site, links))


def read_data_dir(data_dir: Path) -> DataFolder:
    """The files under ``data_dir`` by POSIX path, each read when first
    looked up, and never a link (see :mod:`generator.datadir`)."""
    return DataFolder(data_dir)


def generate(data_dir: Path, templates_dir: Path, *, site_url: str = "", directory_urls: bool = True,
             cache: BuildCache | None = None, root: str | None = None,
             limits: Limits | None = None) -> Output:
    """Read ``data_dir`` and build every output file of the site, its links
    written for MkDocs' ``use_directory_urls`` as given."""
    cache = cache or BuildCache.one_off()
    folder = read_data_dir(data_dir)
    return build_site(folder, cache.renderer(templates_dir, site_url, directory_urls),
                      root=str(data_dir) if root is None else root, cache=cache, refused=folder.refused,
                      limits=limits)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run without the cyclic garbage collector, for the edges to wrap a build in.

    Loading builds hundreds of thousands of small objects that stay alive,
    and each collection would scan all of them again; the pipeline makes no
    reference cycles worth collecting while it runs.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
