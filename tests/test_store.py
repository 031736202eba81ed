"""The library in one process: articles, progress, notes, settings, damaged files, threads."""

from __future__ import annotations

import gzip
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.article import Article
from reader.store import (
    DamagedFile,
    DiskError,
    Library,
    NotFound,
    ReadOnlyError,
    StoreError,
    article_id,
    filter_articles,
    resolve_home,
)
from reader.store.fileio import drain_unlinks
from reader.store.home import content_key
from reader.store.library import SCHEMA_VERSION


def make_article(n: int = 1, *, title: str | None = None, source: str = "Harbour Times") -> Article:
    return Article.from_paragraphs(
        title=title if title is not None else f"Article {n}",
        author=f"Author {n}",
        published="2024-02-20",
        source=source,
        paragraphs=[f"Paragraph one of article {n}.", f"Paragraph two of article {n}, longer."],
    )


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    library = Library.open(tmp_path / "home")
    yield library
    library.close()


# ---------------------------------------------------------------- articles


def test_add_dedupes_by_content_and_lists_without_reading_texts(lib: Library) -> None:
    first = lib.add_article(make_article(1), origin="/clips/one.txt")
    second = lib.add_article(make_article(2))
    again = lib.add_article(make_article(1), origin="/elsewhere/copy.txt")

    assert first.added and second.added and not again.added
    assert again.article.id == first.article.id == article_id(make_article(1))
    assert again.article.origin == "/clips/one.txt"  # the first import's path is kept
    assert len(first.article.id) == 16
    records = lib.articles()
    assert [r.id for r in records] == [first.article.id, second.article.id]
    record = lib.get(first.article.id)
    assert (record.title, record.author, record.source) == (
        "Article 1",
        "Author 1",
        "Harbour Times",
    )
    assert record.words == make_article(1).words
    assert record.progress == 0.0 and record.position == 0 and not record.finished
    assert record.last_read is None and record.added_at.endswith("+00:00")

    # Listing must not depend on the texts: remove them and list again.
    for path in (lib.home / "articles").iterdir():
        path.unlink()
    assert [r.id for r in lib.articles()] == [first.article.id, second.article.id]


def test_identity_ignores_metadata_but_not_content() -> None:
    plain = make_article(1)
    bylined = Article.from_paragraphs(
        plain.title, "Someone Else", None, "Other", list(plain.paragraphs)
    )
    edited = Article.from_paragraphs(
        plain.title, plain.author, None, None, [*plain.paragraphs, "More."]
    )
    assert article_id(bylined) == article_id(plain)
    assert article_id(edited) != article_id(plain)


def test_load_article_round_trips_and_unknown_ids_are_not_found(lib: Library) -> None:
    article = make_article(3)
    article.paragraphs.append("Ünïcödé — “quotes” and emoji 📚.")
    aid = lib.add_article(article).article.id
    assert lib.load_article(aid) == article
    assert (lib.home / "articles" / f"{aid}.json.gz").is_file()
    for bad in ("0123456789abcdef", "not-an-id", ""):
        with pytest.raises(NotFound):
            lib.get(bad)
        with pytest.raises(NotFound):
            lib.load_article(bad)


def test_untitled_article_is_listed_by_its_opening_words(lib: Library) -> None:
    record = lib.add_article(make_article(4, title="")).article
    assert record.title == "Paragraph one of article 4."


def test_delete_removes_everything_and_counts_notes(lib: Library) -> None:
    keep = lib.add_article(make_article(1)).article.id
    aid = lib.add_article(make_article(2)).article.id
    for start in (0, 10, 20):
        lib.add_note(aid, start, start + 5, f"note at {start}")
    kept_note = lib.add_note(keep, 0, 5, "stays")
    lib.save_progress(aid, position=30, progress=0.4, seconds_read=12)
    text = lib.load_article(aid).text
    cached = lib.cache_dir / f"{content_key(text)}-1.json.gz"
    cached.write_bytes(b"analysis")

    assert lib.note_count(aid) == 3
    assert lib.delete(aid).notes == 3

    with pytest.raises(NotFound):
        lib.get(aid)
    assert lib.notes(aid) == [] and lib.note_count(aid) == 0
    assert not (lib.home / "articles" / f"{aid}.json.gz").exists()
    assert not cached.exists()
    assert [r.id for r in lib.articles()] == [keep]
    assert lib.notes(keep) == [kept_note]
    with pytest.raises(NotFound):
        lib.delete(aid)
    # Re-adding starts clean: no progress, no notes from before.
    again = lib.add_article(make_article(2))
    assert again.added and again.article.progress == 0.0 and lib.note_count(aid) == 0


