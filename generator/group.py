"""Stage 3: the validated extracts arranged the way the site presents them.

A pure function of :class:`Briefings` and the page :class:`Limits`, made
from scratch every build: by pair, by theme, by country, by source, by
event, by month; key figures; and where sources disagree. Every list has a
total order (newest first, then id; or by display name), so the same data
always gives the same pages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import groupby
from typing import TypeVar

from .formatting import format_number, long_date, month_title
from .lazy import cached_property
from .models import (
    FACT_UNIT,
    Briefings,
    Country,
    Event,
    Extract,
    Figure,
    Group,
    Pair,
    PairNote,
    Source,
    Subject,
    Theme,
)
from .settings import Limits
from .weigh import APPROX_TOLERANCE, Given, Outlets, Revision, Version, Weighed, weigh
from .when import MONTHS, When

#: A figure of a briefing: the briefing's path (``pairs/china-russia``), and
#: the figure's label, unit and period, casefolded (see :class:`Figure`). The
#: same label of two pairs ("Bilateral trade") names two figures, which
#: cannot disagree.
FigureKey = tuple[str, str, str, str]
#: The other wordings of a remark an extract links to, the newest.
WORDINGS = 8
_K = TypeVar("_K", bound=Hashable)


@dataclass(frozen=True)
class Disagreement:
    """Sources give different values for the same fact."""

    subject: str
    versions: tuple[Version, ...]
    #: The event whose date is disputed: its page lists every source.
    event: Event | None = None
    #: One line: how many independent outlets give each version.
    summary: str = ""
    #: Articles whose successive versions gave different values.
    revisions: tuple[Revision, ...] = ()
    #: Coarser values that agree with several versions, and who gives them.
    consistent: tuple[tuple[str, tuple[Source, ...]], ...] = ()

    @staticmethod
    def of(subject: str, weighed: Weighed, event: Event | None = None) -> Disagreement:
        """The note about ``subject`` from its weighed versions."""
        return Disagreement(subject, weighed.versions, event, weighed.summary, weighed.revisions,
                            weighed.consistent)


@dataclass(frozen=True)
class FigureRow:
    """A key figure of a briefing for one period: each value given for it, with
    the extracts that give it, and whether the values disagree."""

    label: str
    unit: str
    period: str
    #: Each value as written ("about 90"), with the article's words, and the extracts giving it.
    values: tuple[tuple[str, str, tuple[Extract, ...]], ...]
    disputed: bool


def figure_rows(extracts: Sequence[Extract], subject: Subject, disputed: Mapping[FigureKey, object]
                ) -> tuple[FigureRow, ...]:
    """The key figures the extracts give of ``subject``: a row per figure and
    period, in order of first appearance; ``disputed`` holds the keys of the
    figures whose values disagree."""
    path = f"{subject.section}/{subject.slug}"
    rows: dict[tuple[str, str, str], tuple[Figure, dict[tuple[str, str], list[Extract]]]] = {}
    for extract in extracts:
        for figure in extract.figures:
            values = rows.setdefault(figure.key, (figure, {}))[1]
            givers = values.setdefault((figure_value(figure), figure.as_written), [])
            if extract not in givers:
                givers.append(extract)
    return tuple(FigureRow(first.label, first.unit, first.period,
                           tuple((value, words, tuple(givers)) for (value, words), givers in values.items()),
                           (path, *key) in disputed)
                 for key, (first, values) in rows.items())


@dataclass(frozen=True)
class Month:
    """Extracts of one calendar month (or of a year, for those dated by their
    year only; or, on a briefing's archive, one year, or part of a busy
    month), newest first."""

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
    #: The briefings its extracts are part of: pairs, then groups, then countries.
    subjects: tuple[Subject, ...]
    disagreements: tuple[Disagreement, ...]
    #: The date most independent outlets give; ``None`` when no extract reports it.
    date: When | None = None
    #: Whether sources disagree on that date.
    disputed: bool = False
    #: Each source's heading on the event's page, by slug: its publisher, and
    #: which version of an article it is, or its title where a publisher has several.
    names: dict[str, str] = field(default_factory=dict)

    @property
    def by_source(self) -> tuple[tuple[Source, tuple[Extract, ...]], ...]:
        """What each source says, sources by slug."""
        items: dict[str, list[Extract]] = defaultdict(list)
        for extract in self.extracts:
            items[extract.source.slug].append(extract)
        return tuple((s, tuple(items[s.slug])) for s in self.sources)

    @cached_property
    def reports(self) -> tuple[Extract, ...]:
        """The extracts that report it: what dates it and gives its figures."""
        return tuple(e for e in self.extracts if e.reports_event)

    @cached_property
    def reactions(self) -> tuple[Extract, ...]:
        """The extracts about responses to it, each on its own date."""
        return tuple(e for e in self.extracts if e.event_role == "reaction")

    @cached_property
    def background(self) -> tuple[Extract, ...]:
        """The extracts that give it context."""
        return tuple(e for e in self.extracts if e.event_role == "background")


@dataclass(frozen=True)
class BriefingView:
    """Everything on one briefing's page and its archive pages: a pair's, a
    group's, or a country's own extracts."""

    subject: Subject
    #: Every extract of the briefing, newest first.
    extracts: tuple[Extract, ...]
    #: The latest of them, which the briefing page shows.
    shown: tuple[Extract, ...]
    #: The extracts older than the shown ones, a page per year or month.
    archive: tuple[Month, ...]
    #: The sources of every extract of the briefing.
    sources: tuple[Source, ...]
    #: The events the shown extracts report, and the figures they give that
    #: sources disagree on: what the briefing page notes.
    events: tuple[EventView, ...]
    figure_disagreements: tuple[Disagreement, ...]
    note: PairNote | None
    #: The "sources disagree" notes of each archive page, about its extracts.
    archive_notes: tuple[tuple[Disagreement, ...], ...] = ()
    #: For a pair: the groups with both its countries, and their extracts
    #: (listed briefly; they are in full on the group's page).
    groups: tuple[tuple[Group, tuple[Extract, ...]], ...] = ()
    #: The key figures of the shown extracts, and of each archive page's.
    figures: tuple[FigureRow, ...] = ()
    archive_figures: tuple[tuple[FigureRow, ...], ...] = ()

    @cached_property
    def series(self) -> tuple[tuple[str, str, tuple[tuple[str, float], ...]], ...]:
        """Each figure given for two periods or more that are dates (years,
        months, days), with its value in each, oldest first: the value most
        extracts give, the newest extract's on a tie."""
        found: dict[tuple[str, str], tuple[Figure, dict[When, dict[float, int]], dict[When, str]]] = {}
        for extract in reversed(self.extracts):
            for figure in extract.figures:
                try:
                    when = When.parse(figure.period.strip())
                except ValueError:
                    continue
                first, values, written = found.setdefault(figure.key[:2], (figure, {}, {}))
                counts = values.setdefault(when, {})
                counts[figure.value] = counts.get(figure.value, 0) + 1
                written[when] = figure.period
        series = []
        for first, values, written in found.values():
            if len(values) > 1:
                points = tuple((written[w], max(values[w], key=lambda v: (values[w][v], v)))
                               for w in sorted(values))
                series.append((first.label, first.unit, points))
        return tuple(series)

    @property
    def path(self) -> str:
        """The briefing page's path from the site root, without ``.md``."""
        return f"{self.subject.section}/{self.subject.slug}"

    @property
    def first(self) -> When:
        """Date of the oldest extract."""
        return self.extracts[-1].date

    @property
    def last(self) -> When:
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
        """Every extract of the briefing by theme slug, newest first."""
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
        """Extract id → path of the briefing's page that shows the extract in full."""
        homes = dict.fromkeys([e.id for e in self.shown], self.path)
        for page in self.archive:
            path = f"{self.path}/{page.slug}"
            for extract in page.extracts:
                homes[extract.id] = path
        return homes

    @property
    def disagreements(self) -> tuple[Disagreement, ...]:
        """Every disagreement shown on the page, once: events first, then figures."""
        return _notes(self.events, self.figure_disagreements)


