"""Every key of the app, grouped by screen: the one list `?` shows and the README copies.

The keys themselves live where Textual needs them, in each screen's and widget's own
`BINDINGS` (plus `KEYS_EXTRA` for what is not a binding: the mouse, key sequences). This
module only reads those declared lists, never a screen's active bindings, so the help
holds this app's keys and not what Textual's widgets inherit ("Scroll Left", "Copy
selected text"). `tests/test_keymap.py` checks that README.md's keys table is
`markdown_table()` exactly, so the README cannot drift from the app.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from textual.binding import Binding, BindingType
from textual.keys import format_key


@dataclass(frozen=True)
class KeyGroup:
    title: str
    rows: tuple[tuple[str, str], ...]
    """(keys as shown, what they do)."""


def key_display(key: str) -> str:
    """ "ctrl+o" stays "ctrl+o"; "question_mark" becomes "?", "left_square_bracket" "["."""
    *modifiers, name = key.split("+")
    shown = {"space": "space", "apostrophe": "'"}.get(name) or format_key(name)
    return "+".join([*modifiers, shown])


def _bindings(declared: Iterable[BindingType]) -> list[Binding]:
    found: list[Binding] = []
    for item in declared:
        if isinstance(item, Binding):
            found.append(item)
        elif len(item) == 2:
            found.append(Binding(item[0], item[1]))
        else:
            found.append(Binding(item[0], item[1], item[2]))
    return found


def rows_of(
    declared: Iterable[BindingType], extra: Sequence[tuple[str, str]] = ()
) -> tuple[tuple[str, str], ...]:
    """One row per description, its keys joined, in declaration order."""
    rows: dict[str, list[str]] = {}
    for binding in _bindings(declared):
        description = binding.description or binding.action
        keys = rows.setdefault(description, [])
        for key in binding.key.split(","):
            shown = binding.key_display or key_display(key.strip())
            if shown not in keys:
                keys.append(shown)
    return tuple((" / ".join(keys), d) for d, keys in rows.items()) + tuple(extra)


def _sources() -> list[tuple[str, type[Any], tuple[type[Any], ...]]]:
    """(title, screen class, widget classes whose own keys belong to that screen)."""
    from reader.ui import panes
    from reader.ui.app import ReaderApp
    from reader.ui.dialogs.links import LinksDialog
    from reader.ui.screens.library import LibraryScreen
    from reader.ui.screens.reading import ReadingScreen
    from reader.ui.screens.review import ReviewScreen
    from reader.ui.screens.search import SearchScreen
    from reader.ui.screens.summary import SummaryScreen
    from reader.ui.widgets.vim_list import VimOptionList

    with_keys = tuple(cls for cls in panes.PANES if "BINDINGS" in vars(cls))
    return [
        ("Library", LibraryScreen, ()),
        ("Reading", ReadingScreen, ()),
        ("Reading: a focused pane (1, 2, 3)", panes.Pane, (VimOptionList, *with_keys)),
        ("Reading: the links (l)", LinksDialog, (VimOptionList,)),
        ("Summary", SummaryScreen, (VimOptionList,)),
        ("Search", SearchScreen, (VimOptionList,)),
        ("Review", ReviewScreen, ()),
        ("Everywhere", ReaderApp, ()),
    ]


def groups() -> list[KeyGroup]:
    found: list[KeyGroup] = []
    for title, owner, widgets in _sources():
        declared: list[BindingType] = list(vars(owner).get("BINDINGS", []))
        for widget in widgets:
            declared.extend(vars(widget)["BINDINGS"])
        extra: Sequence[tuple[str, str]] = vars(owner).get("KEYS_EXTRA", ())
        found.append(KeyGroup(title, rows_of(declared, extra)))
    return found


def groups_for(screen: object) -> list[KeyGroup]:
    """All groups, the ones for `screen` first: what `?` shows there."""
    every = groups()
    own = {title for title, owner, _ in _sources() if isinstance(screen, owner)}
    if "Reading" in own:
        own.add("Reading: a focused pane (1, 2, 3)")
    return [g for g in every if g.title in own] + [g for g in every if g.title not in own]


def markdown_table() -> str:
    """The README's keys section body: a table per screen."""
    parts: list[str] = []
    for group in groups():
        parts.append(f"**{group.title}**\n\n| key | does |\n|---|---|")
        for keys, does in group.rows:
            cell = keys.replace("|", "\\|")
            parts.append(f"| `{cell}` | {does} |" if "`" not in cell else f"| {cell} | {does} |")
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"
