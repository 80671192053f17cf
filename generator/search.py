"""What readers search: a record per extract, shown in full on its briefing page, and
one per bottom line; from the data, not from the pages' HTML.

Each record has the words a reader may type (the text, the original, the
speaker in both scripts, the figures and facts, the briefing and source
names), what a result shows (``meta``), and the values of the filters a
reader combines (country, pair, group, theme, kind, source, event, year),
all taken from the validated data, so they are exact. The search engine
(Pagefind, :mod:`generator.pagefind`) indexes the records; navigation and
lists are never indexed, and each extract is found once.

A filter is a word of the record's content (:func:`filter_token`), not
one of Pagefind's filters, whose files Pagefind writes in a different order
each run: a reader's choice of filters is searched with the query, and the
choices, with their counts, are in ``search/filters.json`` and a file per
filter, from the data, written the same way every build.

Chinese and Japanese are written without spaces between words, which the
engine's English word splitting would index as one long word, found only
from its start. So a record also holds each run of such characters from
each of its characters on (at most :data:`CJK_TOKEN` long): a query finds
any part of the run by its start, without a dictionary of words.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .formatting import long_date
from .forms import KIND_LABELS, Links
from .group import Site, figure_value
from .models import Extract, PairNote
from .when import When

#: The filters a reader combines, in the order the search shows them.
FILTERS = (("country", "Country"), ("pair", "Pair"), ("group", "Group"), ("theme", "Theme"),
           ("kind", "Kind"), ("source", "Source"), ("event", "Event"), ("year", "Year"))
#: The longest run of Chinese or Japanese characters indexed from each character on.
CJK_TOKEN = 8
#: The address of the record of every word (see :func:`vocabulary_record`).
VOCABULARY_URL = "search/vocabulary"
#: Characters of the text a result shows.
SHOWN_TEXT = 320
# Han (with its extensions and compatibility ideographs), kana, Hangul; a
# number written before them ("14億") is part of the run.
# Started only where no digit precedes, so a long run of digits is read once,
# not again from each of its digits.
_CJK_RUN = re.compile(r"(?<![0-9])[0-9]*+"
                      r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")


@dataclass(frozen=True)
class SearchRecord:
    """One search result: where it links (from the site root), what is searched, what it shows."""

    url: str
    content: str
    meta: dict[str, str]
    filters: dict[str, list[str]] = field(default_factory=dict)
    #: The extract's date; none for a bottom line, which is found first.
    when: When | None = None


def search_records(site: Site, links: Links) -> Iterator[SearchRecord]:
    """A record for each bottom line, then for each extract, newest first,
    linking to where it is shown in full."""
    for note in site.briefings.notes:
        if f"pairs/{note.pair.slug}" in site.by_path:
            yield note_record(links, note)
    # The validated extracts are in that order already.
    for extract in site.briefings.extracts:
        yield extract_record(site, links, extract)


def extract_record(site: Site, links: Links, e: Extract) -> SearchRecord:
    """The extract's record, linking to it on its first briefing's page."""
    first = e.subjects[0]
    url = f"{links.url(site.home(first, e))}#{e.id}"
    speaker = " ".join(filter(None, (e.speaker, e.speaker_native)))
    figures = [f"{f.label} {figure_value(f)} {f.unit} {f.period} {f.as_written}" for f in e.figures]
    facts = [f"{f.label} {f.value}" for f in e.facts]
    words = [e.text, e.original, speaker, *figures, *facts, *(s.title for s in e.subjects),
             e.source.publisher, e.source.title]
    head = "Reported speech" if e.voice == "reported" else KIND_LABELS[e.kind]
    meta = {
        "title": f"{' · '.join(s.title for s in e.subjects)} · {long_date(e.date)}",
        "kind": f"{head} · {e.speaker}" if e.speaker else head,
        "text": _shown(e.text), "lang": e.text_language,
        "source": e.source.publisher,
    }
    if e.original:
        meta.update(original=_shown(e.original), original_lang=e.language)
    if len(e.subjects) > 1:
        # Each briefing it is shown in, with the link to it there, as JSON: a
        # title may hold any character a separator would be.
        shown_in = [[s.title, f"{links.url(site.home(s, e))}#{e.id}"] for s in e.subjects]
        meta["briefings"] = json.dumps(shown_in, ensure_ascii=False)
    filters = record_filters(e)
    return SearchRecord(url, _content(words, filters), meta, filters, e.date)


def vocabulary_record(records: Iterable[SearchRecord]) -> SearchRecord:
    """A record holding each word of every record once, added to each part of
    the index (:mod:`generator.pagefind`), which the search never shows.

    Pagefind searches each part on its own, and a word a part lacks it
    searches as the longest start of it the part has ("to" for "tourism"),
    or leaves out (a filter's word). With every word of the archive in every
    part, a part without the word finds this record alone, and a reader
    nothing from that part."""
    words = sorted({word for record in records for word in record.content.split()})
    return SearchRecord(VOCABULARY_URL, " ".join(words), {"vocabulary": "1"})


def note_record(links: Links, note: PairNote) -> SearchRecord:
    """A pair's bottom line, linking to the top of its briefing."""
    pair = note.pair
    meta = {"title": f"{pair.title} · bottom line", "kind": "Bottom line", "text": _shown(note.summary),
            "lang": "en", "source": "Editors"}
    filters = note_filters(note)
    content = _content([note.summary, note.trend_note, pair.title], filters)
    return SearchRecord(f"{links.url(f'pairs/{pair.slug}')}#top", content, meta, filters)


def note_filters(note: PairNote) -> dict[str, list[str]]:
    """A bottom line's value of each filter."""
    pair = note.pair
    filters = {"country": [pair.a.name, pair.b.name], "pair": [pair.title], "kind": ["Bottom line"]}
    if note.updated:
        filters["year"] = [str(note.updated.year)]
    return filters


def record_filters(e: Extract) -> dict[str, list[str]]:
    """The extract's value of each filter, from its data."""
    filters = {
        "country": sorted({c.name for s in e.subjects for c in s.members}),
        "pair": [p.title for p in e.pairs],
        "group": [e.group.title] if e.group else [],
        "theme": [t.title for t in e.themes],
        "kind": ["Reported speech" if e.voice == "reported" else KIND_LABELS[e.kind]],
        "source": [e.source.publisher],
        "event": [e.event.title] if e.event else [],
        "year": [str(e.date.year)],
    }
    return {name: values for name, values in filters.items() if values}


def _shown(text: str) -> str:
    """The start of a text, as a result shows it."""
    flat = " ".join(text.split())
    return flat if len(flat) <= SHOWN_TEXT else flat[:SHOWN_TEXT - 1].rsplit(" ", 1)[0] + "…"


def _content(words: list[str], filters: dict[str, list[str]]) -> str:
    """What is searched: the words, each run of Chinese or Japanese from each
    of its characters on, and a word for each filter value."""
    text = " ".join(w for w in words if w)
    chosen = [filter_token(name, value) for name, values in filters.items() for value in values]
    return " ".join([text, *cjk_tokens(text), *chosen])


def filter_token(name: str, value: str) -> str:
    """The word that stands for a filter's value in the records: letters and
    digits no text holds, ending in a digit, which no stemming changes."""
    digest = hashlib.blake2b(f"{name}\0{value}".encode(), digest_size=6).hexdigest()
    return f"fq{digest}0"


def filter_choices(site: Site) -> dict[str, list[dict[str, object]]]:
    """Each filter's values, with their number of records and the word that
    selects them, in the order the search shows them (years newest first)."""
    counts: dict[str, Counter[str]] = {name: Counter() for name, _ in FILTERS}
    shown = [record_filters(e) for e in site.briefings.extracts]
    shown += [note_filters(n) for n in site.briefings.notes if f"pairs/{n.pair.slug}" in site.by_path]
    for filters in shown:
        for name, values in filters.items():
            counts[name].update(values)
    return {name: [{"value": v, "count": counts[name][v], "token": filter_token(name, v)}
                   for v in sorted(counts[name], reverse=name == "year")]
            for name, _ in FILTERS if counts[name]}


def search_filters(choices: dict[str, list[dict[str, object]]]) -> bytes:
    """``search/filters.json``: the filters a reader can choose from, each with
    its number of values; the values are in a file per filter, loaded when
    the reader opens that filter."""
    labels = dict(FILTERS)
    return _json({"filters": [{"name": name, "label": labels[name], "values": len(values)}
                              for name, values in choices.items()]})


def search_filter_values(values: list[dict[str, object]]) -> bytes:
    """``search/filters/<name>.json``: one filter's values."""
    return _json({"values": values})


def _json(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def cjk_tokens(text: str) -> list[str]:
    """Each run of Chinese, Japanese or Korean characters in ``text`` from each
    of its characters on, at most :data:`CJK_TOKEN` long: ``14億中國人民`` gives
    ``14億中國人民``, ``億中國人民``, ``中國人民``... A number before a run
    starts a token only with it."""
    tokens: list[str] = []
    for found in _CJK_RUN.finditer(text):
        run = found.group()
        digits = len(run) - len(run.lstrip("0123456789"))
        starts = ([0] if digits else []) + list(range(digits, len(run)))
        tokens.extend(run[i:i + CJK_TOKEN + (digits if i == 0 else 0)] for i in starts)
    return list(dict.fromkeys(tokens))
