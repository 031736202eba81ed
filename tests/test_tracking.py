"""The reading pace and the finished rule (reader.ui.tracking), and the jump list."""

from __future__ import annotations

import pytest

from reader.ui.jump_list import LIMIT, JumpList
from reader.ui.tracking import (
    MAX_SESSION_CHANGE,
    ReadingTracker,
    read_through,
    weighted_median,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def read(tracker: ReadingTracker, clock: FakeClock, moves: int, words: int, seconds: float) -> None:
    for _ in range(moves):
        clock.now += seconds
        tracker.moved(words)


def test_fast_paging_is_skimming_and_leaves_the_pace_alone() -> None:
    """The audit: paging fast took the pace from 230 to 426 wpm, saved for good."""
    clock = FakeClock()
    tracker = ReadingTracker(230.0, clock)
    read(tracker, clock, 60, 300, 30.0)  # a 300-word page every 30 s: 600 wpm
    assert tracker.measured_wpm() is None
    assert tracker.updated_wpm() == 230.0


def test_a_few_odd_moves_do_not_drag_the_median() -> None:
    clock = FakeClock()
    tracker = ReadingTracker(230.0, clock)
    read(tracker, clock, 30, 25, 6.0)  # 250 wpm, steadily
    read(tracker, clock, 5, 25, 100.0)  # five long stares at one sentence
    read(tracker, clock, 5, 80, 9.0)  # five quick, still plausible, moves (533 wpm)
    assert tracker.measured_wpm() == pytest.approx(250.0)


def test_one_session_moves_the_pace_a_little_never_halves_it() -> None:
    clock = FakeClock()
    tracker = ReadingTracker(230.0, clock)
    read(tracker, clock, 100, 20, 2.5)  # 480 wpm, sustained: under the skim threshold
    assert tracker.measured_wpm() == pytest.approx(480.0)
    assert tracker.updated_wpm() == pytest.approx(230.0 * (1 + MAX_SESSION_CHANGE))
    slow = ReadingTracker(230.0, clock)
    read(slow, clock, 100, 5, 6.0)  # 50 wpm
    assert slow.updated_wpm() == pytest.approx(230.0 * (1 - MAX_SESSION_CHANGE))


def test_a_jump_does_not_count_the_words_jumped_over() -> None:
    clock = FakeClock()
    tracker = ReadingTracker(230.0, clock)
    clock.now += 30.0
    tracker.jumped()
    clock.now += 6.0
    tracker.moved(25)  # the gap since the jump, not since the start
    assert tracker.peek_seconds() == pytest.approx(36.0)
    assert tracker.take_seconds() == pytest.approx(36.0)
    assert tracker.peek_seconds() == 0.0


def test_weighted_median() -> None:
    assert weighted_median([(100.0, 1.0), (300.0, 1.0), (200.0, 1.0)]) == 200.0
    assert weighted_median([(100.0, 10.0), (900.0, 1.0)]) == 100.0


def test_finished_needs_the_end_and_the_time_its_length_takes() -> None:
    # 50,000 words at 230 wpm need 217 minutes; one `G` after 31 s is not reading them.
    assert not read_through(furthest=1.0, seconds_read=31.0, words=50_000, wpm=230.0)
    assert read_through(furthest=1.0, seconds_read=120 * 60.0, words=50_000, wpm=230.0)
    assert not read_through(furthest=0.9, seconds_read=10**6, words=50_000, wpm=230.0)


def test_jump_list_walks_back_and_toggles() -> None:
    jumps = JumpList()
    jumps.jumped(10, 500)
    jumps.jumped(500, 900)
    jumps.jumped(900, 900)  # no jump
    assert len(jumps) == 2
    assert jumps.back(900) == 500
    assert jumps.back(500) == 10
    assert jumps.back(10) is None
    jumps.jumped(10, 700)
    assert jumps.toggle(700) == 10
    assert jumps.toggle(10) == 700
    assert jumps.toggle(700) == 10
    for i in range(LIMIT * 2):
        jumps.jumped(i * 2, i * 2 + 1)
    assert len(jumps) == LIMIT
