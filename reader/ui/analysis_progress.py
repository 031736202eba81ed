"""What an analysis worker (reader.ui.analysis_worker) tells the UI thread, and how it is
worded.

The worker owns no widget: it posts these messages and the screen draws them. Progress
comes at most about a hundred times a stage (reader.nlp.analyzer.Meter), and a progress
message that is still queued when a newer one arrives is dropped (`can_replace`), so a
busy UI thread never works through a backlog of stale percentages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from textual.message import Message

if TYPE_CHECKING:
    from reader.nlp.analysis import Analysis, PartialCallback, ProgressCallback, Prose
    from reader.nlp.book import ChapterPart


class Analyzer(Protocol):
    """The app's analyzer (ReaderApp.analyzer): the callbacks are optional."""

    def __call__(
        self,
        text: str,
        *,
        prose: Prose = None,
        on_progress: ProgressCallback | None = None,
        on_partial: PartialCallback | None = None,
    ) -> Analysis: ...


@dataclass
class AnalysisReady(Message):
    """The worker finished; carries the result to the UI thread."""

    analysis: Analysis


@dataclass
class AnalysisFailed(Message):
    error: str


@dataclass
class AnalysisPartial(Message):
    """Sentences and entities are final; the key sentences are still being ranked."""

    analysis: Analysis


@dataclass
class ChapterAnalysed(Message):
    """A book analysed chapter by chapter (reader.nlp.book): one more chapter is done, the
    `done`th of `total`; AnalysisReady brings the whole book's once all are."""

    part: ChapterPart
    done: int
    total: int


@dataclass
class AnalysisProgress(Message):
    """`done` of `total` units of `stage` (see reader.nlp.analysis.ProgressCallback)."""

    stage: str
    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, AnalysisProgress)


STAGE_NAMES = {
    "sentences": "Splitting sentences",
    "names": "Finding names",
    "key sentences": "Ranking sentences",
}


def stage_text(stage: str, done: int, total: int) -> str:
    """ "Finding names… 40%": the stage as the panes and the status line say it."""
    name = STAGE_NAMES.get(stage, stage.capitalize())
    return f"{name}… {100 * done // max(1, total)}%"
