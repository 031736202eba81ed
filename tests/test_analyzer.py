"""The analysis pipeline's cache: a reopened text costs a file read, a retrained model misses."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from reader.nlp import analyzer
from reader.nlp.analysis import Analysis, Span

TEXT = "Ada Lovelace wrote the first program. Charles Babbage built the engine."


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def fake(text: str, **callbacks: object) -> Analysis:
        calls.append(text)
        return Analysis(text, [Span(0, len(text))], [], [])

    monkeypatch.setattr(analyzer, "analyze_text", fake)
    return calls


def test_second_analysis_of_a_text_is_read_from_the_cache(tmp_path: Path, counted) -> None:
    first = analyzer.analyze(TEXT, tmp_path)
    second = analyzer.analyze(TEXT, tmp_path)
    assert counted == [TEXT]
    assert second.to_dict() == first.to_dict()
    assert len(list(tmp_path.glob("*.json.gz"))) == 1


def test_damaged_cache_entry_is_recomputed(tmp_path: Path, counted) -> None:
    analyzer.analyze(TEXT, tmp_path)
    (entry,) = tmp_path.glob("*.json.gz")
    entry.write_bytes(gzip.compress(b"{broken"))
    assert analyzer.analyze(TEXT, tmp_path).text == TEXT
    assert counted == [TEXT, TEXT]


def test_version_follows_the_model_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    models = tmp_path / "models"
    models.mkdir()
    (models / "ner.crfsuite.xz").write_bytes(b"old weights")
    monkeypatch.setattr(analyzer, "MODELS_DIR", models)
    analyzer.analyzer_version.cache_clear()
    try:
        before = analyzer.analyzer_version()
        (models / "ner.crfsuite.xz").write_bytes(b"retrained weights")
        analyzer.analyzer_version.cache_clear()
        assert analyzer.analyzer_version() != before
    finally:
        analyzer.analyzer_version.cache_clear()


def test_real_pipeline_offsets_index_the_text() -> None:
    result = analyzer.analyze_text(TEXT)
    assert [TEXT[s.start : s.end] for s in result.sentences] == [
        "Ada Lovelace wrote the first program.",
        "Charles Babbage built the engine.",
    ]
    people = {e.name for e in result.entities if e.label == "PERSON"}
    assert {"Ada Lovelace", "Charles Babbage"} <= people
