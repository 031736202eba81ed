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
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from textual.dom import DOMNode
from textual.worker import Worker

from reader.ui.analysis_progress import (
    AnalysisFailed,
    AnalysisPartial,
    AnalysisProgress,
    AnalysisReady,
    ChapterAnalysed,
)
from reader.ui.text import one_line

if TYPE_CHECKING:
    from pathlib import Path

    from reader.article import Article
    from reader.article.document import Chapter
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


def confined(analysis: Analysis, start: int, end: int) -> Analysis:
    """Only what lies in [start, end) of `analysis`: an analyzer that ignores the prose
    ranges it is handed (a plain `text -> Analysis`) still gives one chapter's part."""
    from reader.nlp.analysis import Analysis, Entity, KeySentence

    kept = [i for i, s in enumerate(analysis.sentences) if start <= s.start < end]
    inside = all(start <= m.start < end for e in analysis.entities for m in e.mentions)
    if len(kept) == len(analysis.sentences) and inside:
        return analysis
    renumbered = {old: new for new, old in enumerate(kept)}

    def keys(ranked: Sequence[KeySentence]) -> list[KeySentence]:
        return [
            KeySentence(renumbered[k.sentence], k.score) for k in ranked if k.sentence in renumbered
        ]

    entities = []
    for entity in analysis.entities:
        mentions = [m for m in entity.mentions if start <= m.start < end]
        if mentions:
            entities.append(Entity(entity.name, entity.label, mentions))
    return Analysis(
        analysis.text,
        [analysis.sentences[i] for i in kept],
        entities,
        keys(analysis.key_sentences),
        keys(analysis.more_key_sentences),
    )


def start_book_analysis(
    node: DOMNode,
    analyzer: AnyAnalyzer,
    article: Article,
    chapters: Sequence[Chapter],
    *,
    first: int,
    group: str,
) -> Worker[None]:
    """Analyse a book chapter by chapter (reader.nlp.book), chapter `first` first.

    Each chapter is the analyzer's call on the prose inside it (the app's analyzer caches
    it on its own), posted as ChapterAnalysed; the parts put together end it as
    AnalysisReady, or AnalysisFailed. Closing the screen cancels the worker, which then
    stops before its next chapter.
    """
    from textual.worker import get_current_worker

    def run() -> None:
        from reader.nlp.analyzer import call_analyzer
        from reader.nlp.book import chapter_bounds, chapter_order, merge_parts, part_of

        text = article.text
        prose = article.prose_spans()
        bounds = chapter_bounds([c.start for c in chapters], len(text))
        parts = {}
        worker = get_current_worker()
        try:
            order = chapter_order(len(bounds), first)
            for done, index in enumerate(order, 1):
                if worker.is_cancelled:
                    return
                start, end = bounds[index]

                def one(
                    text: str, _cache: Path | None, *, prose: Prose, a: int = start, b: int = end
                ) -> Analysis:
                    return confined(call_analyzer(analyzer, text, prose=prose), a, b)

                part = part_of(one, text, index, (start, end), prose=prose, cache_dir=None)
                parts[index] = part
                node.post_message(ChapterAnalysed(part, done, len(order)))
            whole = merge_parts(text, parts)
        except Exception as error:  # any failure of the analysis is the reader's to see
            node.post_message(AnalysisFailed(failure_text(error)))
            return
        node.post_message(AnalysisReady(whole))

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
    hash, so a worker thread may use it without the store). NLTK is imported on the first
    call, on the worker's thread."""

    def analyzer(
        text: str,
        *,
        prose: Prose = None,
        on_progress: ProgressCallback | None = None,
        on_partial: PartialCallback | None = None,
    ) -> Analysis:
        from reader.nlp.analyzer import analyze

        return analyze(text, cache_dir, prose=prose, on_progress=on_progress, on_partial=on_partial)

    return analyzer
