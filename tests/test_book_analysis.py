"""A book analysed chapter by chapter gives what one analysis of the whole would say."""

from __future__ import annotations

import gzip
from pathlib import Path

from reader.article import Article
from reader.article.document import DocumentBuilder
from reader.nlp.analyzer import analyze
from reader.nlp.book import (
    chapter_at,
    chapter_bounds,
    chapter_order,
    chapter_prose,
    merge_parts,
    part_of,
)


def book() -> Article:
    builder = DocumentBuilder()
    builder.paragraph("A short preface about Helen Marsh.")
    for number, place in enumerate(("Brackenmouth", "Saltry", "Lisbon"), 1):
        builder.prose("heading", [f"Chapter {number}"], level=1)
        builder.paragraph(
            f"Helen Marsh sailed to {place} in the spring. The harbour master of {place} "
            "met her at the quay. They spoke about the tides for an hour."
        )
        builder.code(f"print('{place} Harbour Trust')", "python")
        builder.paragraph(f"Later Helen Marsh wrote to the council of {place} about boats.")
    return Article.from_builder(builder, title="Tides")


def test_chapters_cover_the_text_and_the_readers_comes_first() -> None:
    assert chapter_bounds([10, 30, 50], 70) == [(0, 30), (30, 50), (50, 70)]
    assert chapter_bounds([], 70) == [(0, 70)]
    assert chapter_order(5, 2) == [2, 3, 4, 0, 1]
    assert chapter_order(3, 9) == [2, 0, 1]
    assert chapter_at([10, 30, 50], 5) == 0 and chapter_at([10, 30, 50], 31) == 1
    assert chapter_prose([(0, 5), (8, 20), (25, 40)], 10, 30, 50) == [(10, 20), (25, 30)]
    assert chapter_prose(None, 10, 30, 50) == [(10, 30)]


def test_the_parts_put_together_match_one_analysis_of_the_book(tmp_path: Path) -> None:
    article = book()
    prose = article.prose_spans()
    starts = [c.start for c in article.table_of_contents()]
    bounds = chapter_bounds(starts, len(article.text))
    parts = {}
    for index in chapter_order(len(bounds), 1):
        parts[index] = part_of(
            analyze, article.text, index, bounds[index], prose=prose, cache_dir=tmp_path
        )
    merged = merge_parts(article.text, parts)
    whole = analyze(article.text, prose=prose)
    assert merged.sentences == whole.sentences
    names = {e.name: e.count for e in merged.entities}
    assert names == {e.name: e.count for e in whole.entities}
    assert names["Helen Marsh"] == 7  # one entity across every chapter
    assert not any("Trust" in name for name in names)  # code is not read, in any chapter
    keys = [merged.sentences[k.sentence] for k in merged.key_sentences]
    assert keys and all(any(s == k for s in whole.sentences) for k in keys)
    assert [k.score for k in [*merged.key_sentences, *merged.more_key_sentences]] == sorted(
        (k.score for k in [*merged.key_sentences, *merged.more_key_sentences]), reverse=True
    )
    # Each chapter's own part knows only its chapter.
    second = parts[2].analysis
    start, end = bounds[2]
    assert second.sentences and all(start <= s.start < end for s in second.sentences)
    assert len(list(tmp_path.glob("*.json.gz"))) == len(bounds)
    # The entries hold the text's hash, not the book once per chapter.
    for entry in tmp_path.iterdir():
        assert "Helen Marsh sailed" not in gzip.decompress(entry.read_bytes()).decode("utf-8")
