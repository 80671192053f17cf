"""Stage 4: the grouped site in, every output file as text out.

Markdown pages come from the Jinja2 templates in ``templates/``; the Atom
feeds and the data files (JSON, CSV) are built here. The result maps a path
relative to the site root (``pairs/china-russia.md``) to its content, with
paths in sorted order so output is deterministic.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import jinja2

from .errors import BriefingError, Diagnostic, Location
from .group import Site, format_number, long_date
from .markup import md, md_url, meta_title, xml
from .models import Extract
from .snippets import KIND_LABELS, ExtractForms

T = TypeVar("T")

#: Namespace for the Atom entry ids when no site URL is configured.
_FEED_NAMESPACE = uuid.UUID("6f1c1c52-58e4-4d0e-9a43-2d2c1f7a9b11")
#: Extracts per feed.
FEED_SIZE = 50

TREND_ARROWS = {"improving": "↗", "steady": "→", "deteriorating": "↘"}


class Renderer:
    """One Jinja2 environment over a templates folder, built once."""

    def __init__(self, templates_dir: Path, site_url: str = "") -> None:
        self.templates_dir = templates_dir
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir)),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            # Markdown output: HTML autoescaping would not stop Markdown links or
            # emphasis; the `md` filter escapes for Markdown (and HTML) instead.
            autoescape=False,  # noqa: S701
        )
        self.env.filters.update(
            md=md, url=md_url, xml=xml, meta_title=meta_title, date=long_date, num=format_number,
            kind=lambda k: KIND_LABELS[k], arrow=lambda t: TREND_ARROWS.get(t, ""),
            iso=lambda d: d.isoformat(), plural=_plural,
        )

    def template(self, name: str) -> jinja2.Template:
        """Load a template, reporting syntax errors with its name and line."""
        return self.guard(name, lambda: self.env.get_template(name))

    def page(self, template: str, **context: Any) -> str:
        """Render one template."""
        return self.guard(template, lambda: self.template(template).render(**context))

    def guard(self, template: str, action: Callable[[], T]) -> T:
        """Run ``action``, turning template errors into a :class:`BriefingError`."""
        try:
            return action()
        except BriefingError:
            raise
        except jinja2.TemplateSyntaxError as exc:
            raise BriefingError([Diagnostic(
                Location(str(self.templates_dir / (exc.name or template)), exc.lineno or 1),
                f"template syntax error: {exc.message}")]) from None
        except jinja2.TemplateError as exc:
            raise BriefingError([Diagnostic(_template_location(exc, self.templates_dir, template),
                                            f"template error: {exc}")]) from None


def render_extracts(site: Site, renderer: Renderer) -> dict[str, ExtractForms]:
    """Every extract's forms (see :mod:`generator.snippets`), by id."""
    entry_id = _entry_id(renderer.site_url)
    return {e.id: ExtractForms(e, entry_id) for e in site.briefings.extracts}


#: Extracts a theme page lists per pair; the pair's briefing has them all.
THEME_LATEST = 5
#: The timeline page lists every extract up to this many months; beyond,
#: it lists the latest months and links to a page per month.
TIMELINE_MONTHS = 12


def render_pages(site: Site, renderer: Renderer) -> dict[str, str]:
    """Every output file of the site: path relative to the site root → text."""
    pages: dict[str, str] = {}
    texts = render_extracts(site, renderer)
    top: dict[str, Any] = {"site": site, "root": "", "texts": texts}
    nested: dict[str, Any] = {**top, "root": "../"}
    pages["index.md"] = renderer.page("index.md.j2", **top)
    pages["timeline/index.md"] = renderer.page("timeline.md.j2", months=site.timeline,
                                               shown=site.timeline[:TIMELINE_MONTHS], **nested)
    for month in site.timeline:
        pages[f"timeline/{month.slug}.md"] = renderer.page("month.md.j2", month=month, **nested)
    for section in ("pairs", "themes", "countries", "sources", "events"):
        pages[f"{section}/index.md"] = renderer.page(f"{section}.md.j2", **nested)
    for view in site.pairs:
        pages[f"pairs/{view.pair.slug}.md"] = renderer.page("pair.md.j2", view=view, **nested)
        pages[f"pairs/{view.pair.slug}/feed.xml"] = render_feed(
            renderer, texts, view.extracts, title=f"{view.pair.title} briefing",
            path=f"pairs/{view.pair.slug}/feed.xml", page=f"pairs/{view.pair.slug}/")
    for theme in site.themes:
        pages[f"themes/{theme.theme.slug}.md"] = renderer.page(
            "theme.md.j2", view=theme, latest=THEME_LATEST, **nested)
    for country in site.countries:
        pages[f"countries/{country.country.slug}.md"] = renderer.page(
            "country.md.j2", view=country, **nested)
    for source in site.sources:
        pages[f"sources/{source.source.slug}.md"] = renderer.page("source.md.j2", view=source, **nested)
    for event in site.events:
        pages[f"events/{event.event.slug}.md"] = renderer.page("event.md.j2", view=event, **nested)
    pages["feed.xml"] = render_feed(renderer, texts, site.briefings.extracts, title="Briefings",
                                    path="feed.xml", page="")
    pages["data/briefings.json"] = render_json(site)
    pages["data/extracts.csv"] = render_csv(site)
    return dict(sorted(pages.items()))


