"""Every kind of bad input is reported at path:line:col with an exact message."""

from __future__ import annotations

import pytest
from conftest import COUNTRIES, SOURCE, THEMES, to_files

from generator import BriefingError
from generator.validate import validate_briefings


def report(overrides: dict[str, str | bytes | None]) -> str:
    """The error lines (without the closing count) for the minimal data set with changes."""
    with pytest.raises(BriefingError) as info:
        validate_briefings(to_files(overrides), "briefings")
    return "\n".join(info.value.report().splitlines()[:-1])


def warnings(overrides: dict[str, str | bytes | None]) -> list[str]:
    """The warnings, formatted, for the minimal data set with changes (which has no errors)."""
    return [w.format() for w in validate_briefings(to_files(overrides), "briefings").warnings]


def extract_field(line: str) -> str:
    """The minimal source file, its first extract with one more field."""
    return SOURCE.replace("    speaker: Xi Jinping\n", f"    speaker: Xi Jinping\n    {line}\n")


def source_field(line: str) -> str:
    """The minimal source file, its article with one more field."""
    return SOURCE.replace("  published: 2026-02-07\n", f"  published: 2026-02-07\n  {line}\n")


def with_extract(extra: str) -> str:
    """The minimal source file with one more extract appended."""
    return SOURCE + extra


EXTRACT = """\
  - id: new-one
    date: 2026-02-05
    countries: [China, Russia]
    themes: [trade]
    kind: quote
    text: Some words.
"""

#: The hint given when an extract's id is the anchor of a heading.
HEADING_HINT = ("    hint: choose another id; the pages' headings use briefing, earlier, extracts, "
                "extracts-by-theme, groups, in-groups, key-figures, pairs, sources, themes, timeline, top, "
                "what-each-source-says and the ids starting with month-, theme-, source-")

#: The minimal source file, its first extract reporting the event 'call'.
WITH_EVENT = extract_field("event: call")

