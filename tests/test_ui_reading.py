"""The reading screen, driven through the pilot: cursor, panes, notes, progress, safety."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList, TextArea

from reader.store import Library
from reader.ui.app import ReaderApp
from reader.ui.dialogs.confirm import ConfirmDialog
from reader.ui.dialogs.keys import KeysDialog
from reader.ui.dialogs.note import NoteDialog
from reader.ui.panes.notes import NotesPane
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.reading import ReadingScreen
from reader.ui.widgets.article_view import ArticleView
from tests.conftest import FIXED_NOW, barrier_article, fake_analyze
from tests.ui_helpers import make_app, reading, settle


def row_styles(view: ArticleView, needle: str) -> list[tuple[str, str]]:
    """(text, style) segments of the first on-screen row containing `needle`."""
    for y in range(view.scrollable_content_region.height):
        strip = view.render_line(y)
        if needle in strip.text:
            return [(seg.text, str(seg.style)) for seg in strip]
    raise AssertionError(f"{needle!r} not on screen")


async def test_note_and_position_survive_a_restart(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        await pilot.press(*"jjjjj")
        assert screen.view.cursor == 5
        sentence = screen.view.cursor_span
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        dialog.query_one(TextArea).insert("Check the surge figure.\nSecond line.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert reading(app) is screen
        await pilot.press("ctrl+q")
    with Library.open(seeded_home, read_only=True) as lib:
        notes = lib.notes(barrier_id)
        record = lib.get(barrier_id)
    assert [(n.start, n.end, n.text) for n in notes] == [
        (sentence[0], sentence[1], "Check the surge figure.\nSecond line.")
    ]
    assert record.position == sentence[0]
    assert 0 < record.progress < 1
    assert record.last_read is not None

    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        assert screen.view.cursor == 5
        assert screen.view.cursor_span == sentence
        assert screen.view.cursor_visible()
        prompt = screen.query_one(NotesPane).get_option_at_index(0).prompt
        assert "Check the surge figure." in str(prompt)


async def test_entity_selection_highlights_and_brackets_jump(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        text = screen.text
        helen = [(m.start(), m.start() + 11) for m in _finditer("Helen Marsh", text)]
        assert len(helen) == 3
        await pilot.press("1", "down", "enter")  # the first entity: Helen Marsh (3 mentions)
        await pilot.pause()
        assert screen.view.mentions == helen
        segments = row_styles(screen.view, "Helen Marsh watched")
        styled = [style for chunk, style in segments if chunk == "Helen Marsh"]
        assert styled and "underline" in styled[0]
        # enter jumped to the first mention after the cursor (the top of the article)
        at = [screen.view.sentence_at(start) for start, _ in helen]
        assert screen.view.cursor == at[0]
        await pilot.press("0", "right_square_bracket")
        assert screen.view.cursor == at[1]
        await pilot.press("right_square_bracket")
        assert screen.view.cursor == at[2]
        await pilot.press("right_square_bracket")  # wraps around
        assert screen.view.cursor == at[0]
        await pilot.press("left_square_bracket")
        assert screen.view.cursor == at[2]


def _finditer(needle: str, text: str) -> list[Any]:
    import re

    return list(re.finditer(re.escape(needle), text))


async def test_key_sentences_jump_and_toggle(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        analysis = fake_analyze(screen.text)
        first_key = analysis.sentences[analysis.key_sentences[0].sentence]
        key_text = screen.text[first_key.start : first_key.end]
        await pilot.press("2", "down", "enter")
        await pilot.pause()
        assert screen.view.cursor_span == (first_key.start, first_key.end)
        assert screen.bookmark == 0  # choosing from a pane is a jump
        await pilot.press("0", "j")  # move off it so the key highlight shows on its own
        needle = key_text[:30]
        assert any("on" in style for chunk, style in row_styles(screen.view, needle) if chunk)
        key_style = str(screen.view.get_component_rich_style("article-view--key"))
        assert any(key_style.split(" on ")[-1] in s for _, s in row_styles(screen.view, needle))
        await pilot.press("t")
        assert screen.view.show_key is False
        assert not any(key_style.split(" on ")[-1] in s for _, s in row_styles(screen.view, needle))
        await pilot.press("t")
        assert screen.view.show_key is True


async def test_deleting_a_note_asks_first(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    with Library.open(seeded_home) as lib:
        lib.add_note(barrier_id, 0, 20, "keep me?")
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "keep me?" in app.screen.question.plain
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ReadingScreen)
        assert len(app.screen.notes) == 1
        await pilot.press("3", "down", "x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert reading(app).notes == []
        await pilot.press("ctrl+q")
    with Library.open(seeded_home, read_only=True) as lib:
        assert lib.notes(barrier_id) == []


async def test_edit_note(seeded_home: Path, barrier_id: str, wait_for_workers: Any) -> None:
    with Library.open(seeded_home) as lib:
        lib.add_note(barrier_id, 0, 20, "first draft")
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        await pilot.press("e")
        await pilot.pause()
        area = app.screen.query_one(TextArea)
        assert area.text == "first draft"
        area.text = "second draft"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert reading(app).notes[0].text == "second draft"
        await pilot.press("n")
        await pilot.press("escape")  # cancel: nothing added
        await pilot.pause()
        assert len(reading(app).notes) == 1


async def test_cursor_keys_and_paging(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        last = len(screen.view.sentences) - 1
        await pilot.press("down", "down", "up")
        assert screen.view.cursor == 1
        await pilot.press("G")
        assert screen.view.cursor == last
        assert screen.progress == 1.0
        await pilot.press("g")
        assert screen.view.cursor == 0
        await pilot.press("space")
        assert screen.view.cursor > 0
        await pilot.press("b")
        assert screen.view.cursor == 0
        await pilot.press("G", "q")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
    with Library.open(seeded_home, read_only=True) as lib:
        record = lib.get(barrier_id)
    # `G` is a jump: the bookmark stays where `b` left the reading, nothing is finished
    # (tests/test_ui_bookmarks.py has the rules).
    assert not record.finished
    assert record.position == 0 and record.furthest > 0
    assert record.seconds_read >= 0


async def test_click_selects_a_sentence(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        view = screen.view
        row = view.row_of(screen.text.index("Engineers from"))
        await pilot.click(ArticleView, offset=(view._margin + 3, row - round(view.scroll_y)))
        await pilot.pause()
        assert screen.text[view.cursor_span[0] :].startswith("Engineers from")


async def test_sidebar_toggle_narrow_and_pane_focus(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        sidebar = screen.query_one("#sidebar")
        assert screen.has_class("-narrow")

        def shown() -> bool:
            return bool(sidebar.display)

        assert not shown()  # folded away on a narrow terminal
        await pilot.press("s")
        assert shown()
        await pilot.press("s")
        assert not shown()
        await pilot.press("2")  # focusing a pane brings the sidebar back
        assert shown()
        assert app.focused is not None and app.focused.id == "key-sentences"
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "notes"
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysDialog)
        plain = " ".join(str(cell) for cell in app.screen.table.columns[1]._cells)
        for description in ("Next sentence", "Page down", "Next mention", "Note", "Sidebar"):
            assert description in plain


async def test_text_is_shown_before_analysis_finishes(seeded_home: Path, barrier_id: str) -> None:
    import threading

    release = threading.Event()

    def slow(text: str) -> Any:
        release.wait(5)
        return fake_analyze(text)

    app = ReaderApp(seeded_home, open_article=barrier_id, analyzer=slow)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = reading(app)
        assert "The steel gates" in screen.view.visible_text()
        assert "analysing" in str(screen.query_one("#status").render())
        options = screen.query_one("#entities", OptionList)
        assert "Finding names" in str(options.get_option_at_index(0).prompt)
        await pilot.press("j", "j")  # the cursor works on provisional sentences
        assert screen.view.cursor == 2
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.analysis is not None
        assert "analysing" not in str(screen.query_one("#status").render())


async def test_analysis_failure_is_reported_not_fatal(seeded_home: Path, barrier_id: str) -> None:
    def broken(text: str) -> Any:
        raise RuntimeError("model missing")

    app = ReaderApp(seeded_home, open_article=barrier_id, analyzer=broken)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = reading(app)
        assert "failed" in str(screen.query_one("#status").render())
        await pilot.press("j")
        assert screen.view.cursor == 1


MARKUP_TITLE = "[bold]x[/] \x1b[31mred"
MARKUP_BODY = "Click [link=https://evil.example]here[/link] or [bold]x[/] \x1b[31m now."


async def test_markup_and_escapes_are_shown_literally(home: Path, wait_for_workers: Any) -> None:
    with Library.open(home) as lib:
        record = lib.add_article(
            barrier_article(title=MARKUP_TITLE, paragraphs=[MARKUP_BODY, "Second [/] para."])
        ).article
        lib.add_note(record.id, 0, 10, "[red]note[/] \x1b[2J")
    app = make_app(home, open_article=record.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        shown = screen.view.visible_text()
        assert "[bold]x[/] ␛[31mred" in shown
        assert "[link=https://evil.example]here[/link]" in shown
        assert "Second [/] para." in shown
        for y in range(screen.view.size.height):
            assert "\x1b" not in screen.view.render_line(y).text
        note_prompt = str(screen.query_one(NotesPane).get_option_at_index(0).prompt)
        assert "[red]note[/] ␛[2J" in note_prompt
        await pilot.press("escape")
        await pilot.pause()
        table = app.screen.query_one("DataTable")
        assert "[bold]x[/] ␛[31mred" in str(table.get_row_at(0)[0])  # type: ignore[attr-defined]


def test_real_analyzer_in_the_reading_screen(seeded_home: Path, barrier_id: str) -> None:
    """The default analyzer (no injection) fills the panes, when the models are built."""
    analyzer = pytest.importorskip("reader.nlp.analyzer")
    try:
        analyzer.analyze_text("Ada Lovelace met Charles Babbage in London. They talked.")
    except Exception as error:  # models not trained in this checkout yet
        pytest.skip(f"analyzer unavailable: {error}")
    import asyncio

    async def run() -> None:
        app = ReaderApp(seeded_home, open_article=barrier_id, now=lambda: FIXED_NOW)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = reading(app)
            assert screen.analysis is not None
            assert len(screen.view.sentences) >= 10
            assert any(e.name == "Helen Marsh" for e in screen.analysis.entities)

    asyncio.run(run())


async def test_read_only_library_reads_but_refuses_writes(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    with Library.open(seeded_home) as holder:  # another window owns the library
        app = make_app(seeded_home, open_article=barrier_id)
        # What was said, kept here: on a loaded machine a toast can time out (and leave
        # app._notifications) before the test looks.
        said: list[tuple[str, str]] = []
        shown = app.notify

        def notify(message: str, *args: Any, **kwargs: Any) -> None:
            said.append((str(message), str(kwargs.get("severity", "information"))))
            shown(message, *args, **kwargs)

        app.notify = notify  # type: ignore[method-assign]
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, wait_for_workers)
            assert app.library.read_only
            assert [s for _, s in said].count("warning") >= 1  # said once
            screen = reading(app)
            await pilot.press("j", "j", "n")
            await pilot.pause()
            assert isinstance(app.screen, ReadingScreen)  # no dialog: refused up front
            assert any("read-only" in message for message, _ in said)
            await pilot.press("q")
            await pilot.pause()
        assert holder.get(barrier_id).position == 0
        assert screen.view.cursor == 2


async def test_selecting_a_note_jumps_to_its_sentence(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    text = barrier_article().text
    start = text.index("Nobody was hurt.")
    with Library.open(seeded_home) as lib:
        lib.add_note(barrier_id, start, start + len("Nobody was hurt."), "the good news")
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        assert screen.view.cursor == 0
        await pilot.press("3", "down", "enter")
        await pilot.pause()
        assert screen.view.cursor_span[0] == start
        assert screen.view.cursor_visible()
        rows = [screen.view.render_line(y).text for y in range(screen.view.size.height)]
        assert any("✎" in row and "Nobody was hurt." in row for row in rows)


async def test_opened_straight_into_an_article_escape_shows_the_library_on_it(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    """`reader open ID` paints the article first; the library screen is made on the way
    out, with its cursor on the article just read, never a blank screen between."""
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        assert not any(isinstance(s, LibraryScreen) for s in app.screen_stack)
        await pilot.press(*"jjj", "escape")
        await settle(pilot, wait_for_workers)
        library = app.screen
        assert isinstance(library, LibraryScreen)
        assert [type(s) for s in app.screen_stack][1:] == [LibraryScreen]
        assert library.current_id() == barrier_id
        with Library.open(seeded_home, read_only=True) as lib:
            assert lib.get(barrier_id).position == screen.view.cursor_span[0]
        await pilot.press("enter")
        await settle(pilot, wait_for_workers)
        assert reading(app).record.id == barrier_id
        await pilot.press("escape")
        await settle(pilot, wait_for_workers)
        assert app.screen is library
