"""Pilot-test helpers shared by the UI test modules: a deterministic app and a settle step."""

from __future__ import annotations

import functools
import inspect
import threading
import unicodedata
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

from reader.store import Library
from reader.ui.app import ReaderApp
from reader.ui.screens.reading import ReadingScreen
from tests.conftest import FIXED_NOW, fake_analyze


def make_app(home: Path, **kwargs: Any) -> ReaderApp:
    """The app with the fast fake analyzer and a fixed clock, so screens are repeatable."""
    return ReaderApp(home, analyzer=fake_analyze, now=lambda: FIXED_NOW, **kwargs)


async def settle(pilot: Any, wait_for_workers: Callable[[Any], Awaitable[None]]) -> None:
    """Let pending messages run, every worker finish, and their results land on screen."""
    await keys_handled(pilot)
    await wait_for_workers(pilot.app)
    await pilot.pause()


def reading(app: ReaderApp) -> ReadingScreen:
    assert isinstance(app.screen, ReadingScreen), app.screen
    return app.screen


def key_event(key: str) -> events.Key:
    """The Key event a terminal sends for `key`, made exactly as App._press_keys makes it."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    char: str | None
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def burst(app: App[Any], *keys: str) -> None:
    """Queue every key on the app at once, as a paste or a fast typist does.

    `pilot.press` waits for the app to go idle after each key, so it never shows what
    happens when keys arrive faster than screens mount and focus moves; this does.
    """
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app.post_message(event)


async def keys_handled(pilot: Any) -> None:
    """Wait until every key posted so far has been handled to the end (see key_gate)."""
    await pilot.pause()
    gate = pilot.app.key_gate
    if not gate.idle:
        await gate.wait_idle()
        await pilot.pause()


async def wait_until(pilot: Any, condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Pause until `condition` holds: for what timers do (autosave, retries), on any machine."""
    waited = 0.0
    while not condition():
        assert waited < timeout, "timed out"
        await pilot.pause(0.05)
        waited += 0.05


def store_threads(monkeypatch: pytest.MonkeyPatch) -> set[int]:
    """The threads that call the Library from now on, through any public method: the UI
    thread alone may (the rules are in reader.ui)."""
    seen: set[int] = set()
    for name in dir(Library):
        static = inspect.getattr_static(Library, name)
        if name.startswith("_") or not inspect.isfunction(static):
            continue

        def recorded(method: Callable[..., Any] = static) -> Callable[..., Any]:
            @functools.wraps(method)
            def call(self: Library, *args: Any, **kwargs: Any) -> Any:
                seen.add(threading.get_ident())
                return method(self, *args, **kwargs)

            return call

        monkeypatch.setattr(Library, name, recorded())
    return seen