@dataclass(frozen=True)
class ThemeView:
    """A theme across briefings."""

    theme: Theme
    #: Every briefing with extracts on the theme: pairs in their order, then
    #: groups, then countries.
    by_subject: tuple[tuple[Subject, tuple[Extract, ...]], ...]
    count: int
    latest: tuple[Extract, ...]
    #: The briefings with the most extracts on the theme, most first.
    top: tuple[tuple[Subject, tuple[Extract, ...]], ...]


@dataclass(frozen=True)
class CountryView:
    """A country's pairs, groups, themes and own briefing."""

    country: Country
    pairs: tuple[BriefingView, ...]
    themes: tuple[tuple[Theme, int], ...]
    count: int
    #: The extracts about the country alone, if any.
    briefing: BriefingView | None = None
    #: The groups it is a member of.
    groups: tuple[BriefingView, ...] = ()


@dataclass(frozen=True)
class SourceView:
    """A source and all its extracts."""

    source: Source
    extracts: tuple[Extract, ...]
    subjects: tuple[Subject, ...]
    #: The other versions of the same article, oldest first, with this one.
    versions: tuple[Source, ...] = ()

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
    pairs: tuple[BriefingView, ...]
    themes: tuple[ThemeView, ...]
    countries: tuple[CountryView, ...]
    sources: tuple[SourceView, ...]
    events: tuple[EventView, ...]
    #: Every month with extracts, newest first, each extract at its place in
    #: time (see ``placed``).
    timeline: tuple[Month, ...]
    #: Each month's pages, by month slug: the month itself, or its parts
    #: (newest first) when it has more extracts than a page holds.
    month_pages: dict[str, tuple[Month, ...]]
    latest: tuple[Extract, ...]
    #: The most covered countries, most first, each with its number of
    #: extracts and its pairs, most covered first: what the home page shows.
    coverage: tuple[tuple[Country, int, tuple[BriefingView, ...]], ...]
    #: The pairs with the most extracts, most first.
    top_pairs: tuple[BriefingView, ...]
    #: Briefing path (``pairs/china-russia``) → its view.
    by_path: dict[str, BriefingView] = field(default_factory=dict)
    groups: tuple[BriefingView, ...] = ()
    #: The extracts the timeline shows at their event's date rather than
    #: their own: extract id → that date and the event.
    placed: dict[str, tuple[When, EventView]] = field(default_factory=dict)
    #: Which sources count as one outlet.
    outlets: Outlets = field(default_factory=lambda: Outlets({}, {}))
    #: Extract id → the other wordings of the same remark (linked by
    #: ``same_as``, either way), in extract order.
    wordings: dict[str, tuple[Extract, ...]] = field(default_factory=dict)

    def home(self, subject: Subject, extract: Extract) -> str:
        """Path (from the site root, without ``.md``) of the extract on the subject's pages."""
        return self.by_path[f"{subject.section}/{subject.slug}"].homes[extract.id]

    @property
    def calendar(self) -> tuple[tuple[int, tuple[tuple[str, Month], ...]], ...]:
        """Years, newest first, each with its months that have extracts, newest
        first, then its extracts dated by the year alone: (label, month)."""
        years: dict[int, list[tuple[str, Month]]] = {}
        for month in self.timeline:
            number = int(month.slug[5:7] or 0)
            label = MONTHS[number - 1] if number else "month not given"
            years.setdefault(int(month.slug[:4]), []).append((label, month))
        return tuple((year, tuple(months)) for year, months in years.items())

    @property
    def timeline_latest(self) -> tuple[Month, ...]:
        """The latest extracts by month, each at its place in time."""
        left, months = self.limits.latest_in_timeline, []
        for month in self.timeline:
            if left <= 0:
                break
            months.append(replace(month, extracts=month.extracts[:left]))
            left -= len(month.extracts)
        return tuple(months)


