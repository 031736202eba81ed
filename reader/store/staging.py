"""Changes that span several files land whole or not at all.

Deleting an article touches its review schedules, highlights, notes, progress, the index
and its text; an import touches every kind of file. Written one file after another, a
full disk or a read-only folder half-way leaves the home half-changed: the articles of an
import without their notes. Inside `all_or_nothing` every TinyDB write stays in memory;
at the end each changed file is written to a temporary file beside it, and only once all
of them (and the batch of article texts, if any) are safely on disk are they renamed into
place. A failure before that point removes the temporary files and changes nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from reader.store.content import TextBatch
from reader.store.storage import AtomicJSONStorage


@contextlib.contextmanager
def all_or_nothing(
    storages: Sequence[AtomicJSONStorage], texts: TextBatch | None = None
) -> Iterator[None]:
    for storage in storages:
        storage.begin()
    prepared: list[tuple[AtomicJSONStorage, Path | None]] = []
    try:
        yield
        for storage in storages:
            prepared.append((storage, storage.prepare()))
        if texts is not None:
            texts.commit()  # unindexed texts are harmless: written before any index
    except BaseException:
        _abandon(storages, prepared)
        raise
    for number, (storage, tmp) in enumerate(prepared):
        try:
            storage.finish(tmp)
        except BaseException:  # a rename refused after the others: the rest stay as they were
            _abandon([s for s, _ in prepared[number + 1 :]], prepared[number + 1 :])
            raise


def _abandon(
    storages: Sequence[AtomicJSONStorage], prepared: Sequence[tuple[AtomicJSONStorage, Path | None]]
) -> None:
    for _, tmp in prepared:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
    for storage in storages:
        storage.abandon()
