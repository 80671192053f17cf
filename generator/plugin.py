"""The MkDocs plugin ``briefings``: adds the generated pages to the build in memory.

A thin adapter: it reads the data folder, calls the pipeline, and hands
each output file to MkDocs with ``File.generated``. Nothing is written into
the docs folder.

* ``mkdocs build`` validates the data before MkDocs touches the site
  folder (``on_pre_build`` runs before MkDocs cleans it), so a build that
  fails leaves the last good site as it was.
* ``mkdocs serve`` keeps serving while the data has errors: every page
  shows them in a banner, over the last good build (or, before there is
  one, on error pages at the navigation's addresses), until a save fixes
  them. It watches the data and templates folders without following links.
"""

from __future__ import annotations

import contextlib
import html
import logging
import os
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import click
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers.polling import PollingObserverVFS

from .errors import BriefingError, Diagnostic, Location
from .pagefind import PART_RECORDS, SearchIndexer
from .pipeline import BuildCache, Output, gc_paused, generate
from .rawblocks import Packed, put_back, set_aside

log = logging.getLogger("mkdocs.plugins.briefings")

class BriefingsConfig(Config):
    """Options of the ``briefings`` plugin in ``mkdocs.yml``."""

    data_dir = c.Type(str, default="briefings")
    """Folder with themes.yml, countries.yml, sources/ and pairs/, relative to mkdocs.yml."""
    templates_dir = c.Type(str, default="templates")
    """Folder with the Jinja2 templates of the generated pages, relative to mkdocs.yml."""
    search = c.Type(bool, default=True)
    """Index the extracts and bottom lines for search (Pagefind), into ``pagefind/`` under the site."""
    search_part_records = c.Type(int, default=PART_RECORDS)
    """Records in each part of the search index: a reader's first search loads the first part
    (the bottom lines and the newest extracts), and older parts when asked for."""
    set_aside_html = c.Type(bool, default=True)
    """Set the generated pages' raw HTML aside while MkDocs converts their Markdown (see
    ``generator.rawblocks``); off, MkDocs and Python-Markdown parse it as any page's."""


