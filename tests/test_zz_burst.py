from pathlib import Path
from typing import Any
import unicodedata
from textual import events
from textual.keys import _character_to_key, _get_unicode_name_from_key, REPLACED_KEYS
from reader.store import Library
from tests.ui_helpers import make_app, reading, settle

def burst(app, *keys):
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        original_key = REPLACED_KEYS.get(key, key)
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(original_key))
        except KeyError:
            char = key if len(key) == 1 else None
        ev = events.Key(key, char)
        ev.set_sender(app)
        app._driver.send_message(ev)

async def test_burst(seeded_home: Path, barrier_id: str, wait_for_workers: Any) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        burst(app, "n", *"Fast note then save", "ctrl+s")
        await pilot.pause(); await pilot.pause()
        print("SCREEN", app.screen, app.screen_stack)
        await pilot.press("ctrl+q")
    with Library.open(seeded_home, read_only=True) as lib:
        print("NOTES", lib.notes(barrier_id))
async def test_burst2(seeded_home: Path, barrier_id: str, wait_for_workers: Any) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        burst(app, "n", *"Fast note then save")
        await pilot.pause(0.1)
        from textual.widgets import TextArea
        print("TEXT", repr(app.screen.query_one(TextArea).text))
        burst(app, "ctrl+s")
        await pilot.pause(0.1)
        print("SCREEN", app.screen)
        await pilot.press("ctrl+q")
    with Library.open(seeded_home, read_only=True) as lib:
        print("NOTES", lib.notes(barrier_id))

async def test_burst3(seeded_home: Path, barrier_id: str, wait_for_workers: Any) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        burst(app, "n")
        await pilot.pause(0.1)
        burst(app, *"Fast note then save", "ctrl+s")
        await pilot.pause(0.1)
        print("SCREEN", app.screen)
        await pilot.press("ctrl+q")
    with Library.open(seeded_home, read_only=True) as lib:
        print("NOTES", lib.notes(barrier_id))
