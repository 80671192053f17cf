"""What readers get from the first corpus: disagreements, verified quotes, matrix,
timeline, feeds and data files."""

from __future__ import annotations

import csv
import io
import json
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

import pytest
from conftest import REPO, SOURCE, dated_source, to_files

from generator import BriefingError, Limits, generate
from generator.formatting import plural
from generator.validate import validate_briefings

ATOM = {"a": "http://www.w3.org/2005/Atom"}
#: The start of a "sources disagree" note.
NOTE = "<summary>Sources disagree · "


def _text(element: ET.Element, path: str) -> str:
    """The text of the Atom element at ``path``, which must be there."""
    text = element.findtext(path, namespaces=ATOM)
    assert text is not None, path
    return text


def _link(entry: ET.Element, rel: str) -> str:
    """The target of an Atom entry's link of relation ``rel``."""
    link = entry.find(f"a:link[@rel='{rel}']", ATOM)
    assert link is not None, rel
    return link.get("href", "")

#: The namespace of the feeds' entry ids: changing it would change every
#: entry feed readers have seen.
FEED_NAMESPACE = uuid.UUID("6f1c1c52-58e4-4d0e-9a43-2d2c1f7a9b11")


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    output = generate(REPO / "briefings", REPO / "templates", root="briefings")
    return {path: output.text(path) for path in output.files}


def test_pair_page_order(files: dict[str, str]) -> None:
    page = files["pairs/china-russia.md"]
    order = [page.index(marker) for marker in (
        '!!! abstract "Bottom line · ↗ improving"', NOTE,
        "## Key figures", "## Timeline", "## Extracts by theme", "## Sources")]
    assert order == sorted(order)


def test_calls_date_disagreement_is_shown(files: dict[str, str]) -> None:
    for page in ("pairs/china-russia.md", "events/xi-putin-call.md"):
        text = files[page]
        note = text[text.index(NOTE):].split("</details>")[0]
        # Four independent outlets against one article's latest version.
        assert ("February 2026: 4 independent outlets: 4 February 2026; one outlet: "
                "7 February 2026, in its third version.</summary>") in note
        assert "<li><strong>4 February 2026</strong> (4 independent outlets) — <a " in note
        assert ">CGTN (distributed by PR Newswire)</a>" in note
        assert "TRT World" in note.split("<li><strong>7")[0]
        assert ("<li><strong>7 February 2026</strong> (one outlet) — "
                '<a href="../../sources/third-news-xi-calls-putin-trump/">third-news.com</a></li>') in note
        assert ("<li><strong>5 February 2026</strong> (only in earlier versions) — "
                '<a href="../../sources/third-news-earlier-version-feb-5/">third-news.com</a> (an earlier '
                "version)") in note
        assert ("<p>third-news.com gave 6, 5 then 7 February 2026 in successive versions of one "
                "article.</p>") in note
    assert NOTE in files["pairs/china-united-states.md"]
    assert NOTE not in files["pairs/china-uruguay.md"]


def test_a_date_note_names_a_few_sources_a_version_and_links_to_the_event() -> None:
    limits = Limits(note_sources=1)
    output = generate(REPO / "briefings", REPO / "templates", root="briefings", limits=limits)
    files = {path: output.text(path) for path in output.files}
    pair = files["pairs/china-russia.md"]
    note = pair[pair.index(NOTE):].split("</details>")[0]
    assert ("<li><strong>4 February 2026</strong> (4 independent outlets) — "
            '<a href="../../sources/cgtn-same-day-calls/">CGTN (distributed by PR Newswire)</a>; and 3 more '
            "sources</li>") in note
    assert "; and 3 more sources</li>" in note and "TRT World" not in note
    assert ('<p>Every source is listed on the page of <a href="../../events/xi-putin-call/">'
            "Xi Jinping's call with Vladimir Putin, February 2026</a>.</p>") in note
    # The event's own page names them all.
    event = files["events/xi-putin-call.md"]
    assert "TRT World" in event.split("## What each source says")[0]
    assert "more source" not in event


