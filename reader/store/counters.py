"""The next note and highlight ids a home will hand out (counters.json).

Review cards and exports name notes and highlights by id, so an id must never come back
once used, not even after the newest one was deleted and the window closed: a persistent
high-water mark per kind guarantees it.
"""

from __future__ import annotations

from tinydb.table import Document

from reader.store.db import Db

COUNTERS = "counters"


class IdCounters:
    def __init__(self, db: Db) -> None:
        self.db = db

    def saved(self, kind: str) -> int:
        """The saved mark, or 1 (the first id) when none was saved or it is unusable."""
        doc = self.db.raw(COUNTERS).get("1") or {}
        value = doc.get(kind)
        return value if isinstance(value, int) and not isinstance(value, bool) else 1

    def raise_to(self, kind: str, next_id: int) -> None:
        """Persist the mark, before the record that takes the id is saved."""
        if self.saved(kind) >= next_id:
            return
        table = self.db.table(COUNTERS)
        if "1" in self.db.raw(COUNTERS):
            table.update({kind: next_id}, doc_ids=[1])
        else:
            table.insert(Document({kind: next_id}, doc_id=1))

    def replace(self, marks: dict[str, int], kinds: tuple[str, ...]) -> None:
        """Write `marks` at once (restores) unless they are exactly the saved marks of `kinds`."""
        if marks != {kind: self.saved(kind) for kind in kinds}:
            self.db.table(COUNTERS).upsert(Document(marks, doc_id=1))
