"""The Library's deleting and its trash: what a delete takes, undoing it, purging old ones."""

from __future__ import annotations

import contextlib

from reader.store.content import TextBatch, content_path, is_readable
from reader.store.errors import NotFound
from reader.store.events import ARTICLE_ADDED, ARTICLE_DELETED, HIGHLIGHT_CHANGED, NOTE_CHANGED
from reader.store.fields import now
from reader.store.library_base import LibraryBase, serialized
from reader.store.trash import (
    Restored,
    TrashEntry,
    article_of,
    collect,
    preview,
    put_back,
    take_out,
)


class TrashMixin(LibraryBase):
    @serialized
    def delete(self, article_id: str) -> TrashEntry:
        """Move the article with its notes, highlights, schedules and progress to the trash.

        The trash entry (reader.store.trash) is on disk before anything is removed; then
        every file changes together or none does (reader.store.staging), and the text goes
        last. A failure at any point leaves the library as it was; a crash leaves the
        article at worst both listed and in the trash. `restore_deleted(entry.id)` undoes it.
        """
        self._require_writable()
        self._get_record(article_id)
        bundle, article = collect(self._parts(), article_id, self.articles_dir)
        entry = self._trash.put(article_id, bundle)
        try:
            with self._together():
                take_out(self._parts(), article_id)
        except BaseException:
            with contextlib.suppress(OSError):
                self._trash.remove(entry.id)
            raise
        with contextlib.suppress(FileNotFoundError):
            content_path(self.articles_dir, article_id).unlink()
        if article is not None:
            self._trash.stash_cache(entry.id, self.cache_dir, article.text)
        self._emit(ARTICLE_DELETED, article_id)
        return entry

    @serialized
    def delete_preview(self, article_id: str) -> TrashEntry:
        """What `delete` would move to the trash (its `id` is ""), for the question asked first."""
        self._get_record(article_id)
        return preview(self._parts(), article_id, self.articles_dir)

    @serialized
    def trash(self) -> list[TrashEntry]:
        """Deleted articles still kept, newest first; one that cannot be read says why."""
        return self._trash.entries()

    @serialized
    def last_deleted(self) -> TrashEntry | None:
        """The newest trash entry (reads only that one), for undoing the last delete."""
        for entry_id in self._trash.ids():
            with contextlib.suppress(NotFound):
                return self._trash.read(entry_id)[0]
        return None

    @serialized
    def restore_deleted(self, entry_id: str) -> Restored:
        """Put a deleted article back with everything it had, under the same ids.

        NotFound for an entry no longer in the trash, DamagedFile for one that cannot be
        read (left as it is). If the same article was added again meanwhile, its old
        notes and highlights join the new ones (see reader.store.trash); `message` says
        so. All or nothing like `delete`; the entry is removed only once all is back.
        """
        self._require_writable()
        entry, bundle = self._trash.read(entry_id)
        article = article_of(bundle, entry)
        path = content_path(self.articles_dir, entry.article_id)
        with TextBatch(self.articles_dir) as texts:
            if article is not None and not is_readable(path):
                texts.add(entry.article_id, article)
            with self._together(texts):
                result = put_back(self._parts(), bundle, entry, now())
        self._trash.unstash_cache(entry_id, self.cache_dir)
        with contextlib.suppress(OSError):  # all is back: a leftover entry restores as a no-op
            self._trash.remove(entry_id)
        self._emit(ARTICLE_ADDED, entry.article_id)
        for ref in result.notes:
            self._emit(NOTE_CHANGED, entry.article_id, ref)
        for ref in result.highlights:
            self._emit(HIGHLIGHT_CHANGED, entry.article_id, ref)
        return result

    @serialized
    def purge_trash(self) -> int:
        """Remove trash entries older than 30 days (also done on every writable open)."""
        self._require_writable()
        return self._trash.purge()
