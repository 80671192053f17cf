"""Stage 1: YAML bytes in, plain data with source positions out.

PyYAML's safe composer (the libyaml C parser when available) builds a node
tree that keeps every node's line and column. We construct values from that
tree ourselves instead of using PyYAML's constructor, because the editors'
format needs rules YAML 1.1 does not have:

* only ``true`` and ``false`` are booleans: ``NO`` is Norway, ``on``/``yes``
  are text, and ``012345`` stays text instead of becoming an octal number;
* dates stay text, so validation can report ``2026-02-30`` precisely;
* duplicate keys, anchors/aliases, tags and absurd nesting are errors,
  not silent surprises.

Nothing here touches the disk: callers pass the bytes in.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Diagnostic, Location
from .formatting import truncate
from .messages import syntax_error

try:  # libyaml is an optional speed-up of PyYAML; both loaders are safe.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_TAG = "tag:yaml.org,2002:"
_DEFAULT_TAGS = {yaml.ScalarNode: _TAG + "str", yaml.SequenceNode: _TAG + "seq",
                 yaml.MappingNode: _TAG + "map"}


class _SafeLoader(_BaseLoader):
    """The safe loader without YAML 1.1 implicit typing.

    Plain scalars are typed by :meth:`_Builder.scalar` instead, so the
    composer's per-node resolver lookups (a third of composing time) are
    skipped. Explicit tags are still reported by the composer unchanged.
    """

    def resolve(self, kind: type[yaml.Node], value: object, implicit: object) -> str:
        return _DEFAULT_TAGS[kind]

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

#: Largest YAML file accepted; a briefing file is a few dozen kilobytes.
MAX_FILE_BYTES = 2 * 1024 * 1024
#: Deepest nesting of lists and mappings any valid file needs is 5
#: (file → extracts → extract → pairs → pair); allow one spare level.
MAX_DEPTH = 6
#: How many unwanted characters a file's messages list one by one.
MAX_CHARACTER_ERRORS = 20

Loc = tuple[str | int, ...]

_ALLOWED_TAGS = frozenset(
    _TAG + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "merge", "value", "seq", "map")
)
_NUMBER_START = frozenset("-0123456789")
#: Plain scalars that are not text (``true``, ``null``...): with those
#: starting like a number, the only ones :meth:`_Builder.scalar` must type.
_SPECIAL = frozenset({"true", "false", "", "~", "null"})
#: The tag the composer gives every untagged scalar (see _SafeLoader.resolve).
_STR = _DEFAULT_TAGS[yaml.ScalarNode]
#: An integer, or (with a fraction or exponent, the group) a float.
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)((?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)")
#: More digits than any figure has: beyond them a number is no longer a
#: float (1e309 is infinity) or, past 4,300 digits, not even convertible.
_MAX_DIGITS = 300
#: Characters no text of the format may hold, written or produced by an
#: escape: C0 and C1 controls other than tab and line breaks; the Unicode
#: bidirectional embedding, override and isolate controls, which can make
#: text display in another order than it is stored ("Trojan Source"); and
#: the characters XML 1.0 does not allow (surrogates) or that are not
#: characters at all (the noncharacters U+FDD0–U+FDEF and the last two
#: code points of every plane), which break feeds and the pages' front
#: matter. The marks LRM, RLM and ALM are allowed: they only set the
#: direction of the neutral characters next to them, and Arabic and
#: Hebrew quotes need them.
_FORBIDDEN_BMP = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
                  "\ufdd0-\ufdef\ufffe\uffff")
_FORBIDDEN_ASTRAL = "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}"
                            for plane in range(1, 17))
_FORBIDDEN = _FORBIDDEN_BMP + _FORBIDDEN_ASTRAL
# Searched apart: a character class with characters beyond the Basic
# Multilingual Plane makes every search ten times slower, and most files
# have none of those characters at all.
# Raw, the line and paragraph separators are line breaks to YAML but not
# to editors, and would shift every position after them.
_FORBIDDEN_IN_BMP = re.compile(f"[{_FORBIDDEN_BMP}\u2028\u2029]")
_FORBIDDEN_BEYOND_BMP = re.compile(f"[{_FORBIDDEN_ASTRAL}]")
_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")
#: A raw carriage return is a line break; in a value (from an escape) it is
#: a control character like the others.
_FORBIDDEN_IN_VALUES = re.compile(f"[{_FORBIDDEN}\r]")
#: The escapes of a double-quoted YAML string.
_ESCAPE = re.compile(r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)
_SIMPLE_ESCAPES = {"0": "\x00", "a": "\x07", "b": "\x08", "t": "\t", "\t": "\t", "n": "\n", "v": "\x0b",
                   "f": "\x0c", "r": "\r", "e": "\x1b", "N": "\x85", "_": "\xa0", "L": "\u2028",
                   "P": "\u2029"}


def character_name(char: str) -> str:
    """``U+202E`` (and the character's Unicode name where it has one)."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def _position(text: str, index: int) -> tuple[int, int]:
    """Line and column (from 1) of the character at ``index``."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _character_errors(path: str, text: str) -> list[Diagnostic]:
    """Every unwanted character written in the file, at its line and column
    (the first MAX_CHARACTER_ERRORS of them, then a count)."""
    found = list(itertools.islice(_forbidden(text), MAX_CHARACTER_ERRORS + 1))
    problems = []
    for match in found[:MAX_CHARACTER_ERRORS]:
        line, col = _position(text, match.start())
        problems.append(Diagnostic(Location(path, line, col), _character_message(match.group()),
                                   "delete it; retype the text if it was pasted"))
    if len(found) > MAX_CHARACTER_ERRORS:
        rest = sum(1 for match in _forbidden(text) if match.start() >= found[-1].start())
        line, col = _position(text, found[-1].start())
        problems.append(Diagnostic(Location(path, line, col),
                                   f"{rest:,} more characters like these from here on",
                                   "the file may not be text; save it again as UTF-8 text"))
    return problems


def _forbidden(text: str) -> Iterator[re.Match[str]]:
    """The unwanted characters written in ``text``, in order."""
    found = _FORBIDDEN_IN_BMP.finditer(text)
    if not _BEYOND_BMP.search(text):
        return found
    return iter(sorted([*found, *_FORBIDDEN_BEYOND_BMP.finditer(text)], key=lambda match: match.start()))


def _character_message(char: str) -> str:
    if char in "\u2028\u2029":
        return f"text contains {character_name(char)}, which YAML reads as a line break"
    if unicodedata.category(char) == "Cc":
        return f"text contains the invisible control character {character_name(char)}"
    if "\u202a" <= char <= "\u2069":
        return f"text contains the bidirectional control {character_name(char)}, which reorders text"
    return f"text contains {character_name(char)}, which is not a character text may hold"


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: its data and where every value came from.

    Positions are looked up in the composed node tree only when a message
    needs one: recording the position of every value up front cost as much
    as composing the file.
    """

    path: str
    data: Any
    root: yaml.Node | None = field(default=None, repr=False)

    def locate(self, loc: Loc, *, key: bool = False) -> Location:
        """The position of ``loc`` (a path such as ``("extracts", 3, "id")``), or
        of its nearest ancestor that exists; with ``key``, of the mapping key
        rather than its value."""
        node = self.root
        if node is None:
            return Location(self.path, 1, 1)
        key_node: yaml.Node | None = None
        for part in loc:
            child, child_key = _child(node, part)
            if child is None:
                break
            node, key_node = child, child_key
        mark = (key_node if key and key_node is not None else node).start_mark
        return Location(self.path, mark.line + 1, mark.column + 1)

    def locate_each(self, loc: Loc, field: str, count: int) -> list[Location]:
        """``locate((*loc, i, field))`` for each of the first ``count`` items of
        the sequence at ``loc``, walking to the sequence once."""
        node = self.root
        for part in loc:
            node = _child(node, part)[0] if node is not None else None
        if not isinstance(node, yaml.SequenceNode) or len(node.value) < count:
            return [self.locate((*loc, i, field)) for i in range(count)]
        return [_mark(self, _child(item, field)[0] or item) for item in node.value[:count]]


def _mark(doc: Document, node: yaml.Node) -> Location:
    return Location(doc.path, node.start_mark.line + 1, node.start_mark.column + 1)


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node | None]:
    """The value at ``part`` of a mapping or sequence node, and its key node."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            # The first of duplicate keys: the one the data keeps.
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == part:
                return value_node, key_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part], None
    return None, None


class _Builder:
    """Turns a composed node tree into plain values."""

    def __init__(self, path: str, text: str, normalize: bool = False) -> None:
        self.path = path
        self.text = text
        #: Whether text values must be made NFC (the file is not).
        self.normalize = normalize
        self.diagnostics: list[Diagnostic] = []
        #: Whether the text could hold an alias (it has a ``*``) or an escape
        #: (a backslash): only then is each node checked for one.
        self.aliases = "*" in text
        self.escapes = "\\" in text
        self.seen: set[int] = set()

    def error(self, node: yaml.Node, message: str, hint: str = "", index: int | None = None) -> None:
        """Report a problem at ``node``, or at ``index`` within its text."""
        mark = node.start_mark
        line, col = mark.line + 1, mark.column + 1
        if index is not None:
            # Counted from the node's start, not the file's: a file of many
            # problems is then still read once.
            breaks = self.text.count("\n", mark.index, index)
            line += breaks
            col = index - self.text.rfind("\n", mark.index, index) if breaks else col + index - mark.index
        self.diagnostics.append(Diagnostic(Location(self.path, line, col), message, hint))

    def build(self, node: yaml.Node, depth: int) -> Any:
        if self.aliases:
            # An alias makes the composer hand out the same node object twice.
            if id(node) in self.seen:
                self.error(
                    node,
                    "YAML anchors and aliases are not allowed",
                    "write the value out in full at each place it is needed",
                )
                return None
            self.seen.add(id(node))
        if node.tag not in _ALLOWED_TAGS:
            self.error(node, f"YAML tag '{node.tag.replace(_TAG, '!!')}' is not allowed",
                       "remove the tag; write plain values")
            return None
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if depth >= MAX_DEPTH:
            self.error(node, f"nesting is deeper than {MAX_DEPTH} levels",
                       "no briefing file needs lists or mappings nested this deep")
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, depth)
        return [self.build(item, depth + 1) for item in node.value]

    def mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        #: The line each key was first given at, for a duplicate's message.
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not yaml.ScalarNode:
                self.error(key_node, "a mapping key must be plain text")
                continue
            if (key_node.tag is not _STR and key_node.tag not in _ALLOWED_TAGS) or (
                    self.aliases and id(key_node) in self.seen):
                self.error(key_node, "a mapping key must be plain text",
                           "remove the tag, anchor or alias before the key")
                continue
            if self.aliases:
                self.seen.add(id(key_node))
            key = _nfc(key_node.value) if self.normalize else key_node.value
            if not key_node.style and (key in _SPECIAL or key[:1] in _NUMBER_START):
                key = str(self.scalar(key_node))
            elif self.escapes and key_node.style == '"':
                self.check_escapes(key_node)
            if key in first:
                self.error(key_node, f"duplicate key '{key}' (first given at line {first[key]})",
                           "YAML keeps only the last value; remove one of them")
                continue
            first[key] = key_node.start_mark.line + 1
            # Most values are untagged text, which needs none of build()'s
            # checks: taken here, inline, they save a call and its checks each.
            if (value_node.__class__ is yaml.ScalarNode and value_node.tag is _STR and not self.aliases
                    and (value_node.style or not (value_node.value in _SPECIAL
                                                  or value_node.value[:1] in _NUMBER_START))):
                if self.escapes and value_node.style == '"':
                    self.check_escapes(value_node)
                result[key] = _nfc(value_node.value) if self.normalize else value_node.value
            else:
                result[key] = self.build(value_node, depth + 1)
        return result

    def check_escapes(self, node: yaml.ScalarNode) -> None:
        """Report the escapes of a double-quoted scalar that give an unwanted
        character, at the escape (characters written as they are were
        reported before the file was composed)."""
        if not _FORBIDDEN_IN_VALUES.search(node.value):
            return
        start, end = node.start_mark.index, node.end_mark.index
        for escape in _ESCAPE.finditer(self.text, start, end):
            char = _unescape(escape.group())
            if char and _FORBIDDEN_IN_VALUES.fullmatch(char):
                self.error(node, _character_message(char) + f", written '{escape.group()}'",
                           "delete the escape", escape.start())

    def scalar(self, node: yaml.ScalarNode) -> Any:
        value: str = node.value
        if not node.style:  # plain (unquoted): None from PyYAML, '' from the C parser
            if value == "true" or value == "false":
                return value == "true"
            if value in ("", "~", "null"):
                return None
            if value[:1] in _NUMBER_START:
                number = _NUMBER.fullmatch(value)
                if number:
                    return self.number(node, value, bool(number.group(1)))
        elif self.escapes and node.style == '"':
            self.check_escapes(node)
        return _nfc(value) if self.normalize else value

    def number(self, node: yaml.ScalarNode, value: str, fraction: bool) -> int | float | None:
        digits = len(value.split("e")[0].split("E")[0].lstrip("-").replace(".", "").lstrip("0"))
        converted: float = float(value) if fraction and digits <= _MAX_DIGITS else 0.0
        if digits > _MAX_DIGITS or not math.isfinite(converted):
            self.error(node, f"the number {truncate(value, 24)} is too large to be a figure",
                       "write it in a larger unit, e.g. 'value: 1.4' with 'unit: USD trillion'")
            return None
        return converted if fraction else int(value)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _unescape(escape: str) -> str:
    """The character a double-quoted YAML escape stands for ('' if none)."""
    if escape[1] in "xuU" and len(escape) > 2:
        return chr(int(escape[2:], 16)) if int(escape[2:], 16) <= 0x10FFFF else ""
    return _SIMPLE_ESCAPES.get(escape[1], "")


def parse_yaml(path: str, data: bytes) -> tuple[Document, list[Diagnostic]]:
    """Parse one file's bytes. Returns the document and any problems found.

    ``path`` is only used in positions; the document's data is ``None`` when
    the file cannot be parsed at all. Text is read in Unicode's composed
    form (NFC), so an accented name typed with a combining accent is the
    name an editor sees.
    """
    if len(data) > MAX_FILE_BYTES:
        return Document(path, None), [Diagnostic(Location(path), size_problem(len(data), MAX_FILE_BYTES),
                                                 "split the source's extracts over several files")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before.decode("utf-8", "replace")) - (before.decode("utf-8", "replace").rfind("\n") + 1) + 1
        return Document(path, None), [Diagnostic(
            Location(path, line, col), f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "save the file with UTF-8 encoding")]
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        # Line breaks as editors count them: a lone CR is one too.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    problems = _character_errors(path, text) or _depth_errors(path, text)
    if problems:
        return Document(path, None), problems
    try:
        root = yaml.compose(text, Loader=_SafeLoader)
    except yaml.MarkedYAMLError as exc:
        return Document(path, None), [syntax_error(path, exc, text)]
    except yaml.YAMLError as exc:  # a reader error: a character YAML does not allow
        index = getattr(exc, "position", 0)
        line, col = _position(text, index)
        char = text[index: index + 1]
        return Document(path, None), [Diagnostic(
            Location(path, line, col),
            _character_message(char) if char else "the file is not YAML text",
            "delete it; retype the text if it was pasted")]
    # Text is made NFC value by value, so positions stay those of the file.
    builder = _Builder(path, text, normalize=not unicodedata.is_normalized("NFC", text))
    data_value = None if root is None else builder.build(root, 0)
    return Document(path, data_value, root), builder.diagnostics


#: libyaml's composer recurses in C, and a few thousand levels of nesting
#: would exhaust the stack: a file is composed only once it is known to be
#: shallower than this many brackets plus this much indentation.
_SAFE_NESTING = 1_000
_DEEP_INDENT = "\n" + " " * _SAFE_NESTING
_COMPACT_ENTRIES = re.compile(r"(?:[-?][ \t]+){50}")
#: What a run of entries on one line starts with: a substring, found before
#: the run is looked for.
_COMPACT_STARTS = ("- -", "-\t", "? ", "?\t", "-  ")


def _depth_errors(path: str, text: str) -> list[Diagnostic]:
    """The first place a list or mapping is nested deeper than MAX_DEPTH, in
    a file that could be nested deeper than the composer can take.

    Nesting needs a bracket, or a line indented deeper than the one before,
    or an entry ('- ', '? ') written on the line of its parent. A file with
    few brackets, no line of many such entries and no deeply indented line
    is shallow enough, which a count shows; only another file is read event
    by event, which is safe at any depth.
    """
    brackets = text.count("[") + text.count("{")
    compact = any(start in text for start in _COMPACT_STARTS) and _COMPACT_ENTRIES.search(text)
    if brackets < _SAFE_NESTING and _DEEP_INDENT not in text and not compact:
        return []
    depth = 0
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
                return [Diagnostic(Location(path, line, col),
                                   f"nesting is deeper than {MAX_DEPTH} levels",
                                   "no briefing file needs lists or mappings nested this deep")]
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return []


def size_problem(size: int, limit: int) -> str:
    """What is wrong with a file of ``size`` bytes, over ``limit``."""
    return f"file is {size:,} bytes, over the limit of {limit:,}"
