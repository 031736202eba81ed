"""The Library is split by concern into mixins; these keep the split from weakening the door.

Every public call must take the library's lock and refuse a closed library (the threading
rule in reader.store.library), wherever its method now lives, and no concern may silently
replace another's method through the class hierarchy.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.store import Library, StoreError
from reader.store.library_base import LibraryBase, is_serialized

# Public methods that guard themselves instead, and why.
SELF_GUARDED = {
    "open": "a classmethod that makes the library: there is no lock to take yet",
    "close": "takes the lock itself and must be callable again on a closed library",
    "subscribe": "takes the lock itself; the unsubscribe it returns must work after close",
}


def _public_methods() -> list[str]:
    return [
        name
        for name, value in inspect.getmembers(Library)
        if not name.startswith("_") and callable(value) and name not in SELF_GUARDED
    ]


def test_every_public_method_is_serialized() -> None:
    names = _public_methods()
    assert len(names) > 40  # the walk did find the mixins' methods
    unguarded = [name for name in names if not is_serialized(getattr(Library, name))]
    assert unguarded == []


def test_the_self_guarded_ones_exist_and_are_not_double_wrapped() -> None:
    for name in SELF_GUARDED:
        assert callable(getattr(Library, name))
        assert not is_serialized(inspect.getattr_static(Library, name))


def test_no_concern_overrides_another() -> None:
    """A public name defined by two classes of the hierarchy would hide one of them."""
    owners: dict[str, list[str]] = {}
    for cls in Library.__mro__:
        if cls is object:
            continue
        for name in vars(cls):
            if not name.startswith("_"):
                owners.setdefault(name, []).append(cls.__name__)
    assert {name: who for name, who in owners.items() if len(who) > 1} == {}


def test_every_concern_sits_on_the_shared_base() -> None:
    for cls in Library.__mro__[1:-1]:
        assert issubclass(cls, LibraryBase), cls


def test_a_mixin_method_refuses_a_closed_library(tmp_path: Path) -> None:
    """The guard is the same one everywhere: a method from each concern module."""
    library = Library.open(tmp_path / "home")
    library.close()
    calls: list[Callable[[], object]] = [
        library.articles,
        library.trash,
        lambda: library.progress_doc("0" * 64),
        library.all_notes,
        library.review_states,
        lambda: library.get_setting("wpm", 250.0),
        library.is_empty,
        lambda: library.load_article("0" * 64),
    ]
    for call in calls:
        with pytest.raises(StoreError, match="has been closed"):
            call()