def test_figure_disagreement_is_detected() -> None:
    other = SOURCE.replace("cn-", "zz-").replace("value: 228.1", "value: 230")
    briefing = generate_files({"sources/other.yml": other})
    note = briefing["pairs/china-russia.md"]
    assert ("Sources disagree · China–Russia trade (USD billion, 2025): one outlet: 228.1; one outlet: "
            "230.</summary>") in note
    assert ('<li><strong>228.1</strong> (one outlet) — <a href="../../sources/example/">example.org</a>'
            in note)
    assert '<li><strong>230</strong> (one outlet) — <a href="../../sources/other/">example.org</a>' in note


def test_the_same_label_of_two_pairs_names_two_figures() -> None:
    # "Bilateral trade" of China and Finland is not China and Russia's.
    generic = SOURCE.replace("label: China–Russia trade", "label: Bilateral trade")
    finland = generic.replace("cn-", "fi-").replace("[China, Russia]", "[China, Finland]").replace(
        "value: 228.1", "value: 7.9")
    files = generate_files({"sources/example.yml": generic, "sources/finland.yml": finland})
    assert not [p for p, text in files.items() if "Sources disagree" in text]
    # An extract of several pairs gives its figure for each of them: it
    # disagrees with a report for one pair, and the note is that pair's.
    both = finland.replace("fi-", "zz-").replace(
        "countries: [China, Finland]", "pairs: [[China, Finland], [China, Russia]]")
    files = generate_files({"sources/example.yml": generic, "sources/finland.yml": finland,
                            "sources/both.yml": both})
    assert "Sources disagree · Bilateral trade (USD billion, 2025)" in files["pairs/china-russia.md"]
    assert "Sources disagree" not in files["pairs/china-finland.md"]


def test_a_figure_note_is_shown_once_when_its_extract_also_reports_an_event() -> None:
    # The event's notes include those about its extracts' figures, which the
    # pair's page also notes.
    with_event = SOURCE.replace("    speaker: Xi Jinping\n", "    speaker: Xi Jinping\n    event: call\n")
    other = with_event.replace("cn-", "zz-").replace("value: 228.1", "value: 230")
    files = generate_files({"events.yml": "call: {title: The call}\n", "sources/example.yml": with_event,
                            "sources/other.yml": other})
    for page in ("pairs/china-russia.md", "events/call.md"):
        assert files[page].count("Sources disagree · China–Russia trade (USD billion, 2025)") == 1, page


def test_a_figure_note_is_shown_once_on_an_archive_page_too() -> None:
    limits = Limits(pair_latest=1)
    older = dated_source("aa-", "2025-11-15").replace(
        "    speaker: Xi Jinping\n", "    speaker: Xi Jinping\n    event: call\n")
    other = older.replace("aa-", "bb-").replace("value: 228.1", "value: 230")
    files = generate_files({"events.yml": "call: {title: The call}\n", "sources/aa.yml": older,
                            "sources/bb.yml": other}, limits=limits)
    year = files["pairs/china-russia/2025.md"]
    assert 'id="aa-ru-trade"' in year and 'id="bb-ru-trade"' in year
    assert year.count("Sources disagree · China–Russia trade (USD billion, 2025)") == 1


def generate_files(overrides: dict[str, str | bytes | None], limits: Limits | None = None) -> dict[str, str]:
    from generator import BuildCache, build_site

    cache = BuildCache()
    output = build_site(to_files(overrides), cache.renderer(REPO / "templates", ""), cache=cache,
                        limits=limits)
    return {path: output.text(path) for path in output.files}


