"""Same input, same site: two `mkdocs build` runs give identical trees."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import REPO


def site_project(data: Path, dest: Path) -> Path:
    dest.mkdir()
    shutil.copy(REPO / "mkdocs.yml", dest)
    shutil.copy(REPO / "README.md", dest)
    shutil.copytree(REPO / "docs", dest / "docs")
    shutil.copytree(REPO / "templates", dest / "templates")
    shutil.copytree(data, dest / "briefings")
    return dest


def build(project: Path, seed: str) -> Path:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1770422400", "PYTHONHASHSEED": seed}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return project / "site"


def differences(left: Path, right: Path) -> list[str]:
    found: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.funny_files)
        # dircmp compares by stat signature first; compare contents for real.
        found.extend(prefix + n for n in cmp.common_files
                     if (Path(cmp.left) / n).read_bytes() != (Path(cmp.right) / n).read_bytes())
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return found


def test_two_builds_give_identical_sites(make_data: Callable[..., Path], tmp_path: Path) -> None:
    data = make_data()
    first = build(site_project(data, tmp_path / "one"), seed="1")
    second = build(site_project(data, tmp_path / "two"), seed="2")
    assert differences(first, second) == []
