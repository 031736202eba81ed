"""Search: one Input over ranked hits (article text, notes, highlights) with snippets.

The index is the app's `SearchService` (reader.ui.search_index): built in a worker the
first time, then queried on the UI thread, where an FTS5 query takes a few milliseconds.
The screen dismisses with the hit chosen (None on escape); `open_hit` turns it into an
`OpenArticle` at the hit's offset, and the reading screen puts the cursor on the sentence
holding it.

With `exclude` (the reading screen's "other articles that mention…") the current article
is left out and each article is listed once, at its best hit.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.plural import counted
from reader.study.search import SearchHit
from reader.ui.actions import SEARCH, PaletteEntry, bindings, palette_entries
from reader.ui.dialogs.keys import keys_dialog
from reader.ui.messages import OpenHit
from reader.ui.search_index import SearchService
from reader.ui.text import one_line
from reader.ui.widgets.find_bar import query_terms
from reader.ui.widgets.item_option import ItemOption, item_of
from reader.ui.widgets.vim_list import VimOptionList

if TYPE_CHECKING:
    from reader.study.search import SearchIndex

LIMIT = 50
_OPEN, _CLOSE = "\x02", "\x03"
KIND_LABELS = {"article": "text", "note": "note", "highlight": "highlight"}
HINT = 'Words (all must match), "a phrase", or a prefix*; titles, texts, notes and highlights.'


def search_service(app: App[Any]) -> SearchService:
    service = getattr(app, "search", None)
    if not isinstance(service, SearchService):
        raise RuntimeError("the app has no search service")
    return service


def marked_text(snippet: str, style: str = "bold reverse") -> Text:
    """A snippet with the index's match markers turned into `style` (and made safe)."""
    text = Text()
    for number, part in enumerate(snippet.split(_OPEN)):
        if number == 0:
            text.append(one_line(part.replace(_CLOSE, "")) + (" " if part.endswith(" ") else ""))
            continue
        match, _, rest = part.partition(_CLOSE)
        text.append(one_line(match), style=style)
        text.append((" " if rest.startswith(" ") else "") + one_line(rest))
        if rest.endswith(" "):
            text.append(" ")
    return text


@dataclass(frozen=True, slots=True)
class MarkedHit(SearchHit):
    """A chosen hit with the words it matched, for the reading screen to mark."""

    terms: tuple[str, ...] = ()


def open_hit(owner: DOMNode, hit: SearchHit | None) -> None:
    """Ask the app to open the hit's article with the cursor on the hit."""
    if hit is None:
        return
    terms = hit.terms if isinstance(hit, MarkedHit) else ()
    owner.post_message(OpenHit(hit.article_id, hit.start, terms))


class SearchScreen(Screen["SearchHit | None"]):
    BINDINGS: ClassVar[list[BindingType]] = bindings(SEARCH)
    KEYS_EXTRA: ClassVar[list[tuple[str, str]]] = [
        ("down / up", "Move through the hits"),
        ("enter", "In the box: go to the hits; on a hit: open it"),
    ]

    def __init__(
        self, *, query: str = "", exclude: str | None = None, heading: str = "Search"
    ) -> None:
        super().__init__()
        self.initial_query = query
        self.exclude = exclude
        self.heading = heading
        self.hits: list[SearchHit] = []
        self.index: SearchIndex | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(one_line(self.heading)), id="search-title")
        yield Input(self.initial_query, placeholder="search…", id="query")
        yield VimOptionList(id="hits", markup=False)
        yield Static(id="search-status")
        yield Footer()

    def on_mount(self) -> None:
        self._status(Text("Opening the search index…", style="italic"))
        self.query_one("#hits", OptionList).display = False
        if self.initial_query:
            self.query_one("#hits", OptionList).focus()
        else:
            self.query_one(Input).focus()
        search_service(self.app).when_ready(self._ready)

    def _ready(self, index: SearchIndex | None, error: str | None) -> None:
        if not self.is_attached:
            return
        if index is None:
            message = Text("Search is unavailable: ", style="bold")
            message.append(error or "the index could not be opened.")
            self._status(message)
            return
        self.index = index
        self.run_search(self.query_one(Input).value)

    def _status(self, text: Text) -> None:
        self.query_one("#search-status", Static).update(text)

    # ------------------------------------------------------------------ searching

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        if self.index is not None:
            self.run_search(event.value)

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        hits = self.query_one("#hits", OptionList)
        if self.hits:
            hits.focus()
            hits.highlighted = 0

    def run_search(self, query: str) -> None:
        from reader.store import StoreError

        assert self.index is not None
        option_list = self.query_one("#hits", OptionList)
        if not query.strip():
            self.hits = []
            option_list.clear_options()
            option_list.display = False
            self._status(Text(HINT, style="dim"))
            return
        try:
            found = self.index.search(query, limit=LIMIT, mark=(_OPEN, _CLOSE))
        except ValueError as error:
            found = []
            self._status(Text(one_line(str(error)), style="dim"))
        except StoreError as error:
            found = []
            self._status(Text(one_line(str(error)), style="bold"))
        if self.exclude is not None:
            seen: set[str] = {self.exclude}
            kept: list[SearchHit] = []
            for hit in found:
                if hit.article_id not in seen:
                    seen.add(hit.article_id)
                    kept.append(hit)
            found = kept
        self.hits = found
        option_list.set_options([self._option(i, hit) for i, hit in enumerate(found)])
        option_list.display = bool(found)
        if found:
            option_list.highlighted = 0
        what = "article" if self.exclude is not None else "hit"
        status = Text(f" {counted(len(found), what)}")
        if not found:
            status = Text(" No other article mentions it." if self.exclude else " Nothing found.")
        status.append(" · enter opens · ctrl+f edits the search · escape back", style="dim")
        self._status(status)

    def _option(self, number: int, hit: SearchHit) -> Option:
        prompt = Text(f"{KIND_LABELS.get(hit.kind, hit.kind):<10}", style="bold")
        prompt.append(one_line(hit.title, "Untitled"), style="bold")
        prompt.append("\n" + " " * 10)
        prompt.append_text(marked_text(hit.snippet))
        return ItemOption(prompt, hit, id=f"hit-{number}")

    @on(OptionList.OptionSelected, "#hits")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        hit = item_of(event.option, SearchHit)
        if hit is not None:
            terms = query_terms(self.query_one("#query", Input).value, hit.snippet)
            self.dismiss(
                MarkedHit(**{f.name: getattr(hit, f.name) for f in fields(hit)}, terms=terms)
            )

    # ------------------------------------------------------------------ actions

    def action_back(self) -> None:
        self.dismiss(None)

    def action_focus_input(self) -> None:
        self.query_one(Input).focus()

    def action_focus_hits(self) -> None:
        hits = self.query_one("#hits", OptionList)
        if self.hits and not hits.has_focus:
            hits.focus()

    def action_keys(self) -> None:
        self.app.push_screen(keys_dialog(self))

    def palette_commands(self) -> list[PaletteEntry]:
        return palette_entries(self, SEARCH)
