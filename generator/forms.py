"""The forms in which an extract appears on pages, and the links between pages.

An extract is shown on its pair pages, its source and event pages, theme
pages and timelines: in full, as a list item, as a row of key figures.
These forms are raw HTML written here in plain Python, which the page
templates insert and Python-Markdown passes through as they are; a
template loop per extract would cost as much as parsing the YAML. Every
value from the data goes through :func:`~generator.markup.html` or
:func:`~generator.markup.md_url`.

Links are written as MkDocs writes URLs: a page's URL is the one MkDocs
gives its file (:func:`page_url`), and a link climbs from the page's URL to
the site root and down to its target. What an extract's forms share is made
once per build; each is put together for the depth of the page showing it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .formatting import format_period, long_date, plural, truncate
from .group import Disagreement, EventView, FigureRow
from .languages import language_name
from .lazy import cached_property
from .markup import html, md, md_url, xml
from .models import SITE_LANGUAGE, Extract, Source, Subject, Theme
from .weigh import count_outlets
from .when import When

KIND_LABELS = {"quote": "Quote", "paraphrase": "Paraphrase", "figure": "Figure",
               "analysis": "Analysis"}
#: Who translated a quote's original into its text, as the page says it.
TRANSLATED_BY = {"source": "the article's translation", "editor": "the editors' translation",
                 "machine": "machine translation"}


class Links:
    """The URLs of the site's pages, as MkDocs makes them, and HTML links to
    them from a page at a given depth.

    ``home(subject, extract)`` is the page (from the site root, without
    ``.md``) that shows the extract in full in the subject's briefing;
    ``wordings`` gives each extract's other wordings of the same remark.
    """

    def __init__(self, directory_urls: bool, home: Callable[[Subject, Extract], str],
                 wordings: Mapping[str, tuple[Extract, ...]] | None = None) -> None:
        self.directory_urls = directory_urls
        self.home = home
        self.wordings = wordings or {}
        self._urls: dict[str, str] = {}
        self._originals: dict[str, str] = {}

    def url(self, page: str) -> str:
        """The URL of ``page`` (from the site root, without ``.md``), from the
        site root, as MkDocs gives its file (:func:`page_url`)."""
        found = self._urls.get(page)
        if found is None:
            found = self._urls[page] = page_url(page, self.directory_urls)
        return found

    def up(self, page: str) -> str:
        """The way up from the URL of ``page`` to the site root: ``../../``."""
        url = self.url(page)
        return "" if url == "./" else "../" * url.count("/")

    def original(self, source: Source) -> str:
        """A link to a source's original article, named by its publisher."""
        found = self._originals.get(source.slug)
        if found is None:
            found = self._originals[source.slug] = (
                f'<a href="{xml(md_url(source.url))}">{html(source.publisher)}</a>')
        return found

    def link(self, up: str, page: str, title: str, anchor: str = "") -> str:
        """An HTML link to ``page`` from a page whose way up is ``up``, ``title`` escaped."""
        return f'<a href="{up}{self.url(page)}{anchor}">{html(title)}</a>'


def page_url(page: str, directory_urls: bool) -> str:
    """The URL MkDocs gives the file ``page + '.md'``, as
    :class:`mkdocs.structure.files.File` makes it (a test holds the two
    equal): ``pairs/china-russia/`` with directory URLs, else
    ``pairs/china-russia.html``; an index page is its folder. Written out
    rather than asked of MkDocs, whose ``File`` takes as long to make as
    the link it would give, for each of thousands of pages."""
    folder, _, name = page.rpartition("/")
    index = name in ("index", "README")
    if directory_urls:
        url = (f"{folder}/" if folder else "./") if index else f"{page}/"
    else:
        url = f"{folder + '/' if folder else ''}index.html" if index else f"{page}.html"
    return url


def _head(e: Extract, escape: Callable[[str], str]) -> str:
    # Kind and speaker: ``Quote · Xi Jinping``, ``Reported speech · Xi Jinping``.
    label = "Reported speech" if e.voice == "reported" else KIND_LABELS[e.kind]
    return f"{label} · {escape(e.speaker)}" if e.speaker else label


def _lang(tag: str) -> str:
    # The lang attribute of text not in the site's language.
    return "" if tag.casefold() == SITE_LANGUAGE else f' lang="{html(tag)}"'


