"""The one analyse-in-a-worker helper: prose spans in, messages out, failures said."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import App
from textual.message import Message

from reader.article import Article
from reader.article.document import DocumentBuilder
from reader.nlp.analysis import Analysis
from reader.ui.analysis_progress import AnalysisFailed, AnalysisReady
from reader.ui.analysis_worker import analyse_each, start_analyses, start_analysis
from tests.conftest import fake_analyze


def _article() -> Article:
    builder = DocumentBuilder()
    builder.paragraph("Helen Marsh waved at the crowd.")
    builder.code("x = 1\n", "python")
    builder.paragraph("She left.")
    return Article.from_builder(builder, title="T", author=None, published=None, source=None)


class _Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.got: list[Message] = []

    @on(AnalysisReady)
    @on(AnalysisFailed)
    def _got(self, message: Message) -> None:
        self.got.append(message)


async def test_the_worker_hands_the_prose_spans_and_posts_the_analysis() -> None:
    article = _article()
    seen: list[Any] = []

    def analyzer(text: str, *, prose: Any = None) -> Analysis:
        seen.append(prose)
        return fake_analyze(text)

    app = _Host()
    async with app.run_test() as pilot:
        worker = start_analysis(app, analyzer, article, group="t")
        await worker.wait()
        await pilot.pause()
        assert seen == [article.prose_spans()] and seen[0] is not None
        assert [type(m) for m in app.got] == [AnalysisReady]


async def test_a_failing_analysis_is_one_failed_message() -> None:
    def analyzer(text: str) -> Analysis:
        raise ValueError("the model is missing\nsecond line")

    app = _Host()
    async with app.run_test() as pilot:
        await start_analysis(app, analyzer, _article(), group="t").wait()
        await pilot.pause()
        assert len(app.got) == 1 and isinstance(app.got[0], AnalysisFailed)
        assert app.got[0].error.startswith("the model is missing")


async def test_a_batch_skips_the_text_that_fails_and_reports_on_the_ui_thread() -> None:
    import threading

    good, bad = _article(), Article.from_paragraphs("B", None, None, None, ["boom"])

    def analyzer(text: str) -> Analysis:
        if text == "boom":
            raise RuntimeError("no")
        return fake_analyze(text)

    assert set(analyse_each(analyzer, {"g": good, "b": bad})) == {"g"}
    results: list[tuple[set[str], bool]] = []
    app = _Host()
    async with app.run_test() as pilot:

        def done(analyses: dict[str, Analysis]) -> None:
            results.append((set(analyses), threading.current_thread() is threading.main_thread()))

        await start_analyses(app, analyzer, {"g": good, "b": bad}, group="t", done=done).wait()
        await pilot.pause()
    assert results == [({"g"}, True)]
