"""The command palette's reader commands: whatever the current screen offers.

Screens list their commands via `palette_commands()`: the ones their catalogue in
reader.ui.actions offers, then what exists only at run time (an opener per article); this
provider only matches and displays them. Prompts are rich `Text` and help is escaped,
because the palette treats plain strings as markup and article titles are user text.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from reader.ui.actions import PaletteEntry


@runtime_checkable
class HasCommands(Protocol):
    def palette_commands(self) -> list[PaletteEntry]: ...


class ReaderCommands(Provider):
    def _commands(self) -> list[PaletteEntry]:
        screen = self.screen
        if isinstance(screen, HasCommands):
            return screen.palette_commands()
        return []

    async def discover(self) -> Hits:
        for name, help_text, command in self._commands():
            if not name.startswith("Open: "):
                yield DiscoveryHit(Text(name), command, text=name, help=_help(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, command in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, Text(name), command, text=name, help=_help(help_text))


def _help(key: str) -> str | None:
    return escape(key) if key else None
