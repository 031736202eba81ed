"""The UI's pure helpers: sanitising, provisional sentences, wrapping, reading speed."""

from __future__ import annotations

import re
import subprocess
import sys
from bisect import bisect_left

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.ui.text import (
    WordIndex,
    display_text,
    one_line,
    provisional_sentences,
    reading_minutes,
    relative_time,
    wrap_paragraph,
)
from reader.ui.tracking import IDLE_CAP, MAX_WPM, MIN_WPM, ReadingTracker


def test_display_text_keeps_offsets_and_neutralises_controls() -> None:
    text = "Red \x1b[31malert\x07\ttab\nline\n\nNext\u202eevil\x9b2J"
    shown = display_text(text)
    assert len(shown) == len(text)
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
    assert "\u202e" not in shown
    assert shown.split("\n\n")[0] == "Red ␛[31malert␇ tab line"
    assert "[31m" in shown  # brackets stay literal
    assert one_line("  [bold]x[/]\n\x1b ") == "[bold]x[/] ␛"
    assert one_line(None, "Untitled") == "Untitled"


def test_provisional_sentences() -> None:
    text = "Dr. Marsh came. She left! Did he?\n\nA new paragraph. Ends here"
    spans = provisional_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Dr. Marsh came.",
        "She left!",
        "Did he?",
        "A new paragraph.",
        "Ends here",
    ]


@pytest.mark.parametrize("width", [1, 5, 12, 40])
def test_wrap_paragraph_fits_and_covers_every_word(width: int) -> None:
    text = "prefix. The quick brown fox jumps over the extraordinarilylongword dog"
    start = text.index("The")
    lines = wrap_paragraph(text, start, len(text), width)
    assert all(e - s <= width for s, e in lines)
    rebuilt = " ".join(text[s:e] for s, e in lines)
    assert rebuilt.replace(" ", "") == text[start:].replace(" ", "")


def test_wrap_paragraph_measures_wide_characters() -> None:
    text = "日本語の文章です 日本語の文章です"
    lines = wrap_paragraph(text, 0, len(text), 10)
    assert [text[s:e] for s, e in lines] == ["日本語の文", "章です", "日本語の文", "章です"]


def test_word_index() -> None:
    index = WordIndex.build("one two  three\n\nfour")
    assert index.total == 4
    assert index.words_before(4) == 1
    assert index.words_after(4) == 3


_SPECIAL = "".join(map(chr, [*range(0x20), *range(0x7F, 0xA0), 0x200E, 0x200F, 0x202A, 0x202E]))


@given(st.text(alphabet=st.sampled_from([*_SPECIAL, "a", " ", "é", "“", "\n", "\n"])))
def test_display_text_shows_what_the_table_shows(text: str) -> None:
    """The quick paths (nothing to show; only whitespace to change) give exactly what
    translating every paragraph by the table gives."""
    from reader.ui.text import _PARAGRAPH_TABLE

    expected = "\n\n".join(p.translate(_PARAGRAPH_TABLE) for p in text.split("\n\n"))
    assert display_text(text) == expected
    assert len(display_text(text)) == len(text)


class _TinyChunks(WordIndex):
    CHUNK = 3  # so hypothesis' short texts cross many chunk edges


@given(st.text(alphabet="ab \n\t\u00a0é", max_size=40), st.integers(1, 5), st.data())
def test_word_index_counts_as_a_list_of_every_word_would(
    text: str, chunk: int, data: st.DataObject
) -> None:
    """Counted by chunks, with words cut by a chunk's edge: the same as bisecting starts."""
    starts = [match.start() for match in re.finditer(r"\S+", text)]
    _TinyChunks.CHUNK = chunk
    index = _TinyChunks.build(text)
    assert index.total == len(starts)
    extra = data.draw(st.lists(st.integers(-2, len(text) + 2), max_size=10))
    for offset in [*range(len(text) + 1), *extra]:
        assert index.words_before(offset) == bisect_left(starts, offset)
        assert index.words_after(offset) == len(starts) - bisect_left(starts, offset)


def test_relative_time_and_reading_minutes() -> None:
    now = "2026-11-30T12:00:00+00:00"
    assert relative_time(None, now) == "never"
    assert relative_time("2026-11-30T11:59:30+00:00", now) == "just now"
    assert relative_time("2026-11-29T11:00:00+00:00", now) == "yesterday"
    assert relative_time("2026-11-20T12:00:00Z", now) == "10 days ago"
    assert relative_time("garbage", now) == "?"
    assert reading_minutes(0, 230) == "0 min"
    assert reading_minutes(100, 230) == "< 1 min"
    assert reading_minutes(2300, 230) == "10 min"
    assert reading_minutes(23000, 230) == "1 h 40 min"


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_tracker_measures_wpm_within_bounds() -> None:
    clock = FakeClock()
    tracker = ReadingTracker(230.0, clock)
    for _ in range(10):
        clock.now += 6.0
        tracker.moved(30)  # 300 words per minute
    assert tracker.measured_wpm() == pytest.approx(300.0)
    assert 230 < tracker.updated_wpm() < 300
    assert tracker.take_seconds() == pytest.approx(60.0)
    clock.now += 3600  # walked away: capped
    tracker.moved(20)
    assert tracker.take_seconds() == pytest.approx(IDLE_CAP)
    assert tracker.take_seconds() == 0.0


def test_tracker_ignores_jumps_and_clamps() -> None:
    clock = FakeClock()
    tracker = ReadingTracker(230.0, clock)
    clock.now += 30
    tracker.moved(5000)  # a jump to the end is not reading
    assert tracker.measured_wpm() is None
    assert tracker.updated_wpm() == 230.0
    for _ in range(30):
        clock.now += 1.0
        tracker.moved(300)  # 18,000 wpm: nonsense, clamped
    assert MIN_WPM <= tracker.updated_wpm() <= MAX_WPM
    assert ReadingTracker(5.0, clock).wpm == MIN_WPM


def test_importing_the_ui_loads_no_nlp() -> None:
    """The TUI's first paint must never wait for NLTK or the CRF tagger."""
    code = (
        "import sys\n"
        "import reader.ui.app\n"
        "from pathlib import Path\n"
        "reader.ui.app.ReaderApp(Path('.'))\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'nltk', 'pycrfsuite'}"
        " or m.startswith('reader.nlp.') and m != 'reader.nlp.analysis')\n"
        "print(' '.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == []


def test_display_date_is_readable_and_keeps_odd_values() -> None:
    from reader.ui.text import display_date

    assert display_date("2024-02-20") == "20 Feb 2024"
    assert display_date("2024-02-20T11:42:00") == "20 Feb 2024, 11:42"
    assert display_date("sometime in [bold]May[/]") == "sometime in [bold]May[/]"
    assert display_date(None) == ""
