"""Stage 3: the validated extracts arranged the way the site presents them.

A pure function of :class:`Briefings` and the page :class:`Limits`, made
from scratch every build: by pair, by theme, by country, by source, by
event, by month; key figures; and where sources disagree. Every list has a
total order (newest first, then id; or by display name), so the same data
always gives the same pages.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from typing import TypeVar

from .formatting import format_number, long_date, month_title
from .lazy import cached_property
from .models import Briefings, Country, Event, Extract, Pair, PairNote, Source, Theme
from .settings import Limits

#: A figure of a pair: the pair's slug, and the figure's label, unit and
#: period, casefolded (see :class:`Figure`). The same label of two pairs
#: ("Bilateral trade") names two figures, which cannot disagree.
FigureKey = tuple[str, str, str, str]
_K = TypeVar("_K", bound=Hashable)


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

    @property
    def by_source(self) -> tuple[tuple[Source, tuple[Extract, ...]], ...]:
        """What each source says, sources by slug."""
        items: dict[str, list[Extract]] = defaultdict(list)
        for extract in self.extracts:
            items[extract.source.slug].append(extract)
        return tuple((s, tuple(items[s.slug])) for s in self.sources)


@dataclass(frozen=True)
class PairView:
    """Everything on one pair's briefing page and its archive pages."""

    pair: Pair
    #: Every extract of the pair, newest first.
    extracts: tuple[Extract, ...]
    #: The latest of them, which the briefing page shows.
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
    #: The pairs with the most extracts on the theme, most first.
    top: tuple[tuple[Pair, tuple[Extract, ...]], ...]


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
    limits: Limits
    pairs: tuple[PairView, ...]
    themes: tuple[ThemeView, ...]
    countries: tuple[CountryView, ...]
    sources: tuple[SourceView, ...]
    events: tuple[EventView, ...]
    #: Every month with extracts, newest first.
    timeline: tuple[Month, ...]
    #: Each month's pages, by month slug: the month itself, or its parts
    #: (newest first) when it has more extracts than a page holds.
    month_pages: dict[str, tuple[Month, ...]]
    latest: tuple[Extract, ...]
    matrix: tuple[Country, ...]
    #: The pairs with the most extracts, most first.
    top_pairs: tuple[PairView, ...]
    cells: dict[tuple[str, str], PairView] = field(default_factory=dict)
    #: Pair slug → its view.
    by_slug: dict[str, PairView] = field(default_factory=dict)

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
        """The latest extracts by month."""
        return by_month(self.briefings.extracts[:self.limits.latest_in_timeline])


@dataclass(frozen=True)
class _Index:
    """The extracts by each key the site groups them by, newest first."""

    pairs: dict[str, tuple[Extract, ...]]
    themes: dict[str, tuple[Extract, ...]]
    events: dict[str, tuple[Extract, ...]]
    sources: dict[str, tuple[Extract, ...]]
    #: By (year, month).
    months: dict[tuple[int, int], tuple[Extract, ...]]
    #: The extracts giving a figure, by the figure's key.
    figures: dict[FigureKey, tuple[Extract, ...]]
    #: By country slug: how many extracts concern the country, and how many
    #: of them are on each theme (by theme slug).
    country_count: dict[str, int]
    country_themes: dict[str, dict[str, int]]


def group_briefings(briefings: Briefings, limits: Limits | None = None) -> Site:
    """Arrange validated briefings into the views the site renders."""
    limits = limits or Limits()
    extracts = briefings.extracts  # already newest first, then id
    index = _index(extracts)
    disputes = _figure_disagreements(index)
    event_of = {e.slug: e for e in briefings.events}
    events = {slug: _event_view(event_of[slug], items, disputes) for slug, items in index.events.items()}
    notes = {note.pair.slug: note for note in briefings.notes}
    pairs = tuple(sorted((_pair_view(items, slug, events, disputes, notes.get(slug), limits)
                          for slug, items in index.pairs.items()), key=lambda v: v.pair.order))
    timeline = tuple(Month(month_title(year, number), f"{year:04d}-{number:02d}", items)
                     for (year, number), items in sorted(index.months.items(), reverse=True))
    return Site(
        briefings=briefings,
        limits=limits,
        pairs=pairs,
        themes=_theme_views(briefings.themes, index.themes, pairs, limits),
        countries=_country_views(briefings, pairs, index.country_count, index.country_themes),
        sources=tuple(_source_view(source, index.sources.get(source.slug, ()))
                      for source in sorted(briefings.sources, key=lambda s: s.slug)),
        events=tuple(events[slug] for slug in sorted(events)),
        timeline=timeline,
        month_pages={month.slug: split_month(month, limits.timeline_page) for month in timeline},
        latest=extracts[:limits.latest],
        matrix=_matrix_countries(pairs, limits.matrix),
        top_pairs=tuple(sorted(pairs, key=lambda v: -len(v.extracts))[:limits.top_pairs]),
        cells={(v.pair.a.slug, v.pair.b.slug): v for v in pairs},
        by_slug={v.pair.slug: v for v in pairs},
    )


