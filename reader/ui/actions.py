"""Every action a screen offers, once: its keys, what the footer and `?` call it, and how
the command palette words it.

Each screen's `BINDINGS` is made from its list here (`bindings`), and so is the fixed part
of its palette (`palette_entries`); reader.ui.keymap reads those BINDINGS for the keys
dialog and the README's table. What only exists at run time (an "Open: <title>" per
article, one "Other articles that mention <name>" per entity, a sort per column) stays in
the screen's `palette_commands`, after the generated entries. The lists are in the order
the keys dialog shows them, and the palette offers them in the same order.

Plain data, like harlequin's actions.py: nothing here imports a screen.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.actions import parse
from textual.binding import Binding, BindingType

from reader.ui.keymap import key_display

if TYPE_CHECKING:
    from textual.dom import DOMNode

PaletteEntry = tuple[str, str, Callable[[], object]]
"""(what the palette says, its help: the key, the function it runs)."""


@dataclass(frozen=True)
class Action:
    name: str
    """The Textual action, with its arguments: "move(1)", "focus_pane('notes')"."""
    keys: str = ""
    """Binding keys, comma-separated ("j,down"); empty for a palette-only command."""
    description: str = ""
    """The footer's and the keys dialog's words."""
    palette: str | bool = False
    """The palette's words; True: the description as it is; False: not in the palette."""
    show: bool = True
    """In the footer."""
    priority: bool = False

    @property
    def palette_name(self) -> str:
        if self.palette is True:
            return self.description
        return self.palette or ""

    def binding(self) -> Binding:
        return Binding(
            self.keys, self.name, self.description, show=self.show, priority=self.priority
        )

    def hint(self) -> str:
        """ "key: h": the first of its keys, as the palette's help line."""
        if not self.keys:
            return ""
        key = self.keys.split(",")[0].strip()
        return f"key: {'escape' if key == 'escape' else key_display(key)}"


def hint_of(actions: Sequence[Action], name: str) -> str:
    """The palette help of the action called `name`, for a screen's own commands."""
    return next(action.hint() for action in actions if action.name == name)


def bindings(actions: Sequence[Action]) -> list[BindingType]:
    """A screen's BINDINGS: every action with keys, in catalogue order."""
    return [action.binding() for action in actions if action.keys]


def run_now(node: DOMNode, action: str) -> None:
    """Run `action` ("mention(1)") on `node` at once, as the palette's command."""
    _namespace, name, parameters = parse(action)
    result = getattr(node, f"action_{name}")(*parameters)
    if inspect.isawaitable(result):
        node.run_worker(result)


def palette_entries(node: DOMNode, actions: Sequence[Action]) -> list[PaletteEntry]:
    """The palette's commands for the actions that offer one and that `check_action`
    allows now (review's "Show the answer" only on a card with one)."""
    entries: list[PaletteEntry] = []
    for action in actions:
        if not action.palette_name:
            continue
        _namespace, name, parameters = parse(action.name)
        if node.check_action(name, parameters) is True:
            entries.append((action.palette_name, action.hint(), _runner(node, action.name)))
    return entries


def _runner(node: DOMNode, action: str) -> Callable[[], None]:
    return lambda: run_now(node, action)


BACK_TO_LIBRARY = "Back to the library"
LIST_KEYS = "List every key"
SEARCH_LIBRARY = "Search articles, notes and highlights"

APP: tuple[Action, ...] = (Action("quit", "ctrl+q", "Quit", show=False, priority=True),)

LIBRARY: tuple[Action, ...] = (
    Action("filter", "slash", "Filter", "Filter the library"),
    Action("add", "a", "Add", "Add an article from a file"),
    Action("review", "r", "Review", "Review cards due (highlights, notes, key sentences)"),
    Action("search", "f,ctrl+f", "Search", SEARCH_LIBRARY),
    Action("summary", "S", "Summary", "Summary of the selected article", show=False),
    Action("tags", "T", "Tags", "Tags of the selected article", show=False),
    Action(
        "export",
        "e",
        "Export to Markdown",
        "Export the selected article to Markdown",
        show=False,
    ),
    Action(
        "export_all", "E", "Export all to Markdown", "Export all articles to Markdown", show=False
    ),
    Action("delete", "d,delete", "Delete", "Delete the selected article", show=False),
    Action("undo_delete", "u", "Undo the last delete", show=False),
    Action("trash", "U", "Trash: restore a deleted article", show=False),
    Action("feeds", "F", "Feeds", "Feeds: update them, or see one's articles", show=False),
    Action("sort_next", "o", "Sort"),
    Action("sort_reverse", "R", "Reverse sort", "Reverse the sort order", show=False),
    Action("app.quit", "q", "Quit"),
    Action("keys", "question_mark", "Keys", LIST_KEYS),
    Action("clear_filter", "escape", "Clear filter", show=False),
    Action("move(1)", "j", "Next article", show=False),
    Action("move(-1)", "k", "Previous article", show=False),
    Action("top", "g", "First article", show=False),
    Action("bottom", "G", "Last article", show=False),
    Action("half_page(1)", "ctrl+d", "Half a page down", show=False),
    Action("half_page(-1)", "ctrl+u", "Half a page up", show=False),
)

