"""WCAG 2.1 AA: axe-core, the engine behind most accessibility checkers, audits
every page kind in headless Chromium, in the light and dark schemes, on a
laptop and a phone; and the keyboard reaches everything search offers.

axe-core comes from npm (``package.json``; ``npm ci`` installs it, as
``.ci/run`` does) and is loaded into each page from ``node_modules``: no
network at test time. Without it these tests skip, except under CI.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import REPO, copy_project, mkdocs_build
from test_browser import launched, search, served

AXE = REPO / "node_modules/axe-core/axe.min.js"
#: The rules of WCAG 2.0 and 2.1, levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

#: A page of each kind a reader meets.
PAGE_KINDS = {
    "home": "/",
    "pairs": "/pairs/",
    "pair": "/pairs/china-russia/",
    "pair archive": "/pairs/china-russia/2024/",
    "group": "/groups/russia-india-china/",
    "country": "/countries/russia/",
    "country briefing": "/countries/japan/",
    "theme": "/themes/trade/",
    "source": "/sources/third-news-xi-calls-putin-trump/",
    "event": "/events/xi-putin-call/",
    "timeline": "/timeline/",
    "timeline month": "/timeline/2026-02/",
    "not found": "/404.html",
}

#: Older China–Russia extracts, enough for the briefing to have an archive page.
_OLDER = """source:
  title: Older coverage for the archive page
  publisher: archive.example
  url: https://archive.example/older
  published: 2024-12-30
extracts:
""" + "".join(f"""  - id: older-{n}
    date: 2024-0{n}-10
    countries: [China, Russia]
    themes: [diplomacy]
    kind: paraphrase
    text: Older paraphrase number {n}, for the archive page.
""" for n in range(1, 6))


def _require_axe() -> None:
    if not AXE.is_file():
        reason = "axe-core is not installed (npm ci)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"the accessibility audit must run under CI: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site of the repository's briefings, with older China–Russia
    coverage that gives the briefing an archive page."""
    data = tmp_path_factory.mktemp("a11y") / "briefings"
    shutil.copytree(REPO / "briefings", data)
    (data / "sources/older.yml").write_text(_OLDER, encoding="utf-8")
    project = copy_project(data.parent / "project", data)
    mkdocs_build(project)
    with served(project / "site") as url:
        yield url


@pytest.fixture(scope="module")
def browser(site_url: str) -> Iterator[Any]:
    _require_axe()
    with launched() as instance:
        yield instance


def _tab(browser: Any, width: int, scheme: str) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    tab = context.new_page()
    tab.console_errors = []
    return tab


def serious_violations(tab: Any) -> list[str]:
    """axe-core's serious and critical violations of WCAG 2.1 AA on the page
    as it is, each with the elements it found (at most five)."""
    tab.add_script_tag(path=str(AXE))
    found = tab.evaluate("""async (tags) => {
      const result = await axe.run(document, { runOnly: { type: "tag", values: tags },
                                               resultTypes: ["violations"] });
      return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id} (${v.impact}): ${v.help}\\n` + v.nodes.slice(0, 5)
          .map((n) => `    ${n.target.join(" ")}: ${n.failureSummary.replace(/\\s+/g, " ")}`).join("\\n"));
    }""", WCAG_AA)
    return [str(line) for line in found]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_no_page_kind_has_a_serious_violation(browser: Any, site_url: str, kind: str, width: int,
                                              scheme: str) -> None:
    tab = _tab(browser, width, scheme)
    try:
        assert tab.goto(f"{site_url}{PAGE_KINDS[kind]}").status == 200
        tab.wait_for_load_state("networkidle")
        scheme_shown = tab.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert scheme_shown == ("slate" if scheme == "dark" else "default")
        violations = serious_violations(tab)
        assert not violations, "\n".join(violations)
    finally:
        tab.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_search_with_filters_and_results_has_no_serious_violation(browser: Any, site_url: str,
                                                                      width: int, scheme: str) -> None:
    tab = _tab(browser, width, scheme)
    try:
        links = search(tab, site_url, "Xi", {"kind": "Quote"}, start="/pairs/china-russia/")
        assert links
        violations = serious_violations(tab)
        assert not violations, "\n".join(violations)
    finally:
        tab.context.close()


