"""Stage 3: the validated extracts arranged the way the site presents them.

Pure functions over :class:`Briefings`: by pair, by theme, by country, by
source, by event, by month; key figures; and where sources disagree. Every
list has a total order (newest first, then id; or by display name), so the
same data always gives the same pages.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import groupby
from operator import attrgetter
from typing import Any, TypeVar

from .lazy import cached_property
from .models import BY_SORT_KEY, Briefings, Country, Event, Extract, Pair, PairNote, Source, Theme

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
#: Extracts a pair's briefing page shows in full. Older ones are on the
#: pair's archive pages, so no page grows without bound.
PAIR_LATEST = 25
#: An archive page holds a pair's older extracts of one year, or of one
#: month when the year has more than this many: a page per month of a
#: sparse year would be a click per extract, a busy year on one page too
#: long to read.
ARCHIVE_PAGE_SIZE = 10
#: A month of a pair's archive with more extracts than a briefing page
#: shows is split into parts of this size, so every page stays readable
#: however busy the pair.
ARCHIVE_MONTH_SIZE = PAIR_LATEST
#: A timeline month page lists at most this many extracts; a busier month
#: is split into parts.
TIMELINE_PAGE_SIZE = 50
#: How many countries the home page matrix shows (the most covered ones).
MATRIX_SIZE = 16
#: How many extracts "latest" lists show on the home page, theme pages and
#: the timeline.
LATEST = 10
LATEST_IN_THEME = 20
LATEST_IN_TIMELINE = 50
#: How many pairs the home page and a theme page list (the most covered
#: ones); the full lists are on pages of their own.
TOP_PAIRS = 20

#: A figure of a pair: the pair's slug, and the figure's label, unit and
#: period, casefolded (see :class:`Figure`). The same label of two pairs
#: ("Bilateral trade") names two figures, which cannot disagree.
FigureKey = tuple[str, str, str, str]
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Version:
    """One version of a disputed fact, and the sources that give it."""

    value: str
    sources: tuple[Source, ...]
    extracts: tuple[Extract, ...]


@dataclass(frozen=True)
class Disagreement:
    """Sources give different values for the same fact."""

    subject: str
    versions: tuple[Version, ...]
    #: The event whose date is disputed: its page lists every source.
    event: Event | None = None


@dataclass(frozen=True)
class Month:
    """Extracts of one calendar month (or, on a pair's archive, one year, or
    part of a busy month), newest first."""

    title: str
    slug: str
    extracts: tuple[Extract, ...]
    #: The whole month's title, when this is one part of it.
    part_of: str = ""

    @property
    def months(self) -> tuple[Month, ...]:
        """The period's extracts by calendar month."""
        return by_month(self.extracts)

    @property
    def short_title(self) -> str:
        """The title without its year: ``March``, ``9–17 March``."""
        return self.title.rsplit(" ", 1)[0]

    @property
    def days(self) -> str:
        """A part's range of days: ``9–17``."""
        return self.title.split(" ", 1)[0]


@dataclass(frozen=True)
class EventView:
    """An event and what each source says about it."""

    event: Event
    extracts: tuple[Extract, ...]
    sources: tuple[Source, ...]
    pairs: tuple[Pair, ...]
    disagreements: tuple[Disagreement, ...]
    #: The figures its extracts give: a rebuild reuses the view while none
    #: of their disagreements changed.
    figure_keys: frozenset[FigureKey] = frozenset()

    @property
    def by_source(self) -> tuple[tuple[Source, tuple[Extract, ...]], ...]:
        """What each source says, sources by slug."""
        items: dict[str, list[Extract]] = defaultdict(list)
        for extract in self.extracts:
            items[extract.source.slug].append(extract)
        return tuple((s, tuple(items[s.slug])) for s in self.sources)


