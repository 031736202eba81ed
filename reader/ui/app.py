"""The Textual app: opens the library, routes between screens, and owns shutdown.

Kept thin on purpose: the screens do the work. The app owns the `Library` (opened on
mount, closed on unmount, used only from the UI thread), the search index service
(reader.ui.search_index: built in a worker on first use, closed before the library), the
theme setting, and the save-on-exit paths: quitting, leaving an article and SIGTERM/SIGHUP
all end in `ReadingScreen.close_session`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import App
from textual.binding import Binding, BindingType

import reader
from reader.ui.commands import ReaderCommands
from reader.ui.loading import load_article_or_notify
from reader.ui.screens.library import LibraryScreen, OpenArticle
from reader.ui.screens.reading import ReadingScreen
from reader.ui.search_index import SearchService
from reader.ui.text import one_line
from reader.ui.tracking import DEFAULT_WPM

# Seconds a real run may spend shutting down before it leaves anyway (see ReaderApp.exit).
EXIT_GRACE = 5.0

if TYPE_CHECKING:
    from reader.nlp.analysis import Analysis
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
    """`analyzer`, `now` and `clock` are injectable so tests and snapshots are deterministic."""

    CSS_PATH = CSS_PATHS
    TITLE = "reader"
    COMMANDS = App.COMMANDS | {ReaderCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
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
    ) -> None:
        super().__init__()
        self.home = Path(home)
        self.open_article = open_article
        self._analyzer = analyzer
        self.now = now or (lambda: datetime.now(UTC))
        self.clock = clock
        self.handle_signals = handle_signals
        self._library: Library | None = None
        self._restoring_theme = False
        self.search: SearchService | None = None
        self._exit_watchdog: threading.Timer | None = None

    @property
    def library(self) -> Library:
        assert self._library is not None, "the library opens on mount"
        return self._library

    def analyzer(self, text: str) -> Analysis:
        """Runs in the analysis worker thread; NLTK is imported there, on first use."""
        if self._analyzer is not None:
            return self._analyzer(text)
        from reader.nlp.analyzer import analyze

        return analyze(text, self.library.cache_dir)

    # ------------------------------------------------------------- lifecycle

    def on_mount(self) -> None:
        from reader.store import Library, StoreError

        try:
            self._library = Library.open(self.home)
        except StoreError as error:
            self.exit(1, message=f"reader: {one_line(str(error))}")
            return
        self.search = SearchService(self, self.library)
        for notice in self.library.notices:
            self.notify(one_line(notice), title="Library", severity="warning", markup=False)
        theme = self.library.get_setting("theme", DEFAULT_THEME)
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.handle_signals:
            self._install_signal_handlers()
        self.push_screen(
            LibraryScreen(self.library, now=self.now, wpm=self.wpm, analyzer=self.analyzer),
        )
        if self.open_article is not None:
            self.open_reading(self.open_article)

    def wpm(self) -> float:
        return float(self.library.get_setting("wpm", DEFAULT_WPM))

    def _theme_changed(self, _theme: object) -> None:
        if self._library is not None and not self.library.read_only:
            self.library.set_setting("theme", self.theme)

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
        self.save_reading()
        self.exit(0)

    def save_reading(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, ReadingScreen):
                screen.close_session()

    async def action_quit(self) -> None:
        self.save_reading()
        self.exit(0)

    def on_unmount(self) -> None:
        if self.search is not None:
            self.search.close()
            self.search = None
        if self._library is not None:
            self.save_reading()
            self._library.close()
            self._library = None

    # --------------------------------------------------------------- routing

    @on(OpenArticle)
    def _open_requested(self, message: OpenArticle) -> None:
        self.open_reading(message.article_id, message.position)

    def open_reading(self, key: str, position: int | None = None) -> None:
        """Open an article by id (or unique id prefix / exact title); say so if it's missing.

        With `position` (a text offset) the cursor lands on the sentence holding it; if that
        article is already on top, its reading screen just moves there.
        """
        record = self._find(key)
        if record is None:
            self.notify(f"No article matches “{one_line(key)}”.", severity="error", markup=False)
            return
        top = self.screen
        if isinstance(top, ReadingScreen) and top.record.id == record.id and position is not None:
            top.jump_to(position)
            return
        article = load_article_or_notify(self, self.library, record.id)
        if article is None:
            return
        self.push_screen(
            ReadingScreen(
                self.library,
                record,
                article,
                analyzer=self.analyzer,
                clock=self.clock,
                position=position,
            )
        )

    def _find(self, key: str) -> ArticleRecord | None:
        records = self.library.articles()
        for record in records:
            if record.id == key:
                return record
        matches = [r for r in records if r.id.startswith(key)] or [
            r for r in records if r.title.casefold() == key.casefold()
        ]
        return matches[0] if len(matches) == 1 else None


def run_app(home: Path, open_article: str | None = None) -> int:
    """The CLI's entry point: run the TUI on `home`; the exit code to return."""
    app = ReaderApp(home, open_article=open_article, handle_signals=True)
    try:
        result = app.run()
    finally:
        app.cancel_exit_watchdog()
    return int(result or app.return_code or 0)
