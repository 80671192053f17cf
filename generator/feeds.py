"""The Atom feeds (RFC 4287): the site's, and one per briefing (pair, group, country).

Written here rather than by a template: a feed's format is fixed, and a
site has a feed per briefing. Every date comes from the data. Links are
relative to the site root, which the feed's ``xml:base`` gives: the site
URL when configured, else the way up from the feed's own location.
"""

from __future__ import annotations

import hashlib
import uuid

from .formatting import long_date
from .forms import KIND_LABELS, Links
from .markup import xml
from .models import Extract, Source, Subject
from .when import When

#: Namespace of the entry ids when no site URL is configured: changing it
#: would change every entry feed readers have seen.
FEED_NAMESPACE = uuid.UUID("6f1c1c52-58e4-4d0e-9a43-2d2c1f7a9b11")


class Feeds:
    """Makes feeds; the parts of an extract's entry that are the same in
    every feed it is in are made once."""

    def __init__(self, site_url: str, links: Links) -> None:
        self.site_url = site_url
        self.links = links
        self._parts: dict[str, tuple[str, str, str]] = {}
        self._categories: dict[str, str] = {}
        self._sources: dict[str, tuple[str, str]] = {}

    def feed(self, entries: tuple[Extract, ...], *, title: str, path: str, page: str,
             subject: Subject | None = None) -> str:
        """The feed at ``path`` of ``entries`` (newest first): the site's, or
        a briefing's (each entry then titled with, and linking to, its ``subject``)."""
        base = self.site_url or "../" * path.count("/") or "./"
        feed_id = f"{self.site_url}{path}" if self.site_url else urn(path)
        updated = _atom_time(entries[0].date) if entries else "1970-01-01T00:00:00Z"
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="{xml(base)}">\n'
            f"  <title>{xml(title)}</title>\n"
            f"  <id>{xml(feed_id)}</id>\n"
            f"  <updated>{updated}</updated>\n"
            f'  <link rel="self" type="application/atom+xml" href="{xml(path)}"/>\n'
            f'  <link rel="alternate" type="text/html" href="{xml(page or "./")}"/>\n'
            "  <author><name>Briefings editors</name></author>\n"
            f"{''.join([self.entry(e, subject or e.subjects[0]) for e in entries])}"
            "</feed>\n"
        )

    def entry(self, e: Extract, subject: Subject) -> str:
        """The extract's ``<entry>`` in the feed of ``subject``, one of its
        briefings. Its id is the extract's, whichever feed it is in."""
        start, dates, end = self._entry_parts(e)
        title = f"{subject.title}: {KIND_LABELS[e.kind]}" + (f" · {e.speaker}" if e.speaker else "")
        page = self.links.url(self.links.home(subject, e))
        return (f"{start}    <title>{xml(title)}, {long_date(e.date)}</title>\n{dates}"
                f'    <link rel="alternate" type="text/html" href="{page}#{e.id}"/>\n{end}')

    def _entry_parts(self, e: Extract) -> tuple[str, str, str]:
        # The part before the title, the dates, and the part after the link;
        # kept for an extract in several feeds, within a bound on memory.
        found = self._parts.get(e.id)
        if found is None:
            if len(self._parts) >= _KEPT_ENTRIES:
                self._parts.clear()
            s = e.source
            stamp = _atom_time(e.date)
            first = e.subjects[0]
            entry_id = f"{self.site_url}{first.section}/{first.slug}/#{e.id}" if self.site_url else urn(e.id)
            via, cited = self._source(s)
            found = self._parts[e.id] = (
                f"  <entry>\n    <id>{xml(entry_id)}</id>\n",
                f"    <updated>{stamp}</updated>\n    <published>{stamp}</published>\n",
                f'{via}{self._category_lines(e)}    <summary type="text">{xml(e.text)}{cited}')
        return found

    def _source(self, s: Source) -> tuple[str, str]:
        # The entry's link to the original, and the end of its summary.
        found = self._sources.get(s.slug)
        if found is None:
            found = self._sources[s.slug] = (
                f'    <link rel="via" type="text/html" href="{xml(s.url)}" title="{xml(s.title)}"/>\n',
                f" (Source: {xml(s.publisher)}, {xml(s.url)})</summary>\n  </entry>\n")
        return found

    def _category_lines(self, e: Extract) -> str:
        return "".join([self._category(t.slug, t.title) for t in e.themes])

    def _category(self, slug: str, title: str) -> str:
        found = self._categories.get(slug)
        if found is None:
            found = self._categories[slug] = f'    <category term="{slug}" label="{xml(title)}"/>\n'
        return found


def urn(name: str) -> str:
    """``urn:uuid:`` and ``uuid.uuid5(FEED_NAMESPACE, name)``, written from the
    SHA-1 digest directly, for an id per feed entry."""
    x = hashlib.sha1(FEED_NAMESPACE.bytes + name.encode(), usedforsecurity=False).hexdigest()
    # Version 5 in the first digit of the third group; RFC 4122 variant bits
    # (10xx) in the first digit of the fourth.
    return f"urn:uuid:{x[:8]}-{x[8:12]}-5{x[13:16]}-{_VARIANT[int(x[16], 16) & 3]}{x[17:20]}-{x[20:32]}"


_VARIANT = "89ab"
#: Entries whose parts are kept at a time.
_KEPT_ENTRIES = 10_000


def _atom_time(day: When) -> str:
    # An extract dated by its month or year is stamped with the first day it covers.
    return f"{day.first.isoformat()}T00:00:00Z"
