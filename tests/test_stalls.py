"""Inputs built to stall the build finish in time linear in their size."""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable

import pytest
from conftest import SOURCE, THEMES, to_files

from generator import BriefingError
from generator.quotes import DIRECT_SEARCHES, HINTS_PER_FILE, PASSAGE_CHARS
from generator.validate import validate_briefings

WORDS = ("trade", "talks", "summit", "border", "minister", "treaty", "exports", "energy", "navy", "grain",
         "tariffs", "delegation", "forum", "pipeline", "sanctions", "cooperation", "security", "agreement",
         "visit", "investment")


def seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    with contextlib.suppress(BriefingError):
        action()
    return time.perf_counter() - started


def article(sentences: int, seed: int = 1, words: tuple[str, ...] = ()) -> str:
    """An archived article of ``sentences`` sentences of ten words: from
    ``words``, or from a vocabulary as large as a long article's."""
    chance = random.Random(seed)
    vocabulary = words or tuple("".join(chance.choice("abcdefghijklmnoprstuvwy") for _ in range(7))
                                for _ in range(8_000))
    return " ".join(" ".join(chance.choice(vocabulary) for _ in range(10)).capitalize() + "."
                    for _ in range(sentences))


def quotes_file(count: int, text: Callable[[int], str]) -> str:
    """A source file with ``count`` quotes checked against archive/a.txt."""
    head = SOURCE.split("extracts:\n")[0].replace("  published: 2026-02-07\n", "  archive: archive/a.txt\n")
    return head + "extracts:\n" + "".join(
        f"  - id: q{i}\n    date: 2026-02-01\n    countries: [China, Russia]\n    themes: [trade]\n"
        f"    kind: quote\n    text: \"{text(i)}\"\n" for i in range(count))


def test_duplicate_keys_are_found_in_linear_time() -> None:
    themes = THEMES + "".join(f"trade: {{title: T{i}, description: d.}}\n" for i in range(20_000))
    assert seconds(lambda: validate_briefings(to_files({"themes.yml": themes}))) < 5


def test_quotes_not_found_in_a_large_archive_stop_giving_hints() -> None:
    archive = article(12_000)  # about 1 MB
    source = quotes_file(300, lambda i: f"Words nobody wrote number {i} in any article at all")
    files = to_files({"sources/example.yml": source, "archive/a.txt": archive.encode()})
    with pytest.raises(BriefingError) as info:
        validate_briefings(files)
    hints = [d.hint for d in info.value.diagnostics if d.message.startswith("quote not found")]
    assert len(hints) == 300
    assert sum(h.startswith("closest passage") for h in hints) == HINTS_PER_FILE
    assert all(len(h) <= len('closest passage: ""') + PASSAGE_CHARS for h in hints)
    assert seconds(lambda: validate_briefings(files)) < 5


def test_many_quotes_found_in_a_large_archive_take_linear_time() -> None:
    archive = article(12_000)
    sentences = archive.split(". ")
    source = quotes_file(5_000, lambda i: sentences[(i * 7) % len(sentences)].rstrip("."))
    files = to_files({"sources/example.yml": source, "archive/a.txt": archive.encode()})
    briefings = validate_briefings(files)
    assert sum(e.verified for e in briefings.extracts) == 5_000
    assert seconds(lambda: validate_briefings(files)) < 5


def test_quotes_of_common_or_few_words_are_searched_a_bounded_number_of_times() -> None:
    # Twenty words, each standing thousands of times: a quote's words say
    # little about where it is.
    archive = article(12_000, words=WORDS)
    source = quotes_file(DIRECT_SEARCHES + 500, lambda i: f"trade {i}")
    files = to_files({"sources/example.yml": source, "archive/a.txt": archive.encode()})
    assert seconds(lambda: validate_briefings(files)) < 10
    with pytest.raises(BriefingError) as info:
        validate_briefings(files)
    messages = {d.message for d in info.value.diagnostics}
    assert "quote not checked: this file's quotes search the archived text too many times" in messages


def test_did_you_mean_hints_are_bounded_per_run() -> None:
    # Each hint compares a word with every choice: thousands of unknown
    # themes against thousands of themes, or of missing archives against
    # thousands of files, would take the product of the two.
    themes = THEMES + "".join(f"theme-{i}: {{title: T{i}, description: d.}}\n" for i in range(3_000))
    unknown = ", ".join(f"them-{i}" for i in range(3_000))
    source = SOURCE.replace("themes: [security]", f"themes: [{unknown}]")
    files = to_files({"themes.yml": themes, "sources/example.yml": source,
                      **{f"sources/s{i}.yml": SOURCE.replace("cn-", f"s{i}-").replace(
                          "  published:", f"  archive: archive/missing-{i}.txt\n  published:")
                         for i in range(1_000)},
                      **{f"archive/other-{i}.txt": b"x" for i in range(1_000)}})
    assert seconds(lambda: validate_briefings(files)) < 10
    with pytest.raises(BriefingError) as info:
        validate_briefings(files)
    hints = [d.hint for d in info.value.diagnostics
             if d.message.startswith(("unknown theme", "archive file"))]
    assert len(hints) == 4_000
    assert sum(h.startswith("did you mean") for h in hints) <= 200


def test_a_long_chain_of_versions_and_many_ranges_are_read_in_linear_time() -> None:
    import time

    from generator.errors import Location
    from generator.models import Extract, Source
    from generator.search import cjk_tokens
    from generator.weigh import Given, Outlets, chains, weigh
    from generator.when import When

    def source(i: int) -> Source:
        return Source(f"s{i}", "t", f"p{i}", "https://x.example", None, None, "", "", "",
                      revision_of=f"s{i - 1}" if i else "")

    sources = [source(i) for i in reversed(range(20_000))]
    start = time.perf_counter()
    walked = chains({s.slug: s for s in sources})
    Outlets.of(sources)
    assert walked["s19999"] == ("s0", 19_999)
    extract = Extract("x", When(2025), (), (), "figure", "t", sources[0], Location("x"))
    given = [Given(float(i), float(i) + 0.5, str(i), extract) for i in range(20_000)]
    assert weigh(given, Outlets({}, {}), lambda extracts: ()) is not None
    assert cjk_tokens("1" * 200_000) == []
    assert time.perf_counter() - start < 5