def test_add_article_repairs_a_missing_text(lib: Library) -> None:
    aid = lib.add_article(make_article(1)).article.id
    (lib.home / "articles" / f"{aid}.json.gz").unlink()
    with pytest.raises(DamagedFile, match="missing"):
        lib.load_article(aid)
    assert lib.add_article(make_article(1)).added is False
    assert lib.load_article(aid) == make_article(1)


def test_bulk_add_matches_single_adds(lib: Library) -> None:
    results = lib.add_articles([(make_article(n), f"/p/{n}") for n in (1, 2, 1, 3)])
    assert [r.added for r in results] == [True, True, False, True]
    assert results[2].article.id == results[0].article.id
    assert len(lib.articles()) == 3
    assert lib.add_articles([(make_article(2), None)])[0].added is False
    assert lib.load_article(results[3].article.id) == make_article(3)


def test_filter_articles_matches_title_source_and_author(lib: Library) -> None:
    lib.add_article(make_article(1, title="Tide barrier opens", source="Harbour Times"))
    lib.add_article(make_article(2, title="Orbital freight", source="Space News"))
    records = lib.articles()
    assert [r.title for r in filter_articles(records, "TIDE")] == ["Tide barrier opens"]
    assert [r.title for r in filter_articles(records, "space freight")] == ["Orbital freight"]
    assert [r.title for r in filter_articles(records, "author 2")] == ["Orbital freight"]
    assert len(filter_articles(records, "  ")) == 2
    assert filter_articles(records, "nowhere") == []


# ---------------------------------------------------------------- progress


