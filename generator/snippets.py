"""The forms in which an extract appears, each rendered at most once: on
pages, in feeds, and in the data files.

An extract is shown on its pair pages, its source and event pages, theme
pages, timelines and feeds. These forms are built here in plain Python,
once per extract, and the page templates insert them: measured on 10,000
extracts, rendering them through a Jinja2 template cost 0.6 s, as much as
parsing the YAML, and this costs under 0.1 s. Every value from the data
goes through :func:`~generator.markup.md`, :func:`~generator.markup.html`,
:func:`~generator.markup.md_url` or :func:`~generator.markup.xml`.

An extract's forms are made once for pages at every depth: their links
start with :data:`ROOT` (Markdown links, relative to the page's file) or
:data:`URL_ROOT` (HTML links, relative to the page's URL), which each page,
once rendered, replaces with its way up to the site root (``../`` from
``pairs/china-russia.md``, ``../../`` from its URL ``pairs/china-russia/``).
Atom links are relative to the site root, which the feed's ``xml:base``
gives.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from json.encoder import encode_basestring
from typing import Any

from .group import format_number, long_date
from .lazy import cached_property
from .markup import html, md, md_url, xml
from .models import Event, Extract, Pair, Source, Theme

#: Stands for the way up from a page's Markdown file to the site root, in
#: the Markdown links of the forms (key-figure rows). A control character:
#: validation lets none into the data, so only links hold it.
ROOT = "\x00"
#: Stands for the way up from a page's URL to the site root, in the HTML
#: links of the forms (see :class:`ExtractForms`).
URL_ROOT = "\x01"

KIND_LABELS = {"quote": "Quote", "paraphrase": "Paraphrase", "figure": "Figure",
               "analysis": "Analysis"}


class Links:
    """HTML links many extracts share (to a source, theme, event), made once
    per build, starting at :data:`URL_ROOT`."""

    def __init__(self, entry_id: Callable[[Extract], str], home: Callable[[Pair, Extract], str],
                 directory_urls: bool = True) -> None:
        #: The Atom entry id of an extract.
        self.entry_id = entry_id
        #: The page (from the site root, no ``.md``) showing the extract for a pair.
        self.home = home
        #: What MkDocs appends to a page's path to make its URL.
        self.suffix = "/" if directory_urls else ".html"
        self._themes: dict[str, tuple[str, str]] = {}
        self._sources: dict[str, tuple[str, str, str, str, str]] = {}
        self._events: dict[str, str] = {}

    def url(self, page: str) -> str:
        """The URL of ``page`` (from the site root, no ``.md``) as MkDocs
        writes it: ``pairs/china-russia/``, or ``pairs/china-russia.html``
        when ``use_directory_urls`` is off."""
        return page + self.suffix

    def page(self, page: str, title: str) -> str:
        """An HTML link to ``page`` (from the site root, no ``.md``), ``title`` escaped."""
        return f'<a href="{URL_ROOT}{self.url(page)}">{html(title)}</a>'

    def _theme(self, theme: Theme) -> tuple[str, str]:
        """A theme's HTML link and Atom category."""
        found = self._themes.get(theme.slug)
        if found is None:
            found = self._themes[theme.slug] = (
                self.page(f"themes/{theme.slug}", theme.title),
                f'    <category term="{theme.slug}" label="{xml(theme.title)}"/>\n')
        return found

    def themes(self, extract: Extract) -> str:
        """HTML links to the extract's theme pages."""
        return ", ".join([self._theme(t)[0] for t in extract.themes])

    def categories(self, extract: Extract) -> str:
        """The extract's themes as Atom categories."""
        return "".join([self._theme(t)[1] for t in extract.themes])

    def source(self, extract: Extract) -> tuple[str, str, str, str, str]:
        """The source's HTML citation (around the extract's anchor), the
        original's HTML link, and its Atom ``via`` link and summary suffix."""
        s = extract.source
        found = self._sources.get(s.slug)
        if found is None:
            found = self._sources[s.slug] = (
                f'Source: <a href="{URL_ROOT}{self.url(f"sources/{s.slug}")}#',
                f'">{html(s.title)}</a>',
                f'<a href="{xml(md_url(s.url))}">{html(s.publisher)}</a>',
                f'    <link rel="via" type="text/html" href="{xml(s.url)}" title="{xml(s.title)}"/>\n',
                f" (Source: {xml(s.publisher)}, {xml(s.url)})</summary>\n",
            )
        return found

    def event(self, extract: Extract) -> str:
        """An HTML link to the page of the event the extract reports, if any."""
        ev = extract.event
        if ev is None:
            return ""
        found = self._events.get(ev.slug)
        if found is None:
            found = self._events[ev.slug] = f'event: {self.page(f"events/{ev.slug}", ev.title)} · '
        return found


