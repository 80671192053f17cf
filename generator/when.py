"""Dates as precise as the news gives them: a day, a month or a year.

Articles say "on 4 February", "in November" or "last year"; an editor
writes ``2026-02-04``, ``2025-11`` or ``2025``. A :class:`When` keeps what
was written and no more: it never invents a day. It orders like a date (a
month before the days inside it, so timelines list it first within its
month), and it knows which dates it contains, so a coarser date never
disagrees with a finer one inside it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

_WRITTEN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")

#: A year, a month, a day: how precise a :class:`When` is.
PRECISIONS = ("year", "month", "day")


@dataclass(frozen=True, slots=True, order=True)
class When:
    """A year, a month of a year, or a day; ``month`` and ``day`` are 0 when not given."""

    year: int
    month: int = 0
    day: int = 0
    #: For sorting newest first: larger is later (a month sorts before its days).
    rank: int = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rank", self.year * 10_000 + self.month * 100 + self.day)

    @staticmethod
    def of(day: dt.date) -> When:
        """The day ``day``."""
        return When(day.year, day.month, day.day)

    @staticmethod
    def parse(text: str) -> When:
        """``2026-02-04``, ``2025-11`` or ``2025``; ``ValueError`` otherwise."""
        found = _WRITTEN.fullmatch(text)
        if found is None:
            raise ValueError(f"'{text}' is not a date in the form YYYY-MM-DD, YYYY-MM or YYYY")
        year, month, day = (int(part) if part else 0 for part in found.groups())
        try:
            dt.date(year or 1, month or 1, day or 1)
        except ValueError:
            raise ValueError(f"'{text}' is not a date in the calendar") from None
        if year == 0:
            raise ValueError(f"'{text}' is not a date in the calendar")
        return When(year, month, day)

    @property
    def precision(self) -> str:
        """``day``, ``month`` or ``year``."""
        return "day" if self.day else "month" if self.month else "year"

    @property
    def first(self) -> dt.date:
        """The first day it covers."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> dt.date:
        """The last day it covers."""
        if self.day:
            return self.first
        if not self.month:
            return dt.date(self.year, 12, 31)
        following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    def contains(self, other: When) -> bool:
        """Whether ``other`` lies within it: February 2026 contains 4 February 2026."""
        return self.first <= other.first and other.last <= self.last

    def isoformat(self) -> str:
        """As an editor writes it: ``2026-02-04``, ``2025-11``, ``2025``."""
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"

    def __str__(self) -> str:
        return self.isoformat()


def long_when(when: When | dt.date) -> str:
    """``7 February 2026``, ``November 2025``, ``2025``."""
    if isinstance(when, dt.date):
        return f"{when.day} {MONTHS[when.month - 1]} {when.year}"
    if when.day:
        return f"{when.day} {MONTHS[when.month - 1]} {when.year}"
    return f"{MONTHS[when.month - 1]} {when.year}" if when.month else str(when.year)
