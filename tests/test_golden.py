"""Golden output: the first corpus renders to exactly the committed Markdown, feeds and data.

Run `python -m pytest tests/test_golden.py --update-goldens` after an intended
change, and review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import shutil

from conftest import REPO

from generator import generate

GOLDEN = REPO / "tests/golden"


def test_first_corpus_matches_the_golden_files(update_goldens: bool) -> None:
    output = generate(REPO / "briefings", REPO / "templates", root="briefings")
    files = {path: output.text(path) for path in output.files}
    if update_goldens:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, text in files.items():
            target = GOLDEN / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
              for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
    assert sorted(files) == sorted(golden), "pages added or removed; rerun with --update-goldens"
    for rel, text in files.items():
        assert text == golden[rel], f"{rel} differs; rerun with --update-goldens and review the diff"
