"""The one error type of the generator, and the diagnostics it carries.

Every problem found in the editors' data is a :class:`Diagnostic` that names
the file, line and column (counted from 1), says what is wrong and, where it
helps, how to fix it. Validation collects diagnostics for the whole run and
raises a single :class:`BriefingError` at the end, so an editor sees every
problem at once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

#: Characters a terminal or a CI log would act on or hide rather than show:
#: C0 and C1 controls (escape sequences start with one), lone surrogates
#: (which cannot even be written out), invisible format characters and
#: the bidirectional controls that reorder what follows them.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
                          "\u2060-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb]")


def printable(text: str) -> str:
    """``text`` with every character a terminal would act on or hide written
    as an escape (``\\x1b``, ``\\u202e``), so a message shows the data as it is."""
    return _UNPRINTABLE.sub(_escape, text) if _UNPRINTABLE.search(text) else text


def _escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@dataclass(frozen=True, order=True)
class Location:
    """A place in an input file; ``line`` and ``col`` count from 1."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{printable(self.path)}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem: where it is, what it is, and an optional hint."""

    location: Location
    message: str
    hint: str = ""
    severity: Severity = "error"

    def format(self) -> str:
        """Render as ``path:line:col: error: message`` plus an indented hint line,
        each on one line and with unprintable characters escaped: a message
        quotes the editors' data, which must not act on the terminal."""
        text = f"{self.location}: {self.severity}: {printable(self.message)}"
        if self.hint:
            text += f"\n    hint: {printable(self.hint)}"
        return text

    def __str__(self) -> str:
        return self.format()


class BriefingError(Exception):
    """Raised once per run when the data has errors; carries every diagnostic."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(sorted(diagnostics))
        super().__init__(self.report())

    def report(self) -> str:
        """All diagnostics, one per paragraph, followed by a count."""
        lines = [d.format() for d in self.diagnostics]
        errors = sum(1 for d in self.diagnostics if d.severity == "error")
        warnings = len(self.diagnostics) - errors
        if errors or not warnings:
            lines.append(f"{errors} error{'s' if errors != 1 else ''} in briefings data")
        else:
            lines.append(f"{warnings} warning{'s' if warnings != 1 else ''} in briefings data, which strict "
                         "mode treats as errors")
        return "\n".join(lines)


class FileRefused(Exception):
    """A file of the data folder that is not read, and why: raised when it is
    looked up, so the check that wanted it reports it at the file's path."""

    def __init__(self, reason: str, hint: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


def did_you_mean(word: str, choices: Iterable[str], *, listing: str = "") -> str:
    """A hint naming the closest choice, or listing the choices when none is close.

    ``listing`` names what the choices are ("known themes") and is used when
    no close match exists and the choices are few enough to print.
    """
    pool = sorted(set(choices))
    folded = {c.casefold(): c for c in pool}
    matches = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=0.6)
    if matches:
        return f"did you mean '{folded[matches[0]]}'?"
    if listing and pool:
        shown = ", ".join(pool[:12]) + (", ..." if len(pool) > 12 else "")
        return f"{listing}: {shown}"
    return ""


def fail_on_errors(diagnostics: Sequence[Diagnostic]) -> None:
    """Raise one :class:`BriefingError` when any diagnostic is an error."""
    if any(d.severity == "error" for d in diagnostics):
        raise BriefingError(diagnostics)
