"""The bookmark is where the reader read, not where they jumped; "% read" is the furthest
point read; "finished" means read to the end in a plausible time, or said with `F`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reader.store import Library
from reader.ui.screens.library import LibraryScreen
from tests.conftest import barrier_sentences
from tests.ui_helpers import burst, keys_handled, make_app, reading, settle


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def saved(home: Path, article_id: str) -> Any:
    with Library.open(home, read_only=True) as lib:
        return lib.get(article_id)


async def test_jumps_move_the_cursor_not_the_bookmark(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    """The audit's steps: read on, jump away (G, a mention, a passage opened from review or
    search), leave: the saved place is where the reading stopped."""
    sentences = barrier_sentences()
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        await pilot.press(*["j"] * 9)
        assert screen.view.cursor == 9
        await pilot.press("G")  # a jump
        assert screen.view.cursor == len(sentences) - 1
        screen.jump_to(sentences[2][0])  # a summary line or a search hit
        await pilot.pause()
        assert screen.view.cursor == 2
        app.open_reading(barrier_id, sentences[4][0])  # review's `o` on a card here
        await pilot.pause()
        assert screen.view.cursor == 4
        assert screen.bookmark == sentences[9][0]
        assert "here" in str(screen.query_one("#status").render())
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
    record = saved(seeded_home, barrier_id)
    assert record.position == sentences[9][0]
    assert not record.finished


async def test_a_passage_opened_from_outside_is_a_jump_from_the_bookmark(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    sentences = barrier_sentences()
    with Library.open(seeded_home) as lib:
        lib.save_progress(barrier_id, position=sentences[6][0], progress=0.5)
    app = make_app(seeded_home)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, wait_for_workers)
        app.open_reading(barrier_id, sentences[12][0])  # a review card's passage
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        assert screen.view.cursor == 12
        await pilot.press("ctrl+o")
        assert screen.view.cursor == 6
        await pilot.press("escape")
    assert saved(seeded_home, barrier_id).position == sentences[6][0]


async def test_ctrl_o_walks_back_and_apostrophe_toggles(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        await pilot.press("j", "j", "j", "G", "g")
        assert screen.view.cursor == 0
        await pilot.press("ctrl+o")
        assert screen.view.cursor == len(screen.view.sentences) - 1
        await pilot.press("ctrl+o")
        assert screen.view.cursor == 3
        await pilot.press("ctrl+o")  # nothing further back: says so, stays
        assert screen.view.cursor == 3
        await pilot.press("G", "apostrophe")
        assert screen.view.cursor == 3
        await pilot.press("apostrophe")
        assert screen.view.cursor == len(screen.view.sentences) - 1
        await pilot.press("apostrophe")
        assert screen.view.cursor == 3
        # The same keys in one burst land in the same places.
        burst(app, "g", "G", "ctrl+o", "ctrl+o")
        await keys_handled(pilot)
        assert screen.view.cursor == 3
        assert screen.bookmark == screen.view.sentences[3][0]


async def test_going_back_never_lowers_percent_read(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        await pilot.press(*["j"] * 11)
        furthest = screen.furthest
        assert 0.5 < furthest < 1.0
        await pilot.press("g", "j")  # back to the start, and reading there
        assert screen.furthest == furthest
        assert f"{furthest:.0%} read" in str(screen.query_one("#status").render())
        await pilot.press("q")
        await pilot.pause()
        table = app.screen.query_one("#articles")
        row = [str(cell) for cell in table.get_row(barrier_id)]  # type: ignore[attr-defined]
        assert f"{furthest:.0%}" in row
    record = saved(seeded_home, barrier_id)
    assert record.furthest == round(furthest, 6)
    assert record.position == barrier_sentences()[1][0]
    assert record.progress < furthest


async def test_one_G_does_not_finish_an_article_reading_to_the_end_does(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    clock = FakeClock()
    app = make_app(seeded_home, open_article=barrier_id, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        last = len(screen.view.sentences) - 1
        await pilot.press("G", "k", "j")  # at the end at once, in no time
        assert screen.furthest == 1.0
        assert not screen._finished
        await pilot.press("q")
    record = saved(seeded_home, barrier_id)
    assert record.furthest == 1.0 and not record.finished

    app = make_app(seeded_home, open_article=barrier_id, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        await pilot.press("g")
        for _ in range(last):
            clock.now += 4.0  # 115 words in about a minute: reading
            await pilot.press("j")
        assert screen._finished
        assert "finished" in str(screen.query_one("#status").render())
        await pilot.press("q")
    assert saved(seeded_home, barrier_id).finished


async def test_F_marks_finished_and_not_finished(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, wait_for_workers)
        await pilot.press("F")
        assert saved(seeded_home, barrier_id).finished
        await pilot.press("F")
        assert not saved(seeded_home, barrier_id).finished
        await pilot.press("F", "q")
    assert saved(seeded_home, barrier_id).finished


async def test_paging_fast_leaves_the_reading_pace_alone(home: Path, wait_for_workers: Any) -> None:
    from tests.conftest import make_article

    with Library.open(home) as lib:
        aid = lib.add_article(make_article("A long report", 6000, source="Wire")).article.id
        lib.set_setting("wpm", 230.0)
    clock = FakeClock()
    app = make_app(home, open_article=aid, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, wait_for_workers)
        for _ in range(40):
            clock.now += 1.5  # a page a second and a half: skimming
            await pilot.press("space")
        await pilot.press("q")
    with Library.open(home, read_only=True) as lib:
        assert lib.get_setting("wpm", 0.0) == 230.0


async def test_reopening_restores_the_screen_not_only_the_sentence(
    home: Path, wait_for_workers: Any
) -> None:
    from tests.conftest import make_article

    with Library.open(home) as lib:
        aid = lib.add_article(make_article("A long report", 3000, source="Wire")).article.id
    app = make_app(home, open_article=aid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        await pilot.press("space", "space", "space", "j", "j", "j", "j", "j")
        await pilot.pause()
        top = screen.view.scroll_offset.y
        cursor = screen.view.cursor_span
        anchor = screen.view.view_anchor()
        assert top > 0 and anchor > 0
        await pilot.press("G", "q")  # a jump before leaving changes nothing of this
        await pilot.pause()
    assert saved(home, aid).anchor == anchor
    app = make_app(home, open_article=aid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        assert screen.view.cursor_span == cursor
        assert screen.view.scroll_offset.y == top
