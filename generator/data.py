"""The data files: ``data/briefings.json`` and ``data/extracts.csv``.

Written piece by piece rather than through :func:`json.dumps` and
:mod:`csv`: the parts many extracts share (a pair's countries, a source)
are encoded once per build. The JSON is what ``json.dumps(...,
ensure_ascii=False, separators=(",", ":"))`` gives, and the numbers in it
are finite (validation refuses the others); the CSV quotes a field only
when it holds a comma, a quotation mark or a line break (RFC 4180), and
no text cell is a formula.
"""

from __future__ import annotations

import datetime as dt
import json
from json.encoder import encode_basestring

from .group import BriefingView, EventView, Site
from .models import Event, Extract, Figure, Pair, Source, Subject, Theme


class DataRows:
    """An extract's object in ``data/briefings.json`` and rows in
    ``data/extracts.csv``, with the parts extracts share made once."""

    def __init__(self) -> None:
        self._pairs: dict[str, tuple[str, str]] = {}
        self._subjects: dict[str, tuple[str, str, str]] = {}
        self._sources: dict[str, tuple[str, str]] = {}
        self._themes: dict[tuple[str, ...], tuple[str, str]] = {}
        self._events: dict[str, tuple[str, str]] = {}

    def _pair(self, pair: Pair) -> tuple[str, str]:
        found = self._pairs.get(pair.slug)
        if found is None:
            a, b = pair.a, pair.b
            found = self._pairs[pair.slug] = (
                f"[{encode_basestring(a.slug)},{encode_basestring(b.slug)}]",
                f"{csv_field(a.name)},{csv_field(b.name)},{csv_field(a.alpha3)},{csv_field(b.alpha3)},"
                f"{csv_field(pair.slug)}")
        return found

    def _subject(self, subject: Subject) -> tuple[str, str, str]:
        # A country's or a group's: its JSON "countries" and "group", and its
        # CSV row's country and pair columns, and its countries and group columns.
        key = f"{subject.section}/{subject.slug}"
        found = self._subjects.get(key)
        if found is None:
            members = subject.members
            group = subject.slug if subject.section == "groups" else ""
            slugs = ",".join(encode_basestring(c.slug) for c in members)
            first = members[0] if len(members) == 1 else None
            columns = f"{csv_field(first.name)},,{csv_field(first.alpha3)},," if first else ",,,,"
            found = self._subjects[key] = (
                f'"countries":[{slugs}],"group":{encode_basestring(group) if group else "null"}',
                columns, f"{csv_field(' '.join(c.slug for c in members))},{csv_field(group)}")
        return found

    def _source(self, source: Source) -> tuple[str, str]:
        found = self._sources.get(source.slug)
        if found is None:
            found = self._sources[source.slug] = (
                f'"source":{encode_basestring(source.slug)},"url":{encode_basestring(source.url)}',
                f"{csv_field(source.slug)},{csv_field(source.publisher)},{csv_field(source.url)}\n")
        return found

    def _theme_list(self, themes: tuple[Theme, ...]) -> tuple[str, str]:
        key = tuple([t.slug for t in themes])
        found = self._themes.get(key)
        if found is None:
            found = self._themes[key] = ("[" + ",".join(map(encode_basestring, key)) + "]",
                                         csv_field(" ".join(key)))
        return found

    def _event(self, event: Event | None) -> tuple[str, str]:
        if event is None:
            return "null", ""
        found = self._events.get(event.slug)
        if found is None:
            found = self._events[event.slug] = (encode_basestring(event.slug), csv_field(event.slug))
        return found

    def rows(self, e: Extract) -> tuple[bytes, bytes]:
        """The extract's JSON object and its CSV rows (one per pair, or one
        for its country or group), as UTF-8."""
        themes_json, themes_csv = self._theme_list(e.themes)
        event_json, event_csv = self._event(e.event)
        source_json, source_csv = self._source(e.source)
        text, speaker, day = e.text, e.speaker, e.date.isoformat()
        figures = ",".join([_figure_json(f) for f in e.figures])
        facts = ",".join([f'{{"label":{encode_basestring(f.label)},"value":{encode_basestring(f.value)}}}'
                          for f in e.facts])
        if e.pairs:
            pairs = [self._pair(p) for p in e.pairs]
            members = {c.slug: c for p in e.pairs for c in (p.a, p.b)}
            subject_json = '"countries":[' + ",".join(map(encode_basestring, members)) + '],"group":null'
            countries = f"{csv_field(' '.join(members))},"
            columns = [(p[1], countries) for p in pairs]
        else:
            subject_json, pair_columns, countries = self._subject(e.subjects[0])
            pairs, columns = [], [(pair_columns, countries)]
        obj = (f'{{"id":{encode_basestring(e.id)},"date":"{day}","kind":"{e.kind}",'
               f'"pairs":[{",".join([p[0] for p in pairs])}],{subject_json},"themes":{themes_json},'
               f'"speaker":{_json_text(speaker)},"speaker_native":{_json_text(e.speaker_native)},'
               f'"voice":{_json_text(e.voice)},"text":{encode_basestring(text)},'
               f'"language":{encode_basestring(e.language)},"original":{_json_text(e.original)},'
               f'"translation":{_json_text(e.translation)},"same_as":{_json_text(e.same_as)},'
               f'"event":{event_json},"event_role":{_json_text(e.event_role)},'
               f'{source_json},"verified_quote":{"true" if e.verified else "false"},'
               f'"figures":[{figures}],"facts":[{facts}]}}')
        head = f"{csv_field(e.id)},{day},"
        middle = f",{e.kind},{themes_csv},{csv_field(speaker)},{csv_field(text)},{event_csv},"
        tail = (f",{e.voice},{csv_field(e.language)},{csv_field(e.original)},{e.translation},"
                f"{csv_field(e.same_as)},{e.event_role},{source_csv}")
        rows = "".join([head + pairs_part + middle + countries + tail for pairs_part, countries in columns])
        return obj.encode("utf-8"), rows.encode("utf-8")


