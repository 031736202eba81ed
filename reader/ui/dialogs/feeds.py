"""The feeds the reader follows: each with its unread count, to see its articles, and the
update of them all, with progress, in a thread worker.

The dialog answers with the chosen feed's title (the library then filters by `feed:`), or
None. The update runs reader.study.feeds.update_feeds on a thread: it fetches in its own
pool, and each of its store calls is made on the UI thread (reader.ui.store_proxy), which
alone touches the store (see reader.ui). Progress comes back as messages that replace
each other while queued, so a slow UI thread never works through a backlog; escape while
updating cancels what has not started (what was stored stays).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, ProgressBar, Static

from reader.plural import counted
from reader.ui.text import one_line
from reader.ui.widgets.item_option import ItemOption, item_of
from reader.ui.widgets.vim_list import VimOptionList

if TYPE_CHECKING:
    from reader.store import Library
    from reader.store.feeds import FeedRecord
    from reader.store.library_feeds import FeedCounts
    from reader.study.feeds import FeedOutcome


@dataclass
class FeedsProgress(Message):
    done: int
    total: int
    name: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, FeedsProgress)


@dataclass
class FeedsUpdated(Message):
    new: int
    failed: list[str] = field(default_factory=list)
    error: str | None = None  # the update stopped (a full disk): why


@dataclass(frozen=True)
class FeedRow:
    feed_id: int
    title: str


class FeedsDialog(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "update", "Update every feed"),
        Binding("escape,q,F", "close", "Close (escape stops an update)"),
    ]
    KEYS_EXTRA: ClassVar[list[tuple[str, str]]] = [("enter", "Show the feed's articles")]

    def __init__(self, library: Library) -> None:
        super().__init__(classes="dialog")
        self.library = library
        self._cancel: threading.Event | None = None
        self.report: FeedsUpdated | None = None
        """The last update's outcome, for the caller (and tests) to read."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Static(Text("Feeds", style="bold"), id="question")
            yield VimOptionList(id="feeds", markup=False)
            yield ProgressBar(id="feeds-progress", show_eta=False)
            yield Static(id="feeds-status")

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        self._fill()
        self.query_one("#feeds", VimOptionList).focus()

    def _fill(self) -> None:
        feeds = self.library.feeds()
        counts = self.library.feed_counts()
        box = self.query_one("#feeds", VimOptionList)
        box.clear_options()
        if not feeds:
            self._say("No feeds yet: `reader feed add URL` follows one.")
            return
        for feed in feeds:
            box.add_option(
                ItemOption(_prompt(feed, counts.get(feed.id)), FeedRow(feed.id, feed.name))
            )
        box.highlighted = 0
        if self._cancel is None:
            self._say(f"{counted(len(feeds), 'feed')}. u updates them all.")

    def _say(self, text: str) -> None:
        self.query_one("#feeds-status", Static).update(Text(text))

    @on(OptionList.OptionSelected, "#feeds")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        row = item_of(event.option, FeedRow)
        if row is not None and self._cancel is None:
            self.dismiss(row.title)

    # ------------------------------------------------------------------ updating

    def action_update(self) -> None:
        if self._cancel is not None:
            return  # one update at a time
        if self.library.read_only:
            self._say("This window is read-only: feeds cannot be updated here.")
            return
        if not self.library.feeds():
            return
        self._cancel = threading.Event()
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self._say("Updating…")
        self._update(self._cancel)

    @work(thread=True, exclusive=True, exit_on_error=False, group="feeds-update")
    def _update(self, cancel: threading.Event) -> None:
        """On the worker's thread: no widget; progress and the outcome go as messages."""
        from reader.store import StoreError
        from reader.study.feeds import update_feeds
        from reader.ui.store_proxy import library_for_worker

        def progress(done: int, total: int, feed: FeedRecord, outcome: FeedOutcome) -> None:
            self.post_message(FeedsProgress(done, total, feed.name))

        library = library_for_worker(self.app, self.library)
        try:
            report = update_feeds(library, on_progress=progress, cancel=cancel)
        except StoreError as error:
            self.post_message(FeedsUpdated(0, error=one_line(str(error))))
            return
        failed = [f"{o.feed.name}: {o.error}" for o in report.failed]
        self.post_message(FeedsUpdated(report.new, failed))

    @on(FeedsProgress)
    def _progress(self, message: FeedsProgress) -> None:
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)
        self._say(f"Updated {message.done} of {message.total}: {one_line(message.name)[:40]}")

    @on(FeedsUpdated)
    def _updated(self, message: FeedsUpdated) -> None:
        self._cancel = None
        self.report = message
        self.query_one(ProgressBar).display = False
        self._fill()
        if message.error is not None:
            self._say(f"The update stopped: {message.error}")
            return
        said = f"{counted(message.new, 'new article')}."
        if message.failed:
            said += f" {counted(len(message.failed), 'feed')} failed: {message.failed[0]}"
        self._say(said)

    def action_close(self) -> None:
        if self._cancel is not None:
            self._cancel.set()  # what is not fetched yet is not; what is stored stays
            self._say("Stopping…")
            return
        self.dismiss(None)


def _prompt(feed: FeedRecord, counts: FeedCounts | None) -> Text:
    unread, items = (counts.unread, counts.items) if counts is not None else (0, 0)
    prompt = Text(one_line(feed.name)[:60], style="bold" if unread else "")
    prompt.append(f"  {unread} unread of {items}", style="dim")
    if feed.failing:
        prompt.append(f"\nfailing: {one_line(feed.last_error or 'no answer')[:70]}", style="red")
    return prompt
