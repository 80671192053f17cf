"""Stage 3: the validated extracts arranged the way the site presents them.

Pure functions over :class:`Briefings`: by pair, by theme, by country, by
source, by event, by month; key figures; and where sources disagree. Every
list has a total order (newest first, then id; or by display name), so the
same data always gives the same pages.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from .models import Briefings, Country, Event, Extract, Figure, Pair, PairNote, Source, Theme

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


@dataclass(frozen=True)
class EventView:
    """An event and what each source says about it."""

    event: Event
    extracts: tuple[Extract, ...]
    sources: tuple[Source, ...]
    pairs: tuple[Pair, ...]
    disagreements: tuple[Disagreement, ...]

    @property
    def by_source(self) -> tuple[tuple[Source, tuple[Extract, ...]], ...]:
        """What each source says, sources by slug."""
        items: dict[str, list[Extract]] = defaultdict(list)
        for extract in self.extracts:
            items[extract.source.slug].append(extract)
        return tuple((s, tuple(items[s.slug])) for s in self.sources)


@dataclass(frozen=True)
class PairView:
    """Everything on one pair's briefing page."""

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
    #: Every event and disputed figure of all the pair's extracts: a view is
    #: reused only while all of them are the same.
    inputs: tuple[object, ...] = ()

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
        """Every disagreement shown on the page: events first, then figures."""
        return tuple(d for e in self.events for d in e.disagreements) + self.figure_disagreements


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
    disputes: dict[tuple[str, str, str], Disagreement] = field(default_factory=dict)

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


def group_briefings(briefings: Briefings, previous: Site | None = None) -> Site:
    """Arrange validated briefings into the views the site renders.

    ``previous``, the site grouped from an earlier version of the same data
    (``mkdocs serve`` after an edit), lets every view whose contents are
    unchanged be reused as it is: unchanged source files give the very same
    extract objects, so checking a view costs a few identity comparisons.
    """
    extracts = briefings.extracts  # already newest first, then id
    # Keyed by slug: a string hashes in C, a Pair through Python.
    by_pair: dict[str, list[Extract]] = defaultdict(list)
    pair_of: dict[str, Pair] = {}
    by_event: dict[Event, list[Extract]] = defaultdict(list)
    by_source: dict[str, list[Extract]] = defaultdict(list)
    by_theme: dict[str, list[Extract]] = defaultdict(list)
    country_count: dict[str, int] = defaultdict(int)
    country_themes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for extract in extracts:
        for pair in extract.pairs:
            by_pair[pair.slug].append(extract)
            pair_of[pair.slug] = pair
        for theme in extract.themes:
            by_theme[theme.slug].append(extract)
        if extract.event is not None:
            by_event[extract.event].append(extract)
        by_source[extract.source.slug].append(extract)
        # Each extract counts once for each country it concerns.
        first = extract.pairs[0]
        members = ((first.a.slug, first.b.slug) if len(extract.pairs) == 1 else
                   {c.slug for p in extract.pairs for c in (p.a, p.b)})
        for slug in members:
            country_count[slug] += 1
            counts = country_themes[slug]
            for theme in extract.themes:
                counts[theme.slug] += 1

    # Views of other data files (themes, countries, events, pair notes) are
    # never reused.
    old = previous if previous is not None and previous.briefings.context == briefings.context else None
    figure_disputes = _figure_disagreements(extracts)
    if old is not None:
        # The same disagreement as before is the same object: views showing
        # it can be reused.
        for key, dispute in figure_disputes.items():
            if old.disputes.get(key) == dispute:
                figure_disputes[key] = old.disputes[key]
    old_events = {v.event.slug: v for v in old.events} if old else {}
    events: dict[Event, EventView] = {}
    for event, items in by_event.items():
        view = _event_view(event, tuple(items), figure_disputes)
        events[event] = old_events[event.slug] if old_events.get(event.slug) == view else view
    notes = {note.pair.slug: note for note in briefings.notes}
    old_pairs = {v.pair.slug: v for v in old.pairs} if old else {}
    pairs = tuple(_pair_view(pair_of[slug], tuple(by_pair[slug]), events, figure_disputes, notes.get(slug),
                             old_pairs.get(slug))
                  for slug in sorted(by_pair, key=lambda s: pair_of[s].order))
    timeline = by_month(extracts)
    old_months = {m.slug: m for m in old.timeline} if old else {}
    timeline = tuple(before if (before := old_months.get(m.slug)) is not None
                     and before.extracts == m.extracts else m for m in timeline)
    month_pages = {m.slug: old.month_pages[m.slug] if old and old_months.get(m.slug) is m
                   else split_month(m, TIMELINE_PAGE_SIZE) for m in timeline}
    old_sources = {v.source.slug: v for v in old.sources} if old else {}

    return Site(
        briefings=briefings,
        pairs=pairs,
        themes=_theme_views(briefings.themes, by_theme, pairs),
        countries=_country_views(briefings, pairs, country_count, country_themes),
        sources=tuple(_source_view(source, tuple(by_source[source.slug]), old_sources.get(source.slug))
                      for source in sorted(briefings.sources, key=lambda s: s.slug)),
        events=tuple(events[e] for e in sorted(events, key=lambda e: e.slug)),
        timeline=timeline,
        month_pages=month_pages,
        latest=extracts[:LATEST],
        matrix=_matrix_countries(pairs),
        top_pairs=tuple(sorted(pairs, key=lambda v: -len(v.extracts))[:TOP_PAIRS]),
        cells={(v.pair.a.slug, v.pair.b.slug): v for v in pairs},
        by_slug={v.pair.slug: v for v in pairs},
        disputes=figure_disputes,
    )


