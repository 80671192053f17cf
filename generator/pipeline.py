"""The whole pipeline in one call, and reading the data folder from disk."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostic
from .group import group_briefings
from .render import Renderer, render_pages
from .validate import ParseCache, validate_briefings

#: Files in the data folder that are not data.
IGNORED_FILES = frozenset({"schema.json", "README.md"})


@dataclass(frozen=True)
class Output:
    """Every output file (path → text) and the warnings found on the way."""

    files: dict[str, str]
    warnings: tuple[Diagnostic, ...]


def build_site(files: Mapping[str, bytes], renderer: Renderer, *, root: str = "briefings",
               cache: ParseCache | None = None) -> Output:
    """Validate, group and render data files given as relative path → bytes.

    Raises :class:`~generator.errors.BriefingError` listing every problem.
    """
    briefings = validate_briefings(files, root, cache)
    site = group_briefings(briefings)
    return Output(render_pages(site, renderer), briefings.warnings)


def read_data_dir(data_dir: Path) -> dict[str, bytes]:
    """Every file under ``data_dir`` (hidden files excepted), keyed by POSIX path."""
    files: dict[str, bytes] = {}
    for path in sorted(data_dir.rglob("*")):
        rel = path.relative_to(data_dir)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts) \
                and rel.as_posix() not in IGNORED_FILES:
            files[rel.as_posix()] = path.read_bytes()
    return files


def generate(data_dir: Path, templates_dir: Path, *, site_url: str = "",
             cache: ParseCache | None = None, root: str | None = None) -> Output:
    """Read ``data_dir`` and build every output file of the site."""
    return build_site(read_data_dir(data_dir), Renderer(templates_dir, site_url),
                      root=str(data_dir) if root is None else root, cache=cache)
