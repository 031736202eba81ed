"""Chapters in the app: the contents dialog (`c`), `}` and `{`, the status line, the summary
grouped by chapter, and a book analysed chapter by chapter, the reader's chapter first."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from reader.article import Article
from reader.article.document import Chapter, DocumentBuilder
from reader.nlp.analysis import Analysis, Entity, KeySentence, Prose, Span
from reader.store import Library
from reader.ui.app import ReaderApp
from reader.ui.dialogs.contents import ContentsDialog
from reader.ui.panes.entities import EntitiesPane
from reader.ui.panes.key_sentences import KeySentencesPane
from reader.ui.reading import base
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.summary import SummaryScreen
from tests.conftest import FIXED_NOW, LABELS, NAMES
from tests.ui_helpers import burst, keys_handled, make_app, reading, settle, wait_until

TITLES = ("Arrival", "The storm", "Repairs", "Departure")
CAST = ("Helen Marsh", "Tom Reyes", "Norfolk", "Brackenmouth")
"""The one name each chapter mentions."""


def book(paragraphs: int = 3) -> Article:
    builder = DocumentBuilder()
    chapters = []
    for number, (title, name) in enumerate(zip(TITLES, CAST, strict=True)):
        chapters.append(Chapter(title, builder.next_start))
        builder.prose("heading", [title], level=1)
        for p in range(paragraphs):
            builder.paragraph(
                f"{name} walked along the sea wall in part {number}.{p}. The tide was high "
                f"and grey that morning. Nobody else was out on the harbour road at all."
            )
    return Article.from_builder(builder, title="Tides", chapters=chapters)


def add(home: Path, article: Article) -> str:
    with Library.open(home) as lib:
        return lib.add_article(article).article.id


_SENTENCE = re.compile(r"\S.*?(?:[.!?](?=\s|$)|$)", re.M)
"""A sentence ends at a full stop, or with its block (a heading has none)."""


def prose_analyze(text: str, *, prose: Prose = None) -> Analysis:
    """Like the engine: sentences and names only inside the prose ranges it is given."""
    spans = prose if prose is not None else [(0, len(text))]
    sentences = [
        Span(a + m.start(), a + m.end()) for a, b in spans for m in _SENTENCE.finditer(text[a:b])
    ]
    entities = []
    for name in NAMES:
        found = [
            Span(a + m.start(), a + m.end())
            for a, b in spans
            for m in re.finditer(re.escape(name), text[a:b])
        ]
        if found:
            entities.append(Entity(name, LABELS[name], found))
    longest = sorted(range(len(sentences)), key=lambda i: sentences[i].start - sentences[i].end)
    ranking = [KeySentence(i, 1.0 - rank / 100) for rank, i in enumerate(longest)]
    return Analysis(text, sentences, entities, ranking[:2], ranking[2:])


def open_app(home: Path, article_id: str) -> ReaderApp:
    return ReaderApp(home, analyzer=prose_analyze, now=lambda: FIXED_NOW, open_article=article_id)


class Recorder:
    """`prose_analyze` that records the prose of each call; every call after the first
    waits for `release`, so a test sees the screen with one chapter done."""

    def __init__(self) -> None:
        self.calls: list[list[tuple[int, int]]] = []
        self.release = threading.Event()

    def __call__(self, text: str, *, prose: Prose = None) -> Analysis:
        if self.calls:
            assert self.release.wait(20), "the test never released the analyzer"
        self.calls.append(list(prose or []))
        return prose_analyze(text, prose=prose)


def sentence_starts(article: Article) -> list[int]:
    return [s.start for s in prose_analyze(article.text, prose=article.prose_spans()).sentences]


def status(app: ReaderApp) -> str:
    return str(app.screen.query_one("#status").render())


def pane_lines(pane: Any) -> list[str]:
    return [str(pane.get_option_at_index(i).prompt) for i in range(pane.option_count)]


def notified(app: ReaderApp, words: str) -> bool:
    return any(words in n.message for n in app._notifications)


async def test_contents_lists_the_chapters_and_a_jump_leaves_the_bookmark(
    home: Path, wait_for_workers: Any
) -> None:
    article = book()
    article_id = add(home, article)
    starts = sentence_starts(article)
    chapter_3 = article.chapters[2].start
    app = open_app(home, article_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        await pilot.press("j", "j")  # reading: the bookmark follows
        await pilot.press("c")
        dialog = app.screen
        assert isinstance(dialog, ContentsDialog)
        listing = dialog.query_one("#contents", OptionList)
        lines = pane_lines(listing)
        assert [line[2:].split("  ")[0] for line in lines] == list(TITLES)
        assert lines[0].startswith("▸ ") and not lines[1].startswith("▸")
        assert listing.highlighted == 0  # the reader's chapter
        shares = [int(re.findall(r"(\d+)%$", line)[0]) for line in lines]
        assert all(20 <= share <= 30 for share in shares) and 98 <= sum(shares) <= 102
        await pilot.press("j", "j", "enter")
        await keys_handled(pilot)
        assert app.screen is screen
        assert screen.view.cursor_span[0] == chapter_3 == starts[screen.view.cursor]
        assert screen.bookmark == starts[2]
        await pilot.press("ctrl+o")  # a jump: on the jump list
        assert screen.view.cursor == 2
        await pilot.press("c", "escape")
        assert app.screen is screen and screen.view.cursor == 2
        await pilot.press("c", "G", "enter")
        await pilot.press("q")
        await pilot.pause()
        now_shown: object = app.screen
        assert isinstance(now_shown, LibraryScreen)
    with Library.open(home, read_only=True) as lib:
        assert lib.get(article_id).position == starts[2]  # where the reader read


async def test_braces_step_through_the_chapters_and_the_status_says_where(
    home: Path, wait_for_workers: Any
) -> None:
    article = book()
    article_id = add(home, article)
    begins = [c.start for c in article.chapters]
    app = open_app(home, article_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        assert "Ch. 1/4 · Arrival · " in status(app)
        assert "sentence" not in status(app) and "§" not in status(app)
        await pilot.press("right_curly_bracket")
        assert screen.view.cursor_span[0] == begins[1]
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        assert screen.view.cursor_span[0] == begins[3]
        await pilot.press("right_curly_bracket")
        assert notified(app, "This is the last chapter.")
        await pilot.press("left_curly_bracket", "left_curly_bracket")
        assert screen.view.cursor_span[0] == begins[1]
        said = status(app)
        match = re.search(r"Ch\. 2/4 · The storm · (\d+)% of the chapter · (\d+)% read", said)
        assert match, said
        assert int(match[1]) < 20 and match[2] == "0"  # jumps read nothing
        await pilot.press(*["j"] * 5)  # read into the chapter
        match = re.search(
            r"Ch\. 2/4 · The storm · (\d+)% of the chapter · (\d+)% read", status(app)
        )
        assert match and 40 < int(match[1]) < 80 and 30 < int(match[2]) < 50
        assert len(status(app).split(" · analysing")[0]) <= 80


async def test_without_chapters_the_keys_say_so(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        for key in ("c", "right_curly_bracket", "left_curly_bracket", "C"):
            app.clear_notifications()
            await pilot.press(key)
            assert notified(app, "This text has no chapters."), key
            assert app.screen is screen and screen.view.cursor == 0
        assert "Ch." not in status(app) and "sentence 1/" in status(app)


async def test_a_burst_through_the_contents_lands_as_typed_slowly(
    home: Path, wait_for_workers: Any
) -> None:
    article = book()
    article_id = add(home, article)
    app = open_app(home, article_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        burst(app, "c", "j", "j", "enter", "right_curly_bracket")
        await keys_handled(pilot)
        assert app.screen is screen
        assert screen.view.cursor_span[0] == article.chapters[3].start


async def test_the_summary_groups_its_lines_by_chapter(home: Path, wait_for_workers: Any) -> None:
    article = book()
    article_id = add(home, article)
    starts = sentence_starts(article)
    ends = [s.end for s in prose_analyze(article.text, prose=article.prose_spans()).sentences]
    with Library.open(home) as lib:
        lib.add_highlight(article_id, starts[1], ends[1], "first")
        lib.add_highlight(article_id, starts[-2], ends[-2], "last")
        lib.add_note(article_id, starts[22], ends[22], "middle")
    app = open_app(home, article_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, wait_for_workers)
        await pilot.press("S")
        await settle(pilot, wait_for_workers)
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        plain = summary.plain[: summary.plain.index("Names")]
        titles = [line for line in plain if line in TITLES]
        assert titles == sorted(set(titles), key=TITLES.index)  # each once, in order
        assert {"Arrival", "Departure"} <= set(titles)
        chapter_of = {}
        current = None
        for line in plain:
            if line in TITLES:
                current = line
            elif line.startswith(("┃", "✎")):
                chapter_of[line.split("\n")[-1]] = current
        assert chapter_of["first"] == "Arrival" and chapter_of["last"] == "Departure"
        expected = TITLES[
            [c.start for c in article.chapters].index(
                max(c.start for c in article.chapters if c.start <= starts[22])
            )
        ]
        assert chapter_of["middle"] == expected


@pytest.fixture
def small_books(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chapter by chapter from a few hundred words on, so the book stays small and quick."""
    monkeypatch.setattr(base, "BOOK_WORDS", 100)


