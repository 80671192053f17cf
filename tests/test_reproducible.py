"""Same input, same site: two `mkdocs build` runs give identical trees."""

from __future__ import annotations

import filecmp
from collections.abc import Callable
from pathlib import Path

from conftest import copy_project, mkdocs_build


def build(project: Path, seed: str) -> Path:
    mkdocs_build(project, env={"SOURCE_DATE_EPOCH": "1770422400", "PYTHONHASHSEED": seed})
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
    first = build(copy_project(tmp_path / "one", data), seed="1")
    second = build(copy_project(tmp_path / "two", data), seed="2")
    assert differences(first, second) == []
