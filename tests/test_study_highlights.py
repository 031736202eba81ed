"""Highlights, their notes, never-reused ids and tags, in a temporary home."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reader.store import NotFound, ReadOnlyError
from reader.store.library import Library
from tests.conftest import barrier_article, make_article


def _sentences(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\S.*?[.!?](?=\s|$)", text, re.S)]


def test_one_and_three_sentence_highlights_with_a_note_survive_reopening(home: Path) -> None:
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        text = lib.load_article(aid).text
        spans = _sentences(text)
        one = lib.add_highlight(aid, *spans[1])
        three = lib.add_highlight(aid, spans[3][0], spans[5][1], note="the crew, and the trust")
        noted = lib.set_highlight_note(one.id, "Marsh in the control room")
    assert noted.note == "Marsh in the control room" and noted.id == one.id
    with Library.open(home) as lib:
        got = lib.highlights(aid)
        assert [(h.id, h.start, h.end, h.note) for h in got] == [
            (one.id, spans[1][0], spans[1][1], "Marsh in the control room"),
            (three.id, spans[3][0], spans[5][1], "the crew, and the trust"),
        ]
        assert text[got[0].start : got[0].end] == "Helen Marsh watched from the control room."
        assert text[got[1].start : got[1].end].startswith("Engineers from the Alder")
        assert text[got[1].start : got[1].end].endswith("He praised the night crew.")
        assert lib.highlight_counts() == {aid: 2}
        assert lib.get_highlight(three.id).note == "the crew, and the trust"


def test_highlight_input_is_checked_and_a_repeat_is_the_same_highlight(library: Library) -> None:
    aid = library.add_article(barrier_article()).article.id
    length = len(library.load_article(aid).text)
    for start, end in ((-1, 5), (5, 5), (7, 3), (0, length + 1)):
        with pytest.raises(ValueError, match="start < end"):
            library.add_highlight(aid, start, end)
    with pytest.raises(NotFound):
        library.add_highlight("0123456789abcdef", 0, 5)
    first = library.add_highlight(aid, 0, 10)
    again = library.add_highlight(aid, 0, 10)
    assert again.id == first.id and len(library.highlights(aid)) == 1
    assert library.add_highlight(aid, 0, 10, note="now with a note").note == "now with a note"
    with pytest.raises(NotFound):
        library.set_highlight_note(first.id + 100, "x")


def test_remove_highlight_and_ids_are_never_reused_across_sessions(home: Path) -> None:
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        h1 = lib.add_highlight(aid, 0, 10)
        h2 = lib.add_highlight(aid, 20, 30)
        lib.add_note(aid, 0, 10, "a")
        n2 = lib.add_note(aid, 20, 30, "b")
        lib.remove_highlight(h2.id)
        lib.delete_note(n2.id)
        with pytest.raises(NotFound):
            lib.remove_highlight(h2.id)
    with Library.open(home) as lib:
        assert [h.id for h in lib.highlights(aid)] == [h1.id]
        h3 = lib.add_highlight(aid, 40, 50)
        n3 = lib.add_note(aid, 40, 50, "c")
    assert h3.id > h2.id and n3.id > n2.id  # the deleted newest ids did not come back


def test_deleting_an_article_takes_its_highlights(library: Library) -> None:
    aid = library.add_article(barrier_article()).article.id
    other = library.add_article(make_article("Other", 100)).article.id
    library.add_highlight(aid, 0, 10, "x")
    kept = library.add_highlight(other, 0, 10)
    library.delete(aid)
    assert library.highlights(aid) == [] and library.all_highlights() == [kept]


def test_read_only_library_refuses_highlight_changes(home: Path) -> None:
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
    with Library.open(home, read_only=True) as viewer:
        with pytest.raises(ReadOnlyError):
            viewer.add_highlight(aid, 0, 10)
        assert viewer.highlights(aid) == []


def test_add_and_remove_tags(library: Library) -> None:
    aid = library.add_article(barrier_article()).article.id
    assert library.add_tags(aid, ["coast", " floods ", "coast"]).tags == ("coast", "floods")
    assert library.add_tags(aid, ["weather"]).tags == ("coast", "floods", "weather")
    assert library.remove_tags(aid, ["FLOODS", "absent"]).tags == ("coast", "weather")
