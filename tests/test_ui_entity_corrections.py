"""The reader corrects the entities pane: `r` retypes a name, `X` hides it; both hold for the
whole library, in every article naming it, and survive a fresh analysis."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reader.nlp.analysis import Analysis
from reader.store import Library
from reader.store.entity_corrections import name_key
from reader.ui.app import ReaderApp
from reader.ui.dialogs.entity_kind import EntityKindDialog
from reader.ui.panes.entities import EntitiesPane
from tests.conftest import FIXED_NOW, fake_analyze
from tests.ui_helpers import burst, keys_handled, make_app, reading, settle


def groups(pane: EntitiesPane) -> dict[str, list[str]]:
    """What the pane shows: each heading ("Places", "Not names") with the names under it."""
    shown: dict[str, list[str]] = {}
    heading = ""
    for i in range(pane.option_count):
        option = pane.get_option_at_index(i)
        text = str(option.prompt)
        if option.disabled:
            heading = text.split(" (")[0]
            shown[heading] = []
        else:
            shown[heading].append(text.strip().rsplit(" ×", 1)[0])
    return shown


def other_id(home: Path) -> str:
    """The synthetic article that also names Brackenmouth (the fake analyzer finds it)."""
    with Library.open(home, read_only=True) as lib:
        return next(r.id for r in lib.articles() if r.title.startswith("Orbital"))


def corrections(home: Path) -> dict[str, tuple[str | None, bool]]:
    with Library.open(home, read_only=True) as lib:
        return {c.name: (c.label, c.hidden) for c in lib.entity_corrections().values()}


async def choose(pilot: Any, pane: EntitiesPane, name: str) -> None:
    """Focus the pane with `1` and walk down to `name`, as the reader does."""
    await pilot.press("1")
    for _ in range(pane.option_count):
        entity = pane.chosen_entity
        if entity is not None and entity.name == name:
            return
        await pilot.press("down")
    raise AssertionError(f"{name} is not in the pane")


async def test_retype_applies_everywhere_and_survives_reanalysis(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        pane = reading(app).query_one(EntitiesPane)
        assert "Brackenmouth" in groups(pane)["Places"]
        await choose(pilot, pane, "Brackenmouth")
        await pilot.press("r")
        await keys_handled(pilot)
        assert isinstance(app.screen, EntityKindDialog)
        await pilot.press("o")
        await keys_handled(pilot)
        shown = groups(pane)
        assert "Brackenmouth" in shown["Organisations"]
        assert "Brackenmouth" not in shown.get("Places", [])
        assert pane.chosen_entity is not None and pane.chosen_entity.name == "Brackenmouth"
        await pilot.press("ctrl+q")
    assert corrections(seeded_home) == {"Brackenmouth": ("ORG", False)}

    # Another article naming Brackenmouth shows it retyped too.
    app = make_app(seeded_home, open_article=other_id(seeded_home))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        assert groups(reading(app).query_one(EntitiesPane)) == {"Organisations": ["Brackenmouth"]}

    # A fresh analysis (no cache, a new analyzer run) still shows the correction.
    runs: list[str] = []

    def analyze_again(text: str) -> Analysis:
        runs.append(text)
        return fake_analyze(text)

    app = ReaderApp(
        seeded_home, analyzer=analyze_again, now=lambda: FIXED_NOW, open_article=barrier_id
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        assert runs == [screen.text]
        shown = groups(screen.query_one(EntitiesPane))
        assert "Brackenmouth" in shown["Organisations"]
        assert screen.analysis is not None
        cached = {e.name: e.label for e in screen.analysis.entities}
        assert cached["Brackenmouth"] == "PLACE"  # the analysis itself is left as it was


async def test_hide_is_library_wide_and_undone_by_the_same_key(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        pane = reading(app).query_one(EntitiesPane)
        await choose(pilot, pane, "Brackenmouth")
        await pilot.press("X")
        await keys_handled(pilot)
        shown = groups(pane)
        assert shown["Not names"] == ["Brackenmouth"]
        assert "Brackenmouth" not in shown["Places"]
        await pilot.press("ctrl+q")
    assert corrections(seeded_home) == {"Brackenmouth": (None, True)}

    app = make_app(seeded_home, open_article=other_id(seeded_home))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        pane = reading(app).query_one(EntitiesPane)
        assert groups(pane) == {"Not names": ["Brackenmouth"]}
        await choose(pilot, pane, "Brackenmouth")
        await pilot.press("delete")  # the other hide key, on a hidden name: it is one after all
        await keys_handled(pilot)
        assert groups(pane) == {"Places": ["Brackenmouth"]}
        await pilot.press("ctrl+q")
    assert corrections(seeded_home) == {}


async def test_retype_back_and_hide_keep_each_other(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    """Hiding a retyped name keeps its kind for when it comes back; choosing the tagger's
    own kind again leaves no retype behind."""
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        pane = reading(app).query_one(EntitiesPane)
        await choose(pilot, pane, "Norfolk")
        burst(app, "r", "m", "X")  # typed fast: the dialog takes "m", the pane "X"
        await keys_handled(pilot)
        assert groups(pane)["Not names"] == ["Norfolk"]
        with Library.open(seeded_home, read_only=True) as lib:
            fix = lib.entity_corrections()[name_key("norfolk")]
        assert (fix.label, fix.hidden) == ("MISC", True)
        await pilot.press("X")
        await keys_handled(pilot)
        assert groups(pane)["Other"] == ["Norfolk"]
        await pilot.press("r", "l")
        await keys_handled(pilot)
        assert "Norfolk" in groups(pane)["Places"]
        await pilot.press("ctrl+q")
    assert corrections(seeded_home) == {}


async def test_a_read_only_window_refuses_corrections(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    with Library.open(seeded_home):  # another window holds the lock
        app = make_app(seeded_home, open_article=barrier_id)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, wait_for_workers)
            pane = reading(app).query_one(EntitiesPane)
            await choose(pilot, pane, "Brackenmouth")
            await pilot.press("X")
            await keys_handled(pilot)
            assert "Brackenmouth" in groups(pane)["Places"]
            assert "Not names" not in groups(pane)
    assert corrections(seeded_home) == {}