@dataclass(frozen=True)
class _Index:
    """The extracts by each key the site groups them by, newest first."""

    #: By briefing path (``pairs/china-russia``, ``groups/...``, ``countries/...``).
    subjects: dict[str, tuple[Extract, ...]]
    themes: dict[str, tuple[Extract, ...]]
    events: dict[str, tuple[Extract, ...]]
    sources: dict[str, tuple[Extract, ...]]
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
    outlets = Outlets.of(briefings.sources)
    disputes = _figure_disagreements(index, outlets)
    event_of = {e.slug: e for e in briefings.events}
    events = {slug: _event_view(event_of[slug], items, disputes, outlets)
              for slug, items in index.events.items()}
    notes = {note.pair.slug: note for note in briefings.notes}
    views = {path: _briefing_view(items, path, events, disputes, notes.get(path.split("/", 1)[1])
                                  if path.startswith("pairs/") else None, limits)
             for path, items in index.subjects.items()}
    pairs = tuple(sorted((v for v in views.values() if isinstance(v.subject, Pair)),
                         key=lambda v: v.subject.order))
    groups = tuple(sorted((v for v in views.values() if isinstance(v.subject, Group)),
                          key=lambda v: v.subject.order))
    pairs = _with_groups(pairs, groups)
    views.update({v.path: v for v in pairs})
    placed = _placed(events.values())
    timeline = _timeline(extracts, placed)
    return Site(
        briefings=briefings,
        limits=limits,
        pairs=pairs,
        themes=_theme_views(briefings.themes, index.themes, views.values(), limits),
        countries=_country_views(briefings, views, index.country_count, index.country_themes),
        sources=_source_views(briefings.sources, index.sources, outlets),
        events=tuple(events[slug] for slug in sorted(events)),
        timeline=timeline,
        month_pages={month.slug: split_month(month, limits.timeline_page, placed) for month in timeline},
        latest=extracts[:limits.latest],
        coverage=_coverage(pairs, index.country_count, limits.coverage),
        top_pairs=tuple(sorted(pairs, key=lambda v: -len(v.extracts))[:limits.top_pairs]),
        by_path=views,
        groups=groups,
        placed=placed,
        outlets=outlets,
        wordings=_wordings(extracts),
    )


