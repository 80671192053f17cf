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
    """A page title for YAML front matter: one double-quoted YAML scalar on
    one line, HTML-escaped.

    MkDocs themes print ``page.meta.title`` into ``<title>`` and the
    navigation without escaping, so the entities are put in here. MkDocs
    reads the front matter with PyYAML, and a character PyYAML does not
    accept makes it read the whole front matter as Markdown; so every
    character outside the plain printable ones is written as a YAML escape,
    whatever the data holds.
    """
    quoted = _replace(" ".join(str(text).split()), _YAML_QUOTED)
    if _YAML_UNSAFE.search(quoted):
        quoted = _YAML_UNSAFE.sub(_yaml_escape, quoted)
    return f'"{quoted}"'


#: HTML escapes, and the YAML escapes of a double-quoted scalar.
_YAML_QUOTED = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("\\", "\\\\"))
#: What a double-quoted YAML scalar on one line may hold as it is: the
#: characters PyYAML reads as printable, less the line breaks (U+0085,
#: U+2028, U+2029) and the byte order mark.
_YAML_UNSAFE = re.compile(
    "[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def _yaml_escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def md_url(url: str) -> str:
    """A validated http(s) URL made safe as a Markdown link destination."""
    return quote(url, safe="/:?&=#%+@,;~!$*'.-_")


def xml(text: object) -> str:
    """Escape text for XML element content and attribute values.

    A character XML 1.0 does not allow (validation lets none into the data)
    becomes U+FFFD rather than making the whole feed unreadable.
    """
    escaped = _replace(str(text), _XML)
    return _XML_ILLEGAL.sub("\ufffd", escaped) if _XML_ILLEGAL.search(escaped) else escaped


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _replace(text: str, table: tuple[tuple[str, str], ...]) -> str:
    # A replace per character present, rather than str.translate, which
    # looks up every character of the text in a dict.
    for char, escape in table:
        if char in text:
            text = text.replace(char, escape)
    return text
