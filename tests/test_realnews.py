"""What real news says, the format says: one country or a group, dates as precise as
the article, reported speech, translations, ranges and approximate figures, wire copies
and revised articles, reactions to an event; and how each reaches the pages and data."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
import yaml
from conftest import REPO, SOURCE, to_files
from test_briefing import NOTE, generate_files

from generator import BriefingError
from generator.countries import CountryRegistry
from generator.models import CountriesFile
from generator.validate import validate_briefings
from generator.when import When

#: An article with one extract of each new kind.
ARTICLE = """\
source:
  title: Another article
  publisher: other.example
  url: https://other.example/article
  author: [Ann Writer, Bo Reporter]
  published: 2025-11-20
  updated: 2025-11-21
  language: en
extracts:
"""

EXTRACT = """\
  - id: {id}
    date: {date}
    countries: {countries}
    themes: [trade]
    kind: {kind}
    text: {text}
"""


def article(*extracts: str, header: str = ARTICLE) -> str:
    """A source file of ``extracts``, each given as the lines after its ``id``."""
    return header + "".join(extracts)


def extract(id: str, countries: str = "[China, Russia]", date: str = "2025-11-14",
            kind: str = "paraphrase", text: str = "Some words.", extra: str = "") -> str:
    """One extract's lines, with ``extra`` fields (each line indented by four spaces)."""
    return EXTRACT.format(id=id, date=date, countries=countries, kind=kind, text=text) + extra


def note(page: str) -> str:
    """The first "sources disagree" note of a page."""
    return page[page.index(NOTE):].split("</details>")[0]


# -- one country, a group, actors -------------------------------------------

