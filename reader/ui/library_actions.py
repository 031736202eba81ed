"""What the library screen's keys do to articles: open, add, delete and undo, the trash,
the feeds, and the doors to the study pages (review, search, summary, tags, export)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.widgets import DataTable, Input

from reader.plural import counted
from reader.ui.dialogs.confirm import ConfirmDialog
from reader.ui.dialogs.keys import keys_dialog
from reader.ui.library_rows import LibraryRows
from reader.ui.loading import load_article_or_notify
from reader.ui.messages import OpenArticle
from reader.ui.text import one_line

if TYPE_CHECKING:
    from reader.store import ArticleRecord


class LibraryActions(LibraryRows):
    """The article and study-page actions, over the rows' state."""

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.post_message(OpenArticle(str(event.row_key.value)))

    def action_add(self) -> None:
        from reader.ui.dialogs.add_article import AddArticleDialog

        def chosen(added: str | None) -> None:
            if added is not None:  # the dialog added (or found) it, or a folder of them
                self.reload(select=added)

        self.app.push_screen(AddArticleDialog(self.library), chosen)

    def action_delete(self) -> None:
        article_id = self.current_id()
        if article_id is None:
            return
        record = next((r for r in self.records if r.id == article_id), None)
        if record is None:
            return
        from reader.store import StoreError

        try:
            contents = self.library.delete_preview(article_id).contents
        except StoreError as error:
            self.notify(one_line(str(error)), severity="error", markup=False)
            return
        title = one_line(record.title, "Untitled")
        question = Text("Delete “")
        question.append(title)
        question.append("”")
        if contents:
            question.append(f" and its {contents}")
        question.append("?\n\nIt stays in the trash for 30 days: u in the library undoes it.")

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.library.delete(article_id)
            except StoreError as error:
                self.notify(one_line(str(error)), severity="error", markup=False)
                return
            self.reload()
            self.notify(
                f"Deleted “{title}”. Press u to undo; it stays in the trash for 30 days (U).",
                markup=False,
            )

        self.app.push_screen(ConfirmDialog(question), answered)

    def action_undo_delete(self, entry_id: str = "") -> None:
        """Put back the last deleted article (or the trash entry `entry_id`), cursor on it."""
        from reader.store import StoreError

        try:
            if not entry_id:
                last = self.library.last_deleted()
                if last is None:
                    self.notify("Nothing to undo: the trash is empty.", markup=False)
                    return
                entry_id = last.id
            restored = self.library.restore_deleted(entry_id)
        except StoreError as error:
            self.notify(one_line(str(error)), severity="error", markup=False)
            return
        self.reload(select=restored.entry.article_id)
        self.notify(one_line(restored.message), markup=False)

    def action_trash(self) -> None:
        from reader.store import StoreError
        from reader.ui.dialogs.trash import TrashDialog

        try:
            entries = self.library.trash()
        except StoreError as error:
            self.notify(one_line(str(error)), severity="error", markup=False)
            return

        def chosen(entry_id: str | None) -> None:
            if entry_id:
                self.action_undo_delete(entry_id)

        self.app.push_screen(TrashDialog(entries), chosen)

    def action_feeds(self) -> None:
        """The feeds followed; `u` there updates them, and a chosen feed filters the list
        to its articles (`feed:"Title"`, as typed by hand)."""
        from reader.ui.dialogs.feeds import FeedsDialog

        def chosen(title: str | None) -> None:
            self.reload()  # an update may have brought new articles
            if title:
                box = self.query_one("#filter", Input)
                box.display = True
                quoted = title.replace('"', "")
                box.value = f'feed:"{quoted}"'  # Input.Changed filters the rows
                self.query_one(DataTable).focus()

        self.app.push_screen(FeedsDialog(self.library), chosen)

    # ------------------------------------------------------------ study pages

    def _current_record(self) -> ArticleRecord | None:
        article_id = self.current_id()
        return next((r for r in self.records if r.id == article_id), None)

    def action_review(self) -> None:
        from reader.ui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.library, now=self.now, analyzer=self._analyze))

    def action_search(self) -> None:
        from reader.ui.screens.search import SearchScreen, open_hit

        self.app.push_screen(SearchScreen(), lambda hit: open_hit(self, hit))

    def action_summary(self) -> None:
        from reader.ui.screens.summary import SummaryScreen

        record = self._current_record()
        article = (
            None if record is None else load_article_or_notify(self.app, self.library, record.id)
        )
        if record is None or article is None:
            return

        def chosen(offset: int | None) -> None:
            if offset is not None:
                self.post_message(OpenArticle(record.id, offset))

        screen = SummaryScreen(self.library, record, article, analysis=None, analyzer=self._analyze)
        self.app.push_screen(screen, chosen)

    def action_tags(self) -> None:
        from reader.ui.dialogs.tags import edit_tags

        record = self._current_record()
        if record is not None:
            edit_tags(self, self.library, record.id, lambda updated: self.reload(updated.id))

    def action_export(self) -> None:
        from reader.ui.dialogs.export import export_articles

        record = self._current_record()
        if record is not None:
            title = f"“{one_line(record.title, 'Untitled')}”"
            export_articles(self, self.library, [record.id], title)

    def action_export_all(self) -> None:
        from reader.ui.dialogs.export import export_articles

        if self.records:
            count = len(self.records)
            what = "the one article" if count == 1 else f"all {counted(count, 'article')}"
            export_articles(self, self.library, None, what)

    def action_keys(self) -> None:
        self.app.push_screen(keys_dialog(self))
