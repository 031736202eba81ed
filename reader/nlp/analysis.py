"""The result of analysing one text, as plain data.

Kept free of NLTK and Textual so the store, the CLI and the UI can read cached
analyses without loading any model. Every offset indexes `Analysis.text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
    text: str
    sentences: list[Span]
    entities: list[Entity]
    key_sentences: list[KeySentence]

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
            "key_sentences": [
                {"sentence": k.sentence, "score": round(k.score, 6)} for k in self.key_sentences
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Analysis:
        return cls(
            text=data["text"],
            sentences=[Span(s["start"], s["end"]) for s in data["sentences"]],
            entities=[
                Entity(
                    name=e["name"],
                    label=e["label"],
                    mentions=[Span(m["start"], m["end"]) for m in e["mentions"]],
                )
                for e in data["entities"]
            ],
            key_sentences=[KeySentence(k["sentence"], k["score"]) for k in data["key_sentences"]],
        )
