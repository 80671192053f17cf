"""Shared fixtures: a tiny valid data folder, and the golden-file update flag."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

THEMES = """\
trade: {title: Trade, description: Trade and investment.}
security: {title: Security, description: Military and security matters.}
"""
COUNTRIES = """\
countries:
  RU: {name: Russia, aliases: [Russian Federation]}
  US: {name: United States, aliases: [USA, U.S., America]}
actors:
  european-union: {name: European Union, aliases: [EU]}
"""
SOURCE = """\
source:
  title: Example article
  publisher: example.org
  url: https://example.org/article
  published: 2026-02-07
extracts:
  - id: cn-ru-trade
    date: 2026-02-07
    countries: [China, Russia]
    themes: [trade]
    kind: paraphrase
    speaker: Xi Jinping
    text: Trade reached $228.1 billion in 2025.
    figures:
      - {label: China–Russia trade, value: 228.1, unit: USD billion, period: "2025"}
  - id: cn-us-security
    date: 2026-02-04
    countries: [China, USA]
    themes: [security]
    kind: paraphrase
    text: Taiwan is the most important issue.
"""
def dated_source(prefix: str, day: str) -> str:
    """The example source with ids starting ``prefix`` instead of ``cn-``, its
    first extract dated ``day``: an older extract for a pair's archive."""
    return SOURCE.replace("cn-", prefix).replace("date: 2026-02-07", f"date: {day}")


MINIMAL: dict[str, str] = {
    "themes.yml": THEMES,
    "countries.yml": COUNTRIES,
    "sources/example.yml": SOURCE,
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite tests/golden from the current output instead of comparing")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def to_files(overrides: Mapping[str, str | bytes | None] | None = None) -> dict[str, bytes]:
    """The minimal data set as path → bytes, with files replaced or (None) removed."""
    merged: dict[str, str | bytes | None] = {**MINIMAL, **(overrides or {})}
    return {path: (text if isinstance(text, bytes) else textwrap.dedent(text).encode())
            for path, text in merged.items() if text is not None}


@pytest.fixture
def make_data(tmp_path: Path) -> Callable[..., Path]:
    """Write the minimal data set (with overrides) to a folder and return it."""

    def make(overrides: Mapping[str, str | bytes | None] | None = None,
             name: str = "briefings") -> Path:
        root = tmp_path / name
        for rel, data in to_files(overrides).items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return root

    return make


def copy_project(dest: Path, data: Path | None = None) -> Path:
    """A copy of the site's sources (config, README, docs, templates) in ``dest``,
    with the repository's data or ``data`` as its briefings folder."""
    dest.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copy(REPO / "README.md", dest / "README.md")
    for folder in ("docs", "templates"):
        shutil.copytree(REPO / folder, dest / folder)
    shutil.copytree(data or REPO / "briefings", dest / "briefings")
    return dest


def mkdocs_build(project: Path, *extra: str, env: Mapping[str, str] | None = None,
                 check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build --strict` in ``project``."""
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", *extra],
                            cwd=project, capture_output=True, text=True,
                            env={**os.environ, **(env or {})})
    if check:
        assert result.returncode == 0, result.stderr
    return result
