"""The reading screen: the article, a sentence cursor, the sidebar and the status line.

Study keys live here too: `h` highlights the sentence (or, after `v` and `j`/`k`, a run of
sentences), `n` on a highlight writes the highlight's note, `u` removes it; `S` opens the
summary page, `T` the tags dialog and `m` the other articles that mention the selected
entity (a search: see reader.ui.screens.search for the index's threading).

Threading: every store call (progress, notes, settings) runs on the UI thread. They are
small TinyDB writes (well under 20 ms) made at most once a second, and one thread owning
the Library is what TinyDB needs. The only other thread is the analysis worker, which
touches no widget and no store: it calls the analyzer and posts `AnalysisReady` back.

Failures: progress goes through the app's ProgressKeeper, so a save the disk refuses (or
a read-only window) keeps the position in memory and retries it instead of ending the
app; notes are saved by their dialog, which stays open with the text when refused.

First paint never waits for NLP: the text and a regex sentence split are ready in
`compose`; the trained sentences, entities and key sentences replace them when the
worker finishes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, OptionList
from textual.worker import Worker, WorkerState

from reader.plural import counted
from reader.store.settings import KEY_SENTENCES, key_sentence_count
from reader.ui.analysis_progress import (
    AnalysisFailed,
    AnalysisPartial,
    AnalysisProgress,
    AnalysisReady,
    Analyzer,
    stage_text,
)
from reader.ui.dialogs.confirm import ConfirmDialog
from reader.ui.dialogs.keys import keys_dialog
from reader.ui.dialogs.note import NoteDialog
from reader.ui.jump_list import JumpList
from reader.ui.panes.base import Pane
from reader.ui.panes.entities import EntitiesPane, EntityItem
from reader.ui.panes.key_sentences import KeyItem, KeySentencesPane
from reader.ui.panes.notes import HighlightItem, NoteItem, NotesPane
from reader.ui.progress_keeper import ProgressKeeper
from reader.ui.text import (
    WordIndex,
    one_line,
    provisional_sentences,
    reading_minutes,
    span_index,
)
from reader.ui.tracking import DEFAULT_WPM, ReadingTracker, read_through
from reader.ui.widgets.article_view import ArticleDoc, ArticleView
from reader.ui.widgets.block_layout import prose_only
from reader.ui.widgets.find_bar import (
    FindBar,
    FindState,
    find_spans,
    matches_label,
    query_pattern,
    terms_pattern,
)
from reader.ui.widgets.item_option import item_of
from reader.ui.widgets.sidebar import Sidebar

if TYPE_CHECKING:
    from reader.article import Article
    from reader.nlp.analysis import Analysis
    from reader.store import ArticleRecord, Library, NoteRecord
    from reader.store.records import HighlightRecord
    from reader.study.search import SearchHit

NARROW = 110
"""Below this width the sidebar folds away (shown below the text with `s`)."""
SAVE_INTERVAL = 1.0


class StatusLine(Widget):
    """% read, time left at the reader's pace, and what the analysis is doing.

    A one-line widget whose content never changes its size: updating it repaints the line
    without the full-screen layout pass `Static.update` asks for on every cursor move.
    """

    DEFAULT_CSS = "StatusLine { height: 1; }"

    status: reactive[Text] = reactive(Text, layout=False)

    def render(self) -> Text:
        return self.status


class ReadingScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "move(1)", "Next sentence", show=False),
        Binding("k,up", "move(-1)", "Previous sentence", show=False),
        Binding("space,pagedown", "page(1)", "Page down", show=False),
        Binding("b,pageup", "page(-1)", "Page up", show=False),
        Binding("g,home", "top", "Top", show=False),
        Binding("G,end", "bottom", "Bottom", show=False),
        # Find: n/N/escape mean these only while a search is shown (see check_action);
        # otherwise n is the note and escape goes back, the bindings further down.
        Binding("slash", "find(1)", "Find", show=False),
        Binding("ctrl+r", "find(-1)", "Find backward", show=False),
        Binding("n", "find_next(1)", "Next match"),
        Binding("N", "find_next(-1)", "Previous match", show=False),
        Binding("escape", "clear_find", "Clear the search"),
        Binding("ctrl+o", "jump_back", "Back to where you jumped from", show=False),
        Binding("apostrophe", "jump_toggle", "Between the last two places", show=False),
        Binding("F", "toggle_finished", "Mark finished or not", show=False),
        Binding("h", "highlight", "Highlight"),
        Binding("v", "select", "Select sentences", show=False),
        Binding("u", "remove_highlight", "Remove highlight", show=False),
        Binding("n", "add_note", "Note"),
        Binding("e", "edit_note", "Edit note", show=False),
        Binding("x", "delete_note", "Delete note", show=False),
        Binding("S", "summary", "Summary"),
        Binding("T", "tags", "Tags", show=False),
        Binding("m", "other_articles", "Other articles naming the entity", show=False),
        Binding("ctrl+f", "search", "Search the library", show=False),
        Binding("right_square_bracket", "mention(1)", "Next mention", show=False),
        Binding("left_square_bracket", "mention(-1)", "Previous mention", show=False),
        Binding("t", "toggle_key", "Key sentences", show=False),
        Binding("plus", "key_sentences(1)", "One key sentence more", show=False),
        Binding("minus", "key_sentences(-1)", "One key sentence fewer", show=False),
        Binding("s", "toggle_sidebar", "Sidebar"),
        Binding("1", "focus_pane('entities')", "Entities pane", show=False),
        Binding("2", "focus_pane('key-sentences')", "Key sentences pane", show=False),
        Binding("3", "focus_pane('notes')", "Notes pane", show=False),
        Binding("0", "focus_pane('article')", "Text", show=False),
        Binding("escape,q", "back", "Back"),
        Binding("l", "links", "Links of the sentence (or the screen)", show=False),
        Binding("o", "open_original", "Open the original page in the browser", show=False),
        Binding("right", "sideways(1)", "Scroll code or a table on screen right", show=False),
        Binding("left", "sideways(-1)", "Scroll code or a table on screen left", show=False),
        Binding("question_mark", "keys", "Keys"),
    ]
    KEYS_EXTRA: ClassVar[list[tuple[str, str]]] = [
        ("v, j / k, h", "Highlight several sentences: start, extend, save"),
        ("n on a highlight", "Write or edit the highlight's note (e edits, x deletes it)"),
        ("m", "On a chosen entity (1, then a name): other articles that mention it"),
        ("wheel", "Scroll the text"),
        ("click", "Put the cursor on a sentence"),
    ]

    _find: FindState | None = None
    """The search shown in the find bar (typed with / or ctrl+r, or a search hit's words)."""
    _find_origin: int = 0
    """Where the view was scrolled when the box opened: escape while typing goes back."""
    _find_typing: bool = False
    _find_direction: int = 1
    _last_query: str = ""

    def __init__(
        self,
        library: Library,
        record: ArticleRecord,
        article: Article,
        *,
        analyzer: Analyzer,
        clock: Callable[[], float] = time.monotonic,
        position: int | None = None,
        keeper: ProgressKeeper | None = None,
    ) -> None:
        """`position` (an offset into the text) overrides the saved reading position."""
        super().__init__()
        self.library = library
        self.keeper = keeper or ProgressKeeper(library, self._keeper_says)
        self.record = record
        self.article = article
        self.analyzer = analyzer
        self.clock = clock
        self.text = article.text
        self.words = WordIndex.build(self.text)
        self.wpm = float(library.get_setting("wpm", DEFAULT_WPM))
        self.tracker = ReadingTracker(self.wpm, clock)
        self.analysis: Analysis | None = None
        self.analysis_state = "analysing…"
        self.notes: list[NoteRecord] = []
        self.highlights: list[HighlightRecord] = []
        self._anchor: int | None = None
        self._restore_offset = record.position if position is None else position
        self._user_moved = False
        self.sidebar_choice: bool | None = None
        self._selected_entity: int | None = None
        self._last_mention: tuple[int, int] | None = None
        self._dirty = False
        self._finished = record.finished
        self._last_offset = 0
        # Where the reader reads, apart from where the cursor is: jumps move only the cursor.
        kept = self.keeper.kept_position(record.id)
        self.bookmark = record.position if kept is None else kept
        self.furthest = record.furthest
        self.seconds_read = record.seconds_read
        self.jumps = JumpList()
        self.jumps.jumped(self.bookmark, self._restore_offset)
        self._session_closed = False
        sentences = prose_only(provisional_sentences(self.text), article.blocks)
        # Restore by offset, so the same sentence comes back whatever the terminal's width.
        starts = [s for s, _ in sentences]
        start = span_index(starts, self._restore_offset) if sentences else 0
        self.view = ArticleView(
            ArticleDoc.build(
                self.text,
                article.title,
                article.author,
                article.published,
                article.source,
                blocks=article.blocks,
                marks=article.marks,
                links=article.links,
            ),
            sentences,
            cursor=start,
            id="article",
        )
        self._last_offset = self.view.cursor_span[0]
        # Reopened where it was left: the same screen, not just the same sentence.
        self._opening_anchor = record.anchor if self._restore_offset == record.position else None
        self.bookmark_anchor = self._opening_anchor
        if self._opening_anchor is not None:
            self.view.restore(self._restore_offset, self._opening_anchor)

    # ---------------------------------------------------------------- compose

    def compose(self) -> ComposeResult:
        with Container(id="main"):
            yield Sidebar(id="sidebar")
            yield self.view
        bar = FindBar(id="find")
        if self._find is not None:  # a search hit's words, marked before the screen mounted
            find = self._find
            bar.show_done(find.label, find.direction, find.counted(), from_hit=find.from_hit)
        yield bar
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.view.focus()
        self.query_one(EntitiesPane).show_message("Finding names…")
        self.query_one(KeySentencesPane).show_message("Ranking sentences…")
        self._load_notes()
        self._update_layout(self.app.size.width)
        self._update_status()
        self.set_interval(SAVE_INTERVAL, self._autosave, name="autosave")
        # Start the worker after the first frame: its imports (NLTK, the models) hold the
        # GIL for a while and would otherwise compete with the first paint.
        self.call_after_refresh(self._analyse)

    def on_resize(self) -> None:
        self._update_layout(self.size.width)

    def _update_layout(self, width: int) -> None:
        """Wide: the sidebar's three panes beside the text. Narrow: folded below the text
        until `s` or 1-3, and then one pane at a time across the whole width."""
        narrow = width < NARROW
        self.set_class(narrow, "-narrow")
        shown = self.sidebar_choice if self.sidebar_choice is not None else not narrow
        sidebar = self.query_one(Sidebar)
        sidebar.set_single(narrow)
        sidebar.display = shown

    # --------------------------------------------------------------- analysis

    @work(thread=True, exclusive=True, exit_on_error=False, group="analysis")
    def _analyse(self) -> None:
        def progress(stage: str, done: int, total: int) -> None:
            self.post_message(AnalysisProgress(stage, done, total))

        def partial(analysis: Analysis) -> None:
            self.post_message(AnalysisPartial(analysis))

        prose = self.article.prose_spans()
        analysis = self.analyzer(self.text, prose=prose, on_progress=progress, on_partial=partial)
        self.post_message(AnalysisReady(analysis))

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "analysis" and event.state == WorkerState.ERROR:
            error = event.worker.error
            self.post_message(AnalysisFailed(one_line(str(error)) or type(error).__name__))

    @on(AnalysisFailed)
    def _analysis_failed(self, message: AnalysisFailed) -> None:
        self.analysis_state = "analysis failed"
        panes: list[Pane] = [self.query_one(KeySentencesPane)]
        if self.analysis is None:  # entities that arrived before the failure stay
            panes.append(self.query_one(EntitiesPane))
        for pane in panes:
            pane.show_message("The analysis failed; the text is still yours to read.")
        self.notify(f"Analysis failed: {message.error}", severity="error", markup=False)
        self._update_status()

    @on(AnalysisProgress)
    def _analysis_progress(self, message: AnalysisProgress) -> None:
        said = stage_text(message.stage, message.done, message.total)
        if message.stage == "names":
            self.query_one(EntitiesPane).show_message(said)
        elif message.stage == "key sentences":
            self.query_one(KeySentencesPane).show_message(said)
        self.analysis_state = f"analysing: {said[0].lower()}{said[1:]}"
        self._update_status()

    @on(AnalysisPartial)
    def _analysis_partial(self, message: AnalysisPartial) -> None:
        """Sentences and entities can be used while the key sentences are ranked."""
        self._show_analysis(message.analysis)
        self.analysis_state = "analysing: ranking sentences…"
        self._update_status()

    @on(AnalysisReady)
    def _analysis_ready(self, message: AnalysisReady) -> None:
        analysis = message.analysis
        shown = self.analysis
        if shown is None or (shown.sentences, shown.entities) != (
            analysis.sentences,
            analysis.entities,
        ):
            self._show_analysis(analysis)
        # Redrawn only when they changed, so a reader already in the entities pane keeps
        # their place in it when the key sentences land.
        self.analysis = analysis
        self._keys_ranked = True
        self._show_key_sentences()
        self.analysis_state = ""
        self._update_status()

    def _show_analysis(self, analysis: Analysis) -> None:
        """The trained sentences and the entities pane (not the key sentences)."""
        self.analysis = analysis
        limit = len(self.text)
        sentences = [(s.start, s.end) for s in analysis.sentences if 0 <= s.start < s.end <= limit]
        if sentences:
            self.view.set_sentences(sentences)
            target = self.view.sentence_at(self._restore_offset)
            if not self._user_moved and target != self.view.cursor:
                # The provisional split may have merged sentences: land on the exact one,
                # with the screen where it was left.
                self.view.restore(self._restore_offset, self._opening_anchor)
            self._last_offset = self.view.cursor_span[0]
        self.query_one(EntitiesPane).show_entities(
            self._corrected(
                [
                    EntityItem(i, e.name, e.label, e.count)
                    for i, e in sorted(
                        enumerate(analysis.entities),
                        key=lambda pair: (-pair[1].count, pair[1].name),
                    )
                ]
            )
        )

    # ---------------------------------------------------------- key sentences

    _keys_ranked = False
    _key_choice: int | None = None
    """The count chosen with + and - in this window; None: the library's setting."""

    def _key_count(self) -> int | None:
        """How many key sentences to show; None: the article's own default."""
        if self._key_choice is not None:
            return self._key_choice
        return key_sentence_count(self.library.get_setting(KEY_SENTENCES, None))

    def _show_key_sentences(self) -> None:
        """The pane and the marks in the text, cut from the ranking the analysis keeps."""
        analysis = self.analysis
        if analysis is None or not self._keys_ranked:
            return
        keys: list[KeyItem] = []
        key_spans: list[tuple[int, int]] = []
        for rank, key in enumerate(analysis.top_key_sentences(self._key_count()), 1):
            if 0 <= key.sentence < len(analysis.sentences):
                span = analysis.sentences[key.sentence]
                index = self.view.sentence_at(span.start)
                if any(k.sentence == index for k in keys):
                    continue  # not a sentence the view holds (in code, say): one per sentence
                keys.append(KeyItem(rank, index, self.text[span.start : span.end]))
                key_spans.append((span.start, span.end))
        self.query_one(KeySentencesPane).show_key_sentences(keys, analysis.ranked)
        self.view.set_key_sentences(key_spans)

    def action_key_sentences(self, step: int) -> None:
        """+ and -: one key sentence more or fewer, remembered for the whole library."""
        analysis = self.analysis
        if analysis is None or not self._keys_ranked:
            self.notify("The key sentences are still being ranked.", severity="warning")
            return
        ranked = analysis.ranked
        if ranked == 0:
            self.notify("This article has no key sentences.", severity="warning")
            return
        shown = len(analysis.top_key_sentences(self._key_count()))
        wanted = max(1, min(ranked, shown + step))
        if wanted == shown:
            self.notify(
                f"All {ranked} ranked sentences are shown." if step > 0 else "One is the fewest.",
                severity="warning",
            )
            return
        self._key_choice = wanted
        if not self.library.read_only:  # a read-only window keeps the choice until it closes
            self._write(lambda: self.library.set_setting(KEY_SENTENCES, wanted))
        self._show_key_sentences()

    # ------------------------------------------------------------------ notes

    def _load_notes(self) -> None:
        """Re-read notes and highlights (one small read each) and redraw their marks."""
        self.notes = self.library.notes(self.record.id)
        self.highlights = self.library.highlights(self.record.id)
        self.query_one(NotesPane).show_notes(
            [NoteItem(n.id, n.start, n.passage(self.text), n.text, n.detached) for n in self.notes],
            [
                HighlightItem(h.id, h.start, h.passage(self.text), h.note, h.detached)
                for h in self.highlights
            ],
        )
        # A detached one marks nothing in the text: its passage is no longer there.
        self.view.set_notes(
            [(n.start, n.end) for n in self.notes if not n.detached]
            + [(h.start, h.end) for h in self.highlights if h.note and not h.detached]
        )
        self.view.set_highlights((h.start, h.end) for h in self.highlights if not h.detached)
        if self.is_mounted:
            self._update_status()

    def _write(self, change: Callable[[], object]) -> bool:
        """Run a store write; a refusal (read-only, note gone) becomes one error message."""
        from reader.store import StoreError

        try:
            change()
        except StoreError as error:
            self.notify(one_line(str(error)), severity="error", markup=False)
            return False
        return True

    def _note_for_action(self) -> NoteRecord | None:
        """The note highlighted in the Notes pane, else the first one on the cursor sentence."""
        pane = self.query_one(NotesPane)
        note_id = pane.highlighted_note_id if pane.has_focus else None
        if note_id is not None:
            return next((n for n in self.notes if n.id == note_id), None)
        start, end = self.view.cursor_span
        on_sentence = [n for n in self.notes if n.start < end and n.end > start and not n.detached]
        if on_sentence:
            return on_sentence[0]
        note_id = pane.highlighted_note_id
        return next((n for n in self.notes if n.id == note_id), None)

    def _writable(self, what: str) -> bool:
        if self.library.read_only:
            self.notify(f"The library is read-only; {what} cannot be saved now.", severity="error")
            return False
        return True

    def action_add_note(self) -> None:
        """A note on the sentence; on a highlighted sentence, the highlight's own note."""
        if not self._writable("notes"):
            return
        highlight = self.highlight_at_cursor()
        if highlight is not None:
            self.edit_highlight_note(highlight)
            return
        start, end = self.view.cursor_span
        if end <= start:
            return

        def save(text: str) -> None:
            self.library.add_note(self.record.id, start, end, text)

        def saved(text: str | None) -> None:
            if text is not None:
                self._load_notes()
                self.notify("Note saved.")

        self.app.push_screen(NoteDialog(self.text[start:end], save=save), saved)

    def action_edit_note(self) -> None:
        note = self._note_for_action()
        if note is None:
            highlight = self.highlight_at_cursor()
            if highlight is not None and highlight.note:
                self.edit_highlight_note(highlight)
                return
            self.notify("No note here to edit.", severity="warning")
            return

        def save(text: str) -> None:
            self.library.update_note(note.id, text)

        def saved(text: str | None) -> None:
            if text is not None:
                self._load_notes()

        dialog = NoteDialog(note.passage(self.text), note.text, save=save, editing=True)
        self.app.push_screen(dialog, saved)

    def action_delete_note(self) -> None:
        note = self._note_for_action()
        if note is None:
            highlight = self.highlight_at_cursor()
            if highlight is not None and highlight.note:
                self._delete_highlight_note(highlight)
                return
            self.notify("No note here to delete.", severity="warning")
            return
        question = Text("Delete the note “")
        question.append(one_line(note.text)[:60])
        question.append("”?")

        def answered(yes: bool | None) -> None:
            if yes and self._write(lambda: self.library.delete_note(note.id)):
                self._load_notes()
                self.notify("Note deleted.")

        self.app.push_screen(ConfirmDialog(question), answered)

    # ------------------------------------------------------------- highlights

    def highlight_at_cursor(self) -> HighlightRecord | None:
        """The highlight the action is about: the one picked in the Notes pane when it has
        focus, else the shortest one covering the cursor sentence."""
        pane = self.query_one(NotesPane)
        mark = pane.highlighted_item if pane.has_focus else None
        if isinstance(mark, HighlightItem):
            return next((h for h in self.highlights if h.id == mark.highlight_id), None)
        start, end = self.view.cursor_span
        covering = [
            h for h in self.highlights if h.start < end and h.end > start and not h.detached
        ]
        return min(covering, key=lambda h: (h.end - h.start, h.start), default=None)

    def action_select(self) -> None:
        """`v`: start a selection at the cursor (again: cancel it); `h` saves it."""
        if self._anchor is not None:
            self._cancel_selection()
            return
        self._anchor = self.view.cursor
        self.view.set_selection((self._anchor, self.view.cursor))
        self._update_status()

    def _cancel_selection(self) -> None:
        self._anchor = None
        self.view.set_selection(None)
        self._update_status()

    def action_highlight(self) -> None:
        """Highlight the sentence, or the selection from `v` to the cursor."""
        if not self.view.sentences:
            return
        first = last = self.view.cursor
        if self._anchor is not None:
            first, last = sorted((self._anchor, self.view.cursor))
        self._cancel_selection()
        if not self._writable("highlights"):
            return
        start, end = self.view.span_of(first, last)
        if any((h.start, h.end) == (start, end) for h in self.highlights):
            self.notify("Already highlighted (u removes it).")
            return
        if self._write(lambda: self.library.add_highlight(self.record.id, start, end)):
            self._load_notes()
            count = last - first + 1
            self.notify(f"Highlighted {counted(count, 'sentence')}.")

    def edit_highlight_note(self, highlight: HighlightRecord) -> None:
        def save(text: str) -> None:
            self.library.set_highlight_note(highlight.id, text)

        def saved(text: str | None) -> None:
            if text is not None:
                self._load_notes()
                self.notify("Highlight note saved.")

        dialog = NoteDialog(
            highlight.passage(self.text),
            highlight.note,
            save=save,
            editing=bool(highlight.note),
            heading="Note on the highlight",
        )
        self.app.push_screen(dialog, saved)

    def _delete_highlight_note(self, highlight: HighlightRecord) -> None:
        question = Text("Delete the highlight's note “")
        question.append(one_line(highlight.note)[:60])
        question.append("”? (The highlight stays.)")

        def answered(yes: bool | None) -> None:
            if yes and self._write(lambda: self.library.set_highlight_note(highlight.id, "")):
                self._load_notes()
                self.notify("Note deleted.")

        self.app.push_screen(ConfirmDialog(question), answered)

    def action_remove_highlight(self) -> None:
        """`u`: remove the highlight under the cursor; one with a note asks first."""
        highlight = self.highlight_at_cursor()
        if highlight is None:
            self.notify("No highlight here.", severity="warning")
            return
        if not self._writable("highlights"):
            return

        def remove() -> None:
            if self._write(lambda: self.library.remove_highlight(highlight.id)):
                self._load_notes()
                self.notify("Highlight removed.")

        if not highlight.note:
            remove()
            return
        question = Text("Remove the highlight and its note “")
        question.append(one_line(highlight.note)[:60])
        question.append("”?")
        self.app.push_screen(
            ConfirmDialog(question, confirm_label="Remove"),
            lambda yes: remove() if yes else None,
        )

    # ------------------------------------------------------------ study pages

    def jump_to(self, offset: int) -> None:
        """Put the cursor on the sentence holding `offset` (from the summary or a search)."""
        self._restore_offset = offset
        self._cancel_selection()
        self._jump_to(self.view.sentence_at(offset), top=True)
        # Until the analysis lands, the sentences are provisional: let it re-aim the cursor.
        self._user_moved = self.analysis is not None
        self.view.focus()

    def action_summary(self) -> None:
        from reader.ui.screens.summary import SummaryScreen

        def chosen(offset: int | None) -> None:
            if offset is not None:
                self.jump_to(offset)

        # Between the names and the key sentences the analysis is partial: the summary
        # then runs its own, rather than show no key sentences.
        analysis = self.analysis if self._keys_ranked else None
        screen = SummaryScreen(
            self.library, self.record, self.article, analysis=analysis, analyzer=self.analyzer
        )
        self.app.push_screen(screen, chosen)

    def action_tags(self) -> None:
        from reader.ui.dialogs.tags import edit_tags

        def changed(record: ArticleRecord) -> None:
            self.record = record

        edit_tags(self, self.library, self.record.id, changed)

    def action_other_articles(self) -> None:
        """`m`: the other articles that mention the selected entity, via the search index."""
        if self.analysis is None or self._selected_entity is None:
            self.notify("Choose an entity first (press 1, then a name).", severity="warning")
            return
        self.search_entity(self.analysis.entities[self._selected_entity].name)

    def action_search(self) -> None:
        from reader.ui.screens.search import MarkedHit, SearchScreen, open_hit

        def chosen(hit: SearchHit | None) -> None:
            if hit is not None and hit.article_id == self.record.id:
                self.jump_to(hit.start)
                self.mark_terms(hit.terms if isinstance(hit, MarkedHit) else (), hit.start)
            else:
                open_hit(self, hit)

        self.app.push_screen(SearchScreen(), chosen)

    def action_export(self) -> None:
        from reader.ui.dialogs.export import export_articles

        title = f"“{one_line(self.record.title, 'Untitled')}”"
        export_articles(self, self.library, [self.record.id], title)

    def search_entity(self, name: str) -> None:
        from reader.ui.screens.search import SearchScreen, open_hit

        screen = SearchScreen(
            query=f'"{name}"',
            exclude=self.record.id,
            heading=f"Other articles that mention {one_line(name)}",
        )
        self.app.push_screen(screen, lambda hit: open_hit(self, hit))

    # ----------------------------------------------------------------- panes

    # ----------------------------------------------------- entity corrections

    _entity_items: Sequence[EntityItem] = ()  # the analysis's names, before corrections

    def _corrected(self, items: list[EntityItem]) -> list[EntityItem]:
        """The reader's corrections laid over the analysis's names (which stay as cached)."""
        from reader.store import StoreError
        from reader.store.entity_corrections import name_key

        self._entity_items = items
        try:
            corrections = self.library.entity_corrections()
        except StoreError as error:
            self.notify(one_line(str(error)), severity="error", markup=False)
            return items
        out = []
        for item in items:
            fix = corrections.get(name_key(item.name))
            out.append(item if fix is None else item.corrected(fix.label, fix.hidden))
        return out

    def _correct_entity(self, entity: EntityItem, *, label: str, hidden: bool) -> bool:
        """Store `label` (the kind to show) and `hidden` for the name, then show the list."""
        if not self._writable("entity corrections"):
            return False
        found = next((i for i in self._entity_items if i.index == entity.index), entity)
        kind = None if label == found.label else label  # back to the tagger's kind: no retype
        if not self._write(
            lambda: self.library.correct_entity(entity.name, label=kind, hidden=hidden)
        ):
            return False
        self.query_one(EntitiesPane).show_entities(self._corrected(list(self._entity_items)))
        return True

    @on(EntitiesPane.Retype)
    def _retype_entity(self, message: EntitiesPane.Retype) -> None:
        from reader.ui.dialogs.entity_kind import EntityKindDialog

        entity = message.entity

        def chosen(label: str | None) -> None:
            if label is not None and label != entity.label:
                self._correct_entity(entity, label=label, hidden=entity.hidden)

        self.app.push_screen(EntityKindDialog(entity.name, entity.label), chosen)

    @on(EntitiesPane.Hide)
    def _hide_entity(self, message: EntitiesPane.Hide) -> None:
        entity = message.entity
        if self._correct_entity(entity, label=entity.label, hidden=not entity.hidden):
            done = "is shown again" if entity.hidden else "is hidden: X on it brings it back"
            self.notify(f"“{one_line(entity.name)}” {done}, in every article.", markup=False)

    @on(OptionList.OptionHighlighted, "#entities")
    @on(OptionList.OptionSelected, "#entities")
    def _entity_chosen(self, event: OptionList.OptionHighlighted) -> None:
        item = item_of(event.option, EntityItem)
        if self.analysis is None or item is None:
            return
        self._select_entity(item.index)
        if isinstance(event, OptionList.OptionSelected):
            self.action_mention(1)

    def _select_entity(self, index: int) -> None:
        assert self.analysis is not None
        self._selected_entity = index
        self._last_mention = None
        entity = self.analysis.entities[index]
        self.view.set_mentions((m.start, m.end) for m in entity.mentions)

    @on(OptionList.OptionSelected, "#key-sentences")
    def _key_chosen(self, event: OptionList.OptionSelected) -> None:
        item = item_of(event.option, KeyItem)
        if item is not None:
            self._jump_to(item.sentence)

    @on(OptionList.OptionSelected, "#notes")
    def _note_chosen(self, event: OptionList.OptionSelected) -> None:
        start: int | None = None
        chosen = item_of(event.option, HighlightItem) or item_of(event.option, NoteItem)
        if chosen is not None and chosen.detached:
            self.notify(
                "Its passage is no longer in this article's text (it changed when the article "
                "was read again); the note is kept with the passage it was made on.",
                severity="warning",
                markup=False,
            )
            return
        if (mark := item_of(event.option, HighlightItem)) is not None:
            start = next((h.start for h in self.highlights if h.id == mark.highlight_id), None)
        elif (note := item_of(event.option, NoteItem)) is not None:
            start = next((n.start for n in self.notes if n.id == note.note_id), None)
        if start is not None:
            self._jump_to(self.view.sentence_at(start))

    @on(ArticleView.SentenceClicked)
    def _clicked(self, event: ArticleView.SentenceClicked) -> None:
        self._move_to(event.index, scroll=False)

    def action_focus_pane(self, pane: str) -> None:
        sidebar = self.query_one(Sidebar)
        if pane != "article":
            sidebar.show_pane(pane)  # folded to one pane: this one
            if not sidebar.display:
                self.sidebar_choice = True
                self._update_layout(self.size.width)
        self.query_one(f"#{pane}").focus()

    def action_toggle_sidebar(self) -> None:
        sidebar = self.query_one(Sidebar)
        self.sidebar_choice = not sidebar.display
        self._update_layout(self.size.width)
        if not sidebar.display:
            self.view.focus()

    def action_toggle_key(self) -> None:
        shown = self.view.toggle_key()
        self.notify("Key sentences highlighted." if shown else "Key-sentence highlighting off.")

    # ------------------------------------------------------------------- find

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """n, N and escape belong to the search only while one is shown and not being
        typed; otherwise their later bindings (note, back) get the key."""
        if action in ("find_next", "clear_find"):
            shown = self._find is not None and not self._find_typing
            if action == "clear_find" and shown and self._find is not None:
                return not self._find.from_hit  # escape from a search hit: back to it
            return shown
        return True

    def action_find(self, direction: int) -> None:
        """`/` (forward) or ctrl+r (backward): open the find box."""
        self._find_typing = True
        self._find_direction = direction
        self._find_origin = round(self.view.scroll_offset.y)
        self.query_one(FindBar).open(direction, self._last_query)
        self.refresh_bindings()

    @on(Input.Changed, "#find-input")
    def _find_changed(self, event: Input.Changed) -> None:
        """Every change re-marks the matches and shows the nearest; the cursor stays."""
        event.stop()
        self._start_find(event.value, self._find_direction)
        span = self._find.current_span if self._find is not None else None
        if span is not None:
            self.view.show_span(span)
        else:
            self.view.scroll_to(y=self._find_origin, animate=False, immediate=True)

    def _start_find(self, query: str, direction: int) -> None:
        pattern = query_pattern(query)
        if pattern is None:
            self._find = None
            self.view.set_matches([])
            self.query_one(FindBar).count("")
            return
        state = FindState(query, find_spans(self.view.doc.text, pattern), direction)
        span = state.aim(self.view.cursor_span[0])
        self._find = state
        self.view.set_matches(state.spans, span)
        self.query_one(FindBar).count(state.counted())

    @on(Input.Submitted, "#find-input")
    def _find_submitted(self, event: Input.Submitted) -> None:
        """enter: go to the match and keep the search up for n/N; on an empty box, the
        previous search again."""
        event.stop()
        query = event.value or self._last_query
        self._find_typing = False
        if not query:
            self._clear_find()
            return
        self._last_query = query
        if not event.value or self._find is None or self._find.label != query:
            self._start_find(query, self._find_direction)
        state = self._find
        assert state is not None
        self.query_one(FindBar).show_done(query, state.direction, state.counted())
        self.view.focus()
        self.refresh_bindings()
        span = state.current_span
        if span is None:
            self.view.scroll_to(y=self._find_origin, animate=False, immediate=True)
            self.notify(f"Not found: {one_line(query)[:60]}", severity="warning", markup=False)
            return
        self._go_to_match(span)

    def _go_to_match(self, span: tuple[int, int]) -> None:
        """A match is a jump (ctrl+o comes back), the cursor on its sentence."""
        self._cancel_selection()
        self._jump_to(self.view.sentence_at(span[0]))
        self.view.set_current_match(span)
        self.view.show_span(span)  # a long sentence: make sure the match itself is in view

    def action_find_next(self, step: int) -> None:
        """`n` the next match (in the search's direction), `N` the one before."""
        state = self._find
        if state is None:
            return
        span = state.step(step)
        self.query_one(FindBar).count(state.counted())
        if span is None:
            self.notify(f"No match for {one_line(state.label)[:60]}.", severity="warning")
            return
        self._go_to_match(span)

    def action_clear_find(self) -> None:
        self._clear_find()

    def action_cancel_find(self) -> None:
        """escape while typing: no search, and the view back where it was."""
        self._clear_find()
        self.view.scroll_to(y=self._find_origin, animate=False, immediate=True)

    def _clear_find(self) -> None:
        self._find = None
        self._find_typing = False
        self.view.set_matches([])
        self.query_one(FindBar).close()
        self.view.focus()
        self.refresh_bindings()

    def mark_terms(self, terms: Sequence[str], position: int | None = None) -> None:
        """A library search hit's words, marked as find matches (the one at `position`
        current) so n/N walk through them. Safe before the screen is composed."""
        spans = find_spans(self.view.doc.text, terms_pattern(terms))
        if not spans:
            return
        state = FindState(matches_label(terms), spans, from_hit=True)
        span = state.aim(self.view.cursor_span[0] if position is None else position)
        self._find = state
        self._find_typing = False
        self.view.set_matches(spans, span)
        if self.is_mounted:
            bar = self.query_one(FindBar)
            bar.show_done(state.label, state.direction, state.counted(), from_hit=True)
            self.refresh_bindings()

    # ----------------------------------------------------------------- cursor

    def _move_to(self, index: int, *, scroll: bool = True, top: bool = False) -> None:
        """A reading move: the bookmark, the furthest point and the pace follow it."""
        self.view.move_cursor(index, scroll=scroll, top=top)
        self._after_move()

    def _jump_to(self, index: int, *, top: bool = False) -> None:
        """A jump: only the cursor moves, and the jump list remembers where it was."""
        origin = self.view.cursor_span[0]
        self.view.move_cursor(index, top=top)
        self.jumps.jumped(origin, self.view.cursor_span[0])
        self._after_move(jump=True)

    def _after_move(self, *, jump: bool = False) -> None:
        self._user_moved = True
        if self._anchor is not None:
            self.view.set_selection((self._anchor, self.view.cursor))
        offset = self.view.cursor_span[0]
        if jump:
            self.tracker.jumped()
        else:
            advanced = self.words.words_before(offset) - self.words.words_before(self._last_offset)
            self.tracker.moved(advanced)
            self.bookmark = offset
            self.bookmark_anchor = self.view.view_anchor()
            self.furthest = max(self.furthest, self.progress)
            self._dirty = True
            self._judge_finished()
        self._last_offset = offset
        self._update_status()

    def _judge_finished(self) -> None:
        """Finished once read to the end in a plausible time (see reader.ui.tracking); the
        reader's own mark (F) is never taken back by this."""
        if not self._finished and read_through(
            furthest=self.furthest,
            seconds_read=self.seconds_read + self.tracker.peek_seconds(),
            words=self.words.total,
            wpm=self.tracker.updated_wpm(),
        ):
            self._finished = True

    def action_toggle_finished(self) -> None:
        self._finished = not self._finished
        self._dirty = True
        self.save_progress()
        self.notify("Marked finished." if self._finished else "Marked not finished.")

    def action_jump_back(self) -> None:
        self._jump_back(self.jumps.back)

    def action_jump_toggle(self) -> None:
        self._jump_back(self.jumps.toggle)

    def _jump_back(self, way: Callable[[int], int | None]) -> None:
        target = way(self.view.cursor_span[0])
        if target is None:
            self.notify("No jump to go back to.", severity="warning")
            return
        self._cancel_selection()
        self.view.move_cursor(self.view.sentence_at(target), top=True)
        self._after_move(jump=True)

    def action_move(self, step: int) -> None:
        if not self.view.cursor_visible():
            # After scrolling with the wheel, the cursor resumes from what is on screen.
            self._move_to(self.view.first_visible_sentence())
            return
        self._move_to(self.view.cursor + step)

    def action_page(self, direction: int) -> None:
        self.view.page(direction)
        self._after_move()

    def action_top(self) -> None:
        self._jump_to(0)

    def action_bottom(self) -> None:
        self._jump_to(len(self.view.sentences) - 1)

    def action_mention(self, direction: int) -> None:
        if not self.view.mentions:
            self.notify("Choose an entity first (press 1).", severity="warning")
            return
        start, end = self.view.cursor_span
        anchor = self._last_mention
        if anchor is not None and start <= anchor[0] < max(end, start + 1):
            origin = anchor[0]
        else:
            origin = start - 1 if direction > 0 else start
        mention = self.view.mention_after(origin, direction)
        if mention is None:
            return
        self._last_mention = mention
        self._jump_to(self.view.sentence_at(mention[0]))
        self._last_mention = mention

    # --------------------------------------------------------------- progress

    @property
    def progress(self) -> float:
        """How far into the text the cursor's sentence ends, as a share of the words."""
        return self._fraction_at(self.view.cursor)

    def _fraction_at(self, index: int) -> float:
        if not self.view.sentences:
            return 0.0
        if index >= len(self.view.sentences) - 1:
            return 1.0
        end = self.view.sentences[index][1]
        return self.words.words_before(end) / max(1, self.words.total)

    def _update_status(self) -> None:
        end = self.view.cursor_span[1]
        left = self.words.words_after(end) if self.progress < 1.0 else 0
        status = Text()
        status.append(f" {self.furthest:.0%} read", style="bold")
        if self._finished:
            status.append(" · finished", style="bold")
        if self.furthest - self.progress >= 0.005:  # gone back to an earlier passage
            status.append(f" · here {self.progress:.0%}")
        wpm = self.tracker.updated_wpm()
        status.append(f" · {reading_minutes(left, wpm)} left")
        status.append(f" · {wpm:.0f} wpm", style="dim")
        status.append(f" · sentence {self.view.cursor + 1}/{len(self.view.sentences)}")
        section = self.view.section_at(self.view.cursor_span[0])
        if section:
            status.append(f" · § {section[:40]}{'…' if len(section) > 40 else ''}")
        if self._anchor is not None:
            count = abs(self.view.cursor - self._anchor) + 1
            status.append(
                f" · selecting {counted(count, 'sentence')} (h highlights, v cancels)",
                style="bold",
            )
        else:
            start, end = self.view.cursor_span
            if any(h.start < end and h.end > start for h in self.highlights):
                status.append(" · highlighted", style="italic")
        if self.analysis_state:
            status.append(f" · {self.analysis_state}", style="italic")
        if self.library.read_only:
            status.append(" · read-only", style="bold")
        elif self.keeper.is_kept(self.record.id):
            status.append(" · position not saved yet", style="bold")
        self.query_one(StatusLine).status = status

    def _keeper_says(self, message: str, error: bool) -> None:
        self.notify(message, severity="error" if error else "information", markup=False)

    def _autosave(self) -> None:
        """Once a second: the new position, or another try at one the disk refused."""
        if self._dirty:
            self.save_progress()
        elif self.keeper.pending:
            self.keeper.flush()
            self._update_status()

    def save_progress(self) -> bool:
        """Write position, % read, time spent and finished; safe to call any number of times.

        False if it is not on disk yet (read-only, or the disk refused): the keeper holds
        it and tries again, so nothing the reader did is dropped.
        """
        self._dirty = False
        seconds = self.tracker.take_seconds()
        self.seconds_read += seconds
        saved = self.keeper.save(
            self.record.id,
            title=self.record.title,
            position=self.bookmark,
            progress=self._fraction_at(self.view.sentence_at(self.bookmark)),
            furthest=self.furthest,
            anchor=self.bookmark_anchor,
            seconds_read=seconds,
            finished=self._finished,
        )
        if self.is_mounted and not self._session_closed:
            self._update_status()
        return saved

    def writable_again(self) -> None:
        """The other window closed: save what this one kept while it could not."""
        if self._dirty:
            self.save_progress()
        else:
            self._update_status()

    def close_session(self) -> None:
        """Final save on leaving: progress (kept by the keeper if refused), and the reader's
        measured speed (a nicety: dropped if it cannot be written)."""
        from reader.store import StoreError

        if self._session_closed:
            return
        self._session_closed = True
        if self.library.read_only and not self._dirty:
            return  # nothing moved: no "not saved" to report for a window that only looked
        self.save_progress()
        if self.library.read_only:
            return
        wpm = self.tracker.updated_wpm()
        if abs(wpm - self.wpm) >= 0.5:
            try:
                self.library.set_setting("wpm", round(wpm, 1))
            except StoreError as error:
                self.app.log.warning(f"reading speed not saved: {error}")

    def on_unmount(self) -> None:
        self.close_session()

    def action_back(self) -> None:
        if self._anchor is not None:
            self._cancel_selection()
            return
        self.close_session()
        self.app.pop_screen()

    def action_links(self) -> None:
        """`l`: the links of the sentence (else of the screen); enter opens one."""
        from reader.ui.dialogs.links import LinksDialog, open_in_browser

        links = self.view.links_here()
        if not links:
            self.notify("No links here.", severity="warning")
            return
        start, end = self.view.cursor_span
        here = links[0].start < end and links[0].end > start
        heading = "Links in this sentence" if here else "Links on screen"
        pairs = [(self.view.doc.text[link.start : link.end], link.href) for link in links]

        def chosen(href: str | None) -> None:
            if href:
                open_in_browser(self, href, self.article.url)

        self.app.push_screen(LinksDialog(pairs, heading), chosen)

    def action_open_original(self) -> None:
        """`o`: the page the article came from, in the browser."""
        from reader.ui.dialogs.links import open_in_browser

        if not self.article.url:
            self.notify("This article has no original page (it came from a file).")
            return
        open_in_browser(self, self.article.url)

    def action_sideways(self, direction: int) -> None:
        if not self.view.scroll_sideways(direction):
            self.notify("No wide code or table on screen.", severity="warning")

    def action_keys(self) -> None:
        self.app.push_screen(keys_dialog(self))

    def _entity_searcher(self, name: str) -> Callable[[], None]:
        return lambda: self.search_entity(name)

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        commands: list[tuple[str, str, Callable[[], object]]] = [
            ("Highlight the current sentence (or the selection)", "key: h", self.action_highlight),
            ("Select several sentences to highlight", "key: v", self.action_select),
            ("Remove the highlight here", "key: u", self.action_remove_highlight),
            ("Summary page: key sentences, highlights, notes", "key: S", self.action_summary),
            ("Tags of this article", "key: T", self.action_tags),
            ("Search articles, notes and highlights", "key: ctrl+f", self.action_search),
            ("Export this article to Markdown", "", self.action_export),
            ("Open a link of the sentence in the browser", "key: l", self.action_links),
            ("Open the original page in the browser", "key: o", self.action_open_original),
            ("Add a note on the current sentence", "key: n", self.action_add_note),
            ("Edit the note here", "key: e", self.action_edit_note),
            ("Delete the note here", "key: x", self.action_delete_note),
            ("Toggle key-sentence highlighting", "key: t", self.action_toggle_key),
            ("Show or hide the sidebar", "key: s", self.action_toggle_sidebar),
            ("Next mention of the selected entity", "key: ]", lambda: self.action_mention(1)),
            ("Previous mention of the selected entity", "key: [", lambda: self.action_mention(-1)),
            ("Go to the top of the article", "key: g", self.action_top),
            ("Go to the end of the article", "key: G", self.action_bottom),
            ("Focus the entities pane", "key: 1", lambda: self.action_focus_pane("entities")),
            (
                "Focus the key sentences pane",
                "key: 2",
                lambda: self.action_focus_pane("key-sentences"),
            ),
            ("Focus the notes pane", "key: 3", lambda: self.action_focus_pane("notes")),
            ("Back to the library", "key: escape", self.action_back),
            ("List every key", "key: ?", self.action_keys),
        ]
        if self.analysis is not None:
            for entity in sorted(self.analysis.entities, key=lambda e: (-e.count, e.name)):
                name = entity.name
                commands.append(
                    (
                        f"Other articles that mention {one_line(name)}",
                        "key: m on the entity",
                        self._entity_searcher(name),
                    )
                )
        return commands
