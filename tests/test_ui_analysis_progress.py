"""The reading screen shows how far the analysis is, and fills each pane as its part lands.

A fake analyzer reports progress in steps, each held until the test lets it go on, so
the test sees every state the screen passes through on a slow article.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from textual.widgets import OptionList

from reader.nlp.analysis import Analysis
from reader.ui.analysis_progress import AnalysisPartial, AnalysisProgress, stage_text
from reader.ui.app import ReaderApp
from tests.conftest import FIXED_NOW, fake_analyze
from tests.ui_helpers import reading, wait_until


class SteppedAnalyzer:
    """fake_analyze, reporting like the engine; step `i` waits for `gates[i]`."""

    def __init__(self, *, fail_after_entities: bool = False) -> None:
        self.gates = [threading.Event() for _ in range(4)]
        self.fail_after_entities = fail_after_entities

    def __call__(self, text: str, *, on_progress: Any = None, on_partial: Any = None) -> Analysis:
        result = fake_analyze(text)
        on_progress("sentences", 0, 1)
        on_progress("sentences", 1, 1)
        on_progress("names", 0, 5)
        self.gates[0].wait(10)
        on_progress("names", 2, 5)
        self.gates[1].wait(10)
        on_progress("names", 5, 5)
        on_partial(Analysis(text, result.sentences, result.entities, []))
        self.gates[2].wait(10)
        if self.fail_after_entities:
            raise RuntimeError("ranking model missing")
        on_progress("key sentences", 0, 1)
        self.gates[3].wait(10)
        on_progress("key sentences", 1, 1)
        return result


def first_prompt(screen: Any, pane: str) -> str:
    return str(screen.query_one(f"#{pane}", OptionList).get_option_at_index(0).prompt)


def prompts(screen: Any, pane: str) -> list[str]:
    options = screen.query_one(f"#{pane}", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def status(screen: Any) -> str:
    return str(screen.query_one("#status").render())


async def test_progress_is_shown_and_each_pane_fills_when_its_part_is_ready(
    seeded_home: Path, barrier_id: str
) -> None:
    analyzer = SteppedAnalyzer()
    app = ReaderApp(seeded_home, open_article=barrier_id, analyzer=analyzer, now=lambda: FIXED_NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        try:
            await wait_until(pilot, lambda: "finding names… 0%" in status(reading(app)))
            screen = reading(app)
            assert first_prompt(screen, "entities") == "Finding names… 0%"
            assert first_prompt(screen, "key-sentences") == "Ranking sentences…"

            analyzer.gates[0].set()
            await wait_until(pilot, lambda: "finding names… 40%" in status(screen))
            assert first_prompt(screen, "entities") == "Finding names… 40%"

            analyzer.gates[1].set()
            await wait_until(pilot, lambda: "Helen Marsh" in " ".join(prompts(screen, "entities")))
            # The names are ready and usable; the key sentences are still being ranked.
            assert first_prompt(screen, "key-sentences") == "Ranking sentences…"
            assert "analysing: ranking sentences…" in status(screen)
            assert len(screen.view.sentences) == len(fake_analyze(screen.text).sentences)
            await pilot.press("1", "down")
            assert screen.view.mentions  # choosing an entity marks its mentions already
            chosen = screen.query_one("#entities", OptionList).highlighted

            analyzer.gates[2].set()
            await wait_until(
                pilot, lambda: first_prompt(screen, "key-sentences") == "Ranking sentences… 0%"
            )
            analyzer.gates[3].set()
            await app.workers.wait_for_complete()
            await pilot.pause()
        finally:
            for gate in analyzer.gates:
                gate.set()
        keys = prompts(screen, "key-sentences")
        assert len(keys) == 3 and keys[0].startswith(" 1. ")
        assert "analysing" not in status(screen)
        # The entities pane was not redrawn under the reader when the rest landed.
        assert screen.query_one("#entities", OptionList).highlighted == chosen
        assert screen.analysis is not None and len(screen.analysis.key_sentences) == 3


async def test_a_failure_after_the_entities_keeps_them(seeded_home: Path, barrier_id: str) -> None:
    analyzer = SteppedAnalyzer(fail_after_entities=True)
    for gate in analyzer.gates:
        gate.set()
    app = ReaderApp(seeded_home, open_article=barrier_id, analyzer=analyzer, now=lambda: FIXED_NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "analysis failed" in status(reading(app)))
        screen = reading(app)
        assert "Helen Marsh" in " ".join(prompts(screen, "entities"))
        assert "failed" in first_prompt(screen, "key-sentences")
        await pilot.press("plus")  # no ranking to cut from: says so, changes nothing
        await pilot.pause()
        assert "failed" in first_prompt(screen, "key-sentences")


async def test_an_analyzer_without_progress_still_works(seeded_home: Path, barrier_id: str) -> None:
    """Plain `text -> Analysis` analyzers (the snapshots' fakes) are called as before."""
    app = ReaderApp(
        seeded_home, open_article=barrier_id, analyzer=fake_analyze, now=lambda: FIXED_NOW
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = reading(app)
        assert len(prompts(screen, "key-sentences")) == 3
        assert "analysing" not in status(screen)


def test_queued_progress_gives_way_to_newer_progress_only() -> None:
    older = AnalysisProgress("names", 1, 5)
    assert older.can_replace(AnalysisProgress("names", 2, 5))
    assert older.can_replace(AnalysisProgress("key sentences", 0, 1))
    partial = AnalysisPartial(fake_analyze("Helen Marsh waved."))
    assert not older.can_replace(partial)
    assert not partial.can_replace(older)


def test_stage_text() -> None:
    assert stage_text("names", 2, 5) == "Finding names… 40%"
    assert stage_text("names", 4, 5) == "Finding names… 80%"
    assert stage_text("key sentences", 0, 1) == "Ranking sentences… 0%"
    assert stage_text("sentences", 1, 1) == "Splitting sentences… 100%"
    assert stage_text("names", 0, 0) == "Finding names… 0%"


class HalvingAnalyzer:
    """Sentences other than the provisional ones: each of those cut in two at a space past
    its middle, returned once `gate` is set."""

    def __init__(self) -> None:
        self.gate = threading.Event()

    def __call__(self, text: str, *, on_progress: Any = None, on_partial: Any = None) -> Analysis:
        from reader.nlp.analysis import Span
        from reader.ui.text import provisional_sentences

        self.gate.wait(10)
        halves = []
        for start, end in provisional_sentences(text):
            cut = text.find(" ", (start + end) // 2, end)
            halves += [Span(start, cut), Span(cut + 1, end)] if cut > 0 else [Span(start, end)]
        return Analysis(text, halves, [], [])


async def test_a_selection_keeps_its_sentences_when_the_analysis_lands_mid_way(
    seeded_home: Path, barrier_id: str
) -> None:
    """Selected by sentence numbers, the selection would slide when the real boundaries
    (twice as many here) replace the provisional ones: it is kept by offset."""
    analyzer = HalvingAnalyzer()
    app = ReaderApp(seeded_home, open_article=barrier_id, analyzer=analyzer, now=lambda: FIXED_NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        try:
            screen = reading(app)
            await pilot.press(*"jjj", "v", *"jj")
            provisional = list(screen.view.sentences)
            first, last = provisional[3], provisional[5]
            analyzer.gate.set()
            await wait_until(pilot, lambda: screen.analysis is not None)
            assert len(screen.view.sentences) > len(provisional)
            assert screen.view.selection is not None
            selected = screen.view.span_of(*screen.view.selection)
            assert selected[0] == first[0]
            await pilot.press("h")
            await pilot.pause()
            [highlight] = screen.highlights
            assert highlight.start == first[0]
            assert last[0] <= highlight.end - 1 < last[1]  # the cursor's sentence, now half
        finally:
            analyzer.gate.set()
