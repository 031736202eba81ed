"""The summary page: an article's key sentences, the reader's highlights and notes, in
reading order, with the entities it names: one scrollable list, enter jumps to a line.

Store reads (highlights, notes) happen on the UI thread when the page opens. The key
sentences need the analysis: the reading screen hands over the one it has; opened from
the library, the page runs the analyzer in a thread worker on the text alone
(reader.ui.analysis_worker: no store call there, so TinyDB never sees a second thread) and
fills the list in when it lands.

The page dismisses with the text offset chosen (None on escape); whoever opened it moves
a reading screen there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from reader.article.document import by_chapter
from reader.plural import counted
from reader.ui.actions import SUMMARY, PaletteEntry, bindings, palette_entries
from reader.ui.analysis_progress import AnalysisFailed, AnalysisReady
from reader.ui.analysis_worker import start_analysis
from reader.ui.dialogs.keys import keys_dialog
from reader.ui.panes.base import snippet
from reader.ui.panes.entities import LABEL_NAMES, LABEL_ORDER
from reader.ui.text import one_line, safe_multiline
from reader.ui.widgets.vim_list import VimOptionList

if TYPE_CHECKING:
    from reader.article import Article
    from reader.nlp.analysis import Analysis
    from reader.store import ArticleRecord, Library, NoteRecord
    from reader.store.records import HighlightRecord


@dataclass(frozen=True)
class SummaryLine:
    """One entry of the reading-order part: what it is, where it is, what it says."""

    kind: str  # "key", "highlight" or "note"
    start: int
    end: int
    passage: str
    note: str = ""
    rank: int = 0


KIND_ORDER = {"key": 0, "highlight": 1, "note": 2}


def summary_lines(
    text: str,
    analysis: Analysis | None,
    highlights: list[HighlightRecord],
    notes: list[NoteRecord],
) -> list[SummaryLine]:
    """Key sentences, highlights and notes merged in reading order (pure: tested alone)."""
    lines: list[SummaryLine] = []
    if analysis is not None and analysis.text == text:
        for rank, key in enumerate(analysis.key_sentences, 1):
            if 0 <= key.sentence < len(analysis.sentences):
                span = analysis.sentences[key.sentence]
                lines.append(
                    SummaryLine("key", span.start, span.end, text[span.start : span.end], rank=rank)
                )
    # A detached one has no place in the text to jump to; the Notes pane lists it.
    for mark in highlights:
        if not mark.detached:
            passage = text[mark.start : mark.end]
            lines.append(SummaryLine("highlight", mark.start, mark.end, passage, mark.note))
    for note in notes:
        if not note.detached:
            passage = text[note.start : note.end]
            lines.append(SummaryLine("note", note.start, note.end, passage, note.text))
    lines.sort(key=lambda line: (line.start, KIND_ORDER[line.kind], line.end))
    return lines


def _start(line: SummaryLine) -> int:
    return line.start


class SummaryScreen(Screen[int | None]):
    BINDINGS: ClassVar[list[BindingType]] = bindings(SUMMARY)
    KEYS_EXTRA: ClassVar[list[tuple[str, str]]] = [
        ("up / down", "Move through the lines"),
        ("enter", "Open the line in the article"),
    ]

    def __init__(
        self,
        library: Library,
        record: ArticleRecord,
        article: Article,
        *,
        analysis: Analysis | None,
        analyzer: Callable[[str], Analysis],
    ) -> None:
        super().__init__()
        self.library = library
        self.record = record
        self.article = article
        self.text = article.text
        self.analysis = analysis if analysis is not None and analysis.text == self.text else None
        self.analyzer = analyzer
        self.highlights: list[HighlightRecord] = []
        self.notes: list[NoteRecord] = []
        self.targets: dict[str, int] = {}
        self.plain: list[str] = []
        """Each option's text, unstyled (what tests and the palette read)."""
        self.analysis_failed = False

    def compose(self) -> ComposeResult:
        title = Text("Summary · ")
        title.append(one_line(self.record.title, "Untitled"))
        yield Static(title, id="summary-title")
        yield VimOptionList(id="summary", markup=False)
        yield Static(id="summary-status")
        yield Footer()

    def on_mount(self) -> None:
        self.highlights = self.library.highlights(self.record.id)
        self.notes = self.library.notes(self.record.id)
        self.refresh_lines()
        self.query_one(OptionList).focus()
        if self.analysis is None:
            start_analysis(self, self.analyzer, self.article, group="summary-analysis")

    @on(AnalysisReady)
    def _analysis_ready(self, message: AnalysisReady) -> None:
        self.analysis = message.analysis
        self.refresh_lines()

    @on(AnalysisFailed)
    def _analysis_failed(self, _message: AnalysisFailed) -> None:
        self.analysis_failed = True
        self.refresh_lines()

    # ------------------------------------------------------------------ the list

    def refresh_lines(self) -> None:
        """Rebuild the list: the reading-order part first (what the reader came for), then
        the names grouped by kind, each jumping to its first mention."""
        option_list = self.query_one(OptionList)
        highlighted = option_list.highlighted
        options: list[Option] = []
        self.targets = {}
        self.plain = []

        def add(prompt: Text | Table, plain: str, target: int | None) -> None:
            if target is None:
                options.append(Option(prompt, disabled=True))
            else:
                option_id = f"line-{len(options)}"
                self.targets[option_id] = target
                options.append(Option(prompt, id=option_id))
            self.plain.append(plain)

        def heading(label: str) -> None:
            add(Text(label, style="bold"), label, None)

        def remark(message: str) -> None:
            add(Text("  " + message, style="italic"), message, None)

        heading("In reading order")
        lines = summary_lines(self.text, self.analysis, self.highlights, self.notes)
        if self.analysis is None:
            remark("The analysis failed." if self.analysis_failed else "Ranking sentences…")
        if not lines and self.analysis is not None:
            remark("Nothing yet: highlight with h, write notes with n while reading.")
        chapters = self.article.table_of_contents()
        for chapter, line in by_chapter(lines, _start, chapters, placeless=""):
            if chapter is not None:
                title = one_line(chapter) or "Untitled chapter"
                add(Text("  " + title, style="bold italic"), title, None)
            prompt, plain = self._line_prompt(line)
            add(prompt, plain, line.start)
        heading("Names")
        if self.analysis is None:
            remark("The analysis failed." if self.analysis_failed else "Finding names…")
        elif not self.analysis.entities:
            remark("No names found.")
        else:
            entities = self.analysis.entities
            labels = [*LABEL_ORDER, *sorted({e.label for e in entities} - set(LABEL_ORDER))]
            for label in labels:
                group = sorted(
                    (e for e in entities if e.label == label and e.mentions),
                    key=lambda e: (-e.count, e.name),
                )
                if not group:
                    continue
                title = f"{LABEL_NAMES.get(label, one_line(label))} ({len(group)})"
                add(Text("  " + title, style="italic"), title, None)
                for entity in group:
                    name = Text("    ")
                    name.append(snippet(entity.name, 60))
                    name.append(f"  ×{entity.count}", style="dim")
                    add(name, f"{entity.name} ×{entity.count}", entity.mentions[0].start)
        option_list.set_options(options)
        if highlighted is not None and highlighted < option_list.option_count:
            option_list.highlighted = highlighted
        self._update_status(lines)

    def _line_prompt(self, line: SummaryLine) -> tuple[Table, str]:
        """Two columns, so a long passage wraps under itself and not under the label."""
        label = {"key": "★ key", "highlight": "┃ highlight", "note": "✎ note"}[line.kind]
        body = Text(one_line(line.passage), style="italic" if line.kind == "note" else "")
        note = safe_multiline(line.note.strip()) if line.note.strip() else ""
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(width=11, no_wrap=True, style="bold")
        grid.add_column(ratio=1)
        grid.add_row(Text(label), body)
        for row in note.split("\n") if note else ():
            grid.add_row(Text(""), Text(row, style="bold"))
        plain = f"{label} {one_line(line.passage)}" + (f"\n{note}" if note else "")
        return grid, plain

    def _update_status(self, lines: list[SummaryLine]) -> None:
        counts = {kind: sum(1 for line in lines if line.kind == kind) for kind in KIND_ORDER}
        names = len(self.analysis.entities) if self.analysis is not None else 0
        status = Text(
            f" {counted(counts['key'], 'key sentence')}"
            f" · {counted(counts['highlight'], 'highlight')}"
            f" · {counted(counts['note'], 'note')} · {counted(names, 'name')}"
        )
        status.append(" · enter opens the line in the article", style="dim")
        self.query_one("#summary-status", Static).update(status)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        offset = self.targets.get(event.option.id or "")
        if offset is not None:
            self.dismiss(offset)

    # ------------------------------------------------------------------ actions

    def action_back(self) -> None:
        self.dismiss(None)

    def action_keys(self) -> None:
        self.app.push_screen(keys_dialog(self))

    def palette_commands(self) -> list[PaletteEntry]:
        return palette_entries(self, SUMMARY)