def _wordings(extracts: Sequence[Extract]) -> dict[str, tuple[Extract, ...]]:
    """Each extract linked by ``same_as`` (either way, and through others)
    to the other wordings of its remark."""
    linked = [e for e in extracts if e.same_as]
    if not linked:
        return {}
    by_id = {e.id: e for e in extracts}
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for e in linked:
        if e.same_as in by_id:
            parent[find(e.id)] = find(e.same_as)
    members: dict[str, list[Extract]] = defaultdict(list)
    for extract_id in list(parent):
        members[find(extract_id)].append(by_id[extract_id])
    result = {}
    for group in members.values():
        group.sort(key=lambda e: e.sort_key)
        # At most WORDINGS others each: a remark worded ten thousand times
        # would otherwise put ten thousand links under each of its extracts.
        for e in group:
            result[e.id] = tuple([w for w in group[:WORDINGS + 1] if w.id != e.id][:WORDINGS])
    return result


def _index(extracts: tuple[Extract, ...]) -> _Index:
    """The index of ``extracts`` (newest first), made in one pass."""
    subjects: dict[str, list[Extract]] = defaultdict(list)
    themes: dict[str, list[Extract]] = defaultdict(list)
    events: dict[str, list[Extract]] = defaultdict(list)
    sources: dict[str, list[Extract]] = defaultdict(list)
    figures: dict[FigureKey, list[Extract]] = defaultdict(list)
    country_count: dict[str, int] = defaultdict(int)
    country_themes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for extract in extracts:
        for subject in extract.subjects:
            subjects[f"{subject.section}/{subject.slug}"].append(extract)
        for theme in extract.themes:
            themes[theme.slug].append(extract)
        if extract.event is not None:
            events[extract.event.slug].append(extract)
        sources[extract.source.slug].append(extract)
        for key in figure_keys(extract):
            figures[key].append(extract)
        # Each extract counts once for each country it concerns.
        for slug in _members(extract):
            country_count[slug] += 1
            for theme in extract.themes:
                country_themes[slug][theme.slug] += 1
    return _Index(_frozen(subjects), _frozen(themes), _frozen(events), _frozen(sources),
                  _frozen(figures), dict(country_count), {k: dict(v) for k, v in country_themes.items()})


def figure_keys(extract: Extract, subject: Subject | None = None) -> list[FigureKey]:
    """The keys of the figures the extract gives, for each of its briefings
    (or for ``subject``), each once."""
    if not extract.figures and not extract.facts:
        return []
    subjects = (subject,) if subject is not None else extract.subjects
    keys = [f.key for f in extract.figures] + [f.key for f in extract.facts]
    return list(dict.fromkeys([(f"{s.section}/{s.slug}", *key) for s in subjects for key in keys]))


