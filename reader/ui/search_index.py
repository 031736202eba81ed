"""The app's one search index, built off the UI thread without sharing the Library.

Threading choice (TinyDB is not thread-safe, and the store's lock would only turn a slow
index build into a UI that waits on it): the build runs in a thread worker against a
`LibrarySnapshot`, a read-only stand-in taken on the UI thread. It holds the records,
notes and highlights as they were (plain frozen dataclasses, copied in one pass) and
reads article texts straight from their content files, which never change once written
(an article's id is its content hash). So the worker touches no TinyDB at all. It writes
only search.sqlite, which nothing else uses until it finishes.

Back on the UI thread, `SearchIndex.open(library)` then compares the index with the live
store and applies whatever changed during the build (usually nothing: a few ms), and from
then on follows the library's change announcements, all on the UI thread. A read-only
library (another window holds the home) skips the worker: its index is used as it is.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from reader.ui.text import one_line

if TYPE_CHECKING:
    from textual.app import App

    from reader.article import Article
    from reader.store import ArticleRecord, Library, NoteRecord
    from reader.store.records import HighlightRecord
    from reader.study.search import SearchIndex

Ready = Callable[["SearchIndex | None", "str | None"], None]


class LibrarySnapshot:
    """The part of the Library API that SearchIndex reads, frozen at one moment."""

    read_only = False

    def __init__(self, library: Library) -> None:
        self.home: Path = library.home
        self._articles_dir: Path = library.articles_dir
        self._records: dict[str, ArticleRecord] = {r.id: r for r in library.articles()}
        self._rows = library.annotation_rows()
        self._notes: dict[int, NoteRecord] = {n.id: n for n in library.all_notes()}
        self._highlights: dict[int, HighlightRecord] = {h.id: h for h in library.all_highlights()}

    def subscribe(self, listener: object) -> Callable[[], None]:
        return lambda: None  # a snapshot never changes

    def annotation_rows(
        self,
    ) -> tuple[list[str], list[tuple[int, str, str, str]], list[tuple[int, str, str, str]]]:
        return self._rows

    def get(self, article_id: str) -> ArticleRecord:
        from reader.store import NotFound

        try:
            return self._records[article_id]
        except KeyError:
            raise NotFound("That article is no longer in the library.") from None

    def load_article(self, article_id: str) -> Article:
        from reader.store import DamagedFile, NotFound
        from reader.store.content import DamagedContent, content_path, decode_article

        self.get(article_id)
        try:
            raw = content_path(self._articles_dir, article_id).read_bytes()
        except FileNotFoundError:
            raise NotFound("That article's text is gone.") from None
        except OSError as error:
            raise DamagedFile(str(error)) from error
        try:
            return decode_article(raw)
        except DamagedContent as error:
            raise DamagedFile(str(error)) from error

    def get_note(self, note_id: int) -> NoteRecord:
        from reader.store import NotFound

        try:
            return self._notes[note_id]
        except KeyError:
            raise NotFound("That note is gone.") from None

    def get_highlight(self, highlight_id: int) -> HighlightRecord:
        from reader.store import NotFound

        try:
            return self._highlights[highlight_id]
        except KeyError:
            raise NotFound("That highlight is gone.") from None


def build_from_snapshot(snapshot: LibrarySnapshot) -> None:
    """Worker body: build or catch up search.sqlite from the snapshot (no store access)."""
    from reader.study.search import SearchIndex

    SearchIndex.open(cast("Library", snapshot)).close()


class SearchService:
    """Owns the open SearchIndex for the app's lifetime; hands it out when it's ready."""

    def __init__(self, app: App[Any], library: Library) -> None:
        self.app = app
        self.library = library
        self.index: SearchIndex | None = None
        self._waiting: list[Ready] = []
        self._building = False

    @property
    def building(self) -> bool:
        return self._building

    def when_ready(self, ready: Ready) -> None:
        """Call `ready(index, error)` on the UI thread once the index is usable (or failed;
        a failure is not remembered, so the next call tries again)."""
        if self.index is not None:
            ready(self.index, None)
            return
        self._waiting.append(ready)
        if self._building:
            return
        self._building = True
        if self.library.read_only:
            self._finish(None)
            return
        try:
            snapshot = LibrarySnapshot(self.library)
        except Exception as error:
            self._finish(one_line(str(error)) or type(error).__name__)
            return
        self.app.run_worker(
            lambda: self._build(snapshot),
            thread=True,
            exit_on_error=False,
            group="search-index",
            name="search-index",
        )

    def _build(self, snapshot: LibrarySnapshot) -> None:
        error: str | None = None
        try:
            build_from_snapshot(snapshot)
        except Exception as exc:  # reported to the reader, never fatal
            error = one_line(str(exc)) or type(exc).__name__
        with contextlib.suppress(RuntimeError):  # the app is gone
            self.app.call_from_thread(self._finish, error)

    def _finish(self, build_error: str | None) -> None:
        """UI thread: open the live index (a cheap catch-up after the worker's build)."""
        from reader.store import StoreError

        self._building = False
        if build_error is None:
            try:
                from reader.study.search import SearchIndex

                self.index = SearchIndex.open(self.library)
            except (StoreError, OSError) as error:
                build_error = one_line(str(error)) or type(error).__name__
        if self.index is not None:
            for notice in self.index.notices:
                self.app.notify(one_line(notice), title="Search", markup=False)
            self.index.notices.clear()
        waiting, self._waiting = self._waiting, []
        for ready in waiting:
            ready(self.index, build_error)

    def close(self) -> None:
        if self.index is not None:
            self.index.close()
            self.index = None
