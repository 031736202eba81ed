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
    stage_text,
)
from reader.ui.analysis_worker import start_analysis
from reader.ui.panes.base import Pane
from reader.ui.panes.entities import EntitiesPane, EntityItem
from reader.ui.panes.key_sentences import KeySentencesPane
from reader.ui.reading.entities import EntitiesMixin
from reader.ui.reading.key_sentences import KeySentencesMixin

if TYPE_CHECKING:
    from reader.nlp.analysis import Analysis


class AnalysisMixin(KeySentencesMixin, EntitiesMixin):
    def _analyse(self) -> None:
        start_analysis(
            self, self.analyzer, self.article, group="analysis", progress=True, partial=True
        )

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
