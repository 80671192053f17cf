"""End to end: a real `mkdocs build --strict` of the repository's site in a temp dir."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

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


@pytest.fixture(scope="module")
def built_flat(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built with ``use_directory_urls: false`` (pages as ``name.html``)."""
    project = copy_project(tmp_path_factory.mktemp("flat") / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "use_directory_urls: true" in text
    config.write_text(text.replace("use_directory_urls: true", "use_directory_urls: false"), encoding="utf-8")
    mkdocs_build(project)
    return project / "site"


@pytest.fixture(scope="module", params=[True, False], ids=["directory-urls", "flat"])
def built_synthetic(request: pytest.FixtureRequest,
                    tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bool]:
    """A synthetic corpus of 600 extracts, built with and without directory
    URLs: unlike the first corpus, it has archive pages (a level deeper) and
    "sources disagree" notes that name a few sources and link to the event."""
    from benchmarks.bench import make_corpus

    root = tmp_path_factory.mktemp("synthetic")
    make_corpus(root / "briefings", 600)
    project = copy_project(root / "project", root / "briefings")
    if not request.param:
        config = project / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace(
            "use_directory_urls: true", "use_directory_urls: false"), encoding="utf-8")
    mkdocs_build(project)
    return project / "site", request.param


class _Anchors(HTMLParser):
    """The link targets and element ids of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
            elif name == "href" and value and tag in ("a", "link"):
                self.hrefs.append(value)


def broken_links(site: Path, directory_urls: bool = True) -> tuple[int, list[str]]:
    """Every link of the built site between its own pages, checked: the
    target exists and so does the one element its fragment names. MkDocs
    checks the Markdown links; this covers the HTML the generator writes too."""
    pages: dict[Path, _Anchors] = {}
    for page in site.rglob("*.html"):
        if page.name != "404.html":  # written with links from the site root
            pages[page] = found = _Anchors()
            found.feed(page.read_text(encoding="utf-8"))
    checked, broken = 0, []
    for page, found in pages.items():
        twice = sorted({i for i in found.ids if found.ids.count(i) > 1})
        if twice:
            broken.append(f"{page.relative_to(site)}: ids given twice: {twice}")
        for href in found.hrefs:
            if re.match(r"[a-z][a-z0-9+.-]*:|//", href):
                continue  # another site's page
            url, _, fragment = unquote(href).partition("#")
            target = (page.parent / url).resolve() if url else page
            if target.is_dir() and directory_urls:
                target = target / "index.html"
            checked += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {href}")
            elif fragment and target.suffix == ".html" and fragment not in pages[target].ids:
                broken.append(f"{page.relative_to(site)}: {href} (no such anchor)")
    return checked, broken


@pytest.mark.parametrize("site", ["built", "built_flat"])
def test_every_link_between_pages_reaches_its_target(site: str, request: pytest.FixtureRequest) -> None:
    checked, broken = broken_links(request.getfixturevalue(site), directory_urls=site == "built")
    assert broken == []
    assert checked > 2_000


def test_links_reach_their_targets_from_archive_pages_and_shortened_notes(
        built_synthetic: tuple[Path, bool]) -> None:
    site, directory_urls = built_synthetic
    archive = "pairs/hungary-puerto-rico/2021-02" + ("/index.html" if directory_urls else ".html")
    page = (site / archive).read_text(encoding="utf-8")
    assert "more source" in page and "Every source is listed on the page of" in page
    checked, broken = broken_links(site, directory_urls=directory_urls)
    assert broken == []
    assert checked > 10_000


def test_feeds_link_pages_as_the_site_writes_them(built: Path, built_flat: Path) -> None:
    assert '<link rel="alternate" type="text/html" href="pairs/china-russia/#cn-ru-trade-2025"/>' in (
        built / "feed.xml").read_text(encoding="utf-8")
    flat = (built_flat / "feed.xml").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="text/html" href="pairs/china-russia.html#cn-ru-trade-2025"/>' in flat
    assert '<link rel="alternate" type="text/html" href="index.html"/>' in flat
    pair = (built_flat / "pairs/china-russia/feed.xml").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="text/html" href="pairs/china-russia.html"/>' in pair


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


def test_the_search_bundle_and_its_filters_are_in_the_site(built: Path) -> None:
    assert (built / "pagefind/pagefind.js").is_file()
    assert (built / "pagefind/pagefind-entry.json").is_file()
    filters = json.loads((built / "search/filters.json").read_text(encoding="utf-8"))["filters"]
    assert [f["name"] for f in filters] == [
        "country", "pair", "group", "theme", "kind", "source", "event", "year"]
    assert all((built / f"search/filters/{f['name']}.json").is_file() for f in filters)
    # The theme's own search is gone: the extracts' search replaces it.
    assert not (built / "search/search_index.json").exists()


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


def test_bad_data_aborts_the_build_with_the_errors_and_no_traceback(make_data: Callable[..., Path],
                                                                    tmp_path: Path) -> None:
    from conftest import SOURCE

    data = make_data({"sources/example.yml": SOURCE.replace("[China, Russia]", "[China, Rusia]")})
    result = mkdocs_build(copy_project(tmp_path / 'project', data), check=False)
    assert result.returncode == 1
    assert ("briefings/sources/example.yml:9:24: error: unknown country 'Rusia'\n"
            "    hint: did you mean 'Russia'?") in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "project/site").exists()


def test_warnings_fail_the_strict_build(make_data: Callable[..., Path], tmp_path: Path) -> None:
    from conftest import THEMES

    data = make_data({"themes.yml": THEMES + "culture: {title: Culture, description: Unused.}\n"})
    project = copy_project(tmp_path / 'project', data)
    result = mkdocs_build(project, check=False)
    assert result.returncode == 1
    # Before MkDocs cleans the site folder, which a failed build leaves as it was.
    assert ("ERROR   -  the briefings data has problems:\n"
            "briefings/themes.yml:3:1: warning: theme 'culture' has no extracts\n") in result.stderr
    assert "1 warning in briefings data, which strict mode treats as errors" in result.stderr
    assert not (project / "site").exists()
    # Without strict mode, warnings are logged and the site built.
    result = mkdocs_build(project, "--no-strict", check=False)
    assert result.returncode == 0
    assert "WARNING -  briefings/themes.yml:3:1: warning: theme 'culture' has no extracts" in result.stderr


def test_a_broken_cross_link_fails_the_strict_build(make_data: Callable[..., Path], tmp_path: Path) -> None:
    project = copy_project(tmp_path / 'project', make_data())
    template = project / "templates/country.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n[missing](../pairs/nowhere.md#x)\n")
    result = mkdocs_build(project, check=False)
    assert result.returncode == 1
    assert "contains a link '../pairs/nowhere.md#x'" in result.stderr


def test_a_missing_data_folder_is_named(make_data: Callable[..., Path], tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", make_data())
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      data_dir: briefings\n", "      data_dir: briefing\n"), encoding="utf-8")
    result = mkdocs_build(project, check=False)
    assert result.returncode == 1
    assert (f"briefings: the data folder {project / 'briefing'} does not exist; "
            "set the plugin's data_dir in mkdocs.yml") in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("directory_urls", [True, False])
def test_page_urls_are_the_ones_mkdocs_gives(directory_urls: bool) -> None:
    from mkdocs.structure.files import File

    from generator.forms import page_url

    for page in ("index", "pairs/index", "pairs/china-russia", "pairs/china-russia/2025-11-part-2",
                 "themes/trade/pairs", "README", "sources/readme", "timeline/2026-02"):
        mkdocs = File(f"{page}.md", "", "", use_directory_urls=directory_urls)
        assert page_url(page, directory_urls) == mkdocs.url
