"""What pages a site has: one function per page family, each yielding its pages.

Every :class:`Page` has a path, a way to make its content, and a way to
make its key: a value that describes everything the page shows (its
extracts' ids, the files they come from and where they link to, counts,
notes, neighbours). Two builds whose key for a page is equal make the same
page, which is what lets :func:`generator.render.render_site` reuse it.
What every page depends on (the templates, the site URL, the data files
other than sources) is the cache's context, not part of each key.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from .data import DataFiles, Rows
from .feeds import Feeds
from .forms import FormStore, Links, SharedParts
from .group import BriefingView, CountryView, Disagreement, EventView, Month, Site, SourceView, ThemeView
from .models import Extract
from .search import filter_choices, search_filter_values, search_filters

#: How an extract looks on any page: its id, the content hash of its source
#: file (which covers everything it says), the pages its briefing links go
#: to, and those of the other wordings of the same remark.
Look = tuple[str, str, tuple[str, ...], tuple[Hashable, ...]]


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, what it shows (``key``), how to make it."""

    path: str
    key: Callable[[], Hashable]
    make: Callable[[], str | bytes]


class Templates(Protocol):
    """What pages need from the renderer: rendering a template with a context."""

    def page(self, template: str, /, **context: Any) -> str:
        """The template rendered with ``context``."""


@dataclass
class Build:
    """One build's site and the helpers its pages share."""

    site: Site
    templates: Templates
    links: Links
    feeds: Feeds
    forms: FormStore
    #: The data files' rows of an earlier build, for this one to take, and
    #: whether this build's are kept for the next.
    rows: Rows | None = None
    keep_rows: bool = True
    shared: SharedParts = field(init=False)
    data: DataFiles = field(init=False)
    _looks: dict[str, Look] = field(default_factory=dict, repr=False)
    _note_keys: dict[int, Hashable] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.shared = SharedParts(self.links)
        self.data = DataFiles(self.site, self.rows, self.keep_rows)

    def keys(self, extracts: Iterable[Extract]) -> tuple[Look, ...]:
        """How each of ``extracts`` looks."""
        looks, home = self._looks, self.site.home
        found = []
        for e in extracts:
            look = looks.get(e.id)
            if look is None:
                wordings = tuple((w.id, w.source.digest, home(w.subjects[0], w))
                                 for w in self.site.wordings.get(e.id, ()))
                homes = tuple([home(s, e) for s in e.subjects])
                look = looks[e.id] = (e.id, e.source.digest, homes, wordings)
            found.append(look)
        return tuple(found)

    def notes(self, disagreements: Iterable[Disagreement]) -> tuple[Hashable, ...]:
        """What each note shows: its subject, and each version's value and sources."""
        found = []
        for d in disagreements:
            key = self._note_keys.get(id(d))
            if key is None:
                key = self._note_keys[id(d)] = (d.subject, d.event and d.event.slug, d.summary, d.revisions,
                                                d.consistent, tuple(
                    (v.value, v.also, v.outlets, tuple([(s.slug, s.digest) for s in v.sources]),
                     tuple(s.slug for s in v.superseded)) for v in d.versions))
            found.append(key)
        return tuple(found)

    def render(self, template: str, path: str, **context: Any) -> str:
        """The page at ``path`` from ``template``, with what every template uses."""
        up = self.links.up(path.removesuffix(".md"))
        return self.templates.page(template, site=self.site, root="../" * path.count("/"), up=up,
                                   texts=self.forms.texts(up), shared=self.shared, **context)


def plan(build: Build) -> Iterator[Page]:
    """Every page of the site."""
    yield from data_pages(build)
    yield from index_pages(build)
    yield from timeline_pages(build)
    for view in build.site.pairs:
        yield from briefing_pages(build, view)
    for view in build.site.groups:
        yield from briefing_pages(build, view)
    for country in build.site.countries:
        if country.briefing is not None:
            yield from briefing_pages(build, country.briefing, page=False)
    for theme in build.site.themes:
        yield from theme_pages(build, theme)
    yield from country_pages(build)
    for source in build.site.sources:
        yield source_page(build, source)
    for event in build.site.events:
        yield event_page(build, event)
    yield site_feed(build)


def data_pages(build: Build) -> Iterator[Page]:
    """``data/briefings.json`` and ``data/extracts.csv``."""
    key: list[Hashable] = []
    yield Page("data/briefings.json", partial(_data_key, build, key), build.data.json)
    yield Page("data/extracts.csv", partial(_data_key, build, key), build.data.csv)
    choices = filter_choices(build.site)
    yield Page("search/filters.json", partial(_data_key, build, key), partial(search_filters, choices))
    for name, values in choices.items():
        yield Page(f"search/filters/{name}.json", partial(_data_key, build, key),
                   partial(search_filter_values, values))


