"""The analysis: a thread worker runs it after the first paint (reader.ui.analysis_worker),
and its messages fill the panes and replace the provisional sentences as they land.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on

from reader.ui.analysis_progress import (
    AnalysisFailed,
    AnalysisPartial,
    AnalysisProgress,
    AnalysisReady,
    ChapterAnalysed,
    stage_text,
)
from reader.ui.analysis_worker import confined, start_analysis, start_book_analysis
from reader.ui.panes.base import Pane
from reader.ui.panes.entities import EntitiesPane, EntityItem
from reader.ui.panes.key_sentences import KeySentencesPane
from reader.ui.reading.entities import EntitiesMixin
from reader.ui.reading.key_sentences import KeySentencesMixin

if TYPE_CHECKING:
    from reader.nlp.analysis import Analysis


class AnalysisMixin(KeySentencesMixin, EntitiesMixin):
    def _analyse(self) -> None:
        if self.book_mode:  # the reader's chapter first, then the rest of the book
            first = self.chapter_index() or 0
            start_book_analysis(
                self, self.analyzer, self.article, self.chapters, first=first, group="analysis"
            )
            return
        start_analysis(
            self, self.analyzer, self.article, group="analysis", progress=True, partial=True
        )

    @on(ChapterAnalysed)
    def _chapter_analysed(self, message: ChapterAnalysed) -> None:
        self.parts[message.part.index] = message.part
        self.analysis_state = f"analysing: chapter {message.done} of {message.total} analysed"
        if self.scope == "book" or message.part.index == self.chapter_index():
            self._refresh_panes()
        self._update_status()

    def _refresh_panes(self, *, moved: bool = False) -> None:
        """The entities and key-sentence panes, for the scope and the cursor's chapter."""
        if moved:  # another list: the row chosen in the old one means nothing here
            self.query_one(EntitiesPane).highlighted = None
        self._show_entities()
        self._show_key_sentences()

    def _chapter_entered(self, index: int) -> None:
        if self.scope == "chapter":
            self._refresh_panes(moved=True)

    def action_toggle_scope(self) -> None:
        """`C`: the panes show this chapter, or the whole book."""
        if not self.chapters:
            self.notify("This text has no chapters.", severity="warning")
            return
        self.scope = "book" if self.scope == "chapter" else "chapter"
        self._refresh_panes(moved=True)
        shown = "this chapter" if self.scope == "chapter" else "the whole book"
        self.notify(f"Entities and key sentences: {shown}.")

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
        self._show_entities()

    def _show_entities(self) -> None:
        """The book's names, or (chapter scope) those named in the cursor's chapter,
        counted there: from the whole book's analysis once it is in, else the chapter's."""
        pane = self.query_one(EntitiesPane)
        index = self.chapter_index()
        source = self.analysis
        if self.scope == "chapter" and index is not None:
            part = self.parts.get(index)
            source = source or (part.analysis if part is not None else None)
            if source is not None:
                source = confined(source, *self.chapter_spans[index])
        if source is None:
            if (self.scope == "chapter" or self.book_mode) and not self.analysis_failed:
                pane.show_message(self._waiting("finding names"))
            return
        self._pane_entities = source.entities
        pane.border_subtitle = self.scope_label()
        pane.show_entities(
            self._corrected(
                [
                    EntityItem(i, e.name, e.label, e.count)
                    for i, e in sorted(
                        enumerate(source.entities),
                        key=lambda pair: (-pair[1].count, pair[1].name),
                    )
                ]
            )
        )