def _byline(e: Extract) -> str:
    """What the extract is, and whose words: ``<strong>Quote</strong> · Xi
    Jinping (习近平)``; reported speech is the article's words about what
    the speaker said, and says so."""
    if e.voice == "reported":
        kind = "<strong>Reported speech</strong>"
        if e.speaker:
            kind += f" · {_speaker(e)}, as reported by {html(e.source.publisher)}"
        return kind
    kind = f"<strong>{KIND_LABELS[e.kind]}</strong>"
    return kind + f" · {_speaker(e)}" if e.speaker else kind


def _speaker(e: Extract) -> str:
    native = f" (<span{_lang(e.language)}>{html(e.speaker_native)}</span>)" if e.speaker_native else ""
    return html(e.speaker) + native


def _verified(e: Extract) -> str:
    if not e.verified:
        return ""
    if e.voice == "reported":
        return " · ✓ the article's words, verified"
    return " · ✓ original verified" if e.original and e.translation != "source" else " · ✓ verified quote"


def _quoted(e: Extract, text: str) -> str:
    # Only a speaker's own words stand in quotation marks.
    return f"“{text}”" if e.kind == "quote" and e.voice != "reported" else text


def _original(e: Extract) -> str:
    """The words in their original language, and who translated them."""
    if not e.original:
        return ""
    return (f'<p class="extract-original">Original ({html(language_name(e.language))}): '
            f'<span{_lang(e.language)}>{_quoted(e, html(e.original))}</span> · '
            f"{TRANSLATED_BY.get(e.translation, '')}</p>\n")


def _facts(e: Extract) -> str:
    """The facts in words it gives: ``Format of the talks: video call``."""
    if not e.facts:
        return ""
    return ('<p class="extract-facts">'
            + " · ".join(f"{html(f.label)}: <strong>{html(f.value)}</strong>" for f in e.facts) + "</p>\n")


class ExtractForms:
    """One extract as HTML: in full (``block``, ``uncited``), as a list item
    (``line``, ``short``), as key-figure rows and, in Markdown, as a pointer
    to itself (``also``).

    What every form shares is made once, with the forms: the escaped text,
    the byline, and each link's target and escaped title. A form is then put
    together for the way up from the page it is on to the site root
    (``up``), so the same extract on pages at two depths is escaped and
    looked up once.
    """

    def __init__(self, extract: Extract, links: Links) -> None:
        #: The extract.
        self.e = e = extract
        self.links = links
        url = links.url
        self.head = _head(e, html)
        self.day = long_date(e.date)
        #: The text, escaped for HTML.
        self.text = html(e.text)
        #: Each link's target from the site root, and the rest of the link:
        #: to the extract on each briefing's page, to each theme, to the event.
        self.pair_targets = [(url(links.home(s, e)), f'#{e.id}">{html(s.title)}</a>') for s in e.subjects]
        self.theme_targets = [(url(f"themes/{t.slug}"), f'">{html(t.title)}</a>') for t in e.themes]
        ev = e.event
        role = f" ({e.event_role})" if ev and e.event_role != "reports" else ""
        self.event_target = (url(f"events/{ev.slug}"), f'">{html(ev.title)}</a>{role} · ') if ev else None
        #: The full forms' opening up to the briefing links, and from them to the links under the text.
        self.byline = (f'<div class="extract" id="{e.id}">\n<p class="extract-meta">{_byline(e)} · {self.day}'
                       f"{_verified(e)} · ")
        self.body = (f"</p>\n<blockquote>\n<p{_lang(e.text_language)}>{_quoted(e, self.text)}</p>\n"
                     f"{_original(e)}{_facts(e)}<p>")
        self.wordings = [(url(links.home(w.subjects[0], w)), f'#{w.id}">{html(w.source.publisher)}</a>')
                         for w in links.wordings.get(e.id, ())]
        self.original = links.original(e.source)
        # The forms last put together, and the way up they were made for.
        self._links_up: str | None = None
        self._full_up: str | None = None
        self._links = self._opening = self._closing = ""

    def pair_links(self, up: str) -> str:
        """HTML links to the extract on the page of each of its pairs."""
        if up != self._links_up:
            self._links_up = up
            self._links = ", ".join([f'<a href="{up}{target}{rest}' for target, rest in self.pair_targets])
        return self._links

    def _full(self, up: str) -> tuple[str, str]:
        """The start of the full forms, to the text, and their end: the same on
        an extract's pair page and its source page, both at one depth."""
        if up != self._full_up:
            self._full_up = up
            self._opening = f"{self.byline}{self.pair_links(up)}{self.body}"
            self._closing = self.topics(up)
        return self._opening, self._closing

    def topics(self, up: str) -> str:
        """The links to its event, if any, and themes, and to the other
        wordings of the same remark, closing the full forms."""
        themes = ", ".join([f'<a href="{up}{target}{rest}' for target, rest in self.theme_targets])
        found = self.event_target
        event = f'event: <a href="{up}{found[0]}{found[1]}' if found else ""
        wordings = ""
        if self.wordings:
            wordings = ("</p>\n<p>Same remark, other wording: "
                        + ", ".join([f'<a href="{up}{target}{rest}' for target, rest in self.wordings]))
        return f"{event}themes: {themes}{wordings}</p>\n</blockquote>\n</div>\n"

    def block(self, up: str) -> str:
        """In full, with its source cited."""
        e = self.e
        citation = (f'Source: <a href="{up}{self.links.url(f"sources/{e.source.slug}")}#{e.id}" '
                    f'title="{html(e.source.title)}">{html(e.source.publisher)}</a> '
                    f'(<a href="{xml(md_url(e.source.url))}">original article</a>) · ')
        opening, closing = self._full(up)
        return f"{opening}{citation}{closing}"

    def uncited(self, up: str) -> str:
        """In full, on a page that names its source already (the source's own
        page, or a source's section of an event page)."""
        opening, closing = self._full(up)
        return f"{opening}{closing}"

    def line(self, up: str) -> str:
        """A list item linking to its briefing pages: timelines and theme pages."""
        return (f"<li><strong>{self.day}</strong> · {self.pair_links(up)} · {self.head}: {self.cut(160)} "
                f"({self.original})</li>")

    def placed_line(self, up: str, when: When, event: EventView) -> str:
        """A list item on the timeline, at its event's date rather than its own."""
        link = self.links.link(up, f"events/{event.event.slug}", event.event.title)
        note = (f"date disputed, see {link}; this source: {self.day}" if event.disputed
                else f"this source: {self.day}")
        return (f"<li><strong>{long_date(when)}</strong> ({note}) · {self.pair_links(up)} · {self.head}: "
                f"{self.cut(160)} ({self.original})</li>")

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


