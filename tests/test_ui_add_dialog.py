"""The add dialog: a bad path is said inside it (the path kept), a folder adds every
article in it, and Tab completes paths from the filesystem. Screen and store are checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Input, Static

from reader.store import Library
from reader.ui.dialogs.add_article import AddArticleDialog
from reader.ui.path_suggester import PathSuggester
from reader.ui.screens.library import LibraryScreen
from tests.ui_helpers import burst, keys_handled, make_app, settle, wait_until


async def read_done(pilot: Any) -> None:
    """Keys handled, and what they started read: files are read in the dialog's worker."""
    await keys_handled(pilot)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def clip(path: Path, title: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"{title}\n\nThe {title.lower()} was reported on Monday by the harbour office. "
        "Crews expect more news by Wednesday.\n",
        encoding="utf-8",
    )
    return path


def dialog_error(dialog: Any) -> str:
    assert isinstance(dialog, AddArticleDialog), dialog
    error = dialog.query_one("#path-error", Static)
    assert error.has_class("-shown") and error.display
    return str(error.render())


def stored_titles(home: Path) -> list[str]:
    with Library.open(home, read_only=True) as lib:
        return sorted(r.title for r in lib.articles())


def titles_shown(app: Any) -> list[str]:
    screen = app.screen
    assert isinstance(screen, LibraryScreen), screen
    table = screen.query_one(DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_a_bad_path_is_said_in_the_dialog_and_kept_for_fixing(
    home: Path, tmp_path: Path
) -> None:
    good = clip(tmp_path / "tide.txt", "Tide report")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    app = make_app(home)
    async with app.run_test(size=(100, 30)) as pilot:
        await read_done(pilot)
        for name, said in (
            ("missing.txt", "no such file"),
            ("empty.txt", "empty file"),
            ("photo.txt", "not a text file"),
        ):
            burst(app, "a", *str(tmp_path / name), "enter")
            await read_done(pilot)
            dialog = app.screen
            assert isinstance(dialog, AddArticleDialog), name
            assert said in dialog_error(dialog) and name in dialog_error(dialog)
            assert dialog.query_one(Input).value == str(tmp_path / name)  # kept
            burst(app, "escape", "y")
            await read_done(pilot)
        assert titles_shown(app) == []
        burst(app, "a", *str(tmp_path / "tidy.txt"), "enter")  # a typo…
        await read_done(pilot)
        assert "no such file" in dialog_error(app.screen)
        burst(app, "backspace", "backspace", "backspace", "backspace", "backspace")
        burst(app, *"e.txt", "enter")  # …mended in the dialog, not typed again
        await read_done(pilot)
        assert titles_shown(app) == ["Tide report"]
        assert any("Added “Tide report”" in n.message for n in app._notifications)
    assert stored_titles(home) == ["Tide report"]
    with Library.open(home, read_only=True) as lib:
        assert [r.origin for r in lib.articles()] == [str(good.resolve())]


async def test_a_folder_adds_every_article_in_it(
    home: Path, tmp_path: Path, wait_for_workers: Any
) -> None:
    folder = tmp_path / "clips"
    clip(folder / "a-tide.txt", "Tide report")
    clip(folder / "deeper" / "b-storm.md", "Storm warning")
    clip(folder / "c-ferry.txt", "Ferry timetable")
    (folder / "d-blank.txt").write_text("   \n", encoding="utf-8")  # read, but no article
    (folder / "e-photo.jpg").write_bytes(b"\xff\xd8\xff")  # not an article file: passed over
    app = make_app(home)
    async with app.run_test(size=(100, 30)) as pilot:
        await read_done(pilot)
        burst(app, "a", *str(folder), "enter")
        await settle(pilot, wait_for_workers)
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        assert sorted(titles_shown(app)) == ["Ferry timetable", "Storm warning", "Tide report"]
        messages = [n.message for n in app._notifications]
        assert "3 articles added." in messages
        left_out = [m for m in messages if m.startswith("1 file not added")]
        assert len(left_out) == 1 and "d-blank.txt" in left_out[0]
        burst(app, "a", *str(folder), "enter")  # again: nothing new, and it says so
        await settle(pilot, wait_for_workers)
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        assert "0 articles added, 3 already in the library." in [
            n.message for n in app._notifications
        ]
    assert stored_titles(home) == ["Ferry timetable", "Storm warning", "Tide report"]


async def test_a_folder_without_articles_is_said_in_the_dialog(
    home: Path, tmp_path: Path, wait_for_workers: Any
) -> None:
    folder = tmp_path / "pictures"
    folder.mkdir()
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    app = make_app(home)
    async with app.run_test(size=(100, 30)) as pilot:
        await read_done(pilot)
        burst(app, "a", *str(folder), "enter")
        await settle(pilot, wait_for_workers)
        dialog = app.screen
        assert isinstance(dialog, AddArticleDialog)
        await wait_until(pilot, lambda: dialog.query_one("#path-error").has_class("-shown"))
        assert "no article files (.txt, .md, .epub, .pdf, .html)" in dialog_error(dialog)
        assert dialog.query_one(Input).value == str(folder)
    assert stored_titles(home) == []


async def test_tab_completes_the_path_even_in_a_burst(home: Path, tmp_path: Path) -> None:
    clip(tmp_path / "harbour-report.txt", "Harbour report")
    clip(tmp_path / "tide-one.txt", "Tide one")
    clip(tmp_path / "tide-two.txt", "Tide two")
    (tmp_path / "notes").mkdir()
    app = make_app(home)
    async with app.run_test(size=(100, 30)) as pilot:
        await read_done(pilot)
        burst(app, "a", *f"{tmp_path}/ti", "tab")
        await read_done(pilot)
        dialog = app.screen
        assert isinstance(dialog, AddArticleDialog)
        box = dialog.query_one(Input)
        assert box.value == f"{tmp_path}/tide-"  # as far as both go
        choices = dialog.query_one("#path-choices", Static)
        assert choices.has_class("-shown")
        assert str(choices.render()) == "tide-one.txt  tide-two.txt"
        burst(app, "ctrl+u", *f"{tmp_path}/no", "tab")
        await read_done(pilot)
        assert box.value == f"{tmp_path}/notes/"  # a folder, ready for the next name
        assert not choices.has_class("-shown")
        burst(app, "ctrl+u", *f"{tmp_path}/har", "tab", "enter")
        await read_done(pilot)
        assert titles_shown(app) == ["Harbour report"]
    assert stored_titles(home) == ["Harbour report"]


async def test_the_completion_shows_as_a_suggestion_and_right_takes_it(
    home: Path, tmp_path: Path
) -> None:
    clip(tmp_path / "harbour-report.txt", "Harbour report")
    app = make_app(home)
    async with app.run_test(size=(100, 30)) as pilot:
        await read_done(pilot)
        burst(app, "a", *f"{tmp_path}/harb")
        await read_done(pilot)
        box = app.screen.query_one(Input)
        await wait_until(pilot, lambda: box._suggestion == f"{tmp_path}/harbour-report.txt")
        await pilot.press("right")
        assert box.value == f"{tmp_path}/harbour-report.txt"


async def test_the_export_folder_completes_to_folders_only(
    seeded_home: Path, tmp_path: Path
) -> None:
    (tmp_path / "exports").mkdir()
    clip(tmp_path / "export-notes.txt", "Not a folder")
    app = make_app(seeded_home)
    async with app.run_test(size=(100, 30)) as pilot:
        await read_done(pilot)
        burst(app, "E", *f"{tmp_path}/ex", "tab", *"june", "enter")
        await read_done(pilot)
        assert isinstance(app.screen, LibraryScreen)
    assert len(list((tmp_path / "exports" / "june").glob("*.md"))) == 3
    with Library.open(seeded_home, read_only=True) as lib:
        assert lib.get_setting("export_dir", "") == f"{tmp_path}/exports/june"


def test_the_suggester_completes_as_a_shell_does(tmp_path: Path) -> None:
    clip(tmp_path / "Report.md", "Report")
    clip(tmp_path / "reply.txt", "Reply")
    (tmp_path / "photo.jpg").write_bytes(b"\xff")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / "rest").mkdir()
    paths = PathSuggester(suffixes=(".txt", ".md"))
    base = f"{tmp_path}/"
    assert paths.complete(base + "R") == (base + "Report.md", [])  # case counts
    assert paths.complete(base + "re") == (base + "re", ["reply.txt", "rest/"])
    assert paths.complete(base + "ph") == (base + "ph", [])  # not an article file
    assert paths.complete(base + ".hi") == (base + ".hidden.txt", [])  # asked for by its dot
    assert paths.complete(base + "x") == (base + "x", [])
    assert paths.complete(f"{tmp_path}/missing/re") == (f"{tmp_path}/missing/re", [])
    assert paths.complete("~") == ("~/", [])
    folders = PathSuggester(folders_only=True)
    assert folders.complete(base + "re") == (base + "rest/", [])
