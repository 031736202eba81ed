"""An option that holds the object it shows (frogmouth's navigation panes do the same).

A list's handler reads what was chosen from the option itself: no id like "entity-3" is
written into the option only to be parsed back, and no side table maps ids to objects.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from rich.text import Text
from textual.widgets.option_list import Option

T = TypeVar("T")


class ItemOption(Option, Generic[T]):
    def __init__(self, prompt: Text, item: T, *, id: str | None = None) -> None:
        """`id` only lets tests and `get_option` find a line; nothing reads it back."""
        super().__init__(prompt, id=id)
        self.item = item


def item_of(option: Option | None, kind: type[T]) -> T | None:
    """The `kind` object `option` holds, or None (a heading, a message, another kind)."""
    if isinstance(option, ItemOption) and isinstance(option.item, kind):
        return option.item
    return None
