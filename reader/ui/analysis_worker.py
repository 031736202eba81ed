"""Running the analyzer off the UI thread, the one way every screen does it.

The analyzer is called through reader.nlp.analyzer.call_analyzer with the article's prose
spans, so code and tables are never split into sentences, whichever screen asks. The
worker thread touches no widget and no store: it posts AnalysisProgress, AnalysisPartial,
then AnalysisReady or AnalysisFailed (reader.ui.analysis_progress) to the node that asked,
and that node draws them on the UI thread. A batch (the review's key sentences) hands its
results to a callback that runs on the UI thread, where the store may be written.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from textual.dom import DOMNode
from textual.worker import Worker

from reader.ui.analysis_progress import (
    AnalysisFailed,
    AnalysisPartial,
    AnalysisProgress,
    AnalysisReady,
)
from reader.ui.text import one_line

if TYPE_CHECKING:
    from pathlib import Path

    from reader.article import Article
    from reader.nlp.analysis import Analysis, PartialCallback, ProgressCallback, Prose

AnyAnalyzer = Callable[..., "Analysis"]
"""An `Analyzer` (reader.ui.analysis_progress) or any plain `text -> Analysis` callable."""


def analyse_article(
    analyzer: AnyAnalyzer,
    article: Article,
    on_progress: ProgressCallback | None = None,
    on_partial: PartialCallback | None = None,
) -> Analysis:
    """The analysis of the article's text, sentences looked for in its prose only."""
    from reader.nlp.analyzer import call_analyzer

    prose = article.prose_spans()
    return call_analyzer(analyzer, article.text, on_progress, on_partial, prose=prose)


def failure_text(error: BaseException) -> str:
    """What AnalysisFailed says: the error's first line, or its type when it has none."""
    return one_line(str(error)) or type(error).__name__


def start_analysis(
    node: DOMNode,
    analyzer: AnyAnalyzer,
    article: Article,
    *,
    group: str,
    progress: bool = False,
    partial: bool = False,
) -> Worker[None]:
    """Analyse `article` in a thread worker that posts its messages to `node`.

    AnalysisReady or AnalysisFailed always ends it; AnalysisProgress and AnalysisPartial
    come too when asked for. The worker is exclusive in `group`, so starting another one
    there cancels the older (its messages are still posted: a handler keeps the newest).
    """

    def on_progress(stage: str, done: int, total: int) -> None:
        node.post_message(AnalysisProgress(stage, done, total))

    def on_partial(analysis: Analysis) -> None:
        node.post_message(AnalysisPartial(analysis))

    def run() -> None:
        try:
            analysis = analyse_article(
                analyzer,
                article,
                on_progress if progress else None,
                on_partial if partial else None,
            )
        except Exception as error:  # any failure of the analysis is the reader's to see
            node.post_message(AnalysisFailed(failure_text(error)))
            return
        node.post_message(AnalysisReady(analysis))

    return node.run_worker(run, thread=True, exclusive=True, exit_on_error=False, group=group)


def analyse_each(analyzer: AnyAnalyzer, articles: Mapping[str, Article]) -> dict[str, Analysis]:
    """Runs on a thread: the analyzer only, never the store; one failing text is skipped."""
    done: dict[str, Analysis] = {}
    for aid, article in articles.items():
        try:
            done[aid] = analyse_article(analyzer, article)
        except Exception:  # nothing about one text may stop the rest
            continue
    return done


def start_analyses(
    node: DOMNode,
    analyzer: AnyAnalyzer,
    articles: Mapping[str, Article],
    *,
    group: str,
    done: Callable[[dict[str, Analysis]], None],
) -> Worker[None]:
    """Analyse several articles on a thread; `done` gets the ones that worked, on the UI
    thread, unless a newer call in `group` replaced this one first."""

    async def run() -> None:
        done(await asyncio.to_thread(analyse_each, analyzer, articles))

    return node.run_worker(run(), group=group, exclusive=True, exit_on_error=False)


def cached_analyzer(cache_dir: Path) -> Callable[..., Analysis]:
    """The engine over the library's analysis cache (plain files keyed by the text's
    hash, so a worker thread may use it without the store)."""

    def analyzer(text: str, *, prose: Prose = None) -> Analysis:
        from reader.nlp.analyzer import analyze

        return analyze(text, cache_dir, prose=prose)

    return analyzer