def _head(e: Extract, escape: Callable[[str], str]) -> str:
    # Kind and speaker: ``Quote · Xi Jinping``.
    return f"{KIND_LABELS[e.kind]} · {escape(e.speaker)}" if e.speaker else KIND_LABELS[e.kind]


class ExtractForms:
    """One extract as HTML in a Markdown page (``block``, ``uncited``,
    ``line``, ``short``), as Markdown (``also``, ``figure_rows``) and as
    Atom (``atom``).

    The parts every form uses are made with the forms; each form is built
    on first use and kept: most extracts of a large corpus never appear in
    a feed, so their Atom entry is never built.

    The forms are raw HTML, inserted as blocks (an extract in full, a list
    of extracts) that Python-Markdown passes through untouched: an extract
    in full holds half a dozen links, and converting the forms from
    Markdown was a quarter of `mkdocs build`'s time at 10,000 extracts.
    Their links are written as MkDocs writes URLs, which it does not check
    in raw HTML; the end-to-end tests check every link of the built site
    instead.
    """

    def __init__(self, extract: Extract, links: Links) -> None:
        #: The extract.
        self.e = e = extract
        self.links = links
        # The parts of every form, made at once: almost every extract is
        # shown both in full and in a list, and a cached property costs a
        # call in Python on first use.
        #: Kind and speaker, in HTML: ``Quote · Xi Jinping``.
        self.head = _head(e, html)
        self.day = long_date(e.date)
        #: The text, escaped for HTML.
        self.text = html(e.text)
        home, suffix = links.home, links.suffix
        #: HTML links to the extract on the page of each of its pairs.
        self.pair_links = ", ".join([f'<a href="{URL_ROOT}{home(p, e)}{suffix}#{e.id}">{html(p.title)}</a>'
                                     for p in e.pairs])

    @cached_property
    def quoted(self) -> str:
        """The opening of the full forms: the byline, with the extract's id as
        anchor (so a reader can cite it by URL), and the text."""
        e = self.e
        kind = KIND_LABELS[e.kind]
        if e.speaker:
            byline = f"<strong>{kind}</strong> · {html(e.speaker)}"
            if e.speaker_native:
                byline += f" ({html(e.speaker_native)})"
        else:
            byline = f"<strong>{kind}</strong>"
        verified = " · ✓ verified quote" if e.verified else ""
        text = f"“{self.text}”" if e.kind == "quote" else self.text
        return (f'<div class="extract" id="{e.id}">\n<p class="extract-meta">{byline} · {self.day}'
                f"{verified} · {self.pair_links}</p>\n<blockquote>\n<p>{text}</p>\n<p>")

    @cached_property
    def topics(self) -> str:
        """The links to its themes, closing the full forms."""
        return f"themes: {self.links.themes(self.e)}</p>\n</blockquote>\n</div>\n"

    @cached_property
    def block(self) -> str:
        """In full, with its source cited."""
        e, links = self.e, self.links
        before, after, original, _, _ = links.source(e)
        return f"{self.quoted}{before}{e.id}{after} · original: {original} · {links.event(e)}{self.topics}"

    @cached_property
    def uncited(self) -> str:
        """In full, on a page that names its source already (the source's own
        page, or a source's section of an event page)."""
        return f"{self.quoted}{self.links.event(self.e)}{self.topics}"

    @cached_property
    def line(self) -> str:
        """A list item linking to its pair pages: timelines and theme pages."""
        return (f"<li><strong>{self.day}</strong> · {self.pair_links} · {self.head}: "
                f"{self.cut(160)} ({self.links.source(self.e)[2]})</li>")

    @cached_property
    def short(self) -> str:
        """A list item linking to its anchor on the same page."""
        return f'<li>{self.day} · {self.head}: <a href="#{self.e.id}">{self.cut(120)}</a></li>'

    def cut(self, length: int) -> str:
        """The escaped text, cut at a word to at most about ``length`` characters."""
        text = self.text
        if len(text) <= length:
            return text
        # Escapes and entities hold no space, so cutting the escaped text at a
        # space never splits one; text without spaces (Chinese, say) is cut
        # before escaping instead.
        cut = text[: length - 1].rsplit(" ", 1)
        return cut[0] + "…" if len(cut) == 2 else html(truncate(self.e.text, length))

    @cached_property
    def also(self) -> str:
        """A Markdown pointer to the extract shown in full elsewhere on the same page."""
        return f"[{self.day} · {_head(self.e, md)}](#{self.e.id})"

    @cached_property
    def atom(self) -> str:
        """An Atom ``<entry>``, titled with its first pair and linking to it
        on that pair's page: for the site's feed and its first pair's."""
        return self._entry(self.e.pairs[0])

    def atom_for(self, pair: Pair) -> str:
        """An Atom ``<entry>`` for the feed of ``pair``, one of the extract's
        pairs: titled with that pair, linking to the extract on its page.
        The entry's id is the extract's, whichever feed it is in."""
        # Most extracts concern one pair: their entry is the one they have anyway.
        return self.atom if pair.slug == self.e.pairs[0].slug else self._entry(pair)

    def _entry(self, pair: Pair) -> str:
        e, links = self.e, self.links
        start, dates, end = self._atom_parts
        title = f"{pair.title}: {KIND_LABELS[e.kind]}" + (f" · {e.speaker}" if e.speaker else "")
        page = links.url(links.home(pair, e))
        return (f"{start}    <title>{xml(title)}, {self.day}</title>\n{dates}"
                f'    <link rel="alternate" type="text/html" href="{page}#{e.id}"/>\n{end}')

    @cached_property
    def _atom_parts(self) -> tuple[str, str, str]:
        # What an entry is in every feed: the part before its title, its
        # dates, and the part after its link.
        e, links = self.e, self.links
        stamp = f"{e.date.isoformat()}T00:00:00Z"
        _, _, _, via, summary_end = links.source(e)
        return (f"  <entry>\n    <id>{xml(links.entry_id(e))}</id>\n",
                f"    <updated>{stamp}</updated>\n    <published>{stamp}</published>\n",
                f"{via}{links.categories(e)}"
                f"    <summary type=\"text\">{xml(e.text)}{summary_end}  </entry>\n")

    @cached_property
    def figure_rows(self) -> str:
        """The extract's rows in a key-figures table."""
        e = self.e
        cite = f"[{md(e.source.publisher)}]({ROOT}sources/{e.source.slug}.md#{e.id})"
        return "".join(f"| {md(f.label)} | {format_number(f.value)} | {md(f.unit)} | {md(f.period)} "
                       f"| {cite} |\n" for f in e.figures)


