"""The README's editors' guide works as written."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def guide_example() -> str:
    match = re.search(r"```yaml\n(# yaml-language-server.*?)```", README, re.S)
    assert match is not None
    return match.group(1)


def test_quick_start_and_ci_run_the_same_test_command() -> None:
    command = "pip install -e '.[test]' && python -m pytest"
    assert command in README
    assert command in (REPO / ".ci/run").read_text(encoding="utf-8")


def test_the_guide_example_appears_in_the_site(tmp_path: Path) -> None:
    data = tmp_path / "briefings"
    shutil.copytree(REPO / "briefings", data)
    (data / "sources/example-finland-visit.yml").write_text(guide_example(), encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--out", str(out), "--data-dir", str(data),
         "--templates-dir", str(REPO / "templates")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    pair = (out / "pairs/china-finland.md").read_text(encoding="utf-8")
    assert "clean technology" in pair
    assert ('<td data-label="Figure">China–Finland trade (USD billion)</td><td data-label="Value">7.9</td>'
            in pair)
    assert "example-fi-visit-quote" in (out / "pairs/china-european-union.md").read_text(encoding="utf-8")
    assert "example-fi-visit-trade" in (out / "sources/example-finland-visit.md").read_text(encoding="utf-8")


def test_the_error_example_is_what_the_validator_prints(tmp_path: Path) -> None:
    data = tmp_path / "briefings"
    shutil.copytree(REPO / "briefings", data)
    broken = guide_example().replace("[China, Finland]", "[China, Finnland]", 1).replace(
        "[trade, diplomacy]", "[trade, diplomcy]")
    (data / "sources/example-finland-visit.yml").write_text(broken, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator", "validate", "briefings"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1
    shown = re.search(r"```text\n(.*?)```", README, re.S)
    assert shown is not None
    assert result.stderr == shown.group(1)


def test_the_worked_examples_are_the_corpus_own_lines() -> None:
    start, end = README.index("### Saying what real news says"), README.index("### When something is wrong")
    section = README[start:end]
    corpus = " ".join(" ".join(p.read_text(encoding="utf-8").split())
                      for p in sorted((REPO / "briefings").rglob("*.yml")))
    snippets = re.findall(r"```yaml\n(.*?)```", section, re.S)
    assert len(snippets) >= 7
    for snippet in snippets:
        for line in snippet.splitlines():
            # Each line of a field, as the corpus writes it, up to an elision or a comment.
            kept = re.split(r"\s+#\s|…|\.\.\.", line)[0].rstrip()
            if kept.strip() and not kept.lstrip().startswith("#"):
                assert " ".join(kept.split()) in corpus, line