def test_primary_quotes_are_verified(files: dict[str, str]) -> None:
    source = files["sources/third-news-xi-calls-putin-trump.md"]
    assert ("<tr><th scope=\"row\">Quotes</th><td>19 of 19 verified verbatim against the archived article "
            "text</td></tr>") in source
    # The article's own sentences, and its words about what Xi, Putin and Trump said.
    assert source.count("✓ verified quote") == 5
    assert source.count("✓ the article's words, verified") == 14
    trt = files["sources/trt-world-xi-putin-trump-calls.md"]
    assert "<th scope=\"row\">Quotes</th><td>1, not verified: no archived text</td>" in trt


def test_a_quote_not_in_the_archive_fails_with_the_closest_passage() -> None:
    archive = b"The minister said trade grew. Exports rose by a third in 2025. Imports fell."
    source = SOURCE.replace("  published: 2026-02-07\n", "  archive: archive/a.txt\n").replace(
        "kind: paraphrase\n    speaker: Xi Jinping\n    text: Trade reached $228.1 billion in 2025.",
        "kind: quote\n    speaker: Xi Jinping\n    text: Exports rose by a half in 2025.")
    with pytest.raises(BriefingError) as info:
        validate_briefings(to_files({"sources/example.yml": source, "archive/a.txt": archive}))
    assert info.value.diagnostics[0].format() == (
        "briefings/sources/example.yml:13:11: error: quote not found verbatim in the source's "
        "archived text\n    hint: closest passage: \"Exports rose by a third in 2025.\"")


def test_quotes_tolerate_quote_styles_whitespace_and_ellipsis() -> None:
    archive = "He said: \u201cWe will talk.\u201d Then he left.\n\nIt\u2019s done.".encode()
    source = SOURCE.replace("  published: 2026-02-07\n", "  archive: archive/a.txt\n").replace(
        "kind: paraphrase\n    speaker: Xi Jinping\n    text: Trade reached $228.1 billion in 2025.",
        "kind: quote\n    speaker: Xi Jinping\n    text: >-\n      \"We will   talk.\" ... It's done.")
    briefings = validate_briefings(to_files({"sources/example.yml": source, "archive/a.txt": archive}))
    assert [e.verified for e in briefings.extracts if e.id == "cn-ru-trade"] == [True]


def test_pair_without_a_summary_opens_with_facts(files: dict[str, str]) -> None:
    page = files["pairs/china-uruguay.md"]
    assert "Bottom line" not in page
    assert "**1 extract** from **1 source**, 7 February 2026. Themes: [Diplomacy]" in page


def test_every_extract_has_a_stable_anchor(files: dict[str, str]) -> None:
    for extract_id in ("cn-ru-trade-2025", "tn-cn-us-taiwan", "trt-trump-excellent"):
        pages = [p for p, text in files.items() if p.startswith("pairs/") and p.endswith(".md")
                 and f'<div class="extract" id="{extract_id}">' in text]
        assert pages, extract_id
        for page in pages:
            assert files[page].count(f'id="{extract_id}"') == 1
    # The address to cite, which the site's guide gives: on the source's page,
    # where an extract stays however its pair's pages are divided.
    source = files["sources/third-news-xi-calls-putin-trump.md"]
    assert '<div class="extract" id="cn-ru-trade-2025">' in source
    about = (REPO / "docs/about.md").read_text()
    assert "`/sources/third-news-xi-calls-putin-trump/#cn-ru-trade-2025`" in about


def test_home_page_lists_each_countrys_pairs_most_covered_first(files: dict[str, str]) -> None:
    home = files["index.md"]
    china = next(line for line in home.splitlines() if line.startswith("- **[China]"))
    assert china.startswith("- **[China](countries/china.md)** (71 extracts): "
                            '[Russia](pairs/china-russia.md "China – Russia") 24 ↗ · '
                            '[United States](pairs/china-united-states.md "China – United States") 21 → · ')
    assert china.endswith(" · [3 more pairs](countries/china.md#pairs)")
    rows = [line for line in home.splitlines() if line.startswith("- **[")]
    assert [r.split("]")[0] for r in rows[:3]] == ["- **[China", "- **[Russia", "- **[United States"]
    assert "[JSON](data/briefings.json)" in home and "[CSV](data/extracts.csv)" in home