class DataRows:
    """An extract's object in ``data/briefings.json`` and rows in ``data/extracts.csv``.

    Written piece by piece rather than through :func:`json.dumps` and
    :mod:`csv`: the parts many extracts share (a pair's countries, a
    source) are encoded once per build, which makes the two files four
    times faster to write. The JSON is what ``json.dumps(...,
    ensure_ascii=False, separators=(",", ":"))`` gives; the CSV quotes a
    field only when it holds a comma, a quotation mark or a line break
    (RFC 4180).
    """

    def __init__(self) -> None:
        self._pairs: dict[str, tuple[str, str]] = {}
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
        """The extract's JSON object and its CSV rows (one per pair), as UTF-8."""
        themes_json, themes_csv = self._theme_list(e.themes)
        event_json, event_csv = self._event(e.event)
        source_json, source_csv = self._source(e.source)
        pairs = [self._pair(p) for p in e.pairs]
        text, speaker, day = e.text, e.speaker, e.date.isoformat()
        figures = ",".join([
            f'{{"label":{encode_basestring(f.label)},"value":{_json_number(f.value)},'
            f'"unit":{encode_basestring(f.unit)},'
            f'"period":{encode_basestring(f.period) if f.period else "null"}}}'
            for f in e.figures])
        obj = (f'{{"id":{encode_basestring(e.id)},"date":"{day}","kind":"{e.kind}",'
               f'"pairs":[{",".join([p[0] for p in pairs])}],"themes":{themes_json},'
               f'"speaker":{encode_basestring(speaker) if speaker else "null"},'
               f'"speaker_native":{encode_basestring(e.speaker_native) if e.speaker_native else "null"},'
               f'"text":{encode_basestring(text)},"event":{event_json},'
               f'{source_json},"verified_quote":{"true" if e.verified else "false"},'
               f'"figures":[{figures}]}}')
        head = f"{csv_field(e.id)},{day},"
        tail = (f",{e.kind},{themes_csv},{csv_field(speaker)},{csv_field(text)},"
                f"{event_csv},{source_csv}")
        return obj.encode("utf-8"), "".join([head + p[1] + tail for p in pairs]).encode("utf-8")


