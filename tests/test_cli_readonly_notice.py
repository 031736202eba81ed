"""The notice that another window holds the library is for commands that write: a command
that only reads never asked for the lock, and says nothing about it (reader.cli.common)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader import cli
from reader.store import Library
from tests.conftest import FIXED_NOW, barrier_article

BUSY = "Another reader is open"
READ_ONLY_COMMANDS = [
    ["list"],
    ["list", "--json"],
    ["search", "barrier"],
    ["review", "--list", "--now", FIXED_NOW.isoformat()],
    ["review", "--json", "--now", FIXED_NOW.isoformat()],
    ["export", "--all", "--format", "json"],
]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def busy_home(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("READER_HOME", str(home))
    with Library.open(home) as lib:
        lib.add_article(barrier_article())
    return home


def damage_settings(home: Path) -> None:
    (home / "settings.json").write_text("{not json", encoding="utf-8")


@pytest.mark.parametrize("argv", READ_ONLY_COMMANDS, ids=" ".join)
def test_a_read_only_command_on_a_damaged_busy_home_says_nothing_of_the_lock(
    busy_home: Path, argv: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The damage makes the command try to mend the home, which needs the lock; another
    window has it, so the damage is named (as this command sees it) and the lock is not."""
    with Library.open(busy_home) as holder:  # opened first: it would mend the damage
        assert not holder.read_only
        damage_settings(busy_home)
        status, _out, err = run(argv, capsys)
    assert status == 0, err
    assert BUSY not in err and "read-only until it closes" not in err
    assert "settings.json" in err and "default settings" in err  # the damage, still told
    assert (busy_home / "settings.json").read_text(encoding="utf-8") == "{not json"  # kept


def test_a_markdown_export_on_a_damaged_busy_home_says_nothing_of_the_lock(
    busy_home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with Library.open(busy_home):
        damage_settings(busy_home)
        status, out, err = run(
            ["export", "--all", "--format", "markdown", "--out", str(tmp_path / "md")], capsys
        )
    assert status == 0 and out.startswith("Wrote 1 Markdown file"), err
    assert BUSY not in err


@pytest.mark.parametrize("argv", READ_ONLY_COMMANDS, ids=" ".join)
def test_a_read_only_command_on_a_healthy_busy_home_prints_nothing_on_stderr(
    busy_home: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with Library.open(busy_home):
        run(["search", "barrier"], capsys)  # the index, built once
        status, _out, err = run(argv, capsys)
    assert status == 0 and err == "", err


def test_a_command_that_writes_says_the_library_is_busy(
    busy_home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    clip = tmp_path / "clip.txt"
    clip.write_text("A clip\n\nThe ferry ran late on Monday after the storm.\n", "utf-8")
    with Library.open(busy_home):
        status, _out, err = run(["add", str(clip)], capsys)
    assert status == 1
    lines = err.splitlines()
    assert lines[0].startswith(f"reader: {BUSY}") and "nothing was added" in lines[-1]


def test_a_read_only_command_still_mends_a_home_nobody_holds(
    busy_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damage_settings(busy_home)
    status, _out, err = run(["list"], capsys)
    assert status == 0 and BUSY not in err and "settings.json" in err
    assert list(busy_home.glob("settings.json.corrupt-*"))  # set aside, as any opening does
