"""The command line: build --out (atomic, no stale pages), validate, schema, new."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import yaml
from conftest import REPO, SOURCE

from generator.schema import json_schema


def run(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, **(env or {})})


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def build(data: Path, out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return run("build", "--out", str(out), "--data-dir", str(data),
               "--templates-dir", str(REPO / "templates"), env=env)


def test_build_writes_pages_feeds_and_data(make_data: Callable[..., Path], tmp_path: Path) -> None:
    result = build(make_data(), tmp_path / "out")
    assert result.returncode == 0, result.stderr
    files = tree(tmp_path / "out")
    assert {"index.md", "pairs/china-russia.md", "pairs/china-united-states.md", "feed.xml",
            "pairs/china-russia/feed.xml", "data/briefings.json", "data/extracts.csv",
            "themes/trade.md", "sources/example.md", "countries/russia.md"} <= set(files)


def test_build_is_byte_identical_whatever_the_hash_seed_or_file_order(
        make_data: Callable[..., Path], tmp_path: Path) -> None:
    extra = SOURCE.replace("cn-", "zz-").replace("example.org/article", "example.org/z")
    first = make_data({"sources/zzz.yml": extra}, name="one")
    # The same files written in the opposite order (directory order differs).
    second = tmp_path / "two"
    for rel in sorted((p.relative_to(first) for p in first.rglob("*") if p.is_file()), reverse=True):
        (second / rel).parent.mkdir(parents=True, exist_ok=True)
        (second / rel).write_bytes((first / rel).read_bytes())
    assert build(first, tmp_path / "a", PYTHONHASHSEED="1").returncode == 0
    assert build(second, tmp_path / "b", PYTHONHASHSEED="2").returncode == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_deleted_source_leaves_no_stale_pages(make_data: Callable[..., Path], tmp_path: Path) -> None:
    extra = SOURCE.replace("cn-", "zz-").replace("[China, Russia]", "[Iran, Russia]")
    data = make_data({"sources/zzz.yml": extra})
    out = tmp_path / "out"
    assert build(data, out).returncode == 0
    assert (out / "sources/zzz.md").exists() and (out / "pairs/iran-russia.md").exists()
    (data / "sources/zzz.yml").unlink()
    assert build(data, out).returncode == 0
    assert not (out / "sources/zzz.md").exists()
    assert not (out / "pairs/iran-russia.md").exists()
    assert "zz-" not in (out / "data/briefings.json").read_text()


def test_failed_build_leaves_the_output_untouched(make_data: Callable[..., Path], tmp_path: Path) -> None:
    data = make_data()
    out = tmp_path / "out"
    assert build(data, out).returncode == 0
    (out / "keep.txt").write_text("mine")
    before = tree(out)
    (data / "sources/example.yml").write_text(SOURCE.replace("[China, Russia]", "[China, Rusia]"))
    result = build(data, out)
    assert result.returncode == 1
    assert "error: unknown country 'Rusia'" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefings", "out"]


def test_validate_exit_codes(make_data: Callable[..., Path]) -> None:
    data = make_data()
    ok = run("validate", str(data))
    assert ok.returncode == 0, ok.stderr
    assert "2 extracts from 1 source, 0 warnings" in ok.stderr
    (data / "themes.yml").write_text("trade: {title: Trade}\n")
    bad = run("validate", str(data))
    assert bad.returncode == 1
    assert bad.stderr.splitlines()[0].endswith("themes.yml:1:8: error: missing required field 'description'")
    assert "Traceback" not in bad.stderr


def test_committed_schema_is_current() -> None:
    committed = json.loads((REPO / "briefings/schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "run: python -m generator schema"


def test_schema_accepts_the_corpus_and_rejects_bad_data() -> None:
    jsonschema = __import__("pytest").importorskip("jsonschema")
    schema = json_schema()
    for path in sorted((REPO / "briefings/sources").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        # JSON Schema sees dates as text, the way our loader keeps them.
        jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)
    bad = {"source": {"title": "t", "publisher": "p", "url": "ftp://x"}, "extracts": []}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(bad))


def test_source_files_point_editors_at_the_schema() -> None:
    for path in sorted((REPO / "briefings/sources").glob("*.yml")):
        assert path.read_text(encoding="utf-8").startswith(
            "# yaml-language-server: $schema=../schema.json\n"), path


def test_new_scaffolds_a_valid_source_and_refuses_to_overwrite(make_data: Callable[..., Path]) -> None:
    data = make_data()
    args = ["new", "--url", "https://example.org/x", "--title", "Finnish president visits Beijing",
            "--publisher", "example.org", "--data-dir", str(data)]
    first = run(*args)
    assert first.returncode == 0, first.stderr
    created = data / "sources/finnish-president-visits-beijing.yml"
    text = created.read_text(encoding="utf-8")
    assert f"accessed: {dt.date.today().isoformat()}" in text
    assert "#   - id: finnish-president-visits-1" in text
    validated = run("validate", str(data))
    assert validated.returncode == 0, validated.stderr
    assert "source 'finnish-president-visits-beijing' has no extracts" in validated.stderr
    second = run(*args)
    assert second.returncode == 1
    assert "already exists" in second.stderr
    assert created.read_text(encoding="utf-8") == text
    # A source's page is named after its file, in whatever sub-folder it is.
    moved = data / "sources/2026" / created.name
    moved.parent.mkdir()
    created.rename(moved)
    again = run(*args)
    assert again.returncode == 1
    assert f"{moved} already exists" in again.stderr
    assert not created.exists()
    # A URL validation would reject makes no file.
    ftp = run(*[arg.replace("https://example.org/x", "ftp://example.org/x") for arg in args[:-2]],
              "--name", "by-ftp", "--data-dir", str(data))
    assert ftp.returncode == 2
    assert "Invalid value for '--url': 'ftp://example.org/x' is not an http(s) URL" in ftp.stderr
    assert not (data / "sources/by-ftp.yml").exists()


def test_the_starter_files_commented_fields_are_the_formats() -> None:
    import yaml

    from generator.cli import scaffold
    from generator.models import ExtractEntry, SourceEntry

    text = scaffold("https://example.org/x", "Modi meets Xi", "example.org", dt.date(2025, 8, 31))
    lines = text.splitlines()
    source = yaml.safe_load("\n".join(
        line.replace("  # ", "  ", 1) if line.startswith("  # ") and ":" in line else line
        for line in lines[:lines.index("extracts: []")]))["source"]
    assert set(source) == set(SourceEntry.model_fields) - {"archive"}
    source.update(revision_of="earlier-version", published="2025-08-31", updated="2025-09-01")
    SourceEntry.model_validate(source)
    example = "\n".join(line[2:].replace("    # ", "    ", 1) if line.startswith("#     # ") else line[2:]
                        for line in lines[lines.index("# extracts:"):])
    entry = yaml.safe_load(example)["extracts"][0]
    assert set(entry) == set(ExtractEntry.model_fields) - {"pairs", "speaker_native"}
    entry.update(same_as="another-extract", translation="editor")
    ExtractEntry.model_validate(entry)