class _GeneratedFile(File):
    """A generated file that knows whether its content changed since the last
    build of the same ``mkdocs serve`` process: ``mkdocs serve --dirty``
    rebuilds only the pages that did."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed


class BriefingsPlugin(BasePlugin[BriefingsConfig]):
    """Generate the briefing pages from the YAML data during the build.

    It has ``on_startup``, so MkDocs keeps the one instance for every
    rebuild of a ``mkdocs serve`` process, and with it the cache.
    ``mkdocs serve --clean`` starts as ``build`` does, and rebuilds from
    scratch each time, as it asks. Under ``mkdocs serve --dirty``, MkDocs
    rebuilds only the generated files whose content changed.
    """

    def __init__(self) -> None:
        # mkdocs-material's plugins print a banner about MkDocs 2 on every
        # build. This project pins MkDocs below 2, so the notice does not
        # apply. MkDocs makes the plugins in the order mkdocs.yml lists them,
        # this one first, so this runs before theirs are loaded.
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        #: What a rebuild reuses; nothing for a one-off build.
        self.cache = BuildCache.one_off()
        self.serving = False
        #: The files of the last good build, under ``mkdocs serve``.
        self.written: dict[str, bytes] = {}
        #: This build's output, from on_pre_build to on_files.
        self.output: Output | None = None
        #: The problems of this build's data, shown on every page while serving.
        self.problems: tuple[Diagnostic, ...] = ()
        #: Whether every page must be made again (it shows errors, or did).
        self.remake_all = False
        self.watcher: PollingObserverVFS | None = None
        self.indexer = SearchIndexer()
        #: Each page's raw HTML blocks, from its Markdown to its written page.
        self.blocks: dict[str, Packed] = {}
        #: What marks this build's placeholders for the blocks (see generator.rawblocks).
        self.block_key = secrets.token_hex(8)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Keep parsed files and rendered pages between the rebuilds of
        ``mkdocs serve`` (keyed by content, so never stale), and the build
        output to what an editor needs to read."""
        if command == "serve":
            self.cache = BuildCache()
            self.serving = True
            self.indexer = SearchIndexer(keep=True)

    def on_shutdown(self) -> None:
        """Stop watching the data."""
        if self.watcher is not None:
            self.watcher.stop()

    def _dirs(self, config: MkDocsConfig) -> tuple[Path, Path]:
        base = Path(config.config_file_path or ".").parent
        return base / self.config.data_dir, base / self.config.templates_dir

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Validate and generate, before MkDocs cleans the site folder."""
        part_records = self.config.search_part_records
        if isinstance(part_records, bool) or part_records < 1:
            raise PluginError("briefings: search_part_records in mkdocs.yml must be 1 or more")
        had_problems = bool(self.problems)
        self.output, self.problems, self.blocks = None, (), {}
        self.block_key = secrets.token_hex(8)
        try:
            self.output = self._generate(config)
            if self.output.warnings and config.strict and not self.serving:
                # Strict mode would stop the build at the warnings, after
                # MkDocs had cleaned the site folder: stop it before.
                raise BriefingError(self.output.warnings)
            if self.config.search:
                # Pagefind indexes in a process of its own while MkDocs builds the pages.
                self.indexer.part_records = self.config.search_part_records
                self.indexer.start(self.output.records)
        except BriefingError as exc:
            if not self.serving:
                raise PluginError(f"the briefings data has problems:\n{exc.report()}") from None
            self.problems = exc.diagnostics
            # Not through MkDocs' log: in strict mode a logged error would
            # abort the build, and the preview would stop answering.
            click.echo(f"ERROR    -  briefings data has errors; every page shows them until they are "
                       f"fixed:\n{exc.report()}", err=True)
            if not self.written:
                # Before a first good build, the docs' links to generated pages
                # lead nowhere: warnings that would stop the preview showing
                # the errors. (The serve command reads mkdocs.yml anew for
                # every build, so the next one checks links again.)
                links = config.validation.links
                links.not_found = links.anchors = links.unrecognized_links = logging.DEBUG
        self.remake_all = had_problems or bool(self.problems)

    def _generate(self, config: MkDocsConfig) -> Output:
        data_dir, templates_dir = self._dirs(config)
        if not data_dir.is_dir():
            raise PluginError(f"briefings: the data folder {data_dir} does not exist; "
                              "set the plugin's data_dir in mkdocs.yml")
        try:
            with gc_paused():
                return generate(data_dir, templates_dir, site_url=config.site_url or "",
                                directory_urls=config.use_directory_urls, cache=self.cache,
                                root=self.config.data_dir)
        except OSError as exc:
            raise BriefingError([Diagnostic(Location(str(exc.filename or data_dir)),
                                            f"cannot read the data: {exc.strerror or exc}")]) from None

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Add every generated page and file: this build's, or while the data
        has errors, the last good build's (or error pages)."""
        if self.output is not None:
            for diagnostic in self.output.warnings:
                log.warning(diagnostic.format())
            generated = self.output.files
        else:
            generated = self.written or _error_pages(config, files, self.problems)
        last = self.written
        for path, content in generated.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"docs/{path} would be replaced by a generated page; rename it")
            file = cast(_GeneratedFile, _GeneratedFile.generated(config, path, content=content))
            # A page the cache reused is the very same bytes, which compare at once.
            file.changed = self.remake_all or last.get(path) != content
            files.append(file)
        if self.remake_all:
            for made in files:
                # Every page shows the banner, or must lose it: made again.
                made.is_modified = _always  # type: ignore[method-assign]
        if self.output is not None and self.cache.pages.keep:
            self.written = self.output.files
        self.output = None
        return files

    def on_build_error(self, *, error: Exception) -> None:
        """Drop what a build that stopped had begun: its search index and raw HTML."""
        self.indexer.abandon()
        self.blocks = {}

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the search index into the built site."""
        if not self.config.search:
            return
        try:
            self.indexer.finish(Path(config.site_dir))
        except BriefingError as exc:
            raise PluginError(f"the search index was not made:\n{exc.report()}") from None

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        """Set a generated page's raw HTML aside while MkDocs converts its
        Markdown and until it writes the page."""
        if self.config.set_aside_html and isinstance(page.file, _GeneratedFile):
            markdown, blocks = set_aside(markdown, self.block_key)
            self.blocks[page.file.src_uri] = Packed.of(blocks)
            # MkDocs has read the page and never reads it again: its bytes
            # would otherwise stay in memory until every page is written.
            page.file.content_bytes = b""
        return markdown

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Put the raw HTML back into the written page; while the data has
        errors, put them at the top of every page."""
        packed = self.blocks.pop(page.file.src_uri, None)
        if packed is not None:
            output = put_back(output, packed.blocks(), self.block_key)
        if not self.problems:
            return output
        return _with_banner(output, self.problems, stale=bool(self.written))

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig,
                 builder: Any) -> LiveReloadServer:
        """Rebuild when the data or the templates change; links are not followed."""
        folders = self._dirs(config)
        self.watcher = _watch_without_links(server, folders)
        log.info("Watching the briefings data and templates without following links: "
                 + ", ".join(f"'{folder}'" for folder in folders))
        return server