@dataclass(frozen=True)
class PairView:
    """Everything on one pair's briefing page.

    Its cached properties depend on its pair and extracts alone: a rebuild
    in which only the notes changed carries them over to the new view.
    """

    pair: Pair
    #: Every extract of the pair, newest first.
    extracts: tuple[Extract, ...]
    #: The latest PAIR_LATEST of them, which the briefing page shows.
    shown: tuple[Extract, ...]
    #: The extracts older than the shown ones, a page per year or month.
    archive: tuple[Month, ...]
    #: The sources of every extract of the pair.
    sources: tuple[Source, ...]
    #: The events the shown extracts report, and the figures they give that
    #: sources disagree on: what the briefing page notes.
    events: tuple[EventView, ...]
    figure_disagreements: tuple[Disagreement, ...]
    note: PairNote | None
    #: The "sources disagree" notes of each archive page, about its extracts.
    archive_notes: tuple[tuple[Disagreement, ...], ...] = ()
    #: The events and figures of all the pair's extracts: a rebuild reuses
    #: the view while none of them changed.
    event_slugs: frozenset[str] = frozenset()
    figure_keys: frozenset[FigureKey] = frozenset()

    @property
    def first(self) -> dt.date:
        """Date of the oldest extract."""
        return self.extracts[-1].date

    @property
    def last(self) -> dt.date:
        """Date of the newest extract."""
        return self.extracts[0].date

    @cached_property
    def shown_sources(self) -> tuple[Source, ...]:
        """The sources of the shown extracts, which the briefing page lists."""
        return _sources_of(self.shown)

    @cached_property
    def figure_extracts(self) -> tuple[Extract, ...]:
        """The shown extracts that give key figures, newest first."""
        return tuple(e for e in self.shown if e.figures)

    @cached_property
    def theme_extracts(self) -> dict[str, tuple[Extract, ...]]:
        """Every extract of the pair by theme slug, newest first."""
        items: dict[str, list[Extract]] = defaultdict(list)
        for extract in self.extracts:
            for theme in extract.themes:
                items[theme.slug].append(extract)
        return {slug: tuple(extracts) for slug, extracts in items.items()}

    @cached_property
    def theme_slugs(self) -> frozenset[str]:
        """Themes with a section on the briefing page."""
        return frozenset(t.slug for e in self.shown for t in e.themes)

    # The page's sections are made when the page is rendered: a rebuild
    # re-renders only the pages whose content changed.
    @cached_property
    def by_theme(self) -> tuple[tuple[Theme, tuple[Extract, ...]], ...]:
        """The shown extracts under each of their themes, themes by title."""
        themes: dict[str, tuple[Theme, list[Extract]]] = {}
        for extract in self.shown:
            for theme in extract.themes:
                themes.setdefault(theme.slug, (theme, []))[1].append(extract)
        return tuple((t, tuple(items)) for t, items in sorted(themes.values(), key=lambda kv: kv[0].title))

    @cached_property
    def timeline(self) -> tuple[Month, ...]:
        """The shown extracts by month."""
        return by_month(self.shown)

    @cached_property
    def archive_years(self) -> tuple[tuple[str, tuple[Month, ...]], ...]:
        """The archive pages by year, newest first."""
        years: dict[str, list[Month]] = {}
        for page in self.archive:
            years.setdefault(page.slug[:4], []).append(page)
        return tuple((year, tuple(pages)) for year, pages in years.items())

    def neighbours(self, index: int) -> tuple[Month | None, Month | None]:
        """The archive pages before (newer) and after (older) ``archive[index]``."""
        return (self.archive[index - 1] if index > 0 else None,
                self.archive[index + 1] if index + 1 < len(self.archive) else None)

    @cached_property
    def homes(self) -> dict[str, str]:
        """Extract id → path of the pair's page that shows the extract in full."""
        homes = dict.fromkeys([e.id for e in self.shown], f"pairs/{self.pair.slug}")
        for page in self.archive:
            path = f"pairs/{self.pair.slug}/{page.slug}"
            for extract in page.extracts:
                homes[extract.id] = path
        return homes

    @property
    def disagreements(self) -> tuple[Disagreement, ...]:
        """Every disagreement shown on the page, once: events first, then figures."""
        return _notes(self.events, self.figure_disagreements)


