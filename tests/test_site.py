"""End to end: a real `mkdocs build --strict` of the repository's site in a temp dir."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import copy_project, mkdocs_build

TRADE_URL = "https://third-news.com/article/a7ae565c-03a6-11f1-85e0-9ca3ba0a67df"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("site") / "project")
    result = mkdocs_build(project)
    # The build log is for editors: nothing in it but MkDocs' own progress lines.
    noise = [line for line in result.stderr.splitlines() if not line.startswith("INFO")]
    assert noise == []
    return project / "site"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_pair_page_shows_the_trade_figure_with_its_source(built: Path) -> None:
    html = (built / "pairs/china-russia/index.html").read_text(encoding="utf-8")
    assert "228.1" in text_of(html)
    assert f'href="{TRADE_URL}"' in html
    assert "<h2 id=\"key-figures\">" in html


def test_china_united_states_shows_taiwan(built: Path) -> None:
    html = (built / "pairs/china-united-states/index.html").read_text(encoding="utf-8")
    assert "Taiwan" in text_of(html)
    assert f'href="{TRADE_URL}"' in html


def test_every_page_quoting_the_primary_article_links_to_it(built: Path) -> None:
    import yaml
    from conftest import REPO

    source = yaml.safe_load((REPO / "briefings/sources/third-news-xi-calls-putin-trump.yml")
                            .read_text(encoding="utf-8"))
    openings = [" ".join(e["text"].split())[:40] for e in source["extracts"]]
    pages = [p for p in built.rglob("index.html")
             if any(o in text_of(p.read_text(encoding="utf-8")) for o in openings)]
    assert len(pages) > 10
    for page in pages:
        assert f'href="{TRADE_URL}"' in page.read_text(encoding="utf-8"), page


def test_theme_and_source_pages(built: Path) -> None:
    trade = text_of((built / "themes/trade/index.html").read_text(encoding="utf-8"))
    assert "China – Russia" in trade and "228.1" in trade
    source = text_of((built / "sources/third-news-xi-calls-putin-trump/index.html")
                     .read_text(encoding="utf-8"))
    assert "third-news.com" in source and "verified" in source


def test_search_index_has_the_figure_and_taiwan(built: Path) -> None:
    index = json.loads((built / "search/search_index.json").read_text(encoding="utf-8"))
    by_page: dict[str, str] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        by_page[page] = by_page.get(page, "") + " " + doc["title"] + " " + doc["text"]
    assert "228.1" in by_page["pairs/china-russia/"]
    assert "Taiwan" in by_page["pairs/china-united-states/"]


def test_search_finds_each_extract_once_on_the_page_that_shows_it(built: Path) -> None:
    index = json.loads((built / "search/search_index.json").read_text(encoding="utf-8"))
    # Also on a source page, an event page, a theme page, the timeline and
    # the pair's own timeline, which the index leaves out.
    phrase = "Xi spoke with Trump by phone hours after the meeting with Putin"
    hits = sorted({doc["location"].split("#")[0] for doc in index["docs"] if phrase in doc["text"]})
    assert hits == ["pairs/china-united-states/"]
    # A source page is still found by its title and publisher.
    assert any(doc["location"] == "sources/china-diplomacy-khatun/" for doc in index["docs"])


def test_navigation_lists_only_index_pages(built: Path) -> None:
    html = (built / "index.html").read_text(encoding="utf-8")
    nav = re.findall(r'class="md-nav__link[^"]*"[^>]*href="([^"]+)"', html)
    assert not [href for href in nav if re.search(r"pairs/[a-z-]+-[a-z-]+/", href)]


def test_pages_link_their_feeds(built: Path) -> None:
    pair = (built / "pairs/china-russia/index.html").read_text(encoding="utf-8")
    site_feed = '<link rel="alternate" type="application/atom+xml" title="All briefings"'
    assert f'{site_feed} href="../../feed.xml">' in pair
    assert 'type="application/atom+xml" title="This briefing" href="feed.xml">' in pair
    home = (built / "index.html").read_text(encoding="utf-8")
    assert f'{site_feed} href="feed.xml">' in home
    assert (built / "pairs/china-russia/feed.xml").is_file() and (built / "feed.xml").is_file()


def test_bad_data_aborts_the_build_with_the_errors_and_no_traceback(make_data, tmp_path: Path) -> None:
    from conftest import SOURCE

    data = make_data({"sources/example.yml": SOURCE.replace("[China, Russia]", "[China, Rusia]")})
    result = mkdocs_build(copy_project(tmp_path / 'project', data), check=False)
    assert result.returncode == 1
    assert ("briefings/sources/example.yml:9:24: error: unknown country 'Rusia'\n"
            "    hint: did you mean 'Russia'?") in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "project/site").exists()


def test_warnings_fail_the_strict_build(make_data, tmp_path: Path) -> None:
    from conftest import THEMES

    data = make_data({"themes.yml": THEMES + "culture: {title: Culture, description: Unused.}\n"})
    result = mkdocs_build(copy_project(tmp_path / 'project', data), check=False)
    assert result.returncode == 1
    assert "WARNING -  briefings/themes.yml:3:1: warning: theme 'culture' has no extracts" in result.stderr


def test_a_broken_cross_link_fails_the_strict_build(make_data, tmp_path: Path) -> None:
    project = copy_project(tmp_path / 'project', make_data())
    template = project / "templates/country.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n[missing](../pairs/nowhere.md#x)\n")
    result = mkdocs_build(project, check=False)
    assert result.returncode == 1
    assert "contains a link '../pairs/nowhere.md#x'" in result.stderr
