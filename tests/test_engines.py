"""The site builds the same with ProperDocs, MkDocs' maintained fork, as with MkDocs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project, mkdocs_build

#: The one line the engines write differently: their name.
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _properdocs() -> None:
    try:
        import properdocs  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("ProperDocs must be installed under CI (pip install -e '.[test]')")
        pytest.skip("ProperDocs is not installed (pip install -e '.[test]')")


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): GENERATOR.sub(b"", p.read_bytes())
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_properdocs_builds_the_same_site(tmp_path: Path) -> None:
    _properdocs()
    project = copy_project(tmp_path / "project")
    mkdocs_build(project, "-d", "by-mkdocs")
    result = subprocess.run([sys.executable, "-m", "properdocs", "build", "--strict", "-d",
                             "by-properdocs"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    by_mkdocs, by_properdocs = _files(project / "by-mkdocs"), _files(project / "by-properdocs")
    assert sorted(by_mkdocs) == sorted(by_properdocs)
    assert [path for path in by_mkdocs if by_mkdocs[path] != by_properdocs[path]] == []