def _json_number(value: float) -> str:
    # What json.dumps writes: the shortest repr, and NaN or Infinity as JavaScript does.
    return repr(value) if math.isfinite(value) else json.dumps(value)


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


class ExtractTexts:
    """Every extract's forms, and the runs of them that pages insert.

    A template inserts a whole list at once (``extracts|blocks``): the loop
    runs here, in Python, rather than in the template, where each item
    would cost an attribute lookup and a loop step of its own. ``made``
    holds the forms made so far, by extract id; ``make`` makes (and adds)
    the others.
    """

    def __init__(self, made: dict[str, ExtractForms], make: Callable[[Extract], ExtractForms]) -> None:
        self.made = made
        self.make = make

    # Each run looks forms up inline rather than through a function: at
    # 10,000 extracts, pages look forms up 60,000 times a build.
    def blocks(self, extracts: Iterable[Extract], cited: bool = True) -> str:
        """Each extract in full, separated by blank lines; without ``cited``,
        for a page that names their source already."""
        get, make = self.made.get, self.make
        if cited:
            return "\n".join([(get(e.id) or make(e)).block for e in extracts])
        return "\n".join([(get(e.id) or make(e)).uncited for e in extracts])

    def blocks_once(self, extracts: Iterable[Extract], seen: dict[str, str], section: str) -> str:
        """In full the first time an extract appears on the page (noting in ``seen``
        the ``section`` it appears in), and as a pointer to it after that."""
        get, make = self.made.get, self.make
        out = []
        for e in extracts:
            forms = get(e.id) or make(e)
            if e.id in seen:
                out.append(f"- {forms.also}, in full under {seen[e.id]}\n")
            else:
                seen[e.id] = section
                out.append(forms.block)
        return "\n".join(out)

    def lines(self, extracts: Iterable[Extract]) -> str:
        """A list, an item per extract linking to its pair pages."""
        get, make = self.made.get, self.make
        return _list("extract-lines", [(get(e.id) or make(e)).line for e in extracts])

    def shorts(self, extracts: Iterable[Extract]) -> str:
        """A list, an item per extract linking to its anchor on the same page."""
        get, make = self.made.get, self.make
        return _list("extract-shorts", [(get(e.id) or make(e)).short for e in extracts])

    def figure_rows(self, extracts: Iterable[Extract]) -> str:
        """The key-figure table rows of the extracts."""
        get, make = self.made.get, self.make
        return "".join([(get(e.id) or make(e)).figure_rows for e in extracts])

    def atoms(self, extracts: Iterable[Extract], pair: Pair | None = None) -> str:
        """The Atom entries of the extracts, for the feed of ``pair`` if given
        (each extract is one of its), else for the site's feed."""
        get, make = self.made.get, self.make
        if pair is None:
            return "".join([(get(e.id) or make(e)).atom for e in extracts])
        return "".join([(get(e.id) or make(e)).atom_for(pair) for e in extracts])


def _list(kind: str, items: list[str]) -> str:
    # A raw HTML block: it starts a line and ends before a blank one.
    return f'<ul class="{kind}">\n' + "\n".join(items) + "\n</ul>" if items else ""


