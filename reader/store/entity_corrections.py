"""The reader's corrections to the entities pane (entity_corrections.json), library-wide.

The tagger is wrong sometimes; the reader says so once ("Hollin Rock is a place", "Remarks
is no name") and every article naming it shows it that way. A correction is keyed by the
name as the pane lists it, so it never touches a cached analysis: it is applied each time
the list is shown and survives re-analysis, a new model and a deleted cache.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reader.store.db import Db
from reader.store.fields import Doc, now
from reader.store.schema import ENTITY_KINDS as KINDS
from reader.store.schema import entity_correction_problem as record_problem

ENTITY_CORRECTIONS = "entity_corrections"
FILE_NAME = "entity_corrections.json"
__all__ = ["KINDS", "EntityCorrection", "EntityCorrections", "name_key", "record_problem"]


def name_key(name: str) -> str:
    """How two spellings of a name are found to be the same: spacing and case aside."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class EntityCorrection:
    """`label` None keeps the tagger's type; `hidden` says the name is no entity at all."""

    name: str
    label: str | None = None
    hidden: bool = False
    updated_at: str = ""

    def to_doc(self) -> Doc:
        return {
            "name": self.name,
            "label": self.label,
            "hidden": self.hidden,
            "updated_at": self.updated_at,
        }

    @classmethod
    def from_doc(cls, doc: Doc) -> EntityCorrection:
        """For documents the schema has already checked (see `record_problem`)."""
        hidden = bool(doc.get("hidden", False))
        return cls(doc["name"], doc.get("label"), hidden, doc.get("updated_at", ""))


class EntityCorrections:
    """One record per name; a later record for the same name wins over an earlier one."""

    def __init__(self, db: Db) -> None:
        self.db = db

    def all(self) -> dict[str, EntityCorrection]:
        """Corrections by `name_key`, in the order they were first made."""
        found: dict[str, EntityCorrection] = {}
        for doc in self.db.raw(ENTITY_CORRECTIONS).values():
            correction = EntityCorrection.from_doc(doc)
            found[name_key(correction.name)] = correction
        return found

    def _ids(self, name: str) -> list[int]:
        key = name_key(name)
        return [
            int(doc_id)
            for doc_id, doc in self.db.raw(ENTITY_CORRECTIONS).items()
            if name_key(doc["name"]) == key
        ]

    def set(self, name: str, *, label: str | None, hidden: bool) -> EntityCorrection | None:
        """Store the correction; one that changes nothing (no kind, not hidden) is removed."""
        correction = EntityCorrection(" ".join(name.split()), label, hidden, now())
        wrong = record_problem(correction.to_doc())
        if wrong is not None:
            raise ValueError(f"entity correction for {name!r}: {wrong}")
        table = self.db.table(ENTITY_CORRECTIONS)
        ids = self._ids(name)
        if label is None and not hidden:
            if ids:
                table.remove(doc_ids=ids)
            return None
        if ids:
            table.update(correction.to_doc(), doc_ids=ids[-1:])
            if len(ids) > 1:
                table.remove(doc_ids=ids[:-1])
        else:
            table.insert(correction.to_doc())
        return correction

    def restore(self, docs: Iterable[Doc]) -> int:
        """Add already-checked corrections; the home's own correction of a name wins."""
        present = self.all()
        new = [d for d in docs if name_key(d["name"]) not in present]
        if new:
            self.db.table(ENTITY_CORRECTIONS).insert_multiple(
                [EntityCorrection.from_doc(d).to_doc() for d in new]
            )
        return len(new)