def book_app(home: Path, analyzer: Any, at_chapter: int) -> tuple[ReaderApp, Article]:
    article = book(paragraphs=4)
    article_id = add(home, article)
    with Library.open(home) as lib:
        lib.save_progress(article_id, position=article.chapters[at_chapter].start, progress=0.3)
    app = ReaderApp(home, analyzer=analyzer, now=lambda: FIXED_NOW, open_article=article_id)
    return app, article


async def test_a_book_is_analysed_from_the_readers_chapter_on(
    home: Path, wait_for_workers: Any, small_books: None
) -> None:
    recorder = Recorder()
    app, article = book_app(home, recorder, at_chapter=1)
    bounds = [c.start for c in article.chapters] + [len(article.text)]
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda: "chapter 1 of 4 analysed" in status(app))
            screen = reading(app)
            names = pane_lines(screen.query_one(EntitiesPane))
            assert any("Tom Reyes ×4" in line for line in names), names
            assert not any("Helen Marsh" in line for line in names)
            keys = pane_lines(screen.query_one(KeySentencesPane))
            assert keys and all("Tom Reyes" in k or "tide" in k or "Nobody" in k for k in keys)
            assert (screen.query_one(KeySentencesPane).border_subtitle or "").startswith(
                "chapter 2"
            )
            assert len(recorder.calls) == 1
            recorder.release.set()
            await settle(pilot, wait_for_workers)
            assert "analysed" not in status(app)
    finally:
        recorder.release.set()
    firsts = [call[0][0] for call in recorder.calls]
    order = [max(i for i in range(4) if bounds[i] <= first) for first in firsts]
    assert order == [1, 2, 3, 0]  # the reader's chapter, on to the end, then the start
    for index, call in zip(order, recorder.calls, strict=True):
        assert all(bounds[index] <= a < b <= bounds[index + 1] for a, b in call)