class FormStore:
    """Every extract's forms made in one build.

    At most ``bound`` are kept at a time: keeping every form of 100,000
    extracts would cost more memory than the pages themselves.
    """

    def __init__(self, links: Links, bound: int = 12_000) -> None:
        self.links = links
        self.bound = bound
        self.made: dict[str, ExtractForms] = {}

    def texts(self, up: str) -> ExtractTexts:
        """The runs of forms for a page whose way up to the site root is ``up``."""
        return ExtractTexts(self, up)

    def forms(self, extract: Extract) -> ExtractForms:
        """The extract's forms."""
        return self.made.get(extract.id) or self.make(extract)

    def make(self, extract: Extract) -> ExtractForms:
        """The extract's forms, made (and kept, within the bound)."""
        if len(self.made) >= self.bound:
            self.made.clear()
        found = self.made[extract.id] = ExtractForms(extract, self.links)
        return found


class ExtractTexts:
    """The runs of extract forms a page inserts: a template inserts a whole
    list at once (``extracts|blocks``), so the loop runs here, in Python."""

    def __init__(self, store: FormStore, up: str) -> None:
        self.store = store
        self.up = up

    def blocks(self, extracts: Iterable[Extract], cited: bool = True) -> str:
        """Each extract in full, separated by blank lines; without ``cited``,
        for a page that names their source already."""
        # The lookup inline: pages look forms up tens of thousands of times.
        get, make, up = self.store.made.get, self.store.make, self.up
        if cited:
            return "\n".join([(get(e.id) or make(e)).block(up) for e in extracts])
        return "\n".join([(get(e.id) or make(e)).uncited(up) for e in extracts])

    def blocks_once(self, extracts: Iterable[Extract], seen: dict[str, str], section: str) -> str:
        """In full the first time an extract appears on the page (noting in ``seen``
        the ``section`` it appears in); those shown in full under an earlier
        section are pointed to, together, in one line after them."""
        out, earlier = [], []
        for e in extracts:
            forms = self.store.forms(e)
            if e.id in seen:
                earlier.append(forms.also)
            else:
                seen[e.id] = section
                out.append(forms.block(self.up))
        if earlier:
            out.append(f"Also on this theme, in full above: {' · '.join(earlier)}\n")
        return "\n".join(out)

    def lines(self, extracts: Iterable[Extract],
              placed: Mapping[str, tuple[When, EventView]] | None = None) -> str:
        """A list, an item per extract linking to its briefing pages; those
        in ``placed`` at their event's date."""
        get, make, up = self.store.made.get, self.store.make, self.up
        if not placed:
            return _list("extract-lines", [(get(e.id) or make(e)).line(up) for e in extracts])
        items = []
        seen: set[str] = set()
        for e in extracts:
            forms, found = get(e.id) or make(e), placed.get(e.id)
            if found is None:
                items.append(forms.line(up))
            elif not found[1].disputed:
                items.append(forms.placed_line(up, *found))
            elif found[1].event.slug not in seen:
                # A disputed event stands once, at the date most outlets give.
                seen.add(found[1].event.slug)
                items.append(self.event_line(*found))
        return _list("extract-lines", items)

    def event_line(self, when: When, view: EventView) -> str:
        """A list item for an event whose date sources dispute: once, at the
        date most independent outlets give, linking to its page."""
        links = self.store.links
        up = self.up
        event = links.link(up, f"events/{view.event.slug}", view.event.title)
        subjects = ", ".join([links.link(up, f"{s.section}/{s.slug}", s.title) for s in view.subjects])
        summary = view.disagreements[0].summary if view.disagreements else ""
        return (f"<li><strong>{long_date(when)}</strong> · {subjects} · Event: {event} · date disputed: "
                f"{html(summary)} · {plural(len(view.reports), 'extract')} from "
                f"{plural(len({e.source.slug for e in view.reports}), 'source')}</li>")

    def shorts(self, extracts: Iterable[Extract]) -> str:
        """A list, an item per extract linking to its anchor on the same page."""
        get, make = self.store.made.get, self.store.make
        return _list("extract-shorts", [(get(e.id) or make(e)).short for e in extracts])

    def figure_table(self, rows: Iterable[FigureRow]) -> str:
        """A table of key figures: a row per figure and period, every value
        given for it with its sources in one cell, and where the values
        disagree, said so. On a phone each row is a block of labelled lines."""
        url, up = self.store.links.url, self.up
        out = ['<table class="briefings-figures">',
               '<thead><tr><th scope="col">Figure</th><th scope="col">Value</th><th scope="col">Period</th>'
               '<th scope="col">Sources</th></tr></thead>', "<tbody>"]
        for row in rows:
            values, sources = [], []
            for value, words, extracts in row.values:
                shown = html(value) + (f" (“{html(words)}”)" if words else "")
                cites = ", ".join([f'<a href="{up}{url(f"sources/{e.source.slug}")}#{e.id}">'
                                   f"{html(e.source.publisher)}</a>" for e in extracts])
                values.append(shown)
                sources.append(f"{html(value)}: {cites}" if len(row.values) > 1 else cites)
            value_cell = "; ".join(values)
            if row.disputed:
                value_cell = f'<strong class="briefings-disputed">Sources disagree:</strong> {value_cell}'
            out.append(f'<tr><td data-label="Figure">{html(row.label)} ({html(row.unit)})</td>'
                       f'<td data-label="Value">{value_cell}</td>'
                       f'<td data-label="Period">{html(format_period(row.period))}</td>'
                       f'<td data-label="Sources">{"; ".join(sources)}</td></tr>')
        out += ["</tbody>", "</table>"]
        return "\n".join(out)


