"""Keys typed in one burst (a paste, a fast typist) behave as if typed slowly.

`burst` queues every key on the app at once, as a terminal delivers them; `pilot.press`
would wait for the app to go idle after each key and hide the race (see reader.ui.key_gate).
Every dialog or box that takes text is covered, and each test checks both what the
screen shows and what the store holds afterwards.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, ClassVar

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import DataTable, Input

from reader.store import Library
from reader.ui.app import ReaderApp
from reader.ui.key_gate import KeyGate
from reader.ui.panes.notes import NotesPane
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.reading import ReadingScreen
from tests.conftest import barrier_sentences
from tests.ui_helpers import burst, keys_handled, make_app, reading, settle


def library_screen(app: ReaderApp) -> LibraryScreen:
    assert isinstance(app.screen, LibraryScreen), app.screen
    return app.screen


def notes_shown(screen: ReadingScreen) -> str:
    pane = screen.query_one(NotesPane)
    return " ".join(str(pane.get_option_at_index(i).prompt) for i in range(pane.option_count))


def stored(home: Path) -> Library:
    return Library.open(home, read_only=True)


async def test_a_note_typed_in_one_burst_is_saved_whole(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        burst(app, "n", *"Fast note then save", "ctrl+s")
        await keys_handled(pilot)
        screen = reading(app)
        assert "Fast note then save" in notes_shown(screen)
    with stored(seeded_home) as lib:
        assert [(n.start, n.end, n.text) for n in lib.notes(barrier_id)] == [
            (*barrier_sentences()[0], "Fast note then save")
        ]


async def test_keys_after_ctrl_s_go_to_the_text_not_the_note(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        burst(app, "n", *"Surge", "ctrl+s", "j", "j")
        await keys_handled(pilot)
        screen = reading(app)
        assert screen.view.cursor == 2
        assert screen.view.cursor_span == barrier_sentences()[2]
    with stored(seeded_home) as lib:
        assert [n.text for n in lib.notes(barrier_id)] == ["Surge"]
        assert lib.get(barrier_id).position == barrier_sentences()[2][0]


async def test_a_paste_right_after_n_lands_in_the_note(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        burst(app, "n")
        app.post_message(events.Paste("Pasted at once."))
        burst(app, "ctrl+s")
        await keys_handled(pilot)
        assert "Pasted at once." in notes_shown(reading(app))
    with stored(seeded_home) as lib:
        assert [n.text for n in lib.notes(barrier_id)] == ["Pasted at once."]


async def test_editing_a_note_in_one_burst(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    with Library.open(seeded_home) as lib:
        lib.add_note(barrier_id, *barrier_sentences()[0], "first draft")
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        burst(app, "e", *", then more", "ctrl+s")
        await keys_handled(pilot)
        assert "first draft, then more" in notes_shown(reading(app))
    with stored(seeded_home) as lib:
        assert [n.text for n in lib.notes(barrier_id)] == ["first draft, then more"]


async def test_a_highlight_and_its_note_in_one_burst(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        burst(app, "j", "h", "n", *"Why so high?", "ctrl+s")
        await keys_handled(pilot)
        assert "Why so high?" in notes_shown(reading(app))
    with stored(seeded_home) as lib:
        highlights = lib.highlights(barrier_id)
        assert lib.notes(barrier_id) == []
    assert [(h.start, h.end, h.note) for h in highlights] == [
        (*barrier_sentences()[1], "Why so high?")
    ]


async def test_tags_typed_in_one_burst_on_the_reading_screen(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        burst(app, "T", *"coast, tide", "enter", "j")
        await keys_handled(pilot)
        screen = reading(app)
        assert screen.record.tags == ("coast", "tide")
        assert screen.view.cursor == 1
    with stored(seeded_home) as lib:
        assert lib.get(barrier_id).tags == ("coast", "tide")


async def test_tags_typed_in_one_burst_in_the_library(seeded_home: Path) -> None:
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await keys_handled(pilot)
        screen = library_screen(app)
        first = screen.current_id()
        burst(app, "T", *"dread, errata", "enter")
        await keys_handled(pilot)
        assert library_screen(app) is screen
        table = screen.query_one(DataTable)
        assert "#dread #errata" in str(table.get_cell(first or "", "tags"))
        assert len(screen.records) == 3  # no `d` deleted, no `e` exported, no `r` review
    with stored(seeded_home) as lib:
        assert first is not None
        assert lib.get(first).tags == ("dread", "errata")


async def test_a_path_typed_in_one_burst_is_added(
    seeded_home: Path, tmp_path: Path, wait_for_workers: Any
) -> None:
    clip = tmp_path / "road-report.txt"
    clip.write_text(
        "Road closed after storm\n\nThe coast road was closed on Sunday after the storm.\n"
        "Crews expect to reopen it by Wednesday.\n",
        encoding="utf-8",
    )
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await keys_handled(pilot)
        burst(app, "a", *str(clip), "enter")
        await keys_handled(pilot)
        screen = library_screen(app)
        assert len(screen.records) == 4
        assert any("Road closed" in str(row[0]) for row in _rows(screen))
    with stored(seeded_home) as lib:
        assert any(r.origin == str(clip.resolve()) for r in lib.articles())


def _rows(screen: LibraryScreen) -> list[list[Any]]:
    table = screen.query_one(DataTable)
    return [list(table.get_row_at(i)) for i in range(table.row_count)]


async def test_an_export_folder_typed_in_one_burst(seeded_home: Path, tmp_path: Path) -> None:
    unused = tmp_path / "unused"  # the default folder: nothing must land there
    with Library.open(seeded_home) as lib:
        lib.set_setting("export_dir", str(unused))
    one, every = tmp_path / "one", tmp_path / "every"
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await keys_handled(pilot)
        burst(app, "e", *str(one), "enter", "E", *str(every), "enter")
        await keys_handled(pilot)
        screen = library_screen(app)
        assert len(screen.records) == 3
        shown = [n.message for n in app._notifications]
        assert any("Exported 1 article" in m for m in shown)
        assert any("Exported 3 articles" in m for m in shown)
    assert len(list(one.glob("*.md"))) == 1
    assert len(list(every.glob("*.md"))) == 3
    assert not unused.exists()
    with stored(seeded_home) as lib:
        assert lib.get_setting("export_dir", "") == str(every)


async def test_the_library_filter_takes_letters_that_are_also_keys(seeded_home: Path) -> None:
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await keys_handled(pilot)
        # a = add, o = sort, r = review, q = quit: all must be typed into the filter
        burst(app, "slash", *"author", "enter", "down", "j")
        await keys_handled(pilot)
        screen = library_screen(app)
        box = screen.query_one("#filter", Input)
        table = screen.query_one(DataTable)
        assert box.value == "author"
        assert screen.query_text == "author"
        assert app.focused is table
        assert [str(row[0]) for row in _rows(screen)] == [
            "A quiet week in parliament",
            "Orbital freight startup raises funds",
        ]
        assert table.cursor_row == 1
        assert screen.sort_column == "last_read"
    with stored(seeded_home) as lib:
        assert len(lib.articles()) == 3


async def test_a_search_typed_in_one_burst_opens_the_hit(
    seeded_home: Path, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")  # build the index once; the burst below then races nothing
        await settle(pilot, wait_for_workers)
        await pilot.press("escape")
        await keys_handled(pilot)
        burst(app, "f", *"parliament", "down", "enter", "j")
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        assert screen.record.title == "A quiet week in parliament"
        assert screen.view.cursor == 1
        article_id = screen.record.id
        burst(app, "q")
        await keys_handled(pilot)
        library_screen(app)
    with stored(seeded_home) as lib:
        record = lib.get(article_id)
    assert record.last_read is not None
    assert record.position == screen.view.sentences[1][0]


async def test_ctrl_f_search_in_one_burst_jumps_within_the_article(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        await pilot.press("ctrl+f")
        await settle(pilot, wait_for_workers)
        await pilot.press("escape")
        await keys_handled(pilot)
        burst(app, "ctrl+f", *"Norfolk", "down", "enter")
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        assert screen.text[slice(*screen.view.cursor_span)].startswith("Some had driven from")
        burst(app, "j", "q")  # a search hit is a jump; reading from it moves the bookmark
        await keys_handled(pilot)
    with stored(seeded_home) as lib:
        assert lib.get(barrier_id).position == screen.view.cursor_span[0]


class Wedged(Widget, can_focus=True):
    """Takes a key and never finishes with it (until the test lets go)."""

    def __init__(self, release: asyncio.Event) -> None:
        super().__init__()
        self.release = release

    async def on_key(self, event: events.Key) -> None:
        await self.release.wait()


class GatedApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+x", "mark", priority=True)]

    def __init__(self, release: asyncio.Event) -> None:
        super().__init__()
        self.release = release
        self.key_gate = KeyGate(self, super().on_event, timeout=0.2)
        self.marked = False

    async def on_event(self, event: events.Event) -> None:
        if KeyGate.gates(event):
            await self.key_gate.admit(event)
        else:
            await super().on_event(event)

    def compose(self) -> ComposeResult:
        yield Wedged(self.release)

    def on_mount(self) -> None:
        self.query_one(Wedged).focus()

    def action_mark(self) -> None:
        self.marked = True

    def is_marked(self) -> bool:
        return self.marked


async def test_a_wedged_widget_holds_the_next_keys_only_for_a_while() -> None:
    release = asyncio.Event()
    app = GatedApp(release)
    async with app.run_test() as pilot:
        await pilot.pause()
        burst(app, "a", "ctrl+x")
        try:
            # asyncio.sleep, not pilot.pause: the pilot would wait for the wedged widget too
            await asyncio.sleep(0.05)
            assert not app.marked  # waits behind `a`, as it should…
            for _ in range(40):
                if app.is_marked():
                    break
                await asyncio.sleep(0.05)
            assert app.is_marked()  # …but not for ever
        finally:
            release.set()
