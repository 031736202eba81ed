"""`reader delete`, `reader trash` and `reader restore` in a temporary home."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader import cli
from reader.store import Library
from tests.conftest import barrier_article, make_article


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("READER_HOME", str(home))
    return home


@pytest.fixture
def aid(home: Path) -> str:
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        lib.add_article(make_article("Stays", 60))
        lib.add_note(aid, 0, 10, "first")
        lib.add_note(aid, 12, 20, "second")
        lib.add_highlight(aid, 30, 40)
        lib.save_review_state("h1", aid, {"s": 1}, 1.7e9)
    return aid


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_delete_list_and_restore_round_trip(
    home: Path, aid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["trash"], capsys) == (0, "The trash is empty.\n", "")
    status, out, err = run(["delete", aid], capsys)
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == (
        "deleted  Brackenmouth tide barrier closes with 2 notes, 1 highlight, 1 review card"
    )
    entry_id = lines[1].split()[-1]
    assert lines[1] == f"         undo: reader restore {entry_id}" and entry_id.endswith(aid)

    status, out, _ = run(["trash"], capsys)
    assert status == 0
    header, row, footer = out.splitlines()
    assert header.split() == ["ID", "DELETED", "TITLE", "WITH"]
    assert row.startswith(entry_id) and "Brackenmouth tide barrier closes" in row
    assert row.endswith("2 notes, 1 highlight, 1 review card")
    assert "30 days" in footer and "reader restore ID" in footer

    status, out, _ = run(["trash", "--json"], capsys)
    (listed,) = json.loads(out)
    assert listed == {
        "id": entry_id,
        "article_id": aid,
        "title": "Brackenmouth tide barrier closes",
        "deleted_at": listed["deleted_at"],
        "notes": 2,
        "highlights": 1,
        "review_cards": 1,
    }

    status, out, err = run(["restore", entry_id], capsys)
    assert (status, err) == (0, "")
    assert out == (
        "Restored “Brackenmouth tide barrier closes” with 2 notes, 1 highlight, 1 review card.\n"
    )
    with Library.open(home, read_only=True) as lib:
        assert [n.text for n in lib.notes(aid)] == ["first", "second"]
        assert len(lib.highlights(aid)) == 1 and len(lib.review_states()) == 1
        assert lib.trash() == []


def test_restore_takes_an_article_id_for_its_latest_delete(
    home: Path, aid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["delete", aid], capsys)[0] == 0
    status, out, _ = run(["restore", aid], capsys)
    assert status == 0 and out.startswith("Restored “Brackenmouth")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["delete", "nope"], "reader: nope is not an article id"),
        (["delete", "0123456789abcdef"], "reader: there is no article 0123456789abcdef"),
        (["restore", "nope"], "reader: nope is not a trash id"),
        (["restore", "0123456789abcdef"], "reader: article 0123456789abcdef is not in the trash"),
        (
            ["restore", "20260101T000000Z-0123456789abcdef"],
            "reader: There is no deleted article 20260101T000000Z-0123456789abcdef in the trash.",
        ),
    ],
)
def test_bad_ids_are_one_line_and_exit_2_changing_nothing(
    home: Path, aid: str, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(argv, capsys)
    assert status == 2 and out == ""
    assert err.startswith(message) and err.count("\n") == 1
    with Library.open(home, read_only=True) as lib:
        assert len(lib.articles()) == 2 and lib.trash() == []


def test_a_bad_id_among_good_ones_deletes_none(
    home: Path, aid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(["delete", aid, "fedcba9876543210"], capsys)
    assert status == 2 and "nothing was deleted" in err
    with Library.open(home, read_only=True) as lib:
        assert aid in {r.id for r in lib.articles()}


def test_a_damaged_entry_is_a_library_problem_exit_1(
    home: Path, aid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run(["delete", aid], capsys)
    (entry,) = (home / "trash").glob("*.json")
    entry.write_text("{not json", encoding="utf-8")
    status, out, _ = run(["trash"], capsys)
    assert status == 0 and "cannot be read" in out
    status, _, err = run(["restore", entry.stem], capsys)
    assert status == 1 and "cannot be read" in err and err.count("\n") == 1


def test_a_read_only_library_restores_nothing_exit_1(
    home: Path, aid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run(["delete", aid], capsys)
    with Library.open(home):  # another window holds the lock
        status, _, err = run(["restore", aid], capsys)
        assert status == 1 and "nothing was restored" in err
        status, _, err = run(["delete", "0123456789abcdef"], capsys)
        assert status == 1 and "nothing was deleted" in err
    with Library.open(home, read_only=True) as lib:
        assert len(lib.trash()) == 1