def _frozen(lists: Mapping[_K, list[Extract]]) -> dict[_K, tuple[Extract, ...]]:
    return {key: tuple(items) for key, items in lists.items()}


def _members(extract: Extract) -> Iterable[str]:
    """The slugs of the countries the extract concerns, each once."""
    subjects = extract.subjects
    if len(subjects) == 1:
        return [c.slug for c in subjects[0].members]
    return {c.slug for s in subjects for c in s.members}


def _month_of(when: When) -> tuple[int, int]:
    return when.year, when.month


def _month(year: int, number: int, extracts: tuple[Extract, ...]) -> Month:
    """The month ``number`` of ``year``, or with ``number`` 0, the extracts
    dated by the year alone."""
    if not number:
        return Month(f"{year}, month not given", f"{year:04d}", extracts)
    return Month(month_title(year, number), f"{year:04d}-{number:02d}", extracts)


def by_month(extracts: Iterable[Extract]) -> tuple[Month, ...]:
    """Group extracts (already newest first) under month headings."""
    months: dict[tuple[int, int], list[Extract]] = {}
    for extract in extracts:
        months.setdefault(_month_of(extract.date), []).append(extract)
    return tuple(_month(y, m, tuple(items)) for (y, m), items in months.items())


def _placed(events: Iterable[EventView]) -> dict[str, tuple[When, EventView]]:
    """The extracts reporting an event, placed at the date most independent
    outlets give it, where that is not their own or is disputed."""
    placed = {}
    for view in events:
        if view.date is None:
            continue
        for extract in view.reports:
            if view.disputed or extract.date != view.date:
                placed[extract.id] = (view.date, view)
    return placed


def _timeline(extracts: Sequence[Extract], placed: Mapping[str, tuple[When, EventView]]) -> tuple[Month, ...]:
    """Every extract by month, at its place in time, newest first."""
    if not placed:
        months: dict[tuple[int, int], list[Extract]] = defaultdict(list)
        for extract in extracts:
            months[_month_of(extract.date)].append(extract)
        return tuple(_month(y, m, tuple(items)) for (y, m), items in sorted(months.items(), reverse=True))
    when = {e.id: placed[e.id][0] for e in extracts if e.id in placed}
    ordered = sorted(extracts, key=lambda e: (-(when.get(e.id) or e.date).rank, e.id))
    months = defaultdict(list)
    for extract in ordered:
        months[_month_of(when.get(extract.id) or extract.date)].append(extract)
    return tuple(_month(y, m, tuple(items)) for (y, m), items in sorted(months.items(), reverse=True))


def split_month(month: Month, size: int, placed: Mapping[str, tuple[When, EventView]] | None = None
                ) -> tuple[Month, ...]:
    """The month as pages of at most ``size`` extracts, newest first.

    Parts are cut from the oldest extract on, so that new extracts, which
    are mostly the newest, leave the older parts (and links into them) as
    they were. A part holds whole days, so that its title, its range of
    days (``9–17 March 2025``), is where a reader finds a day; only a day
    of more than ``size`` extracts is itself cut. Extracts dated by their
    month alone come first, as day 1.
    """
    if len(month.extracts) <= size:
        return (month,)
    placed = placed or {}

    def day(extract: Extract) -> int:
        found = placed.get(extract.id)
        return (found[0] if found else extract.date).day or 1

    parts = []
    for number, oldest_first in enumerate(_runs_of_days(month.extracts[::-1], size, day), 1):
        items = tuple(oldest_first[::-1])
        first, last = day(items[-1]), day(items[0])
        days = f"{first}" if first == last else f"{first}–{last}"
        parts.append(Month(f"{days} {month.title}", f"{month.slug}-part-{number}", items, month.title))
    return tuple(reversed(parts))


