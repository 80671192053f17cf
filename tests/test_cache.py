"""Warm rebuilds reuse work only where content is unchanged: never stale output."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import REPO, SOURCE, THEMES, copy_project, dated_source, to_files

from generator import BuildCache, Limits, build_site


def build(files: dict[str, bytes], cache: BuildCache, limits: Limits | None = None) -> dict[str, str]:
    output = build_site(files, cache.renderer(REPO / "templates", ""), cache=cache, limits=limits)
    return {path: output.text(path) for path in output.files}


def test_edit_then_revert_a_source_file() -> None:
    cache = BuildCache()
    original = to_files()
    cold = build(original, BuildCache())
    assert build(original, cache) == cold

    edited = to_files({"sources/example.yml": SOURCE.replace("228.1", "300.5")})
    warm = build(edited, cache)
    assert warm == build(edited, BuildCache())
    assert "300.5" in warm["pairs/china-russia.md"] and "228.1" not in warm["pairs/china-russia.md"]
    assert "300.5" in warm["sources/example.md"] and "300.5" in warm["data/briefings.json"]

    reverted = build(original, cache)
    assert reverted == cold
    assert "300.5" not in "".join(reverted.values())


def test_changes_outside_sources_reach_every_page() -> None:
    cache = BuildCache()
    build(to_files(), cache)
    renamed = to_files({"themes.yml": THEMES.replace("title: Trade", "title: Commerce")})
    warm = build(renamed, cache)
    assert warm == build(renamed, BuildCache())
    assert '<a href="../../themes/trade/">Commerce</a>' in warm["pairs/china-russia.md"]


def test_added_and_removed_files() -> None:
    cache = BuildCache()
    extra = SOURCE.replace("cn-", "zz-").replace("[China, Russia]", "[Iran, Russia]")
    with_extra = build(to_files({"sources/zzz.yml": extra}), cache)
    assert "pairs/iran-russia.md" in with_extra
    without = build(to_files(), cache)
    assert "pairs/iran-russia.md" not in without
    assert without == build(to_files(), BuildCache())


def test_a_broken_edit_fails_and_the_fix_recovers() -> None:
    import pytest

    from generator import BriefingError

    cache = BuildCache()
    build(to_files(), cache)
    with pytest.raises(BriefingError):
        build(to_files({"sources/example.yml": SOURCE.replace("[China, Russia]", "[China, Rusia]")}), cache)
    assert build(to_files(), cache) == build(to_files(), BuildCache())


def test_an_edited_template_is_used_on_the_next_build(tmp_path: Path) -> None:
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    cache = BuildCache()
    renderer = cache.renderer(templates, "")
    first = build_site(to_files(), renderer, cache=cache).text("timeline/index.md")
    page = templates / "timeline.md.j2"
    page.write_text(page.read_text(encoding="utf-8").replace("# Timeline", "# Chronology"))
    again = build_site(to_files(), cache.renderer(templates, ""), cache=cache).text("timeline/index.md")
    assert first.startswith("# Timeline") and again.startswith("# Chronology")


def test_a_one_off_build_equals_a_cached_one() -> None:
    from generator import generate

    kept = generate(REPO / "briefings", REPO / "templates", cache=BuildCache(), root="briefings")
    # A tiny bound makes the one-off build drop and remake extract forms often.
    one_off = generate(REPO / "briefings", REPO / "templates", root="briefings", limits=Limits(forms_kept=3))
    assert one_off.files == kept.files


def test_a_renamed_source_reaches_the_archive_page_that_cites_it() -> None:
    limits = Limits(pair_latest=1)
    older = dated_source("zz-", "2025-11-15")
    cache = BuildCache()
    build(to_files({"sources/older.yml": older}), cache, limits)
    renamed = to_files({"sources/older.yml": older.replace("title: Example article", "title: Renamed")})
    warm = build(renamed, cache, limits)
    assert '#zz-ru-trade" title="Renamed">example.org</a>' in warm["pairs/china-russia/2025.md"]
    assert warm == build(renamed, BuildCache(), limits)


#: Small pages, so that a 400-extract corpus splits pages and fills archives.
SMALL = Limits(pair_latest=3, archive_page=2, archive_month=2, timeline_page=5, top_pairs=3,
               latest_in_timeline=5)


def series_of_edits(tmp_path: Path) -> Iterator[dict[str, bytes]]:
    """The files of a 400-extract corpus, then after each of a series of
    edits of every kind."""
    from benchmarks.bench import make_corpus

    make_corpus(tmp_path, 400)
    original = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in tmp_path.rglob("*.yml")}
    one, two, three = (original[f"sources/source-0000{n}.yml"].decode() for n in (1, 2, 3))
    first_pair = next(line for line in three.splitlines() if line.startswith("    countries: "))
    other_pair = next(line for line in one.splitlines() if line.startswith("    countries: "))
    edits: list[dict[str, str | None]] = [
        {"sources/source-00001.yml": one.replace("title: Synthetic article 1", "title: Renamed")},
        # An extract moves back in time: into a pair's archive, another month's pages.
        {"sources/source-00002.yml": two.replace("    date: ", "    date: 2019-01-01\n    x: ", 1)
         .replace("\n    x: " + two.split("    date: ", 1)[1].split("\n", 1)[0], "")},
        {"sources/source-00003.yml": three.replace(first_pair, other_pair, 1)},
        {"sources/source-00002.yml": None},
        {"sources/source-00003.yml": three.replace("value: ", "value: 1", 1)},
        # A new file whose extracts open new pairs.
        {"sources/source-new.yml": one.replace("source-00001", "source-new").replace("id: ", "id: new-")
         .replace(other_pair, "    countries: [Iceland, Tonga]")},
        {},
    ]
    files = dict(original)
    yield files
    for edit in edits:
        files = dict(original) if not edit else files
        for path, text in edit.items():
            if text is None:
                files.pop(path)
            else:
                files[path] = text.encode()
        yield files


def test_every_warm_rebuild_of_a_series_of_edits_equals_a_cold_build(tmp_path: Path) -> None:
    cache = BuildCache()
    for files in series_of_edits(tmp_path):
        assert build(files, cache, SMALL) == build(files, BuildCache(), SMALL)


def test_grouping_is_a_function_of_the_validated_data(tmp_path: Path) -> None:
    from generator.group import group_briefings
    from generator.validate import ParseCache, validate_briefings

    parsed = ParseCache()
    for files in series_of_edits(tmp_path):
        briefings = validate_briefings(files, cache=parsed)
        assert group_briefings(briefings, SMALL) == group_briefings(validate_briefings(files), SMALL)


def test_fifty_rebuilds_keep_memory_flat(tmp_path: Path) -> None:
    import gc
    import tracemalloc

    from benchmarks.bench import make_corpus

    make_corpus(tmp_path / "data", 1_000)
    # Traced from before the files are read, so that what a rebuild frees of
    # the files it replaced counts as much as what it allocates.
    tracemalloc.start()
    files = {p.relative_to(tmp_path / "data").as_posix(): p.read_bytes()
             for p in (tmp_path / "data").rglob("*.yml")}
    sources = sorted(path for path in files if path.startswith("sources/"))
    cache = BuildCache()
    renderer = cache.renderer(REPO / "templates", "")
    sizes = []
    for n in range(51):
        # Each rebuild edits a different file, as an editor's saves do.
        path = sources[n % len(sources)]
        files[path] = files[path].replace(b"title: Synthetic article", b"title: Edited article", 1)
        build_site(files, renderer, cache=cache)
        gc.collect()
        sizes.append(tracemalloc.get_traced_memory()[0])
    tracemalloc.stop()
    assert max(sizes[1:]) <= sizes[1] * 1.05, " ".join(f"{s / 2**20:.2f}" for s in sizes)


def test_compiled_templates_are_kept_between_runs_and_follow_edits(tmp_path: Path) -> None:
    import shutil

    from generator import generate

    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    first = generate(REPO / "briefings", templates).text("timeline/index.md")
    page = templates / "timeline.md.j2"
    page.write_text(page.read_text(encoding="utf-8").replace("# Timeline", "# Chronology"))
    # A new run, as a second `mkdocs build` would be: compiled templates come
    # from the cache, keyed by each template's source.
    again = generate(REPO / "briefings", templates).text("timeline/index.md")
    assert first.startswith("# Timeline") and again.startswith("# Chronology")


def test_a_build_without_a_usable_temporary_folder_compiles_templates_each_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from generator import generate
    from generator.render import Renderer

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    assert Renderer(REPO / "templates").env.bytecode_cache is None
    assert generate(REPO / "briefings", REPO / "templates").files


@pytest.mark.parametrize(("command", "keeps"), [("serve", True), ("build", False), ("gh-deploy", False)])
def test_the_plugin_keeps_a_cache_only_for_mkdocs_serve(command: str, keeps: bool) -> None:
    from generator.plugin import BriefingsPlugin

    plugin = BriefingsPlugin()
    plugin.on_startup(command=command, dirty=False)
    # A one-off build keeps nothing: no memory held while MkDocs renders.
    assert plugin.cache.parsed.keep is keeps and plugin.cache.pages.keep is keeps


def test_mkdocs_serve_dirty_rebuilds_only_the_pages_whose_content_changed(
        make_data: Callable[..., Path], tmp_path: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    project = copy_project(tmp_path / "project", make_data())
    config = load_config(str(project / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=True)

    def modified() -> set[str]:
        # As MkDocs calls them: the pages are made before the site folder is cleaned.
        config.plugins.on_pre_build(config=config)
        return {f.src_uri for f in config.plugins.on_files(Files([]), config=config) if f.is_modified()}

    everything = modified()
    assert {"pairs/china-russia.md", "sources/example.md", "data/briefings.json"} <= everything
    assert modified() == set()
    source = project / "briefings/sources/example.yml"
    source.write_text(source.read_text(encoding="utf-8").replace("228.1", "300.5"), encoding="utf-8")
    changed = modified()
    assert {"pairs/china-russia.md", "sources/example.md", "data/briefings.json"} <= changed
    assert "pairs/china-united-states.md" not in changed and changed < everything
