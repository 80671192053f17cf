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

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Diagnostic, Location

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

#: Largest input file accepted; a briefing file is a few dozen kilobytes.
MAX_FILE_BYTES = 2 * 1024 * 1024
#: Deepest nesting of lists and mappings any valid file needs is 5
#: (file → extracts → extract → pairs → pair); allow one spare level.
MAX_DEPTH = 6

Loc = tuple[str | int, ...]

_ALLOWED_TAGS = frozenset(
    _TAG + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "merge", "value", "seq", "map")
)
#: Escapes in a double-quoted YAML string that can give a control character.
_CONTROL_ESCAPE = re.compile(r"\\[0abefvxuUN]")
_NUMBER_START = frozenset("-0123456789")
#: Plain scalars that are not text (``true``, ``null``...): with those
#: starting like a number, the only ones :meth:`_Builder.scalar` must type.
_SPECIAL = frozenset({"true", "false", "", "~", "null"})
#: The tag the composer gives every untagged scalar (see _SafeLoader.resolve).
_STR = _DEFAULT_TAGS[yaml.ScalarNode]
#: An integer, or (with a fraction or exponent, the group) a float.
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)((?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)")
#: C0/C1 controls other than tab and newline, and Unicode bidirectional
#: embedding/override/isolate characters, which can make text display in a
#: different order than it is stored ("Trojan Source").
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


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

    def __init__(self, path: str, *, aliases: bool, controls: bool) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        #: Whether the text could hold an alias (it has a ``*``) or a control
        #: character: only then is each node checked for one.
        self.aliases = aliases
        self.controls = controls
        self.seen: set[int] = set()

    def error(self, node: yaml.Node, message: str, hint: str = "") -> None:
        mark = node.start_mark
        self.diagnostics.append(
            Diagnostic(Location(self.path, mark.line + 1, mark.column + 1), message, hint)
        )

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
        for key_node, value_node in node.value:
            if key_node.__class__ is not yaml.ScalarNode:
                self.error(key_node, "a mapping key must be plain text")
                continue
            key = key_node.value
            if not key_node.style and (key in _SPECIAL or key[:1] in _NUMBER_START):
                key = str(self.scalar(key_node))
            elif self.controls:
                self.check_controls(key_node, key)
            if key in result:
                first = next(k for k, _ in node.value if k.value == key_node.value).start_mark.line + 1
                self.error(key_node, f"duplicate key '{key}' (first given at line {first})",
                           "YAML keeps only the last value; remove one of them")
                continue
            # Most values are untagged text, which needs none of build()'s
            # checks: taken here, inline, they save a call and its checks each.
            if (value_node.__class__ is yaml.ScalarNode and value_node.tag is _STR and not self.aliases
                    and (value_node.style or not (value_node.value in _SPECIAL
                                                  or value_node.value[:1] in _NUMBER_START))):
                if self.controls:
                    self.check_controls(value_node, value_node.value)
                result[key] = value_node.value
            else:
                result[key] = self.build(value_node, depth + 1)
        return result

    def check_controls(self, node: yaml.ScalarNode, value: str) -> None:
        bad = _FORBIDDEN_CHARS.search(value)
        if bad:
            self.error(node, f"text contains the invisible control character U+{ord(bad.group()):04X}",
                       "delete it; retype the text if it was pasted")

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
                    return float(value) if number.group(1) else int(value)
        if self.controls:
            self.check_controls(node, value)
        return value


def parse_yaml(path: str, data: bytes) -> tuple[Document, list[Diagnostic]]:
    """Parse one file's bytes. Returns the document and any problems found.

    ``path`` is only used in positions; the document's data is ``None`` when
    the file cannot be parsed at all.
    """
    if len(data) > MAX_FILE_BYTES:
        return Document(path, None), [Diagnostic(
            Location(path), f"file is {len(data):,} bytes, over the limit of {MAX_FILE_BYTES:,}",
            "split the source's extracts over several files")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return Document(path, None), [Diagnostic(
            Location(path, line, col), f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "save the file with UTF-8 encoding")]
    text = text.removeprefix("\ufeff")
    try:
        root = yaml.compose(text, Loader=_SafeLoader)
    except yaml.MarkedYAMLError as exc:
        return Document(path, None), [_syntax_error(path, exc, text)]
    except yaml.YAMLError as exc:  # reader errors carry a position but no mark
        return Document(path, None), [Diagnostic(Location(path), f"YAML syntax error: {exc}")]
    # A control character can also come from an escape in a double-quoted string.
    controls = _FORBIDDEN_CHARS.search(text) is not None or _CONTROL_ESCAPE.search(text) is not None
    builder = _Builder(path, aliases="*" in text, controls=controls)
    data_value = None if root is None else builder.build(root, 0)
    return Document(path, data_value, root), builder.diagnostics


def _syntax_error(path: str, exc: yaml.MarkedYAMLError, text: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    lines = text.splitlines()
    at = lines[line - 1][col - 1: col] if 0 < line <= len(lines) else ""
    if at == "\t" or "'\\t'" in problem:
        return Diagnostic(Location(path, line, col), "tab character in indentation",
                          "YAML indents with spaces only; replace the tab with spaces")
    if "special characters are not allowed" in problem:
        return Diagnostic(Location(path, line, col), "file contains a control character",
                          "delete it; retype the text if it was pasted")
    message = f"YAML syntax error: {problem}"
    if exc.context:
        message += f" ({exc.context}"
        if exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            message += f" at line {exc.context_mark.line + 1}"
        message += ")"
    return Diagnostic(Location(path, line, col), message,
                      "check indentation, colons and quotes around this line")
