"""Long work shows progress: the engine's callbacks, and `reader add`'s bar on a terminal.

The engine reports its stages as it goes and hands over the entities before the key
sentences are ranked; none of it may change what it finds.
"""

from __future__ import annotations

import io
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from reader import cli
from reader.article import parse_article
from reader.cli import articles as cli_articles
from reader.nlp import analyzer
from reader.nlp.analysis import Analysis, Span
from reader.nlp.analyzer import STEPS, Meter, analyze, analyze_text, call_analyzer, prose_only

SAMPLES = Path(__file__).resolve().parent.parent / "sample_articles"
Call = tuple[str, int, int]


@cache
def sample(name: str) -> str:
    path = SAMPLES / name
    return parse_article(path.read_text(encoding="utf-8"), suffix=path.suffix).text


LONG = "the-lighthouse-keepers-archive.md"  # 8,700 words: hundreds of sentences
SHORT = "the-case-for-slow-reading.md"


@cache
def recorded(text: str) -> tuple[Analysis, list[Call], list[tuple[int, Analysis]]]:
    """The analysis, every progress call, and each partial result with how many progress
    calls came before it (once per text: the tests only read it)."""
    calls: list[Call] = []
    partials: list[tuple[int, Analysis]] = []
    result = analyze_text(
        text,
        on_progress=lambda stage, done, total: calls.append((stage, done, total)),
        on_partial=lambda partial: partials.append((len(calls), partial)),
    )
    return result, calls, partials


@pytest.mark.parametrize("name", [SHORT, LONG])
def test_the_result_is_the_same_with_and_without_callbacks(name: str) -> None:
    text = sample(name)
    with_callbacks, calls, partials = recorded(text)
    assert calls and partials  # the callbacks were really used
    assert with_callbacks.to_dict() == analyze_text(text).to_dict()
    assert with_callbacks == analyze_text(text)


def test_stages_come_in_order_each_from_zero_to_done_at_a_bounded_rate() -> None:
    _, calls, _ = recorded(sample(LONG))
    stages = [stage for stage, _, _ in calls]
    assert list(dict.fromkeys(stages)) == ["sentences", "names", "key sentences"]
    assert stages == sorted(stages, key=["sentences", "names", "key sentences"].index)
    for stage in ("sentences", "names", "key sentences"):
        mine = [(done, total) for s, done, total in calls if s == stage]
        totals = {total for _, total in mine}
        assert len(totals) == 1  # the total is known from the start
        dones = [done for done, _ in mine]
        assert dones[0] == 0 and dones[-1] == totals.pop()
        assert dones == sorted(set(dones))  # forward only, no repeats
        assert len(mine) <= STEPS + 1
    names = [done * 100 // total for s, done, total in calls if s == "names"]
    # Hundreds of sentences: the tagging really moves the bar, step by step.
    assert len(names) > 20 and len(set(names)) == len(names)


def test_entities_come_before_the_key_sentences_are_ranked() -> None:
    result, calls, partials = recorded(sample(LONG))
    assert len(partials) == 1
    before, partial = partials[0]
    assert calls[before - 1][0] == "names" and calls[before - 1][1] == calls[before - 1][2]
    assert calls[before][0] == "key sentences"
    assert partial.sentences == result.sentences
    assert partial.entities == result.entities and partial.entities
    assert partial.key_sentences == [] and partial.more_key_sentences == []
    assert partial.text == result.text


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.iterdir()))
def test_the_metered_tagging_finds_what_the_entities_module_finds(name: str) -> None:
    """The analyzer tags sentence by sentence to move its meter: it must never drift from
    reader.nlp.entities.find_mentions, which the benchmarks score."""
    from reader.nlp.entities import find_mentions
    from reader.nlp.sentences import split_sentences

    prose = prose_only(sample(name))
    sentences = split_sentences(prose)
    metered = analyzer.find_mentions(prose, sentences, Meter(None, "names", 1))
    assert metered == find_mentions(prose, sentences)


