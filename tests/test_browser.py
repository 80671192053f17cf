"""Search, and the pages, in a real headless Chromium against the built site on a loopback port.

Uses Debian's Chromium (`/usr/bin/chromium`) through Playwright. Without it
these tests skip, except under CI (`CI=true`), where they must run.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import threading
import urllib.request
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, copy_project, mkdocs_build

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOT = REPO / "docs/assets/pair-page.png"


def _require_browser() -> Any:
    reason = ""
    if CHROMIUM is None:
        reason = "Debian's chromium is not installed (apt-get install chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = reason or "playwright is not installed (pip install -e '.[test]')"
        sync_playwright = None  # type: ignore[assignment]
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run under CI: {reason}")
        pytest.skip(reason)
    return sync_playwright


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    """The built ``site`` served on a loopback port, by its address."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = copy_project(tmp_path_factory.mktemp("browser") / "project")
    mkdocs_build(project)
    with served(project / "site") as url:
        yield url


@contextlib.contextmanager
def launched() -> Iterator[Any]:
    """Headless Chromium, or the test skipped (failed under CI) without it."""
    sync_playwright = _require_browser()
    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture(scope="module")
def browser(site_url: str) -> Iterator[Any]:
    with launched() as instance:
        yield instance


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.console_errors = errors
    try:
        yield tab
    finally:
        context.close()


def search(page: Any, site_url: str, query: str, filters: dict[str, str] | None = None,
           start: str = "/") -> list[str]:
    """Open the search with "/" on ``start``, choose ``filters`` (filter name → value),
    type ``query``; return the result links."""
    page.goto(f"{site_url}{start}")
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")
    dialog = page.locator("#briefings-search")
    assert dialog.evaluate("d => d.open")
    page.wait_for_selector("#briefings-filter-country")
    for name, value in (filters or {}).items():
        select = page.locator(f"#briefings-filter-{name}")
        select.focus()
        option = select.locator(f"option[data-value=\"{value}\"]")
        option.wait_for(state="attached")
        select.select_option(option.get_attribute("value"))
    page.locator("#briefings-search-query").fill(query)
    # Done when the status is a count, not empty or "Searching older extracts…".
    page.wait_for_function("(t => t !== '' && !t.endsWith('…'))"
                           "(document.querySelector('.briefings-search__status').textContent)", timeout=15000)
    links = page.locator(".briefings-search__result a").evaluate_all("els => els.map(e => e.href)")
    assert page.console_errors == []
    return [str(link) for link in links]


@pytest.mark.parametrize(("query", "expected"), [
    # A figure inside a currency: "$228.1 billion".
    ("228.1", "/pairs/china-russia/#cn-ru-trade-2025"),
    ("Busan", "/pairs/china-united-states/#tn-cn-us-busan"),
    ("Uruguay", "/pairs/china-uruguay/#tn-january-visits"),
    # Words inside a sentence of Traditional Chinese, which has no spaces.
    ("答應", "/pairs/china-japan/#wj-sun-never-accept"),
    ("14億", "/pairs/china-japan/#etnet-sun-never-accept"),
    # A speaker's name in Simplified Chinese, and in Russian.
    ("习近平", "/pairs/china-russia/#tn-cn-ru-un-system"),
    ("Путин", "/pairs/china-russia/#tn-cn-ru-putin-response"),
    # Accented Latin, typed without its accents.
    ("demarches", "/pairs/china-japan/#xinhua-sun-serious-demarches"),
    # A one-country extract and a group's.
    ("3.52", "/countries/japan/#visahq-japan-november-visitors"),
    ("huddled", "/groups/russia-india-china/#ap-ric-huddle"),
])
def test_search_finds_the_extract_where_it_is_shown_in_full(page: Any, site_url: str, query: str,
                                                             expected: str) -> None:
    links = search(page, site_url, query)
    assert any(link.endswith(expected) for link in links), links


def test_each_extract_is_found_once(page: Any, site_url: str) -> None:
    links = search(page, site_url, "Taiwan")
    assert len(links) == len(set(links))
    assert all("/sources/" not in link and "/timeline/" not in link and "/themes/" not in link
               for link in links), links


def test_filters_narrow_the_results(page: Any, site_url: str) -> None:
    everything = search(page, site_url, "Xi")
    page.keyboard.press("Escape")
    quotes = search(page, site_url, "Xi", {"kind": "Quote", "year": "2025"})
    assert quotes and len(quotes) < len(everything)
    assert all("china-india" in link or "groups/" in link or "shanghai" in link for link in quotes), quotes
    page.keyboard.press("Escape")
    # Filters alone list what they select, newest first.
    advisory = "China's advisory against travel to Japan, November 2025"
    reactions = search(page, site_url, "", {"event": advisory, "source": "The Straits Times"})
    assert [link.rsplit("#", 1)[1] for link in reactions] == ["st-kihara-multilayered"]


