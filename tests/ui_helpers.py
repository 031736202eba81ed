"""Pilot-test helpers shared by the UI test modules: a deterministic app and a settle step."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from reader.ui.app import ReaderApp
from reader.ui.screens.reading import ReadingScreen
from tests.conftest import FIXED_NOW, fake_analyze


def make_app(home: Path, **kwargs: Any) -> ReaderApp:
    """The app with the fast fake analyzer and a fixed clock, so screens are repeatable."""
    return ReaderApp(home, analyzer=fake_analyze, now=lambda: FIXED_NOW, **kwargs)


async def settle(pilot: Any, wait_for_workers: Callable[[Any], Awaitable[None]]) -> None:
    """Let pending messages run, every worker finish, and their results land on screen."""
    await pilot.pause()
    await wait_for_workers(pilot.app)
    await pilot.pause()


def reading(app: ReaderApp) -> ReadingScreen:
    assert isinstance(app.screen, ReadingScreen), app.screen
    return app.screen