@dataclass(frozen=True)
class ThemeView:
    """A theme across pairs."""

    theme: Theme
    #: Every pair with extracts on the theme, in pair order.
    by_pair: tuple[tuple[Pair, tuple[Extract, ...]], ...]
    count: int
    latest: tuple[Extract, ...]

    @cached_property
    def top(self) -> tuple[tuple[Pair, tuple[Extract, ...]], ...]:
        """The TOP_PAIRS pairs with the most extracts on the theme, most first."""
        ranked = sorted(range(len(self.by_pair)), key=lambda i: -len(self.by_pair[i][1]))
        return tuple(self.by_pair[i] for i in ranked[:TOP_PAIRS])


@dataclass(frozen=True)
class CountryView:
    """A country's pairs and themes."""

    country: Country
    pairs: tuple[PairView, ...]
    themes: tuple[tuple[Theme, int], ...]
    count: int


@dataclass(frozen=True)
class SourceView:
    """A source and all its extracts."""

    source: Source
    extracts: tuple[Extract, ...]
    pairs: tuple[Pair, ...]

    @property
    def quotes(self) -> int:
        """Number of quote extracts."""
        return sum(1 for e in self.extracts if e.kind == "quote")

    @property
    def verified(self) -> int:
        """Number of quotes found verbatim in the archived text."""
        return sum(1 for e in self.extracts if e.verified)


@dataclass(frozen=True)
class Site:
    """The grouped data set: what rendering needs, and nothing else."""

    briefings: Briefings
    pairs: tuple[PairView, ...]
    themes: tuple[ThemeView, ...]
    countries: tuple[CountryView, ...]
    sources: tuple[SourceView, ...]
    events: tuple[EventView, ...]
    #: Every month with extracts, newest first.
    timeline: tuple[Month, ...]
    #: Each month's pages, by month slug: the month itself, or its parts
    #: (newest first) when it has more than TIMELINE_PAGE_SIZE extracts.
    month_pages: dict[str, tuple[Month, ...]]
    latest: tuple[Extract, ...]
    matrix: tuple[Country, ...]
    #: The TOP_PAIRS pairs with the most extracts, most first.
    top_pairs: tuple[PairView, ...]
    cells: dict[tuple[str, str], PairView] = field(default_factory=dict)
    #: Pair slug → its view.
    by_slug: dict[str, PairView] = field(default_factory=dict)
    #: Figures sources disagree on, by (label, unit, period).
    disputes: dict[FigureKey, Disagreement] = field(default_factory=dict)
    #: The extracts by key, which the next rebuild patches.
    index: Index | None = field(default=None, repr=False)

    def home(self, pair: Pair, extract: Extract) -> str:
        """Path (from the site root, without ``.md``) of the extract on the pair's pages."""
        return self.by_slug[pair.slug].homes[extract.id]

    @property
    def calendar(self) -> tuple[tuple[int, tuple[Month | None, ...]], ...]:
        """Years, newest first, each with its twelve months (``None`` for a
        month without extracts)."""
        years: dict[int, list[Month | None]] = {}
        for month in self.timeline:
            year, number = int(month.slug[:4]), int(month.slug[5:7])
            years.setdefault(year, [None] * 12)[number - 1] = month
        return tuple((year, tuple(months)) for year, months in years.items())

    @property
    def timeline_latest(self) -> tuple[Month, ...]:
        """The latest LATEST_IN_TIMELINE extracts by month."""
        return by_month(self.briefings.extracts[:LATEST_IN_TIMELINE])


@dataclass(frozen=True)
class Index:
    """The extracts by each key the site groups them by, newest first.

    A rebuild patches the last build's index with the extracts that changed:
    a list none of them belongs to stays the very same tuple, which tells
    the views made from it that they can be reused.
    """

    extracts: tuple[Extract, ...]
    pairs: dict[str, tuple[Extract, ...]]
    themes: dict[str, tuple[Extract, ...]]
    events: dict[str, tuple[Extract, ...]]
    sources: dict[str, tuple[Extract, ...]]
    #: By (year, month).
    months: dict[tuple[int, int], tuple[Extract, ...]]
    #: The extracts giving a figure, by the figure's key.
    figures: dict[FigureKey, tuple[Extract, ...]]
    #: By country slug: how many extracts concern the country, and how
    #: many of them are on each theme (by theme slug).
    country_count: dict[str, int]
    country_themes: dict[str, dict[str, int]]


