"""The search records: what each extract is found by, where it links, and the filters."""

from __future__ import annotations

import json

from conftest import REPO

from generator import generate
from generator.forms import Links
from generator.group import Site, group_briefings
from generator.pipeline import read_data_dir
from generator.search import cjk_tokens, filter_choices, filter_token, search_records
from generator.validate import validate_briefings


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