_FOCUSED = """() => {
  const focused = document.activeElement;
  // The scheme's switch is a hidden radio button that shows its focus on the button after it.
  const element = focused.matches("input.md-option") ? focused.nextElementSibling : focused;
  const style = getComputedStyle(element);
  const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const box = element.getBoundingClientRect();
  return { id: focused.id, tag: focused.tagName, href: element.getAttribute("href") || "",
           visible: outlined || style.boxShadow !== "none",
           onScreen: box.right > 0 && box.left < innerWidth && box.width > 0 && style.visibility !== "hidden",
           inSearch: Boolean(element.closest("#briefings-search")) };
}"""


def test_the_keyboard_reaches_every_filter_and_result_and_shows_where_it_is(browser: Any,
                                                                             site_url: str) -> None:
    tab = _tab(browser, 1280, "light")
    try:
        search(tab, site_url, "Xi", start="/pairs/china-russia/")
        stops = []
        for _ in range(30):
            tab.keyboard.press("Tab")
            stops.append(tab.evaluate(_FOCUSED))
        stops = [s for s in stops if s["tag"] != "BODY"]
        # The open search keeps the keyboard: every stop is in it, and outlined.
        assert all(s["inSearch"] for s in stops), stops
        assert all(s["visible"] for s in stops), [s for s in stops if not s["visible"]]
        ids = {s["id"] for s in stops}
        filters = tab.locator(".briefings-search__filters select").evaluate_all("els => els.map(e => e.id)")
        assert filters and set(filters) <= ids
        assert any(s["tag"] == "A" and "#" in s["href"] for s in stops)
        # A result is followed with Enter.
        for _ in range(30):
            if tab.evaluate("document.activeElement.matches('.briefings-search__result a')"):
                break
            tab.keyboard.press("Tab")
        target = tab.evaluate("document.activeElement.href")
        tab.keyboard.press("Enter")
        tab.wait_for_url(target)
    finally:
        tab.context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_page_shows_where_the_keyboard_is(browser: Any, site_url: str, width: int) -> None:
    tab = _tab(browser, width, "light")
    try:
        tab.goto(f"{site_url}/pairs/china-russia/")
        stops = []
        for _ in range(25):
            tab.keyboard.press("Tab")
            stops.append(tab.evaluate(_FOCUSED))
        # Outlined, and on the screen: never inside the closed navigation drawer of a phone.
        hidden = [s for s in stops if s["tag"] != "BODY" and not (s["visible"] and s["onScreen"])]
        assert not hidden, hidden
    finally:
        tab.context.close()


def test_the_one_key_shortcuts_can_be_turned_off(browser: Any, site_url: str) -> None:
    tab = _tab(browser, 1280, "light")
    try:
        tab.goto(f"{site_url}/pairs/china-russia/")
        dialog = tab.locator("#briefings-search")
        tab.keyboard.press("s")
        assert dialog.evaluate("d => d.open")
        tab.locator("#briefings-search-keys").uncheck()
        tab.keyboard.press("Escape")
        tab.reload()
        for key in ("s", "/"):
            tab.keyboard.press(key)
            assert not dialog.evaluate("d => d.open")
        # The search button still opens it; the shortcuts come back when asked for.
        tab.locator(".briefings-search-open").click()
        assert dialog.evaluate("d => d.open")
        tab.locator("#briefings-search-keys").check()
        tab.keyboard.press("Escape")
        tab.keyboard.press("/")
        assert dialog.evaluate("d => d.open")
    finally:
        tab.context.close()
