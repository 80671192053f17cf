"""Escaping for the formats the generator writes: Markdown, HTML, XML, link targets.

Text from YAML is data. Python-Markdown passes raw HTML through and MkDocs
puts page titles into ``<title>`` unescaped, so escaping must happen when
the Markdown is written: HTML-significant characters become entities and
Markdown syntax characters are backslash-escaped, so the reader sees the
characters exactly as the editor typed them, and nothing becomes a tag,
link, emphasis, heading or table.
"""

from __future__ import annotations

import re
from functools import lru_cache
from json.encoder import encode_basestring
from urllib.parse import quote

#: Markdown text: HTML-significant characters become entities ('"' and '='
#: too, so not even the escaped text of a payload reads as an attribute such
#: as `href="javascript:` or `onerror=` to a filter scanning the HTML), and
#: the characters that start inline Markdown syntax are backslash-escaped
#: (Python-Markdown with tables and attr_list, and CommonMark, accept these).
_MD = (
    # The backslash first, so the escapes added after it stay single; "#"
    # before "=", whose entity holds a "#".
    ("\\", "\\\\"), ("&", "&amp;"), ("#", "\\#"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"),
    *((c, "\\" + c) for c in "`*_{}[]()!|"),
    ("=", "&#61;"),
)
_XML = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"))
#: HTML text and double-quoted attribute values (the only kind written):
#: '=' too, for the same reason as in _MD.
_HTML = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("=", "&#61;"))
#: Characters that only matter at the start of a line: list bullets.
_LINE_START = {"-": "\\-", "+": "\\+"}
_LIST_NUMBER = re.compile(r"^(\d+)([.)])(?=\s|$)")


@lru_cache(maxsize=1 << 16)
def md(text: object) -> str:
    """Escape text for an inline Markdown context (paragraph, heading, table cell).

    Whitespace, including newlines, collapses to single spaces so data can
    never start a new block (a heading, list, table row or front matter).
    """
    escaped = _replace(" ".join(str(text).split()), _MD)
    if escaped[:1] in _LINE_START:
        escaped = _LINE_START[escaped[0]] + escaped[1:]
    elif escaped[:1].isdigit():
        # "1. " or "1) " at the start of a line would begin an ordered list.
        escaped = _LIST_NUMBER.sub(r"\1\\\2", escaped)
    return escaped


@lru_cache(maxsize=1 << 16)
def html(text: object) -> str:
    """Escape text for HTML element content or a quoted attribute value, on one line.

    For the raw HTML blocks in the Markdown pages, which Python-Markdown
    passes through as they are: whitespace collapses as in :func:`md`.
    """
    return _replace(" ".join(str(text).split()), _HTML)


def meta_title(text: object) -> str:
    """A page title for YAML front matter, as one HTML-escaped JSON string.

    MkDocs themes print ``page.meta.title`` into ``<title>`` and the
    navigation without escaping, so the entities are put in here; JSON
    quoting keeps it one scalar on one line, whatever the text holds.
    """
    # What json.dumps(..., ensure_ascii=False) writes, without its Python
    # wrapper: a title for each of thousands of pages.
    return encode_basestring(_replace(" ".join(str(text).split()), _XML))


def md_url(url: str) -> str:
    """A validated http(s) URL made safe as a Markdown link destination."""
    return quote(url, safe="/:?&=#%+@,;~!$*'.-_")


def xml(text: object) -> str:
    """Escape text for XML element content and attribute values."""
    return _replace(str(text), _XML)


def _replace(text: str, table: tuple[tuple[str, str], ...]) -> str:
    # A replace per character present: three to ten times faster than
    # str.translate, which looks up every character of the text in a dict.
    for char, escape in table:
        if char in text:
            text = text.replace(char, escape)
    return text