def _json_text(value: str) -> str:
    return encode_basestring(value) if value else "null"


def _figure_json(f: Figure) -> str:
    value = f"[{_json_number(f.value)},{_json_number(f.high)}]" if f.is_range else _json_number(f.value)
    return (f'{{"label":{encode_basestring(f.label)},"value":{value},"unit":{encode_basestring(f.unit)},'
            f'"period":{_json_text(f.period)},"approx":{"true" if f.approx else "false"},'
            f'"as_written":{_json_text(f.as_written)}}}')


def _json_number(value: float) -> str:
    # What json.dumps writes for a finite number (validation lets no other in).
    return repr(value)


def csv_field(value: str) -> str:
    """A CSV text field, quoted when it holds a comma, a quotation mark or a
    line break, and kept from being a formula.

    Spreadsheet programs run a cell as a formula when it starts with
    ``= + - @`` (after spaces, which they skip) or with a tab or carriage
    return; such a text starts with an apostrophe instead, which they
    show as text. The file's only other cells are dates.
    """
    if value[:1] in _FORMULA_LEADS or value.lstrip(" \t\r\n")[:1] in _FORMULA_STARTS:
        value = "'" + value
    if "," in value or '"' in value or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


_FORMULA_STARTS = frozenset("=+-@")
_FORMULA_LEADS = frozenset("\t\r")


CSV_COLUMNS = ("id", "date", "country_a", "country_b", "iso_a", "iso_b", "pair", "kind",
               "themes", "speaker", "text", "event", "countries", "group", "voice", "language", "original",
               "translation", "same_as", "event_role", "source", "publisher", "url")
CSV_HEADER = ",".join(CSV_COLUMNS) + "\n"


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def render_json(site: Site, extracts: list[bytes]) -> bytes:
    """``data/briefings.json``: the whole validated data set, given each
    extract's JSON object (UTF-8) in order."""
    b = site.briefings
    head = _JSON.encode({
        "countries": [{"slug": c.slug, "name": c.name, "iso_alpha2": c.alpha2 or None,
                       "iso_alpha3": c.alpha3 or None, "actor": c.actor} for c in b.countries],
        "themes": [{"slug": t.slug, "title": t.title, "description": t.description}
                   for t in b.themes],
    })
    events = ",".join([_event_json(v) for v in site.events])
    sources = _JSON.encode([
        {"slug": s.slug, "title": s.title, "publisher": s.publisher, "url": s.url, "author": list(s.authors),
         "published": _iso(s.published), "updated": _iso(s.updated), "accessed": _iso(s.accessed),
         "language": s.language, "via": s.via or None, "revision_of": s.revision_of or None,
         "terms": s.terms or None}
        for s in b.sources])
    pairs = ",".join([_pair_json(v) for v in site.pairs])
    groups = ",".join([_group_json(v) for v in site.groups])
    start = (f'{head[:-1]},"events":[{events}],"sources":{sources},"pairs":[{pairs}],"groups":[{groups}],'
             '"extracts":[').encode()
    return _joined(start, extracts, b",", b"]}\n")