def test_timeline_has_month_headings_and_links(files: dict[str, str]) -> None:
    timeline = files["timeline/index.md"]
    assert "## February 2026 {: #month-2026-02 " in timeline
    assert "## January 2026" not in timeline
    assert '<a href="../pairs/china-russia/#tn-separate-calls">China – Russia</a>' in timeline
    # The call, whose date the sources dispute, stands once, at the date most outlets give.
    assert timeline.count('Event: <a href="../events/xi-putin-call/">') == 1
    assert "#cn-ru-trade-2025" not in timeline
    assert "timeline/2026-02.md" in files


def test_feeds_are_valid_atom_newest_first_with_data_dates(files: dict[str, str]) -> None:
    for path in ("feed.xml", "pairs/china-russia/feed.xml"):
        root = ET.fromstring(files[path])
        assert root.tag == "{http://www.w3.org/2005/Atom}feed"
        for child in ("a:id", "a:title", "a:updated", "a:author/a:name"):
            assert root.find(child, ATOM) is not None, (path, child)
        entries = root.findall("a:entry", ATOM)
        assert entries
        updated = [_text(e, "a:updated") for e in entries]
        assert updated == sorted(updated, reverse=True)
        assert root.findtext("a:updated", namespaces=ATOM) == updated[0] == "2026-02-07T00:00:00Z"
        for entry in entries:
            # Stable across builds and versions: the UUID 5 of the extract's id.
            entry_id = entry.findtext("a:id", namespaces=ATOM)
            anchor = _link(entry, "alternate").rsplit("#", 1)[1]
            assert entry_id == f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, anchor)}"
            assert _link(entry, "via").startswith("https://")


def test_an_extract_of_several_pairs_is_titled_and_linked_for_each_pairs_feed() -> None:
    both = SOURCE.replace("    countries: [China, Russia]\n", "    pairs: [[China, Russia], [China, USA]]\n")
    files = generate_files({"sources/example.yml": both})
    for slug, title in (("china-russia", "China – Russia"), ("china-united-states", "China – United States")):
        feed = ET.fromstring(files[f"pairs/{slug}/feed.xml"])
        entries = feed.findall("a:entry", ATOM)
        entry = next(e for e in entries if _link(e, "alternate").endswith("#cn-ru-trade"))
        assert _text(entry, "a:title").startswith(f"{title}: Paraphrase · Xi Jinping"), slug
        assert _link(entry, "alternate") == f"pairs/{slug}/#cn-ru-trade"
        # One entry, whichever feed it is in.
        assert _text(entry, "a:id") == f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, 'cn-ru-trade')}"


def test_data_files_load(files: dict[str, str]) -> None:
    data = json.loads(files["data/briefings.json"])
    assert set(data) == {"countries", "themes", "events", "sources", "pairs", "groups", "extracts"}
    russia = next(c for c in data["countries"] if c["slug"] == "russia")
    assert (russia["iso_alpha2"], russia["iso_alpha3"]) == ("RU", "RUS")
    trade = next(e for e in data["extracts"] if e["id"] == "cn-ru-trade-2025")
    assert trade["figures"] == [{"label": "China–Russia trade", "value": 228.1, "unit": "USD billion",
                                 "period": "2025", "approx": False, "as_written": None}]
    assert (trade["voice"], trade["language"], trade["event_role"]) == ("reported", "en", "reports")
    assert trade["verified_quote"] is True
    call = next(e for e in data["events"] if e["slug"] == "xi-putin-call")
    assert call["dates"] == ["2026-02-04", "2026-02-05", "2026-02-06", "2026-02-07"]
    assert (call["date"], call["date_disputed"], call["sources_disagree"]) == ("2026-02-04", True, True)
    latest = next(s for s in data["sources"] if s["slug"] == "third-news-xi-calls-putin-trump")
    assert latest["revision_of"] == "third-news-earlier-version-feb-5"
    rows = list(csv.DictReader(io.StringIO(files["data/extracts.csv"])))
    # A row per pair, or one for an extract about one country or a group.
    assert len(rows) == sum(max(1, len(e["pairs"])) for e in data["extracts"])
    visits = [r for r in rows if r["id"] == "tn-january-visits"]
    assert sorted(r["pair"] for r in visits) == [
        "canada-china", "china-finland", "china-ireland", "china-south-korea",
        "china-united-kingdom", "china-uruguay"]


