"""Full-text search over articles, notes and highlights: SQLite FTS5 beside the library.

The index lives in ``<home>/search.sqlite`` (stdlib sqlite3; FTS5 is compiled into the
CPython builds we support — `fts5_available()` checks). It is derived data: the store stays
the truth, and the index can always be rebuilt from it.

Rows (one per searchable passage, so every hit maps to an offset in the article text):

* a title row per article (hit offset 0);
* one row per passage of the article text: whole paragraphs (the "\\n\\n"-separated parts
  of `Article.text`) in runs of about PASSAGE characters, so their offsets are exact with
  no NLP; a hit's `start`/`end` is the first matching word inside the passage, found with
  FTS5's highlight(), which the UI turns into "the sentence containing start";
* one row per note (its text; offsets = the sentence the note is on);
* one row per highlight (the passage and its note; offsets = the passage).

Ranking is FTS5's bm25 with the title weighted 3, notes 2, text 1; `score` in a hit is
-bm25 (higher is better). Queries are words (all must match, stemmed with Porter,
accents folded), "quoted phrases", and word* prefixes; no other FTS syntax leaks through,
so user input can never be a syntax error.

Keeping it current: `SearchIndex.open` subscribes to the library's change announcements
and applies each change at once; it also compares what the index holds with the store
(ids and a checksum of each note and highlight) and fixes any difference, so changes made
by another process, an older version or a crash between the two writes are caught the
next time the index is opened. A missing index is built from the store; one that SQLite
cannot read is renamed aside (``search.sqlite.corrupt-<stamp>``), rebuilt, and a notice
says so. On a read-only library an existing index is searched as it is; a missing one is
built in memory for the session.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from reader.store.errors import NotFound, StoreError
from reader.store.fileio import rename_aside

if TYPE_CHECKING:
    from reader.store.library import Library

__all__ = ["INDEX_NAME", "SearchHit", "SearchIndex", "fts5_available", "to_fts_query"]

INDEX_NAME = "search.sqlite"
INDEX_VERSION = "2"  # 2: paragraphs indexed in passages (PASSAGE)
MAX_LIMIT = 10_000
BUSY_SECONDS = 5.0  # how long to wait for another process's update of the index
HitKind = Literal["article", "note", "highlight"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs(
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,          -- 'title', 'para', 'note', 'highlight'
    ref TEXT NOT NULL,           -- article id, note id or highlight id
    article_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_ref ON docs(kind, ref);
CREATE TABLE IF NOT EXISTS sources(
    kind TEXT NOT NULL,          -- 'article', 'note', 'highlight'
    ref TEXT NOT NULL,
    article_id TEXT NOT NULL,
    stamp TEXT NOT NULL,
    PRIMARY KEY(kind, ref)
);
CREATE TABLE IF NOT EXISTS titles(article_id TEXT PRIMARY KEY, title TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    title, body, note, tokenize = 'porter unicode61 remove_diacritics 2'
);
"""
_WEIGHTS = "3.0, 1.0, 2.0"
_OPEN, _CLOSE = "\x02", "\x03"
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


def fts5_available() -> bool:
    try:
        con = sqlite3.connect(":memory:")
        try:
            con.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return True


def to_fts_query(query: str) -> str:
    """The user's words as a safe FTS5 query; ValueError when nothing searchable is left.

    Every word is quoted (so AND, OR, NEAR, column: and punctuation are just text),
    "phrases" stay phrases, and a trailing * on a word asks for a prefix match.
    """
    parts: list[str] = []
    for match in _TOKEN.finditer(query):
        phrase, word = match.group(1), match.group(2)
        if phrase is not None:
            words = _WORD.findall(phrase)
            if words:
                parts.append('"' + " ".join(words) + '"')
            continue
        words = _WORD.findall(word)
        if not words:
            continue
        prefix = word.endswith("*") and len(words) == 1
        parts.append('"' + " ".join(words) + '"' + ("*" if prefix else ""))
    if not parts:
        raise ValueError("Nothing to search for: give at least one word.")
    return " ".join(parts)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One ranked hit. Opening `article_id` at `start` shows the matching sentence.

    For an article hit start/end span the first matching word (0, 0 for a title hit); for
    a note, the sentence it is on; for a highlight, the passage. `snippet` is a short
    extract around the match with the matched words between the caller's markers.
    """

    article_id: str
    title: str
    kind: HitKind
    start: int
    end: int
    snippet: str
    score: float

    def to_dict(self) -> dict[str, object]:
        return {
            "article_id": self.article_id,
            "title": self.title,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "snippet": self.snippet,
            "score": self.score,
        }


PASSAGE = 1500
"""Paragraphs are indexed in runs of at least this many characters (a long one alone).