def by_month(extracts: Iterable[Extract]) -> tuple[Month, ...]:
    """Group extracts (already newest first) under month headings."""
    months: dict[tuple[int, int], list[Extract]] = {}
    for extract in extracts:
        months.setdefault((extract.date.year, extract.date.month), []).append(extract)
    return tuple(Month(f"{MONTHS[m - 1]} {y}", f"{y:04d}-{m:02d}", tuple(items))
                 for (y, m), items in months.items())


def split_month(month: Month, size: int) -> tuple[Month, ...]:
    """The month as pages of at most ``size`` extracts, newest first.

    Parts are cut from the oldest extract on, so that new extracts, which
    are mostly the newest, leave the older parts (and links into them) as
    they were. A part's title is its range of days: ``9–17 March 2025``.
    """
    if len(month.extracts) <= size:
        return (month,)
    oldest_first = month.extracts[::-1]
    parts = []
    for number, start in enumerate(range(0, len(oldest_first), size), 1):
        items = oldest_first[start:start + size][::-1]
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


def _pair_view(pair: Pair, extracts: tuple[Extract, ...], events: dict[Event, EventView],
               figure_disputes: dict[tuple[str, str, str], Disagreement],
               note: PairNote | None, before: PairView | None = None) -> PairView:
    every_event, every_dispute = _concerns(extracts, events, figure_disputes)
    inputs = (*every_event, *every_dispute)
    if (before is not None and before.extracts == extracts and before.note == note
            and _same(before.inputs, inputs)):
        return before
    shown = extracts[:PAIR_LATEST]
    shown_events, disputed = _concerns(shown, events, figure_disputes)
    archive = _archive(extracts[PAIR_LATEST:])
    archive_notes = []
    for page in archive:
        page_events, page_disputes = _concerns(page.extracts, events, figure_disputes)
        archive_notes.append(tuple(d for e in page_events for d in e.disagreements) + page_disputes)
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
        inputs=inputs,
    )


def _concerns(extracts: Sequence[Extract], events: Mapping[Event, EventView],
              figure_disputes: Mapping[tuple[str, str, str], Disagreement],
              ) -> tuple[tuple[EventView, ...], tuple[Disagreement, ...]]:
    """The events the extracts report (by slug), and the disagreements about
    the figures they give (in order of appearance)."""
    reported = tuple(events[ev] for ev in sorted({e.event for e in extracts if e.event},
                                                 key=lambda ev: ev.slug))
    disputed = tuple(dict.fromkeys(
        figure_disputes[key] for e in extracts for f in e.figures
        if (key := _figure_key(f)) in figure_disputes))
    return reported, disputed


