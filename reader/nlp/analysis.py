"""The result of analysing one text, as plain data.

Kept free of NLTK and Textual so the store, the CLI and the UI can read cached
analyses without loading any model. Every offset indexes `Analysis.text`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeGuard

LABELS = ("PERSON", "ORG", "PLACE", "MISC")


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range [start, end) into the analysed text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of a named entity in the text."""

    start: int
    end: int
    label: str


@dataclass(slots=True)
class Entity:
    """Mentions grouped as one referent, shown by its longest name."""

    name: str
    label: str
    mentions: list[Span] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.mentions)


@dataclass(frozen=True, slots=True)
class KeySentence:
    """A sentence chosen as key, by index into `Analysis.sentences`."""

    sentence: int
    score: float


@dataclass(slots=True)
class Analysis:
    """`key_sentences` is the default cut of the ranking; `more_key_sentences` continues it.

    Keeping the whole ranking lets the reader ask for more or fewer key sentences without
    another analysis: every cut of the greedy pick is the pick that size would have made.
    """

    text: str
    sentences: list[Span]
    entities: list[Entity]
    key_sentences: list[KeySentence]
    more_key_sentences: list[KeySentence] = field(default_factory=list)

    def top_key_sentences(self, count: int | None) -> list[KeySentence]:
        """The best `count` of the ranking (fewer when it is shorter); None: the default cut."""
        if count is None:
            return list(self.key_sentences)
        return [*self.key_sentences, *self.more_key_sentences][: max(0, count)]

    @property
    def ranked(self) -> int:
        """How many key sentences can be asked for: the length of the whole ranking."""
        return len(self.key_sentences) + len(self.more_key_sentences)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "sentences": [{"start": s.start, "end": s.end} for s in self.sentences],
            "entities": [
                {
                    "name": e.name,
                    "label": e.label,
                    "count": e.count,
                    "mentions": [{"start": m.start, "end": m.end} for m in e.mentions],
                }
                for e in self.entities
            ],
            "key_sentences": _keys_json(self.key_sentences),
            "more_key_sentences": _keys_json(self.more_key_sentences),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Analysis:
        """The inverse of `to_dict`; ValueError for anything else.

        Cached analyses are files on the reader's disk: a damaged or hand-edited one must
        be recomputed, not shown with offsets that point outside the text.
        """
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise ValueError("an analysis needs its text")
        text: str = data["text"]
        limit = len(text)
        sentences = [_span(s, limit) for s in _items(data, "sentences")]
        entities = []
        for e in _items(data, "entities"):
            name, label = e.get("name"), e.get("label")
            if not isinstance(name, str) or label not in LABELS:
                raise ValueError("an entity needs a name and a known label")
            mentions = [_span(m, limit) for m in _items(e, "mentions")]
            entities.append(Entity(name=name, label=label, mentions=mentions))
        keys = _keys(data, "key_sentences", len(sentences))
        more = []
        if "more_key_sentences" in data:
            more = _keys(data, "more_key_sentences", len(sentences))
        return cls(text, sentences, entities, keys, more)


Prose = Sequence[tuple[int, int]] | None
"""The ranges of a text that are prose (its headings, paragraphs, quotes, list items and
captions); None: all of it. Code, tables and section breaks lie outside them, so no
sentence, name or key sentence comes from them."""

ProgressCallback = Callable[[str, int, int], None]
"""`on_progress(stage, done, total)`: `done` of `total` units of `stage` are finished.

The stages, in order: "sentences", "names", "key sentences" (see reader.nlp.analyzer).
"""
PartialCallback = Callable[[Analysis], None]
"""`on_partial(analysis)`: sentences and entities are final, key sentences not yet found."""


def _keys_json(keys: list[KeySentence]) -> list[dict[str, Any]]:
    return [{"sentence": k.sentence, "score": round(k.score, 6)} for k in keys]


def _keys(data: dict[str, Any], key: str, sentences: int) -> list[KeySentence]:
    keys = []
    for k in _items(data, key):
        index, score = k.get("sentence"), k.get("score")
        if not _is_int(index) or not 0 <= index < sentences:
            raise ValueError("a key sentence must name one of the sentences")
        if not isinstance(score, int | float) or not math.isfinite(score):
            raise ValueError("a key sentence's score must be a number")
        keys.append(KeySentence(index, float(score)))
    return keys


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _items(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ValueError(f"an analysis's {key} must be a list of objects")
    return value


def _span(item: dict[str, Any], limit: int) -> Span:
    start, end = item.get("start"), item.get("end")
    if not (_is_int(start) and _is_int(end) and 0 <= start <= end <= limit):
        raise ValueError("a span must lie inside the text")
    return Span(start, end)