#: The lists of the index, and the keys each extract is listed under.
_KEYS: tuple[tuple[str, Callable[[Extract], Iterable[Hashable]]], ...] = (
    ("pairs", lambda e: [p.slug for p in e.pairs]),
    ("themes", lambda e: [t.slug for t in e.themes]),
    ("events", lambda e: [e.event.slug] if e.event else []),
    ("sources", lambda e: [e.source.slug]),
    ("months", lambda e: [(e.date.year, e.date.month)]),
    ("figures", lambda e: figure_keys(e)),
)
#: A rebuild in which more extracts than this share changed indexes afresh.
_PATCH_SHARE = 0.25


def index_extracts(extracts: tuple[Extract, ...]) -> Index:
    """The index of ``extracts`` (newest first), made in one pass."""
    pairs: dict[str, list[Extract]] = defaultdict(list)
    themes: dict[str, list[Extract]] = defaultdict(list)
    events: dict[str, list[Extract]] = defaultdict(list)
    sources: dict[str, list[Extract]] = defaultdict(list)
    months: dict[tuple[int, int], list[Extract]] = defaultdict(list)
    figures: dict[FigureKey, list[Extract]] = defaultdict(list)
    country_count: dict[str, int] = {}
    country_themes: dict[str, dict[str, int]] = {}
    for extract in extracts:
        for pair in extract.pairs:
            pairs[pair.slug].append(extract)
        for theme in extract.themes:
            themes[theme.slug].append(extract)
        if extract.event is not None:
            events[extract.event.slug].append(extract)
        sources[extract.source.slug].append(extract)
        day = extract.date
        months[day.year, day.month].append(extract)
        if extract.figures:
            for key in figure_keys(extract):
                figures[key].append(extract)
        _count(extract, 1, country_count, country_themes)
    return Index(extracts, _frozen(pairs), _frozen(themes), _frozen(events), _frozen(sources),
                 _frozen(months), _frozen(figures), country_count, country_themes)


def figure_keys(extract: Extract, pair: Pair | None = None) -> list[FigureKey]:
    """The keys of the figures the extract gives, for each of its pairs (or
    for ``pair``), each once."""
    pairs = (pair,) if pair is not None else extract.pairs
    return list(dict.fromkeys([(p.slug, *f.key) for p in pairs for f in extract.figures]))


def _frozen(lists: Mapping[K, list[Extract]]) -> dict[K, tuple[Extract, ...]]:
    return {key: tuple(items) for key, items in lists.items()}


def patch_index(old: Index, extracts: tuple[Extract, ...]) -> Index:
    """The index of ``extracts``, made from ``old`` and the extracts that are
    not in both (unchanged files give the very same extract objects)."""
    # Both sets of extracts are alive here, so no two of them share an id.
    before = set(map(id, old.extracts))
    added = [e for e in extracts if id(e) not in before]
    if not added and len(extracts) == len(old.extracts):
        return old
    now = set(map(id, extracts))
    removed = [e for e in old.extracts if id(e) not in now]
    if len(added) + len(removed) > _PATCH_SHARE * len(extracts):
        return index_extracts(extracts)
    lists: dict[str, Any] = {}
    for name, keys in _KEYS:
        old_lists: dict[Hashable, tuple[Extract, ...]] = getattr(old, name)
        gone: dict[Hashable, list[Extract]] = {}
        fresh: dict[Hashable, list[Extract]] = {}
        for extract in removed:
            for key in keys(extract):
                gone.setdefault(key, []).append(extract)
                fresh.setdefault(key, [])
        for extract in added:
            for key in keys(extract):
                fresh.setdefault(key, []).append(extract)
        new = dict(old_lists)
        for key, items in fresh.items():
            # Lists are in sort-key order and hold an extract once: each change
            # is found by bisection, not by a walk over a theme's thousands.
            kept = list(old_lists.get(key, ()))
            for extract in gone.get(key, ()):
                del kept[bisect_left(kept, extract.sort_key, key=BY_SORT_KEY)]
            for extract in items:
                insort(kept, extract, key=BY_SORT_KEY)
            if kept:
                new[key] = tuple(kept)
            else:
                del new[key]
        lists[name] = new
    count = dict(old.country_count)
    themes = dict(old.country_themes)
    copied: set[str] = set()
    for extract, sign in [*((e, -1) for e in removed), *((e, 1) for e in added)]:
        for slug in _members(extract):
            if slug not in copied:
                themes[slug] = dict(themes.get(slug, {}))
                copied.add(slug)
        _count(extract, sign, count, themes)
    for slug in copied:
        themes[slug] = {theme: n for theme, n in themes[slug].items() if n}
        if not count.get(slug):
            count.pop(slug, None)
            del themes[slug]
    return replace(old, extracts=extracts, country_count=count, country_themes=themes, **lists)


