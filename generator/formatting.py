"""How numbers, dates, counts and cut texts are written on every page."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from .when import MONTHS, When, long_when


@lru_cache(maxsize=1 << 14)
def long_date(day: dt.date | When) -> str:
    """``7 February 2026``, ``November 2025``, ``2025``. Memoised: a corpus
    has far fewer days than extracts."""
    return long_when(day)


def format_period(period: str) -> str:
    """A figure's period in the site's one date style: ``2026-02-04`` is
    ``4 February 2026``, ``2025-11`` ``November 2025``; other text as it is."""
    try:
        return long_date(When.parse(period.strip())) if period[:1].isdigit() else period
    except ValueError:
        return period


def month_title(year: int, month: int) -> str:
    """``February 2026``."""
    return f"{MONTHS[month - 1]} {year}"


def format_number(value: float) -> str:
    """``228.1``, ``85`` (no trailing ``.0``), thousands separated."""
    if value.__class__ is int:  # a count: most numbers a page shows
        return f"{value:,}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def plural(count: int, noun: str) -> str:
    """``1 source``, ``2 sources``, ``2,202 pairs``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def truncate(text: str, length: int) -> str:
    """At most ``length`` characters, cut at a word, with an ellipsis when cut."""
    flat = " ".join(text.split())
    if len(flat) <= length:
        return flat
    cut = flat[: length - 1].rsplit(" ", 1)[0]
    return cut + "…"
