"""Search in a real headless Chromium against the built site on a loopback port.

Uses Debian's Chromium (`/usr/bin/chromium`) through Playwright. Without it
these tests skip, except under CI (`CI=true`), where they must run.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
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


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = copy_project(tmp_path_factory.mktemp("browser") / "project")
    mkdocs_build(project)
    handler = functools.partial(_QuietHandler, directory=str(project / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def browser(site_url: str) -> Iterator[Any]:
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


def search(page: Any, site_url: str, query: str) -> list[str]:
    """Type into the site's search box; return the result links."""
    page.goto(f"{site_url}/")
    page.wait_for_load_state("networkidle")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")  # the theme searches on key events
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    links = page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")
    assert page.console_errors == []
    return [str(link) for link in links]


@pytest.mark.parametrize(("query", "expected"), [
    ("228.1", "/pairs/china-russia/"),
    ("Busan", "/pairs/china-united-states/"),
    ("Uruguay", "/pairs/china-uruguay/"),
])
def test_search_offers_the_briefing(page: Any, site_url: str, query: str, expected: str) -> None:
    links = search(page, site_url, query)
    assert any(expected in link for link in links), links


def test_search_finds_a_speaker_by_name_in_chinese(page: Any, site_url: str) -> None:
    links = search(page, site_url, "习近平")
    assert any("/pairs/china-russia/" in link for link in links), links
    assert any("/pairs/china-united-states/" in link for link in links), links


@pytest.mark.parametrize("path", ["/", "/pairs/china-russia/", "/timeline/", "/events/xi-putin-call/",
                                  "/sources/third-news-xi-calls-putin-trump/"])
def test_pages_have_no_console_errors(page: Any, site_url: str, path: str) -> None:
    response = page.goto(f"{site_url}{path}")
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.console_errors == []


def test_screenshot_of_a_pair_page_for_the_readme(page: Any, site_url: str, tmp_path: Path,
                                                  update_goldens: bool) -> None:
    # The README's picture is rewritten only on request, as the golden pages
    # are: a test run leaves the checkout as it was.
    target = SCREENSHOT if update_goldens else tmp_path / SCREENSHOT.name
    page.goto(f"{site_url}/pairs/china-russia/")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000
