"""Time spent reading, the reader's own words per minute, and whether they read to the end.

Pure logic with an injectable clock, so the rules are tested without a terminal:
- idle gaps don't count as time (a pause of more than IDLE_CAP counts as IDLE_CAP);
- only reading moves feed the pace: jumps never reach `moved`, and a move faster than
  SKIM_FACTOR times the reader's pace is skimming, not reading;
- the session's pace is the words-weighted median of its moves, so a burst of fast paging
  or one long stare cannot drag it;
- one session moves the stored pace by at most MAX_SESSION_CHANGE, within MIN/MAX_WPM,
  so a strange session can shift the library's time estimates a little, never halve them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from reader.store.progress import FINISHED_AT

DEFAULT_WPM = 230.0
MIN_WPM = 80.0
MAX_WPM = 900.0
IDLE_CAP = 120.0
"""A longer pause counts as this many seconds: the reader walked away."""
MAX_STEP_WORDS = 400
"""A bigger forward move is a jump or a skim, not reading; it doesn't feed the estimate."""
SKIM_FACTOR = 2.5
"""A move this many times faster than the reader's pace is skimming."""
MIN_SAMPLE_SECONDS = 20.0
MIN_SAMPLE_WORDS = 40
BLEND = 0.3
"""Weight of this session's measurement against the stored estimate."""
MAX_SESSION_CHANGE = 0.15
"""The most one session moves the stored estimate, as a share of it."""
FINISHED_TIME_SHARE = 0.5
"""Read to the end in at least this share of the time the words need at the reader's pace."""


def clamp_wpm(value: float) -> float:
    return max(MIN_WPM, min(MAX_WPM, value))


def weighted_median(samples: list[tuple[float, float]]) -> float:
    """The value at the middle of the total weight of (value, weight) pairs."""
    ordered = sorted(samples)
    half = sum(weight for _, weight in ordered) / 2
    running = 0.0
    for value, weight in ordered:
        running += weight
        if running >= half:
            return value
    return ordered[-1][0]


def read_through(*, furthest: float, seconds_read: float, words: int, wpm: float) -> bool:
    """Whether an article counts as finished by reading: its end reached, and enough time
    spent on it for its length. One `G` on a long article reaches the end in no time."""
    if furthest < FINISHED_AT:
        return False
    needed = words / clamp_wpm(wpm) * 60.0
    return seconds_read >= FINISHED_TIME_SHARE * needed


@dataclass
class ReadingTracker:
    wpm: float = DEFAULT_WPM
    clock: Callable[[], float] = time.monotonic
    _last: float = field(init=False, default=0.0)
    _pending_seconds: float = field(init=False, default=0.0)
    _samples: list[tuple[float, float]] = field(init=False, default_factory=list)
    """(words per minute, words) of each reading move."""
    _sample_seconds: float = field(init=False, default=0.0)
    _sample_words: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.wpm = clamp_wpm(self.wpm)
        self._last = self.clock()

    def _elapsed(self) -> float:
        now = self.clock()
        gap = min(max(0.0, now - self._last), IDLE_CAP)
        self._last = now
        self._pending_seconds += gap
        return gap

    def moved(self, words_advanced: int) -> None:
        """Record a reading move of `words_advanced` words (negative: backwards).

        The time since the last move is what reading the words moved past took."""
        gap = self._elapsed()
        if not 0 < words_advanced <= MAX_STEP_WORDS or not 0 < gap < IDLE_CAP:
            return
        rate = words_advanced / (gap / 60.0)
        if rate > SKIM_FACTOR * self.wpm:
            return
        self._samples.append((rate, float(words_advanced)))
        self._sample_seconds += gap
        self._sample_words += words_advanced

    def jumped(self) -> None:
        """A jump: the time up to it counts as reading time, but the next move's gap starts
        here, so the words jumped over never look read."""
        self._elapsed()

    def peek_seconds(self) -> float:
        """Seconds spent reading since the last take, leaving them to be taken."""
        gap = min(max(0.0, self.clock() - self._last), IDLE_CAP)
        return self._pending_seconds + gap

    def take_seconds(self) -> float:
        """Seconds spent reading since the last call, to add to the article's total."""
        self._elapsed()
        seconds, self._pending_seconds = self._pending_seconds, 0.0
        return seconds

    def measured_wpm(self) -> float | None:
        if self._sample_seconds < MIN_SAMPLE_SECONDS or self._sample_words < MIN_SAMPLE_WORDS:
            return None
        return weighted_median(self._samples)

    def updated_wpm(self) -> float:
        """The stored estimate nudged toward this session's measurement, within bounds."""
        measured = self.measured_wpm()
        if measured is None:
            return self.wpm
        target = (1 - BLEND) * self.wpm + BLEND * clamp_wpm(measured)
        step = MAX_SESSION_CHANGE * self.wpm
        return clamp_wpm(min(self.wpm + step, max(self.wpm - step, target)))