def test_texts_without_words_still_finish_every_stage() -> None:
    for text in ("", "   \n\n  ", "!!! ... ???"):
        result, calls, partials = recorded(text)
        assert result == analyze_text(text)
        for stage in ("sentences", "names", "key sentences"):
            last = [c for c in calls if c[0] == stage][-1]
            assert last[1] == last[2]
        assert len(partials) == 1


def test_the_meter_reports_each_whole_step_once_however_many_units() -> None:
    for total in (1, 7, 100, 101, 12_345):
        calls: list[Call] = []
        meter = Meter(lambda *call, seen=calls: seen.append(call), "names", total)
        for done in range(total + 1):
            meter.at(done)
        meter.at(total)  # a repeat of the end says nothing new
        dones = [done for _, done, _ in calls]
        assert dones[0] == 0 and dones[-1] == total
        assert len(dones) == min(total, STEPS) + 1
        assert len({d * STEPS // total for d in dones}) == len(dones)  # one per step


def test_a_cached_analysis_comes_at_once_with_no_progress(tmp_path: Path) -> None:
    text = sample(SHORT)
    calls: list[Call] = []
    first = analyze(text, tmp_path, on_progress=lambda *c: calls.append(c))
    assert calls
    calls.clear()
    partials: list[Analysis] = []
    second = analyze(
        text, tmp_path, on_progress=lambda *c: calls.append(c), on_partial=partials.append
    )
    assert calls == [] and partials == []
    assert second.to_dict() == first.to_dict()
    assert second.more_key_sentences  # the cache keeps the whole ranking


def test_an_injected_analyzer_gets_the_callbacks_only_if_it_takes_them() -> None:
    def plain(text: str) -> Analysis:
        return Analysis(text, [Span(0, len(text))], [], [])

    seen: list[Call] = []

    def reporting(text: str, *, on_progress: Any = None, on_partial: Any = None) -> Analysis:
        on_progress("names", 1, 1)
        return plain(text)

    assert call_analyzer(plain, "Hi.", lambda *c: seen.append(c)).text == "Hi."
    assert seen == []
    assert call_analyzer(reporting, "Hi.", lambda *c: seen.append(c)).text == "Hi."
    assert seen == [("names", 1, 1)]


# ------------------------------------------------------------------ reader add


class FakeTTY(io.StringIO):
    """A terminal as far as isatty() can tell."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def big_clip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clip `add` treats as big (the threshold lowered, so the test stays fast)."""
    monkeypatch.setenv("READER_HOME", str(tmp_path / "home"))
    path = tmp_path / "long-read.txt"
    path.write_text(
        "A long read\n\n" + "The harbour wall held through the night again. " * 200 + "\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(cli_articles, "BIG", path.stat().st_size)
    return path


def test_add_of_a_big_file_shows_progress_on_a_terminal(
    big_clip: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, err = FakeTTY(), FakeTTY()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    assert cli.main(["add", str(big_clip)]) == 0
    assert "Reading long-read.txt" in err.getvalue()
    assert "Saving to the library" in err.getvalue()
    assert "1 added" in out.getvalue() + err.getvalue()


def test_add_of_a_big_file_writes_nothing_extra_when_stderr_is_no_terminal(
    big_clip: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["add", str(big_clip)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines()[-1] == "1 added, 0 already in the library"


def test_add_of_a_small_file_shows_no_bar_even_on_a_terminal(
    big_clip: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_articles, "BIG", big_clip.stat().st_size + 1)
    out, err = FakeTTY(), FakeTTY()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    assert cli.main(["add", str(big_clip)]) == 0
    assert err.getvalue() == ""


def test_add_with_a_bad_input_among_big_ones_changes_nothing_and_says_so_once(
    big_clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    out, err = FakeTTY(), FakeTTY()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    assert cli.main(["add", str(big_clip), str(empty)]) == 2
    assert err.getvalue().count("empty.txt") == 1
    assert err.getvalue().rstrip().endswith("reader: nothing was added")
    assert out.getvalue() == ""
    from reader.store import Library

    with Library.open(tmp_path / "home", read_only=True) as library:
        assert library.articles() == []