def test_large_pairs_keep_older_extracts_on_a_page_per_year() -> None:
    limits = Limits(pair_latest=1)
    older = dated_source("zz-", "2025-11-15")
    files = generate_files({"sources/older.yml": older}, limits=limits)
    pair = files["pairs/china-russia.md"]
    assert ("The latest 1 of 2 extracts are below. Earlier extracts, a page per period:\n{: #earlier }\n\n"
            "- [2025](china-russia/2025.md) (1)\n") in pair
    assert 'id="cn-ru-trade"' in pair and 'id="zz-ru-trade"' not in pair
    year = files["pairs/china-russia/2025.md"]
    assert ("lists [every earlier period](../china-russia.md#earlier).\n"
            "Newer: [the briefing](../china-russia.md).\n") in year
    assert 'id="zz-ru-trade"' in year and 'id="cn-ru-trade"' not in year
    # Links in HTML go up from the page's URL (pairs/china-russia/2025/).
    assert 'Source: <a href="../../../sources/older/#zz-ru-trade" title=' in year
    # Other pages link each extract to the page that shows it in full.
    assert '<a href="../../pairs/china-russia/2025/#zz-ru-trade">' in files["sources/older.md"]
    assert '<a href="../../pairs/china-russia/#cn-ru-trade">' in files["sources/example.md"]


def test_an_archive_page_tables_the_figures_of_its_extracts() -> None:
    limits = Limits(pair_latest=1)
    # The briefing tables the figures of its latest extracts and says the
    # older ones are on the earlier pages: they must be.
    files = generate_files({"sources/older.yml": dated_source("zz-", "2025-11-15")}, limits=limits)
    assert "older ones are on the earlier pages" in files["pairs/china-russia.md"]
    year = files["pairs/china-russia/2025.md"]
    assert ('## Key figures {: #key-figures }\n\n<table class="briefings-figures">\n') in year
    assert ('<tr><td data-label="Figure">China–Russia trade (USD billion)</td>'
            '<td data-label="Value">228.1</td><td data-label="Period">2025</td><td data-label="Sources">'
            '<a href="../../../sources/older/#zz-ru-trade">example.org</a></td></tr>') in year
    assert year.endswith("</tbody>\n</table>\n")


def test_a_busy_year_of_a_pair_gets_a_page_per_month() -> None:
    limits = Limits(pair_latest=1, archive_page=1)
    older = dated_source("zz-", "2025-11-15")
    oldest = dated_source("yy-", "2025-10-01")
    files = generate_files({"sources/older.yml": older, "sources/oldest.yml": oldest}, limits=limits)
    pair = files["pairs/china-russia.md"]
    assert ("- 2025: [November](china-russia/2025-11.md) (1) · "
            "[October](china-russia/2025-10.md) (1)\n") in pair
    assert "Newer: [November 2025](2025-11.md).\n" in files["pairs/china-russia/2025-10.md"]
    assert ("Newer: [the briefing](../china-russia.md) · older: [October 2025](2025-10.md).\n"
            in files["pairs/china-russia/2025-11.md"])
    assert "china-russia/2025.md" not in "".join(files)
    assert 'id="yy-ru-trade"' in files["pairs/china-russia/2025-10.md"]
    assert '<a href="../../pairs/china-russia/2025-11/#zz-ru-trade">' in files["sources/older.md"]


