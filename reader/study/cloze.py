"""Which words of a key sentence to blank out, so its review card asks something.

A key sentence has no note of the reader's to reveal, so its card is a cloze: the most
informative piece of the sentence is hidden and recalling it is the question. In order
of preference, the piece is

1. a named entity mentioned inside the sentence: the rarest in the article (fewest
   mentions), then the longest mention — a name that comes up once is what a reader
   forgets, one on every line is no question;
2. else a number (a figure, a date, a percentage), the longest;
3. else the longest of the sentence's rarest content words (by count in the article).

Never the whole sentence: a blank that leaves nothing to read asks nothing. Pure, so the
CLI, the store's tests and the UI get the same blank.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.nlp.analysis import Entity

__all__ = ["BLANK", "choose_blank", "word_counts"]

BLANK = "_____"

_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,:]\d+)*(?:\s?%)?")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_HAS_WORD = re.compile(r"[^\W_]")
_MIN_WORD = 4
# Common words long enough to pass _MIN_WORD that carry no content of the sentence.
_STOPWORDS = frozenset(
    """
    about above after again against also although among another around because been
    before being below between both could does doing down during each either every from
    further have having here hers herself himself however into itself just least less
    like many more most much must near neither never next nothing once only other ours
    ourselves over same should since some such than that their theirs them themselves
    then there these they this those though through thus till together too under until
    upon very were what whatever when where whether which while whom whose will with
    within without would your yours yourself said says
    """.split()  # noqa: SIM905
)


def word_counts(text: str) -> Counter[str]:
    """How often each word occurs in the article (casefolded): the rarity of a word."""
    return Counter(match.group().casefold() for match in _WORD.finditer(text))


def choose_blank(
    text: str,
    start: int,
    end: int,
    entities: Sequence[Entity] = (),
    counts: Callable[[], Counter[str]] | None = None,
) -> tuple[int, int] | None:
    """The [start, end) offsets in `text` to hide from the sentence text[start:end].

    `entities` are the article's (their mentions index `text`); `counts` gives the
    article's word counts, asked for only when no entity or number is found (it costs a
    pass over the whole text). None when the sentence has nothing worth hiding.
    """
    sentence = text[start:end]
    if not sentence.strip():
        return None

    def fits(a: int, b: int) -> bool:
        """Inside the sentence, not blank, and leaving a word of it to read."""
        if not (start <= a < b <= end and text[a:b].strip()):
            return False
        return _HAS_WORD.search(text[start:a]) is not None or (
            _HAS_WORD.search(text[b:end]) is not None
        )

    named = [
        (entity.count, -(m.end - m.start), m.start, m.end)
        for entity in entities
        for m in entity.mentions
        if fits(m.start, m.end)
    ]
    if named:
        _, _, a, b = min(named)
        return a, b
    numbers = [
        (-(m.end() - m.start()), start + m.start(), start + m.end())
        for m in _NUMBER.finditer(sentence)
        if fits(start + m.start(), start + m.end())
    ]
    if numbers:
        _, a, b = min(numbers)
        return a, b
    words = [
        m
        for m in _WORD.finditer(sentence)
        if len(m.group()) >= _MIN_WORD and m.group().casefold() not in _STOPWORDS
    ]
    words = [m for m in words if fits(start + m.start(), start + m.end())]
    if not words:
        return None
    frequency = counts() if counts is not None else word_counts(sentence)
    best = min(
        words, key=lambda m: (frequency.get(m.group().casefold(), 0), -len(m.group()), m.start())
    )
    return start + best.start(), start + best.end()