def _always() -> bool:
    return True


def _error_pages(config: MkDocsConfig, files: Files, problems: tuple[Diagnostic, ...]) -> dict[str, bytes]:
    """A page at each address of the navigation the generator would make,
    saying the data has errors: before the first good build of a preview."""
    page = (b"---\ntitle: The briefings data has errors\n---\n\n# The briefings data has errors\n\n"
            b"The pages are made once the errors listed above are fixed.\n")
    return {path: page for path in _nav_paths(config.nav or []) if files.get_file_from_path(path) is None}


def _nav_paths(nav: Any) -> Iterator[str]:
    if isinstance(nav, str):
        if nav.endswith(".md"):
            yield nav
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_paths(value)
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_paths(item)


_BANNER_STYLE = ("position:sticky;top:0;z-index:1000;margin:0;padding:0.8rem 1rem;background:#fff0f0;"
                 "color:#5c0000;border-bottom:3px solid #b00020;font:0.8rem/1.45 system-ui,sans-serif;"
                 "max-height:50vh;overflow:auto")


def _with_banner(page_html: str, problems: tuple[Diagnostic, ...], stale: bool) -> str:
    """``page_html`` with the problems in a banner at the top of its body,
    every character of them escaped."""
    errors = sum(1 for p in problems if p.severity == "error")
    note = ("This page is from the last build without errors." if stale else
            "The site is built once they are fixed.")
    items = "".join(f"<pre style=\"margin:0.4rem 0;white-space:pre-wrap\">{html.escape(p.format())}</pre>"
                    for p in problems)
    banner = (f'<div id="briefings-errors" role="alert" style="{_BANNER_STYLE}">'
              f"<strong>The briefings data has {errors} error{'s' if errors != 1 else ''}.</strong> "
              f"{note} Fix them and save: this page reloads.{items}</div>")
    start = page_html.find("<body")
    end = page_html.find(">", start) + 1 if start >= 0 else 0
    return page_html[:end] + banner + page_html[end:]


class _Rebuild(FileSystemEventHandler):
    """Asks the preview server for a rebuild when a file changes."""

    def __init__(self, server: LiveReloadServer) -> None:
        self.server = server

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        # What LiveReloadServer.watch's own handler does (MkDocs 1.6).
        condition: threading.Condition = self.server._rebuild_cond
        with condition:
            self.server._want_rebuild = True
            condition.notify_all()


def _watch_without_links(server: LiveReloadServer, folders: tuple[Path, ...]) -> PollingObserverVFS | None:
    """Poll ``folders`` as MkDocs polls the docs, but with ``lstat``: a link
    is a file that changes when it is replaced, never a way into another
    folder (two links to their own folders made MkDocs' watcher grow
    without end). Falls back to MkDocs' own watch where the server lacks
    the hook this needs."""
    if not hasattr(server, "_rebuild_cond") or not hasattr(server, "_want_rebuild"):
        for folder in folders:
            server.watch(str(folder))
        return None
    observer = PollingObserverVFS(stat=os.lstat, listdir=os.scandir, polling_interval=0.5)
    handler = _Rebuild(server)
    for folder in folders:
        with contextlib.suppress(OSError):
            observer.schedule(handler, str(folder), recursive=True)
    observer.daemon = True
    observer.start()
    return observer
