"""The Textual app: opens the library, routes between screens, and owns shutdown.

Kept thin on purpose: the screens do the work. The app owns the `Library` (opened on
mount, closed on unmount, used only from the UI thread), the search index service
(reader.ui.search_index: built in a worker on first use, closed before the library), the
theme setting, and the save-on-exit paths: quitting, leaving an article and SIGTERM/SIGHUP
all end in `ReadingScreen.close_session`, and quitting first saves the text of an open
note or tags dialog.

Nothing the reader does is dropped on the way to the disk: keys typed in a burst pass one
at a time (reader.ui.key_gate), positions the disk refused wait in the ProgressKeeper, and
a window that opened read-only because another one had the library polls until it can
write, then saves what it kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import BindingType

import reader
from reader.ui.actions import APP, bindings
from reader.ui.analysis_worker import cached_analyzer
from reader.ui.commands import ReaderCommands
from reader.ui.dialogs.save_failure import KeepsText
from reader.ui.key_gate import KeyGate
from reader.ui.loading import load_article_or_notify
from reader.ui.messages import OpenArticle, OpenHit
from reader.ui.progress_keeper import ProgressKeeper
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.reading import ReadingScreen
from reader.ui.search_index import SearchService
from reader.ui.text import one_line
from reader.ui.tracking import DEFAULT_WPM

# Seconds a real run may spend shutting down before it leaves anyway (see ReaderApp.exit).
EXIT_GRACE = 5.0
RETRY_INTERVAL = 3.0
"""Seconds between the app's tries to take a read-only library over from the window that
held it, and to write positions the disk refused after their reading screen closed."""

if TYPE_CHECKING:
    from reader.nlp.analysis import Analysis, PartialCallback, ProgressCallback, Prose
    from reader.store import ArticleRecord, Library


def _styles_dir() -> Path:
    """reader/styles in a wheel, the repository's styles/ in a source checkout."""
    package = Path(reader.__file__).parent
    installed = package / "styles"
    return installed if installed.is_dir() else package.parent / "styles"


STYLES_DIR = _styles_dir()
CSS_PATHS: list[str | PurePath] = [
    STYLES_DIR / name
    for name in (
        "app.tcss",
        "library.tcss",
        "reading.tcss",
        "study.tcss",
        "dialogs.tcss",
    )
]

DEFAULT_THEME = "textual-dark"