def test_search_opens_from_the_header_and_the_keyboard_and_closes_with_escape(page: Any,
                                                                              site_url: str) -> None:
    page.goto(f"{site_url}/pairs/china-russia/")
    page.wait_for_load_state("networkidle")
    page.locator(".briefings-search-open").click()
    dialog = page.locator("#briefings-search")
    assert dialog.evaluate("d => d.open")
    assert page.evaluate("document.activeElement.id") == "briefings-search-query"
    page.keyboard.press("Escape")
    assert not dialog.evaluate("d => d.open")
    page.keyboard.press("s")
    assert dialog.evaluate("d => d.open")


def test_search_shows_the_datas_markup_as_text(browser: Any, tmp_path: Path) -> None:
    from test_safety import PAYLOADS, quoted

    data = tmp_path / "briefings"
    shutil.copytree(REPO / "briefings", data)
    extracts = "".join(f"  - {{id: hostile-{i}, date: 2026-02-01, countries: [China, Russia], "
                       f"themes: [trade], kind: quote, speaker: {quoted(p)}, "
                       f"text: {quoted(p + ' zebrafish')}}}\n" for i, p in enumerate(PAYLOADS))
    (data / "sources/hostile.yml").write_text(
        "source: {title: Hostile, publisher: " + quoted(PAYLOADS[1]) + ", url: https://example.org/h}\n"
        "extracts:\n" + extracts, encoding="utf-8")
    project = copy_project(tmp_path / "project", data)
    mkdocs_build(project)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        dialogs: list[str] = []
        def dismissed(dialog: Any) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        tab.on("dialog", dismissed)
        tab.console_errors = []
        with served(project / "site") as url:
            links = search(tab, url, "zebrafish")
        assert len(links) == len(PAYLOADS)
        results = tab.locator(".briefings-search__results")
        assert results.locator("script, img, iframe, b").count() == 0
        assert "<img src=x onerror=alert(1)>" in results.inner_text()
        assert dialogs == []
    finally:
        context.close()


def test_the_first_search_transfers_little(page: Any, site_url: str) -> None:
    sizes: dict[str, int] = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())) if "/pagefind/" in r.url else None)
    search(page, site_url, "trade")
    assert sizes and sum(sizes.values()) < 300_000, sizes