def _runs_of_days(oldest_first: Sequence[Extract], size: int, day: Callable[[Extract], int]
                  ) -> list[list[Extract]]:
    """Runs of at most ``size`` extracts, each of whole days but for a day
    with more than ``size``."""
    runs: list[list[Extract]] = []
    current: list[Extract] = []
    for _, of_a_day in groupby(oldest_first, key=day):
        of_day = list(of_a_day)
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
    """Pages for a briefing's older extracts: a page per year, or per month
    in a busy year, and a busy month in parts."""
    years: dict[int, list[Extract]] = {}
    for extract in extracts:
        years.setdefault(extract.date.year, []).append(extract)
    pages: list[Month] = []
    for year, items in years.items():
        if len(items) > limits.archive_page:
            for month in by_month(items):
                if month.slug == f"{year:04d}":
                    month = Month(f"{year}, month not given", f"{year:04d}-undated", month.extracts)
                pages.extend(split_month(month, limits.archive_month))
        else:
            pages.append(Month(str(year), f"{year:04d}", tuple(items)))
    return tuple(pages)


def _briefing_view(extracts: tuple[Extract, ...], path: str, events: Mapping[str, EventView],
                   figure_disputes: Mapping[FigureKey, Disagreement], note: PairNote | None,
                   limits: Limits) -> BriefingView:
    subject = next(s for s in extracts[0].subjects if f"{s.section}/{s.slug}" == path)
    shown = extracts[:limits.pair_latest]
    shown_events, disputed = _concerns(shown, events, figure_disputes, subject)
    archive = _archive(extracts[limits.pair_latest:], limits)
    archive_notes = tuple(_notes(*_concerns(page.extracts, events, figure_disputes, subject))
                          for page in archive)
    return BriefingView(subject=subject, extracts=extracts, shown=shown, archive=archive,
                        sources=_sources_of(extracts), events=shown_events, figure_disagreements=disputed,
                        note=note, archive_notes=archive_notes,
                        figures=figure_rows(shown, subject, figure_disputes),
                        archive_figures=tuple(figure_rows(page.extracts, subject, figure_disputes)
                                              for page in archive))


def _with_groups(pairs: Sequence[BriefingView], groups: Sequence[BriefingView]) -> tuple[BriefingView, ...]:
    """The pairs' views, each with the groups that have both its countries."""
    in_groups: dict[tuple[str, str], list[tuple[Group, tuple[Extract, ...]]]] = defaultdict(list)
    for view in groups:
        group = view.subject
        if not isinstance(group, Group):
            continue
        for i, a in enumerate(group.members):
            for b in group.members[i + 1:]:
                in_groups[a.slug, b.slug].append((group, view.extracts))
    if not in_groups:
        return tuple(pairs)
    return tuple(replace(v, groups=tuple(in_groups.get((v.subject.members[0].slug, v.subject.members[1].slug),
                                                       ())))
                 for v in pairs)


def _notes(events: Iterable[EventView], figures: Iterable[Disagreement]) -> tuple[Disagreement, ...]:
    """The notes of the events and then those about figures, each once: an
    event's notes include those about the figures its extracts give."""
    # Keyed by identity: a build makes one object for each disagreement.
    return tuple({id(d): d for notes in ([d for e in events for d in e.disagreements], figures)
                  for d in notes}.values())


def _concerns(extracts: Sequence[Extract], events: Mapping[str, EventView],
              figure_disputes: Mapping[FigureKey, Disagreement], subject: Subject,
              ) -> tuple[tuple[EventView, ...], tuple[Disagreement, ...]]:
    """The events the extracts concern (by slug), and the disagreements about
    the figures they give of ``subject`` (in order of appearance)."""
    reported = tuple(events[slug] for slug in sorted({e.event.slug for e in extracts if e.event}))
    disputed = tuple(dict.fromkeys(
        figure_disputes[k] for e in extracts for k in figure_keys(e, subject) if k in figure_disputes))
    return reported, disputed


def _source_views(sources: Iterable[Source], extracts: Mapping[str, tuple[Extract, ...]],
                  outlets: Outlets) -> tuple[SourceView, ...]:
    by_slug = {s.slug: s for s in sources}
    articles: dict[str, list[Source]] = defaultdict(list)
    for source in by_slug.values():
        if outlets.place(source)[1] > 1:
            articles[outlets.article_of(source)].append(source)
    for versions in articles.values():
        versions.sort(key=lambda s: outlets.place(s)[0])
    views = []
    for slug in sorted(by_slug):
        source, items = by_slug[slug], extracts.get(slug, ())
        subjects = _subjects_of(items)
        views.append(SourceView(source, items, subjects, tuple(articles.get(outlets.article_of(source), ()))))
    return tuple(views)