def _data_key(build: Build, made: list[Hashable]) -> Hashable:
    # The two files show the same, so their key is made once.
    if not made:
        site = build.site
        made.append((build.keys(site.briefings.extracts), tuple(_pair_row(v) for v in site.pairs),
                     _group_rows(site), tuple(_event_row(v) for v in site.events),
                     tuple((s.slug, s.digest) for s in site.briefings.sources)))
    return made[0]


def index_pages(build: Build) -> Iterator[Page]:
    """The home page and the index page of each section."""
    yield Page("index.md", partial(_home_key, build), partial(build.render, "index.md.j2", "index.md"))
    sections: dict[str, Callable[[Site], Hashable]] = {
        "pairs": _pair_rows, "groups": _group_rows, "themes": _theme_rows_of, "countries": _country_rows,
        "sources": _source_rows, "events": _event_rows,
    }
    for section, key in sections.items():
        path = f"{section}/index.md"
        yield Page(path, partial(key, build.site), partial(build.render, f"{section}.md.j2", path))


def _home_key(build: Build) -> Hashable:
    site = build.site
    return (_pair_rows(site), _theme_rows_of(site), build.keys(site.latest), len(site.briefings.extracts),
            len(site.briefings.sources), tuple((c.slug, n) for c, n, _ in site.coverage),
            tuple(v.subject.slug for v in site.top_pairs), _group_rows(site))


def _pair_rows(site: Site) -> Hashable:
    return tuple(_pair_row(v) for v in site.pairs)


def _group_rows(site: Site) -> Hashable:
    return tuple((_pair_row(v), tuple(c.slug for c in v.subject.members)) for v in site.groups)


def _theme_rows_of(site: Site) -> Hashable:
    return tuple((v.theme.slug, v.count, len(v.by_subject)) for v in site.themes)


def _country_rows(site: Site) -> Hashable:
    return tuple((v.country.slug, len(v.pairs), len(v.groups), v.briefing is not None, v.count)
                 for v in site.countries)


def _source_rows(site: Site) -> Hashable:
    return tuple((v.source.slug, v.source.digest, len(v.extracts), v.verified) for v in site.sources)


def _event_rows(site: Site) -> Hashable:
    return tuple(_event_row(v) for v in site.events)


def timeline_pages(build: Build) -> Iterator[Page]:
    """The calendar, and each month's pages (or parts), linking the months
    next in time: the newer month's oldest part, the older month's newest."""
    site = build.site
    yield Page("timeline/index.md", partial(_calendar_key, build),
               partial(build.render, "timeline.md.j2", "timeline/index.md"))
    months = [site.month_pages[m.slug] for m in site.timeline]
    for index, parts in enumerate(months):
        newer = months[index - 1][-1] if index > 0 else None
        older = months[index + 1][0] if index + 1 < len(months) else None
        around = tuple((m.slug, m.part_of or m.title) if m else None for m in (newer, older))
        for part in parts:
            path = f"timeline/{part.slug}.md"
            yield Page(path, partial(_month_key, build, part, parts, around),
                       partial(build.render, "month.md.j2", path, month=part, parts=parts, newer=newer,
                               older=older))


def _calendar_key(build: Build) -> Hashable:
    site = build.site
    calendar = tuple((m.slug, len(m.extracts), site.month_pages[m.slug][0].slug) for m in site.timeline)
    return calendar, build.keys(e for m in site.timeline_latest for e in m.extracts)


def _month_key(build: Build, part: Month, parts: tuple[Month, ...], around: Hashable) -> Hashable:
    return build.keys(part.extracts), tuple((p.slug, p.title) for p in parts), around


def briefing_pages(build: Build, view: BriefingView, page: bool = True) -> Iterator[Page]:
    """A briefing's page (unless its country's page shows it), its archive
    pages and its feed."""
    if page:
        path = f"{view.path}.md"
        yield Page(path, partial(_briefing_key, build, view),
                   partial(build.render, "pair.md.j2", path, view=view))
    for index, month in enumerate(view.archive):
        newer, older = view.neighbours(index)
        notes = view.archive_notes[index]
        path = f"{view.path}/{month.slug}.md"
        yield Page(path, partial(_archive_key, build, view, month, newer, older, notes),
                   partial(build.render, "pair_archive.md.j2", path, view=view, page=month, newer=newer,
                           older=older, notes=notes, page_index=index))
    entries = view.extracts[:build.site.limits.pair_feed]
    feed = f"{view.path}/feed.xml"
    yield Page(feed, partial(build.keys, entries),
               partial(build.feeds.feed, entries, title=f"{view.subject.title} briefing", path=feed,
                       page=build.links.url(view.path), subject=view.subject))


