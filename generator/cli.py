"""Command line: ``python -m generator build|validate|schema|new``.

The edge that writes files. Every command reports bad data as
``path:line:col: error: message`` lines and exits 1, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import NoReturn

import click
from pydantic import TypeAdapter, ValidationError

from .errors import BriefingError, Diagnostic, printable
from .formatting import plural
from .models import HttpUrl, slugify
from .outdir import OutputRefused, check_target, protected_folders, write_tree
from .pipeline import gc_paused, generate, read_data_dir
from .schema import json_schema
from .validate import validate_briefings

DEFAULT_DATA = "briefings"
DEFAULT_TEMPLATES = "templates"


def _report(warnings: tuple[Diagnostic, ...]) -> None:
    for warning in warnings:
        click.echo(warning.format(), err=True)


def _fail(exc: BriefingError) -> NoReturn:
    click.echo(exc.report(), err=True)
    sys.exit(1)


@click.group()
def main() -> None:
    """Generate sourced briefing pages from curated YAML extracts."""


@main.command()
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the pages into: a new or empty one, or one an earlier build wrote; "
                   "replaced as a whole, atomically.")
@click.option("--data-dir", default=DEFAULT_DATA, show_default=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--templates-dir", default=DEFAULT_TEMPLATES, show_default=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--site-url", default="", help="Public URL of the site, for feed links.")
@click.option("--directory-urls/--no-directory-urls", default=True, show_default=True,
              help="Write links as MkDocs does with use_directory_urls on or off; "
                   "match the mkdocs.yml that builds the pages.")
def build(out: Path, data_dir: Path, templates_dir: Path, site_url: str, directory_urls: bool) -> None:
    """Write every generated page (Markdown, feeds, data) into OUT.

    OUT is replaced only when the whole build succeeded; on any error it is
    left exactly as it was. A folder the build did not write is never
    replaced unless empty, nor one that holds the data, the templates, the
    docs or a repository.
    """
    protected = protected_folders(data_dir, templates_dir, Path.cwd())
    try:
        check_target(out, protected)
        with gc_paused():
            output = generate(data_dir, templates_dir, site_url=site_url, directory_urls=directory_urls)
        _report(output.warnings)
        write_tree(out, output.files, protected)
    except BriefingError as exc:
        _fail(exc)
    except OutputRefused as exc:
        _stop(f"error: {exc.message}", exc.hint)
    except OSError as exc:
        _stop(f"error: cannot write {out}: {exc.strerror or exc}", "check the disk's free space and "
              "that the folder is writable")
    click.echo(f"wrote {len(output.files)} files to {out}", err=True)


def _stop(message: str, hint: str = "") -> NoReturn:
    click.echo(printable(message) + (f"\n    hint: {printable(hint)}" if hint else ""), err=True)
    sys.exit(1)


@main.command()
@click.argument("data_dir", default=DEFAULT_DATA,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
def validate(data_dir: Path) -> None:
    """Check the data in DATA_DIR; exit 1 when it has errors."""
    try:
        folder = read_data_dir(data_dir)
        with gc_paused():
            briefings = validate_briefings(folder, str(data_dir), refused=folder.refused)
    except BriefingError as exc:
        _fail(exc)
    except OSError as exc:
        _stop(f"error: cannot read {data_dir}: {exc.strerror or exc}")
    _report(briefings.warnings)
    click.echo(f"{data_dir}: {plural(len(briefings.extracts), 'extract')} from "
               f"{plural(len(briefings.sources), 'source')}, {plural(len(briefings.warnings), 'warning')}",
               err=True)


@main.command()
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path(DEFAULT_DATA) / "schema.json", show_default=True,
              help="Where to write the schema; '-' for standard output.")
def schema(out: Path) -> None:
    """Write the JSON Schema of the source file format (for editors' YAML plugins)."""
    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if str(out) == "-":
        click.echo(text, nl=False)
    else:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            _stop(f"error: cannot write {out}: {exc.strerror or exc}")
        click.echo(f"wrote {out}", err=True)


@main.command()
@click.option("--url", required=True, callback=lambda ctx, param, value: _http_url(value),
              help="The article's URL (http or https).")
@click.option("--title", required=True, help="The article's title.")
@click.option("--publisher", required=True, help="Who published it, e.g. third-news.com.")
@click.option("--name", default="", help="File name without .yml; default: from the title.")
@click.option("--data-dir", default=DEFAULT_DATA, show_default=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path))
def new(url: str, title: str, publisher: str, name: str, data_dir: Path) -> None:
    """Create a source file with today's accessed date and an example extract."""
    slug = slugify(name or title)[:60].strip("-") or "source"
    path = data_dir / "sources" / f"{slug}.yml"
    # A source's page is named after its file, wherever it is under sources/.
    taken = next((found for suffix in (".yml", ".yaml")
                  for found in (data_dir / "sources").rglob(slug + suffix)), None)
    if taken is not None:
        click.echo(f"{taken} already exists; not overwriting it (choose another --name)", err=True)
        sys.exit(1)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as file:
            file.write(scaffold(url, title, publisher, dt.date.today()))
    except OSError as exc:
        _stop(f"error: cannot write {path}: {exc.strerror or exc}")
    click.echo(f"created {path}", err=True)


def _http_url(value: str) -> str:
    # Checked here as validation will check it: a file it would reject is no start.
    try:
        return TypeAdapter(HttpUrl).validate_python(value)
    except ValidationError:
        raise click.BadParameter(f"'{value}' is not an http(s) URL, e.g. https://example.org/1") from None


def scaffold(url: str, title: str, publisher: str, today: dt.date) -> str:
    """The text of a new source file, with every field of the format shown."""
    return f"""# yaml-language-server: $schema=../schema.json
source:
  title: {json.dumps(title, ensure_ascii=False)}
  publisher: {json.dumps(publisher, ensure_ascii=False)}
  url: {json.dumps(url)}
  accessed: {today.isoformat()}
  # author: Name Surname            # or a list: [First Author, Second Author]
  # published: YYYY-MM-DD
  # updated: YYYY-MM-DD             # the article's latest update
  # language: en                    # BCP 47: ja, zh-Hant, ru...; default en
  # via: AP                         # the wire it republishes, if any
  # revision_of: file-name          # the source file of its previous version
  # terms: the source's usage terms
extracts: []
# Replace 'extracts: []' above with your extracts, for example:
# extracts:
#   - id: {slug_hint(title)}-1
#     date: {today.isoformat()}          # or YYYY-MM, or YYYY, when the article says no more
#     countries: [China, Russia]    # one country, two (a pair) or three to twelve (a group)
#     themes: [trade]
#     kind: quote                   # quote | paraphrase | figure | analysis
#     voice: direct                 # direct: the speaker's own words; reported: the article's
#     speaker: Xi Jinping
#     event: event-slug             # from events.yml
#     event_role: reports           # reports | reaction | background
#     text: >-
#       the exact words from the article
#     # original: the words in their original language, when 'text' is a translation
#     # language: zh-Hant           # of the original (default: the source's language)
#     # translation: editor         # source | editor | machine: who translated it
#     # same_as: other-extract-id   # another wording of the same remark
#     figures:
#       - {{label: China–Russia trade, value: 228.1, unit: USD billion, period: "2025"}}
#       # a range: value: [40, 55]; "roughly": approx: true; the words: as_written: "almost an hour"
#     facts:
#       - {{label: Format of the talks, value: video call}}
"""


def slug_hint(title: str) -> str:
    """A short id prefix from a title."""
    return "-".join(slugify(title).split("-")[:3]) or "extract"
