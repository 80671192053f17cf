"""The generated pages' raw HTML, set aside while MkDocs converts their Markdown.

An extract shown in full, a list of extracts, a note, a table of figures, a
chart: the forms the generator writes as raw HTML (:mod:`generator.forms`).
Python-Markdown passes them through as they are, but not before MkDocs and
Python-Markdown have each parsed them with an HTML parser, which is most of
the time a build spends converting a briefing page. So the plugin swaps each
such block for a placeholder before the conversion, the ids inside it kept
(MkDocs checks links to them), and puts the block back in the converted
page: the page is the same, parsed once less twice over.

The plugin holds a page's blocks, compressed (:class:`Packed`), from its
conversion until its page is written: MkDocs converts every page before it
writes any, and a large archive's blocks are most of its size.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

#: A block the generator writes: it starts a line with one of these tags and
#: runs to the next blank line (its texts are each on one line).
_BLOCK = re.compile(r'^<(?:div class="extract"|ul class="extract-|details class="|table class="briefings-|'
                    r'svg class="briefings-)[^\n]*(?:\n(?!\n)[^\n]*)*', re.MULTILINE)
_ID = re.compile(r'\bid="([^"]*)"')


def set_aside(markdown: str, key: str = "0") -> tuple[str, list[str]]:
    """The page's Markdown with each raw HTML block a placeholder that keeps
    its ids, and the blocks, in order. ``key`` (letters and digits) marks the
    placeholders as this build's: text on the page cannot guess it, so no
    other text is ever taken for one."""
    blocks: list[str] = []

    def placeholder(found: re.Match[str]) -> str:
        blocks.append(found.group())
        ids = "".join(f'<i id="{anchor}"></i>' for anchor in _ID.findall(found.group()))
        return f'<div class="briefings-block" data-block="{key}-{len(blocks) - 1}">{ids}</div>'

    return _BLOCK.sub(placeholder, markdown), blocks


def put_back(html: str, blocks: list[str], key: str = "0") -> str:
    """The converted page with each of its placeholders replaced by its block."""
    if not blocks:
        return html
    placeholder = re.compile(f'<div class="briefings-block" data-block="{re.escape(key)}-(\\d+)">.*?</div>',
                             re.DOTALL)

    def restore(found: re.Match[str]) -> str:
        number = int(found.group(1))
        return blocks[number] if number < len(blocks) else found.group()

    return placeholder.sub(restore, html)


@dataclass(frozen=True)
class Packed:
    """A page's blocks, compressed."""

    data: bytes
    #: Where each block ends in the text of them all.
    ends: tuple[int, ...]

    @staticmethod
    def of(blocks: list[str]) -> Packed:
        """``blocks``, packed."""
        ends, at = [], 0
        for block in blocks:
            at += len(block)
            ends.append(at)
        # The fastest level: the blocks are kept for minutes at most.
        return Packed(zlib.compress("".join(blocks).encode("utf-8"), 1), tuple(ends))

    def blocks(self) -> list[str]:
        """The blocks, as they were."""
        text = zlib.decompress(self.data).decode("utf-8")
        return [text[start:end] for start, end in zip((0, *self.ends), self.ends, strict=False)]
