"""JSON export/import round trips and merges; Markdown pages for notes apps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fsrs import Scheduler

from reader.nlp.analyzer import ANALYZER_VERSION
from reader.nlp.cache import AnalysisCache
from reader.store.library import Library
from reader.study.export import dumps, export_json, export_markdown, slugify
from reader.study.importer import BadExport, check_export, import_snapshot, load_export
from reader.study.review import ReviewDeck
from tests.conftest import FIXED_NOW, barrier_article, fake_analyze, make_article


def _work(lib: Library) -> str:
    """A library with everything an export carries; returns the barrier article's id."""
    aid = lib.add_article(barrier_article(url="https://coast.example/barrier")).article.id
    other = lib.add_article(make_article("Orbital freight", 200), origin="/clips/f.txt")
    lib.add_article(make_article("Unread piece", 80, source=None))
    text = lib.load_article(aid).text
    start = text.index("The surge")
    lib.add_highlight(aid, start, start + 31, note="1.8 metres!")
    lib.add_highlight(aid, 0, text.index("Engineers") - 2)
    lib.add_note(aid, 0, 10, "Look up the barrier's design")
    lib.add_note(other.article.id, 0, 20, "freight note")
    lib.set_tags(aid, ["coast", "weather"])
    lib.save_progress(aid, position=120, progress=0.4, seconds_read=95.5)
    lib.save_progress(other.article.id, position=0, progress=1.0)
    lib.set_setting("wpm", 260.0)
    lib.set_setting("theme", "dark")
    deck = ReviewDeck(lib, scheduler=Scheduler(enable_fuzzing=False), analyze=fake_analyze)
    cards = deck.due_cards(FIXED_NOW)
    for card, rating in zip(cards[:4], (1, 3, 4, 2), strict=True):
        deck.rate(card.id, rating, FIXED_NOW)
    return aid


def test_json_round_trip_is_identical(tmp_path: Path) -> None:
    with Library.open(tmp_path / "a") as lib:
        _work(lib)
        first = dumps(export_json(lib))
    data = json.loads(first)
    assert len(data["articles"]) == 3 and len(data["review"]) == 4
    assert data["settings"] == {"theme": "dark", "wpm": 260.0}
    assert {"exported_at"}.isdisjoint(data)
    (tmp_path / "export.json").write_text(first, encoding="utf-8")
    with Library.open(tmp_path / "b") as lib:
        report = import_snapshot(lib, load_export(tmp_path / "export.json"))
        assert report.mode == "restore" and report.articles_added == 3
        second = dumps(export_json(lib))
        again = lib.add_highlight(data["articles"][0]["id"], 5, 9)
    assert second == first
    assert again.id == data["next_ids"]["highlights"]  # counters restored too


def test_import_into_a_library_with_work_merges_without_duplicates(tmp_path: Path) -> None:
    with Library.open(tmp_path / "a") as lib:
        aid = _work(lib)
        snapshot = export_json(lib)
    with Library.open(tmp_path / "b") as lib:
        mine = lib.add_article(barrier_article(url="https://coast.example/barrier")).article.id
        assert mine == aid
        lib.add_note(aid, 0, 10, "Look up the barrier's design")  # the same note, already here
        lib.add_note(aid, 30, 40, "only mine")
        lib.set_tags(aid, ["mine"])
        lib.set_setting("wpm", 300.0)
        report = import_snapshot(lib, check_export(snapshot))
        assert report.mode == "merge"
        assert (report.articles_added, report.articles_merged) == (2, 1)
        assert report.duplicates_skipped == 1
        assert [n.text for n in lib.notes(aid)] == ["Look up the barrier's design", "only mine"]
        assert len(lib.highlights(aid)) == 2 and lib.get(aid).tags == ("coast", "mine", "weather")
        assert lib.get_setting("wpm", 0.0) == 300.0 and lib.get_setting("theme", "") == "dark"
        assert len(lib.review_states()) == 4
        before = dumps(export_json(lib))
        second = import_snapshot(lib, check_export(snapshot))  # importing again adds nothing
        assert second.articles_added == second.notes_added == second.highlights_added == 0
        assert dumps(export_json(lib)) == before


def _bad(snapshot: dict[str, Any], change: Any) -> dict[str, Any]:
    copy: dict[str, Any] = json.loads(json.dumps(snapshot))
    change(copy)
    return copy


def test_bad_exports_are_refused_before_anything_changes(tmp_path: Path) -> None:
    with Library.open(tmp_path / "a") as lib:
        _work(lib)
        good = export_json(lib)

    def edit_text(d: dict[str, Any]) -> None:
        content = d["articles"][0]["content"]
        content["text"] = content["text"].replace("Brackenmouth", "Brackenmauth", 1)

    def note_past_end(d: dict[str, Any]) -> None:
        d["articles"][0]["notes"][0]["end"] = 10**6

    def dangling_card(d: dict[str, Any]) -> None:
        d["review"][0]["card"] = "h999"

    def bad_state(d: dict[str, Any]) -> None:
        d["review"][0]["state"] = {"nonsense": 1}

    cases = [
        (lambda d: d.update(format="other"), "not a reader export"),
        (lambda d: d.update(version=99), "version 99"),
        (edit_text, "does not match its id"),
        (note_past_end, "past the end of the text"),
        (dangling_card, "has no passage"),
        (bad_state, "not a review schedule"),
    ]
    for change, message in cases:
        with pytest.raises(BadExport, match=message):
            check_export(_bad(good, change))
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(BadExport, match="not valid JSON"):
        load_export(path)
    with pytest.raises(BadExport, match="no such file"):
        load_export(tmp_path / "missing.json")


def test_markdown_has_front_matter_summary_quotes_and_notes(tmp_path: Path) -> None:
    with Library.open(tmp_path / "home") as lib:
        aid = _work(lib)
        text = lib.load_article(aid).text
        AnalysisCache(lib.cache_dir, ANALYZER_VERSION).put(fake_analyze(text))
        lib.add_article(make_article("Orbital freight!", 90))  # same slug as another title
        paths = export_markdown(lib, tmp_path / "out")
    assert [p.name for p in paths] == [
        "brackenmouth-tide-barrier-closes.md",
        "orbital-freight.md",
        "unread-piece.md",
        "orbital-freight-2.md",
    ]
    page = (tmp_path / "out" / "brackenmouth-tide-barrier-closes.md").read_text("utf-8")
    head, body = page.split("\n---\n", 1)
    assert head.splitlines() == [
        "---",
        'title: "Brackenmouth tide barrier closes"',
        'author: "Helen Marsh"',
        'source: "Coast News"',
        'date: "2024-02-20"',
        'tags: ["coast", "weather"]',
        'url: "https://coast.example/barrier"',
        f'reader_id: "{aid}"',
    ]
    assert "## Summary\n\n- " in body
    assert "> The surge peaked at 1.8 metres.\n\n1.8 metres!\n" in body
    assert "> The steel gates of the Brackenmouth barrier swung shut late on Monday." in body
    assert "## Notes\n\n> The steel\n\nLook up the barrier's design\n" in body
    unread = (tmp_path / "out" / "unread-piece.md").read_text("utf-8")
    assert "## Summary" not in unread and "## Highlights" not in unread and "tags: []" in unread


def test_slugs() -> None:
    assert slugify("Café: 10 ways — to read!") == "cafe-10-ways-to-read"
    assert slugify("???") == "untitled"
    assert len(slugify("word " * 50)) <= 80
