"""Where the reader jumped from, so a jump can be undone (vim's ctrl+o and '').

Jumps are what moves the cursor without reading: `g`/`G`, a summary line, a search hit, a
review card's passage, an entity's mentions. Each one remembers the offset it left.
`back` walks the list back, jump by jump (ctrl+o); `toggle` returns to the last place left
and remembers the place it came from instead, so pressing it twice comes back (').
Offsets, not sentence numbers, so the list survives the analysis replacing the provisional
sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LIMIT = 100


@dataclass
class JumpList:
    _back: list[int] = field(default_factory=list)

    def jumped(self, origin: int, target: int) -> None:
        """A jump from `origin` to `target`; a jump to where one already is is no jump."""
        if origin == target:
            return
        if self._back and self._back[-1] == origin:
            return
        self._back.append(origin)
        del self._back[:-LIMIT]

    def back(self, here: int) -> int | None:
        """The last place jumped from, other than `here`, taken off the list."""
        while self._back:
            target = self._back.pop()
            if target != here:
                return target
        return None

    def toggle(self, here: int) -> int | None:
        """The last place jumped from; `here` takes its place on the list."""
        target = self.back(here)
        if target is not None:
            self._back.append(here)
        return target

    def __len__(self) -> int:
        return len(self._back)
