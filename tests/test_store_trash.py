"""Deleting an article puts it in the trash for 30 days; restoring gives back all it had."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from reader.store import DamagedFile, DiskError, Library, NotFound, ReadOnlyError, article_id
from reader.store.fileio import drain_unlinks
from reader.store.home import content_key
from reader.store.trash import contents_phrase
from tests.conftest import FIXED_NOW, barrier_article, make_article
from tests.test_store_disk_full import fill_disk
from tests.test_store_disk_full import home_bytes as files_of


def home_bytes(home: Path) -> dict[str, bytes]:
    """Every file of the home, once the replaced versions still being unlinked are gone."""
    drain_unlinks()
    return files_of(home)


def outside_trash(home: Path) -> dict[str, bytes]:
    return {k: v for k, v in home_bytes(home).items() if not k.startswith("trash/")}


def clock_at(days: float = 0.0) -> Callable[[], datetime]:
    return lambda: FIXED_NOW + timedelta(days=days)


def neighbours(target: str, count: int) -> list[str]:
    """Titles of articles filed in the same shards as `target`, so the delete and the
    restore meet files holding other articles' records too."""
    found: list[str] = []
    number = 0
    while len(found) < count:
        title = f"Neighbour {number}"
        if article_id(make_article(title, 60))[0] == target[0]:
            found.append(title)
        number += 1
    return found


@pytest.fixture
def full_home(home: Path) -> tuple[Path, str]:
    """The barrier article between two of its shard's neighbours, each with study marks."""
    target = article_id(barrier_article())
    before, after = neighbours(target, 2)
    with Library.open(home, clock=clock_at()) as lib:
        first = lib.add_article(make_article(before, 60)).article.id
        aid = lib.add_article(barrier_article()).article.id
        last = lib.add_article(make_article(after, 60)).article.id
        for other in (first, last):
            lib.add_note(other, 0, 5, "neighbour note")
            lib.add_highlight(other, 0, 8)
            lib.save_progress(other, position=3, progress=0.1)
            lib.save_review_state("h1" if other == first else "h2", other, {"s": 1}, 1.6e9)
        lib.add_note(aid, 0, 10, "first note")
        lib.add_note(aid, 20, 30, "second note")
        lib.add_note(aid, 40, 50, "third note")
        lib.add_highlight(aid, 12, 40, "why?")
        lib.add_highlight(aid, 60, 90)
        lib.add_note(last, 9, 12, "a later note elsewhere")
        lib.save_progress(aid, position=12, progress=0.2, seconds_read=30)
        for card in ("n3", "n4", "n5", "h3", "h4"):
            lib.save_review_state(card, aid, {"card": card}, 1.7e9)
        lib.set_key_sentences({aid: ("v1", [(0, 10)]), first: ("v1", [(0, 5)])})
        lib.set_tags(aid, ["coast", "floods"])
        text = lib.load_article(aid).text
    (home / "cache" / f"{content_key(text)}-v1.json.gz").write_bytes(b"analysis")
    return home, aid


def test_delete_then_restore_leaves_the_home_byte_for_byte_as_it_was(
    full_home: tuple[Path, str],
) -> None:
    home, aid = full_home
    before = home_bytes(home)
    with Library.open(home, clock=clock_at(1)) as lib:
        order = [r.id for r in lib.articles()]
        entry = lib.delete(aid)
        assert (entry.notes, entry.highlights, entry.cards) == (3, 2, 5)
        assert entry.contents == "3 notes, 2 highlights, 5 review cards"
        assert entry.deleted_at == "2026-12-01T12:00:00+00:00"
        with pytest.raises(NotFound):
            lib.get(aid)
        assert lib.notes(aid) == [] and lib.highlights(aid) == []
        assert all(s.article_id != aid for s in lib.review_states())
        assert aid not in lib.key_sentence_index()
        assert not (home / "articles" / f"{aid}.json.gz").exists()
        assert not [p for p in (home / "cache").iterdir() if p.name.endswith(".json.gz")]
        assert [e.id for e in lib.trash()] == [entry.id]
        assert outside_trash(home) != before

        restored = lib.restore_deleted(entry.id)

        assert restored.message == (
            "Restored “Brackenmouth tide barrier closes” with 3 notes, 2 highlights, "
            "5 review cards."
        )
        assert [r.id for r in lib.articles()] == order  # back in its place, not last
        assert lib.trash() == []
    assert home_bytes(home) == before  # every file as it was, the trash empty again