def _briefing_key(build: Build, view: BriefingView) -> Hashable:
    groups = tuple((g.slug, build.keys(items[:GROUP_LINES]), len(items)) for g, items in view.groups)
    return (build.keys(view.shown), len(view.extracts), view.first, build.notes(view.disagreements),
            tuple(e.event.slug for e in view.events), tuple((m.slug, len(m.extracts)) for m in view.archive),
            len(view.sources), tuple((s.slug, s.digest) for s in view.shown_sources), groups)


#: The extracts of each group a pair's page lists briefly.
GROUP_LINES = 5


def _archive_key(build: Build, view: BriefingView, month: Month, newer: Month | None, older: Month | None,
                 notes: tuple[Disagreement, ...]) -> Hashable:
    return (build.keys(month.extracts), len(view.shown), newer and (newer.slug, newer.title),
            older and (older.slug, older.title), build.notes(notes))


def theme_pages(build: Build, view: ThemeView) -> Iterator[Page]:
    """A theme's page, and the page of all its pairs when it has more than it shows."""
    slug = view.theme.slug
    rows = partial(_theme_rows, build, view)
    path = f"themes/{slug}.md"
    yield Page(path, partial(_theme_key, build, view, rows),
               partial(build.render, "theme.md.j2", path, view=view))
    if len(view.by_subject) > len(view.top):
        path = f"themes/{slug}/pairs.md"
        yield Page(path, rows, partial(build.render, "theme_pairs.md.j2", path, view=view))


def _theme_rows(build: Build, view: ThemeView) -> Hashable:
    slug, by_path = view.theme.slug, build.site.by_path
    return tuple((s.section, s.slug, len(items), items[0].date,
                  slug in by_path[f"{s.section}/{s.slug}"].theme_slugs) for s, items in view.by_subject)


def _theme_key(build: Build, view: ThemeView, rows: Callable[[], Hashable]) -> Hashable:
    return (build.keys(view.latest), view.count, tuple((s.section, s.slug) for s, _ in view.top), rows())


def country_pages(build: Build) -> Iterator[Page]:
    """A page per country."""
    for view in build.site.countries:
        path = f"countries/{view.country.slug}.md"
        yield Page(path, partial(_country_key, build, view),
                   partial(build.render, "country.md.j2", path, view=view))


def source_page(build: Build, view: SourceView) -> Page:
    """A source's page: its metadata and every extract from it."""
    path = f"sources/{view.source.slug}.md"
    return Page(path, partial(_source_key, build, view),
                partial(build.render, "source.md.j2", path, view=view))


def _source_key(build: Build, view: SourceView) -> Hashable:
    return view.source.digest, build.keys(view.extracts), tuple((s.slug, s.digest) for s in view.versions)


def event_page(build: Build, view: EventView) -> Page:
    """An event's page: what each source says about it."""
    path = f"events/{view.event.slug}.md"
    return Page(path, partial(_event_key, build, view), partial(build.render, "event.md.j2", path, view=view))


def _event_key(build: Build, view: EventView) -> Hashable:
    return (build.keys(view.extracts), build.notes(view.disagreements), view.date, view.disputed,
            tuple(view.names.items()))


def site_feed(build: Build) -> Page:
    """The site's Atom feed of its latest extracts."""
    entries = build.site.briefings.extracts[:build.site.limits.feed]
    return Page("feed.xml", partial(build.keys, entries),
                partial(build.feeds.feed, entries, title="Briefings", path="feed.xml",
                        page=build.links.url("index")))


def _country_key(build: Build, view: CountryView) -> Hashable:
    briefing = _briefing_key(build, view.briefing) if view.briefing else None
    return (tuple(_pair_row(v) for v in view.pairs), tuple(_pair_row(v) for v in view.groups),
            tuple((t.slug, n) for t, n in view.themes), view.count, briefing)


def _pair_row(v: BriefingView) -> Hashable:
    # What the home page and the pair index show of a briefing.
    return (v.subject.slug, len(v.extracts), len(v.sources), v.first, v.last, v.note.trend if v.note else "")


def _event_row(v: EventView) -> Hashable:
    # What the event index shows of an event.
    return (v.event.slug, len(v.sources), v.date, v.disputed, bool(v.disagreements))