def test_an_extract_about_one_country_is_in_its_country_briefing() -> None:
    files = generate_files({"sources/other.yml": article(extract(
        "jp-visitors", "[Japan]", "2025-11", "figure", "Japan welcomed 3.52 million visitors in November.",
        "    figures:\n      - {label: Visitors, value: 3.52, unit: million, period: November 2025}\n"))})
    page = files["countries/japan.md"]
    assert "1 extract: [1 about Japan alone](#briefing), 0 country pairs." in page
    briefing = page[page.index("## Country briefing {: #briefing }"):]
    assert "## Key figures {: #key-figures }" in briefing
    assert ('<td data-label="Figure">Visitors (million)</td><td data-label="Value">3.52</td>'
            '<td data-label="Period">November 2025</td>') in briefing
    assert '<h3 id="month-2025-11">November 2025</h3>' in briefing
    assert '<div class="extract" id="jp-visitors">' in briefing
    assert "feed: countries/japan/feed.xml" in page
    feed = ET.fromstring(files["countries/japan/feed.xml"])
    atom = "{http://www.w3.org/2005/Atom}"
    assert [e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")] == ["Japan: Figure, November 2025"]
    assert "| [Japan](../countries/japan.md#theme-trade) | 1 | November 2025 |" in files["themes/trade.md"]
    data = json.loads(files["data/briefings.json"])
    found = next(e for e in data["extracts"] if e["id"] == "jp-visitors")
    assert (found["pairs"], found["countries"], found["group"], found["date"]) == (
        [], ["japan"], None, "2025-11")
    row = next(r for r in csv.DictReader(io.StringIO(files["data/extracts.csv"])) if r["id"] == "jp-visitors")
    assert (row["country_a"], row["iso_a"], row["pair"], row["countries"], row["group"]) == (
        "Japan", "JPN", "", "japan", "")


def test_three_countries_make_a_group_with_a_page_named_after_them() -> None:
    files = generate_files({"sources/other.yml": article(
        extract("ric-1", "[Russia, India, China]", "2025-09-01"),
        extract("cn-ru-1", "[China, Russia]", "2025-09-02"))})
    group = files["groups/china-india-russia.md"]
    assert group.startswith(
        '---\ntitle: "China, India and Russia"\nfeed: groups/china-india-russia/feed.xml\n')
    assert ("Countries: [China](../countries/china.md), [India](../countries/india.md), "
            "[Russia](../countries/russia.md)") in group
    assert '<div class="extract" id="ric-1">' in group
    # Each member's page links the group; the pair's page lists it briefly.
    assert "| [China, India and Russia](../groups/china-india-russia.md) | China, India, Russia | 1 |" in \
        files["countries/india.md"]
    pair = files["pairs/china-russia.md"]
    listed = pair[pair.index("## In groups {: #in-groups }"):pair.index("## Extracts by theme")]
    assert "### [China, India and Russia](../groups/china-india-russia.md)" in listed
    assert '<a href="../../groups/china-india-russia/#ric-1">' in listed
    assert '<div class="extract" id="ric-1">' not in pair
    assert "groups/china-india-russia/feed.xml" in files
    data = json.loads(files["data/briefings.json"])
    assert data["groups"] == [{"slug": "china-india-russia", "countries": ["china", "india", "russia"],
                               "title": "China, India and Russia", "description": None, "extracts": 1,
                               "first": "2025-09-01", "last": "2025-09-01"}]
    row = next(r for r in csv.DictReader(io.StringIO(files["data/extracts.csv"])) if r["id"] == "ric-1")
    assert (row["pair"], row["countries"], row["group"]) == ("", "china india russia", "china-india-russia")


def test_a_group_named_in_groups_yml_takes_its_title_and_page_name() -> None:
    files = generate_files({
        "groups.yml": "ric: {title: 'Russia, India and China', countries: [Russia, India, China],"
                      " description: Three leaders in Tianjin.}\n",
        "sources/other.yml": article(extract("ric-1", "[China, India, Russia]"))})
    page = files["groups/ric.md"]
    assert "# Russia, India and China {: #top }\n\nThree leaders in Tianjin.\n" in page
    assert "groups/china-india-russia.md" not in files
    assert "[Russia, India and China](ric.md)" in files["groups/index.md"]


def test_the_shipped_countries_file_knows_the_organisations_editors_meet() -> None:
    config = CountriesFile.model_validate(
        yaml.safe_load((REPO / "briefings/countries.yml").read_text(encoding="utf-8")))
    registry = CountryRegistry(config)
    for name, slug in (("G7", "g7"), ("G20", "g20"), ("UN", "united-nations"), ("EU", "european-union"),
                       ("NATO", "nato"), ("BRICS", "brics"), ("SCO", "shanghai-cooperation-organisation"),
                       ("ASEAN", "asean"), ("African Union", "african-union"), ("OPEC", "opec"),
                       ("WTO", "wto"), ("IAEA", "iaea")):
        found = registry.resolve(name).country
        assert found is not None and found.slug == slug and found.actor, name


# -- dates as precise as the article ------------------------------------------

def test_partial_dates_read_as_the_article_gives_them() -> None:
    assert When.parse("2025-11").contains(When.parse("2025-11-14"))
    assert not When.parse("2025-11-14").contains(When.parse("2025-11"))
    assert When.parse("2025").contains(When.parse("2025-02"))
    assert str(When.parse("2025")) == "2025" and When.parse("2024-02").last.day == 29
    files = generate_files({"sources/other.yml": article(
        extract("in-november", date="2025-11"), extract("in-2025", date="2025"))})
    page = files["pairs/china-russia.md"]
    assert "<li>November 2025 · Paraphrase: " in page and "<li>2025 · Paraphrase: " in page
    assert '<h3 id="month-2025">2025, month not given</h3>' in page
    assert "timeline/2025.md" in files and "timeline/2025-11.md" in files
    assert '[month not given](2025.md "2025, month not given") (1)' in files["timeline/index.md"]


def test_a_coarser_date_never_disagrees_with_a_finer_one_inside_it() -> None:
    event = "    event: talks\n"
    files = generate_files({
        "events.yml": "talks: {title: The talks}\n",
        "sources/example.yml": SOURCE,
        "sources/other.yml": article(extract("a", date="2025-11", extra=event)),
        "sources/third.yml": article(extract("b", date="2025-11-14", extra=event)).replace(
            "other.example", "third.example")})
    assert NOTE not in files["events/talks.md"]
    assert "**Date:** 14 November 2025." in files["events/talks.md"]


# -- reported speech ------------------------------------------------------------

def test_reported_speech_is_never_shown_as_the_speakers_words() -> None:
    files = generate_files({"sources/other.yml": article(
        extract("said", kind="quote", text="Xi stressed the need for dialogue.",
                extra="    voice: reported\n    speaker: Xi Jinping\n"),
        extract("own", kind="quote", text="We need dialogue", extra="    speaker: Xi Jinping\n"))})
    page = files["sources/other.md"]
    said = page[page.index('id="said"'):].split("</details>")[0]
    assert ("<strong>Reported speech</strong> · Xi Jinping, as reported by other.example · "
            "14 November 2025") in said
    assert "<p>Xi stressed the need for dialogue.</p>" in said
    own = page[page.index('id="own"'):].split("</details>")[0]
    assert "<strong>Quote</strong> · Xi Jinping · 14 November 2025" in own
    assert "<p>“We need dialogue”</p>" in own
    data = {e["id"]: e for e in json.loads(files["data/briefings.json"])["extracts"]}
    assert (data["said"]["voice"], data["own"]["voice"]) == ("reported", "direct")


# -- languages, translations, other wordings -----------------------------------

ARCHIVED = """\
source:
  title: 中國外交部召見日大使
  publisher: 世界日報
  url: https://example.org/wj
  language: zh-Hant
  archive: archive/wj.txt
extracts:
"""


def test_a_quote_is_verified_in_the_language_of_the_archive() -> None:
    files = generate_files({
        "archive/wj.txt": "孫衛東指，「14億中國人民對此絕不答應！」".encode(),
        "sources/wj.yml": article(
            extract("wj-1", "[China, Japan]", kind="quote",
                    text="1.4 billion Chinese people will never accept this!",
                    extra="    original: 14億中國人民對此絕不答應！\n    translation: editor\n"),
            header=ARCHIVED)})
    block = files["sources/wj.md"]
    block = block[block.index('id="wj-1"'):].split("</details>")[0]
    assert "✓ original verified" in block
    assert ('<p class="extract-original">Original (Chinese, Traditional): <span lang="zh-Hant">'
            "“14億中國人民對此絕不答應！”</span> · the editors' translation</p>") in block
    # The translation is in the site's language, so it carries no lang of its own.
    assert "<p>“1.4 billion Chinese people will never accept this!”</p>" in block
    data = next(e for e in json.loads(files["data/briefings.json"])["extracts"] if e["id"] == "wj-1")
    assert (data["language"], data["original"], data["translation"]) == (
        "zh-Hant", "14億中國人民對此絕不答應！", "editor")


def test_a_quote_whose_original_is_not_in_the_archive_is_an_error_at_the_original() -> None:
    files: dict[str, str | bytes | None] = {
        "archive/wj.txt": "孫衛東指，「14億中國人民對此絕不答應！」".encode(),
        "sources/wj.yml": article(
            extract("wj-1", "[China, Japan]", kind="quote", text="Never!",
                    extra="    original: 十四億人絕不答應\n    translation: editor\n"), header=ARCHIVED)}
    with pytest.raises(BriefingError) as info:
        validate_briefings(to_files(files), "briefings")
    assert ("briefings/sources/wj.yml:14:15: error: quote not found verbatim in the source's archived "
            "text") in info.value.report()


def test_text_in_another_language_carries_its_lang() -> None:
    header = ARCHIVED.replace("  archive: archive/wj.txt\n", "")
    files = generate_files({"sources/wj.yml": article(
        extract("wj-2", "[China, Japan]", kind="quote", text="14億中國人民對此絕不答應"), header=header)})
    assert '<p lang="zh-Hant">“14億中國人民對此絕不答應”</p>' in files["sources/wj.md"]


def test_two_wordings_of_one_remark_are_shown_together() -> None:
    files = generate_files({"sources/other.yml": article(
        extract("cnn-1", "[China, India]", kind="quote", text="both sides to be friends"),
        extract("rediff-1", "[China, India]", kind="quote", text="both to be friends",
                extra="    same_as: cnn-1\n"))})
    page = files["pairs/china-india.md"]
    for one, other in (("cnn-1", "rediff-1"), ("rediff-1", "cnn-1")):
        block = page[page.index(f'id="{one}"'):].split("</details>")[0]
        assert (f'Same remark, other wording: <a href="../../pairs/china-india/#{other}">other.example</a>'
                in block)
    data = {e["id"]: e for e in json.loads(files["data/briefings.json"])["extracts"]}
    assert (data["rediff-1"]["same_as"], data["cnn-1"]["same_as"]) == ("cnn-1", None)


# -- events: what reports it, what reacts to it ---------------------------------

def test_a_reaction_does_not_date_its_event() -> None:
    files = generate_files({
        "events.yml": "advisory: {title: The advisory}\n",
        "sources/other.yml": article(
            extract("advisory-1", date="2025-11-14", extra="    event: advisory\n"),
            extract("protest-1", date="2025-11-15", extra="    event: advisory\n    event_role: reaction\n"),
            extract("context-1", date="2025-11-07",
                    extra="    event: advisory\n    event_role: background\n"))})
    page = files["events/advisory.md"]
    assert NOTE not in page
    assert ("1 source, 3 extracts: 1 reporting it, 1 about reactions to it, 1 giving background.") in page
    assert "Its one reporting source dates it 14 November 2025." in page
    assert 'advisory/">The advisory</a> (reaction) · ' in page
    event = next(e for e in json.loads(files["data/briefings.json"])["events"] if e["slug"] == "advisory")
    assert (event["date"], event["dates"], event["date_disputed"]) == ("2025-11-14", ["2025-11-14"], False)


# -- figures: ranges, approximations, the words of the article -----------------

def _figure(value: str, extra: str = "") -> str:
    return f"    figures:\n      - {{label: Meeting length, value: {value}, unit: minutes{extra}}}\n"


def _meeting_lengths(*values: str) -> dict[str, str]:
    """A data set where each of several outlets gives the meeting's length."""
    files: dict[str, str | bytes | None] = {}
    for i, value in enumerate(values):
        files[f"sources/s{i}.yml"] = article(extract(f"m{i}", extra=_figure(value))).replace(
            "other.example", f"outlet{i}.example")
    return generate_files(files)


def test_overlapping_ranges_and_close_approximations_agree() -> None:
    # 50 lies in 40–55, and within a tenth of "about 52".
    agree = _meeting_lengths("[40, 55]", "50", "52, approx: true")
    assert NOTE not in agree["pairs/china-russia.md"]
    disagree = _meeting_lengths("40", "60, approx: true")
    found = note(disagree["pairs/china-russia.md"])
    assert "Sources disagree · Meeting length (minutes): one outlet: 40; one outlet: about 60." in found


def test_a_figure_is_shown_with_the_articles_words() -> None:
    files = _meeting_lengths('[40, 55], as_written: "40 to 55 minutes"', '90, approx: true, as_written: '
                             '"nearly an hour and a half"')
    page = files["pairs/china-russia.md"]
    assert ('<td data-label="Figure">Meeting length (minutes)</td><td data-label="Value">'
            '<strong class="briefings-disputed">Sources disagree:</strong> '
            "40–55 (“40 to 55 minutes”); about 90 (“nearly an hour and a half”)</td>") in page
    data = {e["id"]: e for e in json.loads(files["data/briefings.json"])["extracts"]}
    assert data["m0"]["figures"][0]["value"] == [40.0, 55.0]
    assert (data["m1"]["figures"][0]["approx"], data["m1"]["figures"][0]["as_written"]) == (
        True, "nearly an hour and a half")


# -- sources: bylines, wires, versions, and how many outlets say what ----------

def test_a_source_page_gives_the_byline_the_wire_and_the_versions() -> None:
    files = generate_files({
        "sources/first.yml": article(extract("v1", date="2026-02-06")),
        "sources/second.yml": article(extract("v2", date="2026-02-07")).replace(
            "  language: en\n", "  language: en\n  revision_of: first\n  via: AP\n")})
    page = files["sources/second.md"]
    for name, value in (("Authors", "Ann Writer, Bo Reporter"), ("Syndicated from", "AP"),
                        ("Updated", "21 November 2025"), ("Language", "English")):
        assert f'<tr><th scope="row">{name}</th><td>{value}</td></tr>' in page
    assert ("Versions of this article, oldest first: [version 1](first.md) · **version 2 (this "
            "page)**.") in page
    source = next(s for s in json.loads(files["data/briefings.json"])["sources"] if s["slug"] == "second")
    assert (source["author"], source["via"], source["revision_of"], source["updated"]) == (
        ["Ann Writer", "Bo Reporter"], "AP", "first", "2025-11-21")


def _call_reported_by(*outlets: tuple[str, str, str]) -> dict[str, str]:
    """The call dated by each (file, publisher and source fields, date)."""
    files: dict[str, str | bytes | None] = {"events.yml": "call: {title: The call}\n"}
    for name, fields, day in outlets:
        files[f"sources/{name}.yml"] = article(
            extract(f"{name}-call", date=day, extra="    event: call\n"),
            header=ARTICLE.replace("publisher: other.example", fields).replace(
                "  published: 2025-11-20\n", ""))
    return generate_files(files)


def test_wire_copies_and_an_articles_versions_count_as_one_outlet() -> None:
    files = _call_reported_by(
        ("bulletin", "publisher: Manila Bulletin\n  via: AP", "2026-02-04"),
        ("arabnews", "publisher: Arab News\n  via: AP", "2026-02-04"),
        ("trt", "publisher: TRT World", "2026-02-04"),
        ("tn-v1", "publisher: third-news.com", "2026-02-06"),
        ("tn-v2", "publisher: third-news.com\n  revision_of: tn-v1", "2026-02-05"),
        ("tn-v3", "publisher: third-news.com\n  revision_of: tn-v2", "2026-02-07"))
    found = note(files["events/call.md"])
    assert ("Sources disagree · The date of The call: 2 independent outlets: 4 February 2026; one outlet: "
            "7 February 2026, in its third version.</summary>") in found
    assert "<li><strong>4 February 2026</strong> (2 independent outlets) — <a " in found
    assert ('<li><strong>6 February 2026</strong> (only in earlier versions) — '
            '<a href="../../sources/tn-v1/">') in found
    assert ("<p>third-news.com gave 6, 5 then 7 February 2026 in successive versions of one "
            "article.</p>") in found
    # The timeline places the call once, at the date most outlets give.
    month = files["timeline/2026-02.md"]
    assert month.count('Event: <a href="../../events/call/">The call</a> · date disputed: 2 ') == 1
    assert "#tn-v3-call" not in month and "#trt-call" not in month
    # Each extract keeps its own date on its source's page.
    assert "7 February 2026" in files["sources/tn-v3.md"]


def test_facts_in_words_that_differ_are_a_disagreement() -> None:
    fact = "    facts:\n      - {{label: Format of the talks, value: {}}}\n"
    files = generate_files({
        "sources/a.yml": article(extract("a1", extra=fact.format("video call"))),
        "sources/b.yml": article(extract("b1", extra=fact.format("Video call"))).replace("other.", "b."),
        "sources/c.yml": article(extract("c1", extra=fact.format("phone call"))).replace("other.", "c.")})
    found = note(files["pairs/china-russia.md"])
    assert ("Sources disagree · Format of the talks: 2 independent outlets: video call; one outlet: "
            "phone call.</summary>") in found
    block = files["sources/a.md"]
    assert '<p class="extract-facts">Format of the talks: <strong>video call</strong></p>' in block
