"""The line-at-a-time wrap of single-spaced prose gives exactly the word-at-a-time lines."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.ui import text


@given(
    words=st.lists(st.text(alphabet="ab", min_size=1, max_size=30), min_size=1, max_size=40),
    width=st.integers(1, 40),
)
def test_single_spaced_lines_are_the_general_wraps(words: list[str], width: int) -> None:
    paragraph = " ".join(words)
    fast = text.wrap_paragraph("pre" + paragraph, 3, 3 + len(paragraph), width)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(text, "_SINGLE_SPACED", re.compile(r"(?!)"))  # the general path
        general = text.wrap_paragraph("pre" + paragraph, 3, 3 + len(paragraph), width)
    assert fast == general


def test_other_spacing_takes_the_general_path() -> None:
    assert text._SINGLE_SPACED.fullmatch("two  spaces") is None
    assert text._SINGLE_SPACED.fullmatch("a\ttab") is None
    assert text._SINGLE_SPACED.fullmatch("one space each") is not None
