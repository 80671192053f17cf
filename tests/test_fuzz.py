"""Arbitrary Unicode in every text field: a positioned error, or a site with no live markup.

Hypothesis writes source files, themes, events and actors whose every text
field holds arbitrary characters (controls, surrogates, noncharacters,
bidirectional controls, markup), written raw or as YAML escapes. For each,
the generator must either stop with errors that each name a place in the
files, or make pages whose front matter MkDocs reads, whose Markdown holds
no tag, link or handler from the data, and feeds, JSON and CSV that strict
parsers accept.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import markdown
from conftest import REPO
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator import BriefingError, build_site
from generator.errors import Diagnostic
from generator.render import Renderer

RENDERER = Renderer(REPO / "templates")
#: Every character, surrogates included; markup and YAML's own characters often.
CHARACTERS = st.one_of(st.characters(codec=None, categories=None),
                       st.sampled_from('<>"\'&=[]()!#*_`|{}\\:-@+\n\t\r\u202e\ufffe\x00\x1b'))
#: Text of any characters.
ANY_TEXT = st.text(CHARACTERS, min_size=1, max_size=24)
#: Text that passes validation but is markup somewhere, so that sites get
#: built, and checked.
MARKUP_TEXT = st.text(st.one_of(st.sampled_from('<>"\'&=[]()!#*_`|{}\\:-@+ é中\u200e'),
                                st.characters(categories=["L", "N", "P", "S", "Zs"])),
                      min_size=1, max_size=24)
#: Tags the generator writes itself; any other is markup from the data.
OWN_TAGS = {"div", "p", "strong", "em", "a", "ul", "li", "blockquote", "h1", "h2", "h3", "table", "thead",
            "tbody", "tr", "th", "td", "code", "span", "br", "hr", "sup", "ol", "details", "summary",
            "svg", "title", "desc", "rect", "text", "polyline", "circle"}


def scalar(value: str, escaped: bool) -> str:
    """``value`` as a double-quoted YAML scalar: every character escaped, or
    as JSON writes it (control characters escaped, the rest as they are)."""
    if escaped:
        return '"' + "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else
                             f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}"
                             for c in value) + '"'
    return json.dumps(value, ensure_ascii=False)


def files_with(text: Callable[[], str], actor: str) -> dict[str, bytes]:
    """A data folder whose every text field is a YAML scalar from ``text``,
    with an actor of that name."""
    files = {
        "themes.yml": f"trade: {{title: {text()}, description: {text()}}}\n",
        "events.yml": f"call: {{title: {text()}, description: {text()}}}\n",
        "countries.yml": f"countries:\n  RU: {{name: Russia}}\nactors:\n  odd: {{name: {actor}}}\n",
        "sources/fuzzed.yml": (
            f"source:\n  title: {text()}\n  publisher: {text()}\n  url: https://example.org/a\n"
            f"  published: 2026-02-07\n  terms: {text()}\nextracts:\n"
            + "".join(
                f"  - id: x{i}\n    date: 2026-02-0{i + 1}\n"
                f"    countries: [China, {actor if i else 'Russia'}]\n"
                f"    themes: [trade]\n    kind: {'quote' if i else 'paraphrase'}\n    event: call\n"
                f"    speaker: {text()}\n    speaker_native: {text()}\n    text: {text()}\n"
                f"    figures:\n"
                f"      - {{label: {text()}, value: {i + 1}, unit: {text()}, period: {text()}}}\n"
                for i in range(2))),
    }
    return {path: content.encode("utf-8", "surrogatepass") for path, content in files.items()}


@st.composite
def data_files(draw: st.DrawFn) -> dict[str, bytes]:
    escaped, hostile = draw(st.booleans()), draw(st.booleans())
    texts = ANY_TEXT if hostile else MARKUP_TEXT
    # An actor named with letters to make a page name of, or with anything.
    actor = draw(texts) if hostile else "Land " + draw(texts)
    return files_with(lambda: scalar(draw(texts), escaped), scalar(actor, escaped))


#: Attributes the generator writes itself.
_OWN_ATTRIBUTES = ("href", "id", "class", "title", "lang", "open", "scope", "data-label",
                   # The charts' drawing.
                   "viewbox", "role", "aria-labelledby", "fill", "font-size", "xmlns", "x", "y", "width",
                   "height", "text-anchor", "points", "stroke", "stroke-width", "cx", "cy", "r")


class _Markup(HTMLParser):
    """Tags and attributes the generator does not write, as a browser parses them."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in OWN_TAGS:
            self.problems.append(tag)
        for name, value in attrs:
            # Python-Markdown aligns table columns with a style of its own.
            aligned = name == "style" and re.fullmatch(r"text-align: (left|right|center);?", value or "")
            if name.startswith("on") or (name not in _OWN_ATTRIBUTES and not aligned):
                self.problems.append(f"{tag} {name}={value}")
            if name == "href" and re.match(r"\s*[a-z][a-z0-9+.-]*:", value or "", re.I) \
                    and not (value or "").startswith(("https://", "http://")):
                self.problems.append(f"{tag} href={value}")


