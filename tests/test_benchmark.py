"""The benchmark runs end to end on tiny corpora (its numbers are not checked here)."""

from __future__ import annotations

import gc
import re
from pathlib import Path

from benchmarks import bench


def test_benchmark_smoke(tmp_path: Path) -> None:
    out = tmp_path / "latest.md"
    assert bench.main(["--sizes", "60", "120", "--runs", "2", "--adversarial-scale", "20",
                       "--out", str(out)]) == 0
    # The benchmark touches nothing process-wide: the garbage collector is as it was.
    assert gc.isenabled() and gc.get_freeze_count() == 0
    table = out.read_text(encoding="utf-8")
    assert "| 120 |" in table
    # Ratios 1 and 5 come with the spread of their single runs.
    spread = r" \| [0-9.]+ \| [0-9.]+–[0-9.]+ \| ≤ "
    assert re.search(r"\| 1\. generator ÷ C-loader parse at 120" + spread + "2 ", table)
    assert re.search(r"\| 5\. warm rebuild ÷ cold generator at 120" + spread.replace("≤ ", "reported"),
                     table)
    assert "| quotes not in the archive |" in table


def test_synthetic_corpus_is_valid(tmp_path: Path) -> None:
    from generator.pipeline import read_data_dir
    from generator.validate import validate_briefings

    bench.make_corpus(tmp_path / "data", 300)
    briefings = validate_briefings(read_data_dir(tmp_path / "data"), "data")
    assert len(briefings.extracts) >= 300
    assert any(len(e.pairs) > 1 for e in briefings.extracts)
    assert any(e.figures for e in briefings.extracts) and any(e.event for e in briefings.extracts)
