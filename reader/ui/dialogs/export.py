"""Export to Markdown: ask for a folder (the last one used, else ~/reader-export), write
one file per article with reader.study.export, and say what happened.

The writing runs on the UI thread: it reads the store (notes, highlights, texts), which
stays on that thread, and a few hundred small files take well under a second. Summaries
come from the analysis cache only, so nothing slow (the analyzer) runs here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label

from reader.ui.text import one_line

if TYPE_CHECKING:
    from reader.store import Library

EXPORT_SETTING = "export_dir"


def default_folder(library: Library) -> str:
    saved = library.get_setting(EXPORT_SETTING, "")
    if isinstance(saved, str) and saved.strip():
        return saved
    return str(Path("~") / "reader-export")


class ExportDialog(ModalScreen[str | None]):
    """Dismisses with the folder typed, None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, what: str, folder: str) -> None:
        super().__init__(classes="dialog")
        self.what = what
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label(f"Export {one_line(self.what)} to Markdown, in the folder:", markup=False)
            yield Input(self.folder, placeholder="~/reader-export", id="folder")
            yield Label(
                "one .md file per article · enter to export · escape to cancel",
                classes="hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        self.dismiss(value or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def export_articles(owner: Widget, library: Library, ids: list[str] | None, what: str) -> None:
    """Ask for a folder, export `ids` (None: every article) there, notify the result."""

    def chosen(folder: str | None) -> None:
        if folder is None:
            return
        from reader.store import StoreError
        from reader.study.export import export_markdown

        path = Path(folder).expanduser()
        try:
            written = export_markdown(library, path, ids)
        except (StoreError, OSError) as error:
            owner.notify(
                one_line(str(error)), title="Export failed", severity="error", markup=False
            )
            return
        if not library.read_only:
            library.set_setting(EXPORT_SETTING, folder)
        count = len(written)
        owner.notify(
            f"Exported {count} article{'s' if count != 1 else ''} to {one_line(str(path))}.",
            title="Export",
            markup=False,
        )

    owner.app.push_screen(ExportDialog(what, default_folder(library)), chosen)
