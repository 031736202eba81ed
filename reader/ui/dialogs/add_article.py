"""`a`: add a file or a whole folder of articles, and stay open until it worked.

A path that cannot be added (missing, unreadable, not an article) is said inside the
dialog and the typed path stays, so a typo costs one key, not the whole path again.

A file is read and added at once, on the UI thread, as before: one file takes
milliseconds. A folder may hold hundreds, so its files are found and read in a thread
worker (pure functions of the files, no store) that posts its progress and then what it
read; the UI thread adds them with one store call (`add_articles`, one index write) and
closes the dialog to a notice. Files of the folder that cannot be read are named in a
warning; the others are added. The folder walk is the one `reader add DIR` uses
(reader.article.folders).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.widgets import Input
from textual.worker import get_current_worker

from reader.article.folders import ARTICLE_SUFFIXES, article_files, refusal_reason
from reader.ui.dialogs.path import PathDialog
from reader.ui.text import one_line

if TYPE_CHECKING:
    from reader.article import Article
    from reader.store import Library

NO_TEXT = "no article text left after removing page boilerplate"
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


def read_article(path: Path) -> Article:
    """The article in the file at `path`; InputError (one line naming it) if there is none."""
    from reader.article import InputError, parse_article, read_text_file

    article = parse_article(read_text_file(path), suffix=path.suffix.lower())
    if not article.paragraphs:
        raise InputError(str(path), NO_TEXT)
    return article


def origin_of(path: Path) -> str:
    from reader.store.errors import printable

    return printable(path.resolve())


class AddArticleDialog(PathDialog):
    """Dismisses with the id of the article to select (the first one added), else None."""

    discard_question = "Discard the path you typed?"

    def __init__(self, library: Library) -> None:
        super().__init__(
            "Add articles: a .txt or .md file, or a folder of them",
            "tab completes · enter to add · escape to cancel",
            placeholder="~/Downloads/article.txt",
            input_id="path",
            suffixes=ARTICLE_SUFFIXES,
        )
        self.library = library
        self._run = 0  # numbers each folder read, so a cancelled one's messages are ignored
        self._reading = False

    # ------------------------------------------------------------------ enter

    def submit(self, path: str) -> None:
        if self._reading:
            return
        if not path:
            self.dismiss(None)
            return
        self.clear_error()
        target = Path(path).expanduser()
        try:
            is_folder = target.is_dir()
        except OSError:
            is_folder = False
        if not is_folder:
            self._add_file(target)  # a read-only library says why through its StoreError
        elif self.library.read_only:  # known before reading a whole folder for nothing
            self.show_error(
                "The library is read-only in this window (is another reader open on it?); "
                "nothing can be added now."
            )
        else:
            self._start_folder(target)

    def _add_file(self, path: Path) -> None:
        from reader.article import InputError
        from reader.store import StoreError

        try:
            result = self.library.add_article(read_article(path), origin=origin_of(path))
        except (InputError, StoreError, OSError) as error:
            self.show_error(one_line(str(error)) or type(error).__name__)
            return
        title = one_line(result.article.title, "Untitled")
        if result.added:
            self.app.notify(f"Added “{title}”.", markup=False)
        else:
            self.app.notify(f"“{title}” is already in the library.", markup=False)
        self.dismiss(result.article.id)

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
            box.focus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="add-folder")
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
                FolderRead(run, refused=f"{printable(folder)}: no .txt or .md files in this folder")
            )
            return
        read = FolderRead(run)
        for done, name in enumerate(files, 1):
            if worker.is_cancelled:
                return
            path = Path(name)
            try:
                read.articles.append((origin_of(path), read_article(path)))
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
        message = f"{len(added)} article{'s' if len(added) != 1 else ''} added"
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
                f"{count} file{'s' if count != 1 else ''} not added: {named}",
                title="Left out",
                severity="warning",
                markup=False,
            )
        selected = added[0] if added else results[0]
        self.dismiss(selected.article.id)

    # ------------------------------------------------------------------ escape

    def action_cancel(self) -> None:
        """While a folder is being read, escape stops that (nothing was added yet)."""
        if self._reading:
            self.workers.cancel_group(self, "add-folder")
            self._run += 1
            self._set_reading(False)
            self.show_error("Stopped: nothing was added.")
            return
        super().action_cancel()