def _index(extracts: tuple[Extract, ...]) -> _Index:
    """The index of ``extracts`` (newest first), made in one pass."""
    pairs: dict[str, list[Extract]] = defaultdict(list)
    themes: dict[str, list[Extract]] = defaultdict(list)
    events: dict[str, list[Extract]] = defaultdict(list)
    sources: dict[str, list[Extract]] = defaultdict(list)
    months: dict[tuple[int, int], list[Extract]] = defaultdict(list)
    figures: dict[FigureKey, list[Extract]] = defaultdict(list)
    country_count: dict[str, int] = defaultdict(int)
    country_themes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for extract in extracts:
        for pair in extract.pairs:
            pairs[pair.slug].append(extract)
        for theme in extract.themes:
            themes[theme.slug].append(extract)
        if extract.event is not None:
            events[extract.event.slug].append(extract)
        sources[extract.source.slug].append(extract)
        months[extract.date.year, extract.date.month].append(extract)
        for key in figure_keys(extract):
            figures[key].append(extract)
        # Each extract counts once for each country it concerns.
        for slug in _members(extract):
            country_count[slug] += 1
            for theme in extract.themes:
                country_themes[slug][theme.slug] += 1
    return _Index(_frozen(pairs), _frozen(themes), _frozen(events), _frozen(sources), _frozen(months),
                  _frozen(figures), dict(country_count), {k: dict(v) for k, v in country_themes.items()})


def figure_keys(extract: Extract, pair: Pair | None = None) -> list[FigureKey]:
    """The keys of the figures the extract gives, for each of its pairs (or
    for ``pair``), each once."""
    if not extract.figures:
        return []
    pairs = (pair,) if pair is not None else extract.pairs
    return list(dict.fromkeys([(p.slug, *f.key) for p in pairs for f in extract.figures]))


def _frozen(lists: Mapping[_K, list[Extract]]) -> dict[_K, tuple[Extract, ...]]:
    return {key: tuple(items) for key, items in lists.items()}


def _members(extract: Extract) -> Iterable[str]:
    """The slugs of the countries the extract concerns, each once."""
    first = extract.pairs[0]
    if len(extract.pairs) == 1:
        return (first.a.slug, first.b.slug)
    return {c.slug for p in extract.pairs for c in (p.a, p.b)}


