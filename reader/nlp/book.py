"""A book analysed chapter by chapter, the reader's chapter first.

A 200,000-word book takes the engine a minute or more in one piece; the reader, opening it
at chapter 12, wants chapter 12's names and key sentences now. So a book with chapters is
analysed one chapter at a time (each chapter is the prose ranges inside it, cached on its
own like any analysis), starting with the chapter the reader is in and going on through
the book, and the parts are put together once all are done. Putting them together costs
one grouping of every name's mentions (cheap next to tagging) and one sort of the key
sentences by their score.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from reader.article.document import chapter_at, chapter_bounds
from reader.nlp.analysis import Analysis, KeySentence, Mention, Prose, Span

__all__ = [
    "ChapterPart",
    "chapter_at",
    "chapter_bounds",
    "chapter_order",
    "chapter_prose",
    "merge_parts",
    "part_of",
]

Analyze = Callable[..., Analysis]
"""`analyze(text, cache_dir, prose=..., on_progress=...)`, reader.nlp.analyzer.analyze."""


@dataclass(frozen=True, slots=True)
class ChapterPart:
    """One chapter's analysis: `index` into the book's chapters, [start, end) of the text."""

    index: int
    start: int
    end: int
    analysis: Analysis


def chapter_order(count: int, first: int) -> list[int]:
    """The reader's chapter, the rest of the book after it, then the chapters before it."""
    first = max(0, min(first, count - 1))
    return [*range(first, count), *range(first)]


def chapter_prose(prose: Prose, start: int, end: int, text_length: int) -> list[tuple[int, int]]:
    """The prose ranges inside [start, end); the whole stretch when all the text is prose."""
    if prose is None:
        return [(start, end)] if start < end else []
    found = []
    for a, b in prose:
        a, b = max(a, start), min(b, end)
        if a < b:
            found.append((a, b))
    return found


def part_of(
    analyze: Analyze,
    text: str,
    index: int,
    bounds: tuple[int, int],
    *,
    prose: Prose,
    cache_dir: Path | None,
) -> ChapterPart:
    start, end = bounds
    spans = chapter_prose(prose, start, end, len(text))
    analysis = analyze(text, cache_dir, prose=spans) if spans else Analysis(text, [], [], [])
    return ChapterPart(index, start, end, analysis)


def merge_parts(text: str, parts: Mapping[int, ChapterPart]) -> Analysis:
    """The whole book's analysis from its chapters' (any subset: those done so far).

    Sentences are the chapters' in text order. Names are grouped again over every mention,
    so "Ishmael" in chapter 1 and "Ishmael" in chapter 90 are one entity. The key-sentence
    ranking is every chapter's, best score first; the default cut is what the engine would
    choose for a text of the whole book's length.
    """
    from reader.nlp.entities import group_entities
    from reader.nlp.keysentences import default_count

    ordered = [parts[i] for i in sorted(parts, key=lambda i: parts[i].start)]
    sentences: list[Span] = []
    ranked: list[tuple[float, int]] = []
    mentions: list[Mention] = []
    for part in ordered:
        analysis = part.analysis
        base = len(sentences)
        sentences.extend(analysis.sentences)
        for key in [*analysis.key_sentences, *analysis.more_key_sentences]:
            ranked.append((key.score, base + key.sentence))
        for entity in analysis.entities:
            mentions.extend(Mention(m.start, m.end, entity.label) for m in entity.mentions)
    mentions.sort(key=lambda m: (m.start, m.end))
    entities = group_entities(text, mentions) if mentions else []
    ranked.sort(key=lambda item: (-item[0], item[1]))
    ranking = [KeySentence(sentence, score) for score, sentence in ranked]
    words = sum(len(text[s.start : s.end].split()) for s in sentences)
    default = min(len(ranking), default_count(len(sentences), words))
    return Analysis(text, sentences, entities, ranking[:default], ranking[default:])
