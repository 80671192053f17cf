"""The plugin sets a page's raw HTML aside while MkDocs converts its Markdown, and puts it back."""

from __future__ import annotations

import re

import markdown
from conftest import REPO

from generator import generate
from generator.rawblocks import put_back, set_aside


def test_each_block_comes_back_as_it_was_and_its_ids_stay_visible() -> None:
    pages = generate(REPO / "briefings", REPO / "templates").files
    page = pages["pairs/china-russia.md"].decode("utf-8")
    body = page.split("---\n", 2)[2]
    swapped, blocks = set_aside(body)
    assert len(blocks) > 24 and '<div class="extract"' not in swapped
    # MkDocs finds the anchors of links in the placeholders.
    assert '<i id="cn-ru-trade-2025"></i>' in swapped and '<i id="month-2026-02"></i>' in swapped
    converted = markdown.markdown(swapped, extensions=["tables", "attr_list", "admonition", "toc"])
    html = put_back(converted, blocks)
    assert all(block in html for block in blocks)
    assert "briefings-block" not in html
    assert html.count('<div class="extract" id=') == 24


def test_a_page_without_blocks_is_left_as_it_is() -> None:
    text = "# Title\n\nSome *text* and <span>inline HTML</span>.\n"
    assert set_aside(text) == (text, [])
    assert put_back("<p>x</p>", []) == "<p>x</p>"


def test_text_that_looks_like_a_placeholder_is_not_replaced() -> None:
    swapped, blocks = set_aside('<div class="extract" id="a">\n<p>x</p>\n</div>\n')
    html = put_back(swapped.replace("</div>", "</div>\n<p>&lt;div class=&quot;briefings-block&quot;</p>"),
                    blocks)
    assert re.search(r'<div class="extract" id="a">\n<p>x</p>\n</div>', html)
    assert "&lt;div class=&quot;briefings-block&quot;" in html


def test_only_this_builds_placeholders_are_replaced() -> None:
    swapped, blocks = set_aside('<div class="extract" id="a">\n<p>x</p>\n</div>\n', "5eb1c0")
    # A guess at a placeholder, anywhere on the page (a title, say), stays as it is.
    forged = '<title><div class="briefings-block" data-block="0-0"></div></title>'
    page = put_back(forged + swapped, blocks, "5eb1c0")
    assert page.count('<div class="extract" id="a">') == 1 and page.startswith(forged)
    assert put_back(swapped, blocks, "other") == swapped