def render_feed(renderer: Renderer, texts: dict[str, ExtractForms], extracts: tuple[Extract, ...], *,
                title: str, path: str, page: str) -> str:
    """An Atom feed of the newest extracts; every date comes from the data.

    Links are relative to the site root, which ``xml:base`` gives: the site
    URL when configured, else the way up from the feed's own location.
    """
    entries = extracts[:FEED_SIZE]
    base = renderer.site_url or "../" * path.count("/") or "./"
    return renderer.page(
        "feed.xml.j2", title=title, entries=entries, texts=texts, base=base,
        feed_id=f"{renderer.site_url}{path}" if renderer.site_url else _urn(path),
        self_href=path, page_href=page or "./",
        updated=_atom_time(entries[0].date) if entries else "1970-01-01T00:00:00Z",
    )


def _entry_id(site_url: str) -> Callable[[Extract], str]:
    if site_url:
        return lambda e: f"{site_url}pairs/{e.pairs[0].slug}/#{e.id}"
    return lambda e: _urn(e.id)


def _urn(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_FEED_NAMESPACE, name)}"


def _atom_time(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def render_json(site: Site) -> str:
    """``data/briefings.json``: the whole validated data set."""
    b = site.briefings
    data = {
        "countries": [{"slug": c.slug, "name": c.name, "iso_alpha2": c.alpha2 or None,
                       "iso_alpha3": c.alpha3 or None, "actor": c.actor} for c in b.countries],
        "themes": [{"slug": t.slug, "title": t.title, "description": t.description}
                   for t in b.themes],
        "events": [{"slug": v.event.slug, "title": v.event.title,
                    "description": v.event.description,
                    "dates": sorted({e.date.isoformat() for e in v.extracts}),
                    "sources_disagree": bool(v.disagreements)} for v in site.events],
        "sources": [{"slug": s.slug, "title": s.title, "publisher": s.publisher, "url": s.url,
                     "published": _iso(s.published), "accessed": _iso(s.accessed),
                     "terms": s.terms or None} for s in b.sources],
        "pairs": [{"slug": v.pair.slug, "countries": [v.pair.a.slug, v.pair.b.slug],
                   "title": v.pair.title, "extracts": len(v.extracts),
                   "first": v.first.isoformat(), "last": v.last.isoformat(),
                   "trend": v.note.trend if v.note and v.note.trend else None}
                  for v in site.pairs],
        "extracts": [_extract_json(e) for e in b.extracts],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _extract_json(e: Extract) -> dict[str, Any]:
    return {
        "id": e.id, "date": e.date.isoformat(), "kind": e.kind,
        "pairs": [[p.a.slug, p.b.slug] for p in e.pairs],
        "themes": [t.slug for t in e.themes], "speaker": e.speaker or None,
        "speaker_native": e.speaker_native or None, "text": e.text,
        "event": e.event.slug if e.event else None, "source": e.source.slug,
        "url": e.source.url, "verified_quote": e.verified,
        "figures": [{"label": f.label, "value": f.value, "unit": f.unit,
                     "period": f.period or None} for f in e.figures],
    }


CSV_COLUMNS = ("id", "date", "country_a", "country_b", "iso_a", "iso_b", "pair", "kind",
               "themes", "speaker", "text", "event", "source", "publisher", "url")


def render_csv(site: Site) -> str:
    """``data/extracts.csv``: one row per extract and pair."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in site.briefings.extracts:
        for p in e.pairs:
            writer.writerow([
                e.id, e.date.isoformat(), p.a.name, p.b.name, p.a.alpha3, p.b.alpha3, p.slug,
                e.kind, " ".join(t.slug for t in e.themes), e.speaker,
                _csv_safe(e.text), e.event.slug if e.event else "", e.source.slug,
                e.source.publisher, e.source.url])
    return out.getvalue()


def _csv_safe(text: str) -> str:
    # A cell starting with = + - @ is run as a formula by spreadsheet programs.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _template_location(exc: Exception, templates_dir: Path, fallback: str) -> Location:
    tb = exc.__traceback__
    found = Location(str(templates_dir / fallback))
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.startswith(str(templates_dir)):
            found = Location(name, tb.tb_lineno)
        tb = tb.tb_next
    return found

