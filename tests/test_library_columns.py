"""The library's column layout (reader.ui.library_columns), at the widths people use."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from reader.ui.library_columns import (
    PADDING,
    SCROLLBAR,
    SPEC,
    TITLE_SHARE,
    Layout,
    fit,
    layout,
)

TITLES = (
    "Brackenmouth tide barrier closes",
    "Orbital freight startup raises funds",
    "A quiet week in parliament",
)


def rows(titles: tuple[str, ...] = TITLES, tags: str = "") -> list[dict[str, str]]:
    return [
        {
            "title": title,
            "author": "Helen Marsh" if i == 0 else "Test Author",
            "source": "Coast News Regional Edition" if i == 0 else "Wire",
            "tags": tags if i == 0 else "",
            "words": "12,345",
            "time": "54 min",
            "progress": "done" if i == 1 else "42%",
            "last_read": "3 days ago",
        }
        for i, title in enumerate(titles)
    ]


def total(result: Layout) -> int:
    return sum(width + PADDING for _, width in result.columns) + SCROLLBAR


def dropped_in_order(result: Layout) -> bool:
    """Every column more useful than one shown is shown too."""
    shown = {SPEC[key].keep for key in result.keys}
    return shown == set(range(len(shown)))


@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_the_table_is_exactly_as_wide_as_the_terminal(width: int) -> None:
    result = layout(width, rows(tags="#coast #UK Local"))
    assert total(result) == width  # no sideways scrolling, and no gap at the right
    assert result.keys[0] == "title"
    assert dropped_in_order(result)


def test_at_60_columns_the_title_and_how_far_read() -> None:
    result = layout(60, rows())
    assert result.keys == ("title", "progress")
    assert result.width("title") == 60 - SCROLLBAR - 2 * PADDING - 6  # the rest is the title


def test_at_80_columns_titles_stay_whole_and_the_source_shrinks() -> None:
    result = layout(80, rows())
    assert result.keys == ("title", "source", "time", "progress", "last_read")
    assert "author" not in result.keys and "words" not in result.keys
    title = result.width("title")
    assert title is not None and title >= max(len(t) for t in TITLES)
    source = result.width("source")
    assert source is not None and source < len("Coast News Regional Edition")


def test_at_120_columns_author_and_words_come_back() -> None:
    result = layout(120, rows())
    assert result.keys == (
        "title",
        "author",
        "source",
        "words",
        "time",
        "progress",
        "last_read",
    )
    title = result.width("title")
    assert title is not None and title >= max(len(t) for t in TITLES)
    assert result.width("source") == len("Coast News Regional Edition")  # nothing cut


def test_at_200_columns_titles_use_the_width() -> None:
    result = layout(200, rows(tags="#coast"))
    assert "tags" in result.keys and not result.tags_under_title
    title = result.width("title")
    others = sum(w + PADDING for k, w in result.columns if k != "title")
    assert title == 200 - SCROLLBAR - PADDING - others
    assert title is not None and title > 100
    assert result.width("source") == len("Coast News Regional Edition")  # nothing cut


def test_tags_go_under_the_title_when_their_column_does_not_fit() -> None:
    narrow = layout(80, rows(tags="#coast #UK Local"))
    assert "tags" not in narrow.keys and narrow.tags_under_title
    assert not layout(80, rows()).tags_under_title  # no tags anywhere: no second line


def test_a_very_long_title_is_cut_rather_than_every_column_dropped() -> None:
    long = ("A" * 300, *TITLES[1:])
    result = layout(80, rows(long))
    title = result.width("title")
    assert title is not None and title < 300
    assert title >= int((80 - SCROLLBAR) * TITLE_SHARE)
    assert "progress" in result.keys


def test_a_terminal_too_narrow_for_anything_but_a_title() -> None:
    result = layout(24, rows())
    assert result.keys == ("title",)
    assert total(result) == 24


def test_wide_characters_count_as_two_cells() -> None:
    result = layout(80, rows(("東京の天気予報は晴れ", *TITLES[1:])))
    assert total(result) == 80
    assert cell_len(fit("東京の天気予報は晴れ", 7)) <= 7


def test_fit_cuts_with_an_ellipsis() -> None:
    assert fit("Coast News", 20) == "Coast News"
    assert fit("Coast News", 10) == "Coast News"
    assert fit("Coast News", 7) == "Coast…"  # no space left before the ellipsis
    assert fit("Coast News", 1) == "…"
    assert fit("Coast News", 0) == ""
