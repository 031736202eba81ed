"""A home saved by the previous version (schema 1: texts as paragraphs, annotations by
offset only) opens with everything kept, and its Markdown articles get their shape back.

The old home is written here byte by byte as that version wrote it, not made with today's
code, so the test keeps checking the real upgrade path however the store changes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.store import Library
from reader.store.records import HighlightRecord, NoteRecord
from reader.study.reimport import LAYOUT_SETTING, reimport, upgrade_layouts
from tests.old_home import GUIDE, OldHome, write_old_home


@pytest.fixture
def old_home(tmp_path: Path) -> OldHome:
    return write_old_home(tmp_path)


def _files(home: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(home)): p.read_bytes()
        for p in sorted(home.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def test_opening_keeps_every_record_and_adds_each_passage_quote(old_home: OldHome) -> None:
    with Library.open(old_home.home) as library:
        assert library.notices == []
        guide = library.load_article(old_home.guide)
        assert guide.text == old_home.guide_text  # the old text reads exactly as it was
        notes = {n.id: n for n in library.all_notes()}
        assert {i: (n.article_id, n.text) for i, n in notes.items()} == {
            1: (old_home.guide, "Check twice."),
            2: (old_home.guide, "Why not max()?"),
            3: (old_home.clip, "Dusk: 17:40 in June."),
        }
        assert (notes[1].start, notes[1].end) == old_home.passages["note on a list item"]
        assert (notes[3].start, notes[3].end) == old_home.clip_note
        highlights = {h.id: h for h in library.all_highlights()}
        assert {i: h.note for i, h in highlights.items()} == {1: "", 2: "Always."}
        assert (highlights[2].start, highlights[2].end) == old_home.passages[
            "highlight on a bullet"
        ]
        marks: list[NoteRecord | HighlightRecord] = [*notes.values(), *highlights.values()]
        for mark in marks:
            text = guide.text if mark.article_id == old_home.guide else old_home.clip_text
            assert mark.quote == text[mark.start : mark.end]
            assert not mark.detached
        cards = {s.card_id: s for s in library.review_states()}
        assert set(cards) == {"h1", "n1", "h2", "n3", f"k{old_home.guide}:0-{old_home.key[1]}"}
        assert cards["h1"].state["stability"] == 3.1
        record = library.get(old_home.guide)
        assert (record.position, record.anchor, record.tags) == (
            old_home.position,
            old_home.anchor,
            ("sea",),
        )
        assert (record.progress, record.furthest, record.seconds_read) == (0.55, 0.7, 95.0)
        assert library.get(old_home.clip).finished
        assert library.get_setting("wpm", 0) == 240
        assert library.add_note(old_home.clip, 28, 55, "new").id == 4  # the counters held
    library_json = json.loads((old_home.home / "library.json").read_text(encoding="utf-8"))
    assert library_json["meta"]["1"]["schema"] == 2


def test_a_read_only_window_changes_nothing_in_an_old_home(old_home: OldHome) -> None:
    before = _files(old_home.home)
    with Library.open(old_home.home, read_only=True) as library:
        assert [n.text for n in library.notes(old_home.guide)] == ["Check twice.", "Why not max()?"]
    assert _files(old_home.home) == before


def test_markdown_articles_get_their_shape_back_and_everything_follows(old_home: OldHome) -> None:
    with Library.open(old_home.home) as library:
        result = upgrade_layouts(library)
        assert [r.old_id for r in result.changed] == [old_home.guide]
        assert result.detached == 0
        new_id = result.changed[0].new_id
        assert {r.id for r in library.articles()} == {new_id, old_home.clip}
        article = library.load_article(new_id)
        kinds = [b.kind for b in article.blocks]
        assert {"heading", "list_item", "quote", "code", "table", "rule"} <= set(kinds)
        code = next(b for b in article.blocks if b.kind == "code")
        assert article.text[code.start : code.end].split("\n") == [
            "def height(base, correction):",
            "    total = base + correction",
            "",
            "    return round(total, 1)",
        ]
        text = article.text
        notes = {n.id: n for n in library.notes(new_id)}
        assert text[notes[1].start : notes[1].end] == "Note the height of high water."
        assert text[notes[2].start : notes[2].end] == "total = base + correction"
        assert notes[1].text == "Check twice." and notes[2].text == "Why not max()?"
        highlights = {h.id: h for h in library.highlights(new_id)}
        assert text[highlights[1].start : highlights[1].end] == (
            "Read them with care and check the almanac too."
        )
        assert text[highlights[2].start : highlights[2].end] == "Round down, never up."
        assert highlights[2].note == "Always."
        record = library.get(new_id)
        assert text[record.position :].startswith("A table is a promise")
        assert record.anchor is not None and text[record.anchor :].startswith("Steps")
        assert (record.progress, record.furthest, record.seconds_read, record.tags) == (
            0.55, 0.7, 95.0, ("sea",),
        )  # fmt: skip
        assert record.origin == str(old_home.guide_file)
        cards = {s.card_id: s for s in library.review_states()}
        key = f"k{new_id}:0-{len('Harbour masters publish the tables each spring.')}"
        assert set(cards) == {"h1", "n1", "h2", "n3", key}
        assert {s.article_id for c, s in cards.items() if c != "n3"} == {new_id}
        assert cards["n1"].state["difficulty"] == 5.2
        # The clip had no shape to give back; once done, the home is not looked at again.
        assert library.load_article(old_home.clip).text == old_home.clip_text
        assert library.upgrade_done(LAYOUT_SETTING)
        assert upgrade_layouts(library).changed == []
    assert not (old_home.home / "articles" / f"{old_home.guide}.json.gz").exists()


def test_an_edited_file_is_not_taken_for_the_same_article(old_home: OldHome) -> None:
    old_home.guide_file.write_text(GUIDE.replace("each spring", "every winter"), encoding="utf-8")
    with Library.open(old_home.home) as library:
        result = upgrade_layouts(library)
        assert result.changed == []
        assert [why for _, why in result.skipped] == ["its file has changed since it was added"]
        assert library.load_article(old_home.guide).text == old_home.guide_text


def test_reimport_of_an_edited_file_keeps_what_it_cannot_find_detached(old_home: OldHome) -> None:
    edited = GUIDE.replace("2. Note the height of high water.", "2. Write the height down.")
    old_home.guide_file.write_text(edited, encoding="utf-8")
    with Library.open(old_home.home) as library:
        result = reimport(library, [library.get(old_home.guide)])
        assert result.detached == 1
        new_id = result.changed[0].new_id
        notes = {n.id: n for n in library.notes(new_id)}
        assert notes[1].detached and notes[1].quote == "2. Note the height of high water."
        assert notes[1].text == "Check twice."  # the reader's words are never lost
        assert not notes[2].detached
        text = library.load_article(new_id).text
        assert text[notes[2].start : notes[2].end] == "total = base + correction"
        assert "n1" in {s.card_id for s in library.review_states()}
    # Opened again, the detached note is still detached and still there.
    with Library.open(old_home.home) as library:
        assert {n.id: n.detached for n in library.notes(new_id)} == {1: True, 2: False}


def test_an_article_added_again_meanwhile_is_joined_not_doubled(old_home: OldHome) -> None:
    from reader.sources.registry import read_path

    with Library.open(old_home.home) as library:
        again = library.add_article(
            read_path(old_home.guide_file)[0], origin=str(old_home.guide_file)
        )
        assert again.added
        library.add_note(again.article.id, 0, 15, "Added to the new copy.")
        result = upgrade_layouts(library)
        assert [r.new_id for r in result.changed] == [again.article.id]
        assert len(library.articles()) == 2  # the guide once, and the clip
        notes = sorted(n.text for n in library.notes(again.article.id))
        assert notes == ["Added to the new copy.", "Check twice.", "Why not max()?"]
        assert library.get(again.article.id).tags == ("sea",)
