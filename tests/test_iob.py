"""The shared conlleval reading of IOB tags (tagger, trainer and benchmark all use it)."""

from __future__ import annotations

from reader.nlp.iob import iob_chunks


def test_iob2_chunks() -> None:
    tags = ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC"]
    assert iob_chunks(tags) == [(0, 2, "PER"), (3, 4, "LOC"), (4, 6, "LOC")]


def test_iob1_and_type_changes_start_new_chunks() -> None:
    tags = ["I-ORG", "I-ORG", "I-MISC", "O", "I-PER"]
    assert iob_chunks(tags, offset=5) == [(5, 7, "ORG"), (7, 8, "MISC"), (9, 10, "PER")]


def test_no_entities() -> None:
    assert iob_chunks([]) == [] and iob_chunks(["O", "O"]) == []