def test_a_year_page_has_a_heading_per_month() -> None:
    limits = Limits(pair_latest=1)
    older = dated_source("zz-", "2025-11-15")
    oldest = dated_source("yy-", "2025-10-01")
    year = generate_files({"sources/older.yml": older, "sources/oldest.yml": oldest}, limits=limits)[
        "pairs/china-russia/2025.md"]
    assert year.index("## November 2025 {: #month-2025-11 }") < year.index('id="zz-ru-trade"')
    assert year.index("## October 2025 {: #month-2025-10 }") < year.index('id="yy-ru-trade"')


@pytest.mark.parametrize(("text", "ending"), [
    # Escapes are never cut in half: the cut falls between words.
    ("a&b " * 60, "a&amp;b…"),
    ("[x] <b> " * 30, "&lt;b&gt; [x]…"),
    # Text without spaces is cut by characters, then escaped.
    ("中国与俄罗斯" * 40, "罗斯中国与…"),
])
def test_shortened_text_ends_cleanly(text: str, ending: str) -> None:
    source = SOURCE.replace('"Taiwan is the most important issue."'[1:-1], json.dumps(text.strip()))
    timeline = generate_files({"sources/example.yml": source})["timeline/2026-02.md"]
    line = next(ln for ln in timeline.splitlines() if "cn-us-security" in ln)
    shown = line.split(": ", 1)[1].rsplit(" (<a ", 1)[0]
    assert shown.endswith(ending) and len(shown) <= 160


def test_a_busy_month_is_split_into_parts_of_bounded_length() -> None:
    limits = Limits(timeline_page=20)
    output = generate(REPO / "briefings", REPO / "templates", root="briefings", limits=limits)
    parts = sorted(p for p in output.files if p.startswith("timeline/2026-02"))
    assert parts == ["timeline/2026-02-part-1.md", "timeline/2026-02-part-2.md", "timeline/2026-02-part-3.md"]
    counts = [output.text(p).split("\n")[2].split(" ")[0] for p in parts]
    # Parts are cut from the oldest extract on, at the end of a day. The 34
    # extracts that report the two calls stand at 4 February, the date most
    # outlets give them, which is more than a part holds and so is itself
    # cut; 4 to 6 February then hold 16, and 7 February the last 8.
    assert counts == ["20", "16", "8"]
    items = [sum(line.startswith("<li><strong>") for line in output.text(p).splitlines()) for p in parts]
    # Each call stands once on a part, not once per extract.
    assert items == [2, 4, 8]
    newest = output.text("timeline/2026-02-part-3.md")
    assert newest.startswith("# 7 February 2026\n")
    assert "February 2026 in 3 parts: **7** · [" in newest
    oldest = output.text("timeline/2026-02-part-1.md")
    assert oldest.startswith("# 4 February 2026\n")
    assert oldest.count("](2026-02-part-") == 2
    # The calendar links a month to its newest part.
    assert '[February](2026-02-part-3.md "February 2026") (44)' in output.text("timeline/index.md")


def test_a_part_of_a_month_holds_whole_days() -> None:
    from generator.group import Month, split_month
    from generator.validate import validate_briefings as validate

    extracts = validate(to_files({}), "briefings").extracts
    assert [e.date.day for e in extracts] == [7, 4]
    month = Month("February 2026", "2026-02", tuple(sorted(extracts * 3, key=lambda e: -e.date.day)))
    # A day is not cut while the part it would fill holds it whole.
    assert [p.title for p in split_month(month, 4)] == ["7 February 2026", "4 February 2026"]
    assert [len(p.extracts) for p in split_month(month, 4)] == [3, 3]
    # A day of more extracts than a part holds is cut: nothing else can be done.
    assert [len(p.extracts) for p in split_month(month, 2)] == [1, 2, 1, 2]


