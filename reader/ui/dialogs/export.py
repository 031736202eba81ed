"""Export to Markdown: ask for a folder (the last one used, else ~/reader-export), write
one file per article with reader.study.export, and say what happened.

The writing runs on the UI thread: it reads the store (notes, highlights, texts), which
stays on that thread, and a few hundred small files take well under a second. Summaries
come from the analysis cache only, so nothing slow (the analyzer) runs here.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from textual.widget import Widget

from reader.ui.dialogs.path import PathDialog
from reader.ui.text import one_line

if TYPE_CHECKING:
    from reader.store import Library

EXPORT_SETTING = "export_dir"


def default_folder(library: Library) -> str:
    saved = library.get_setting(EXPORT_SETTING, "")
    if isinstance(saved, str) and saved.strip():
        return saved
    return str(Path("~") / "reader-export")


class ExportDialog(PathDialog):
    def __init__(self, what: str, folder: str) -> None:
        super().__init__(
            f"Export {one_line(what)} to Markdown, in the folder:",
            "one .md file per article · enter to export · escape to cancel",
            value=folder,
            placeholder="~/reader-export",
            input_id="folder",
        )


def export_articles(owner: Widget, library: Library, ids: list[str] | None, what: str) -> None:
    """Ask for a folder, export `ids` (None: every article) there, notify the result."""

    def chosen(folder: str | None) -> None:
        if folder is None:
            return
        from reader.store import StoreError
        from reader.study.export import export_markdown

        path = Path(folder).expanduser()
        skipped: list[str] = []
        try:
            written = export_markdown(library, path, ids, notices=skipped)
        except (StoreError, OSError) as error:
            owner.notify(
                one_line(str(error)), title="Export failed", severity="error", markup=False
            )
            return
        if not library.read_only:
            with contextlib.suppress(StoreError):  # the export is done; remembering is a nicety
                library.set_setting(EXPORT_SETTING, folder)
        for notice in skipped:  # a damaged text costs only its own article
            owner.notify(one_line(notice), title="Left out", severity="warning", markup=False)
        count = len(written)
        owner.notify(
            f"Exported {count} article{'s' if count != 1 else ''} to {one_line(str(path))}.",
            title="Export",
            markup=False,
        )

    owner.app.push_screen(ExportDialog(what, default_folder(library)), chosen)
