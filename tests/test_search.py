"""The search records: what each extract is found by, where it links, and the filters."""

from __future__ import annotations

import functools
import itertools
import json
import tempfile
from pathlib import Path

import pytest
from conftest import REPO

from generator import generate
from generator.errors import BriefingError
from generator.forms import Links
from generator.group import Site, group_briefings
from generator.pagefind import SearchIndexer, describe_parts, partition, vocabulary_page
from generator.pipeline import read_data_dir
from generator.search import (
    VOCABULARY_URL,
    SearchRecord,
    cjk_tokens,
    filter_choices,
    filter_token,
    search_records,
    vocabulary_record,
)
from generator.validate import validate_briefings
from generator.when import When, long_when


def _site() -> Site:
    folder = read_data_dir(REPO / "briefings")
    return group_briefings(validate_briefings(folder, "briefings", refused=folder.refused))


def test_chinese_is_found_from_any_character_of_a_run() -> None:
    assert cjk_tokens("孫衛東指，「14億中國人民對此絕不答應！」") == [
        "孫衛東指", "衛東指", "東指", "指", "14億中國人民對此絕", "億中國人民對此絕", "中國人民對此絕不",
        "國人民對此絕不答", "人民對此絕不答應", "民對此絕不答應", "對此絕不答應", "此絕不答應", "絕不答應",
        "不答應", "答應", "應"]
    assert cjk_tokens("Xi Jinping (习近平) said") == ["习近平", "近平", "平"]
    assert cjk_tokens("No Chinese here, 2026.") == []


def test_each_extract_is_a_record_linking_to_where_it_is_shown_in_full() -> None:
    site = _site()
    links = Links(True, site.home, site.wordings)
    records = list(search_records(site, links))
    urls = [r.url for r in records]
    assert len(urls) == len(set(urls)) == len(site.briefings.extracts) + len(site.briefings.notes)
    trade = next(r for r in records if r.url == "pairs/china-russia/#cn-ru-trade-2025")
    assert "$228.1 billion" in trade.content and "China–Russia trade 228.1 USD billion 2025" in trade.content
    assert trade.meta["kind"] == "Reported speech · Xi Jinping"
    assert trade.filters == {"country": ["China", "Russia"], "pair": ["China – Russia"],
                             "theme": ["Trade"], "kind": ["Reported speech"], "source": ["third-news.com"],
                             "event": ["Xi Jinping's call with Vladimir Putin, February 2026"],
                             "year": ["2026"]}
    assert filter_token("kind", "Reported speech") in trade.content.split()
    sun = next(r for r in records if r.url.endswith("#wj-sun-never-accept"))
    assert (sun.meta["lang"], sun.meta["original_lang"]) == ("en", "zh-Hant")
    assert "答應" in sun.content.split() and "14億中國人民對此絕" in sun.content.split()
    visits = next(r for r in records if r.url.endswith("#tn-january-visits"))
    assert json.loads(visits.meta["briefings"])[0] == [
        "China – South Korea", "pairs/china-south-korea/#tn-january-visits"]
    bottom = next(r for r in records if r.url == "pairs/china-russia/#top")
    assert bottom.meta["kind"] == "Bottom line"


def test_the_filters_are_the_datas_values_with_their_counts() -> None:
    site = _site()
    choices = filter_choices(site)
    japan = next(v for v in choices["country"] if v["value"] == "Japan")
    assert japan == {"value": "Japan", "count": 20, "token": filter_token("country", "Japan")}
    assert [v["value"] for v in choices["year"]] == ["2026", "2025"]
    assert {v["value"] for v in choices["kind"]} == {
        "Quote", "Reported speech", "Paraphrase", "Figure", "Analysis", "Bottom line"}
    tokens = [v["token"] for values in choices.values() for v in values]
    assert len(tokens) == len(set(tokens))


def test_the_filters_files_are_the_same_every_build() -> None:
    first = generate(REPO / "briefings", REPO / "templates").files
    second = generate(REPO / "briefings", REPO / "templates").files
    names = [p for p in first if p.startswith("search/")]
    assert names[0] == "search/filters.json" and "search/filters/country.json" in names
    assert all(first[p] == second[p] for p in names)
    listed = json.loads(first["search/filters.json"])["filters"]
    assert listed[0] == {"name": "country", "label": "Country", "values": 13}


def test_bottom_lines_come_first_then_the_extracts_newest_first() -> None:
    site = _site()
    records = list(search_records(site, Links(True, site.home, site.wordings)))
    notes = len([r for r in records if r.when is None])
    assert notes and all(r.meta["kind"] == "Bottom line" for r in records[:notes])
    ranks = [r.when.rank for r in records[notes:] if r.when is not None]
    assert len(ranks) == len(records) - notes and ranks == sorted(ranks, reverse=True)