def _members(extract: Extract) -> Iterable[str]:
    """The slugs of the countries the extract concerns, each once."""
    first = extract.pairs[0]
    if len(extract.pairs) == 1:
        return (first.a.slug, first.b.slug)
    return {c.slug for p in extract.pairs for c in (p.a, p.b)}


def _count(extract: Extract, sign: int, count: dict[str, int], themes: dict[str, dict[str, int]]) -> None:
    # Each extract counts once for each country it concerns.
    for slug in _members(extract):
        count[slug] = count.get(slug, 0) + sign
        counts = themes.get(slug)
        if counts is None:
            counts = themes[slug] = {}
        for theme in extract.themes:
            counts[theme.slug] = counts.get(theme.slug, 0) + sign


def group_briefings(briefings: Briefings, previous: Site | None = None) -> Site:
    """Arrange validated briefings into the views the site renders.

    ``previous``, the site grouped from an earlier version of the same data
    (``mkdocs serve`` after an edit), lets the grouping patch its index and
    reuse every view whose contents are unchanged, so that a rebuild costs
    in proportion to the edit: unchanged source files give the very same
    extract objects, and an unchanged list of them is the very same tuple.
    """
    extracts = briefings.extracts  # already newest first, then id
    # Views of other data files (themes, countries, events, pair notes) are
    # never reused.
    old = previous if previous is not None and previous.briefings.context == briefings.context else None
    index = (patch_index(old.index, extracts) if old is not None and old.index is not None
             else index_extracts(extracts))
    disputes = _figure_disagreements(index, old)
    # Disagreements that are not the very same object as before.
    changed_disputes = ({k for k in disputes.keys() | old.disputes.keys()
                         if disputes.get(k) is not old.disputes.get(k)} if old else set())

    old_events = {v.event.slug: v for v in old.events} if old else {}
    event_of = {e.slug: e for e in briefings.events}
    events: dict[str, EventView] = {}
    for slug, items in index.events.items():
        old_event = old_events.get(slug)
        if (old_event is not None and old_event.extracts is items and old_event.event == event_of[slug]
                and old_event.figure_keys.isdisjoint(changed_disputes)):
            events[slug] = old_event
        else:
            events[slug] = _event_view(event_of[slug], items, disputes)
    # A pair page shows an event's title and its "sources disagree" notes: a
    # pair view stays valid while those are equal.
    changed_events = {slug for slug, view in events.items()
                      if (before := old_events.get(slug)) is None
                      or (before is not view and before.disagreements != view.disagreements)}

    notes = {note.pair.slug: note for note in briefings.notes}
    old_pairs = {v.pair.slug: v for v in old.pairs} if old else {}
    views: list[PairView] = []
    for slug, items in index.pairs.items():
        old_pair = old_pairs.get(slug)
        if (old_pair is not None and old_pair.extracts is items and old_pair.note == notes.get(slug)
                and old_pair.event_slugs.isdisjoint(changed_events)
                and old_pair.figure_keys.isdisjoint(changed_disputes)):
            views.append(old_pair)
        else:
            pair = next(p for p in items[0].pairs if p.slug == slug)
            same = old_pair if old_pair is not None and old_pair.extracts is items else None
            views.append(_pair_view(pair, items, events, disputes, notes.get(slug), same))
    views.sort(key=lambda v: v.pair.order)
    pairs = tuple(views)

    old_months = {m.slug: m for m in old.timeline} if old else {}
    timeline = []
    month_pages = {}
    for (year, number), items in sorted(index.months.items(), reverse=True):
        slug = f"{year:04d}-{number:02d}"
        old_month = old_months.get(slug)
        if old_month is not None and old_month.extracts is items:
            timeline.append(old_month)
            month_pages[slug] = old.month_pages[slug]  # type: ignore[union-attr]
        else:
            month = Month(f"{MONTHS[number - 1]} {year}", slug, items)
            timeline.append(month)
            month_pages[slug] = split_month(month, TIMELINE_PAGE_SIZE)
    old_sources = {v.source.slug: v for v in old.sources} if old else {}
    old_themes = {v.theme.slug: v for v in old.themes} if old else {}

    return Site(
        briefings=briefings,
        pairs=pairs,
        themes=_theme_views(briefings.themes, index.themes, pairs, old_themes),
        countries=_country_views(briefings, pairs, index.country_count, index.country_themes),
        sources=tuple(_source_view(source, index.sources.get(source.slug, ()), old_sources.get(source.slug))
                      for source in sorted(briefings.sources, key=lambda s: s.slug)),
        events=tuple(events[slug] for slug in sorted(events)),
        timeline=tuple(timeline),
        month_pages=month_pages,
        latest=extracts[:LATEST],
        matrix=_matrix_countries(pairs),
        top_pairs=tuple(sorted(pairs, key=lambda v: -len(v.extracts))[:TOP_PAIRS]),
        cells={(v.pair.a.slug, v.pair.b.slug): v for v in pairs},
        by_slug={v.pair.slug: v for v in pairs},
        disputes=disputes,
        index=index,
    )


