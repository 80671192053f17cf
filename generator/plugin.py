"""The MkDocs plugin ``briefings``: adds the generated pages to the build in memory.

A thin adapter: it reads the data folder, calls the pipeline, and hands
each output file to MkDocs with ``File.generated``. Nothing is written into
the docs folder. ``mkdocs serve`` watches the data and templates folders.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, cast

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .errors import BriefingError
from .pipeline import BuildCache, generate

log = logging.getLogger("mkdocs.plugins.briefings")

# mkdocs-material's plugins print a banner about MkDocs 2 on every build.
# This project pins MkDocs below 2, so the notice does not apply; the
# plugin is listed first in mkdocs.yml so this runs before they load.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

class BriefingsConfig(Config):
    """Options of the ``briefings`` plugin in ``mkdocs.yml``."""

    data_dir = c.Type(str, default="briefings")
    """Folder with themes.yml, countries.yml, sources/ and pairs/, relative to mkdocs.yml."""
    templates_dir = c.Type(str, default="templates")
    """Folder with the Jinja2 templates of the generated pages, relative to mkdocs.yml."""


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
        #: What a rebuild reuses; nothing for a one-off build.
        self.cache = BuildCache.one_off()
        #: The files of the last build, under ``mkdocs serve``.
        self.written: dict[str, bytes] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Keep parsed files and rendered pages between the rebuilds of
        ``mkdocs serve`` (keyed by content, so never stale), and the build
        output to what an editor needs to read."""
        if command == "serve":
            self.cache = BuildCache()
        # jieba (Chinese word segmentation for search) logs its dictionary
        # loading at INFO level on every build.
        logging.getLogger("jieba").setLevel(logging.WARNING)

    def _dirs(self, config: MkDocsConfig) -> tuple[Path, Path]:
        base = Path(config.config_file_path or ".").parent
        return base / self.config.data_dir, base / self.config.templates_dir

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Validate the data and add every generated page and file."""
        data_dir, templates_dir = self._dirs(config)
        if not data_dir.is_dir():
            raise PluginError(f"briefings: the data folder {data_dir} does not exist; "
                              "set the plugin's data_dir in mkdocs.yml")
        try:
            output = generate(data_dir, templates_dir, site_url=config.site_url or "",
                              directory_urls=config.use_directory_urls, cache=self.cache,
                              root=self.config.data_dir)
        except BriefingError as exc:
            raise PluginError(f"briefings data has errors:\n{exc.report()}") from None
        for diagnostic in output.warnings:
            log.warning(diagnostic.format())
        last = self.written
        for path, content in output.files.items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                raise PluginError(f"docs/{path} would be replaced by a generated page; rename it")
            file = cast(_GeneratedFile, _GeneratedFile.generated(config, path, content=content))
            # A page the cache reused is the very same bytes, which compare at once.
            file.changed = last.get(path) != content
            files.append(file)
        if self.cache.rendered.keep:
            self.written = output.files
        return files

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig,
                 builder: Any) -> LiveReloadServer:
        """Rebuild when the data or the templates change."""
        for folder in self._dirs(config):
            server.watch(str(folder))
        return server
