"""Review: the reader's highlights, notes and the key sentences of finished articles,
brought back on an FSRS schedule (reader.study.review), one card at a time.

A card shows its article's title, the sentence before the passage (for context) and the
passage; space or enter reveals the reader's note; 1–4 rate it Again/Hard/Good/Easy;
`o` opens the passage in the article. Time comes from the app's injectable `now`, so due
dates are exact in tests.

Threading: the deck's store calls (counting, loading a batch of cards, saving a rating)
run on the UI thread; they are in-memory reads and one small write. The slow part is the
key sentences of finished articles never analysed: their texts are read on the UI thread
and handed to a thread worker that runs only the analyzer (no store access); the results
come back in a message and are recorded on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from reader.ui.dialogs.keys import KeysDialog, key_table
from reader.ui.text import one_line, safe_multiline

if TYPE_CHECKING:
    from reader.nlp.analysis import Analysis
    from reader.store import Library
    from reader.study.review import ReviewCard, ReviewDeck

BATCH = 50
"""Cards loaded at a time: loading reads their articles' texts."""
KIND_NAMES = {"highlight": "Your highlight", "note": "Your note", "key": "Key sentence"}


@dataclass
class KeySentencesAnalysed(Message):
    analyses: dict[str, Analysis]


class ReviewScreen(Screen[None]):
    """The ratings (1–4) are on the status line in big letters, so the footer leaves them out."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "reveal", "Show note"),
        Binding("1", "rate(1)", "Again", show=False),
        Binding("2", "rate(2)", "Hard", show=False),
        Binding("3", "rate(3)", "Good", show=False),
        Binding("4", "rate(4)", "Easy", show=False),
        Binding("o", "open", "Open in article"),
        Binding("escape,q", "back", "Back"),
        Binding("question_mark", "keys", "Keys"),
    ]

    def __init__(
        self,
        library: Library,
        *,
        now: Callable[[], datetime],
        analyzer: Callable[[str], Analysis],
        deck: ReviewDeck | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.now = now
        self.analyzer = analyzer
        self._deck = deck
        self.cards: list[ReviewCard] = []
        self.revealed = False
        self.due = 0
        self.reviewed = 0
        self.busy = True

    @property
    def deck(self) -> ReviewDeck:
        if self._deck is None:
            from reader.study.review import ReviewDeck

            self._deck = ReviewDeck(self.library)
        return self._deck

    @property
    def card(self) -> ReviewCard | None:
        return self.cards[0] if self.cards else None

    def compose(self) -> ComposeResult:
        yield Static(id="review-title")
        with VerticalScroll(id="review-body"), Vertical(id="review-card"):
            yield Static(id="card-source")
            yield Static(id="card-context")
            yield Static(id="card-passage")
            yield Static(id="card-note")
        yield Static(id="review-status")
        yield Footer()

    def on_mount(self) -> None:
        self.due = self.deck.due_count(self.now())
        self._show()
        self._warm_up()

    # ------------------------------------------------------------------ loading

    def _warm_up(self) -> None:
        """Key sentences of finished articles not analysed yet: analyse them in a worker."""
        from reader.nlp.analyzer import ANALYZER_VERSION
        from reader.store import StoreError

        if self.library.read_only:
            self._load()
            return
        index = self.library.key_sentence_index()
        texts: dict[str, str] = {}
        for record in self.library.articles():
            if record.finished and index.get(record.id, ("", []))[0] != ANALYZER_VERSION:
                try:
                    texts[record.id] = self.library.load_article(record.id).text
                except StoreError:
                    continue
        if not texts:
            self._load()
            return
        self._analyse(list(texts.values()))

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-analysis")
    def _analyse(self, texts: list[str]) -> None:
        self.post_message(KeySentencesAnalysed({text: self.analyzer(text) for text in texts}))

    @on(KeySentencesAnalysed)
    def _analysed(self, message: KeySentencesAnalysed) -> None:
        from reader.study.review import ReviewDeck

        def lookup(text: str) -> Analysis:
            found = message.analyses.get(text)
            return found if found is not None else self.analyzer(text)

        ReviewDeck(self.library, analyze=lookup).refresh_key_sentences()
        self._load()

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "review-analysis" and event.state == WorkerState.ERROR:
            self.notify("Key sentences could not be found; reviewing the rest.", severity="warning")
            self._load()

    def _load(self) -> None:
        from reader.store import StoreError

        now = self.now()
        try:
            self.cards = self.deck.due_cards(now, limit=BATCH, analyze_missing=False)
            self.due = self.deck.due_count(now)
        except StoreError as error:
            self.notify(one_line(str(error)), severity="error", markup=False)
            self.cards = []
        self._tell_skipped()
        self.busy = False
        self.revealed = False
        self._show()

    def _tell_skipped(self) -> None:
        """Articles whose cards were left out (a damaged text), each named once."""
        notices, self.deck.notices[:] = list(self.deck.notices), []
        for notice in notices:
            self.notify(one_line(notice), title="Left out", severity="warning", markup=False)

    # ------------------------------------------------------------------ drawing

    def _show(self) -> None:
        title = Text(" Review", style="bold")
        title.append(f" · {self.due} due", style="bold")
        if self.reviewed:
            title.append(f" · {self.reviewed} reviewed this session")
        self.query_one("#review-title", Static).update(title)
        card = self.card
        source = self.query_one("#card-source", Static)
        context = self.query_one("#card-context", Static)
        passage = self.query_one("#card-passage", Static)
        note = self.query_one("#card-note", Static)
        status = self.query_one("#review-status", Static)
        if card is None:
            source.update(Text(""))
            context.update(Text(""))
            message = "Loading cards…" if self.busy else "Nothing to review now."
            passage.update(Text(message, style="italic"))
            hint = "" if self.busy else "Highlight (h) or note (n) passages while reading;"
            if hint:
                hint += " they come back here, spaced out over time."
            note.update(Text(hint, style="dim"))
            status.update(Text(" escape back to the library", style="dim"))
            return
        head = Text(one_line(card.title, "Untitled"), style="bold")
        head.append(f"  ·  {KIND_NAMES.get(card.kind, card.kind)}", style="dim")
        head.append("  ·  new" if card.is_new else "  ·  due again", style="dim")
        source.update(head)
        context.update(Text(one_line(card.context) or "(start of the article)", style="dim"))
        passage.update(Text(one_line(card.passage)))
        if not self.revealed:
            note.update(Text("space shows your note", style="dim italic"))
        elif card.note.strip():
            note.update(Text(safe_multiline(card.note.strip())))
        else:
            note.update(Text("(no note)", style="dim italic"))
        hints = Text(" 1 Again · 2 Hard · 3 Good · 4 Easy", style="bold")
        hints.append(" · space note · o open in the article", style="dim")
        status.update(hints)

    # ------------------------------------------------------------------ actions

    def action_reveal(self) -> None:
        if self.card is not None:
            self.revealed = not self.revealed
            self._show()

    def action_rate(self, rating: int) -> None:
        from reader.store import StoreError
        from reader.study.review import RATINGS, describe_due

        card = self.card
        if card is None:
            return
        if self.library.read_only:
            self.notify("The library is read-only; reviews cannot be saved now.", severity="error")
            return
        now = self.now()
        try:
            due = self.deck.rate(card.id, rating, now)
        except StoreError as error:
            self.notify(one_line(str(error)), severity="error", markup=False)
            self.cards.pop(0)
        else:
            self.cards.pop(0)
            self.reviewed += 1
            self.notify(f"{RATINGS[rating]}: back {describe_due(due, now)}.")
        self.revealed = False
        if not self.cards:
            self._load()
            return
        self.due = self.deck.due_count(now)
        self._show()

    def action_open(self) -> None:
        from reader.ui.screens.library import OpenArticle

        card = self.card
        if card is not None:
            self.post_message(OpenArticle(card.article_id, card.start))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_keys(self) -> None:
        self.app.push_screen(KeysDialog(key_table(self)))

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        return [
            ("Show the note of this card", "key: space", self.action_reveal),
            ("Rate: Again", "key: 1", lambda: self.action_rate(1)),
            ("Rate: Hard", "key: 2", lambda: self.action_rate(2)),
            ("Rate: Good", "key: 3", lambda: self.action_rate(3)),
            ("Rate: Easy", "key: 4", lambda: self.action_rate(4)),
            ("Open this passage in the article", "key: o", self.action_open),
            ("Back to the library", "key: escape", self.action_back),
        ]