def _subjects_of(extracts: Iterable[Extract]) -> tuple[Subject, ...]:
    """The briefings of ``extracts``: pairs, then groups, then countries, each in its order."""
    found = {f"{s.section}/{s.slug}": s for e in extracts for s in e.subjects}
    rank = {"pairs": 0, "groups": 1, "countries": 2}
    return tuple(sorted(found.values(), key=lambda s: (rank[s.section], s.order)))


def _theme_views(themes: Iterable[Theme], by_theme: Mapping[str, tuple[Extract, ...]],
                 views: Iterable[BriefingView], limits: Limits) -> tuple[ThemeView, ...]:
    # Walking the briefings in their order lists each theme's briefings in that order.
    rank = {"pairs": 0, "groups": 1, "countries": 2}
    ordered = sorted(views, key=lambda v: (rank[v.subject.section], v.subject.order))
    theme_rows: dict[str, list[tuple[Subject, tuple[Extract, ...]]]] = defaultdict(list)
    for view in ordered:
        for slug, extracts in view.theme_extracts.items():
            theme_rows[slug].append((view.subject, extracts))
    result = []
    for theme in themes:
        items, rows = by_theme.get(theme.slug, ()), tuple(theme_rows[theme.slug])
        ranked = sorted(range(len(rows)), key=lambda i: -len(rows[i][1]))
        result.append(ThemeView(theme, rows, len(items), items[:limits.latest_in_theme],
                                tuple(rows[i] for i in ranked[:limits.top_pairs])))
    return tuple(result)


def _country_views(briefings: Briefings, views: Mapping[str, BriefingView], count: Mapping[str, int],
                   themes: Mapping[str, Mapping[str, int]]) -> tuple[CountryView, ...]:
    pairs: dict[str, list[BriefingView]] = defaultdict(list)
    groups: dict[str, list[BriefingView]] = defaultdict(list)
    for view in sorted(views.values(), key=lambda v: (v.subject.section, v.subject.order)):
        if isinstance(view.subject, Pair):
            for member in view.subject.members:
                pairs[member.slug].append(view)
        elif isinstance(view.subject, Group):
            for member in view.subject.members:
                groups[member.slug].append(view)
    theme_of = {t.slug: t for t in briefings.themes}
    return tuple(CountryView(country, tuple(pairs[country.slug]),
                             tuple((theme_of[slug], n) for slug, n in
                                   sorted(themes[country.slug].items(), key=lambda kv: (-kv[1], kv[0]))),
                             count[country.slug], views.get(f"countries/{country.slug}"),
                             tuple(groups[country.slug]))
                 for country in sorted(briefings.countries))


def _coverage(pairs: Sequence[BriefingView], counts: Mapping[str, int], size: int
              ) -> tuple[tuple[Country, int, tuple[BriefingView, ...]], ...]:
    """The ``size`` countries of pairs with the most extracts (``counts``, by
    slug), most first (then by name), each with its pairs, most extracts
    first (then in pair order)."""
    # Keyed by slug: a string hashes in C, a Country through Python.
    country: dict[str, Country] = {}
    partners: dict[str, list[BriefingView]] = defaultdict(list)
    for view in pairs:
        for member in view.subject.members:
            country[member.slug] = member
            partners[member.slug].append(view)
    top = sorted(country, key=lambda slug: (-counts[slug], country[slug].order))[:size]
    return tuple((country[slug], counts[slug], tuple(sorted(partners[slug], key=lambda v: -len(v.extracts))))
                 for slug in top)


def _sources_of(extracts: Iterable[Extract]) -> tuple[Source, ...]:
    # Keyed by slug: a string hashes in C, a Source (all its fields) through Python.
    found = {e.source.slug: e.source for e in extracts}
    return tuple([found[slug] for slug in sorted(found)])


def _event_view(event: Event, extracts: tuple[Extract, ...],
                figure_disputes: Mapping[FigureKey, Disagreement], outlets: Outlets) -> EventView:
    reports = [e for e in extracts if e.reports_event]
    given = [Given(float(e.date.first.toordinal()), float(e.date.last.toordinal()), long_date(e.date), e,
                   (e.date.rank, 0.0)) for e in reports]
    weighed = weigh(given, outlets, _sources_of)
    disagreements: list[Disagreement] = []
    date = _most_given(reports, outlets)
    if weighed is not None:
        disagreements.append(Disagreement.of(f"The date of {event.title}", weighed, event))
    keys = sorted({k for e in reports for k in figure_keys(e)})
    disagreements.extend(figure_disputes[k] for k in keys if k in figure_disputes)
    sources = _sources_of(extracts)
    return EventView(event, extracts, sources, _subjects_of(extracts), tuple(disagreements),
                     date, weighed is not None, _source_names(sources, outlets))


