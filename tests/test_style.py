"""The code stays as the project's settings in pyproject.toml require: ruff and mypy clean."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True)


def test_ruff_finds_nothing() -> None:
    result = run("ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing() -> None:
    # The files checked (generator, benchmarks, tests) are set in pyproject.toml.
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
