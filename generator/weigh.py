"""Where sources disagree, and how much weight each side has.

A fact (an event's date, a figure's value) may be given differently by
several sources. Two values *agree* when what they cover overlaps: a day
and the month it is in, 24 and "roughly 24" (within
:data:`APPROX_TOLERANCE`), 50 and the range 40–55. The values are grouped
into versions, most precise first; a coarse value that agrees with several
versions ("February 2026" beside 4 and 7 February) counts for none of them
and is named as consistent with them.

Each version says how many *independent outlets* give it. The articles of
one publisher are one outlet, and so are those that carry the same wire
story (the same ``via``) wherever they are published; the versions of one
article (linked by ``revision_of``) are one outlet too, whose word is that
of its latest version; its earlier versions are shown as the article's
history.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .formatting import plural
from .models import Extract, Source

#: An approximate value agrees with any value within this share of it.
APPROX_TOLERANCE = 0.1

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


@dataclass(frozen=True)
class Given:
    """One source's value for a fact, as an interval ``low``–``high``
    (equal for a point), with how it is written."""

    low: float
    high: float
    written: str
    extract: Extract
    #: How values are put in order on the page (a date's or a number's).
    order: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True)
class Version:
    """One version of a disputed fact, and the sources that give it."""

    value: str
    sources: tuple[Source, ...]
    extracts: tuple[Extract, ...]
    #: The independent outlets whose word (the latest version of their
    #: article) this is.
    outlets: int = 0
    #: The sources that give it only in a version their outlet revised since.
    superseded: tuple[Source, ...] = ()
    #: The same version as others give it, less precisely: ``November 2025``
    #: beside ``14 November 2025``.
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Revision:
    """One article's successive values, oldest version first."""

    publisher: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Outlets:
    """Which sources are one outlet: the same publisher, the same ``via``,
    or versions of one article. Made once per build from every source."""

    #: Source slug → the outlet it belongs to.
    outlet: Mapping[str, str]
    #: Source slug → its place among the versions of its article (1: the
    #: first) and how many versions the article has.
    version: Mapping[str, tuple[int, int]]
    #: Source slug → the slug of its article's first version.
    article: Mapping[str, str] = field(default_factory=dict)

    @staticmethod
    def of(sources: Iterable[Source]) -> Outlets:
        """The outlets of ``sources``."""
        by_slug = {s.slug: s for s in sources}
        walked = chains(by_slug)
        roots = {slug: root for slug, (root, _) in walked.items()}
        articles: dict[str, list[str]] = defaultdict(list)
        for slug in sorted(by_slug, key=lambda s: (walked[s][1], s)):
            articles[roots[slug]].append(slug)
        version = {slug: (place, len(article)) for article in articles.values()
                   for place, slug in enumerate(article, 1)}
        # An article's versions are one outlet; so are the articles of one
        # publisher, and the stories of one wire wherever they are published.
        parent = {slug: roots[slug] for slug in by_slug}
        for slug in roots:
            parent.setdefault(roots[slug], roots[slug])
        firsts: dict[str, str] = {}
        for slug in sorted(by_slug):
            source = by_slug[slug]
            for name in (f"publisher:{source.publisher.casefold()}", f"via:{source.via.casefold()}"):
                if name != "via:":
                    first = firsts.setdefault(name, slug)
                    parent[_find(parent, slug)] = _find(parent, first)
        return Outlets({slug: _find(parent, slug) for slug in by_slug}, version, roots)

    def of_source(self, source: Source) -> str:
        """The outlet ``source`` belongs to."""
        return self.outlet.get(source.slug, source.slug)

    def article_of(self, source: Source) -> str:
        """The slug of the first version of the source's article."""
        return self.article.get(source.slug, source.slug)

    def place(self, source: Source) -> tuple[int, int]:
        """Its version's place in its article, and the number of versions."""
        return self.version.get(source.slug, (1, 1))


def chains(sources: Mapping[str, Source]) -> dict[str, tuple[str, int]]:
    """Each source's article (the slug of its first version) and its depth in
    the chain of versions (0: the first), following ``revision_of``; each
    source is walked once, so a chain of any length costs its length. A
    version in a loop (reported by validation) starts its own article."""
    found: dict[str, tuple[str, int]] = {}
    for start in sources:
        path: list[str] = []
        on_path: set[str] = set()
        slug: str | None = start
        while slug is not None and slug not in found and slug not in on_path:
            path.append(slug)
            on_path.add(slug)
            earlier = sources[slug].revision_of
            slug = earlier if earlier in sources else None
        if slug is None or slug in on_path:
            root, depth = path[-1] if slug is None else slug, -1
        else:
            root, depth = found[slug]
        for walked in reversed(path):
            depth += 1
            found[walked] = (root, depth)
    return found


def _find(parent: dict[str, str], slug: str) -> str:
    while parent[slug] != slug:
        parent[slug] = parent[parent[slug]]
        slug = parent[slug]
    return slug


@dataclass
class _Cluster:
    low: float
    high: float
    members: list[Given] = field(default_factory=list)


@dataclass(frozen=True)
class Weighed:
    """A fact's versions, weighed: what a "sources disagree" note shows."""

    versions: tuple[Version, ...]
    #: ``4 independent outlets: 4 February 2026; one outlet: 7 February 2026, in its third version``.
    summary: str
    #: The articles whose versions gave different values.
    revisions: tuple[Revision, ...]
    #: Values that agree with several versions, and who gives them.
    consistent: tuple[tuple[str, tuple[Source, ...]], ...]


