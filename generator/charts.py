"""Small charts where readers would rather look than read: static SVG made at build time.

Drawn here rather than by a charting library: the two charts are a row of
bars and a line, a few dozen elements each; written by hand they take the
page's text colour (``currentColor``, so they follow the light and dark
schemes), need no script or stylesheet of their own, and come out the same
byte for byte every build. Each has a title and a description that say
what it shows in words, for screen readers, and the page lists the same
numbers as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .formatting import format_number, format_period
from .markup import html
from .when import MONTHS, When

#: The drawing's size in its own units; it scales to the column's width.
WIDTH, HEIGHT = 600, 120
_TOP, _BOTTOM = 10, 22


@dataclass(frozen=True)
class Point:
    """A labelled value: a month's number of extracts, a figure for a period."""

    label: str
    value: float


def months_between(dates: Sequence[When]) -> list[tuple[int, int]]:
    """Every month from the earliest of ``dates`` to the latest, in order
    (a date without a month counts as January)."""
    first, last = min(dates), max(dates)
    months = []
    year, month = first.year, first.month or 1
    while (year, month) <= (last.year, last.month or 1):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def extracts_per_month(dates: Sequence[When], chart_id: str, limit: int = 60) -> str:
    """Bars of the number of extracts each month (each year, over more than
    ``limit`` months), from the first to the last."""
    counts: dict[tuple[int, int], int] = {}
    for when in dates:
        key = (when.year, when.month or 1)
        counts[key] = counts.get(key, 0) + 1
    months = months_between(dates)
    if len(months) > limit:
        years: dict[int, int] = {}
        for (year, _), n in counts.items():
            years[year] = years.get(year, 0) + n
        points = [Point(str(y), years.get(y, 0)) for y in range(months[0][0], months[-1][0] + 1)]
        unit = "year"
    else:
        points = [Point(f"{MONTHS[m - 1]} {y}", counts.get((y, m), 0)) for y, m in months]
        unit = "month"
    described = "; ".join(f"{p.label}: {format_number(int(p.value))}" for p in points if p.value)
    return bars(points, chart_id, f"Extracts per {unit}", f"Extracts per {unit}, {points[0].label} to "
                f"{points[-1].label}. {described}.")


def bars(points: Sequence[Point], chart_id: str, title: str, description: str) -> str:
    """A bar per point, its value in its tooltip; the first and last labels below."""
    top = max(p.value for p in points) or 1
    step = WIDTH / len(points)
    gap = min(2.0, step / 4)
    plot = HEIGHT - _TOP - _BOTTOM
    shapes = []
    for i, p in enumerate(points):
        height = plot * p.value / top
        shapes.append(f'<rect x="{i * step + gap / 2:.1f}" y="{_TOP + plot - height:.1f}" '
                      f'width="{step - gap:.1f}" height="{height:.1f}"><title>{html(p.label)}: '
                      f"{format_number(p.value)}</title></rect>")
    axis = (f'<text x="0" y="{HEIGHT - 6}">{html(points[0].label)}</text>'
            f'<text x="{WIDTH}" y="{HEIGHT - 6}" text-anchor="end">{html(points[-1].label)}</text>'
            f'<text x="0" y="{_TOP - 1}">{format_number(top)}</text>')
    return _svg(chart_id, title, description, "".join(shapes) + axis)


def figure_line(label: str, unit: str, periods: Sequence[tuple[str, float]], chart_id: str) -> str:
    """A line through a figure's value in each period, oldest first."""
    low = min(v for _, v in periods)
    high = max(v for _, v in periods)
    span = (high - low) or abs(high) or 1
    plot = HEIGHT - _TOP - _BOTTOM
    step = (WIDTH - 40) / max(1, len(periods) - 1)
    xy = [(20 + i * step, _TOP + plot - plot * (v - low) / span) for i, (_, v) in enumerate(periods)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    marks = []
    for (x, y), (period, value) in zip(xy, periods, strict=True):
        shown = html(format_period(period))
        marks.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3"><title>{shown}: {format_number(value)} '
                     f'{html(unit)}</title></circle><text x="{x:.1f}" y="{HEIGHT - 6}" text-anchor="middle">'
                     f'{shown}</text><text x="{x:.1f}" y="{y - 6:.1f}" text-anchor="middle">'
                     f"{format_number(value)}</text>")
    described = "; ".join(f"{format_period(p)}: {format_number(v)} {unit}" for p, v in periods)
    body = f'<polyline points="{line}" fill="none" stroke="currentColor" stroke-width="2"/>{"".join(marks)}'
    return _svg(chart_id, f"{label} ({unit})", f"{label}, {unit}, by period. {described}.", body)


def _svg(chart_id: str, title: str, description: str, body: str) -> str:
    return (f'<svg class="briefings-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" fill="currentColor" font-size="11" '
            f'xmlns="http://www.w3.org/2000/svg"><title id="{chart_id}-title">{html(title)}</title>'
            f'<desc id="{chart_id}-desc">{html(description)}</desc>{body}</svg>')