def test_what_a_delete_takes_is_named_before_and_after(full_home: tuple[Path, str]) -> None:
    home, aid = full_home
    with Library.open(home) as lib:
        preview = lib.delete_preview(aid)
        entry = lib.delete(aid)
    assert preview.id == "" and entry.id.endswith(aid)
    assert (preview.notes, preview.highlights, preview.cards) == (3, 2, 5)
    assert preview.contents == entry.contents
    assert contents_phrase(1, 0, 1) == "1 note, 1 review card"
    assert contents_phrase(0, 2, 0) == "2 highlights"
    assert contents_phrase(0, 0, 0) == ""


@pytest.mark.parametrize("where", ["trash", "library.json", "notes", "highlights", "review"])
def test_a_disk_failure_mid_delete_changes_nothing(
    full_home: tuple[Path, str], where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, aid = full_home
    before = home_bytes(home)
    with Library.open(home) as lib:
        fill_disk(monkeypatch, where)
        with pytest.raises(DiskError, match="the disk is full"):
            lib.delete(aid)
        monkeypatch.undo()
        assert home_bytes(home) == before  # no trash entry either
        assert lib.notes(aid)[0].text == "first note"
        assert lib.trash() == []
        lib.delete(aid)  # with space again it works
        assert len(lib.trash()) == 1


@pytest.mark.parametrize(
    "where", ["articles", "library.json", "progress", "notes", "highlights", "review"]
)
def test_a_disk_failure_mid_restore_changes_nothing(
    full_home: tuple[Path, str], where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, aid = full_home
    with Library.open(home) as lib:
        entry = lib.delete(aid)
        deleted = home_bytes(home)
        fill_disk(monkeypatch, where)
        with pytest.raises(DiskError, match="the disk is full"):
            lib.restore_deleted(entry.id)
        monkeypatch.undo()
        assert home_bytes(home) == deleted  # still deleted, still in the trash
        with pytest.raises(NotFound):
            lib.get(aid)
        assert [e.id for e in lib.trash()] == [entry.id]
        lib.restore_deleted(entry.id)
        assert len(lib.notes(aid)) == 3


def test_entries_are_purged_after_30_days_on_open(full_home: tuple[Path, str]) -> None:
    home, aid = full_home
    with Library.open(home, clock=clock_at()) as lib:
        entry = lib.delete(aid)
    assert len(list((home / "trash").iterdir())) == 2  # the entry and its cached analysis
    with Library.open(home, clock=clock_at(29.9)) as lib:
        assert [e.id for e in lib.trash()] == [entry.id]
    with Library.open(home, read_only=True, clock=clock_at(31)) as lib:
        assert lib.trash() == []  # no longer offered, though a read-only window may not purge
    assert len(list((home / "trash").iterdir())) == 2
    with Library.open(home, clock=clock_at(30.01)) as lib:
        assert lib.trash() == []
        with pytest.raises(NotFound):
            lib.restore_deleted(entry.id)
    assert list((home / "trash").iterdir()) == []


def test_ids_are_not_reused_and_come_back_as_they_were(home: Path) -> None:
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        other = lib.add_article(make_article("Elsewhere", 60)).article.id
        kept = [lib.add_note(aid, 0, 5, "a").id, lib.add_note(aid, 6, 9, "b").id]
        highlight = lib.add_highlight(aid, 10, 20).id
        entry = lib.delete(aid)
    with Library.open(home) as lib:
        later = lib.add_note(other, 0, 5, "later")
        assert later.id not in kept
        assert lib.add_highlight(other, 0, 5).id != highlight
        lib.restore_deleted(entry.id)
        assert [n.id for n in lib.notes(aid)] == kept
        assert [h.id for h in lib.highlights(aid)] == [highlight]
        assert lib.add_note(other, 6, 9, "newest").id == later.id + 1


def test_an_article_added_again_meanwhile_gets_its_old_work_back_once(home: Path) -> None:
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        lib.add_note(aid, 0, 10, "old note")
        lib.add_highlight(aid, 12, 40, "old thought")
        lib.add_highlight(aid, 60, 90)
        lib.save_review_state("h1", aid, {"old": True}, 1.7e9)
        lib.set_tags(aid, ["coast"])
        entry = lib.delete(aid)
        again = lib.add_article(barrier_article()).article
        assert again.id == aid  # same content, same id
        lib.add_note(aid, 0, 10, "old note")  # typed again, word for word
        lib.add_highlight(aid, 12, 40, "new thought")  # the same passage, a new note
        lib.set_tags(aid, ["floods"])

        restored = lib.restore_deleted(entry.id)

        assert restored.merged and restored.skipped == 2
        assert "had been added again" in restored.message
        assert "2 duplicates left out" in restored.message
        assert [r.id for r in lib.articles()] == [aid]  # one article, not two
        assert [n.text for n in lib.notes(aid)] == ["old note"]  # not twice
        spans = {(h.start, h.end): h.note for h in lib.highlights(aid)}
        assert spans == {(12, 40): "new thought\n\nold thought", (60, 90): ""}
        assert lib.get(aid).tags == ("coast", "floods")
        assert lib.trash() == []


def test_a_restore_interrupted_before_the_entry_went_is_harmless(
    full_home: tuple[Path, str], tmp_path: Path
) -> None:
    home, aid = full_home
    with Library.open(home) as lib:
        entry = lib.delete(aid)
        kept = tmp_path / "entry.json"
        shutil.copy(home / "trash" / f"{entry.id}.json", kept)
        lib.restore_deleted(entry.id)
        after = outside_trash(home)
        shutil.copy(kept, home / "trash" / f"{entry.id}.json")  # as if the unlink was lost
        again = lib.restore_deleted(entry.id)
        assert "already in the library with everything" in again.message
        assert outside_trash(home) == after and lib.trash() == []


def test_a_damaged_entry_is_listed_and_left_alone(full_home: tuple[Path, str]) -> None:
    home, aid = full_home
    with Library.open(home) as lib:
        entry = lib.delete(aid)
    path = home / "trash" / f"{entry.id}.json"
    path.write_bytes(path.read_bytes()[:200])
    with Library.open(home) as lib:
        (listed,) = lib.trash()
        assert listed.id == entry.id and "cannot be read" in listed.damaged
        with pytest.raises(DamagedFile, match="left as it is"):
            lib.restore_deleted(entry.id)
        with pytest.raises(NotFound):
            lib.restore_deleted("not-an-entry")
    assert path.exists()


def test_a_read_only_window_lists_the_trash_but_changes_nothing(
    full_home: tuple[Path, str],
) -> None:
    home, aid = full_home
    with Library.open(home) as lib:
        entry = lib.delete(aid)
    with Library.open(home, read_only=True) as lib:
        assert [e.id for e in lib.trash()] == [entry.id]
        assert lib.last_deleted() == entry
        with pytest.raises(ReadOnlyError):
            lib.restore_deleted(entry.id)


def test_restore_announces_the_article_and_its_marks(full_home: tuple[Path, str]) -> None:
    home, aid = full_home
    heard: list[tuple[str, str, int | None]] = []
    with Library.open(home) as lib:
        entry = lib.delete(aid)
        lib.subscribe(lambda event, article, ref: heard.append((event, article, ref)))
        lib.restore_deleted(entry.id)
    assert heard[0] == ("article-added", aid, None)
    assert sorted(e for e, _, _ in heard[1:]) == ["highlight-changed"] * 2 + ["note-changed"] * 3


def test_search_finds_a_restored_article_and_its_notes_again(home: Path) -> None:
    from reader.study.search import SearchIndex

    with Library.open(home) as lib, SearchIndex.open(lib) as index:
        aid = lib.add_article(barrier_article()).article.id
        lib.add_note(aid, 0, 10, "kingfisher")
        entry = lib.delete(aid)
        assert index.search("kingfisher") == [] and index.search("surge") == []
        lib.restore_deleted(entry.id)
        assert [h.kind for h in index.search("kingfisher")] == ["note"]
        assert index.search("surge")[0].article_id == aid
