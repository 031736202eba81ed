"""Review: the reader's highlights, notes and the key sentences of finished articles,
brought back on an FSRS schedule (reader.study.review), one card at a time.

A card shows its article's title, the sentence before the passage (for context) and the
passage. A key sentence is a cloze: one name, number or rare word is blanked out and
space (or enter) shows it; a highlight or note card's space shows the reader's note, and a
highlight without one has nothing to reveal, so space is not offered. 1–4 rate the card
Again/Hard/Good/Easy, each key shown with when the card would come back (fsrs's outcome,
worked out without recording anything, and recorded as shown); `o` opens the passage in
the article. Time comes from the app's injectable `now`, so due dates are exact in tests.

The count ("N due", and the library's "N cards to review") comes from one place,
`track_due_count`, so the two screens never disagree: it brings the key sentences of
finished articles up to date first, then counts with ReviewDeck.due_count, and counts
again when the next card falls due.

Threading: the deck's store calls (counting, loading a batch of cards, saving a rating)
run on the UI thread; they are in-memory reads and one small write. The slow part is the
key sentences of finished articles never analysed: their texts are read on the UI thread
and handed to a thread that runs only the analyzer (reader.ui.analysis_worker, no store
access); the results are recorded back on the UI thread.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from reader.ui.actions import REVIEW, PaletteEntry, bindings, palette_entries
from reader.ui.dialogs.keys import keys_dialog
from reader.ui.messages import OpenArticle
from reader.ui.text import one_line, safe_multiline

if TYPE_CHECKING:
    from reader.nlp.analysis import Analysis
    from reader.store import Library
    from reader.study.review import RatingPreview, ReviewCard, ReviewDeck

BATCH = 50
"""Cards loaded at a time: loading reads their articles' texts."""
KIND_NAMES = {"highlight": "Your highlight", "note": "Your note", "key": "Key sentence"}
KEY_SENTENCES_GROUP = "review-key-sentences"

# ------------------------------------------------------------------ the one due count


def refresh_key_sentences(
    screen: Screen[Any],
    library: Library,
    analyzer: Callable[[str], Analysis],
    done: Callable[[bool], None],
) -> bool:
    """Bring the key sentences of finished articles up to date, then call `done(ok)`.

    Returns False (and never calls `done`) when nothing needed analysing. Otherwise the
    texts are read here, analysed on a thread, and recorded on the UI thread by the worker
    (the screen's, in its own group, so a newer call replaces an older one).
    """
    from reader.study.review import ReviewDeck
    from reader.ui.analysis_worker import start_analyses

    texts = ReviewDeck(library).pending_key_articles()
    if not texts:
        return False

    def analysed(analyses: dict[str, Analysis]) -> None:
        try:
            ReviewDeck(library).record_key_sentences(analyses)
            ok = len(analyses) == len(texts)
        except Exception:  # the count and the review go on without these key sentences
            ok = False
        done(ok)

    start_analyses(screen, analyzer, texts, group=KEY_SENTENCES_GROUP, done=analysed)
    return True


def count_due(library: Library, now: datetime) -> int:
    """The due count every screen shows (0 when the store cannot say)."""
    from reader.store import StoreError
    from reader.study.review import ReviewDeck

    try:
        return ReviewDeck(library).due_count(now)
    except (StoreError, ValueError):
        return 0


_TIMERS: weakref.WeakKeyDictionary[Screen[Any], Timer] = weakref.WeakKeyDictionary()


def count_again_when_due(
    screen: Screen[Any], library: Library, now: Callable[[], datetime], show: Callable[[], None]
) -> None:
    """Call `show` when the next scheduled card falls due, so a count on screen never goes
    stale while the reader looks at it; replaces the screen's earlier such timer."""
    from reader.store import StoreError
    from reader.study.review import ReviewDeck

    old = _TIMERS.pop(screen, None)
    if old is not None:
        old.stop()
    armed_at = now()
    try:
        upcoming = ReviewDeck(library).next_due(armed_at)
    except (StoreError, ValueError):
        return
    if upcoming is None:
        return

    def fire() -> None:
        if now() >= upcoming:
            show()
        else:  # early, by the injected clock: wait for the card again
            count_again_when_due(screen, library, now, show)

    delay = max(0.05, (upcoming - armed_at).total_seconds())
    _TIMERS[screen] = screen.set_timer(delay, fire, name="review-next-due")


def track_due_count(
    screen: Screen[Any],
    library: Library,
    *,
    now: Callable[[], datetime],
    analyzer: Callable[[str], Analysis],
    show: Callable[[int], None],
) -> int:
    """The due count now, for a status line; `show` gets it again when it changes: once the
    key sentences of newly finished articles are recorded, and when a card falls due."""

    def recount(_ok: bool = True) -> None:
        show(count_due(library, now()))
        count_again_when_due(screen, library, now, recount)

    refresh_key_sentences(screen, library, analyzer, recount)
    count_again_when_due(screen, library, now, recount)
    return count_due(library, now())


# ------------------------------------------------------------------ the screen


