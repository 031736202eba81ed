"""The Library's reading progress: the bookmark, the furthest point, time read, finished."""

from __future__ import annotations

import math

from reader.store.errors import NotFound
from reader.store.fields import Doc
from reader.store.library_base import LibraryBase, serialized
from reader.store.shards import article_key


class ProgressMixin(LibraryBase):
    @serialized
    def save_progress(
        self,
        article_id: str,
        *,
        position: int,
        progress: float,
        seconds_read: float = 0.0,
        finished: bool | None = None,
        furthest: float | None = None,
        anchor: int | None = None,
    ) -> None:
        """Record where the reader is; rewrites one small progress shard (see reader.store.library).

        `position`/`progress` are the bookmark. `furthest` (default: `progress`) only ever
        raises the furthest point saved. `seconds_read` is added to the total. `finished`
        None keeps what was saved; True/False set it (the reader's judgement, or the
        reading screen's: see reader.ui.tracking). `anchor` is the offset of the
        first sentence on screen.
        """
        self._require_writable()
        for value in (progress, furthest):
            if value is not None and not (isinstance(value, int | float) and math.isfinite(value)):
                raise ValueError(f"progress must be a finite number, not {value!r}")
        if str(article_key(article_id)) not in self._index.raw():
            raise NotFound(f"There is no article with id {article_id} in the library.")
        self._progress.save(
            article_id,
            position=position,
            progress=progress,
            seconds_read=seconds_read,
            finished=finished,
            furthest=furthest,
            anchor=anchor,
        )

    @serialized
    def progress_doc(self, article_id: str) -> Doc | None:
        """The raw saved progress (position, progress, seconds_read, last_read, finished)."""
        doc = self._progress.doc(article_id)
        return dict(doc) if doc is not None else None
