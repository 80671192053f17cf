"""The whole pipeline in one call, and reading the data folder from disk."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .datadir import DataFolder
from .errors import Diagnostic, FileRefused
from .group import Site, group_briefings
from .render import RenderCache, Renderer, render_pages
from .validate import ParseCache, validate_briefings


@dataclass
class BuildCache:
    """What a rebuild may reuse: parsed and resolved files, rendered pages.

    Everything is keyed by content, so a cache can only save time, never
    change the output.
    """

    parsed: ParseCache = field(default_factory=ParseCache)
    rendered: RenderCache = field(default_factory=RenderCache)
    renderers: dict[tuple[Path, str, bool], Renderer] = field(default_factory=dict)
    #: The last build's grouped site, whose unchanged views a rebuild reuses.
    grouped: Site | None = None

    @staticmethod
    def one_off() -> BuildCache:
        """A cache for a single build: keeps nothing it does not need."""
        return BuildCache(ParseCache(keep=False), RenderCache(keep=False))

    def renderer(self, templates_dir: Path, site_url: str, directory_urls: bool = True) -> Renderer:
        """A renderer whose compiled templates are kept between builds.

        Jinja2 reloads a template whose file changed; the renderer's
        fingerprint, which keys the page cache, is recomputed each build.
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

    def text(self, path: str) -> str:
        """One output file as text."""
        return self.files[path].decode("utf-8")


def build_site(files: Mapping[str, bytes], renderer: Renderer, *, root: str = "briefings",
               cache: BuildCache | None = None, refused: Mapping[str, FileRefused] | None = None) -> Output:
    """Validate, group and render data files given as relative path → bytes
    (``refused``: entries of the folder that are never read, and why).

    Raises :class:`~generator.errors.BriefingError` listing every problem.
    """
    cache = cache or BuildCache.one_off()
    with gc_paused():
        briefings = validate_briefings(files, root, cache.parsed, refused)
        # The data files are not needed past validation; when the caller passed
        # them as a temporary (as generate() does) this frees them for the pages.
        del files
        site = group_briefings(briefings, cache.grouped)
        if cache.rendered.keep:
            cache.grouped = site
        output = Output(render_pages(site, renderer, cache.rendered), briefings.warnings)
        # Dropped while the collector is still off: when it comes back, it
        # first scans every object made since it was last on that is still
        # alive, 0.1 s for the grouped site of 10,000 extracts.
        del site, briefings
        if cache.rendered.keep:
            # What a kept cache holds lives until the next build: over a million
            # objects at 10,000 extracts, which every full collection would scan
            # again (0.7 s each) while MkDocs renders or the server waits. The
            # pipeline makes no reference cycles, so refcounting frees them.
            # Frozen before the collector is back on, which would otherwise
            # start by scanning the build's new objects.
            gc.freeze()
    return output


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run without the cyclic garbage collector.

    Loading builds hundreds of thousands of small objects that stay alive,
    and each collection re-scans all of them: measured on 10,000 extracts,
    validation takes 2.0 s with the collector and 0.8 s without. The
    pipeline creates no reference cycles worth collecting mid-run.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_data_dir(data_dir: Path) -> DataFolder:
    """The files under ``data_dir`` by POSIX path, each read when first
    looked up, and never a link (see :mod:`generator.datadir`)."""
    return DataFolder(data_dir)


def generate(data_dir: Path, templates_dir: Path, *, site_url: str = "", directory_urls: bool = True,
             cache: BuildCache | None = None, root: str | None = None) -> Output:
    """Read ``data_dir`` and build every output file of the site, its links
    written for MkDocs' ``use_directory_urls`` as given."""
    cache = cache or BuildCache.one_off()
    folder = read_data_dir(data_dir)
    return build_site(folder, cache.renderer(templates_dir, site_url, directory_urls),
                      root=str(data_dir) if root is None else root, cache=cache, refused=folder.refused)