bm25 is computed for every row a query matches before the best are kept, so its cost
follows the rows: a book's short paragraphs made one common word match sixty thousand
rows in a ten-book library (over 100 ms). A run of whole paragraphs, about 250 words, is
still a place to land on, and its offsets stay exact: it is a slice of the text."""


def _passages(text: str) -> Iterator[tuple[int, str]]:
    """(offset, passage): the "\\n\\n"-separated paragraphs of an article text, joined
    in runs of PASSAGE characters or more, each run exactly text[offset:offset + len]."""
    offset = 0
    start = end = -1
    for paragraph in text.split("\n\n"):
        if paragraph.strip():
            if start < 0:
                start = offset
            end = offset + len(paragraph)
            if end - start >= PASSAGE:
                yield start, text[start:end]
                start = -1
        offset += len(paragraph) + 2
    if start >= 0:
        yield start, text[start:end]


def _stamp(updated_at: str, text: str) -> str:
    """Enough to notice an edit, even two within the same second."""
    return f"{updated_at}|{len(text)}|{zlib.crc32(text.encode('utf-8')):08x}"


class SearchIndex:
    """The search index of one open library; see the module doc for how it stays current.

    Use from the thread that owns the library. `notices` collects things to tell the
    reader once (index rebuilt, ...).
    """

    def __init__(
        self, library: Library, con: sqlite3.Connection, path: Path | None, *, writable: bool
    ) -> None:
        """Use SearchIndex.open()."""
        self.library = library
        self.path = path
        self._writable = writable
        self.notices: list[str] = []
        self._con = con
        self._stale = False
        self._texts: dict[str, str] = {}
        self._unsubscribe = library.subscribe(self._on_change)

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, library: Library, *, sync: bool = True) -> SearchIndex:
        """Open (building, repairing or catching up as needed) the library's index.

        The index is derived data with its own (SQLite) locking, so it is kept current even
        from a library opened read-only: a `reader search` run beside the app takes no
        TinyDB lock yet still finds what was added since. Only damage moves the file
        aside; a full disk or a folder that cannot be written leaves it as it is, and the
        search answers from what it holds (or from memory) with a notice.
        """
        if not fts5_available():
            raise StoreError(
                "Search needs SQLite with FTS5, which this Python's sqlite3 lacks; "
                "install a Python built with a recent SQLite."
            )
        path = library.home / INDEX_NAME
        notices: list[str] = []
        con, path_used, writable = cls._connect(path, notices)
        index = cls(library, con, path_used, writable=writable)
        index.notices.extend(notices)
        try:
            built = index._ensure_schema()
            if built and path_used is not None and not notices:
                index.notices.append("Building the search index for the first time.")
            if sync:
                index.sync()
        except sqlite3.DatabaseError as exc:
            index._after_failure(exc)
        return index

    @classmethod
    def _connect(
        cls, path: Path, notices: list[str]
    ) -> tuple[sqlite3.Connection, Path | None, bool]:
        """A writable connection to the index file, else a read-only one to it, else an
        index in memory for this session; and whether it can be written."""
        try:
            return cls._connect_writable(path, notices), path, True
        except sqlite3.DatabaseError as exc:  # not damage: the disk or the folder refused
            why = _reason(exc)
        if path.exists():
            try:
                con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
                if _meta(con, "version") == INDEX_VERSION:
                    notices.append(
                        f"The search index cannot be updated ({why}); searching it as it is, "
                        "so the newest changes may be missing."
                    )
                    return con, path, False
                con.close()
            except sqlite3.DatabaseError:
                pass
        notices.append(f"The search index cannot be saved ({why}); searching from memory.")
        return _memory(), None, True

    @staticmethod
    def _connect_writable(path: Path, notices: list[str]) -> sqlite3.Connection:
        """Raises sqlite3.DatabaseError for anything but damage, which is moved aside."""
        for attempt in range(2):
            con: sqlite3.Connection | None = None
            try:
                con = sqlite3.connect(
                    path, isolation_level=None, check_same_thread=False, timeout=BUSY_SECONDS
                )
                con.execute("PRAGMA synchronous = NORMAL")
                con.execute("SELECT count(*) FROM sqlite_master").fetchone()
                version = _meta(con, "version")
                if version is not None and version != INDEX_VERSION:
                    con.close()
                    path.unlink()
                    continue
                if version is not None:
                    con.execute("SELECT count(*) FROM docs").fetchone()
                    con.execute("SELECT rowid FROM fts LIMIT 1").fetchall()
                return con
            except sqlite3.DatabaseError as exc:
                if con is not None:
                    with contextlib.suppress(Exception):
                        con.close()
                if not _is_damage(exc):
                    raise
                if attempt:
                    raise StoreError(
                        f"The search index {path} cannot be used ({exc}); delete it to rebuild."
                    ) from exc
                aside = _rename_index_aside(path)
                notices.append(
                    f"The search index could not be read ({exc}); it was kept as "
                    f"{aside} and rebuilt from the library."
                )
        raise AssertionError("unreachable")

    def _after_failure(self, exc: sqlite3.DatabaseError) -> None:
        """Damage: move the file aside and rebuild. Anything else: say so, carry on."""
        if _is_damage(exc):
            if self.path is None or not self._writable:
                self.close()
                raise StoreError(f"The search index cannot be read ({exc}).") from exc
            self._recover(exc)
            return
        self._refused(exc)

    def _refused(self, exc: sqlite3.DatabaseError) -> None:
        """The disk refused an update: keep searching what the index holds, once told."""
        self._writable = False
        if _meta_or_none(self._con) != INDEX_VERSION:  # never built: nothing to search
            with contextlib.suppress(sqlite3.Error):
                self._con.close()
            self._con, self.path, self._writable = _memory(), None, True
            self._ensure_schema()
            self.notices.append(
                f"The search index cannot be saved ({_reason(exc)}); searching from memory."
            )
            self.sync()
            return
        self.notices.append(
            f"The search index could not be brought up to date ({_reason(exc)}); searching "
            "it as it is, so the newest changes may be missing."
        )

    def _ensure_schema(self) -> bool:
        """Create the tables if needed; True when the index was empty (a first build)."""
        if _meta(self._con, "version") == INDEX_VERSION:
            return False
        if not self._writable:
            raise StoreError("The search index is not complete and cannot be written here.")
        self._con.executescript(_SCHEMA)
        with self._transaction():
            self._con.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('version', ?)", (INDEX_VERSION,)
            )
        return True

    def close(self) -> None:
        self._unsubscribe()
        with contextlib.suppress(sqlite3.Error):
            self._con.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """IMMEDIATE: take the write lock first, so a `reader search` beside the app waits
        its turn instead of failing half-way; a failed write rolls everything back."""
        if self._con.in_transaction:
            yield
            return
        self._con.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already
                self._con.execute("ROLLBACK")
            raise
        self._con.execute("COMMIT")

    # ------------------------------------------------------------------ keeping up

    def _store_sources(self) -> dict[tuple[str, str], tuple[str, str]]:
        """(kind, ref) -> (article id, stamp) for everything the store holds now."""
        articles, notes, highlights = self.library.annotation_rows()
        found: dict[tuple[str, str], tuple[str, str]] = {
            ("article", aid): (aid, "") for aid in articles
        }
        for nid, aid, updated_at, text in notes:
            found[("note", str(nid))] = (aid, _stamp(updated_at, text))
        for hid, aid, updated_at, note in highlights:
            found[("highlight", str(hid))] = (aid, _stamp(updated_at, note))
        return found

    def sync(self) -> int:
        """Bring the index in line with the store; returns how many sources changed."""
        if not self._writable:
            return 0
        want = self._store_sources()
        have = {
            (kind, ref): (aid, stamp)
            for kind, ref, aid, stamp in self._con.execute(
                "SELECT kind, ref, article_id, stamp FROM sources"
            )
        }
        gone = [key for key in have if key not in want or have[key] != want[key]]
        new = [key for key in want if key not in have or have[key] != want[key]]
        if not gone and not new:
            self._stale = False
            return 0
        # Articles first, so note and highlight rows can find their titles and texts.
        new.sort(key=lambda key: (key[0] != "article", want[key][0]))
        with self._transaction():
            for kind, ref in gone:
                self._drop(kind, ref)
            for kind, ref in new:
                aid, stamp = want[(kind, ref)]
                try:
                    self._add(kind, ref, aid, stamp)
                except NotFound:
                    continue
                except StoreError:
                    continue  # a damaged text: indexed again once the article is re-added
        self._texts.clear()
        self._stale = False
        return len(set(gone) | set(new))

    def rebuild(self) -> None:
        """Throw the index away and index the whole library again."""
        with self._transaction():
            for table in ("docs", "sources", "titles", "fts"):
                self._con.execute(f"DELETE FROM {table}")
        self.sync()

    def _on_change(self, event: str, article_id: str, ref: int | None) -> None:
        from reader.store import library as lib

        if not self._writable:
            return
        try:
            with self._transaction():
                if event == lib.ARTICLE_ADDED:
                    self._drop("article", article_id)
                    self._add("article", article_id, article_id, "")
                elif event == lib.ARTICLE_DELETED:
                    self._drop_article(article_id)
                elif event in (lib.NOTE_CHANGED, lib.NOTE_DELETED):
                    self._drop("note", str(ref))
                    if event == lib.NOTE_CHANGED and ref is not None:
                        note = self.library.get_note(ref)
                        self._add("note", str(ref), article_id, _stamp(note.updated_at, note.text))
                elif event in (lib.HIGHLIGHT_CHANGED, lib.HIGHLIGHT_DELETED):
                    self._drop("highlight", str(ref))
                    if event == lib.HIGHLIGHT_CHANGED and ref is not None:
                        hl = self.library.get_highlight(ref)
                        self._add("highlight", str(ref), article_id, _stamp(hl.updated_at, hl.note))
        except (sqlite3.Error, StoreError):
            self._stale = True  # caught up by sync() before the next search
        finally:
            self._texts.clear()

    def _text(self, article_id: str) -> str:
        text = self._texts.get(article_id)
        if text is None:
            text = self.library.load_article(article_id).text
            self._texts = {article_id: text}  # keep one: sync goes article by article
        return text

    def _title(self, article_id: str) -> str:
        row = self._con.execute(
            "SELECT title FROM titles WHERE article_id = ?", (article_id,)
        ).fetchone()
        return str(row[0]) if row else self.library.get(article_id).title

    def _drop(self, kind: str, ref: str) -> None:
        doc_kinds = ("title", "para") if kind == "article" else (kind,)
        for doc_kind in doc_kinds:
            self._con.execute(
                "DELETE FROM fts WHERE rowid IN (SELECT id FROM docs WHERE kind = ? AND ref = ?)",
                (doc_kind, ref),
            )
            self._con.execute("DELETE FROM docs WHERE kind = ? AND ref = ?", (doc_kind, ref))
        self._con.execute("DELETE FROM sources WHERE kind = ? AND ref = ?", (kind, ref))
        if kind == "article":
            self._con.execute("DELETE FROM titles WHERE article_id = ?", (ref,))

    def _drop_article(self, article_id: str) -> None:
        refs = self._con.execute(
            "SELECT kind, ref FROM sources WHERE article_id = ?", (article_id,)
        ).fetchall()
        for kind, ref in refs:
            self._drop(kind, ref)

    def _insert(
        self, kind: str, ref: str, aid: str, start: int, end: int, cols: tuple[str, str, str]
    ) -> None:
        cur = self._con.execute(
            'INSERT INTO docs(kind, ref, article_id, start, "end") VALUES (?, ?, ?, ?, ?)',
            (kind, ref, aid, start, end),
        )
        self._con.execute(
            "INSERT INTO fts(rowid, title, body, note) VALUES (?, ?, ?, ?)", (cur.lastrowid, *cols)
        )

    def _add(self, kind: str, ref: str, aid: str, stamp: str) -> None:
        if kind == "article":
            title = self.library.get(aid).title
            text = self._text(aid)
            self._con.execute(
                "INSERT OR REPLACE INTO titles(article_id, title) VALUES (?, ?)", (aid, title)
            )
            self._insert("title", aid, aid, 0, 0, (title, "", ""))
            for offset, passage in _passages(text):
                self._insert("para", aid, aid, offset, offset + len(passage), ("", passage, ""))
        elif kind == "note":
            note = self.library.get_note(int(ref))
            self._insert("note", ref, aid, note.start, note.end, ("", "", note.text))
        else:
            hl = self.library.get_highlight(int(ref))
            passage = hl.passage(self._text(aid))
            self._insert("highlight", ref, aid, hl.start, hl.end, ("", passage, hl.note))
        self._con.execute(
            "INSERT OR REPLACE INTO sources(kind, ref, article_id, stamp) VALUES (?, ?, ?, ?)",
            (kind, ref, aid, stamp),
        )

    # ------------------------------------------------------------------ searching

    def search(
        self, query: str, *, limit: int = 20, mark: tuple[str, str] = ("[", "]")
    ) -> list[SearchHit]:
        """The best `limit` hits for `query`, best first; ValueError for an empty query.

        A damaged index is renamed aside and rebuilt once (a notice says so).
        """
        fts_query = to_fts_query(query)
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"limit must be a whole number from 1 to {MAX_LIMIT}")
        try:
            if self._stale:
                self.sync()
            return self._search(fts_query, limit, mark)
        except sqlite3.DatabaseError as exc:
            self._after_failure(exc)
            return self._search(fts_query, limit, mark)

    def _recover(self, exc: Exception) -> None:
        assert self.path is not None
        with contextlib.suppress(sqlite3.Error):
            self._con.close()
        aside = _rename_index_aside(self.path)
        self.notices.append(
            f"The search index could not be read ({exc}); it was kept as {aside} "
            "and rebuilt from the library."
        )
        try:
            self._con = self._connect_writable(self.path, self.notices)
            self._ensure_schema()
            self.sync()
        except sqlite3.DatabaseError as refused:  # the rebuild itself met a full disk
            self._refused(refused)

    def _search(self, fts_query: str, limit: int, mark: tuple[str, str]) -> list[SearchHit]:
        ranked = self._con.execute(
            f"SELECT rowid, bm25(fts, {_WEIGHTS}) AS score FROM fts WHERE fts MATCH ? "
            "ORDER BY score LIMIT ?",
            (fts_query, limit),
        ).fetchall()
        if not ranked:
            return []
        rowids = [int(r[0]) for r in ranked]
        marks = ",".join("?" * len(rowids))
        details = {
            int(row[0]): row[1:]
            for row in self._con.execute(
                f"SELECT fts.rowid, snippet(fts, -1, ?, ?, '…', 16), highlight(fts, 1, ?, ?), "
                f'd.kind, d.article_id, d.start, d."end", t.title '
                f"FROM fts JOIN docs AS d ON d.id = fts.rowid "
                f"LEFT JOIN titles AS t ON t.article_id = d.article_id "
                f"WHERE fts MATCH ? AND fts.rowid IN ({marks})",
                (_OPEN, _CLOSE, _OPEN, _CLOSE, fts_query, *rowids),
            )
        }
        hits: list[SearchHit] = []
        for rowid, score in ranked:
            row = details.get(int(rowid))
            if row is None:
                continue
            snippet, marked_body, kind, aid, start, end, title = row
            if kind == "para":
                start, end = _first_match(str(marked_body), int(start), int(end))
            hits.append(
                SearchHit(
                    article_id=str(aid),
                    title=str(title or ""),
                    kind="article" if kind in ("title", "para") else kind,
                    start=int(start),
                    end=int(end),
                    snippet=_clean_snippet(str(snippet), mark),
                    score=round(-float(score), 4),
                )
            )
        return hits


def _first_match(marked: str, start: int, end: int) -> tuple[int, int]:
    """The span of the first marked word in a paragraph, as article offsets."""
    at = marked.find(_OPEN)
    if at < 0:
        return start, end
    stop = marked.find(_CLOSE, at)
    return start + at, start + (stop - 1 if stop > at else at)


def _clean_snippet(snippet: str, mark: tuple[str, str]) -> str:
    flat = " ".join(snippet.split())
    return flat.replace(_OPEN, mark[0]).replace(_CLOSE, mark[1])


# SQLite's primary result codes that mean the file itself is damaged; every other error
# (full, read-only, locked, cannot open…) leaves a good index alone.
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


def _is_damage(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return (code & 0xFF) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    return "malformed" in str(exc) or "not a database" in str(exc)


def _reason(exc: sqlite3.Error) -> str:
    text = str(exc)
    return "the disk is full" if "full" in text else text


def _memory() -> sqlite3.Connection:
    return sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)


def _meta_or_none(con: sqlite3.Connection) -> str | None:
    try:
        return _meta(con, "version")
    except sqlite3.Error:
        return None


def _meta(con: sqlite3.Connection, key: str) -> str | None:
    try:
        row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise
    return str(row[0]) if row else None


def _rename_index_aside(path: Path) -> str:
    """Keep a damaged index (and its journal) for inspection; return the new name."""
    journal = path.with_name(path.name + "-journal")
    aside = rename_aside(path).name
    with contextlib.suppress(OSError):
        journal.unlink()
    return aside


def search(library: Library, query: str, *, limit: int = 20) -> list[SearchHit]:
    """One-shot search (opens, catches up, searches, closes), for the CLI."""
    with SearchIndex.open(library) as index:
        return index.search(query, limit=limit)