def test_a_busy_month_of_a_pair_archive_is_split() -> None:
    limits = Limits(pair_latest=1, archive_page=1, archive_month=1)
    older = dated_source("zz-", "2025-11-15")
    oldest = dated_source("yy-", "2025-11-01")
    files = generate_files({"sources/older.yml": older, "sources/oldest.yml": oldest}, limits=limits)
    pair = files["pairs/china-russia.md"]
    assert ("- 2025: [15 November](china-russia/2025-11-part-2.md) (1) · "
            "[1 November](china-russia/2025-11-part-1.md) (1)\n") in pair
    assert 'id="yy-ru-trade"' in files["pairs/china-russia/2025-11-part-1.md"]
    assert '<a href="../../pairs/china-russia/2025-11-part-2/#zz-ru-trade">' in files["sources/older.md"]


def test_the_timeline_lists_only_the_latest_extracts() -> None:
    limits = Limits(latest_in_timeline=3)
    output = generate(REPO / "briefings", REPO / "templates", root="briefings", limits=limits)
    timeline = output.text("timeline/index.md")
    assert "Each month has a page of its\nown; the latest 3 extracts are listed below." in timeline
    assert timeline.count("\n<li><strong>") == 3


def test_home_and_theme_pages_list_the_most_covered_pairs() -> None:
    limits = Limits(top_pairs=2)
    output = generate(REPO / "briefings", REPO / "templates", root="briefings", limits=limits)
    home = output.text("index.md")
    table = home[home.index("## Most covered pairs"):home.index("## Themes")]
    assert "The 2 pairs with the most extracts; [all 13 pairs](pairs/index.md)" in table
    assert [line.split("]")[0] for line in table.splitlines() if line.startswith("| [")] == [
        "| [China – Russia", "| [China – United States"]
    theme = output.text("themes/diplomacy.md")
    assert "[all 11](diplomacy/pairs.md) are listed on a page of their own" in theme
    assert theme.count("\n| [") == 2
    everything = output.text("themes/diplomacy/pairs.md")
    assert everything.count("\n| [") == 11
    assert "| [Canada – China](../../pairs/canada-china.md#theme-diplomacy) | 1 |" in everything
    assert "themes/history/pairs.md" not in output.files


def test_data_files_are_written_as_json_and_csv_modules_would() -> None:
    # Each CSV field needs quoting for one reason only: a line break, a
    # quotation mark, a comma.
    tricky = (SOURCE.replace("cn-", "q-").replace("publisher: example.org", 'publisher: "Example, Inc."')
              .replace("text: Trade reached $228.1 billion in 2025.",
                       'text: "=SUM(A1) «ok» tab\\\\slash\\nnew line"')
              .replace("speaker: Xi Jinping", 'speaker: \'Lee "Jr"\'\n    speaker_native: 习近平')
              .replace("value: 228.1", "value: 2.5e-7").replace('period: "2025"', "period: ''"))
    files = generate_files({"sources/tricky.yml": tricky})
    text = files["data/briefings.json"]
    assert text == json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":")) + "\n"
    extract = next(e for e in json.loads(text)["extracts"] if e["id"] == "q-ru-trade")
    assert extract["text"] == "=SUM(A1) «ok» tab\\slash\nnew line"
    assert (extract["speaker"], extract["speaker_native"]) == ('Lee "Jr"', "习近平")
    assert extract["figures"] == [{"label": "China–Russia trade", "value": 2.5e-7, "unit": "USD billion",
                                   "period": None, "approx": False, "as_written": None}]
    table = files["data/extracts.csv"]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(csv.reader(io.StringIO(table)))
    assert table == out.getvalue()
    row = next(r for r in csv.DictReader(io.StringIO(table)) if r["id"] == "q-ru-trade")
    assert row["text"] == "'=SUM(A1) «ok» tab\\slash\nnew line"
    assert (row["speaker"], row["publisher"]) == ('Lee "Jr"', "Example, Inc.")