def check_page(path: str, text: str) -> None:
    body, meta = get_data(text)
    assert text.startswith("---\n") == bool(meta), path
    page = markdown.markdown(body, extensions=["tables", "attr_list", "admonition", "toc"])
    markup = _Markup()
    markup.feed(page)
    assert markup.problems == [], (path, markup.problems)


def check_output(files: dict[str, bytes]) -> None:
    for path, content in files.items():
        text = content.decode("utf-8")
        if path.endswith(".xml"):
            ET.fromstring(content)
        elif path.endswith(".json"):
            json.loads(text, parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name)))
        elif path.endswith(".csv"):
            for row in csv.reader(io.StringIO(text)):
                assert all(cell.lstrip(" \t\r\n")[:1] not in ("=", "+", "-", "@") for cell in row), row
        else:
            check_page(path, text)


def check_errors(diagnostics: tuple[Diagnostic, ...], files: dict[str, bytes]) -> None:
    for d in diagnostics:
        path = d.location.path.removeprefix("briefings/")
        assert path in files, d
        lines = files[path].decode("utf-8", "surrogatepass").splitlines()
        assert 1 <= d.location.line <= max(len(lines), 1) and d.location.col >= 1, d
        assert re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", d.format()) is None, d


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data_files())
def test_arbitrary_text_gives_a_positioned_error_or_a_safe_site(files: dict[str, bytes]) -> None:
    try:
        output = build_site(files, RENDERER)
    except BriefingError as exc:
        event("stopped with errors")
        check_errors(exc.diagnostics, files)
        return
    event("built")
    check_output(output.files)


def test_the_fuzzed_files_can_pass() -> None:
    # The property is worth something only if plain text gets through it.
    names = iter(f'"Text <b>{i}</b> [x](javascript:alert({i}))"' for i in range(100))
    output = build_site(files_with(lambda: next(names), '"Land <i>"'), RENDERER)
    assert "pairs/china-land-i.md" in output.files
    check_output(output.files)


def test_front_matter_titles_survive_every_code_point() -> None:
    from generator.markup import meta_title

    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    for start in range(0, len(everything), 4096):
        chunk = everything[start:start + 4096]
        page = f"---\ntitle: {meta_title(chunk)}\n---\n\n# Body\n"
        body, meta = get_data(page)
        expected = " ".join(chunk.split()).replace("&", "&amp;").replace("<", "&lt;").replace(
            ">", "&gt;").replace('"', "&quot;")
        assert meta == {"title": expected}, start
        assert body == "# Body\n"
    # The templates write every title through it.
    titles = [line for path in Path(REPO / "templates").glob("*.j2")
              for line in path.read_text().splitlines() if line.startswith("title:")]
    assert titles and all(line.endswith("|meta_title }}") for line in titles)
