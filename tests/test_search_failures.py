"""The search index on a full disk or an unwritable folder: never moved aside, never fatal.

A full disk is simulated with SQLite's own `max_page_count` (SQLite then answers exactly
as on a full disk: SQLITE_FULL, "database or disk is full"); an unwritable index with a
connection that SQLite opens read-only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reader.article import Article
from reader.store.library import Library
from reader.study.search import INDEX_NAME, SearchIndex
from tests.conftest import barrier_article


def _full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every new connection to a file may not grow the file any more."""
    real: Callable[..., sqlite3.Connection] = sqlite3.connect

    def connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        con = real(database, *args, **kwargs)
        if str(database) != ":memory:":
            pages = con.execute("PRAGMA page_count").fetchone()[0]
            con.execute(f"PRAGMA max_page_count = {max(1, pages)}")
        return con

    monkeypatch.setattr(sqlite3, "connect", connect)  # reader.study.search looks it up there


def test_full_disk_keeps_a_good_index_and_answers_from_it(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library.open(home) as lib:
        lib.add_article(barrier_article())
        SearchIndex.open(lib).close()
        lib.add_article(Article.from_paragraphs("Kelp", None, None, None, ["Kelp forests " * 400]))
    good = (home / INDEX_NAME).read_bytes()
    _full_disk(monkeypatch)
    for _ in range(2):  # the audit saw the index renamed aside on *every* run
        with Library.open(home, read_only=True) as lib, SearchIndex.open(lib) as index:
            assert index.search("surge")
            assert any("disk is full" in n for n in index.notices), index.notices
    assert not list(home.glob("search.sqlite.corrupt-*"))
    assert (home / INDEX_NAME).read_bytes() == good
    monkeypatch.undo()
    with Library.open(home) as lib, SearchIndex.open(lib) as index:
        assert index.notices == []
        assert {h.title for h in index.search("kelp")} == {"Kelp"}


def test_full_disk_before_the_first_build_searches_from_memory(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library.open(home) as lib:
        lib.add_article(barrier_article())
    _full_disk(monkeypatch)
    with Library.open(home) as lib, SearchIndex.open(lib) as index:
        assert index.path is None
        assert any("from memory" in n for n in index.notices), index.notices
        assert index.search("surge")
    assert not list(home.glob("search.sqlite.corrupt-*"))


def test_an_index_that_cannot_be_written_is_searched_as_it_is(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library.open(home) as lib:
        lib.add_article(barrier_article())
        SearchIndex.open(lib).close()

    def refuse(path: Path, notices: list[str]) -> sqlite3.Connection:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(SearchIndex, "_connect_writable", staticmethod(refuse))
    with Library.open(home) as lib, SearchIndex.open(lib) as index:
        assert index.path == home / INDEX_NAME
        assert any("cannot be updated" in n for n in index.notices)
        assert index.search("surge")


def test_limit_is_bounded(library: Library) -> None:
    library.add_article(barrier_article())
    with SearchIndex.open(library) as index, pytest.raises(ValueError, match="1 to 10000"):
        index.search("surge", limit=99999999999999999999999)