def _same(old: Sequence[object], new: Sequence[object]) -> bool:
    """The same objects, in the same order."""
    return len(old) == len(new) and all(a is b for a, b in zip(old, new, strict=True))


def _source_view(source: Source, extracts: tuple[Extract, ...], before: SourceView | None) -> SourceView:
    if before is not None and before.source == source and before.extracts == extracts:
        return before
    return SourceView(source, extracts, tuple(sorted({p for e in extracts for p in e.pairs},
                                                     key=lambda p: p.order)))


def _theme_views(themes: Iterable[Theme], by_theme: Mapping[str, list[Extract]],
                 pairs: Sequence[PairView]) -> tuple[ThemeView, ...]:
    # Walking the pairs in their order lists each theme's pairs in that order.
    theme_pairs: dict[str, list[tuple[Pair, tuple[Extract, ...]]]] = defaultdict(list)
    for view in pairs:
        for slug, extracts in view.theme_extracts.items():
            theme_pairs[slug].append((view.pair, extracts))
    return tuple(ThemeView(theme, tuple(theme_pairs[theme.slug]), len(by_theme[theme.slug]),
                           tuple(by_theme[theme.slug][:LATEST_IN_THEME])) for theme in themes)


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
    counts: dict[Country, int] = defaultdict(int)
    for view in pairs:
        counts[view.pair.a] += len(view.extracts)
        counts[view.pair.b] += len(view.extracts)
    top = sorted(counts, key=lambda c: (-counts[c], c.name.casefold(), c.slug))[:MATRIX_SIZE]
    return tuple(sorted(top))


def _sources_of(extracts: Iterable[Extract]) -> tuple[Source, ...]:
    return tuple(sorted({e.source for e in extracts}, key=lambda s: s.slug))


def _event_view(event: Event, extracts: tuple[Extract, ...],
                figure_disputes: dict[tuple[str, str, str], Disagreement]) -> EventView:
    dates: dict[dt.date, list[Extract]] = defaultdict(list)
    for extract in extracts:
        dates[extract.date].append(extract)
    disagreements: list[Disagreement] = []
    if len(dates) > 1:
        disagreements.append(Disagreement(
            f"The date of {event.title}",
            tuple(Version(long_date(d), _sources_of(items), tuple(items))
                  for d, items in sorted(dates.items()))))
    keys = {_figure_key(f) for e in extracts for f in e.figures}
    disagreements.extend(figure_disputes[k] for k in sorted(keys) if k in figure_disputes)
    return EventView(event, extracts, _sources_of(extracts),
                     tuple(sorted({p for e in extracts for p in e.pairs})), tuple(disagreements))


def _figure_key(figure: Figure) -> tuple[str, str, str]:
    return (figure.label.casefold(), figure.unit.casefold(), figure.period.casefold())


def _figure_disagreements(extracts: Iterable[Extract]) -> dict[tuple[str, str, str], Disagreement]:
    values: dict[tuple[str, str, str], dict[float, list[Extract]]] = defaultdict(lambda: defaultdict(list))
    labels: dict[tuple[str, str, str], Figure] = {}
    for extract in extracts:
        for figure in extract.figures:
            key = _figure_key(figure)
            values[key][figure.value].append(extract)
            labels.setdefault(key, figure)
    result = {}
    for key, by_value in values.items():
        if len(by_value) > 1:
            figure = labels[key]
            subject = f"{figure.label} ({figure.unit}{', ' + figure.period if figure.period else ''})"
            result[key] = Disagreement(subject, tuple(
                Version(format_number(v), _sources_of(items), tuple(items))
                for v, items in sorted(by_value.items())))
    return result


def format_number(value: float) -> str:
    """``228.1``, ``85`` (no trailing ``.0``), thousands separated."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def long_date(day: dt.date) -> str:
    """``7 February 2026``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"

