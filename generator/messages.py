"""What the checks say: problems put in an editor's words, with a hint.

YAML syntax errors arrive in libyaml's words ("did not find expected '-'
indicator"), and shape errors in pydantic's ("Input should be a valid
string"). An editor needs to know what to change in their file, so both
are translated here, in one place, for every check to use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .errors import Diagnostic, Location, did_you_mean
from .models import EVENT_ROLES, KINDS, TRANSLATIONS, TRENDS, VOICES, slugify, type_name

Loc = tuple[str | int, ...]

_QUOTE_HINT = "put text that holds ': ' or ' #' in quotes, e.g. text: \"Xi: a new era\""
_LINE_UP_HINT = ("line up each field with the other fields of its entry; text that goes on to the next "
                 "line must be indented more than its field, or put in quotes")

#: libyaml's problem (and the start of its context, if it matters) → what
#: it means in an editor's words, and the hint that usually fixes it. The
#: message may name the line where the enclosing structure starts.
_SYNTAX: tuple[tuple[str, str, str, str], ...] = (
    ("found a tab character", "", "tab character in indentation",
     "YAML indents with spaces only; replace the tab with spaces"),
    ("expected '-' indicator", "", "a line is not lined up with the lines before it, in the list that "
     "starts at line {context}", "start every item with '-' at the indentation of the list's first item, "
     "and line up each field with the other fields of its item"),
    ("did not find expected key", "", "a line is not lined up with the lines before it, in the block that "
     "starts at line {context}", _LINE_UP_HINT),
    ("mapping values are not allowed", "", "a ':' followed by a space inside a value", _QUOTE_HINT),
    ("could not find expected ':'", "", "a line has no ':' after its field name, or goes on with a "
     "value without being indented", "write 'field: value'; " + _LINE_UP_HINT),
    ("found unexpected end of stream", "quoted", "a quotation mark opened at line {context} is never "
     "closed", "close the quotation, or write the text without the quotation mark that opens it"),
    ("unknown escape character", "", "an unknown escape '\\' in text within double quotes",
     "write '\\\\' for a backslash, or put the text in single quotes"),
    ("invalid Unicode character escape", "", "an escape in text within double quotes is not a character",
     "delete the escape"),
    ("expected ',' or ']'", "", "a list in brackets, opened at line {context}, is not closed, or its "
     "items are not separated by commas",
     "close it with ']' and separate its items with ', '; quote an item that holds a comma or a bracket"),
    ("expected ',' or '}'", "", "a mapping in braces, opened at line {context}, is not closed, or its "
     "fields are not separated by commas",
     "close it with '}' and separate its fields with ', '; quote a value that holds a comma or a brace"),
    ("cannot start any token", "", "a value starts with a character YAML reserves",
     "put the value in quotes: '@' and '`' cannot start unquoted text"),
    ("directive", "", "a line starts with '%', which YAML reserves",
     "put the text in quotes, or indent it under its field"),
    ("block sequence entries are not allowed", "", "a list item ('- ') where a value was expected",
     "start the list on the next line, indented under its field, or quote the text"),
    ("alphabetic or numeric character", "alias", "'*' starts an alias in YAML",
     "put text that starts with '*' in quotes"),
    ("alphabetic or numeric character", "anchor", "'&' starts an anchor in YAML",
     "put text that starts with '&' in quotes"),
    ("another document", "", "the file holds more than one YAML document (a '---' line)",
     "remove the '---' line: a data file is one document"),
    ("document start", "", "text after the end of the document (a '...' line)",
     "remove the '...' line"),
    ("block scalar", "", "a '|' or '>' block does not start as YAML expects",
     "write nothing after '|' or '>' but '-' or '+', and the text on the next lines, indented"),
    ("expected <block end>", "", "a line is not lined up with the lines before it "
     "(the block starts at line {context})", _LINE_UP_HINT),
    ("found unexpected ':'", "", "a ':' inside a value", _QUOTE_HINT),
    ("expected node content", "", "a value is missing, or starts with a character YAML reserves",
     "write a value after ':' or '-'; put it in quotes if it starts with [ { * & ! | > % @ or `"),
)


class Suggestions:
    """The "did you mean" hints of one run.

    Each new hint compares a word with every choice (every country, theme or
    file name), so a run makes at most ``limit`` of them; past that, a hint
    says where to look instead. The hint for a word already met is
    remembered, and costs nothing.
    """

    def __init__(self, limit: int = 200) -> None:
        self.left = limit
        self._made: dict[tuple[str, str], str] = {}

    def hint(self, kind: str, word: str, make: Callable[[], str], fallback: str) -> str:
        """The hint for ``word`` among ``kind``: made by ``make`` while the run
        has hints left, else ``fallback``."""
        key = (kind, word)
        found = self._made.get(key)
        if found is None:
            if self.left <= 0:
                return fallback
            self.left -= 1
            found = self._made[key] = make() or fallback
        return found


def syntax_error(path: str, exc: yaml.MarkedYAMLError, text: str) -> Diagnostic:
    """A YAML syntax error in an editor's words, at the place libyaml stopped."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem, context = exc.problem or "", exc.context or ""
    opened = exc.context_mark.line + 1 if exc.context_mark else line
    lines = text.splitlines()
    if 0 < line <= len(lines) and lines[line - 1][col - 1: col] == "\t":
        problem = "found a tab character"
    for found, within, message, hint in _SYNTAX:
        if found in problem and within in context:
            return Diagnostic(Location(path, line, col), message.format(context=opened), hint)
    return Diagnostic(Location(path, line, col), "the file is not valid YAML here",
                      "check the indentation, colons and quotes of this line and the one before")


