"""Checking quotes against an archived article, in time linear in its size.

A quote is verified when each of its parts (split at "..." or "…") is in
the archived text, in order. Searching the whole text for every quote
would cost the product of the two sizes, which a file of thousands of
quotes against a large archive turns into minutes; so the archive is
indexed by word once, and a quote is looked for only where its rarest
whole word stands. When a quote is not found, the hint shows the sentence
most like it, chosen the same way among the few sentences that share its
rarest words, and never more than a short window of it.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from .lazy import cached_property

#: The longest passage of an archive a hint shows.
PASSAGE_CHARS = 160
#: Words of a quote whose sentences are candidates for its closest passage,
#: the rarest first, and how many candidates are compared in full.
HINT_WORDS = 24
HINT_CANDIDATES = 6
#: A word standing this often in the archive says little about where a
#: quote is; a quote made only of such words is searched for directly.
COMMON_WORD = 1_000
#: Searches of the whole archive a source file's quotes may take (quotes
#: of one or two words, or of common words only) before the rest are
#: reported instead: each such search reads the whole archive.
DIRECT_SEARCHES = 200
#: Only this much of a quote and of a sentence is compared for a hint.
COMPARED_CHARS = 400
#: The largest archived article read, in bytes: a long article is a few
#: hundred kilobytes of text.
MAX_ARCHIVE_BYTES = 1024 * 1024
#: Quotes of one source file not found that get a closest-passage hint.
HINTS_PER_FILE = 20

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
                         "\u00ab": '"', "\u00bb": '"'})
_SENTENCE_END = re.compile(r"(?<=[.!?]) ")
_ELLIPSIS = re.compile(r"\.\.\.|…")


def normalise_quote(text: str) -> str:
    """Collapse whitespace and unify quotation marks and apostrophes."""
    return " ".join(text.translate(_QUOTES).split())


def quote_parts(text: str) -> list[str]:
    """The parts of a quote that must each be found, in order."""
    return [p for p in (s.strip() for s in _ELLIPSIS.split(normalise_quote(text))) if p]


class TooManySearches(Exception):
    """A source file's quotes would read the whole archive too many times."""


@dataclass
class Budget:
    """What one source file's quotes may still cost: whole-archive searches
    and closest-passage hints."""

    searches: int = DIRECT_SEARCHES
    hints: int = HINTS_PER_FILE


class Archive:
    """An archived article's text (normalised), indexed by word when first searched."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def words(self) -> tuple[list[str], list[int]]:
        """The words of the text, split at its single spaces, and where each starts."""
        words = self.text.split(" ")
        starts, position = [], 0
        for word in words:
            starts.append(position)
            position += len(word) + 1
        return words, starts

    @cached_property
    def where(self) -> dict[str, list[int]]:
        """Each word → the numbers of the words it is, in order."""
        index: dict[str, list[int]] = {}
        for number, word in enumerate(self.words[0]):
            index.setdefault(word, []).append(number)
        return index

    def find(self, part: str, start: int, budget: Budget) -> int:
        """Where ``part`` first stands in the text at or after ``start``, or -1.

        Raises :class:`TooManySearches` when finding it would read the whole
        text once too often.
        """
        words = part.split(" ")
        if len(words) <= 2:
            found = self._find_whole(part, words[0], start)
            if found >= 0:
                return found
        # The first and last words of a part may be pieces of the archive's
        # words; those between are whole words of it wherever the part stands.
        inner = words[1:-1]
        if inner:
            counts = [(len(self.where.get(w, ())), k) for k, w in enumerate(inner, 1)]
            count, k = min(counts)
            if count == 0:
                return -1
            if count <= COMMON_WORD:
                offset = sum(len(w) + 1 for w in words[:k])
                starts = self.words[1]
                for number in self.where[words[k]]:
                    at = starts[number] - offset
                    if at >= start and self.text.startswith(part, at):
                        return at
                return -1
        if budget.searches <= 0:
            raise TooManySearches
        budget.searches -= 1
        return self.text.find(part, start)

    def _find_whole(self, part: str, first: str, start: int) -> int:
        """Where ``part`` stands starting at a whole word, as a quote of one or
        two words mostly does; -1 when it does not (it may start within one)."""
        numbers = self.where.get(first, ())
        starts = self.words[1]
        for number in numbers[:COMMON_WORD]:
            at = starts[number]
            if at >= start and self.text.startswith(part, at):
                return at
        return -1

    @cached_property
    def sentence_starts(self) -> list[int]:
        """The word number each sentence starts at."""
        starts = [0]
        for end in _SENTENCE_END.finditer(self.text):
            starts.append(bisect_right(self.words[1], end.start()))
        return starts

    def closest_passage(self, part: str) -> str:
        """The sentence most like ``part``, at most PASSAGE_CHARS long.

        Only the sentences holding the part's rarest words are compared, so
        the work is bounded whatever the sizes of the archive and the quote.
        """
        words = sorted(set(part.split(" ")), key=lambda w: len(self.where.get(w, ())))
        votes: Counter[int] = Counter()
        for word in words[:HINT_WORDS]:
            numbers = self.where.get(word, ())
            if len(numbers) <= COMMON_WORD:
                votes.update({bisect_right(self.sentence_starts, n) - 1 for n in numbers})
        candidates = [number for number, _ in votes.most_common(HINT_CANDIDATES)] or [0]
        compared = part[:COMPARED_CHARS]
        best = max(candidates, key=lambda number: (
            difflib.SequenceMatcher(None, compared, self.sentence(number, COMPARED_CHARS)).ratio(), -number))
        sentence = self.sentence(best, PASSAGE_CHARS + 1)
        return sentence if len(sentence) <= PASSAGE_CHARS else sentence[: PASSAGE_CHARS - 3] + "..."

    def sentence(self, number: int, most: int) -> str:
        """The first ``most`` characters of sentence ``number``."""
        starts, words = self.sentence_starts, self.words[1]
        begin = words[starts[number]] if starts[number] < len(words) else len(self.text)
        end = (words[starts[number + 1]] - 1 if number + 1 < len(starts) and starts[number + 1] < len(words)
               else len(self.text))
        return self.text[begin:min(end, begin + most)]
