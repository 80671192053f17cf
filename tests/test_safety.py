"""Text from YAML is data: no payload becomes markup anywhere in the built site."""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from conftest import REPO, copy_project, mkdocs_build

from generator.markup import html, md

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "[ref][evil]\n\n[evil]: javascript:alert(1)",
    "<iframe src=https://evil.example></iframe>",
    '<b onmouseover="alert(1)">hover</b>',
    "Title\n---\ntitle: injected",
    "*emphasis* __strong__ # heading | table | `code` {: #id }",
    "1. list\n- item\n> quote\n    code",
]
#: Markup from the data, live or as escaped text that a filter would flag.
DANGEROUS = re.compile(r"<script|<img|<iframe|<b\b|onerror=|onmouseover=|href=\"javascript:",
                       re.IGNORECASE)


class _Tags(HTMLParser):
    """Every tag and attribute in a page, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("img", "iframe", "b"):
            self.problems.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"{tag} {name}={value}")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_markdown_renders_as_typed(payload: str) -> None:
    html = markdown.markdown(md(payload), extensions=["tables", "attr_list", "admonition", "toc"])
    assert not DANGEROUS.search(html)
    assert html.startswith("<p>") and html.count("<p>") == 1
    # What the reader sees is what the editor typed (whitespace collapsed).
    visible = re.sub(r"<[^>]+>", "", html[3:-4])
    assert unescape(visible) == " ".join(payload.split())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_html_passes_through_markdown_as_typed(payload: str) -> None:
    # How the generator writes an extract in full: a raw HTML block.
    block = f'<div class="extract" id="x">\n<p title="{html(payload)}">{html(payload)}</p>\n</div>\n'
    converted = markdown.markdown(f"Before.\n\n{block}\nAfter.",
                                  extensions=["tables", "attr_list", "admonition", "toc"])
    assert block.strip() in converted
    assert not DANGEROUS.search(converted)
    tags = _Tags()
    tags.feed(converted)
    assert tags.problems == []
    visible = re.search(r'<p title="([^"]*)">([^<]*)</p>', converted)
    assert visible is not None
    assert unescape(visible.group(1)) == unescape(visible.group(2)) == " ".join(payload.split())


def quoted(text: str) -> str:
    return json.dumps(text)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("hostile") / "briefings"
    (data / "sources").mkdir(parents=True)
    (data / "themes.yml").write_text(
        "trade: {title: " + quoted(PAYLOADS[0]) + ", description: " + quoted(PAYLOADS[1]) + "}\n")
    (data / "countries.yml").write_text(
        "countries:\n  RU: {name: Russia}\nactors:\n  evil: {name: " + quoted("<b>Evil</b> & Co") + "}\n")
    extracts = "".join(
        f"""  - id: x{i}
    date: 2026-02-0{1 + i % 9}
    countries: [China, {'Russia' if i % 2 else quoted('<b>Evil</b> & Co')}]
    themes: [trade]
    kind: quote
    speaker: {quoted(payload)}
    text: {quoted(payload)}
    figures:
      - {{label: {quoted(payload)}, value: {i}, unit: {quoted(payload)}, period: "2025"}}
      - {{label: {quoted(PAYLOADS[0])}, value: {i}, unit: USD, period: "2025"}}
"""
        for i, payload in enumerate(PAYLOADS))
    (data / "sources/hostile.yml").write_text(
        "source:\n  title: " + quoted("<script>alert(1)</script>\n---\ntitle: x") +
        "\n  publisher: " + quoted(PAYLOADS[1]) + "\n  url: https://example.org/a?b=(c)&d=<e>\n"
        "extracts:\n" + extracts)
    project = copy_project(data.parent / "project", data)
    mkdocs_build(project)
    return project / "site"


#: The parts of a page that show data: title, header, navigation, content.
#: (The theme's own <script> tags live outside them.)
REGIONS = re.compile(r"<title>.*?</title>|<header\b.*?</header>|<nav\b.*?</nav>|<article\b.*?</article>",
                     re.S)

#: The theme's inline scripts (colour palette, tabs); every payload calls alert().
THEME_SCRIPT = re.compile(r"<script>(?:(?!alert\().)*?</script>", re.S)


def test_no_payload_reaches_any_page(hostile_site: Path) -> None:
    # A "sources disagree" note about the figure every extract gives a value of.
    assert "Sources disagree" in (hostile_site / "pairs/china-russia/index.html").read_text(encoding="utf-8")
    checked = 0
    for page in hostile_site.rglob("*.html"):
        html = "\n".join(REGIONS.findall(page.read_text(encoding="utf-8")))
        html = THEME_SCRIPT.sub("", html)
        assert "<article" in html or page.name == "404.html"
        assert not DANGEROUS.search(html), (page, DANGEROUS.search(html))
        tags = _Tags()
        tags.feed(html)
        assert tags.problems == [], page
        checked += 1
    assert checked > 10


def test_the_search_script_never_makes_markup_of_what_it_shows() -> None:
    # Every value a search result shows comes from the data: the script sets
    # text, and never parses a string as HTML (the browser test searches the
    # payloads themselves).
    script = (REPO / "templates/theme/assets/briefings-search.js").read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function",
                         script)


def test_titles_show_the_text_as_typed(hostile_site: Path) -> None:
    html = (hostile_site / "sources/hostile/index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None
    assert title.group(1) == "&lt;script&gt;alert(1)&lt;/script&gt; --- title: x - Briefings"
    assert re.search(r"<h1[^>]*>&lt;script&gt;alert\(1\)&lt;/script&gt; --- title: x<", html)


def test_feeds_and_data_escape_payloads(hostile_site: Path) -> None:
    import xml.etree.ElementTree as ET

    feed = ET.parse(hostile_site / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    summaries = [e.findtext("a:summary", namespaces=ns) or "" for e in feed.findall("a:entry", ns)]
    assert any("<script>alert(1)</script>" in s for s in summaries)
    assert "<script" not in (hostile_site / "feed.xml").read_text(encoding="utf-8")
