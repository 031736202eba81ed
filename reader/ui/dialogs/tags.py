"""`T`: edit an article's tags as one comma-separated line.

One Input rather than a checklist: adding a new tag and removing an old one are the same
gesture (edit the line, press enter), and the tags already used in the library are listed
under it so spelling stays consistent. The dialog saves through the caller's `save` (on
the UI thread, like every store call) and closes only once that went through: tags the
store refused stay in the box, with the reason (see reader.ui.dialogs.save_failure).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from reader.ui.dialogs.save_failure import SaveFailure
from reader.ui.text import one_line

if TYPE_CHECKING:
    from reader.store import ArticleRecord, Library


def parse_tags(line: str) -> list[str]:
    """'coast, floods ,, tide' -> ['coast', 'floods', 'tide'] (order kept, blanks dropped)."""
    seen: dict[str, str] = {}
    for part in line.split(","):
        tag = one_line(part)
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return list(seen.values())


class TagsDialog(ModalScreen[list[str] | None]):
    """Dismisses with the saved tag list on enter, None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        tags: Sequence[str],
        known: Iterable[str] = (),
        *,
        save: Callable[[list[str]], object],
    ) -> None:
        super().__init__(classes="dialog")
        self.article_title = title
        self.tags = list(tags)
        self.known = sorted(set(known), key=str.casefold)
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label("Tags", markup=False)
            yield Static(Text(one_line(self.article_title, "Untitled"), style="italic"))
            yield Input(
                ", ".join(self.tags),
                placeholder="tag, another tag",
                id="tags",
                select_on_focus=False,  # adding a tag is the usual edit: keep the others
            )
            if self.known:
                yield Static(
                    Text("In your library: " + ", ".join(one_line(t) for t in self.known)),
                    classes="hint",
                    id="known-tags",
                )
            yield SaveFailure("Tags", "enter")
            yield Label(
                "comma-separated · enter to save · escape to cancel", classes="hint", markup=False
            )

    def on_mount(self) -> None:
        box = self.query_one(Input)
        box.focus()
        box.cursor_position = len(box.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        tags = parse_tags(event.value)
        if self.query_one(SaveFailure).attempt(lambda: self.save(tags)):
            self.dismiss(tags)

    def save_before_quit(self) -> bool:
        """Quitting keeps the edit: saved like enter, unless nothing changed."""
        tags = parse_tags(self.query_one(Input).value)
        if tags == self.tags:
            return True
        if not self.query_one(SaveFailure).attempt(lambda: self.save(tags)):
            return False
        self.dismiss(tags)
        return True

    def action_cancel(self) -> None:
        self.dismiss(None)


def edit_tags(
    owner: Widget,
    library: Library,
    article_id: str,
    changed: Callable[[ArticleRecord], Any],
) -> None:
    """Open the dialog for `article_id`, save the result, tell the reader, call `changed`."""
    from reader.store import StoreError

    if library.read_only:
        owner.notify("The library is read-only; tags cannot be saved now.", severity="error")
        return
    try:
        record = library.get(article_id)
        known = {tag for r in library.articles() for tag in r.tags}
    except StoreError as error:
        owner.notify(one_line(str(error)), severity="error", markup=False)
        return

    saved: list[ArticleRecord] = []

    def save(tags: list[str]) -> None:
        saved.append(library.set_tags(article_id, tags))

    def chosen(tags: list[str] | None) -> None:
        if tags is None or not saved:
            return
        updated = saved[-1]
        shown = ", ".join(updated.tags) if updated.tags else "none"
        owner.notify(f"Tags: {shown}.", markup=False)
        changed(updated)

    owner.app.push_screen(TagsDialog(record.title, record.tags, known, save=save), chosen)
