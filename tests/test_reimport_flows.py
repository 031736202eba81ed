"""Old homes met by the commands and the app: the one-time layout upgrade, `reader
reimport`, and detached notes shown for what they are."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from reader import cli
from reader.store import Library
from reader.study.reimport import LAYOUT_SETTING
from reader.ui.panes.notes import DETACHED
from reader.ui.screens.library import LibraryScreen
from tests.old_home import GUIDE, OldHome, write_old_home
from tests.ui_helpers import make_app, reading, settle, store_threads, wait_until

Wait = Callable[[Any], Awaitable[None]]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def old_home(tmp_path: Path) -> OldHome:
    return write_old_home(tmp_path)


def test_the_first_writing_command_upgrades_once_and_says_so(
    old_home: OldHome, capsys: pytest.CaptureFixture[str]
) -> None:
    home = str(old_home.home)
    status, _, err = run(["list", "--home", home], capsys)  # only reads: changes nothing
    assert status == 0 and "headings" not in err
    clip = old_home.home.parent / "clip.txt"
    clip.write_text("Ferry times\n\nThe ferry leaves at noon. It returns at six.", encoding="utf-8")
    status, _, err = run(["add", str(clip), "--home", home], capsys)
    assert status == 0, err
    assert "1 article added from Markdown or HTML files" in err and "followed" in err
    clip.write_text("Ferry times\n\nThe ferry leaves at one. It returns at six.", encoding="utf-8")
    status, _, err = run(["add", str(clip), "--home", home], capsys)
    assert status == 0 and "headings" not in err  # once per home
    with Library.open(old_home.home) as library:
        assert old_home.guide not in {r.id for r in library.articles()}
        assert sorted(n.text for n in library.all_notes())[:2] == [
            "Check twice.",
            "Dusk: 17:40 in June.",
        ]


def test_reimport_names_what_it_could_not_read_and_what_became_detached(
    old_home: OldHome, capsys: pytest.CaptureFixture[str]
) -> None:
    home = str(old_home.home)
    with Library.open(old_home.home) as library:  # schema 2 now, layouts not yet upgraded
        library.mark_upgrade_done(LAYOUT_SETTING)
    edited = GUIDE.replace("2. Note the height of high water.", "2. Write the height down.")
    old_home.guide_file.write_text(edited, encoding="utf-8")
    status, out, err = run(["reimport", old_home.guide, old_home.clip, "--home", home], capsys)
    assert status == 2  # the clip, named, has no file to read again
    assert "1 note or highlight not found in the new text, kept as detached" in out
    assert (
        f"Harbour notice ({old_home.clip}) was not read again: it was not added from a file" in err
    )
    assert "1 article read again, 0 unchanged, 1 left as they were" in out
    status, out, _ = run(["reimport", "--all", "--home", home], capsys)
    assert status == 0 and "0 articles read again, 1 unchanged" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["reimport"], "name the articles to read again"),
        (["reimport", "nothex"], "is not an article id"),
        (["reimport", "0123456789abcdef"], "there is no article 0123456789abcdef"),
    ],
)
def test_reimport_bad_input_is_one_line_and_exit_2(
    old_home: OldHome, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    with Library.open(old_home.home) as library:
        library.mark_upgrade_done(LAYOUT_SETTING)
    status, out, err = run([*argv, "--home", str(old_home.home)], capsys)
    assert status == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1


async def test_the_app_upgrades_an_old_home_and_its_notes_follow(
    old_home: OldHome, wait_for_workers: Wait, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads = store_threads(monkeypatch)
    app = make_app(old_home.home)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        await wait_until(
            pilot, lambda: any("followed" in str(n.message) for n in app._notifications)
        )
        assert threads == {threading.get_ident()}  # the upgrade's store calls: on this one
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        with Library.open(old_home.home, read_only=True) as library:
            (guide,) = [r for r in library.articles() if r.title == "Reading the tide tables"]
            assert guide.id != old_home.guide
            kinds = {b.kind for b in library.load_article(guide.id).blocks}
        assert {"heading", "list_item", "code", "table"} <= kinds
        app.open_reading(guide.id)
        await settle(pilot, wait_for_workers)
        view = reading(app).view
        text = reading(app).text
        assert text[view.cursor_span[0] :].startswith("A table is a promise")  # the bookmark
        notes = app.screen.query_one("#notes", OptionList)
        shown = [str(notes.get_option_at_index(i).prompt) for i in range(notes.option_count)]
        assert any("Check twice." in line for line in shown)
        assert not any(DETACHED in line for line in shown)


async def test_a_detached_note_is_listed_apart_and_jumps_nowhere(
    old_home: OldHome, wait_for_workers: Wait
) -> None:
    from reader.study.reimport import reimport

    edited = GUIDE.replace("2. Note the height of high water.", "2. Write the height down.")
    old_home.guide_file.write_text(edited, encoding="utf-8")
    with Library.open(old_home.home) as library:
        library.mark_upgrade_done(LAYOUT_SETTING)
        new_id = reimport(library, [library.get(old_home.guide)]).changed[0].new_id
    app = make_app(old_home.home)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        app.open_reading(new_id)
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        notes = screen.query_one("#notes", OptionList)
        shown = [str(notes.get_option_at_index(i).prompt) for i in range(notes.option_count)]
        assert shown[-1].startswith(DETACHED + "2. Note the height of high water.")
        assert "Check twice." in shown[-1]
        before = screen.view.cursor_span
        notes.focus()
        notes.highlighted = notes.option_count - 1
        await pilot.press("enter")
        await settle(pilot, wait_for_workers)
        assert screen.view.cursor_span == before
        assert any("no longer in this article's text" in str(n.message) for n in app._notifications)
        # It marks nothing in the text, and the note is still in the store.
        assert all(span[1] <= len(screen.text) for span in screen.view.highlights)
    with Library.open(old_home.home, read_only=True) as library:
        assert {n.text: n.detached for n in library.notes(new_id)}["Check twice."] is True


def test_reimport_names_an_imported_book_as_not_from_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.article import Article

    home = tmp_path / "home"
    with Library.open(home) as library:
        book = Article.from_paragraphs("Tides", "H. Marsh", None, None, ["A passage."])
        aid = library.add_article(book, origin="kindle:Tides (H. Marsh)").article.id
        library.mark_upgrade_done(LAYOUT_SETTING)
    status, _, err = run(["reimport", aid, "--home", str(home)], capsys)
    assert status == 2
    assert f"Tides ({aid}) was not read again: it was not added from a file" in err
