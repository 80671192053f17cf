"""How much each kind of page shows: one frozen object, passed to grouping and rendering."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """The sizes that keep every page readable however large the archive."""

    #: Extracts a pair's briefing page shows in full; older ones are on the
    #: pair's archive pages, so no page grows without bound.
    pair_latest: int = 25
    #: An archive page holds a pair's older extracts of one year, or of one
    #: month when the year has more than this many: a page per month of a
    #: sparse year would be a click per extract, a busy year on one page too
    #: long to read.
    archive_page: int = 10
    #: A month of a pair's archive with more extracts than this is split into
    #: parts of whole days.
    archive_month: int = 25
    #: A timeline month page lists at most this many extracts; a busier
    #: month is split into parts.
    timeline_page: int = 50
    #: Countries the home page's coverage shows (the most covered ones), and
    #: the pairs it names for each.
    coverage: int = 16
    coverage_pairs: int = 8
    #: Extracts the "latest" lists show: on the home page, on theme pages,
    #: on the timeline.
    latest: int = 10
    latest_in_theme: int = 20
    latest_in_timeline: int = 50
    #: Pairs the home page and a theme page list (the most covered ones);
    #: the full lists are on pages of their own.
    top_pairs: int = 20
    #: Extracts in the site's feed, and in each pair's feed.
    feed: int = 50
    pair_feed: int = 20
    #: Sources a "sources disagree" note names for each version of an event's
    #: date, outside the event's page: an event reported by hundreds of
    #: sources would otherwise fill every briefing that mentions it.
    note_sources: int = 8
    #: Extracts whose page forms a build keeps at a time: most extracts
    #: appear on several pages, and the bound keeps memory flat however
    #: large the archive.
    forms_kept: int = 12_000
