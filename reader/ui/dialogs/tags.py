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
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from reader.ui.dialogs.discard_guard import DiscardGuard
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


def complete_tag(line: str, known: Sequence[str]) -> str | None:
    """`line` with its last tag completed from `known`, or None: 'coast, fl' -> 'coast,
    floods'. Matching ignores case and the completion takes the known spelling, so one tag
    is not kept twice as 'UK local' and 'UK Local'; tags already on the line are skipped."""
    head, comma, last = line.rpartition(",")
    typed = last.lstrip()
    if not typed:
        return None
    lead = last[: len(last) - len(typed)]
    taken = {tag.casefold() for tag in parse_tags(head)}
    prefix = typed.casefold()
    for tag in known:
        folded = tag.casefold()
        if folded.startswith(prefix) and len(folded) > len(prefix) and folded not in taken:
            return head + comma + lead + tag
    return None


class TagSuggester(Suggester):
    """Shows the completion of the tag being typed, dimmed after the cursor."""

    def __init__(self, known: Sequence[str]) -> None:
        super().__init__(case_sensitive=True)  # the line as typed: the others keep their case
        self.known = list(known)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_tag(value, self.known)


class TagInput(Input):
    """The tags line: right arrow or tab at the end takes the completion (tab without one
    moves focus on as usual). Both work it out afresh rather than use the suggestion on
    show, which a worker delivers a moment later: keys typed in a burst act as if typed
    slowly."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "complete", "Complete the tag", show=False)
    ]

    def __init__(self, value: str, known: Sequence[str], **kwargs: Any) -> None:
        super().__init__(value, suggester=TagSuggester(known), **kwargs)
        self.known = list(known)

    def _complete(self) -> bool:
        if not (self.cursor_at_end and self.selection.is_empty):
            return False
        done = complete_tag(self.value, self.known)
        if done is None:
            return False
        self.value = done
        self.cursor_position = len(done)
        return True

    def action_complete(self) -> None:
        if not self._complete():
            raise SkipAction()

    def action_cursor_right(self, select: bool = False) -> None:
        if select or not self._complete():
            super().action_cursor_right(select)


class TagsDialog(DiscardGuard[list[str] | None]):
    """Dismisses with the saved tag list on enter, None on escape (which asks first when
    the tags were changed)."""

    discard_question = "Discard your changes to the tags?"

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
            yield Static(
                Text(one_line(self.article_title, "Untitled"), style="italic"), classes="subject"
            )
            yield TagInput(
                ", ".join(self.tags),
                self.known,
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

    def has_unsaved_text(self) -> bool:
        return parse_tags(self.query_one(Input).value) != self.tags


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