class SharedParts:
    """Pieces that recur on many pages, each made once per build.

    A "sources disagree" note appears on the page of every pair and event
    it concerns, and a source is listed on the page of every pair it
    covers: at 10,000 extracts, rendering these again for each page took a
    fifth of the pair pages' time. Notes and source lists are raw HTML, as
    the extracts are: converting their links from Markdown took an eighth
    to a sixth of Python-Markdown's time on the briefings.
    """

    def __init__(self, links: Links, kept: Mapping[Hashable, str] | None = None) -> None:
        self.links = links
        self._notes: dict[tuple[int, int], str] = {}
        self._sources: dict[str, str] = {}
        self._pairs: dict[tuple[str, str], str] = {}
        #: Notes from the last build, by content (a rebuild's notes are new
        #: objects), and those of this build, for the next one.
        self._kept = kept
        self.notes: dict[Hashable, str] = {}

    def disagreement(self, note: Any, limit: int) -> str:
        """The note as an admonition, naming at most ``limit`` sources a
        version (0: all); it ends with a line break."""
        # Keyed by identity: the notes are alive for the whole build.
        key = (id(note), limit)
        found = self._notes.get(key)
        if found is None:
            if self._kept is None:
                found = self._note(note, limit)
            else:
                # A note names each source by its title, which the source
                # file's digest covers.
                content = (note.subject, limit, note.event and note.event.slug, tuple(
                    (v.value, tuple((s.slug, s.digest) for s in v.sources)) for v in note.versions))
                found = self._kept.get(content) or self._note(note, limit)
                self.notes[content] = found
            self._notes[key] = found
        return found

    def _note(self, note: Any, limit: int) -> str:
        # What Python-Markdown's admonition extension makes of
        # ``!!! warning "Sources disagree"``, which the theme styles.
        page = self.links.page
        out = ['<div class="admonition warning">', '<p class="admonition-title">Sources disagree</p>',
               f"<p><strong>{html(note.subject)}</strong></p>", "<ul>"]
        more = False
        for version in note.versions:
            shown = version.sources[:limit] if limit else version.sources
            names = "; ".join([f'{html(s.publisher)}, {page(f"sources/{s.slug}", s.title)}' for s in shown])
            if len(shown) < len(version.sources):
                more = True
                names += f"; and {plural(len(version.sources) - len(shown), 'more source')}"
            out.append(f"<li><strong>{html(version.value)}</strong> — {names}</li>")
        out.append("</ul>")
        if more and note.event is not None:
            out.append(f'<p>Every source is listed on the page of '
                       f'{page(f"events/{note.event.slug}", note.event.title)}.</p>')
        out.append("</div>\n")
        return "\n".join(out)

    def theme_pair_rows(self, theme: Theme, rows: Iterable[tuple[Pair, tuple[Extract, ...]]],
                        views: Mapping[str, Any], root: str) -> str:
        """A table of pairs with their number of extracts on ``theme`` and the
        latest one's date, linking to the theme's section of each briefing
        (``views``: pair slug → view) when it has one."""
        out = ["| Pair | Extracts | Latest |", "| --- | ---: | --- |"]
        for pair, items in rows:
            key = (pair.slug, root)
            link = self._pairs.get(key)
            if link is None:
                link = self._pairs[key] = f"[{md(pair.title)}]({root}pairs/{pair.slug}.md"
            anchor = f"#theme-{theme.slug}" if theme.slug in views[pair.slug].theme_slugs else ""
            out.append(f"| {link}{anchor}) | {len(items):,} | {long_date(items[0].date)} |")
        return "\n".join(out)

    def sources(self, sources: Iterable[Source]) -> str:
        """A list of sources: each one's page, publisher, date and original article."""
        out = []
        for s in sources:
            item = self._sources.get(s.slug)
            if item is None:
                published = f", {long_date(s.published)}" if s.published else ""
                item = self._sources[s.slug] = (
                    f'<li>{self.links.page(f"sources/{s.slug}", s.title)}'
                    f" — {html(s.publisher)}{published} · "
                    f'<a href="{xml(md_url(s.url))}">original article</a></li>')
            out.append(item)
        return _list("source-list", out)


CSV_COLUMNS = ("id", "date", "country_a", "country_b", "iso_a", "iso_b", "pair", "kind",
               "themes", "speaker", "text", "event", "source", "publisher", "url")
CSV_HEADER = ",".join(CSV_COLUMNS) + "\n"


def plural(count: int, noun: str) -> str:
    """``1 source``, ``2 sources``, ``2,202 pairs``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def truncate(text: str, length: int) -> str:
    """At most ``length`` characters, cut at a word, with an ellipsis when cut."""
    flat = " ".join(text.split())
    if len(flat) <= length:
        return flat
    cut = flat[: length - 1].rsplit(" ", 1)[0]
    return cut + "…"
