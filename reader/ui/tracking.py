"""Time spent reading and the reader's own words per minute, measured from their moves.

Pure logic with an injectable clock, so the rules (idle gaps don't count, jumps don't
count as reading, the estimate stays within sane bounds) are tested without a terminal.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

DEFAULT_WPM = 230.0
MIN_WPM = 80.0
MAX_WPM = 900.0
IDLE_CAP = 120.0
"""A longer pause counts as this many seconds: the reader walked away."""
MAX_STEP_WORDS = 400
"""A bigger forward move is a jump or a skim, not reading; it doesn't feed the estimate."""
MIN_SAMPLE_SECONDS = 20.0
MIN_SAMPLE_WORDS = 40
BLEND = 0.3
"""Weight of this session's measurement against the stored estimate."""


def clamp_wpm(value: float) -> float:
    return max(MIN_WPM, min(MAX_WPM, value))


@dataclass
class ReadingTracker:
    wpm: float = DEFAULT_WPM
    clock: Callable[[], float] = time.monotonic
    _last: float = field(init=False, default=0.0)
    _pending_seconds: float = field(init=False, default=0.0)
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
        """Record a cursor move of `words_advanced` words (negative: backwards)."""
        gap = self._elapsed()
        if 0 < words_advanced <= MAX_STEP_WORDS and gap < IDLE_CAP:
            self._sample_seconds += gap
            self._sample_words += words_advanced

    def take_seconds(self) -> float:
        """Seconds spent reading since the last call, to add to the article's total."""
        self._elapsed()
        seconds, self._pending_seconds = self._pending_seconds, 0.0
        return seconds

    def measured_wpm(self) -> float | None:
        if self._sample_seconds < MIN_SAMPLE_SECONDS or self._sample_words < MIN_SAMPLE_WORDS:
            return None
        return self._sample_words / (self._sample_seconds / 60.0)

    def updated_wpm(self) -> float:
        """The stored estimate nudged toward this session's measurement, within bounds."""
        measured = self.measured_wpm()
        if measured is None:
            return self.wpm
        return clamp_wpm((1 - BLEND) * self.wpm + BLEND * clamp_wpm(measured))
