"""`a`: add a file, a whole folder of articles or a web page, and stay open until it worked.

A path or URL that cannot be added (missing, unreadable, not an article, a page that would
not load) is said inside the dialog and the typed text stays, so a typo costs one key, not
the whole path again.

Everything is read in a thread worker (pure functions of the files or the page, no store):
a folder may hold hundreds of files, a page may take seconds to arrive, and one big file
or saved web page takes a while to parse. The worker posts its progress and then what it
read; the UI thread adds it with one store call
(`add_articles`, one index write) and closes the dialog to a notice. Files of the folder
that cannot be read are named in a warning; the others are added. The folder walk and the
formats are the ones `reader add` uses (reader.sources).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.widgets import Input
from textual.worker import get_current_worker

from reader.plural import counted
from reader.sources.folders import article_files, refusal_reason
from reader.sources.registry import formats_named, read_path, supported_suffixes
from reader.ui.dialogs.path import PathDialog
from reader.ui.text import one_line

if TYPE_CHECKING:
    from reader.article import Article
    from reader.store import Library

PROBLEMS_NAMED = 3
"""Unreadable files of a folder named in the warning; the rest are counted."""


@dataclass
class FolderProgress(Message):
    run: int
    done: int
    total: int


@dataclass
class FolderRead(Message):
    """What the worker read: (origin, article) pairs, and one line per file it could not."""

    run: int
    articles: list[tuple[str, Article]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    refused: str | None = None  # the folder itself could not be used: nothing was read


@dataclass
class PageRead(Message):
    """What the worker read: where from (a page's final URL, or a file) and its articles,
    or why there are none."""

    run: int
    url: str = ""
    is_page: bool = True
    """A page added before under the same URL is that article, even if it changed since;
    a file is the article its contents are (the store dedupes by content)."""
    articles: list[Article] = field(default_factory=list)
    problem: str | None = None
    notices: list[str] = field(default_factory=list)
    """What the source left out of what it read (a chapter missing from a book)."""


def origin_of(path: Path) -> str:
    from reader.store.errors import printable

    return printable(path.resolve())


class AddArticleDialog(PathDialog):
    """Dismisses with the id of the article to select (the first one added), else None."""

    discard_question = "Discard the path you typed?"

    def __init__(self, library: Library) -> None:
        super().__init__(
            f"Add articles: a file ({formats_named()}), a folder of them, or a web page's URL",
            "tab completes · enter to add · escape to cancel",
            placeholder="~/Downloads/article.txt or https://…",
            input_id="path",
            suffixes=supported_suffixes(),
        )
        self.library = library
        self._run = 0  # numbers each read, so a cancelled one's messages are ignored
        self._reading = False

    # ------------------------------------------------------------------ enter

    def submit(self, path: str) -> None:
        if self._reading:
            return
        if not path:
            self.dismiss(None)
            return
        self.clear_error()
        if "://" in path:  # only then is the fetcher imported, to ask if it is a URL
            from reader.sources.url import is_url

            if is_url(path):
                self._start_page(path)
                return
        target = Path(path).expanduser()
        try:
            is_folder = target.is_dir()
        except OSError:
            is_folder = False
        if not is_folder:
            self._start_file(target)
        elif self.library.read_only:  # known before reading a whole folder for nothing
            self.show_error(
                "The library is read-only in this window (is another reader open on it?); "
                "nothing can be added now."
            )
        else:
            self._start_folder(target)

    def _start_file(self, path: Path) -> None:
        self._run += 1
        self._set_reading(True, f"Reading {one_line(path.name)}…")
        self._read_file(path, self._run)

    @work(thread=True, exclusive=True, exit_on_error=False, group="add-read")
    def _read_file(self, path: Path, run: int) -> None:
        """In the worker's thread: the file and its parse, no widget, no store."""
        from reader.article import InputError

        try:
            notices: list[str] = []
            where = origin_of(path)
            articles = read_path(path, notices=notices)
            read = PageRead(run, url=where, articles=articles, is_page=False, notices=notices)
            self.post_message(read)
        except (InputError, OSError) as error:
            self.post_message(PageRead(run, problem=one_line(str(error)) or type(error).__name__))
        except Exception as error:  # the dialog must not wait for ever on a surprise
            why = one_line(str(error)) or type(error).__name__
            self.post_message(PageRead(run, problem=f"{one_line(str(path))}: {why}"))

    # ------------------------------------------------------------------ a folder

    def _start_folder(self, folder: Path) -> None:
        self._run += 1
        self._set_reading(True, "Looking for articles in the folder…")
        self._read_folder(folder, self._run)

    def _set_reading(self, reading: bool, message: str = "") -> None:
        self._reading = reading
        self.show_progress(message if reading else None)
        box = self.query_one(Input)
        box.disabled = reading
        if not reading:
            self.refocus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="add-read")
    def _read_folder(self, folder: Path, run: int) -> None:
        from reader.store.errors import printable

        try:
            self._read_files(folder, run)
        except Exception as error:  # the dialog must not wait for ever on a surprise
            why = one_line(str(error)) or type(error).__name__
            self.post_message(FolderRead(run, refused=f"{printable(folder)}: {why}"))

    def _read_files(self, folder: Path, run: int) -> None:
        """In the worker's thread: only files and pure functions, no widget, no store."""
        from reader.article import InputError
        from reader.store.errors import printable

        worker = get_current_worker()
        files, refused = article_files(folder)
        if refused is not None:
            where = refused.filename if refused.filename is not None else folder
            reason = refusal_reason(refused)
            self.post_message(
                FolderRead(run, refused=f"{printable(where)}: cannot read this folder ({reason})")
            )
            return
        if not files:
            self.post_message(
                FolderRead(
                    run,
                    refused=f"{printable(folder)}: no article files ({formats_named()}) "
                    "in this folder",
                )
            )
            return
        read = FolderRead(run)
        for done, name in enumerate(files, 1):
            if worker.is_cancelled:
                return
            path = Path(name)
            try:
                where = origin_of(path)
                read.articles += [(where, article) for article in read_path(path)]
            except InputError as error:
                read.problems.append(one_line(str(error)))
            except OSError as error:  # resolving the path
                read.problems.append(f"{printable(path)}: {refusal_reason(error)}")
            self.post_message(FolderProgress(run, done, len(files)))
        self.post_message(read)

    @on(FolderProgress)
    def _progress(self, event: FolderProgress) -> None:
        if event.run == self._run and self._reading:
            self.show_progress(f"Reading {event.done} of {event.total} files…")

    @on(FolderRead)
    def _folder_read(self, event: FolderRead) -> None:
        from reader.store import StoreError

        if event.run != self._run or not self._reading:
            return  # cancelled meanwhile
        self._set_reading(False)
        if event.refused is not None:
            self.show_error(event.refused)
            return
        if not event.articles:
            first = event.problems[0] if event.problems else "nothing to add"
            more = len(event.problems) - 1
            self.show_error(
                f"No article could be read: {first}" + (f" (+{more} more)" if more else "")
            )
            return
        try:
            results = self.library.add_articles(
                (article, origin) for origin, article in event.articles
            )
        except StoreError as error:
            self.show_error(one_line(str(error)) or type(error).__name__)
            return
        added = [r for r in results if r.added]
        message = f"{counted(len(added), 'article')} added"
        already = len(results) - len(added)
        if already:
            message += f", {already} already in the library"
        self.app.notify(message + ".", title="Add", markup=False)
        if event.problems:
            named = "; ".join(event.problems[:PROBLEMS_NAMED])
            rest = len(event.problems) - PROBLEMS_NAMED
            if rest > 0:
                named += f"; and {rest} more"
            count = len(event.problems)
            self.app.notify(
                f"{counted(count, 'file')} not added: {named}",
                title="Left out",
                severity="warning",
                markup=False,
            )
        selected = added[0] if added else results[0]
        self.dismiss(selected.article.id)

    # ------------------------------------------------------------------ a web page

    def _start_page(self, url: str) -> None:
        if self.library.read_only:  # known before fetching a page for nothing
            self.show_error(
                "The library is read-only in this window (is another reader open on it?); "
                "nothing can be added now."
            )
            return
        self._run += 1
        self._set_reading(True, "Fetching the page…")
        self._read_page(url, self._run)

    @work(thread=True, exclusive=True, exit_on_error=False, group="add-read")
    def _read_page(self, url: str, run: int) -> None:
        """In the worker's thread: the fetch and the parse, no widget, no store."""
        from reader.article import InputError
        from reader.sources.registry import read_fetched
        from reader.sources.url import fetch

        try:
            notices: list[str] = []
            page = fetch(url)
            articles = read_fetched(page, notices=notices)
            self.post_message(PageRead(run, url=page.url, articles=articles, notices=notices))
        except InputError as error:
            self.post_message(PageRead(run, problem=one_line(str(error))))
        except Exception as error:  # the dialog must not wait for ever on a surprise
            why = one_line(str(error)) or type(error).__name__
            self.post_message(PageRead(run, problem=f"{one_line(url)}: {why}"))

    @on(PageRead)
    def _page_read(self, event: PageRead) -> None:
        """The same URL added before is that article, even if the page changed since."""
        from reader.store import StoreError
        from reader.store.errors import printable

        if event.run != self._run or not self._reading:
            return  # cancelled meanwhile
        self._set_reading(False)
        if event.problem is not None:
            self.show_error(event.problem)
            return
        for notice in event.notices:
            self.app.notify(one_line(notice), severity="warning", markup=False)
        where = printable(event.url) if event.is_page else event.url
        try:
            known = None
            if event.is_page:
                known = next((r for r in self.library.articles() if r.origin == where), None)
            if known is not None:
                title = one_line(known.title, "Untitled")
                self.app.notify(f"“{title}” is already in the library.", markup=False)
                self.dismiss(known.id)
                return
            results = self.library.add_articles((article, where) for article in event.articles)
        except StoreError as error:
            self.show_error(one_line(str(error)) or type(error).__name__)
            return
        result = next((r for r in results if r.added), results[0])
        title = one_line(result.article.title, "Untitled")
        if result.added:
            self.app.notify(f"Added “{title}”.", markup=False)
        else:
            self.app.notify(f"“{title}” is already in the library.", markup=False)
        self.dismiss(result.article.id)

    # ------------------------------------------------------------------ escape

    def action_cancel(self) -> None:
        """While a folder or a page is being read, escape stops that (nothing was added yet)."""
        if self._reading:
            self.workers.cancel_group(self, "add-read")
            self._run += 1
            self._set_reading(False)
            self.show_error("Stopped: nothing was added.")
            return
        super().action_cancel()
