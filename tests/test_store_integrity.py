"""Issue 9's store promises: ids never come back, recovery keeps tags, bad records cost
only themselves, a folder replaced by a file is set aside, broken text never lands."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from reader.article import Article
from reader.nlp.cache import AnalysisCache
from reader.store import Library
from tests.conftest import barrier_article, fake_analyze, make_article


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- ids


def test_an_id_is_not_handed_out_again_after_a_crash_before_its_mark(home: Path) -> None:
    """The audit's steps: the process dies after the note is written and before the
    counter is; the note is later deleted; its id must not come back."""
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        lib.add_note(aid, 0, 5, "one")
        newest = lib.add_note(aid, 6, 9, "two").id
    counters = home / "counters.json"
    data = _json(counters)
    data["counters"]["1"]["notes"] = newest  # as if the crash came before the mark moved on
    counters.write_text(json.dumps(data), encoding="utf-8")
    with Library.open(home) as lib:
        lib.delete_note(newest)
    with Library.open(home) as lib:
        assert lib.add_note(aid, 10, 12, "three").id == newest + 1


def test_an_id_whose_write_failed_is_skipped_not_reused(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_store_disk_full import fill_disk

    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        first = lib.add_highlight(aid, 0, 5).id
        fill_disk(monkeypatch)
        with pytest.raises(Exception, match="disk is full"):
            lib.add_highlight(aid, 6, 9)
        monkeypatch.undo()
        lib.remove_highlight(first)
        assert lib.add_highlight(aid, 6, 9).id > first


# ---------------------------------------------------------------- recovery keeps tags


def test_recovery_from_a_truncated_index_keeps_tags_origins_and_dates(home: Path) -> None:
    with Library.open(home) as lib:
        ids = [
            lib.add_article(make_article(f"Piece {n}", 40), origin=f"/clips/{n}.txt").article.id
            for n in range(4)
        ]
        for n, aid in enumerate(ids):
            lib.set_tags(aid, [f"tag{n}", "shared"])
        before = {r.id: r for r in lib.articles()}
    index = home / "library.json"
    raw = index.read_bytes()
    cut = raw.rindex(b'"tags"')  # the last record is cut off in the middle
    index.write_bytes(raw[:cut])
    with Library.open(home) as lib:
        after = {r.id: r for r in lib.articles()}
        notices = " ".join(lib.notices)
    assert set(after) == set(before)
    intact = [aid for aid in ids if before[aid].tags == after[aid].tags]
    assert len(intact) == 3, "every record the damaged file still held keeps its tags"
    for aid in intact:
        assert after[aid].origin == before[aid].origin
        assert after[aid].added_at == before[aid].added_at
    assert "Recovered 4 articles" in notices
    assert "tags, origins and dates added of 3 were read back" in notices
    assert "the other 1 start without tags" in notices


def test_recovery_from_garbage_in_the_middle_keeps_the_records_around_it(home: Path) -> None:
    with Library.open(home) as lib:
        ids = [lib.add_article(make_article(f"Piece {n}", 40)).article.id for n in range(3)]
        for aid in ids:
            lib.set_tags(aid, ["kept"])
    index = home / "library.json"
    raw = index.read_bytes()
    middle = raw.index(ids[1].encode())
    index.write_bytes(raw[:middle] + b"\x00\xff garbage \x00" + raw[middle + 8 :])
    with Library.open(home) as lib:
        tags = {r.id: r.tags for r in lib.articles()}
    assert tags[ids[0]] == ("kept",) and tags[ids[2]] == ("kept",)
    assert tags[ids[1]] == ()  # its record is the damaged one: back from its text


# ---------------------------------------------------------------- bad records


def _note_shard(home: Path, aid: str) -> Path:
    return home / "notes" / f"{aid[0]}.json"


@pytest.mark.parametrize(
    ("field", "raw_value"),
    [
        ("start", "1" * 5000),  # a 5,000-digit integer: Python refuses to make it
        ("start", "NaN"),
        ("end", "1e999"),  # overflows to infinity
        ("text", '"\\ud800 broken"'),  # a lone surrogate: cannot be written as UTF-8
        ("text", "[" * 500 + "]" * 500),  # nested far deeper than any record
        ("start", '"twelve"'),
    ],
)
def test_one_bad_note_is_set_aside_and_its_neighbours_stay(
    home: Path, field: str, raw_value: str
) -> None:
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        good = lib.add_note(aid, 0, 5, "good").id
        bad = lib.add_note(aid, 6, 9, "bad").id
    shard = _note_shard(home, aid)
    data = _json(shard)
    data["notes"][str(bad)][field] = "@@VALUE@@"
    damaged = json.dumps(data).replace('"@@VALUE@@"', raw_value).encode("ascii")
    shard.write_bytes(damaged)
    with Library.open(home) as lib:
        assert [n.id for n in lib.notes(aid)] == [good]
        assert any(f"notes/{aid[0]}.json" in n and "set aside" in n for n in lib.notices)
        assert lib.add_note(aid, 10, 12, "new").id == bad + 1
    assert [p.read_bytes() for p in home.glob("notes/*.corrupt-*")] == [damaged]
    with Library.open(home) as lib:
        assert lib.notices == []


def test_a_record_key_that_only_looks_like_a_number_is_set_aside(home: Path) -> None:
    """ "²" passes str.isdigit() but is no number: it used to crash int()."""
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        lib.add_note(aid, 0, 5, "good")
    shard = _note_shard(home, aid)
    data = _json(shard)
    data["notes"]["²"] = dict(data["notes"]["1"], text="odd key")
    shard.write_text(json.dumps(data), encoding="utf-8")
    with Library.open(home) as lib:
        assert [n.text for n in lib.notes(aid)] == ["good"]
        assert lib.all_notes()[0].text == "good"


@pytest.mark.parametrize("due", ["NaN", "-1e18", "1e15"])
def test_review_schedules_out_of_range_are_set_aside(home: Path, due: str) -> None:
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        lib.add_highlight(aid, 0, 5)
        lib.save_review_state("h1", aid, {"card_id": 1}, 1_700_000_000.0)
    shard = home / "review" / f"{aid[0]}.json"
    text = shard.read_text(encoding="utf-8").replace("1700000000.0", due)
    shard.write_text(text, encoding="utf-8")
    with Library.open(home) as lib:
        assert lib.review_states() == []
        assert lib.review_due_index() == {}


def test_key_sentence_spans_that_are_not_numbers_are_set_aside(home: Path) -> None:
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        other = lib.add_article(make_article("Other", 40)).article.id
        lib.set_key_sentences({aid: ("v1", [(0, 5)]), other: ("v1", [(0, 4)])})
    keys = home / "review" / "keys.json"
    data = _json(keys)
    data["keys"][str(int(aid, 16))]["spans"] = [["a", "b"]]
    keys.write_text(json.dumps(data), encoding="utf-8")
    with Library.open(home) as lib:
        assert lib.key_sentence_index() == {other: ("v1", [(0, 4)])}
    with pytest.raises(ValueError), Library.open(home) as lib:
        lib.set_key_sentences({aid: ("v1", [("a", "b")])})  # type: ignore[list-item]


def test_a_deeply_nested_file_is_set_aside_whole(home: Path) -> None:
    with Library.open(home) as lib:
        lib.set_setting("theme", "textual-light")
    (home / "settings.json").write_text("[" * 100_000 + "]" * 100_000, encoding="ascii")
    with Library.open(home) as lib:
        assert lib.get_setting("theme", "dark") == "dark"
        assert any("nested too deeply" in n for n in lib.notices)
    assert len(list(home.glob("settings.json.corrupt-*"))) == 1


# ---------------------------------------------------------------- folders and text


def test_a_folder_replaced_by_a_file_is_set_aside_and_named(home: Path) -> None:
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
    notes = home / "notes"
    for shard in notes.iterdir():
        shard.unlink()
    notes.rmdir()
    notes.write_text("not a folder", encoding="utf-8")
    with Library.open(home, read_only=True) as lib:
        assert any(str(notes) in n and "is a file" in n for n in lib.notices)
        assert lib.notes(aid) == []
    with Library.open(home) as lib:
        assert any(str(notes) in n and "was a file" in n for n in lib.notices)
        assert lib.add_note(aid, 0, 4, "works again").text == "works again"
    kept = list(home.glob("notes.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == "not a folder"


def test_broken_characters_never_reach_the_files(library: Library) -> None:
    aid = library.add_article(barrier_article(), origin="/clips/bad\udcffname.txt").article.id
    note = library.add_note(aid, 0, 5, "pasted \ud83d half an emoji")
    library.set_tags(aid, ["ok\udcff"])
    assert library.get(aid).origin == "/clips/bad\ufffdname.txt"
    assert note.text == "pasted \ufffd half an emoji"
    assert library.get(aid).tags == ("ok\ufffd",)
    for path in library.home.rglob("*.json"):
        path.read_bytes().decode("utf-8")
        assert "\\ud" not in path.read_text(encoding="utf-8").lower()
    with pytest.raises(ValueError, match="broken character"):
        library.add_article(Article.from_paragraphs("Bad \udcff", None, None, None, ["text"]))


def test_a_damaged_cache_entry_is_recomputed_not_shown(home: Path) -> None:
    text = barrier_article().text
    cache = AnalysisCache(home / "cache", "v1")
    good = fake_analyze(text)
    cache.put(good)
    path = cache.path_for(text)
    for damage in (
        {**good.to_dict(), "sentences": [{"start": "a", "end": "b"}]},
        {**good.to_dict(), "sentences": [{"start": 0, "end": 10**6}]},
        {**good.to_dict(), "entities": [{"name": 5, "label": "PERSON", "mentions": []}]},
        {**good.to_dict(), "key_sentences": [{"sentence": 999, "score": 1.0}]},
        {**good.to_dict(), "key_sentences": "none"},
    ):
        path.write_bytes(gzip.compress(json.dumps(damage).encode("utf-8")))
        assert cache.get(text) is None
    path.write_bytes(gzip.compress(("[" * 100_000).encode("ascii")))
    assert cache.get(text) is None


def test_a_read_only_window_shows_what_recovery_would_and_moves_nothing(home: Path) -> None:
    """`reader list` takes no lock, so it meets a damaged index read-only: it shows the
    articles recovered in memory, changes no file, and the first writable open repairs."""
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        lib.set_tags(aid, ["coast"])
    index = home / "library.json"
    damaged = index.read_bytes()[:-2]  # the record is whole, the file is not
    index.write_bytes(damaged)
    with Library.open(home, read_only=True) as lib:
        assert [(r.id, r.tags) for r in lib.articles()] == [(aid, ("coast",))]
        assert any("open reader where it can write" in n for n in lib.notices)
    assert index.read_bytes() == damaged and not list(home.glob("library.json.corrupt-*"))
    with Library.open(home) as lib:
        assert [(r.id, r.tags) for r in lib.articles()] == [(aid, ("coast",))]
    assert [p.read_bytes() for p in home.glob("library.json.corrupt-*")] == [damaged]