CASES: dict[str, tuple[dict[str, str | bytes | None], str]] = {
    "yaml syntax error": (
        {"sources/example.yml": "source:\n  title: [unclosed\n"},
        "briefings/sources/example.yml:3:1: error: a list in brackets, opened at line 2, is not closed, or"
        " its items are not separated by commas\n"
        "    hint: close it with ']' and separate its items with ', '; quote an item that holds a comma or a"
        " bracket",
    ),
    "tab indentation": (
        {"themes.yml": "trade:\n\ttitle: Trade\n"},
        "briefings/themes.yml:2:1: error: tab character in indentation\n"
        "    hint: YAML indents with spaces only; replace the tab with spaces",
    ),
    "duplicate key": (
        {"themes.yml": "trade: {title: Trade, description: a.}\n"
                       "security: {title: S, description: b.}\ntrade: {title: T, description: c.}\n"},
        "briefings/themes.yml:3:1: error: duplicate key 'trade' (first given at line 1)\n"
        "    hint: YAML keeps only the last value; remove one of them",
    ),
    "duplicate id across files": (
        {"sources/other.yml": SOURCE.replace("example.org/article", "example.org/b")},
        "briefings/sources/other.yml:7:9: error: duplicate extract id 'cn-ru-trade'"
        " (first used at briefings/sources/example.yml:7:9)\n"
        "    hint: extract ids must be unique across all files\n"
        "briefings/sources/other.yml:16:9: error: duplicate extract id 'cn-us-security'"
        " (first used at briefings/sources/example.yml:16:9)\n"
        "    hint: extract ids must be unique across all files",
    ),
    "id taken by a heading": (
        {"sources/example.yml": SOURCE.replace("id: cn-ru-trade\n", "id: sources\n")},
        "briefings/sources/example.yml:7:9: error: extract id 'sources' is the anchor of a heading"
        " on the pages that show it\n" + HEADING_HINT,
    ),
    "id with a heading's prefix": (
        {"sources/example.yml": SOURCE.replace("id: cn-ru-trade\n", "id: month-2026-02\n")},
        "briefings/sources/example.yml:7:9: error: extract id 'month-2026-02' is the anchor of a heading"
        " on the pages that show it\n" + HEADING_HINT,
    ),
    "unknown country": (
        {"sources/example.yml": SOURCE.replace("[China, Russia]", "[China, Rusia]")},
        "briefings/sources/example.yml:9:24: error: unknown country 'Rusia'\n"
        "    hint: did you mean 'Russia'?",
    ),
    "unknown theme": (
        {"sources/example.yml": SOURCE.replace("themes: [trade]", "themes: [trad]")},
        "briefings/sources/example.yml:10:14: error: unknown theme 'trad'\n"
        "    hint: did you mean 'trade'?",
    ),
    "missing field": (
        {"sources/example.yml": SOURCE.replace("    text: Taiwan is the most important issue.\n", "")},
        "briefings/sources/example.yml:16:5: error: missing required field 'text'",
    ),
    "list where text is expected": (
        {"sources/example.yml": SOURCE.replace("text: Taiwan is the most important issue.",
                                               "text: [Taiwan, issue]")},
        "briefings/sources/example.yml:21:11: error: 'text' must be text, not a list\n"
        "    hint: put the text on one line or in a '>-' block",
    ),
    "thirteen countries": (
        {"sources/example.yml": SOURCE.replace(
            "[China, Russia]",
            "[China, Russia, Iran, India, Japan, Brazil, Chile, Peru, Cuba, Mali, Chad, Niger, Oman]")},
        "briefings/sources/example.yml:9:16: error: 'countries' names 13 countries: give one to "
        "12\n"
        "    hint: one for a country briefing, two for a pair, three to twelve for a group; a "
        "larger group is better named as an actor in countries.yml (G20, United Nations)",
    ),
    "country twice in a group": (
        {"sources/example.yml": SOURCE.replace("[China, Russia]", "[China, Russia, China]")},
        "briefings/sources/example.yml:9:32: error: China is named twice\n"
        "    hint: name each country of the group once",
    ),
    "no countries": (
        {"sources/example.yml": SOURCE.replace("[China, Russia]", "[]")},
        "briefings/sources/example.yml:9:16: error: 'countries' names 0 countries: give one to "
        "12\n"
        "    hint: one for a country briefing, two for a pair, three to twelve for a group; a "
        "larger group is better named as an actor in countries.yml (G20, United Nations)",
    ),
    "range of three numbers": (
        {"sources/example.yml": SOURCE.replace("value: 228.1", "value: [1, 2, 3]")},
        "briefings/sources/example.yml:15:44: error: 'value': a range is two numbers, lowest "
        "first, e.g. [40, 55]",
    ),
    "range lowest last": (
        {"sources/example.yml": SOURCE.replace("value: 228.1", "value: [55, 40]")},
        "briefings/sources/example.yml:15:44: error: 'value': a range goes from the lowest to "
        "the highest, e.g. [40, 55]",
    ),
    "range of one number twice": (
        {"sources/example.yml": SOURCE.replace("value: 228.1", "value: [40, 40]")},
        "briefings/sources/example.yml:15:44: error: 'value': a range needs two different "
        "numbers; write one number",
    ),
    "voice on a paraphrase": (
        {"sources/example.yml": extract_field("voice: reported")},
        "briefings/sources/example.yml:13:5: error: 'voice' is for quotes, and this extract is a "
        "paraphrase\n"
        "    hint: remove 'voice', or make it 'kind: quote' if the article quotes someone",
    ),
    "voice not a voice": (
        {"sources/example.yml": extract_field("voice: indirect")},
        "briefings/sources/example.yml:13:12: error: 'voice' must be one of direct | reported, "
        "not 'indirect'\n"
        "    hint: did you mean 'direct'?",
    ),
    "original without translation": (
        {"sources/example.yml": extract_field("original: 贸易")},
        "briefings/sources/example.yml:13:5: error: 'original' needs 'translation': who "
        "translated it\n"
        "    hint: add 'translation: source' (the article's translation), 'editor' or 'machine'",
    ),
    "translation without original": (
        {"sources/example.yml": extract_field("translation: editor")},
        "briefings/sources/example.yml:13:5: error: 'translation' without 'original'\n"
        "    hint: give the words in their original language as 'original', or remove "
        "'translation'",
    ),
    "event role without event": (
        {"sources/example.yml": extract_field("event_role: reaction")},
        "briefings/sources/example.yml:13:5: error: 'event_role' without 'event'\n"
        "    hint: name the event in events.yml it is a report of, a reaction to or the "
        "background of",
    ),
    "same as itself": (
        {"sources/example.yml": extract_field("same_as: cn-ru-trade")},
        "briefings/sources/example.yml:13:14: error: an extract cannot be the same as itself\n"
        "    hint: give the id of the other extract with another wording of the remark",
    ),
    "same as an unknown extract": (
        {"sources/example.yml": extract_field("same_as: cn-ru-trad")},
        "briefings/sources/example.yml:13:14: error: 'same_as' names extract 'cn-ru-trad', which "
        "does not exist\n"
        "    hint: give the id of the extract with the other wording of the same remark",
    ),
    "language not a tag": (
        {"sources/example.yml": extract_field("language: Chinese")},
        "briefings/sources/example.yml:13:15: error: 'language': 'Chinese' is not a language "
        "tag; write e.g. 'en', 'ja', 'zh-Hant', 'pt-BR'",
    ),
    "language unknown": (
        {"sources/example.yml": source_field("language: xx")},
        "briefings/sources/example.yml:6:13: error: 'language': 'xx' is not a language tag; "
        "write e.g. 'en', 'ja', 'zh-Hant', 'pt-BR'",
    ),
    "month not in the calendar": (
        {"sources/example.yml": SOURCE.replace("date: 2026-02-07", "date: 2026-13")},
        "briefings/sources/example.yml:8:11: error: 'date': '2026-13' is not a date in the "
        "calendar",
    ),
    "revision of an unknown source": (
        {"sources/example.yml": source_field("revision_of: earlier")},
        "briefings/sources/example.yml:6:16: error: 'revision_of' names source 'earlier', which "
        "does not exist\n"
        "    hint: give the file name, without .yml, of the earlier version",
    ),
    "revisions in a circle": (
        {"sources/example.yml": source_field("revision_of: other"),
         "sources/other.yml": source_field("revision_of: example").replace("cn-", "b-").replace(
             "example.org/article", "example.org/b")},
        "briefings/sources/example.yml:6:16: error: 'revision_of' goes round in a circle back to this "
        "source\n"
        "    hint: each version names the one before it; the first names none\n"
        "briefings/sources/other.yml:6:16: error: 'revision_of' goes round in a circle back to this source\n"
        "    hint: each version names the one before it; the first names none",
    ),
    "group of two": (
        {"groups.yml": "two: {title: Two, countries: [China, Russia]}\n"},
        "briefings/groups.yml:1:30: error: a group has 3 to 12 countries, not 2\n"
        "    hint: two countries make a pair: they need no group",
    ),
    "group with an unknown country": (
        {"groups.yml": "three: {title: Three, countries: [China, Russia, Rusia]}\n"},
        "briefings/groups.yml:1:50: error: unknown country 'Rusia'\n"
        "    hint: use the names extracts use; see countries.yml",
    ),
    "two groups of the same countries": (
        {"groups.yml": "a: {title: A, countries: [China, Russia, Iran]}\n"
                       "b: {title: B, countries: [Iran, China, Russia]}\n"},
        "briefings/groups.yml:2:26: error: group 'b' has the same countries as 'a'\n"
        "    hint: a group of countries has one name; remove one of them",
    ),
    "author not text": (
        {"sources/example.yml": source_field("author: {name: X}")},
        "briefings/sources/example.yml:6:11: error: 'author' must be a name or a list of names, "
        "not a mapping\n"
        "    hint: e.g. 'author: Masuda Khatun' or 'author: [Mari Yamaguchi, Ken Moritsugu]'",
    ),
    "country paired with itself": (
        {"sources/example.yml": SOURCE.replace("[China, USA]", "[USA, United States]")},
        "briefings/sources/example.yml:18:16: error: a country cannot be paired with itself (United States)",
    ),
    "date not in the calendar": (
        {"sources/example.yml": SOURCE.replace("date: 2026-02-04", "date: 2026-02-30")},
        "briefings/sources/example.yml:17:11: error: 'date': '2026-02-30' is not a date in the calendar",
    ),
    "date not YYYY-MM-DD": (
        {"sources/example.yml": SOURCE.replace("date: 2026-02-04", "date: 4 Feb 2026")},
        "briefings/sources/example.yml:17:11: error: 'date': '4 Feb 2026' is not a date in the form"
        " YYYY-MM-DD, YYYY-MM or YYYY",
    ),
    "javascript url": (
        {"sources/example.yml": SOURCE.replace("https://example.org/article", "javascript:alert(1)")},
        "briefings/sources/example.yml:4:8: error: 'url': 'javascript:alert(1)' is not an http(s) URL",
    ),
    "file url": (
        {"sources/example.yml": SOURCE.replace("https://example.org/article", "file:///etc/passwd")},
        "briefings/sources/example.yml:4:8: error: 'url': 'file:///etc/passwd' is not an http(s) URL",
    ),
    "empty text": (
        {"sources/example.yml": SOURCE.replace("text: Taiwan is the most important issue.", 'text: "  "')},
        "briefings/sources/example.yml:21:11: error: 'text' must not be empty",
    ),
    "not utf-8": (
        {"sources/example.yml": SOURCE.encode().replace(b"Taiwan", b"Ta\xefwan")},
        "briefings/sources/example.yml:21:13: error: file is not valid UTF-8 (byte 0xef)\n"
        "    hint: save the file with UTF-8 encoding",
    ),
    "bidi override in text": (
        {"sources/example.yml": SOURCE.replace("Taiwan is", "Taiwan \u202eis")},
        "briefings/sources/example.yml:21:18: error: text contains the bidirectional control U+202E"
        " (RIGHT-TO-LEFT OVERRIDE), which reorders text\n"
        "    hint: delete it; retype the text if it was pasted",
    ),
    "bidi override in a key": (
        {"sources/example.yml": SOURCE.replace("    text: Taiwan", "    te\u202ext: Taiwan")},
        "briefings/sources/example.yml:21:7: error: text contains the bidirectional control U+202E"
        " (RIGHT-TO-LEFT OVERRIDE), which reorders text\n"
        "    hint: delete it; retype the text if it was pasted",
    ),
    "control character in text": (
        {"sources/example.yml": SOURCE.replace("Taiwan is", 'Taiwan\\u0007 is').replace(
            "text: Taiwan", 'text: "Taiwan').replace("issue.\n", 'issue."\n')},
        "briefings/sources/example.yml:21:18: error: text contains the invisible control character U+0007,"
        " written '\\u0007'\n"
        "    hint: delete the escape",
    ),
    "python tag": (
        {"sources/example.yml": SOURCE.replace("text: Taiwan",
                                               "text: !!python/object/apply:os.system Taiwan")},
        "briefings/sources/example.yml:21:11: error: YAML tag '!!python/object/apply:os.system'"
        " is not allowed\n"
        "    hint: remove the tag; write plain values",
    ),
    "anchor and alias": (
        {"sources/example.yml": SOURCE.replace("countries: [China, Russia]", "countries: &p [China, Russia]")
         .replace("countries: [China, USA]", "countries: *p")},
        "briefings/sources/example.yml:9:16: error: YAML anchors and aliases are not allowed\n"
        "    hint: write the value out in full at each place it is needed",
    ),
    "nesting too deep": (
        {"sources/example.yml": SOURCE.replace("themes: [security]", "themes: [[[[[security]]]]]")},
        "briefings/sources/example.yml:19:16: error: nesting is deeper than 6 levels\n"
        "    hint: no briefing file needs lists or mappings nested this deep",
    ),
    "file over the size cap": (
        {"sources/example.yml": SOURCE + "#" + "x" * (2 * 1024 * 1024) + "\n"},
        "briefings/sources/example.yml:1:1: error: file is 2,097,728 bytes, over the limit of 2,097,152\n"
        "    hint: split the source's extracts over several files",
    ),
    "source slugs collide ignoring case": (
        {"sources/Example.yml": SOURCE.replace("cn-", "xx-")},
        "briefings/sources/example.yml:1:1: error: source 'example.yml' and 'Example.yml' both get the"
        " page name 'example'\n"
        "    hint: rename one of them",
    ),
    "country slugs collide": (
        {"countries.yml": COUNTRIES + "  fr: {name: FRANCE!, aliases: []}\n"},
        "briefings/countries.yml:6:14: error: country 'FRANCE!' and 'France' both get the page name"
        " 'france'\n"
        "    hint: rename one of them",
    ),
    "reserved device name": (
        {"sources/con.yml": SOURCE.replace("cn-", "con-")},
        "briefings/sources/con.yml:1:1: error: source 'con.yml' gives the page name 'con', reserved by"
        " Windows\n"
        "    hint: rename it",
    ),
    "empty slug": (
        {"sources/___.yml": SOURCE.replace("cn-", "u-")},
        "briefings/sources/___.yml:1:1: error: source '___.yml' gives an empty page name\n"
        "    hint: rename it",
    ),
    "unknown field": (
        {"sources/example.yml": SOURCE.replace("    speaker: Xi Jinping", "    speker: Xi Jinping")},
        "briefings/sources/example.yml:12:5: error: unknown field 'speker'\n"
        "    hint: did you mean 'speaker'?",
    ),
    "unknown kind": (
        {"sources/example.yml": SOURCE.replace("kind: paraphrase", "kind: paraphrse", 1)},
        "briefings/sources/example.yml:11:11: error: 'kind' must be one of quote | paraphrase | figure |"
        " analysis, not 'paraphrse'\n"
        "    hint: did you mean 'paraphrase'?",
    ),
    "figure value true": (
        {"sources/example.yml": SOURCE.replace("value: 228.1", "value: true")},
        "briefings/sources/example.yml:15:44: error: 'value' must be a number or a range [low, high], not"
        " true/false\n    hint: write digits, e.g. 228.1, or a range, e.g. [40, 55]",
    ),
    "figure value in quotes": (
        {"sources/example.yml": SOURCE.replace("value: 228.1", 'value: "228.1"')},
        "briefings/sources/example.yml:15:44: error: 'value' must be a number or a range [low, high], not"
        " text\n    hint: write digits, e.g. 228.1, or a range, e.g. [40, 55]",
    ),
    # An invalid event entry is reported once, not again at each extract that
    # reports the event (with a hint to pick another event).
    "event entry not a mapping": (
        {"events.yml": "call: The call\n",
         "sources/example.yml": WITH_EVENT},
        "briefings/events.yml:1:7: error: 'call' must be a mapping of fields, not text",
    ),
    "event entry without a title": (
        {"events.yml": "call: {description: The call.}\n",
         "sources/example.yml": WITH_EVENT},
        "briefings/events.yml:1:7: error: missing required field 'title'",
    ),
    # Every country a spelling could mean, not the first of them by name.
    "country that could be either of two": (
        {"sources/example.yml": SOURCE.replace("[China, Russia]", "[China, Korea]")},
        "briefings/sources/example.yml:9:24: error: unknown country 'Korea'\n"
        "    hint: did you mean 'North Korea' or 'South Korea'?",
    ),
    "countries and pairs both": (
        {"sources/example.yml": SOURCE.replace("    countries: [China, USA]\n",
                                               "    countries: [China, USA]\n    pairs: [[China, USA]]\n")},
        "briefings/sources/example.yml:19:5: error: give either 'countries' or 'pairs', not both\n"
        "    hint: 'countries: [A, B]' for one pair, 'pairs: [[A, B], [A, C]]' for several",
    ),
    # Characters no text may hold, at their line and column, raw or escaped.
    "noncharacter escaped in a title": (
        {"sources/example.yml": SOURCE.replace("title: Example article", 'title: "Example \\uFFFE article"')},
        "briefings/sources/example.yml:2:19: error: text contains U+FFFE, which is not a character text may"
        " hold, written '\\uFFFE'\n"
        "    hint: delete the escape",
    ),
    "noncharacter in text": (
        {"sources/example.yml": SOURCE.replace("Taiwan is", "Taiwan \ufdd0is")},
        "briefings/sources/example.yml:21:18: error: text contains U+FDD0, which is not a character text may"
        " hold\n"
        "    hint: delete it; retype the text if it was pasted",
    ),
    "noncharacter beyond the first plane": (
        {"sources/example.yml": SOURCE.replace("Taiwan is", "Taiwan \U0001fffeis")},
        "briefings/sources/example.yml:21:18: error: text contains U+1FFFE, which is not a character text"
        " may hold\n"
        "    hint: delete it; retype the text if it was pasted",
    ),
    "noncharacter in an actor's name": (
        {"countries.yml": COUNTRIES.replace("{name: European Union", '{name: "European\\uFFFF Union"')},
        "briefings/countries.yml:5:35: error: text contains U+FFFF, which is not a character text may hold,"
        " written '\\uFFFF'\n"
        "    hint: delete the escape",
    ),
    "NUL byte": (
        {"sources/example.yml": SOURCE.replace("Taiwan is", "Taiwan\x00 is")},
        "briefings/sources/example.yml:21:17: error: text contains the invisible control character U+0000\n"
        "    hint: delete it; retype the text if it was pasted",
    ),
    "number too large for a float": (
        {"sources/example.yml": SOURCE.replace("value: 228.1", "value: 1e400")},
        "briefings/sources/example.yml:15:44: error: the number 1e400 is too large to be a figure\n"
        "    hint: write it in a larger unit, e.g. 'value: 1.4' with 'unit: USD trillion'",
    ),
    "negative number too large for a float": (
        {"sources/example.yml": SOURCE.replace("value: 228.1", "value: -1e309")},
        "briefings/sources/example.yml:15:44: error: the number -1e309 is too large to be a figure\n"
        "    hint: write it in a larger unit, e.g. 'value: 1.4' with 'unit: USD trillion'",
    ),
    "integer too long to convert": (
        {"sources/example.yml": SOURCE.replace("value: 228.1", "value: " + "9" * 5000)},
        "briefings/sources/example.yml:15:44: error: the number 99999999999999999999999… is too large to be a"
        " figure\n"
        "    hint: write it in a larger unit, e.g. 'value: 1.4' with 'unit: USD trillion'",
    ),
    # YAML syntax errors in an editor's words.
    "list item not lined up": (
        {"sources/example.yml": SOURCE.replace("    kind: paraphrase\n    text: Taiwan",
                                               "    kind: paraphrase\n   text: Taiwan")},
        "briefings/sources/example.yml:21:4: error: a line is not lined up with the lines before it, in the"
        " list that starts at line 7\n"
        "    hint: start every item with '-' at the indentation of the list's first item, and line up each"
        " field with the other fields of its item",
    ),
    "colon in unquoted text": (
        {"sources/example.yml": SOURCE.replace("text: Taiwan is the most important issue.",
                                               "text: Taiwan: the most important issue.")},
        "briefings/sources/example.yml:21:17: error: a ':' followed by a space inside a value\n"
        "    hint: put text that holds ': ' or ' #' in quotes, e.g. text: \"Xi: a new era\"",
    ),
    "quotation mark never closed": (
        {"sources/example.yml": SOURCE.replace("text: Taiwan is", 'text: "Taiwan is')},
        "briefings/sources/example.yml:22:1: error: a quotation mark opened at line 21 is never closed\n"
        "    hint: close the quotation, or write the text without the quotation mark that opens it",
    ),
    "text starting with @": (
        {"sources/example.yml": SOURCE.replace("speaker: Xi Jinping", "speaker: @XiJinping")},
        "briefings/sources/example.yml:12:14: error: a value starts with a character YAML reserves\n"
        "    hint: put the value in quotes: '@' and '`' cannot start unquoted text",
    ),
    # Pages that would replace others.
    "source named index": (
        {"sources/index.yml": SOURCE.replace("cn-", "ix-")},
        "briefings/sources/index.yml:1:1: error: source 'index.yml' gives the page name 'index', which is the"
        " list of its section's pages\n"
        "    hint: rename it",
    ),
    "theme named index": (
        {"themes.yml": THEMES + "index: {title: Index, description: x.}\n",
         "sources/example.yml": SOURCE.replace("themes: [security]", "themes: [index]")},
        "briefings/themes.yml:3:1: error: theme 'index' gives the page name 'index', which is the list of its"
        " section's pages\n"
        "    hint: rename it",
    ),
    "theme with a device name": (
        {"themes.yml": THEMES + "con: {title: Con, description: x.}\n",
         "sources/example.yml": SOURCE.replace("themes: [security]", "themes: [con]")},
        "briefings/themes.yml:3:1: error: theme 'con' gives the page name 'con', reserved by Windows\n"
        "    hint: rename it",
    ),
    "event with a device name": (
        {"events.yml": "nul: {title: Null}\n",
         "sources/example.yml": SOURCE.replace("    speaker: Xi Jinping\n",
                                               "    speaker: Xi Jinping\n    event: nul\n")},
        "briefings/events.yml:1:1: error: event 'nul' gives the page name 'nul', reserved by Windows\n"
        "    hint: rename it",
    ),
    "actor named index": (
        {"countries.yml": COUNTRIES + "  idx: {name: Index}\n"},
        "briefings/countries.yml:6:15: error: country 'Index' gives the page name 'index', which is the list"
        " of its section's pages\n"
        "    hint: rename it",
    ),
    "two pairs with one page name": (
        {"countries.yml": COUNTRIES + "  w: {name: Ab Cd}\n  x: {name: Ef}\n  y: {name: Ab}\n"
                                      "  z: {name: Cd Ef}\n",
         "sources/example.yml": SOURCE.replace("[China, Russia]", "[Ab Cd, Ef]").replace(
             "[China, USA]", "[Ab, Cd Ef]")},
        "briefings/sources/example.yml:16:9: error: pairs 'Ab – Cd Ef' and 'Ab Cd – Ef' both get the page"
        " name 'ab-cd-ef' ('Ab Cd – Ef' is named at briefings/sources/example.yml:7:9)\n"
        "    hint: rename one of the countries or actors in countries.yml",
    ),
    # Nesting that would exhaust the YAML composer's stack, found before it runs.
    "brackets nested thousands deep": (
        {"sources/example.yml": "x: " + "[" * 30_000 + "\n"},
        "briefings/sources/example.yml:1:9: error: nesting is deeper than 6 levels\n"
        "    hint: no briefing file needs lists or mappings nested this deep",
    ),
    "list items nested on one line": (
        {"sources/example.yml": "- " * 100_000},
        "briefings/sources/example.yml:1:13: error: nesting is deeper than 6 levels\n"
        "    hint: no briefing file needs lists or mappings nested this deep",
    ),
    "tag on a key": (
        {"themes.yml": "!!python/object/apply:os.system trade: {title: T, description: d}\n"},
        "briefings/themes.yml:1:1: error: a mapping key must be plain text\n"
        "    hint: remove the tag, anchor or alias before the key",
    ),
    "figure too large to be written as it is": (
        {"sources/example.yml": SOURCE.replace("value: 228.1", "value: 1e308")},
        "briefings/sources/example.yml:15:44: error: 'value': 1e+308 is too large to be a figure; write it"
        " in a larger unit, e.g. 'value: 1.4' with 'unit: USD trillion'",
    ),
    # Positions as an editor counts lines and columns.
    "line separator in text": (
        {"sources/example.yml": SOURCE.replace("speaker: Xi Jinping", "speaker: Xi\u2028Jinping")},
        "briefings/sources/example.yml:12:16: error: text contains U+2028 (LINE SEPARATOR), which YAML reads"
        " as a line break\n"
        "    hint: delete it; retype the text if it was pasted",
    ),
    "lines ended by CR alone": (
        {"sources/example.yml": SOURCE.replace("\n", "\r").replace("Taiwan is", "Taiwan\x07 is")},
        "briefings/sources/example.yml:21:17: error: text contains the invisible control character U+0007\n"
        "    hint: delete it; retype the text if it was pasted",
    ),
    "column after a decomposed accent": (
        {"sources/example.yml": SOURCE.replace("speaker: Xi Jinping", "speaker: Xi Jinpi\u0301ng: x")},
        "briefings/sources/example.yml:12:25: error: a ':' followed by a space inside a value\n"
        "    hint: put text that holds ': ' or ' #' in quotes, e.g. text: \"Xi: a new era\"",
    ),
    # A country's display name is its own.
    "two countries given one name": (
        {"countries.yml": "countries:\n  CD: {name: Congo}\n  CG: {name: Congo}\n"},
        "briefings/countries.yml:2:14: error: 'Congo' already names Congo (CG)",
    ),
    "a country given another's name": (
        {"countries.yml": "countries:\n  US: {name: China}\n"},
        "briefings/countries.yml:2:14: error: 'China' already names China (CN)",
    ),
    "page name too long for a file": (
        {"themes.yml": THEMES + "a" * 300 + ": {title: Long, description: d}\n",
         "sources/example.yml": SOURCE.replace("themes: [security]", "themes: [" + "a" * 300 + "]")},
        f"briefings/themes.yml:3:1: error: theme '{'a' * 300}' gives a page name of 300 characters, over the"
        " limit of 100\n"
        "    hint: rename it",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_error_message(name: str) -> None:
    overrides, expected = CASES[name]
    assert report(overrides) == expected


def test_all_problems_in_all_files_are_reported_at_once() -> None:
    text = report({
        "themes.yml": "trade: {title: Trade, description: a.}\ntrade: {title: T, description: b.}\n",
        "sources/example.yml": SOURCE.replace("[China, Russia]", "[China, Rusia]"),
        "sources/broken.yml": "source: [\n",
    })
    assert [line.split(": error: ")[0] for line in text.splitlines() if ": error: " in line] == [
        "briefings/sources/broken.yml:2:1",
        "briefings/sources/example.yml:9:24",
        "briefings/themes.yml:2:1",
    ]


def test_warnings_do_not_fail_validation() -> None:
    assert warnings({"themes.yml": "trade: {title: Trade, description: a.}\n"
                     "security: {title: S, description: b.}\nculture: {title: C, description: c.}\n"}) == [
        "briefings/themes.yml:3:1: warning: theme 'culture' has no extracts\n"
        "    hint: use it in an extract or remove it"]


def test_source_without_extracts_is_a_warning() -> None:
    assert warnings({"sources/empty.yml": "source: {title: T, publisher: P, url: 'https://e.org/x'}\n"}) == [
        "briefings/sources/empty.yml:1:1: warning: source 'empty' has no extracts\n"
        "    hint: add extracts or remove the file"]


def test_sources_may_sit_in_sub_folders_whose_file_names_are_unique() -> None:
    other = SOURCE.replace("cn-", "zz-").replace("example.org/article", "example.org/b")
    briefings = validate_briefings(to_files({"sources/2025/older.yml": other}), "briefings")
    assert sorted(s.slug for s in briefings.sources) == ["example", "older"]
    assert "zz-ru-trade" in {e.id for e in briefings.extracts}
    # Each source's page is named after its file, wherever the file is.
    assert report({"sources/2025/example.yml": other}) == (
        "briefings/sources/example.yml:1:1: error: source 'example.yml' and '2025/example.yml' both get "
        "the page name 'example'\n"
        "    hint: rename one of them")


def test_a_yaml_file_the_build_does_not_read_is_a_warning() -> None:
    assert warnings({"source-misplaced.yml": SOURCE}) == [
        "briefings/source-misplaced.yml:1:1: warning: file is not read\n"
        "    hint: the data files are themes.yml, countries.yml, events.yml, groups.yml and the files under "
        "sources/ and pairs/, named .yml or .yaml, not hidden"]


def test_an_article_accessed_before_it_was_published_is_a_warning() -> None:
    source = source_field("accessed: 2026-02-06")
    assert warnings({"sources/example.yml": source}) == [
        "briefings/sources/example.yml:6:13: warning: accessed 2026-02-06 is before published 2026-02-07\n"
        "    hint: an article is read on or after the day it is published; check both dates"]


def test_an_extract_dated_after_its_source_appeared_is_a_warning() -> None:
    source = SOURCE.replace("    date: 2026-02-04\n", "    date: 2062-02-04\n")
    assert warnings({"sources/example.yml": source}) == [
        "briefings/sources/example.yml:17:11: warning: extract dated 2062-02-04, after its source was "
        "published (2026-02-07)\n"
        "    hint: an extract's date is when it was said or happened; check the year and the month"]
    # Without a publication date, the day the article was read bounds it.
    source = source.replace("  published: 2026-02-07\n", "  accessed: 2026-03-01\n")
    assert warnings({"sources/example.yml": source}) == [
        "briefings/sources/example.yml:17:11: warning: extract dated 2062-02-04, after its source was "
        "accessed (2026-03-01)\n"
        "    hint: an extract's date is when it was said or happened; check the year and the month"]


def test_pair_files_may_sit_in_sub_folders() -> None:
    briefings = validate_briefings(to_files({"pairs/asia/china-russia.yml": (
        "pair: [China, Russia]\nsummary: Close partners.\n")}), "briefings")
    assert [(n.pair.slug, n.summary) for n in briefings.notes] == [("china-russia", "Close partners.")]


def test_each_extract_is_checked_on_its_own() -> None:
    # A missing text in one extract hides nothing in another, nor a broken
    # article its extracts' countries and themes, nor a wrong kind a duplicate id.
    no_text = SOURCE.replace("    text: Trade reached $228.1 billion in 2025.\n", "")
    assert report({"sources/example.yml": no_text.replace("[China, USA]", "[China, Chna]")}) == (
        "briefings/sources/example.yml:7:5: error: missing required field 'text'\n"
        "briefings/sources/example.yml:17:24: error: unknown country 'Chna'\n"
        "    hint: did you mean 'China'?")
    assert report({"sources/example.yml": SOURCE.replace("  title: Example article\n", "").replace(
        "themes: [security]", "themes: [securty]")}) == (
        "briefings/sources/example.yml:2:3: error: missing required field 'title'\n"
        "briefings/sources/example.yml:18:14: error: unknown theme 'securty'\n"
        "    hint: did you mean 'security'?")
    lines = report({"sources/other.yml": SOURCE.replace("example.org/article", "example.org/b").replace(
        "kind: paraphrase", "kind: parafrase", 1)}).splitlines()
    assert [line.split(": error: ")[1] for line in lines if ": error: " in line] == [
        "duplicate extract id 'cn-ru-trade' (first used at briefings/sources/example.yml:7:9)",
        "'kind' must be one of quote | paraphrase | figure | analysis, not 'parafrase'",
        "duplicate extract id 'cn-us-security' (first used at briefings/sources/example.yml:16:9)"]


def test_text_is_read_in_its_composed_form() -> None:
    # "Türkiye" typed with a combining diaeresis is the country, and a quote
    # with decomposed accents is found in an archive with composed ones.
    source = SOURCE.replace("[China, Russia]", "[China, Tu\u0308rkiye]").replace(
        "  published: 2026-02-07\n", "  archive: archive/a.txt\n").replace(
        "kind: paraphrase\n    text: Taiwan is", "kind: quote\n    text: Taiwan is").replace(
        "most important issue", "most important issue for Erdog\u0306an")
    archive = "He said Taiwan is the most important issue for Erdoğan.".encode()
    briefings = validate_briefings(to_files({"sources/example.yml": source, "archive/a.txt": archive}))
    assert {p.slug for e in briefings.extracts for p in e.pairs} == {"china-turkiye", "china-united-states"}
    assert [e.verified for e in briefings.extracts if e.kind == "quote"] == [True]


def test_a_name_that_passes_for_another_is_a_warning() -> None:
    assert warnings({"countries.yml": COUNTRIES + "  lookalike: {name: \"Russi\u0430\"}\n"}) == [
        "briefings/countries.yml:6:21: warning: 'Russiа' mixes Latin and Cyrillic letters in 'Russiа', so it"
        " looks like another name\n"
        "    hint: retype the name in one script, without invisible characters"]
    assert warnings({"countries.yml": COUNTRIES.replace("[USA,", "[\"US\u200bA\",")}) == [
        "briefings/countries.yml:3:39: warning: 'US\\u200bA' holds the invisible character U+200B, so it"
        " looks like a name without it\n"
        "    hint: retype the name in one script, without invisible characters"]


def test_direction_marks_are_allowed_in_text() -> None:
    # LRM, RLM and ALM set the direction of neutral characters in Arabic and
    # Hebrew quotes; unlike overrides, they do not reorder text.
    text = "Taiwan \u200eis \u200fthe most \u061cimportant issue."
    briefings = validate_briefings(to_files({"sources/example.yml": SOURCE.replace(
        "Taiwan is the most important issue.", text)}))
    assert text in {e.text for e in briefings.extracts}
