"""Escape on a dialog holding typed text asks before discarding it; an unchanged dialog
closes at once (reader.ui.dialogs.discard_guard). Each test checks the screen and the store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static, TextArea

from reader.store import Library
from reader.ui.dialogs.add_article import AddArticleDialog
from reader.ui.dialogs.discard_guard import DiscardConfirm
from reader.ui.dialogs.export import ExportDialog
from reader.ui.dialogs.note import NoteDialog
from reader.ui.dialogs.tags import TagsDialog
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.reading import ReadingScreen
from tests.conftest import barrier_sentences
from tests.ui_helpers import burst, keys_handled, make_app, settle


def question(app: Any) -> str:
    screen = app.screen
    assert isinstance(screen, DiscardConfirm), screen
    return str(screen.query_one("#discard-question", Static).render())


def top(app: Any) -> Any:
    """The top screen, typed loosely: each check below narrows it afresh."""
    return app.screen


def note_texts(home: Path, article_id: str) -> list[str]:
    with Library.open(home, read_only=True) as lib:
        return [n.text for n in lib.notes(article_id)]


async def test_escape_on_a_typed_note_asks_and_n_returns_to_the_text(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        await pilot.press("n", *"Half a thought")
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert "Discard the note you typed?" in question(app)
        assert "y/n" in question(app)
        assert dialog.query_one(TextArea).text == "Half a thought"  # still there, underneath
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is dialog
        area = dialog.query_one(TextArea)
        assert area.text == "Half a thought" and app.focused is area
        await pilot.press(*" kept", "ctrl+s")  # the cursor is where it was: typing goes on
        await pilot.pause()
        assert isinstance(app.screen, ReadingScreen)
    assert note_texts(seeded_home, barrier_id) == ["Half a thought kept"]


@pytest.mark.parametrize("answer", ["y", "enter"])
async def test_confirming_discards_the_note(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any, answer: str
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        await pilot.press("n", *"Not worth keeping", "escape")
        await pilot.pause()
        assert isinstance(app.screen, DiscardConfirm)
        await pilot.press(answer)
        await pilot.pause()
        assert isinstance(app.screen, ReadingScreen)
    assert note_texts(seeded_home, barrier_id) == []


async def test_escape_on_the_question_keeps_the_text(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        await pilot.press("n", *"Second thoughts", "escape", "escape")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        assert dialog.query_one(TextArea).text == "Second thoughts"
    assert note_texts(seeded_home, barrier_id) == []


async def test_unchanged_dialogs_close_at_once(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    """No text typed, or the text as it started (typed and rubbed out again): no question."""
    with Library.open(seeded_home) as lib:
        lib.add_note(barrier_id, *barrier_sentences()[0], "first draft")
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        for keys in (("n",), ("e",), ("e", "x", "backspace"), ("T",)):
            await pilot.press(*keys)
            await pilot.pause()
            assert isinstance(top(app), NoteDialog | TagsDialog), keys
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(top(app), ReadingScreen), keys
        await pilot.press("escape")
        await settle(pilot, wait_for_workers)
        assert isinstance(top(app), LibraryScreen)
        for key, kind in (("a", AddArticleDialog), ("e", ExportDialog), ("T", TagsDialog)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(top(app), kind), key
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(top(app), LibraryScreen), key
    assert note_texts(seeded_home, barrier_id) == ["first draft"]


async def test_a_burst_n_text_escape_n_keeps_every_character(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        burst(app, "n", *"Keep this", "escape", "n", *", and this", "ctrl+s")
        await keys_handled(pilot)
        assert isinstance(app.screen, ReadingScreen)
    assert note_texts(seeded_home, barrier_id) == ["Keep this, and this"]


async def test_a_burst_that_discards_leaves_nothing_and_goes_on(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        burst(app, "n", *"Scrap", "escape", "y", "j")
        await keys_handled(pilot)
        screen = app.screen
        assert isinstance(screen, ReadingScreen)
        assert screen.view.cursor == 1  # `j` after the answer moved on in the text
    assert note_texts(seeded_home, barrier_id) == []


async def test_tags_ask_before_dropping_an_edit(seeded_home: Path) -> None:
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await keys_handled(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        article_id = screen.current_id()
        burst(app, "T", *"coast", "escape")
        await keys_handled(pilot)
        assert "Discard your changes to the tags?" in question(app)
        burst(app, "n", *", tide", "enter")
        await keys_handled(pilot)
        assert app.screen is screen
    assert article_id is not None
    with Library.open(seeded_home, read_only=True) as lib:
        assert lib.get(article_id).tags == ("coast", "tide")


async def test_path_dialogs_ask_before_dropping_a_typed_path(
    seeded_home: Path, tmp_path: Path
) -> None:
    clip = tmp_path / "kept.txt"
    clip.write_text("Kept\n\nThe coast road reopened on Monday after the storm.\n", "utf-8")
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await keys_handled(pilot)
        burst(app, "a", *str(clip), "escape")
        await keys_handled(pilot)
        assert "Discard the path you typed?" in question(app)
        burst(app, "y", "e", "x", "escape")
        await keys_handled(pilot)
        assert "Discard the folder you typed?" in question(app)
        burst(app, "n")
        await keys_handled(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one(Input).value == "x"  # typing replaced the folder offered
        burst(app, "escape", "y")
        await keys_handled(pilot)
        assert isinstance(app.screen, LibraryScreen)
    with Library.open(seeded_home, read_only=True) as lib:
        assert len(lib.articles()) == 3  # the discarded path added nothing
    assert not Path("x").exists() and not (seeded_home / "reader-export").exists()


async def test_ctrl_q_with_the_question_up_still_saves_the_note(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    """Quitting saves an open dialog's text (README: nothing is lost), question or not."""
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        burst(app, "n", *"Saved on the way out", "escape")
        await keys_handled(pilot)
        assert isinstance(app.screen, DiscardConfirm)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_value == 0
    assert note_texts(seeded_home, barrier_id) == ["Saved on the way out"]