async def test_the_scope_key_switches_the_panes_between_chapter_and_book(
    home: Path, wait_for_workers: Any, small_books: None
) -> None:
    app, article = book_app(home, prose_analyze, at_chapter=2)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        entities, keys = screen.query_one(EntitiesPane), screen.query_one(KeySentencesPane)
        names = " ".join(pane_lines(entities))
        assert "Norfolk ×4" in names and "Helen Marsh" not in names
        assert entities.border_subtitle == "chapter 3"
        await pilot.press("C")
        merged = screen.analysis
        assert merged is not None and screen.scope == "book"
        names = " ".join(pane_lines(entities))
        for entity in merged.entities:
            assert f"{entity.name} ×{entity.count}" in names
        assert {e.name for e in merged.entities} == set(CAST)
        shown = [line.split(". ", 1)[1] for line in pane_lines(keys)]
        expected = [
            article.text[merged.sentences[k.sentence].start : merged.sentences[k.sentence].end]
            for k in merged.key_sentences
        ]
        assert sorted(shown) == sorted(expected)
        assert (keys.border_subtitle or "").startswith("whole book")
        await pilot.press("right_curly_bracket")  # book scope: the panes stay the book's
        names = " ".join(pane_lines(entities))
        assert all(f"{name} ×4" in names for name in CAST)
        await pilot.press("C")  # chapter scope again: the cursor's chapter, now chapter 4
        names = " ".join(pane_lines(entities))
        assert "Brackenmouth ×4" in names and "Norfolk" not in names
        await pilot.press("left_curly_bracket")  # the panes follow the cursor
        names = " ".join(pane_lines(entities))
        assert "Norfolk ×4" in names and "Brackenmouth" not in names
        assert (keys.border_subtitle or "").startswith("chapter 3")