def by_month(extracts: Iterable[Extract]) -> tuple[Month, ...]:
    """Group extracts (already newest first) under month headings."""
    months: dict[tuple[int, int], list[Extract]] = {}
    for extract in extracts:
        months.setdefault((extract.date.year, extract.date.month), []).append(extract)
    return tuple(Month(month_title(y, m), f"{y:04d}-{m:02d}", tuple(items))
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
    parts = []
    for number, oldest_first in enumerate(_runs_of_days(month.extracts[::-1], size), 1):
        items = tuple(oldest_first[::-1])
        first, last = items[-1].date, items[0].date
        days = f"{first.day}" if first == last else f"{first.day}–{last.day}"
        parts.append(Month(f"{days} {month.title}", f"{month.slug}-part-{number}", items, month.title))
    return tuple(reversed(parts))


def _runs_of_days(oldest_first: Sequence[Extract], size: int) -> list[list[Extract]]:
    """Runs of at most ``size`` extracts, each of whole days but for a day
    with more than ``size``."""
    runs: list[list[Extract]] = []
    current: list[Extract] = []
    for _, day in groupby(oldest_first, key=_DATE):
        of_day = list(day)
        if current and len(current) + len(of_day) > size:
            runs.append(current)
            current = []
        while len(of_day) > size:
            runs.append(of_day[:size])
            of_day = of_day[size:]
        current.extend(of_day)
    runs.append(current)
    return runs


def _archive(extracts: Sequence[Extract], limits: Limits) -> tuple[Month, ...]:
    """Pages for a pair's older extracts: a page per year, or per month in a
    busy year, and a busy month in parts."""
    years: dict[int, list[Extract]] = {}
    for extract in extracts:
        years.setdefault(extract.date.year, []).append(extract)
    pages: list[Month] = []
    for year, items in years.items():
        if len(items) > limits.archive_page:
            for month in by_month(items):
                pages.extend(split_month(month, limits.archive_month))
        else:
            pages.append(Month(str(year), f"{year:04d}", tuple(items)))
    return tuple(pages)


def _pair_view(extracts: tuple[Extract, ...], slug: str, events: Mapping[str, EventView],
               figure_disputes: Mapping[FigureKey, Disagreement], note: PairNote | None,
               limits: Limits) -> PairView:
    pair = next(p for p in extracts[0].pairs if p.slug == slug)
    shown = extracts[:limits.pair_latest]
    shown_events, disputed = _concerns(shown, events, figure_disputes, pair)
    archive = _archive(extracts[limits.pair_latest:], limits)
    archive_notes = tuple(_notes(*_concerns(page.extracts, events, figure_disputes, pair))
                          for page in archive)
    return PairView(pair=pair, extracts=extracts, shown=shown, archive=archive,
                    sources=_sources_of(extracts), events=shown_events, figure_disagreements=disputed,
                    note=note, archive_notes=archive_notes)


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
        figure_disputes[k] for e in extracts for k in figure_keys(e, pair) if k in figure_disputes))
    return reported, disputed


def _source_view(source: Source, extracts: tuple[Extract, ...]) -> SourceView:
    return SourceView(source, extracts, tuple(sorted({p for e in extracts for p in e.pairs},
                                                     key=lambda p: p.order)))


def _theme_views(themes: Iterable[Theme], by_theme: Mapping[str, tuple[Extract, ...]],
                 pairs: Sequence[PairView], limits: Limits) -> tuple[ThemeView, ...]:
    # Walking the pairs in their order lists each theme's pairs in that order.
    theme_pairs: dict[str, list[tuple[Pair, tuple[Extract, ...]]]] = defaultdict(list)
    for view in pairs:
        for slug, extracts in view.theme_extracts.items():
            theme_pairs[slug].append((view.pair, extracts))
    views = []
    for theme in themes:
        items, rows = by_theme.get(theme.slug, ()), tuple(theme_pairs[theme.slug])
        ranked = sorted(range(len(rows)), key=lambda i: -len(rows[i][1]))
        views.append(ThemeView(theme, rows, len(items), items[:limits.latest_in_theme],
                               tuple(rows[i] for i in ranked[:limits.top_pairs])))
    return tuple(views)


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


def _matrix_countries(pairs: Sequence[PairView], size: int) -> tuple[Country, ...]:
    # Keyed by slug: a string hashes in C, a Country through Python.
    counts: dict[str, int] = defaultdict(int)
    country: dict[str, Country] = {}
    for view in pairs:
        a, b = view.pair.a, view.pair.b
        counts[a.slug] += len(view.extracts)
        counts[b.slug] += len(view.extracts)
        country[a.slug], country[b.slug] = a, b
    top = sorted(counts, key=lambda slug: (-counts[slug], country[slug].order))[:size]
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
    keys = sorted({k for e in extracts for k in figure_keys(e)})
    disagreements.extend(figure_disputes[k] for k in keys if k in figure_disputes)
    pairs = {p.slug: p for e in extracts for p in e.pairs}
    return EventView(event, extracts, _sources_of(extracts), tuple(sorted(pairs.values())),
                     tuple(disagreements))


def _figure_disagreements(index: _Index) -> dict[FigureKey, Disagreement]:
    """The figures sources give different values for, by key."""
    result = {}
    for key, extracts in sorted(index.figures.items()):
        if len(extracts) < 2:
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
    return result