def translate(document: Any, exc: ValidationError, model: type[BaseModel],
              prefix: Loc = ()) -> list[Diagnostic]:
    """pydantic's errors as diagnostics an editor can act on, located in
    ``document`` (errors of a part of the file are under ``prefix``)."""
    result = []
    for err in exc.errors():
        loc: Loc = (*prefix, *err["loc"])
        field_loc = tuple(err["loc"])
        # The field's name; for an entry of a slug file that is not a mapping at
        # all, the entry's slug.
        name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "value")
        kind = err["type"]
        hint = ""
        if kind == "missing":
            where = document.locate(loc[:-1])
            message = f"missing required field '{name}'"
        elif kind == "extra_forbidden":
            where = document.locate(loc, key=True)
            known = field_names(model, field_loc[:-1])
            message = f"unknown field '{name}'"
            hint = did_you_mean(name, known, listing="known fields")
        else:
            where = document.locate(loc)
            message, hint = _describe(kind, name, err)
        result.append(Diagnostic(where, message, hint))
    return result


def _describe(kind: str, name: str, err: Any) -> tuple[str, str]:
    given = err.get("input")
    if kind == "value_error":
        text = str(err["ctx"]["error"])
        if text == "must not be empty":
            return f"'{name}' must not be empty", ""
        # A check may word its whole message, naming the field, and add a hint on a line of its own.
        message, _, hint = text.partition("\n")
        return (message if message.startswith(f"'{name}'") else f"'{name}': {message}"), hint
    if kind == "string_too_short":
        return f"'{name}' must not be empty", ""
    if kind == "string_type":
        return f"'{name}' must be text, not {type_name(given)}", (
            "put the text on one line or in a '>-' block" if isinstance(given, (list, dict)) else
            "quote it: '\"...\"'")
    if kind == "string_pattern_mismatch":
        return (f"'{name}' must be lowercase letters, digits and hyphens, not '{given}'",
                f"e.g. '{slugify(str(given)) or 'cn-ru-trade'}'")
    if kind == "literal_error":
        choices = {"kind": KINDS, "trend": TRENDS, "voice": VOICES, "translation": TRANSLATIONS,
                   "event_role": EVENT_ROLES}.get(name, ())
        return (f"'{name}' must be one of {' | '.join(choices) or err['ctx']['expected']}, not '{given}'",
                did_you_mean(str(given), choices))
    if kind in ("list_type", "tuple_type"):
        return f"'{name}' must be a list, not {type_name(given)}", f"write '{name}: [..., ...]'"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"'{name}' must be a mapping of fields, not {type_name(given)}", ""
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing"):
        return f"'{name}' must be a number, not {type_name(given)}", "write digits, e.g. 228.1"
    return f"'{name}': {err['msg']}", ""


def field_names(model: type[BaseModel], loc: Iterable[Any]) -> list[str]:
    """Field names of the model found at ``loc`` inside ``model``."""
    current: Any = model
    for part in loc:
        if not isinstance(part, str):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        current = _inner_model(fields[part].annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
