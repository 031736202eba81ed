"""Find in the article: the one-line box `/` (forward) and `ctrl+r` (backward) open, and the
matching it drives.

The bar is a row above the status line. While the query is typed it is an Input and every
change re-marks the matches; after enter it stays up as a label ("/barrier · match 3 of
17 · n next · N previous · escape clears"), because `n`/`N` mean next/previous match only
while a search is shown — the reader has to be able to see that they do.

Smartcase, as in vim and less: a query in lower case matches any case, a capital makes it
exact. The query is literal text (no regular expressions: a reader searching "1.8 m" means
the dot). A search hit opened from the library's search brings its words along
(`query_terms`); they are marked the same way, as whole-word prefixes ignoring case,
since the index matched stems ("gate" finds "gates").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Static

from reader.ui.text import one_line

_QUERY_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_QUERY_WORD = re.compile(r"\w+")
_MARKED = re.compile("\x02(.*?)\x03", re.S)


def query_pattern(query: str) -> re.Pattern[str] | None:
    """The typed query as a literal pattern, case-insensitive unless it holds a capital."""
    if not query:
        return None
    flags = 0 if any(char.isupper() for char in query) else re.IGNORECASE
    return re.compile(re.escape(query), flags)


def terms_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """Search-hit words and phrases: each a whole-word prefix, ignoring case (longest
    first, so a phrase wins over the word it starts with)."""
    parts = sorted({one_line(term).casefold() for term in terms if one_line(term)}, key=len)
    if not parts:
        return None
    alternatives = [r"\s+".join(map(re.escape, part.split())) for part in reversed(parts)]
    return re.compile(r"\b(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


def query_terms(query: str, snippet: str = "") -> tuple[str, ...]:
    """What a library search matched, to mark in the opened article: the query's words and
    "phrases" (a trailing * dropped), and the words the index marked in the hit's snippet
    (between \\x02 and \\x03), which are the article's own spellings of the stems."""
    terms: list[str] = []
    for match in _QUERY_TOKEN.finditer(query):
        phrase, word = match.group(1), match.group(2)
        words = _QUERY_WORD.findall(phrase if phrase is not None else word)
        if words:
            terms.append(" ".join(words))
    terms.extend(one_line(marked) for marked in _MARKED.findall(snippet) if one_line(marked))
    return tuple(dict.fromkeys(terms))


def find_spans(text: str, pattern: re.Pattern[str] | None) -> list[tuple[int, int]]:
    if pattern is None:
        return []
    return [m.span() for m in pattern.finditer(text) if m.end() > m.start()]


@dataclass
class FindState:
    """One search: its matches, which is current, and the way `n` goes (1 on, -1 back)."""

    label: str
    spans: list[tuple[int, int]]
    direction: int = 1
    current: int | None = None
    from_hit: bool = False
    """A search hit's words: escape still goes back to the search, as it did."""
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.starts = [s for s, _ in self.spans]

    @property
    def current_span(self) -> tuple[int, int] | None:
        return None if self.current is None else self.spans[self.current]

    def aim(self, offset: int, direction: int | None = None) -> tuple[int, int] | None:
        """Make current the first match at or after `offset` (going on) or the last one
        before it (going back), wrapping around the text."""
        if not self.spans:
            self.current = None
            return None
        way = self.direction if direction is None else direction
        if way > 0:
            self.current = bisect_left(self.starts, offset) % len(self.spans)
        else:
            self.current = (bisect_left(self.starts, offset) - 1) % len(self.spans)
        return self.spans[self.current]

    def step(self, step: int) -> tuple[int, int] | None:
        """The next match in the search's direction (step 1, `n`) or against it (-1, `N`)."""
        if not self.spans:
            return None
        if self.current is None:
            self.current = 0 if step * self.direction > 0 else len(self.spans) - 1
        else:
            self.current = (self.current + step * self.direction) % len(self.spans)
        return self.spans[self.current]

    def counted(self) -> str:
        if not self.spans:
            return "no match"
        if self.current is None:
            return f"{len(self.spans)} match{'es' if len(self.spans) != 1 else ''}"
        return f"match {self.current + 1} of {len(self.spans)}"


class FindBar(Horizontal):
    """The find box and, after enter, the line saying what n/N/escape do. It holds no
    search: the screen handles its Input's Changed and Submitted (one hop fewer for keys
    typed in a burst) and its escape (`screen.cancel_find`)."""

    DEFAULT_CSS = """
    FindBar {
        height: 1;
        background: $panel;
        color: $foreground;
        display: none;
        &.-shown { display: block; }
        & > #find-prompt { width: auto; padding: 0 0 0 1; color: $text-primary; }
        & > #find-query { width: auto; max-width: 50%; color: $text-primary; display: none; }
        & > Input { width: 1fr; background: $panel; }
        & > Input:focus { background: $boost; }
        & > #find-count { width: auto; padding: 0 1; }
        &.-typing > #find-query { display: none; }
        &.-done > #find-query { display: block; }
        &.-done > Input { display: none; }
        &.-done > #find-count { width: 1fr; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "screen.cancel_find", "Cancel the search", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._done: tuple[str, int, str] | None = None

    def compose(self) -> ComposeResult:
        yield Static("/", id="find-prompt")
        yield Static(id="find-query", markup=False)
        yield Input(placeholder="find in the text…", id="find-input", compact=True)
        yield Static(id="find-count", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one("#find-input", Input)

    @property
    def typing(self) -> bool:
        return self.has_class("-typing")

    def open(self, direction: int, previous: str = "") -> None:
        """Show the box for typing, empty (enter on it repeats `previous`)."""
        self.set_class(True, "-shown")
        self.set_class(True, "-typing")
        self.set_class(False, "-done", "-hit")
        self.query_one("#find-prompt", Static).update("/" if direction > 0 else "?")
        self.input.placeholder = (
            f"find {'on' if direction > 0 else 'back'}: enter repeats “{one_line(previous)[:30]}”"
            if previous
            else f"find {'forward' if direction > 0 else 'backward'} in the text…"
        )
        with self.input.prevent(Input.Changed):
            self.input.value = ""
        self.count("")
        self.input.focus()

    def show_done(
        self, label: str, direction: int, counted: str, *, from_hit: bool = False
    ) -> None:
        """The search stays up, as a line saying what `n`/`N`/escape now do (before the
        bar is mounted: once it is)."""
        self.set_class(True, "-shown")
        self.set_class(False, "-typing")
        self.set_class(True, "-done")
        self._done = (label, direction, counted)
        self.set_class(from_hit, "-hit")
        if self.is_mounted:
            self._show_done()

    def on_mount(self) -> None:
        if self._done is not None and self.has_class("-done"):
            self._show_done()

    def _show_done(self) -> None:
        assert self._done is not None
        label, direction, counted = self._done
        self.query_one("#find-prompt", Static).update("/" if direction > 0 else "?")
        self.query_one("#find-query", Static).update(one_line(label)[:60])
        self.count(counted)

    def count(self, counted: str) -> None:
        text = Text(f" {counted}" if counted else "")
        if counted and self.has_class("-done"):
            clears = "/ then escape clears" if self.has_class("-hit") else "escape clears"
            text.append(f" · n next · N previous · {clears}", style="dim")
        self.query_one("#find-count", Static).update(text)

    def close(self) -> None:
        self._done = None
        self.set_class(False, "-shown", "-typing", "-done", "-hit")


def matches_label(terms: Sequence[str]) -> str:
    """How the bar names the words a search hit brought along."""
    return " · ".join(one_line(term) for term in terms)
