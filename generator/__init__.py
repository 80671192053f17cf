"""Briefing generator: curated news extracts in YAML → Markdown briefing pages.

The pipeline is load → validate → group → render. :func:`generate` runs it
on a data folder; :func:`build_site` runs it on file contents already in
memory. Both return every output file as text, keyed by its path.
"""

from __future__ import annotations

from .errors import BriefingError, Diagnostic, Location
from .pipeline import BuildCache, Output, build_site, gc_paused, generate, read_data_dir
from .render import PageCache, Renderer
from .settings import Limits
from .validate import ParseCache

__all__ = [
    "BriefingError",
    "BuildCache",
    "Diagnostic",
    "Limits",
    "Location",
    "Output",
    "PageCache",
    "ParseCache",
    "Renderer",
    "build_site",
    "gc_paused",
    "generate",
    "read_data_dir",
]