def test_the_index_is_in_parts_of_the_newest_records_first() -> None:
    site = _site()
    records = list(search_records(site, Links(True, site.home, site.wordings)))
    parts = partition(records, 30)
    assert [len(p) for p in parts] == [30, 30, len(records) - 60]
    assert [r for p in parts for r in p] == records
    assert partition([], 30) == [[]]
    manifest = describe_parts(parts)
    assert [p["path"] for p in manifest] == ["", "parts/1/", "parts/2/"]
    assert sum(p["extracts"] for p in manifest) == len(site.briefings.extracts)
    for entry, part in zip(manifest, parts, strict=True):
        dated = [r.when for r in part if r.when is not None]
        assert entry["newest"] == long_when(max(dated, key=lambda w: w.rank))
        assert entry["oldest"] == long_when(min(dated, key=lambda w: w.rank))
    assert manifest[-1]["years"] == ["2025"] and "2026" in manifest[0]["years"]
    # Each part's oldest extract is no later than the next part's newest.
    ranks = [[r.when.rank for r in part if r.when is not None] for part in parts]
    assert all(min(a) >= max(b) for a, b in itertools.pairwise(ranks))


def _records(count: int, changed: int = -1) -> list[SearchRecord]:
    # An edit with words the archive has: the record of every word stays the same.
    return [SearchRecord(f"pairs/p/#x{i}", f"word{i}{' word0' if i == changed else ''}",
                         {"title": f"Extract {i}"}, {"year": ["2025"]}, When(2025, 1, 28 - i % 28))
            for i in range(count)]


def test_the_parts_are_written_into_the_site_and_a_preview_indexes_again_only_what_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    indexed: list[str] = []
    index_part = SearchIndexer._index_part

    def counted(self: SearchIndexer, part: list[SearchRecord], folder: Path) -> None:
        indexed.append(part[0].url)
        index_part(self, part, folder)

    monkeypatch.setattr(SearchIndexer, "_index_part", counted)
    indexer = SearchIndexer(keep=True, part_records=4)
    for build, records in enumerate([_records(10), _records(10, changed=5), None]):
        site = tmp_path / f"site-{build}"
        if records is not None:
            indexer.start(functools.partial(list, records))
        indexer.finish(site)
        bundle = site / "pagefind"
        assert (bundle / "pagefind.js").is_file() and (bundle / "parts/2/pagefind-entry.json").is_file()
        parts = json.loads((bundle / "parts.json").read_text(encoding="utf-8"))["parts"]
        assert [p["extracts"] for p in parts] == [4, 4, 2]
        # Each part names its record of every word, which the search never shows.
        for number, part in enumerate(parts):
            folder = bundle / part["path"] if number else bundle
            assert vocabulary_page(folder) == part["hidden"]
    # The first build indexes every part; the second only the edited one;
    # the third, while the data has errors, none.
    assert indexed == ["pairs/p/#x0", "pairs/p/#x4", "pairs/p/#x8", "pairs/p/#x4"]


def test_a_folder_the_tool_did_not_make_is_never_replaced_by_the_index(tmp_path: Path) -> None:
    mine = tmp_path / "site/pagefind/notes.txt"
    mine.parent.mkdir(parents=True)
    mine.write_text("an editor's own file")
    indexer = SearchIndexer()
    indexer.start(lambda: _records(3))
    with pytest.raises(BriefingError) as raised:
        indexer.finish(tmp_path / "site")
    [problem] = raised.value.diagnostics
    assert (problem.message, problem.hint) == (
        f"{tmp_path / 'site/pagefind'} is in the way of the search index",
        "it was not made by this tool: move it, or rename the page that makes it")
    assert mine.read_text() == "an editor's own file"


def test_a_build_that_stopped_or_failed_leaves_nothing_behind(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    folders = set(Path(tempfile.gettempdir()).glob("briefings-search-*"))
    indexer = SearchIndexer(keep=True, part_records=4)
    indexer.start(functools.partial(_records, 10))
    indexer.finish(tmp_path / "a")
    first = dict(indexer.kept)
    # A build that stops before its end (MkDocs calls abandon, or the next start does).
    indexer.start(functools.partial(_records, 10, changed=5))
    indexer.start(functools.partial(_records, 10))
    indexer.finish(tmp_path / "b")
    assert indexer.kept == first
    assert set(Path(tempfile.gettempdir()).glob("briefings-search-*")) == folders
    # A build whose indexing fails says so, once: the next, while the data has
    # errors, writes the index kept.
    def broken() -> list[SearchRecord]:
        raise KeyError("a bug")

    indexer.start(broken)
    with pytest.raises(BriefingError) as raised:
        indexer.finish(tmp_path / "c")
    assert raised.value.diagnostics[0].message == "the search index could not be made (KeyError)"
    indexer.finish(tmp_path / "d")
    assert (tmp_path / "d/pagefind/parts/2/pagefind-entry.json").is_file()
    # An older part keeps only what the search adds to the first part's scripts.
    kept = {p.name for p in (tmp_path / "d/pagefind/parts/2").iterdir()}
    meta = next(name for name in kept if name.endswith(".pf_meta"))
    assert kept == {"fragment", "index", meta, "pagefind-entry.json"}


def test_every_part_holds_every_word_of_the_archive() -> None:
    tourism = SearchRecord("pairs/p/#t", "tourism 14億中國人民 $228.1", {}, {"year": ["2024"]})
    records = [*_records(3), tourism]
    vocabulary = vocabulary_record(records)
    assert vocabulary.url == VOCABULARY_URL and vocabulary.meta == {"vocabulary": "1"}
    assert vocabulary.content.split() == sorted({w for r in records for w in r.content.split()})
    assert "tourism" in vocabulary.content.split() and "$228.1" in vocabulary.content.split()
