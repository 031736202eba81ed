"""Library-wide entity corrections in the store: kept, checked on reading, refused whole on a
full disk, and carried by the JSON export through import-notes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.store import DiskError, Library, ReadOnlyError
from reader.store.entity_corrections import FILE_NAME, name_key
from reader.study.export import dumps, export_json
from reader.study.importer import BadExport, check_export, import_snapshot
from tests.conftest import barrier_article
from tests.test_store_disk_full import fill_disk, home_bytes


def kinds(lib: Library) -> dict[str, tuple[str | None, bool]]:
    return {c.name: (c.label, c.hidden) for c in lib.entity_corrections().values()}


def test_corrections_are_kept_by_name_for_the_whole_library(home: Path) -> None:
    with Library.open(home) as lib:
        assert lib.entity_corrections() == {}
        assert not (home / FILE_NAME).exists()  # nothing corrected, no file
        lib.correct_entity("Hollin  Rock", label="PLACE")
        lib.correct_entity("Remarks", hidden=True)
        lib.correct_entity("hollin rock", label="MISC")  # the same name, spelt otherwise
    with Library.open(home, read_only=True) as lib:
        assert kinds(lib) == {"hollin rock": ("MISC", False), "Remarks": (None, True)}
        assert lib.entity_corrections()[name_key("HOLLIN ROCK")].label == "MISC"
    with Library.open(home) as lib:
        assert lib.correct_entity("Remarks") is None  # neither retyped nor hidden: gone
        assert kinds(lib) == {"hollin rock": ("MISC", False)}


def test_what_cannot_be_stored_is_refused(home: Path) -> None:
    with Library.open(home) as lib:
        with pytest.raises(ValueError, match="kind"):
            lib.correct_entity("Hollin Rock", label="SHIP")
        with pytest.raises(ValueError, match="name"):
            lib.correct_entity("   ", hidden=True)
        assert lib.entity_corrections() == {}
    with Library.open(home, read_only=True) as lib, pytest.raises(ReadOnlyError):
        lib.correct_entity("Hollin Rock", label="PLACE")


def test_a_full_disk_changes_nothing(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Library.open(home) as lib:
        lib.correct_entity("Remarks", hidden=True)
    before = home_bytes(home)
    fill_disk(monkeypatch, FILE_NAME)
    with Library.open(home) as lib:
        with pytest.raises(DiskError, match=FILE_NAME):
            lib.correct_entity("Hollin Rock", label="PLACE")
        assert kinds(lib) == {"Remarks": (None, True)}
    assert home_bytes(home) == before


def test_a_damaged_record_is_set_aside_and_the_rest_kept(home: Path) -> None:
    good = {"name": "Remarks", "label": None, "hidden": True, "updated_at": ""}
    bad = {"name": "Hollin Rock", "label": "SHIP", "hidden": False, "updated_at": ""}
    (home / FILE_NAME).write_text(json.dumps({"entity_corrections": {"1": good, "2": bad}}))
    with Library.open(home) as lib:
        assert kinds(lib) == {"Remarks": (None, True)}
        assert any(FILE_NAME in n and "kind" in n for n in lib.notices)
    assert list(home.glob(f"{FILE_NAME}.corrupt-*"))


def _exported(home: Path) -> str:
    with Library.open(home, read_only=True) as lib:
        return dumps(export_json(lib))


def test_the_json_export_carries_them_and_import_notes_restores_them(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    with Library.open(first) as lib:
        lib.add_article(barrier_article())
        lib.correct_entity("Hollin Rock", label="PLACE")
        lib.correct_entity("Remarks", hidden=True)
    text = _exported(first)
    assert [c["name"] for c in json.loads(text)["entity_corrections"]] == ["Hollin Rock", "Remarks"]
    with Library.open(second) as lib:
        import_snapshot(lib, check_export(json.loads(text)))
        assert kinds(lib) == {"Hollin Rock": ("PLACE", False), "Remarks": (None, True)}
    assert _exported(second) == text  # byte for byte


def test_a_merge_keeps_the_homes_own_corrections(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    with Library.open(first) as lib:
        lib.add_article(barrier_article())
        lib.correct_entity("Hollin Rock", label="PLACE")
        lib.correct_entity("Remarks", hidden=True)
    text = _exported(first)
    with Library.open(second) as lib:
        lib.add_article(barrier_article(title="Already here"))
        lib.correct_entity("hollin rock", label="ORG")
        import_snapshot(lib, check_export(json.loads(text)))
        assert kinds(lib) == {"hollin rock": ("ORG", False), "Remarks": (None, True)}


def test_an_export_without_corrections_has_no_such_key(home: Path) -> None:
    with Library.open(home) as lib:
        lib.add_article(barrier_article())
    assert "entity_corrections" not in json.loads(_exported(home))


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ({"name": "", "hidden": True}, "name"),
        ({"name": "Remarks", "label": "SHIP"}, "kind"),
        ({"name": "Remarks", "hidden": "yes"}, "hidden"),
        ("Remarks", "object"),
    ],
)
def test_import_notes_refuses_a_correction_it_could_not_store(
    home: Path, entry: object, why: str
) -> None:
    with Library.open(home) as lib:
        lib.add_article(barrier_article())
    data = json.loads(_exported(home))
    data["entity_corrections"] = [entry]
    with pytest.raises(BadExport, match=rf"entity_corrections\[0\].*{why}"):
        check_export(data)