def by_month(extracts: Iterable[Extract]) -> tuple[Month, ...]:
    """Group extracts (already newest first) under month headings."""
    months: dict[tuple[int, int], list[Extract]] = {}
    for extract in extracts:
        months.setdefault((extract.date.year, extract.date.month), []).append(extract)
    return tuple(Month(f"{MONTHS[m - 1]} {y}", f"{y:04d}-{m:02d}", tuple(items))
                 for (y, m), items in months.items())


_DATE = attrgetter("date")


def split_month(month: Month, size: int) -> tuple[Month, ...]:
    """The month as pages of at most ``size`` extracts, newest first.

    Parts are cut from the oldest extract on, so that new extracts, which
    are mostly the newest, leave the older parts (and links into them) as
    they were. A part holds whole days, so that its title, its range of
    days (``9–17 March 2025``), is where a reader finds a day; only a day
    of more than ``size`` extracts is itself cut.
    """
    if len(month.extracts) <= size:
        return (month,)
    runs: list[list[Extract]] = []
    current: list[Extract] = []
    for _, day in groupby(month.extracts[::-1], key=_DATE):
        of_day = list(day)
        if current and len(current) + len(of_day) > size:
            runs.append(current)
            current = []
        while len(of_day) > size:
            runs.append(of_day[:size])
            of_day = of_day[size:]
        current.extend(of_day)
    runs.append(current)
    parts = []
    for number, oldest_first in enumerate(runs, 1):
        items = tuple(oldest_first[::-1])
        first, last = items[-1].date, items[0].date
        days = f"{first.day}" if first == last else f"{first.day}–{last.day}"
        parts.append(Month(f"{days} {month.title}", f"{month.slug}-part-{number}", items, month.title))
    return tuple(reversed(parts))


def _archive(extracts: Sequence[Extract]) -> tuple[Month, ...]:
    """Pages for a pair's older extracts: a page per year, or per month in a
    busy year, and a busy month in parts."""
    years: dict[int, list[Extract]] = {}
    for extract in extracts:
        years.setdefault(extract.date.year, []).append(extract)
    pages: list[Month] = []
    for year, items in years.items():
        if len(items) > ARCHIVE_PAGE_SIZE:
            for month in by_month(items):
                pages.extend(split_month(month, ARCHIVE_MONTH_SIZE))
        else:
            pages.append(Month(str(year), f"{year:04d}", tuple(items)))
    return tuple(pages)