SourcesOf = Callable[[Iterable[Extract]], tuple[Source, ...]]


def weigh(given: Sequence[Given], outlets: Outlets, sources_of: SourcesOf) -> Weighed | None:
    """The versions of a fact as ``given``, or ``None`` when all agree."""
    clusters, loose = _clusters(given)
    if len(clusters) < 2:
        return None
    standing = _standing(given, outlets)
    versions = []
    for cluster in clusters:
        extracts = tuple(g.extract for g in cluster.members)
        counted = {outlets.of_source(g.extract.source) for g in cluster.members if id(g) in standing}
        superseded = sources_of(g.extract for g in cluster.members if id(g) not in standing)
        written = _written(cluster.members)
        versions.append(Version(written[0], sources_of(extracts), extracts, len(counted), superseded,
                                written[1:]))
    ordered = sorted(range(len(versions)), key=lambda i: (-versions[i].outlets, i))
    result = tuple(versions[i] for i in ordered)
    consistent = tuple((g.written, sources_of([g.extract])) for g in loose)
    return Weighed(result, _summary(result, clusters, ordered, outlets, standing),
                   _revisions(given, outlets), consistent)


def _clusters(given: Sequence[Given]) -> tuple[list[_Cluster], list[Given]]:
    """The versions (most precise values first), and the values that agree with several."""
    clusters: list[_Cluster] = []
    points: dict[float, _Cluster] = {}
    keys: list[float] = []
    ranges: list[_Cluster] = []
    loose: list[Given] = []
    for g in sorted(given, key=lambda g: (g.high - g.low, g.low, g.order)):
        if g.low == g.high and g.low in points:
            points[g.low].members.append(g)
            continue
        start, end = bisect.bisect_left(keys, g.low), bisect.bisect_right(keys, g.high)
        found = [points[k] for k in keys[start:min(end, start + 2)]]
        found += _overlapping(ranges, g, 2 - len(found))
        if len(found) > 1:
            loose.append(g)
        elif found:
            cluster = found[0]
            cluster.low, cluster.high = max(cluster.low, g.low), min(cluster.high, g.high)
            cluster.members.append(g)
        else:
            cluster = _Cluster(g.low, g.high, [g])
            clusters.append(cluster)
            if g.low == g.high:
                points[g.low] = cluster
                bisect.insort(keys, g.low)
            else:
                ranges.append(cluster)
    clusters.sort(key=lambda c: min(m.order for m in c.members))
    return clusters, loose


#: The versions of ranges and approximate values a value is compared with,
#: the most recent first: a fact given as thousands of different ranges
#: (in nobody's coverage) would otherwise cost their number squared.
_RANGES_COMPARED = 64


def _overlapping(ranges: Sequence[_Cluster], given: Given, wanted: int) -> list[_Cluster]:
    """Up to ``wanted`` of the latest range versions that ``given`` agrees with."""
    found: list[_Cluster] = []
    for cluster in reversed(ranges[-_RANGES_COMPARED:]):
        if len(found) >= wanted:
            break
        if cluster.low <= given.high and given.low <= cluster.high:
            found.append(cluster)
    return found


def _standing(given: Sequence[Given], outlets: Outlets) -> set[int]:
    """The values each outlet stands by: those of the latest version of its
    article that gives the fact (every value, for an outlet of one version)."""
    latest: dict[str, int] = {}
    for g in given:
        key = outlets.of_source(g.extract.source)
        latest[key] = max(latest.get(key, 0), outlets.place(g.extract.source)[0])
    return {id(g) for g in given
            if outlets.place(g.extract.source)[0] == latest[outlets.of_source(g.extract.source)]}


def _written(members: Sequence[Given]) -> tuple[str, ...]:
    """A version's values as written, each once, most precise first."""
    return tuple(dict.fromkeys(g.written for g in members))


def _summary(versions: Sequence[Version], clusters: Sequence[_Cluster], ordered: Sequence[int],
             outlets: Outlets, standing: set[int]) -> str:
    parts = []
    for version, index in zip(versions, ordered, strict=True):
        if not version.outlets:
            continue
        count = "one outlet" if version.outlets == 1 else f"{version.outlets} independent outlets"
        part = f"{count}: {version.value}"
        if version.outlets == 1:
            kept = [g for g in clusters[index].members if id(g) in standing]
            place, total = outlets.place(kept[0].extract.source)
            if total > 1:
                part += f", in its {_ordinal(place)} version"
        parts.append(part)
    return "; ".join(parts)


def _revisions(given: Sequence[Given], outlets: Outlets) -> tuple[Revision, ...]:
    """Each article whose successive versions gave different values."""
    articles: dict[str, dict[int, Given]] = defaultdict(dict)
    for g in given:
        place, total = outlets.place(g.extract.source)
        if total > 1:
            articles[outlets.of_source(g.extract.source)].setdefault(place, g)
    found = []
    for _, versions in sorted(articles.items()):
        values = [versions[place].written for place in sorted(versions)]
        if len(set(values)) > 1:
            first = versions[min(versions)].extract.source
            found.append(Revision(first.publisher, tuple(values)))
    return tuple(found)


def _ordinal(place: int) -> str:
    return _ORDINALS[place - 1] if place <= len(_ORDINALS) else f"{place}th"


def count_outlets(n: int) -> str:
    """``one outlet``, ``3 independent outlets``."""
    return "one outlet" if n == 1 else plural(n, "independent outlet")