def _list(kind: str, items: list[str]) -> str:
    # A raw HTML block: it starts a line and ends before a blank one.
    return f'<ul class="{kind}">\n' + "\n".join(items) + "\n</ul>" if items else ""


def _then(values: tuple[str, ...]) -> str:
    """``6, 5 then 7 February 2026``: the words all the values end with are
    written once, at the end."""
    if len(values) == 1:
        return values[0]
    words = [v.split(" ") for v in values]
    shared = 0
    while all(len(w) > shared + 1 for w in words) and len({tuple(w[-shared - 1:]) for w in words}) == 1:
        shared += 1
    heads = [" ".join(w[:len(w) - shared]) for w in words]
    tail = " " + " ".join(words[0][len(words[0]) - shared:]) if shared else ""
    return ", ".join(heads[:-1]) + " then " + heads[-1] + tail


class SharedParts:
    """Pieces that recur on many pages, each made once per build and depth:
    "sources disagree" notes, a briefing's list of sources, a theme's rows
    of pairs. They are raw HTML, as the extracts are."""

    def __init__(self, links: Links) -> None:
        self.links = links
        self._notes: dict[tuple[int, int, str, bool], str] = {}
        self._sources: dict[tuple[str, str], str] = {}
        self._pairs: dict[tuple[str, str], str] = {}

    def disagreement(self, note: Disagreement, limit: int, up: str, opened: bool = False) -> str:
        """The note, naming at most ``limit`` sources a version (0: all): its
        summary, and its versions when opened (``opened``: from the start);
        it ends with a line break."""
        # Keyed by identity: the notes are alive for the whole build.
        key = (id(note), limit, up, opened)
        found = self._notes.get(key)
        if found is None:
            found = self._notes[key] = self._note(note, limit, up, opened)
        return found

    def _note(self, note: Disagreement, limit: int, up: str, opened: bool) -> str:
        # What pymdownx.details makes of ``??? warning "..."`` (``???+`` when
        # opened), which the theme styles as a note that opens and closes.
        link = self.links.link
        summary = f"{note.subject}: {note.summary}." if note.summary else note.subject
        out = [f'<details class="warning"{" open" if opened else ""}>',
               f"<summary>Sources disagree · {html(summary)}</summary>", "<ul>"]
        more = False
        for version in note.versions:
            shown = version.sources[:limit] if limit else version.sources
            names = "; ".join([link(up, f"sources/{s.slug}", s.publisher)
                               + (" (an earlier version)" if s in version.superseded else "")
                               for s in shown])
            if len(shown) < len(version.sources):
                more = True
                names += f"; and {plural(len(version.sources) - len(shown), 'more source')}"
            weight = (f" ({count_outlets(version.outlets)})" if version.outlets
                      else " (only in earlier versions)")
            also = f" (also given as {html('; '.join(version.also))})" if version.also else ""
            out.append(f"<li><strong>{html(version.value)}</strong>{also}{weight} — {names}</li>")
        out.append("</ul>")
        for revision in note.revisions:
            out.append(f"<p>{html(revision.publisher)} gave {html(_then(revision.values))} "
                       "in successive versions of one article.</p>")
        for value, sources in note.consistent:
            names = "; ".join(html(s.publisher) for s in sources)
            out.append(f"<p>{names} gives {html(value)}, which agrees with more than one of these.</p>")
        if more and note.event is not None:
            out.append(f'<p>Every source is listed on the page of '
                       f'{link(up, f"events/{note.event.slug}", note.event.title)}.</p>')
        out.append("</details>\n")
        return "\n".join(out)

    def theme_pair_rows(self, theme: Theme, rows: Iterable[tuple[Subject, tuple[Extract, ...]]],
                        views: Mapping[str, Any], root: str) -> str:
        """A table of briefings (pairs, groups, countries) with their number
        of extracts on ``theme`` and the latest one's date, linking to the
        theme's section of each briefing (``views``: briefing path → view)
        when it has one."""
        out = ["| Briefing | Extracts | Latest |", "| --- | ---: | --- |"]
        for subject, items in rows:
            path = f"{subject.section}/{subject.slug}"
            key = (path, root)
            link = self._pairs.get(key)
            if link is None:
                link = self._pairs[key] = f"[{md(subject.title)}]({root}{path}.md"
            anchor = f"#theme-{theme.slug}" if theme.slug in views[path].theme_slugs else ""
            out.append(f"| {link}{anchor}) | {len(items):,} | {long_date(items[0].date)} |")
        return "\n".join(out)

    def sources(self, sources: Iterable[Source], up: str) -> str:
        """A list of sources: each one's page, publisher, date and original article."""
        out = []
        for s in sources:
            item = self._sources.get((s.slug, up))
            if item is None:
                published = f", {long_date(s.published)}" if s.published else ""
                item = self._sources[(s.slug, up)] = (
                    f'<li>{self.links.link(up, f"sources/{s.slug}", s.title)}'
                    f" — {html(s.publisher)}{published} · "
                    f'<a href="{xml(md_url(s.url))}">original article</a></li>')
            out.append(item)
        return _list("source-list", out)