class ReaderApp(App[int]):
    """`analyzer`, `now`, `clock` and `retry_interval` are injectable so tests and snapshots
    are deterministic. `notices` are what the CLI's own opening of the library had to say:
    shown here, with the app's, since the app's screen would hide them on stderr."""

    CSS_PATH = CSS_PATHS
    TITLE = "reader"
    COMMANDS = App.COMMANDS | {ReaderCommands}
    BINDINGS: ClassVar[list[BindingType]] = bindings(APP)
    KEYS_EXTRA: ClassVar[list[tuple[str, str]]] = [
        ("ctrl+p", "Command palette: every action by name"),
        ("tab / shift+tab", "Next / previous pane or box"),
    ]

    def __init__(
        self,
        home: Path,
        *,
        open_article: str | None = None,
        analyzer: Callable[[str], Analysis] | None = None,
        now: Callable[[], datetime] | None = None,
        clock: Callable[[], float] = time.monotonic,
        handle_signals: bool = False,
        notices: Sequence[str] = (),
        retry_interval: float = RETRY_INTERVAL,
    ) -> None:
        super().__init__()
        self.home = Path(home)
        self.open_article = open_article
        self.notices = list(notices)
        self.retry_interval = retry_interval
        self._analyzer = analyzer
        self.now = now or (lambda: datetime.now(UTC))
        self.clock = clock
        self.handle_signals = handle_signals
        self._library: Library | None = None
        self._restoring_theme = False
        self.search: SearchService | None = None
        self._exit_watchdog: threading.Timer | None = None
        self.key_gate = KeyGate(self, super().on_event)
        self.keeper: ProgressKeeper | None = None
        self._refused_quit: object = None

    @property
    def library(self) -> Library:
        assert self._library is not None, "the library opens on mount"
        return self._library

    def analyzer(
        self,
        text: str,
        *,
        prose: Prose = None,
        on_progress: ProgressCallback | None = None,
        on_partial: PartialCallback | None = None,
    ) -> Analysis:
        """Runs in the analysis worker thread: the engine over the library's cache, or the
        analyzer the app was given (tests, snapshots), with what it accepts of the rest."""
        from reader.nlp.analyzer import call_analyzer

        engine = self._analyzer or cached_analyzer(self.library.cache_dir)
        return call_analyzer(engine, text, on_progress, on_partial, prose=prose)

    async def on_event(self, event: events.Event) -> None:
        if KeyGate.gates(event):
            await self.key_gate.admit(event)  # typed in a burst: one key at a time
        else:
            await super().on_event(event)

    # ------------------------------------------------------------- lifecycle

    def on_mount(self) -> None:
        from reader.store import Library, StoreError

        try:
            self._library = Library.open(self.home)
        except StoreError as error:
            self.exit(1, message=f"reader: {one_line(str(error))}")
            return
        self.search = SearchService(self, self.library)
        self.keeper = ProgressKeeper(self.library, self._keeper_says)
        for notice in dict.fromkeys([*self.notices, *self.library.notices]):  # each once
            self.notify(one_line(notice), title="Library", severity="warning", markup=False)
        self.set_interval(self.retry_interval, self._retry)
        theme = self.library.get_setting("theme", DEFAULT_THEME)
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.handle_signals:
            self._install_signal_handlers()
        if self.open_article is not None:
            # Straight to the article: the library screen is made when the reader leaves
            # it (see `pop_screen`), not before the article's first paint.
            self.open_reading(self.open_article)
            if not isinstance(self.screen, ReadingScreen):
                self.push_screen(self._library_screen())
        else:
            self.push_screen(self._library_screen())
            if not self.library.read_only:  # an article open now could change id under it
                self.run_worker(self._upgrade_layouts, thread=True, exit_on_error=False)

    def _library_screen(self, select: str | None = None) -> LibraryScreen:
        return LibraryScreen(
            self.library, now=self.now, wpm=self.wpm, analyzer=self.analyzer, select=select
        )

    def pop_screen(self) -> AwaitComplete:
        """Nothing pops down to Textual's blank default screen: when the app opened
        straight into an article, leaving it makes the library screen then."""
        stack = self.screen_stack
        if len(stack) == 2 and not isinstance(stack[-1], LibraryScreen):
            top = stack[-1]
            select = top.record.id if isinstance(top, ReadingScreen) else None
            return self.switch_screen(self._library_screen(select))
        return super().pop_screen()

    def _upgrade_layouts(self) -> None:
        """Once per home (see reader.study.reimport): on a thread, as it reads files; its
        store calls are made on the UI thread (reader.ui.store_proxy)."""
        from reader.study.reimport import upgrade_layouts
        from reader.ui.store_proxy import library_for_worker

        result = upgrade_layouts(library_for_worker(self, self.library))
        if result.changed:
            self.call_from_thread(self._layouts_upgraded, result.message)

    def _layouts_upgraded(self, message: str) -> None:
        from reader.ui.screens.library import LibraryScreen

        self.notify(message, title="Library", markup=False)
        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.reload()

    def wpm(self) -> float:
        return float(self.library.get_setting("wpm", DEFAULT_WPM))

    def _theme_changed(self, _theme: object) -> None:
        from reader.store import StoreError

        if self._library is not None and not self.library.read_only:
            try:
                self.library.set_setting("theme", self.theme)
            except StoreError as error:
                self.notify(
                    one_line(str(error)), title="Theme not saved", severity="error", markup=False
                )

    def _keeper_says(self, message: str, error: bool) -> None:
        self.notify(message, severity="error" if error else "information", markup=False)

    def _retry(self) -> None:
        """A read-only window takes the library over once the other window has closed;
        positions kept after their reading screen closed get another try."""
        from reader.store import StoreError

        if self._library is None or self.keeper is None:
            return
        if self.library.read_only:
            try:
                writable = self.library.try_become_writable()
            except StoreError:
                return
            if not writable:
                return
            self.notify("The other window closed; this window saves again.")
            self.keeper.flush()
            for screen in self.screen_stack:
                if isinstance(screen, ReadingScreen | LibraryScreen):
                    screen.writable_again()
        elif self.keeper.pending:
            self.keeper.flush()

    def _install_signal_handlers(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self._terminate)

    def exit(
        self, result: int | None = None, return_code: int = 0, message: Any | None = None
    ) -> None:
        super().exit(result, return_code, message)
        if self.handle_signals and self._exit_watchdog is None:
            # Shutting down writes to the terminal. If the terminal vanished at that moment
            # (a closed window, tmux killed), Textual's output thread can block the shutdown
            # for ever. Everything is saved before exit and the OS releases the home's lock,
            # so a process still shutting down after EXIT_GRACE seconds just leaves.
            timer = threading.Timer(EXIT_GRACE, os._exit, args=(return_code,))
            timer.daemon = True
            timer.start()
            self._exit_watchdog = timer

    def cancel_exit_watchdog(self) -> None:
        if self._exit_watchdog is not None:
            self._exit_watchdog.cancel()
            self._exit_watchdog = None

    def _terminate(self) -> None:
        """SIGTERM/SIGHUP: save what the reader was doing, then leave as on `quit`."""
        for screen in self.screen_stack:
            if isinstance(screen, KeepsText):
                screen.save_before_quit()  # no one is there to ask: save what can be
        self.save_reading()
        self._leave()

    def save_reading(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, ReadingScreen):
                screen.close_session()

    async def action_quit(self) -> None:
        if not self._dialogs_saved():
            return
        self.save_reading()
        self._leave()

    def _dialogs_saved(self) -> bool:
        """Quitting saves the text of an open dialog. If the store refuses it, this ctrl+q
        stays (the text and the reason on screen) and the next one quits without it."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, KeepsText) and not screen.save_before_quit():
                if self._refused_quit is screen:
                    return True
                self._refused_quit = screen
                self.notify(
                    "Not quitting yet: the text in the dialog is not saved. "
                    "Press ctrl+q again to quit without it.",
                    severity="warning",
                )
                return False
        return True

    def _leave(self) -> None:
        """Exit; a position that never reached the disk is said on the terminal after."""
        report = None if self.keeper is None else self.keeper.unsaved_report()
        if report is None:
            self.exit(0)
        else:
            self.exit(0 if self.library.read_only else 1, message=report)

    def on_unmount(self) -> None:
        self.key_gate.close()
        if self.search is not None:
            self.search.close()
            self.search = None
        if self._library is not None:
            self.save_reading()
            if self.keeper is not None:
                self.keeper.flush()  # the last try
            self._library.close()
            self._library = None

    # --------------------------------------------------------------- routing

    @on(OpenArticle)
    def _open_requested(self, message: OpenArticle) -> None:
        terms: Sequence[str] = message.terms if isinstance(message, OpenHit) else ()
        self.open_reading(message.article_id, message.position, terms)

    def open_reading(
        self, key: str, position: int | None = None, terms: Sequence[str] = ()
    ) -> None:
        """Open an article by id (or unique id prefix / exact title); say so if it's missing.

        With `position` (a text offset) the cursor lands on the sentence holding it; if that
        article is already on top, its reading screen just moves there. `terms` (a search
        hit's words) are marked there as find matches.
        """
        record = self._find(key)
        if record is None:
            self.notify(f"No article matches “{one_line(key)}”.", severity="error", markup=False)
            return
        top = self.screen
        if isinstance(top, ReadingScreen) and top.record.id == record.id and position is not None:
            top.jump_to(position)
            top.mark_terms(terms, position)
            return
        article = load_article_or_notify(self, self.library, record.id)
        if article is None:
            return
        if position is None and self.keeper is not None:
            position = self.keeper.kept_position(record.id)  # newer than the stored one
        screen = ReadingScreen(
            self.library,
            record,
            article,
            analyzer=self.analyzer,
            clock=self.clock,
            position=position,
            keeper=self.keeper,
        )
        screen.mark_terms(terms, position)
        self.push_screen(screen)

    def _find(self, key: str) -> ArticleRecord | None:
        records = self.library.articles()
        for record in records:
            if record.id == key:
                return record
        matches = [r for r in records if r.id.startswith(key)] or [
            r for r in records if r.title.casefold() == key.casefold()
        ]
        return matches[0] if len(matches) == 1 else None


def run_app(home: Path, open_article: str | None = None, notices: Sequence[str] = ()) -> int:
    """The CLI's entry point: run the TUI on `home`; the exit code to return."""
    app = ReaderApp(home, open_article=open_article, handle_signals=True, notices=notices)
    try:
        result = app.run()
    finally:
        app.cancel_exit_watchdog()
    return int(result or app.return_code or 0)
