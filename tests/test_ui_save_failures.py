"""A disk that refuses writes never costs the reader what they typed or where they were.

The fault is injected where every atomic write of the store passes
(reader.store.fileio.write_temp): a full disk, switched on and off inside a test.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, TextArea

from reader.store import DiskError, Library, fileio
from reader.ui.dialogs.note import NoteDialog
from reader.ui.dialogs.save_failure import SaveFailure
from reader.ui.dialogs.tags import TagsDialog
from reader.ui.screens.library import LibraryScreen
from tests.conftest import barrier_sentences
from tests.ui_helpers import burst, keys_handled, make_app, reading, settle, wait_until


class FullDisk:
    """While `on`, every file the store writes fails as on a full disk."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.on = False
        original = fileio.write_temp

        def write_temp(path: Path, data: bytes, *, sync: bool = True) -> Path:
            if self.on:
                raise OSError(errno.ENOSPC, "No space left on device", str(path))
            return original(path, data, sync=sync)

        monkeypatch.setattr(fileio, "write_temp", write_temp)


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[FullDisk]:
    yield FullDisk(monkeypatch)


def messages(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


def read_only(app: Any) -> bool:
    return bool(app.library.read_only)


def failure_text(dialog: Any) -> str:
    failure = dialog.query_one(SaveFailure)
    assert failure.display, "the failure is shown in the dialog"
    return str(failure.render())


def test_the_fault_reaches_the_library_as_a_disk_error(
    seeded_home: Path, barrier_id: str, disk: FullDisk
) -> None:
    with Library.open(seeded_home) as lib:
        disk.on = True
        with pytest.raises(DiskError, match="disk is full"):
            lib.add_note(barrier_id, 0, 10, "lost?")
        with pytest.raises(DiskError):
            lib.save_progress(barrier_id, position=5, progress=0.1)
        disk.on = False
        assert lib.notes(barrier_id) == []


async def test_a_refused_note_stays_in_its_dialog_and_ctrl_s_retries(
    seeded_home: Path, barrier_id: str, disk: FullDisk, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        burst(app, "n", *"Keep this safe")
        await keys_handled(pilot)
        disk.on = True
        await pilot.press("ctrl+s")
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        assert dialog.query_one(TextArea).text == "Keep this safe"
        assert "disk is full" in failure_text(dialog)
        await pilot.press("ctrl+s")  # still full: still open, and said only once
        assert app.screen is dialog
        assert sum("disk is full" in m for m in messages(app)) == 1
        disk.on = False
        await pilot.press("ctrl+s")
        await keys_handled(pilot)
        assert reading(app).notes[0].text == "Keep this safe"
    with Library.open(seeded_home, read_only=True) as lib:
        assert [n.text for n in lib.notes(barrier_id)] == ["Keep this safe"]


async def test_a_refused_edit_and_highlight_note_stay_in_their_dialogs(
    seeded_home: Path, barrier_id: str, disk: FullDisk, wait_for_workers: Any
) -> None:
    sentences = barrier_sentences()
    with Library.open(seeded_home) as lib:
        lib.add_note(barrier_id, *sentences[0], "draft")
        lib.add_highlight(barrier_id, *sentences[1])
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        disk.on = True
        burst(app, "e", *" two", "ctrl+s")
        await keys_handled(pilot)
        edit = app.screen
        assert isinstance(edit, NoteDialog)
        assert edit.query_one(TextArea).text == "draft two"
        assert "Note not saved" in failure_text(edit)
        disk.on = False
        await pilot.press("ctrl+s")
        disk.on = True
        burst(app, "j", "n", *"why?", "ctrl+s")
        await keys_handled(pilot)
        on_highlight = app.screen
        assert isinstance(on_highlight, NoteDialog)
        assert on_highlight.query_one(TextArea).text == "why?"
        assert "disk is full" in failure_text(on_highlight)
        disk.on = False
        await pilot.press("ctrl+s")
        await keys_handled(pilot)
        reading(app)
    with Library.open(seeded_home, read_only=True) as lib:
        assert [n.text for n in lib.notes(barrier_id)] == ["draft two"]
        assert [h.note for h in lib.highlights(barrier_id)] == ["why?"]


async def test_refused_tags_stay_in_the_box_and_enter_retries(
    seeded_home: Path, barrier_id: str, disk: FullDisk, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        disk.on = True
        burst(app, "T", *"coast, tide", "enter")
        await keys_handled(pilot)
        dialog = app.screen
        assert isinstance(dialog, TagsDialog)
        assert dialog.query_one(Input).value == "coast, tide"
        assert "Tags not saved" in failure_text(dialog)
        disk.on = False
        await pilot.press("enter")
        await keys_handled(pilot)
        assert reading(app).record.tags == ("coast", "tide")
    with Library.open(seeded_home, read_only=True) as lib:
        assert lib.get(barrier_id).tags == ("coast", "tide")


async def test_a_refused_autosave_keeps_the_position_and_retries(
    seeded_home: Path,
    barrier_id: str,
    disk: FullDisk,
    wait_for_workers: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("reader.ui.screens.reading.SAVE_INTERVAL", 0.1)
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        disk.on = True
        await pilot.press("j", "j")
        await wait_until(pilot, lambda: any("position not saved" in m for m in messages(app)))
        await pilot.pause(0.5)  # several more ticks, every one refused
        assert app.is_running
        failed = [m for m in messages(app) if m.startswith("Reading position not saved")]
        assert len(failed) == 1, messages(app)
        assert "disk is full" in failed[0] and "kept and retried" in failed[0]
        screen = reading(app)
        assert "not saved" in str(screen.query_one("#status").render())
        disk.on = False
        await wait_until(pilot, lambda: "Reading position saved again." in messages(app))
        assert "not saved" not in str(screen.query_one("#status").render())
        with Library.open(seeded_home, read_only=True) as lib:
            assert lib.get(barrier_id).position == barrier_sentences()[2][0]


async def test_a_position_refused_on_leaving_is_kept_for_the_next_open(
    seeded_home: Path, barrier_id: str, disk: FullDisk, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id, retry_interval=0.1)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        disk.on = True
        await pilot.press("j", "j", "j", "q")
        await keys_handled(pilot)
        assert isinstance(app.screen, LibraryScreen)
        app.open_reading(barrier_id)  # the same article again: where the reader was
        await settle(pilot, wait_for_workers)
        assert reading(app).view.cursor == 3
        await pilot.press("q")
        disk.on = False
        # the app's own retry writes it, with no reading screen open
        await wait_until(pilot, lambda: app.keeper is not None and not app.keeper.pending)
        with Library.open(seeded_home, read_only=True) as lib:
            assert lib.get(barrier_id).position == barrier_sentences()[3][0]


async def test_quitting_saves_the_note_being_typed_or_stays(
    seeded_home: Path, barrier_id: str, disk: FullDisk, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        burst(app, "n", *"Typed, never saved")
        await keys_handled(pilot)
        disk.on = True
        await pilot.press("ctrl+q")
        dialog = app.screen
        assert app.is_running
        assert isinstance(dialog, NoteDialog)
        assert dialog.query_one(TextArea).text == "Typed, never saved"
        assert "disk is full" in failure_text(dialog)
        assert any(m.startswith("Not quitting yet") for m in messages(app))
        disk.on = False
        await pilot.press("ctrl+q")  # the disk has room again: saved, then gone
        await pilot.pause()
    assert app.return_value == 0
    with Library.open(seeded_home, read_only=True) as lib:
        assert [n.text for n in lib.notes(barrier_id)] == ["Typed, never saved"]


async def test_quitting_without_the_note_and_with_an_unsaved_position_says_so(
    seeded_home: Path,
    barrier_id: str,
    disk: FullDisk,
    wait_for_workers: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        disk.on = True
        await pilot.press("j", "n", *"doomed")
        await pilot.press("ctrl+q")
        assert app.is_running
        await pilot.press("ctrl+q")  # asked and answered: quit without it
        await pilot.pause()
    disk.on = False
    assert app.return_value == 1
    said = " ".join(capsys.readouterr().err.split())  # printed after the app's screen closes
    assert "reading position" in said and "Brackenmouth tide barrier closes" in said
    assert "disk is full" in said
    with Library.open(seeded_home, read_only=True) as lib:
        assert lib.notes(barrier_id) == []
        assert lib.get(barrier_id).position == 0


async def test_a_read_only_window_saves_once_the_other_window_closes(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    holder = Library.open(seeded_home)  # another window: it has the lock
    try:
        app = make_app(seeded_home, open_article=barrier_id, retry_interval=0.1)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, wait_for_workers)
            assert read_only(app)
            await pilot.press("j", "j")
            await pilot.pause(0.3)  # polls while the other window is open: still read-only
            screen = reading(app)
            assert "read-only" in str(screen.query_one("#status").render())
            assert holder.get(barrier_id).position == 0
            holder.close()
            await wait_until(pilot, lambda: not read_only(app))
            assert "The other window closed; this window saves again." in messages(app)
            assert "read-only" not in str(screen.query_one("#status").render())
            with Library.open(seeded_home, read_only=True) as lib:
                assert lib.get(barrier_id).position == barrier_sentences()[2][0]
    finally:
        holder.close()


async def test_quitting_a_read_only_window_says_what_it_could_not_save(
    seeded_home: Path,
    barrier_id: str,
    wait_for_workers: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with Library.open(seeded_home):  # another window keeps the lock throughout
        for moves in ((), ("j",)):
            app = make_app(seeded_home, open_article=barrier_id)
            async with app.run_test(size=(120, 40)) as pilot:
                await settle(pilot, wait_for_workers)
                await pilot.press(*moves, "ctrl+q")
                await pilot.pause()
            said = " ".join(capsys.readouterr().err.split())
            assert app.return_value == 0
            if moves:
                assert "was not saved: this window was read-only" in said
            else:
                assert "not saved" not in said  # it only looked: nothing to lose
