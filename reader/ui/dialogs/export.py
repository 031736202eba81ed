"""Export to Markdown: ask for a folder, write one file per article with
reader.study.export, and say what happened.

The folder offered is the last one used, else `reader-export` inside the data home: the
home is the one place this library is known to own (with `READER_HOME` or `--home`
pointing elsewhere, a folder in the user's home directory would mix libraries' exports),
and the path is shown in full in the dialog and in the notice, so it is easy to find.

The writing runs on the UI thread: it reads the store (notes, highlights, texts), which
stays on that thread, and a few hundred small files take well under a second. Summaries
come from the analysis cache only, so nothing slow (the analyzer) runs here; articles
never analysed are exported without one and named in a warning (reader.study.unanalysed).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from textual.widget import Widget

from reader.plural import counted
from reader.ui.dialogs.path import PathDialog
from reader.ui.text import one_line

if TYPE_CHECKING:
    from reader.store import Library

EXPORT_SETTING = "export_dir"
EXPORT_FOLDER = "reader-export"
UNANALYSED_ADVICE = "Open an article once to analyse it, then export again."


def default_folder(library: Library) -> str:
    saved = library.get_setting(EXPORT_SETTING, "")
    if isinstance(saved, str) and saved.strip():
        return saved
    return str(library.home / EXPORT_FOLDER)


class ExportDialog(PathDialog):
    discard_question = "Discard the folder you typed?"

    def __init__(self, what: str, folder: str) -> None:
        super().__init__(
            "Export to Markdown, one .md file per article, in the folder:",
            "tab completes · enter to export · escape to cancel",
            value=folder,
            placeholder=folder,
            input_id="folder",
            subject=what,
            folders_only=True,
        )


def export_articles(owner: Widget, library: Library, ids: list[str] | None, what: str) -> None:
    """Ask for a folder, export `ids` (None: every article) there, notify the result."""

    def chosen(folder: str | None) -> None:
        if folder is None:
            return
        from reader.store import StoreError
        from reader.study.export import export_markdown
        from reader.study.unanalysed import NoAnalysis, describe

        path = Path(folder).expanduser()
        skipped: list[str] = []
        unanalysed = NoAnalysis()
        try:
            written = export_markdown(library, path, ids, analyze=unanalysed, notices=skipped)
            titles = [one_line(r.title, "Untitled") for r in unanalysed.records(library, ids)]
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
        if unanalysed.count:
            owner.notify(
                describe(unanalysed.count, [_short(t) for t in titles], UNANALYSED_ADVICE),
                title="No summary",
                severity="warning",
                markup=False,
            )
        count = len(written)
        owner.notify(
            f"Exported {counted(count, 'article')} to {one_line(str(path))}.",
            title="Export",
            markup=False,
        )

    owner.app.push_screen(ExportDialog(what, default_folder(library)), chosen)


def _short(title: str, limit: int = 50) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"
