"""Every write path of the store on a full disk: one DiskError naming the file, nothing changed.

The fault is injected where every write goes through (reader.store.fileio.write_temp, the
first half of each atomic replace), so the store meets exactly what a full disk gives:
OSError(ENOSPC) while writing a temporary file.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.store import DiskError, Library, fileio
from tests.conftest import barrier_article, make_article


def home_bytes(home: Path) -> dict[str, bytes]:
    """Everything the store keeps, by relative path (the lock and the index aside)."""
    return {
        str(p.relative_to(home)): p.read_bytes()
        for p in sorted(home.rglob("*"))
        if p.is_file() and p.name != ".lock" and not p.name.startswith("search.sqlite")
    }


def fill_disk(monkeypatch: pytest.MonkeyPatch, where: str = "") -> None:
    """Make every atomic write (whose target path contains `where`) fail as on a full disk."""
    real = fileio.write_temp

    def full(path: Path, data: bytes, *, sync: bool = True) -> Path:
        if where in str(path):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, data, sync=sync)

    monkeypatch.setattr(fileio, "write_temp", full)


@pytest.fixture
def ready(home: Path) -> tuple[Path, str, int, int]:
    """A home with an article, a note, a highlight with a note, progress and a schedule."""
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        note = lib.add_note(aid, 0, 10, "first note").id
        highlight = lib.add_highlight(aid, 12, 40, "why?").id
        lib.save_progress(aid, position=12, progress=0.2)
        lib.save_review_state("h1", aid, {"card_id": 1, "state": 1}, 1_700_000_000.0)
        lib.set_tags(aid, ["coast"])
        lib.set_setting("theme", "textual-dark")
    return home, aid, note, highlight


CHANGES: dict[str, Callable[[Library, str, int, int], object]] = {
    "add an article": lambda lib, aid, n, h: lib.add_article(make_article("Another", 80)),
    "add articles": lambda lib, aid, n, h: lib.add_articles(
        [(make_article("One", 50), None), (make_article("Two", 50), None)]
    ),
    "save progress": lambda lib, aid, n, h: lib.save_progress(aid, position=40, progress=0.5),
    "add a note": lambda lib, aid, n, h: lib.add_note(aid, 50, 60, "typed text"),
    "edit a note": lambda lib, aid, n, h: lib.update_note(n, "edited"),
    "delete a note": lambda lib, aid, n, h: lib.delete_note(n),
    "highlight": lambda lib, aid, n, h: lib.add_highlight(aid, 70, 90),
    "note a highlight": lambda lib, aid, n, h: lib.set_highlight_note(h, "changed"),
    "remove a highlight": lambda lib, aid, n, h: lib.remove_highlight(h),
    "set tags": lambda lib, aid, n, h: lib.set_tags(aid, ["coast", "floods"]),
    "delete the article": lambda lib, aid, n, h: lib.delete(aid),
    "rate a card": lambda lib, aid, n, h: lib.save_review_state("n1", aid, {"state": 2}, 1.0e9),
    "record key sentences": lambda lib, aid, n, h: lib.set_key_sentences({aid: ("v", [(0, 5)])}),
    "change a setting": lambda lib, aid, n, h: lib.set_setting("wpm", 250.0),
    "correct an entity": lambda lib, aid, n, h: lib.correct_entity("Brackenmouth", label="ORG"),
    "restore": lambda lib, aid, n, h: lib.restore(
        articles=[(make_article("Restored", 60), {"title": "Restored", "tags": ["x"]})],
        settings={"new": 1},
    ),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_full_disk_changes_nothing_and_says_which_file(
    ready: tuple[Path, str, int, int], change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, aid, note, highlight = ready
    before = home_bytes(home)
    with Library.open(home) as lib:
        fill_disk(monkeypatch)
        with pytest.raises(DiskError) as caught:
            CHANGES[change](lib, aid, note, highlight)
        message = str(caught.value)
        assert "the disk is full" in message and "free some space" in message
        assert str(home) in message and "\n" not in message
        monkeypatch.undo()
        assert home_bytes(home) == before  # nothing half-written, nothing dropped
        CHANGES[change](lib, aid, note, highlight)  # with space again, the same call works
    assert home_bytes(home) != before


def test_restore_with_a_read_only_notes_folder_writes_nothing(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audit's import-notes case: articles written, notes not. Now all or nothing."""
    with Library.open(home) as lib:
        lib.set_setting("seeded", True)
    before = home_bytes(home)
    article = barrier_article()
    from reader.store import article_id

    aid = article_id(article)
    real = fileio.write_temp

    def refuse_notes(path: Path, data: bytes, *, sync: bool = True) -> Path:
        if path.parent.name == "notes":
            raise OSError(errno.EACCES, "Permission denied", str(path))
        return real(path, data, sync=sync)

    with Library.open(home) as lib:
        monkeypatch.setattr(fileio, "write_temp", refuse_notes)
        note = {"id": 1, "article_id": aid, "start": 0, "end": 5, "text": "kept?"}
        with pytest.raises(DiskError, match="permission denied"):
            lib.restore(articles=[(article, {"title": "T"})], notes=[note])
        assert lib.articles() == [] and lib.notes(aid) == []
    assert home_bytes(home) == before
    assert not list((home / "articles").iterdir())


def test_cache_on_a_full_disk_only_loses_the_cache(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.nlp.cache import AnalysisCache
    from tests.conftest import fake_analyze

    cache = AnalysisCache(home / "cache", "v1")
    analysis = fake_analyze(barrier_article().text)
    fill_disk(monkeypatch)
    cache.put(analysis)  # no exception: the analysis is still shown, just not kept
    monkeypatch.undo()
    assert cache.get(analysis.text) is None
    cache.put(analysis)
    assert cache.get(analysis.text) == analysis


def test_opening_on_a_full_disk_still_reads(
    ready: tuple[Path, str, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    home, aid, _note, _highlight = ready
    fill_disk(monkeypatch)
    with Library.open(home) as lib:
        assert [r.id for r in lib.articles()] == [aid]
        assert [n.text for n in lib.notes(aid)] == ["first note"]