def _source_names(sources: Sequence[Source], outlets: Outlets) -> dict[str, str]:
    """How a page that lists several sources names each: its publisher; with
    the version, for an article in several; with the title, for a publisher
    with several articles."""
    publishers: dict[str, int] = defaultdict(int)
    for source in sources:
        publishers[source.publisher] += 1
    names = {}
    for source in sources:
        place, total = outlets.place(source)
        name = source.publisher
        if total > 1:
            name += f", version {place} of {total}"
        elif publishers[source.publisher] > 1:
            name += f": {source.title}"
        names[source.slug] = name
    return names


def _most_given(reports: Sequence[Extract], outlets: Outlets) -> When | None:
    """The date the most independent outlets give (the latest version of
    each article counting), the most precise and then the earliest on a tie."""
    latest: dict[str, int] = {}
    for e in reports:
        key = outlets.of_source(e.source)
        latest[key] = max(latest.get(key, 0), outlets.place(e.source)[0])
    votes: dict[When, set[str]] = defaultdict(set)
    for e in reports:
        key = outlets.of_source(e.source)
        if outlets.place(e.source)[0] == latest[key]:
            votes[e.date].add(key)
    if not votes:
        return None
    precision = {"day": 0, "month": 1, "year": 2}
    return min(votes, key=lambda d: (-len(votes[d]), precision[d.precision], d.rank))


def _figure_disagreements(index: _Index, outlets: Outlets) -> dict[FigureKey, Disagreement]:
    """The figures sources give values for that do not agree, by key."""
    result = {}
    for key, extracts in sorted(index.figures.items()):
        if len(extracts) < 2:
            continue
        if key[2] == FACT_UNIT:
            given, subject = _facts_given(key, extracts)
        else:
            given, label = _figures_given(key, extracts)
            subject = _figure_subject(label) if label else ""
        if not subject or len({(g.low, g.high) for g in given}) < 2:
            continue
        weighed = weigh(given, outlets, _sources_of)
        if weighed is not None:
            result[key] = Disagreement.of(subject, weighed)
    return result


def _figure_subject(figure: Figure) -> str:
    """``China–Russia trade (USD billion, 2025)``."""
    return f"{figure.label} ({figure.unit}{', ' + figure.period if figure.period else ''})"


def _facts_given(key: FigureKey, extracts: Sequence[Extract]) -> tuple[list[Given], str]:
    """Each value given for the fact ``key`` (the same words, ignoring case,
    are the same value), and its label as first written."""
    found = [(fact, e) for e in extracts for fact in e.facts if fact.key == key[1:]]
    values = {v: float(i) for i, v in enumerate(sorted({fact.value.casefold() for fact, _ in found}))}
    given = [Given(values[fact.value.casefold()], values[fact.value.casefold()], fact.value, e,
                   (values[fact.value.casefold()], 0.0)) for fact, e in found]
    return given, found[0][0].label if found else ""


def _figures_given(key: FigureKey, extracts: Sequence[Extract]) -> tuple[list[Given], Figure | None]:
    """Each value given for the figure ``key``, and its first figure (for its label)."""
    given, label = [], None
    for extract in extracts:
        for figure in extract.figures:
            if figure.key == key[1:]:
                low, high = figure.value, figure.high
                if figure.approx:
                    spread = abs(figure.value) * APPROX_TOLERANCE
                    low, high = low - spread, high + spread
                given.append(Given(low, high, figure_value(figure), extract, (figure.value, figure.high)))
                label = label or figure
    return given, label


def figure_value(figure: Figure) -> str:
    """``228.1``, ``about 24``, ``40–55``."""
    value = format_number(figure.value)
    if figure.is_range:
        value = f"{value}–{format_number(figure.high)}"
    return f"about {value}" if figure.approx else value
