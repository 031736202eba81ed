"""The Library's settings and the reader's corrections of named entities."""

from __future__ import annotations

from typing import Any, TypeVar

from reader.store.entity_corrections import EntityCorrection
from reader.store.library_base import LibraryBase, serialized

T = TypeVar("T")


class SettingsMixin(LibraryBase):
    @serialized
    def get_setting(self, key: str, default: T) -> T:
        """The stored value, or `default` when unset or of a different type than `default`.

        An int stored where a float is expected is widened ("wpm" saved as 250 reads as
        250.0); anything else of the wrong type falls back to the default rather than
        handing the UI a value it cannot use.
        """
        return self._settings.get(key, default)

    @serialized
    def set_setting(self, key: str, value: object) -> None:
        """Store a JSON value (tuples come back as lists); ValueError for anything else."""
        self._require_writable()
        self._settings.set(key, value)

    @serialized
    def all_settings(self) -> dict[str, Any]:
        """Every stored setting, key -> value, for exports."""
        return self._settings.all()

    @serialized
    def entity_corrections(self) -> dict[str, EntityCorrection]:
        """The reader's corrections by `entity_corrections.name_key`, for every article."""
        return self._entity_corrections().all()

    @serialized
    def correct_entity(
        self, name: str, *, label: str | None = None, hidden: bool = False
    ) -> EntityCorrection | None:
        """Retype (`label`) or hide a name everywhere; neither removes the correction.

        ValueError for a name or kind that cannot be stored; DiskError changes nothing.
        """
        self._require_writable()
        store = self._entity_corrections()
        with self._together():
            return store.set(name, label=label, hidden=hidden)