@pytest.fixture(scope="module")
def parted_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site with its search index in parts of 20 records."""
    project = copy_project(tmp_path_factory.mktemp("parted") / "project")
    config = project / "mkdocs.yml"
    option = "      templates_dir: templates\n"
    config.write_text(config.read_text().replace(option, option + "      search_part_records: 20\n"))
    mkdocs_build(project)
    with served(project / "site") as url:
        yield url


def _parts_loaded(page: Any) -> list[str]:
    """The parts of the index the page has loaded, by their folder."""
    loaded: list[str] = page.loaded_parts
    return sorted(set(loaded))


def _watch_parts(page: Any) -> None:
    page.loaded_parts = []
    page.on("request", lambda r: page.loaded_parts.append(
        ("parts/" + r.url.split("/pagefind/parts/", 1)[1].split("/", 1)[0]) if "/pagefind/parts/" in r.url
        else "first") if "/pagefind/" in r.url and r.url.endswith(("pf_meta", "pf_index")) else None)


def _parts(site_url: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{site_url}/pagefind/parts.json") as response:
        parts: list[dict[str, Any]] = json.load(response)["parts"]
    return parts


def test_a_first_search_loads_the_newest_part_and_older_parts_when_asked(page: Any,
                                                                          parted_site_url: str) -> None:
    parts = _parts(parted_site_url)
    total = sum(p["extracts"] for p in parts)
    assert len(parts) > 2 and total == 75
    _watch_parts(page)
    search(page, parted_site_url, "China")
    assert _parts_loaded(page) == ["first"]
    status = page.locator(".briefings-search__status")
    first = re.fullmatch(rf"(\d+) results in the newest {parts[0]['extracts']} of {total} extracts, "
                         rf"back to {parts[0]['oldest']}\.", status.text_content())
    assert first, status.text_content()
    older = page.locator(".briefings-search__older")
    searched = parts[0]["extracts"]
    for number, part in enumerate(parts[1:-1], start=1):
        older.click()
        searched += part["extracts"]
        page.wait_for_function("text => document.querySelector('.briefings-search__status').textContent"
                               ".endsWith(text)", arg=f"in the newest {searched} of {total} extracts, "
                               f"back to {part['oldest']}.")
        assert _parts_loaded(page) == ["first", *(f"parts/{n}" for n in range(1, number + 1))]
    older.click()
    page.wait_for_function("document.querySelector('.briefings-search__older').hidden")
    everything = re.fullmatch(r"(\d+) results\.", status.text_content())
    assert everything and int(everything[1]) > int(first[1])


def test_a_search_finding_nothing_new_looks_further_back(page: Any, parted_site_url: str) -> None:
    _watch_parts(page)
    # The Tianjin summit of September 2025 is in an older part.
    links = search(page, parted_site_url, "huddled")
    assert any(link.endswith("/groups/russia-india-china/#ap-ric-huddle") for link in links), links
    assert len(_parts_loaded(page)) > 1
    assert page.locator(".briefings-search__older").is_hidden() or "newest" in page.locator(
        ".briefings-search__status").text_content()


def test_a_year_loads_the_parts_that_hold_it(page: Any, parted_site_url: str) -> None:
    parts = _parts(parted_site_url)
    holding = [f"parts/{n}" for n, part in enumerate(parts) if n and "2025" in part["years"]]
    _watch_parts(page)
    search(page, parted_site_url, "", {"year": "2025"})
    assert _parts_loaded(page) == ["first", *holding]
    label = page.locator("#briefings-filter-year option[data-value='2025']").text_content()
    count = label.split("(")[1].rstrip(")")
    # Every extract of the year is searched, so the count is the whole of it.
    assert page.locator(".briefings-search__status").text_content() == f"{count} results."


def _count_all(page: Any, site_url: str, query: str, filters: dict[str, str]) -> int:
    """The number of results for ``query`` and ``filters`` in every part of the index."""
    search(page, site_url, query, filters)
    older = page.locator(".briefings-search__older")
    for _ in range(20):
        if older.is_hidden():
            break
        older.click()
        page.wait_for_function("(t => t !== '' && !t.endsWith('…'))"
                               "(document.querySelector('.briefings-search__status').textContent)")
    status = page.locator(".briefings-search__status").text_content()
    found = re.fullmatch(r"(\d+) results?\.|No extract matches\.", status)
    assert found, status
    return int(found[1] or 0)


@pytest.mark.parametrize(("query", "filters"), [
    ("Putin", {"source": "Newsmax"}),
    ("Putin", {"year": "2025"}),
    ("tourism", {}),
    ("Newsmax", {}),
    ("Putin trade", {}),
    ("", {"kind": "Quote", "country": "Japan"}),
])
def test_the_parts_find_what_the_whole_index_finds(page: Any, site_url: str, parted_site_url: str,
                                                     query: str, filters: dict[str, str]) -> None:
    whole = _count_all(page, site_url, query, filters)
    page.keyboard.press("Escape")
    assert _count_all(page, parted_site_url, query, filters) == whole


def test_search_works_on_the_not_found_page(page: Any, site_url: str) -> None:
    links = search(page, site_url, "Putin", start="/404.html")
    assert links and all(link.startswith(site_url + "/") for link in links)


#: A page of each kind.
PAGE_KINDS = ["/", "/pairs/", "/pairs/china-russia/", "/groups/", "/groups/russia-india-china/",
              "/countries/", "/countries/japan/", "/themes/", "/themes/diplomacy/", "/sources/",
              "/sources/third-news-xi-calls-putin-trump/", "/events/", "/events/xi-putin-call/", "/timeline/",
              "/timeline/2026-02/", "/about/", "/editing/"]


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_kind_fits_the_screen(browser: Any, site_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 844})
    try:
        tab = context.new_page()
        wide = {}
        for path in PAGE_KINDS:
            assert tab.goto(f"{site_url}{path}").status == 200, path
            found = tab.evaluate("""() => {
                const over = [];
                if (document.documentElement.scrollWidth > innerWidth) over.push("page");
                const shown = "article table, article svg, article .md-typeset__scrollwrap";
                for (const el of document.querySelectorAll(shown)) {
                    const right = el.getBoundingClientRect().right;
                    if (el.scrollWidth > el.clientWidth + 1 || right > innerWidth + 1)
                        over.push(el.tagName + " " + el.scrollWidth + "/" + el.clientWidth);
                }
                return over; }""")
            if found:
                wide[path] = found
        assert wide == {}
    finally:
        context.close()


def test_a_pair_page_is_about_a_screen_and_a_half_per_five_extracts(page: Any, site_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{site_url}/pairs/china-russia/")
    extracts = page.locator(".extract").count()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert extracts == 24 and height / 800 / (extracts / 5) < 1.65, height


def test_a_pair_page_charts_its_extracts_per_month(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/pairs/china-japan/")
    chart = page.locator("svg.briefings-chart").first
    assert chart.get_attribute("role") == "img"
    assert page.locator("#chart-months-title").text_content() == "Extracts per month"
    assert "November 2025: 15" in (page.locator("#chart-months-desc").text_content() or "")


@pytest.mark.parametrize("path", ["/", "/pairs/china-russia/", "/timeline/", "/events/xi-putin-call/",
                                  "/sources/third-news-xi-calls-putin-trump/"])
def test_pages_have_no_console_errors(page: Any, site_url: str, path: str) -> None:
    response = page.goto(f"{site_url}{path}")
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.console_errors == []


@pytest.mark.parametrize(("name", "width", "height"), [("pair-page.png", 1280, 800),
                                                       ("pair-page-phone.png", 390, 844),
                                                       ("home-page-phone.png", 390, 844)])
def test_screenshots_for_the_readme(browser: Any, site_url: str, tmp_path: Path, update_goldens: bool,
                                    name: str, width: int, height: int) -> None:
    # The README's pictures are rewritten only on request, as the golden pages
    # are: a test run leaves the checkout as it was.
    target = (SCREENSHOT.parent if update_goldens else tmp_path) / name
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        tab = context.new_page()
        tab.goto(f"{site_url}/" if name.startswith("home") else f"{site_url}/pairs/china-russia/")
        tab.wait_for_load_state("networkidle")
        tab.screenshot(path=str(target))
    finally:
        context.close()
    assert target.stat().st_size > 10_000


@contextlib.contextmanager
def printed(browser: Any, url: str) -> Iterator[Any]:
    """The page at ``url`` as Chromium prints it: after the page's own
    preparations for print, in print media, on an A4-like window."""
    context = browser.new_context(viewport={"width": 800, "height": 1100})
    try:
        tab = context.new_page()
        tab.goto(url)
        tab.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        tab.emulate_media(media="print")
        yield tab
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/pairs/china-russia/", "/events/xi-putin-call/",
                                  "/sources/third-news-xi-calls-putin-trump/"])
def test_pair_event_and_source_pages_print_without_the_sites_chrome(browser: Any, site_url: str,
                                                                   path: str) -> None:
    with printed(browser, f"{site_url}{path}") as tab:
        shown = tab.evaluate("""() => [".md-header", ".md-tabs", ".md-sidebar--primary",
            ".md-sidebar--secondary", ".md-footer", "#briefings-search"]
            .map(s => document.querySelector(s)).filter(Boolean)
            .map(e => e.getBoundingClientRect().height > 0 && getComputedStyle(e).display !== "none")""")
        assert shown and not any(shown), shown
        assert "Printed on " in tab.locator("[data-printed]").inner_text()
        # Every link to an article has its address written after it.
        addresses = tab.evaluate("""() => [...document.querySelectorAll('article a[href^="http"]')]
            .map(a => getComputedStyle(a, '::after').content)""")
        assert addresses and all("attr(href)" in a or "http" in a for a in addresses), addresses
        assert tab.evaluate("[...document.querySelectorAll('article details')].every(d => d.open)")
        if path.startswith("/pairs/"):
            # The bottom line comes first, straight under the title.
            first = tab.evaluate("document.querySelector('article h1').nextElementSibling.textContent")
            assert first.strip().startswith("Bottom line")


def test_a_briefing_prints_as_a_memo(browser: Any, site_url: str, tmp_path: Path,
                                     update_goldens: bool) -> None:
    with printed(browser, f"{site_url}/pairs/china-russia/") as tab:
        hidden = tab.evaluate("""() => [".md-header", ".md-tabs", ".md-sidebar--secondary",
            ".briefings-search-open", ".briefings-dates"]
            .map(s => getComputedStyle(document.querySelector(s)).display)""")
        assert hidden == ["none"] * 5
        stamp = tab.locator("[data-printed]")
        assert stamp.is_visible() and "Printed on " in stamp.inner_text()
        assert tab.evaluate("[...document.querySelectorAll('article details')].every(d => d.open)")
        address = tab.evaluate("""() => getComputedStyle(
            document.querySelector('.extract a[href^="https://third-news.com"]'), '::after').content""")
        assert address.startswith('" (" attr(href)') or "third-news.com" in address
        assert tab.evaluate("getComputedStyle(document.querySelector('.extract')).breakInside") == "avoid"
        target = (SCREENSHOT.parent if update_goldens else tmp_path) / "pair-page-printed.png"
        tab.screenshot(path=str(target))
        assert target.stat().st_size > 10_000
        pdf = tab.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 3