def _joined(start: bytes, items: list[bytes], separator: bytes, end: bytes) -> bytes:
    """``start + separator.join(items) + end``, copied once: each copy of a
    file of megabytes into a new buffer costs the memory's first touch, a
    millisecond a megabyte, against a tenth of that for the copy itself."""
    if not items:
        return start + end
    parts = [separator] * (2 * len(items) + 1)
    parts[0], parts[1:-1:2], parts[-1] = start, items, end
    return b"".join(parts)


def _event_json(v: EventView) -> str:
    return _JSON.encode({"slug": v.event.slug, "title": v.event.title, "description": v.event.description,
                         "date": v.date.isoformat() if v.date else None, "date_disputed": v.disputed,
                         "dates": sorted({e.date.isoformat() for e in v.reports}),
                         "sources_disagree": bool(v.disagreements)})


def _pair_json(v: BriefingView) -> str:
    return _JSON.encode({"slug": v.subject.slug, "countries": [c.slug for c in v.subject.members],
                         "title": v.subject.title, "extracts": len(v.extracts),
                         "first": v.first.isoformat(), "last": v.last.isoformat(),
                         "trend": v.note.trend if v.note and v.note.trend else None})


def _group_json(v: BriefingView) -> str:
    description = getattr(v.subject, "description", "")
    return _JSON.encode({"slug": v.subject.slug, "countries": [c.slug for c in v.subject.members],
                         "title": v.subject.title, "description": description or None,
                         "extracts": len(v.extracts), "first": v.first.isoformat(),
                         "last": v.last.isoformat()})


def render_csv(rows: list[bytes]) -> bytes:
    """``data/extracts.csv``, given each extract's rows (one per pair, UTF-8) in order."""
    return _joined(CSV_HEADER.encode("utf-8"), rows, b"", b"")


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


#: An extract's JSON object and CSV rows, by its id and its source file's
#: content hash, which cover all they hold.
Rows = dict[tuple[str, str], tuple[bytes, bytes]]


class DataFiles:
    """The two data files of a site, from one pass over its extracts.

    ``kept`` holds rows made by an earlier build of the same context, which
    an extract from an unchanged source file takes as they are; ``made``
    the rows of this build, for the next.
    """

    def __init__(self, site: Site, kept: Rows | None = None, keep: bool = True) -> None:
        self.site = site
        self.kept: Rows = kept or {}
        #: Whether the rows are wanted by the next build (not by a one-off's).
        self.keep = keep
        self.made: Rows = {}
        self._rows: tuple[list[bytes], list[bytes]] | None = None
        self._files: list[bytes] | None = None

    def rows(self) -> tuple[list[bytes], list[bytes]]:
        """Each extract's JSON object and CSV rows, in order."""
        if self._rows is None:
            data, kept, extracts = DataRows(), self.kept, self.site.briefings.extracts
            rows = [kept.get((e.id, e.source.digest)) or data.rows(e) for e in extracts]
            if self.keep:
                self.made = {(e.id, e.source.digest): row for e, row in zip(extracts, rows, strict=True)}
            self._rows = [row[0] for row in rows], [row[1] for row in rows]
        return self._rows

    def json(self) -> bytes:
        """``data/briefings.json``."""
        return self._file(0)

    def csv(self) -> bytes:
        """``data/extracts.csv``."""
        return self._file(1)

    def _file(self, which: int) -> bytes:
        # Both files are made at once, and each is let go of when taken: the
        # rows of a large archive are as large as the files themselves.
        if self._files is None:
            json_rows, csv_rows = self.rows()
            self._files = [render_json(self.site, json_rows), render_csv(csv_rows)]
            self._rows = None
        found = self._files[which]
        self._files[which] = b""
        return found
