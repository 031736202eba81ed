"""Finding a passage again after its article's text changed.

A note or highlight is kept two ways, as the W3C Web Annotation model does: by position
(start and end offsets, exact while the text is unchanged) and by quote (the passage's own
text with a little context either side: a TextQuoteSelector). When the text changes (a
re-import through a better extractor, a migration that gives an old article its structure
back) the quote finds the passage in the new text the way the Hypothesis client re-anchors:

1. the exact passage, where it occurs; several occurrences are told apart by how much of
   the context matches and by how near each is to where the passage used to be;
2. failing that, the same words, whatever the spacing and punctuation between them (a
   paragraph now split into lines of code, a bullet that became a list item's marker);
3. failing that, nothing: the annotation is kept, marked detached, and shown as such. It
   is never dropped and never pinned to a guess.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["CONTEXT", "TextQuote", "WordMap", "quote_of", "reanchor", "with_tail"]

CONTEXT = 32
"""Characters of context kept either side of a passage (what Hypothesis keeps)."""

_WORD = re.compile(r"\w+")
# A list number opening a line ("2. Note the height"): flat texts wrote it, a list item
# keeps it as its marker instead, so it is not one of the words that are matched.
_LIST_NUMBER = re.compile(r"^[ \t]*\d{1,3}[.)](?=\s)", re.M)


@dataclass(frozen=True, slots=True)
class TextQuote:
    exact: str
    prefix: str
    suffix: str


def quote_of(text: str, start: int, end: int) -> TextQuote:
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    return TextQuote(
        text[start:end], text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]
    )


class WordMap:
    """A text's words in order, with where each starts and ends: found once per text and
    shared by all the passages re-anchored in it (a book's hundreds of notes)."""

    def __init__(self, text: str) -> None:
        self.text = text
        markers = {m.end() - 1 for m in _LIST_NUMBER.finditer(text)}  # each one's "." or ")"
        spans = [
            (m.start(), m.end(), m.group().casefold())
            for m in _WORD.finditer(text)
            if m.end() not in markers
        ]
        self.starts = [s for s, _, _ in spans]
        self.ends = [e for _, e, _ in spans]
        self.words = [w for _, _, w in spans]
        # The words joined by one space, and where each word starts in that string, so a
        # run of words is found with one str.find instead of a scan word by word.
        self.joined = " ".join(self.words)
        self.joined_starts: list[int] = []
        position = 0
        for word in self.words:
            self.joined_starts.append(position)
            position += len(word) + 1

    def words_in(self, start: int, end: int) -> list[str]:
        first = bisect.bisect_right(self.ends, start)
        last = bisect.bisect_left(self.starts, end)
        return self.words[first:last]

    def find_words(self, words: Sequence[str], hint: int) -> tuple[int, int] | None:
        """The occurrence of this run of words nearest the old offset `hint`."""
        if not words:
            return None
        needle = " ".join(words)
        best: tuple[int, int] | None = None
        best_distance = -1
        at = self.joined.find(needle)
        while at != -1:
            index = bisect.bisect_left(self.joined_starts, at)
            last = index + len(words) - 1
            on_word_edges = (
                index < len(self.joined_starts)
                and self.joined_starts[index] == at
                and last < len(self.words)
                and self.words[last] == words[-1]
            )
            if on_word_edges:
                span = (self.starts[index], self.ends[last])
                distance = abs(span[0] - hint)
                if best is None or distance < best_distance:
                    best, best_distance = span, distance
            at = self.joined.find(needle, at + 1)
        return best


def _context_score(text: str, start: int, end: int, quote: TextQuote) -> int:
    """How many characters of context match next to [start, end): closer is better."""
    score = 0
    before = text[max(0, start - len(quote.prefix)) : start]
    for a, b in zip(reversed(before), reversed(quote.prefix), strict=False):
        if a != b:
            break
        score += 1
    after = text[end : end + len(quote.suffix)]
    for a, b in zip(after, quote.suffix, strict=False):
        if a != b:
            break
        score += 1
    return score


def _on_word_edges(text: str, start: int, end: int) -> bool:
    """Not inside a longer word: "tide" is no anchor in "riptide"."""
    inside_before = 0 < start < len(text) and _is_word(text[start - 1]) and _is_word(text[start])
    inside_after = 0 < end < len(text) and _is_word(text[end - 1]) and _is_word(text[end])
    return not (inside_before or inside_after)


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def reanchor(
    text: str, quote: TextQuote, hint: int, words: WordMap | None = None
) -> tuple[int, int] | None:
    """Where `quote` is in `text` now, or None; `hint` is its old start offset."""
    exact = quote.exact
    if not exact.strip():
        return None
    best: tuple[int, int] | None = None
    best_key: tuple[int, int] = (0, 0)
    at = text.find(exact)
    while at != -1:
        if _on_word_edges(text, at, at + len(exact)):
            key = (_context_score(text, at, at + len(exact), quote), -abs(at - hint))
            if best is None or key > best_key:
                best, best_key = (at, at + len(exact)), key
        at = text.find(exact, at + 1)
    if best is not None:
        return best
    if words is None:
        words = WordMap(text)
    span = words.find_words(WordMap(exact).words, hint)
    return None if span is None else with_tail(text, exact, span)


def with_tail(text: str, exact: str, span: tuple[int, int]) -> tuple[int, int]:
    """A span found by its words, with the punctuation that closed the passage ("height."
    rather than "height") where the new text has it too."""
    start, end = span
    tail = exact[len(exact.rstrip("\"'”’)]}.,;:!?…")) :].rstrip()
    if tail and text.startswith(tail, end):
        end += len(tail)
    return start, end