def _pair_view(pair: Pair, extracts: tuple[Extract, ...], events: Mapping[str, EventView],
               figure_disputes: Mapping[FigureKey, Disagreement], note: PairNote | None,
               before: PairView | None = None) -> PairView:
    """The view of a pair; ``before``, the last build's view of the very same
    extracts, gives all but the notes."""
    shown = extracts[:PAIR_LATEST]
    shown_events, disputed = _concerns(shown, events, figure_disputes, pair)
    archive = before.archive if before is not None else _archive(extracts[PAIR_LATEST:])
    archive_notes = []
    for page in archive:
        page_events, page_disputes = _concerns(page.extracts, events, figure_disputes, pair)
        archive_notes.append(_notes(page_events, page_disputes))
    if before is not None:
        view = replace(before, events=shown_events, figure_disagreements=disputed, note=note,
                       archive_notes=tuple(archive_notes))
        for name in _CARRIED:
            if name in before.__dict__:
                view.__dict__[name] = before.__dict__[name]
        return view
    return PairView(
        pair=pair,
        extracts=extracts,
        shown=shown,
        archive=archive,
        sources=_sources_of(extracts),
        events=shown_events,
        figure_disagreements=disputed,
        note=note,
        archive_notes=tuple(archive_notes),
        event_slugs=frozenset([e.event.slug for e in extracts if e.event]),
        figure_keys=frozenset([k for e in extracts if e.figures for k in figure_keys(e, pair)]),
    )


#: PairView's cached properties (see PairView).
_CARRIED = tuple(name for name, value in vars(PairView).items() if isinstance(value, cached_property))


def _notes(events: Iterable[EventView], figures: Iterable[Disagreement]) -> tuple[Disagreement, ...]:
    """The notes of the events and then those about figures, each once: an
    event's notes include those about the figures its extracts give."""
    # Keyed by identity: a build makes one object for each disagreement.
    return tuple({id(d): d for notes in ([d for e in events for d in e.disagreements], figures)
                  for d in notes}.values())


def _concerns(extracts: Sequence[Extract], events: Mapping[str, EventView],
              figure_disputes: Mapping[FigureKey, Disagreement], pair: Pair,
              ) -> tuple[tuple[EventView, ...], tuple[Disagreement, ...]]:
    """The events the extracts report (by slug), and the disagreements about
    the figures they give of ``pair`` (in order of appearance)."""
    reported = tuple(events[slug] for slug in sorted({e.event.slug for e in extracts if e.event}))
    disputed = tuple(dict.fromkeys(
        figure_disputes[k] for e in extracts if e.figures for k in figure_keys(e, pair)
        if k in figure_disputes))
    return reported, disputed


def _source_view(source: Source, extracts: tuple[Extract, ...], before: SourceView | None) -> SourceView:
    if before is not None and before.extracts is extracts and before.source == source:
        return before
    return SourceView(source, extracts, tuple(sorted({p for e in extracts for p in e.pairs},
                                                     key=lambda p: p.order)))


def _theme_views(themes: Iterable[Theme], by_theme: Mapping[str, tuple[Extract, ...]],
                 pairs: Sequence[PairView], old: Mapping[str, ThemeView]) -> tuple[ThemeView, ...]:
    # Walking the pairs in their order lists each theme's pairs in that order.
    theme_pairs: dict[str, list[tuple[Pair, tuple[Extract, ...]]]] = defaultdict(list)
    for view in pairs:
        for slug, extracts in view.theme_extracts.items():
            theme_pairs[slug].append((view.pair, extracts))
    views = []
    for theme in themes:
        items = by_theme.get(theme.slug, ())
        rows = theme_pairs[theme.slug]
        before = old.get(theme.slug)
        # The same lists of the same pair views: the same page.
        if (before is not None and before.theme == theme and before.count == len(items)
                and _same(before.latest, items[:LATEST_IN_THEME])
                and len(before.by_pair) == len(rows)
                and all(a[1] is b[1] for a, b in zip(before.by_pair, rows, strict=True))):
            views.append(before)
        else:
            views.append(ThemeView(theme, tuple(rows), len(items), items[:LATEST_IN_THEME]))
    return tuple(views)


def _same(old: Sequence[object], new: Sequence[object]) -> bool:
    """The same objects, in the same order."""
    return len(old) == len(new) and all(a is b for a, b in zip(old, new, strict=True))


