"""One catalogue of actions (reader.ui.actions) makes every screen's keys and palette."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path
from typing import Any

import pytest
from textual.actions import parse
from textual.binding import Binding

from reader.ui import actions
from reader.ui.actions import Action, bindings, palette_entries, run_now
from reader.ui.app import ReaderApp
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.reading import ReadingScreen
from reader.ui.screens.review import ReviewScreen
from reader.ui.screens.search import SearchScreen
from reader.ui.screens.summary import SummaryScreen
from tests.ui_helpers import make_app, reading, settle

UI = Path(__file__).resolve().parents[1] / "reader" / "ui"
SCREENS: list[tuple[type[Any], tuple[Action, ...]]] = [
    (LibraryScreen, actions.LIBRARY),
    (ReadingScreen, actions.READING),
    (SummaryScreen, actions.SUMMARY),
    (SearchScreen, actions.SEARCH),
    (ReviewScreen, actions.REVIEW),
    (ReaderApp, actions.APP),
]


def _fields(binding: Any) -> tuple[object, ...]:
    assert isinstance(binding, Binding)
    return (binding.key, binding.action, binding.description, binding.show, binding.priority)


@pytest.mark.parametrize(("owner", "catalogue"), SCREENS, ids=lambda v: getattr(v, "__name__", ""))
def test_each_screens_bindings_are_its_catalogue(owner: type[Any], catalogue: Any) -> None:
    declared = [_fields(b) for b in owner.BINDINGS]
    assert declared == [
        (a.keys, a.name, a.description, a.show, a.priority) for a in catalogue if a.keys
    ]
    assert len(declared) == len(vars(owner)["BINDINGS"])  # the screen's own, not inherited


@pytest.mark.parametrize(("owner", "catalogue"), SCREENS, ids=lambda v: getattr(v, "__name__", ""))
def test_every_palette_action_is_a_method_taking_its_arguments(
    owner: type[Any], catalogue: Any
) -> None:
    for action in catalogue:
        if not action.palette_name:
            continue
        _namespace, name, parameters = parse(action.name)
        method = getattr(owner, f"action_{name}")
        inspect.signature(method).bind(None, *parameters)


def _literals(path: Path) -> set[str]:
    """The module's string constants, docstrings and comments left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in docstrings
    }


def test_no_description_is_written_twice() -> None:
    """Each screen's words are unique in its catalogue, and no screen writes a binding or a
    palette text of its own: they are all in reader/ui/actions.py."""
    by_hand = [*(UI / "screens").glob("*.py"), *(UI / "reading").glob("*.py"), UI / "app.py"]
    literals = {path.name: _literals(path) for path in by_hand}
    for _owner, catalogue in SCREENS:
        descriptions = [a.description for a in catalogue if a.description]
        assert len(descriptions) == len(set(descriptions))
        texts = [a.palette_name for a in catalogue if a.palette_name]
        assert len(texts) == len(set(texts))
        # one-word descriptions ("Search", "Back") are common words: only longer ones count
        for text in {*texts, *(d for d in descriptions if " " in d)}:
            for name, found in literals.items():
                assert text not in found, (text, name)
    for path in by_hand:
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\bBinding\(", source), path.name
        assert not any(s.startswith("key: ") for s in literals[path.name]), path.name


def test_palette_help_is_the_first_key_as_shown() -> None:
    assert Action("top", "g,home", "Top").hint() == "key: g"
    assert Action("back", "escape,q", "Back").hint() == "key: escape"
    assert Action("mention(1)", "right_square_bracket", "Next").hint() == "key: ]"
    assert Action("export", palette="Export").hint() == ""
    assert bindings([Action("export", palette="Export")]) == []


class _Recorder:
    """Stands in for a screen: every action_* call is recorded; check_action says no to
    `refused`."""

    def __init__(self, refused: str = "") -> None:
        self.calls: list[tuple[str, tuple[object, ...]]] = []
        self.refused = refused

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != self.refused

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("action_"):
            raise AttributeError(name)
        return lambda *args: self.calls.append((name.removeprefix("action_"), args))


def test_run_now_calls_the_action_with_its_arguments() -> None:
    node: Any = _Recorder()
    run_now(node, "focus_pane('notes')")
    run_now(node, "mention(-1)")
    assert node.calls == [("focus_pane", ("notes",)), ("mention", (-1,))]


def test_palette_leaves_out_what_check_action_refuses() -> None:
    node: Any = _Recorder(refused="reveal_answer")
    names = [name for name, _, _ in palette_entries(node, actions.REVIEW)]
    assert "Show the answer (the blanked words)" not in names
    assert names[0] == "Show the note of this card"
    assert "Rate: Good" in names


async def _each_command_runs_its_action(
    screen: Any, catalogue: tuple[Action, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, tuple[object, ...]]] = []
    offered = {a.palette_name: a for a in catalogue if a.palette_name}
    for action in offered.values():
        name = parse(action.name)[1]

        def record(*args: object, name: str = name) -> None:
            calls.append((name, args))

        monkeypatch.setattr(screen, f"action_{name}", record)
    entries = screen.palette_commands()
    generated = [entry for entry in entries if entry[0] in offered]
    assert [(name, hint) for name, hint, _ in generated] == [
        (a.palette_name, a.hint())
        for a in offered.values()
        if screen.check_action(parse(a.name)[1], parse(a.name)[2])
    ]
    for text, _hint, command in generated:
        calls.clear()
        command()
        _namespace, name, parameters = parse(offered[text].name)
        assert calls == [(name, parameters)], text


async def test_every_palette_command_runs_its_action(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        await _each_command_runs_its_action(screen, actions.READING, monkeypatch)
        names = [name for name, _, _ in screen.palette_commands()]
        assert "Other articles that mention Helen Marsh" in names  # the dynamic part follows
        assert names.index("Other articles that mention Helen Marsh") > names.index(
            "List every key"
        )
        found = next(e for e in screen.palette_commands() if e[0].startswith("Other articles"))
        assert found[1] == "key: m on the entity"
        await app.pop_screen()  # opened straight into the article: the library is made now
        await settle(pilot, wait_for_workers)
        library = app.screen
        assert isinstance(library, LibraryScreen)
        await _each_command_runs_its_action(library, actions.LIBRARY, monkeypatch)


async def test_the_palette_runs_a_catalogue_command_by_name(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        assert screen.query_one("#sidebar").display
        await pilot.press("ctrl+p", *"show or hide the sidebar", "enter")
        await settle(pilot, wait_for_workers)
        assert app.screen is screen
        assert not screen.query_one("#sidebar").display