def test_a_briefing_notes_what_it_shows_and_an_archive_page_what_it_holds() -> None:
    limits = Limits(pair_latest=1)

    def older(prefix: str, day: str) -> str:
        return dated_source(prefix, f"2025-11-{day}").replace(
            "    speaker: Xi Jinping\n", "    speaker: Xi Jinping\n    event: call\n")

    files = generate_files({"events.yml": "call: {title: The call}\n", "sources/aa.yml": older("aa-", "15"),
                            "sources/bb.yml": older("bb-", "16")}, limits=limits)
    pair = files["pairs/china-russia.md"]
    assert "**3 extracts** from **3 sources**" in pair
    # What the page shows of them is said to be the latest.
    assert ". Themes of the latest 1: [Trade](#theme-trade) (1).\n" in pair
    assert "The sources of the latest 1 extract; those on the earlier pages cite their own.\n" in pair
    # The briefing shows only the latest extract: its source, and no note
    # about an event only older extracts report.
    sources = pair[pair.index("## Sources"):]
    assert '"../../sources/example/"' in sources and "sources/aa/" not in sources
    assert "Sources disagree" not in pair and "Events:" not in pair
    year = files["pairs/china-russia/2025.md"]
    note = year[year.index(NOTE):]
    assert "Sources disagree · The date of The call" in note and '"../../../sources/aa/"' in note
    assert note.index("<strong>15 November 2025</strong>") < note.index("<strong>16 November 2025</strong>")


def test_counts_of_a_thousand_or_more_have_a_thousands_separator(tmp_path: Path) -> None:
    from benchmarks.bench import make_corpus

    make_corpus(tmp_path / "data", 1_100)
    output = generate(tmp_path / "data", REPO / "templates")
    count = len(json.loads(output.files["data/briefings.json"])["extracts"])
    assert count >= 1_000
    assert f"**{count:,} extracts**" in output.text("index.md")
    assert (plural(1, "source"), plural(2_202, "pair")) == ("1 source", "2,202 pairs")


def test_month_pages_link_the_months_before_and_after_and_follow_a_new_month() -> None:
    from generator import BuildCache, build_site

    # Rebuilds reuse the pages whose key is unchanged: the months' links must be in their keys.
    cache = BuildCache()
    renderer = cache.renderer(REPO / "templates", "")

    def month(files: Mapping[str, str | bytes | None], slug: str) -> str:
        return build_site(to_files(files), renderer, cache=cache).text(f"timeline/{slug}.md")

    two = {"sources/older.yml": dated_source("zz-", "2025-11-15")}
    assert "\nOlder: [November 2025](2025-11.md).\n" in month(two, "2026-02")
    assert "\nNewer: [February 2026](2026-02.md).\n" in month(two, "2025-11")
    # A rebuild in which a month comes between them changes both their pages.
    three = {**two, "sources/between.yml": dated_source("yy-", "2025-12-01")}
    assert "\nOlder: [December 2025](2025-12.md).\n" in month(three, "2026-02")
    assert ("\nNewer: [February 2026](2026-02.md) · older: [November 2025](2025-11.md).\n"
            in month(three, "2025-12"))
    assert "\nNewer: [December 2025](2025-12.md).\n" in month(three, "2025-11")


def test_month_pages_link_the_next_page_in_time_when_a_month_has_parts() -> None:
    limits = Limits(timeline_page=1)
    files = generate_files({"sources/older.yml": dated_source("zz-", "2025-11-15")}, limits=limits)
    # February 2026 has two extracts, in two parts; November 2025 one.
    assert {"timeline/2026-02-part-1.md", "timeline/2026-02-part-2.md"} <= set(files)
    november = files["timeline/2025-11.md"]
    # Forward in time is the newer month's oldest part, backward the older month's newest.
    assert "\nNewer: [February 2026](2026-02-part-1.md).\n" in november
    for part in ("2026-02-part-1", "2026-02-part-2"):
        assert "\nOlder: [November 2025](2025-11.md).\n" in files[f"timeline/{part}.md"]