def _country_views(briefings: Briefings, pairs: Sequence[PairView], count: Mapping[str, int],
                   themes: Mapping[str, Mapping[str, int]]) -> tuple[CountryView, ...]:
    members: dict[str, list[PairView]] = defaultdict(list)
    for view in pairs:
        members[view.pair.a.slug].append(view)
        members[view.pair.b.slug].append(view)
    theme_of = {t.slug: t for t in briefings.themes}
    return tuple(CountryView(country, tuple(members[country.slug]),
                             tuple((theme_of[slug], n) for slug, n in
                                   sorted(themes[country.slug].items(), key=lambda kv: (-kv[1], kv[0]))),
                             count[country.slug])
                 for country in sorted(briefings.countries))


def _matrix_countries(pairs: Sequence[PairView]) -> tuple[Country, ...]:
    # Keyed by slug: a string hashes in C, a Country through Python.
    counts: dict[str, int] = defaultdict(int)
    country: dict[str, Country] = {}
    for view in pairs:
        a, b = view.pair.a, view.pair.b
        counts[a.slug] += len(view.extracts)
        counts[b.slug] += len(view.extracts)
        country[a.slug], country[b.slug] = a, b
    top = sorted(counts, key=lambda slug: (-counts[slug], country[slug].order))[:MATRIX_SIZE]
    return tuple(sorted(country[slug] for slug in top))


def _sources_of(extracts: Iterable[Extract]) -> tuple[Source, ...]:
    # Keyed by slug: a string hashes in C, a Source (all its fields) through Python.
    found = {e.source.slug: e.source for e in extracts}
    return tuple([found[slug] for slug in sorted(found)])


def _event_view(event: Event, extracts: tuple[Extract, ...],
                figure_disputes: Mapping[FigureKey, Disagreement]) -> EventView:
    dates: dict[dt.date, list[Extract]] = defaultdict(list)
    for extract in extracts:
        dates[extract.date].append(extract)
    disagreements: list[Disagreement] = []
    if len(dates) > 1:
        disagreements.append(Disagreement(
            f"The date of {event.title}",
            tuple(Version(long_date(d), _sources_of(items), tuple(items))
                  for d, items in sorted(dates.items())), event))
    keys = frozenset([k for e in extracts if e.figures for k in figure_keys(e)])
    disagreements.extend(figure_disputes[k] for k in sorted(keys) if k in figure_disputes)
    pairs = {p.slug: p for e in extracts for p in e.pairs}
    return EventView(event, extracts, _sources_of(extracts),
                     tuple(sorted(pairs.values())), tuple(disagreements), keys)


def _figure_disagreements(index: Index, old: Site | None) -> dict[FigureKey, Disagreement]:
    """The figures sources give different values for, by key. A figure whose
    extracts are the same as in ``old`` keeps its disagreement object."""
    old_lists = old.index.figures if old is not None and old.index is not None else {}
    result = {}
    for key, extracts in index.figures.items():
        if len(extracts) < 2:
            continue
        if old_lists.get(key) is extracts:
            if key in old.disputes:  # type: ignore[union-attr]
                result[key] = old.disputes[key]  # type: ignore[union-attr]
            continue
        values: dict[float, list[Extract]] = defaultdict(list)
        label = None
        for extract in extracts:
            for figure in extract.figures:
                if figure.key == key[1:]:
                    values[figure.value].append(extract)
                    label = label or figure
        if len(values) > 1 and label is not None:
            subject = f"{label.label} ({label.unit}{', ' + label.period if label.period else ''})"
            result[key] = Disagreement(subject, tuple(
                Version(format_number(v), _sources_of(items), tuple(items))
                for v, items in sorted(values.items())))
    # In order of key, as a full build gives them.
    return dict(sorted(result.items()))


def format_number(value: float) -> str:
    """``228.1``, ``85`` (no trailing ``.0``), thousands separated."""
    if value.__class__ is int:  # a count: most numbers a page shows
        return f"{value:,}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


@lru_cache(maxsize=1 << 14)
def long_date(day: dt.date) -> str:
    """``7 February 2026``. Memoised: a corpus has far fewer days than extracts."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"