READING: tuple[Action, ...] = (
    Action("move(1)", "j,down", "Next sentence", show=False),
    Action("move(-1)", "k,up", "Previous sentence", show=False),
    Action("page(1)", "space,pagedown", "Page down", show=False),
    Action("page(-1)", "b,pageup", "Page up", show=False),
    Action("top", "g,home", "Top", "Go to the top of the article", show=False),
    Action("bottom", "G,end", "Bottom", "Go to the end of the article", show=False),
    Action("contents", "c", "Contents: jump to a chapter", palette=True, show=False),
    Action("chapter(1)", "right_curly_bracket", "Next chapter", palette=True, show=False),
    Action("chapter(-1)", "left_curly_bracket", "Previous chapter", palette=True, show=False),
    # Find: n/N/escape mean these only while a search is shown (see check_action);
    # otherwise n is the note and escape goes back, the actions further down.
    Action("find(1)", "slash", "Find", show=False),
    Action("find(-1)", "ctrl+r", "Find backward", show=False),
    Action("find_next(1)", "n", "Next match"),
    Action("find_next(-1)", "N", "Previous match", show=False),
    Action("clear_find", "escape", "Clear the search"),
    Action("jump_back", "ctrl+o", "Back to where you jumped from", show=False),
    Action("jump_toggle", "apostrophe", "Between the last two places", show=False),
    Action("toggle_finished", "F", "Mark finished or not", show=False),
    Action("highlight", "h", "Highlight", "Highlight the current sentence (or the selection)"),
    Action("select", "v", "Select sentences", "Select several sentences to highlight", show=False),
    Action("remove_highlight", "u", "Remove highlight", "Remove the highlight here", show=False),
    Action("add_note", "n", "Note", "Add a note on the current sentence"),
    Action("edit_note", "e", "Edit note", "Edit the note here", show=False),
    Action("delete_note", "x", "Delete note", "Delete the note here", show=False),
    Action("summary", "S", "Summary", "Summary page: key sentences, highlights, notes"),
    Action("tags", "T", "Tags", "Tags of this article", show=False),
    Action("other_articles", "m", "Other articles naming the entity", show=False),
    Action("search", "ctrl+f", "Search the library", SEARCH_LIBRARY, show=False),
    Action("export", palette="Export this article to Markdown"),
    Action(
        "mention(1)",
        "right_square_bracket",
        "Next mention",
        "Next mention of the selected entity",
        show=False,
    ),
    Action(
        "mention(-1)",
        "left_square_bracket",
        "Previous mention",
        "Previous mention of the selected entity",
        show=False,
    ),
    Action("toggle_key", "t", "Key sentences", "Toggle key-sentence highlighting", show=False),
    Action("key_sentences(1)", "plus", "One key sentence more", show=False),
    Action("key_sentences(-1)", "minus", "One key sentence fewer", show=False),
    Action("toggle_sidebar", "s", "Sidebar", "Show or hide the sidebar"),
    Action("focus_pane('entities')", "1", "Entities pane", "Focus the entities pane", show=False),
    Action(
        "focus_pane('key-sentences')",
        "2",
        "Key sentences pane",
        "Focus the key sentences pane",
        show=False,
    ),
    Action("focus_pane('notes')", "3", "Notes pane", "Focus the notes pane", show=False),
    Action("focus_pane('article')", "0", "Text", show=False),
    Action(
        "toggle_scope",
        "C",
        "Panes: this chapter or the whole book",
        palette="Entities and key sentences: this chapter or the whole book",
        show=False,
    ),
    Action("back", "escape,q", "Back", BACK_TO_LIBRARY),
    Action(
        "links",
        "l",
        "Links of the sentence (or the screen)",
        "Open a link of the sentence in the browser",
        show=False,
    ),
    Action(
        "open_original",
        "o",
        "Open the original page in the browser",
        palette=True,
        show=False,
    ),
    Action("sideways(1)", "right", "Scroll code or a table on screen right", show=False),
    Action("sideways(-1)", "left", "Scroll code or a table on screen left", show=False),
    Action("keys", "question_mark", "Keys", LIST_KEYS),
)

SUMMARY: tuple[Action, ...] = (
    Action("back", "escape,q", "Back", palette=True),
    Action("keys", "question_mark", "Keys", LIST_KEYS),
)

SEARCH: tuple[Action, ...] = (
    Action("back", "escape", "Back", palette=True),
    Action("focus_input", "ctrl+f", "Edit the search", palette=True, show=False),
    Action("focus_hits", "down", "Go to the hits", show=False),
    Action("keys", "question_mark,f1", "Keys"),
)

REVIEW: tuple[Action, ...] = (
    Action("reveal_answer", "space,enter", "Show answer", "Show the answer (the blanked words)"),
    Action("reveal_note", "space,enter", "Show note", "Show the note of this card"),
    Action("rate(1)", "1", "Again", "Rate: Again", show=False),
    Action("rate(2)", "2", "Hard", "Rate: Hard", show=False),
    Action("rate(3)", "3", "Good", "Rate: Good", show=False),
    Action("rate(4)", "4", "Easy", "Rate: Easy", show=False),
    Action("open", "o", "Open in article", "Open this passage in the article"),
    Action("back", "escape,q", "Back", BACK_TO_LIBRARY),
    Action("keys", "question_mark", "Keys"),
)