def test_progress_survives_reopen(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with Library.open(home) as library:
        aid = library.add_article(make_article(1)).article.id
        library.save_progress(aid, position=120, progress=0.25, seconds_read=30.5)
        library.save_progress(aid, position=480, progress=0.5, seconds_read=29.5)
    with Library.open(home) as library:
        record = library.get(aid)
        assert record.position == 480
        assert record.progress == pytest.approx(0.5)
        assert record.seconds_read == pytest.approx(60.0)
        assert record.last_read is not None and not record.finished
        assert library.articles()[0] == record


def test_finished_is_what_the_caller_says_and_stays_until_cleared(lib: Library) -> None:
    """Reaching the end is not finishing (one `G` reaches it): the reading screen judges,
    or the reader says so; the store keeps the mark until it is cleared."""
    aid = lib.add_article(make_article(1)).article.id
    lib.save_progress(aid, position=900, progress=0.996)
    assert not lib.get(aid).finished
    lib.save_progress(aid, position=900, progress=0.996, finished=True)
    lib.save_progress(aid, position=0, progress=0.0)  # re-reading from the top
    assert lib.get(aid).finished
    lib.save_progress(aid, position=0, progress=0.0, finished=False)
    assert not lib.get(aid).finished
    lib.save_progress(aid, position=10, progress=0.1, finished=True)
    assert lib.get(aid).finished
    lib.save_progress(aid, position=10, progress=7.0, seconds_read=-5)
    record = lib.get(aid)
    assert record.progress == 1.0 and record.seconds_read == 0.0


def test_furthest_point_only_rises_and_old_records_read_as_their_bookmark(lib: Library) -> None:
    aid = lib.add_article(make_article(1)).article.id
    lib.save_progress(aid, position=500, progress=0.8, anchor=420)
    assert lib.get(aid).anchor == 420
    lib.save_progress(aid, position=50, progress=0.1)  # went back to a passage
    record = lib.get(aid)
    assert (record.position, record.progress, record.furthest) == (50, 0.1, 0.8)
    lib.save_progress(aid, position=60, progress=0.12, furthest=0.3)
    assert lib.get(aid).furthest == 0.8
    assert lib.get(aid).anchor is None  # the screen said nothing of the new place
    # A progress record saved before `furthest` existed: the bookmark was the furthest.
    doc = lib.progress_doc(aid)
    assert doc is not None
    legacy = {k: v for k, v in doc.items() if k not in ("furthest", "anchor")}
    lib._progress.restore([legacy | {"progress": 0.4}])
    assert lib.get(aid).furthest == 0.4
    with pytest.raises(ValueError):
        lib.save_progress(aid, position=0, progress=0.1, furthest=float("inf"))


def test_progress_rejects_unknown_articles_and_nonsense(lib: Library) -> None:
    aid = lib.add_article(make_article(1)).article.id
    with pytest.raises(NotFound):
        lib.save_progress("0123456789abcdef", position=0, progress=0.1)
    with pytest.raises(ValueError):
        lib.save_progress(aid, position=0, progress=float("nan"))


# ---------------------------------------------------------------- notes


def test_notes_crud_in_text_order_survives_reopen(tmp_path: Path) -> None:
    home = tmp_path / "home"
    literal = "[bold]not markup[/bold] \x1b[31mred?\x1b[0m and a \\ backslash\nsecond line"
    with Library.open(home) as library:
        aid = library.add_article(make_article(1)).article.id
        later = library.add_note(aid, 40, 60, "later sentence")
        early = library.add_note(aid, 0, 20, literal)
        gone = library.add_note(aid, 20, 40, "to delete")
        library.update_note(later.id, "edited")
        library.delete_note(gone.id)
        with pytest.raises(NotFound):
            library.delete_note(gone.id)
        with pytest.raises(NotFound):
            library.update_note(gone.id, "x")
    with Library.open(home) as library:
        notes = library.notes(aid)
        assert [(n.start, n.end, n.text) for n in notes] == [(0, 20, literal), (40, 60, "edited")]
        assert notes[0].id == early.id
        assert notes[1].created_at == later.created_at
        new = library.add_note(aid, 60, 61, "")
        assert new.id not in {early.id, later.id}
        assert library.note_counts() == {aid: 3}


def test_add_note_validates(lib: Library) -> None:
    aid = lib.add_article(make_article(1)).article.id
    with pytest.raises(NotFound):
        lib.add_note("0123456789abcdef", 0, 1, "x")
    with pytest.raises(ValueError):
        lib.add_note(aid, 5, 2, "x")
    with pytest.raises(ValueError):
        lib.add_note(aid, -1, 2, "x")


# ---------------------------------------------------------------- settings


def test_settings_persist_and_keep_their_type(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with Library.open(home) as library:
        assert library.get_setting("wpm", 230.0) == 230.0
        library.set_setting("wpm", 250)
        library.set_setting("theme", "light")
        library.set_setting("theme", "dark")
        with pytest.raises(ValueError):
            library.set_setting("bad", object())
    with Library.open(home) as library:
        wpm = library.get_setting("wpm", 230.0)
        assert wpm == 250.0 and isinstance(wpm, float)
        assert library.get_setting("theme", "textual-dark") == "dark"
        assert library.get_setting("theme", 3) == 3  # wrong type: the default wins
        assert library.get_setting("seeded", False) is False


# ---------------------------------------------------------------- damaged files


def test_corrupt_index_is_kept_aside_and_rebuilt_from_texts(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with Library.open(home) as library:
        aid = library.add_article(make_article(1)).article.id
        note = library.add_note(aid, 0, 5, "survives")
        library.save_progress(aid, position=7, progress=0.3)
    damaged = b'{"articles": {"1": {"id": "trunc'
    (home / "library.json").write_bytes(damaged)

    with Library.open(home) as library:
        aside = list(home.glob("library.json.corrupt-*"))
        assert len(aside) == 1 and aside[0].read_bytes() == damaged
        assert any("library.json" in n and aside[0].name in n for n in library.notices)
        assert any("Recovered 1 article from" in n for n in library.notices)
        assert library.get(aid).position == 7
        assert library.notes(aid) == [note]
        library.add_article(make_article(2))
    with Library.open(home) as library:
        assert library.notices == []
        assert len(library.articles()) == 2


@pytest.mark.parametrize("payload", [b"[]", b'{"articles": 5}', b"", b"\xff\xfe\x00"])
def test_wrongly_shaped_index_starts_fresh_after_saying_so(tmp_path: Path, payload: bytes) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "library.json").write_bytes(payload)
    with Library.open(home) as library:
        assert len(library.notices) == 1 and "starting a fresh index" in library.notices[0]
        assert library.articles() == []
        aid = library.add_article(make_article(1)).article.id
    assert [p.read_bytes() for p in home.glob("library.json.corrupt-*")] == [payload]
    with Library.open(home) as library:
        assert [r.id for r in library.articles()] == [aid]


def test_second_corruption_in_the_same_second_gets_its_own_name(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    for payload in (b"one", b"two"):
        (home / "settings.json").write_bytes(payload)
        Library.open(home).close()
    kept = sorted(p.read_bytes() for p in home.glob("settings.json.corrupt-*"))
    assert kept == [b"one", b"two"]


def test_corrupt_notes_shard_costs_only_those_notes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with Library.open(home) as library:
        ids = [
            r.article.id for r in library.add_articles((make_article(n), None) for n in range(40))
        ]
        library._bulk_insert_for_bench(notes=[(aid, 0, 1, f"note for {aid}") for aid in ids])
    victim = ids[0]
    others = [aid for aid in ids if aid[0] != victim[0]]
    (home / "notes" / f"{victim[0]}.json").write_text("garbage", encoding="utf-8")
    with Library.open(home) as library:
        assert len(library.notices) == 1 and f"notes/{victim[0]}.json" in library.notices[0]
        assert library.notes(victim) == []
        assert all(library.note_count(aid) == 1 for aid in others)
        assert len(library.articles()) == len(ids)


def test_damaged_text_is_reported_and_kept_aside(lib: Library) -> None:
    aid = lib.add_article(make_article(1)).article.id
    other = lib.add_article(make_article(2)).article.id
    path = lib.home / "articles" / f"{aid}.json.gz"
    path.write_bytes(gzip.compress(b'{"paragraphs": 5}'))
    with pytest.raises(DamagedFile, match="Article 1"):
        lib.load_article(aid)
    assert len(list((lib.home / "articles").glob(f"{aid}.json.gz.corrupt-*"))) == 1
    assert lib.load_article(other) == make_article(2)
    assert [r.id for r in lib.articles()] == [aid, other]


def test_malformed_index_entry_is_set_aside_not_fatal(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with Library.open(home) as library:
        aid = library.add_article(make_article(1)).article.id
    data = json.loads((home / "library.json").read_text(encoding="utf-8"))
    data["articles"]["12345"] = {"id": 7}
    damaged = json.dumps(data).encode("utf-8")
    (home / "library.json").write_bytes(damaged)
    with Library.open(home, read_only=True) as library:
        assert [r.id for r in library.articles()] == [aid]
        assert any("1 record cannot be read" in n and "hidden" in n for n in library.notices)
    assert not list(home.glob("library.json.corrupt-*"))  # a read-only window moves nothing
    with Library.open(home) as library:
        assert [r.id for r in library.articles()] == [aid]
        assert any("1 record could not be read" in n for n in library.notices)
    assert [p.read_bytes() for p in home.glob("library.json.corrupt-*")] == [damaged]
    assert "12345" not in json.loads((home / "library.json").read_text())["articles"]
    with Library.open(home) as library:
        assert library.notices == []


def test_failed_write_leaves_the_old_file(lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    aid = lib.add_article(make_article(1)).article.id
    lib.add_note(aid, 0, 1, "first")
    shard = lib.home / "notes" / f"{aid[0]}.json"
    before = shard.read_bytes()

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(DiskError, match="disk is full"):
        lib.add_note(aid, 2, 3, "second")
    monkeypatch.undo()
    drain_unlinks()
    assert shard.read_bytes() == before
    assert [n.text for n in lib.notes(aid)] == ["first"]
    assert not [p for p in shard.parent.iterdir() if p.name.endswith(".tmp")]


# ---------------------------------------------------------------- modes, threads


def test_explicit_read_only_takes_no_lock(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with Library.open(home) as library:
        aid = library.add_article(make_article(1)).article.id
    with Library.open(home, read_only=True) as viewer, Library.open(home) as writer:
        assert viewer.read_only and not writer.read_only
        with pytest.raises(ReadOnlyError):
            viewer.save_progress(aid, position=1, progress=0.1)
        writer.add_note(aid, 0, 1, "from the writer")
        assert [n.text for n in viewer.notes(aid)] == ["from the writer"]  # sees fresh data
        assert not viewer.try_become_writable()


def test_newer_schema_opens_read_only(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Library.open(home).close()
    data = json.loads((home / "library.json").read_text(encoding="utf-8"))
    data["meta"]["1"]["schema"] = SCHEMA_VERSION + 1
    (home / "library.json").write_text(json.dumps(data), encoding="utf-8")
    with Library.open(home) as library:
        assert library.read_only and "newer version" in library.notices[0]
        with pytest.raises(ReadOnlyError):
            library.add_article(make_article(1))


def test_closed_library_refuses_calls(tmp_path: Path) -> None:
    library = Library.open(tmp_path / "home")
    library.close()
    library.close()
    with pytest.raises(StoreError, match="closed"):
        library.articles()


def test_hand_off_to_a_worker_and_concurrent_calls_are_serialized(lib: Library) -> None:
    aid = lib.add_article(make_article(1)).article.id
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(10):
                lib.add_note(aid, n * 100 + i, n * 100 + i + 1, f"w{n}-{i}")
                lib.save_progress(aid, position=i, progress=i / 10, seconds_read=1)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert lib.note_count(aid) == 40
    assert len({n.id for n in lib.notes(aid)}) == 40
    assert lib.get(aid).seconds_read == pytest.approx(40.0)


# ---------------------------------------------------------------- home


def test_resolve_home_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: str(tmp_path / "plat"))
    monkeypatch.delenv("READER_HOME", raising=False)
    assert resolve_home() == tmp_path / "plat"
    monkeypatch.setenv("READER_HOME", "")
    assert resolve_home(None) == tmp_path / "plat"
    monkeypatch.setenv("READER_HOME", str(tmp_path / "env"))
    assert resolve_home(None) == tmp_path / "env"
    assert resolve_home(tmp_path / "cli" / "nested") == tmp_path / "cli" / "nested"
    assert all((tmp_path / d).is_dir() for d in ("plat", "env", "cli/nested"))
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OSError, match="is a file"):
        resolve_home(tmp_path / "file")


def test_leftovers_of_a_killed_writer_are_swept_and_close_leaves_none(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with Library.open(home) as library:
        aid = library.add_article(make_article(1)).article.id
        for i in range(5):
            library.save_progress(aid, position=i, progress=0.1)
    hidden = {p.relative_to(home).as_posix() for p in home.rglob(".*")}
    assert hidden == {".lock"}
    stale = [home / ".library.json.abc.tmp", home / "progress" / ".3.json.old-1-2.tmp"]
    for path in stale:
        path.write_bytes(b"half")
    with Library.open(home) as library:
        assert library.notices == [] and library.get(aid).position == 4
        assert not any(path.exists() for path in stale)


def test_read_only_open_of_a_missing_home_is_empty_and_creates_nothing(tmp_path: Path) -> None:
    home = tmp_path / "nowhere"
    with Library.open(home, read_only=True) as library:
        assert library.articles() == [] and library.get_setting("wpm", 230.0) == 230.0
        with pytest.raises(ReadOnlyError):
            library.set_setting("wpm", 200.0)
    assert not home.exists()


def test_tags_are_cleaned_and_kept(lib: Library) -> None:
    aid = lib.add_article(make_article(1)).article.id
    assert lib.set_tags(aid, [" science ", "", "climate", "science"]).tags == ("climate", "science")
    assert lib.articles()[0].tags == ("climate", "science")