def _joined(before: str, middle: Text, after: str) -> Text:
    """One line of passage with `middle` in it, keeping the spaces around it."""
    line = Text(one_line(before))
    if before[-1:].isspace() and line.plain:
        line.append(" ")
    line.append_text(middle)
    tail = one_line(after)
    if after[:1].isspace() and tail:
        line.append(" ")
    line.append(tail)
    return line


class ReviewScreen(Screen[None]):
    """The ratings (1–4) are on the status line in big letters, so the footer leaves them out.

    space/enter is bound twice, "Show answer" for a cloze and "Show note" for a card with
    a note: `check_action` keeps only the one that applies, so the footer and `?` say
    what space reveals, and neither when there is nothing to reveal.
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings(REVIEW)

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
        self.preview: RatingPreview | None = None
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

    def reveals(self) -> str:
        """What space shows on the current card: "answer", "note" or "" (nothing)."""
        card = self.card
        if card is None:
            return ""
        if card.cloze is not None:
            return "answer"
        return "note" if card.note.strip() else ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reveal_answer":
            return self.reveals() == "answer"
        if action == "reveal_note":
            return self.reveals() == "note"
        return True

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
        self.due = count_due(self.library, self.now())
        self._show()
        if not refresh_key_sentences(self, self.library, self.analyzer, self._analysed):
            self._load()

    # ------------------------------------------------------------------ loading

    def _analysed(self, ok: bool) -> None:
        if not ok:
            self.notify("Key sentences could not be found; reviewing the rest.", severity="warning")
        self._load()

    def _load(self) -> None:
        from reader.store import StoreError

        now = self.now()
        try:
            self.cards = self.deck.due_cards(now, limit=BATCH, analyze_missing=False)
        except StoreError as error:
            self.notify(one_line(str(error)), severity="error", markup=False)
            self.cards = []
        self._tell_skipped()
        self.busy = False
        self._next_card()

    def _next_card(self) -> None:
        """Show the first card of the batch, with its count and its rating outcomes."""
        from reader.store import StoreError

        now = self.now()
        self.due = count_due(self.library, now)
        self.revealed = False
        self.preview = None
        card = self.card
        if card is not None:
            try:
                self.preview = self.deck.preview(card.id, now)
            except (StoreError, ValueError):
                self.preview = None
        count_again_when_due(self, self.library, self.now, self._fell_due)
        self.refresh_bindings()
        self._show()

    def _fell_due(self) -> None:
        """A card's time came while this screen was up: counted, and shown if idle."""
        if self.card is None and not self.busy:
            self._load()
        else:
            self.due = count_due(self.library, self.now())
            count_again_when_due(self, self.library, self.now, self._fell_due)
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
        passage.update(self._passage(card))
        note.update(self._below(card))
        status.update(self._ratings())

    def _passage(self, card: ReviewCard) -> Text:
        if card.cloze is None:
            return Text(one_line(card.passage))
        from reader.study.cloze import BLANK

        before, answer, after = card.cloze_parts()
        if self.revealed:
            return _joined(before, Text(one_line(answer), style="reverse"), after)
        return _joined(before, Text(BLANK, style="bold"), after)

    def _below(self, card: ReviewCard) -> Text:
        """Under the passage: the note, the answer, or what space would show."""
        reveals = self.reveals()
        if reveals == "answer":
            if self.revealed:
                return Text.assemble(("Answer: ", "dim"), one_line(card.answer))
            return Text("space shows the answer", style="dim italic")
        if reveals == "note":
            if self.revealed:
                return Text(safe_multiline(card.note.strip()))
            return Text("space shows your note", style="dim italic")
        return Text("(no note)", style="dim italic")

    def _ratings(self) -> Text:
        """The rating keys, each with when the card would come back ("3 Good · 10 m")."""
        from reader.study.review import RATINGS, short_interval

        hints = Text(" ")
        for rating, name in RATINGS.items():
            if rating > 1:
                hints.append("   ")
            hints.append(f"{rating} {name}", style="bold")
            if self.preview is not None:
                hints.append(f" · {short_interval(self.preview.interval(rating))}")
        return hints  # `o` is in the footer: at 80 columns this line is full

    # ------------------------------------------------------------------ actions

    def action_reveal_answer(self) -> None:
        self._toggle()

    def action_reveal_note(self) -> None:
        self._toggle()

    def _toggle(self) -> None:
        if self.reveals():
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
            due = self.deck.rate(card.id, rating, now, preview=self.preview)
        except StoreError as error:
            self.notify(one_line(str(error)), severity="error", markup=False)
            self.cards.pop(0)
        else:
            self.cards.pop(0)
            self.reviewed += 1
            self.notify(f"{RATINGS[rating]}: back {describe_due(due, now)}.")
        if not self.cards:
            self._load()
            return
        self._next_card()

    def action_open(self) -> None:
        card = self.card
        if card is not None:
            self.post_message(OpenArticle(card.article_id, card.start))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_keys(self) -> None:
        self.app.push_screen(keys_dialog(self))

    def palette_commands(self) -> list[PaletteEntry]:
        """Space's command only when the card has something to show (see check_action)."""
        return palette_entries(self, REVIEW)
