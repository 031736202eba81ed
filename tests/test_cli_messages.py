"""What the `reader` command says when something is off: one line, naming the file, saying
what to do; and which commands leave the write lock (and the damage notices) to the app."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from reader import cli
from reader.cli import articles as cli_articles
from reader.store import Library
from reader.store.library import Library as StoreLibrary
from reader.store.lock import HomeLock

CLIP = "Harbour council approves tide barrier\n\nThe council voted on Tuesday to build it.\n"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("READER_HOME", str(home))
    return home


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    path = tmp_path / "barrier.txt"
    path.write_text(CLIP, encoding="utf-8")
    return path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def titles(home: Path) -> list[str]:
    if not home.exists():
        return []
    with Library.open(home, read_only=True) as library:
        return [r.title for r in library.articles()]


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("reader: ")
    return lines[0]


# ---------------------------------------------------------------- file names


def test_an_undecodable_file_name_is_escaped_and_stored_as_valid_text(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "clips"
    folder.mkdir()
    raw = os.path.join(os.fsencode(folder), b"bad\xffname.txt")
    with open(raw, "wb") as f:
        f.write(CLIP.encode("utf-8"))
    name = os.fsdecode(raw)
    status, out, err = run(["add", name], capsys)
    assert status == 0, err
    assert "bad\\xffname.txt" in out
    with Library.open(home, read_only=True) as library:
        (record,) = library.articles()
    assert record.origin == str(folder.resolve()) + "/bad\\xffname.txt"
    assert record.origin.encode("utf-8")  # valid text: no lone surrogate
    status, out, err = run(["export", "--all", "--format", "json"], capsys)
    assert status == 0, err
    assert json.loads(out)["articles"][0]["origin"] == record.origin
    export = tmp_path / "export.json"
    export.write_text(out, encoding="utf-8")
    status, _, err = run(["import-notes", "--home", str(tmp_path / "other"), str(export)], capsys)
    assert status == 0, err


def test_a_file_name_with_a_line_break_keeps_messages_on_one_line(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "two\nlines.txt"
    broken.write_text(CLIP, encoding="utf-8")
    status, out, _ = run(["add", str(broken)], capsys)
    assert status == 0
    added = out.splitlines()[0]
    assert added.startswith("added ") and added.endswith("two\\nlines.txt)")
    for command in ("add", "analyze", "open"):
        status, out, err = run([command, str(tmp_path / "gone\nfile.txt")], capsys)
        assert status == 2 and out == ""
        first = err.splitlines()[0]
        assert first.endswith("gone\\nfile.txt: no such file")


def test_error_lines_stay_one_line_whatever_they_quote(capsys: pytest.CaptureFixture[str]) -> None:
    from reader.cli.common import error

    error("first\nsecond")
    assert capsys.readouterr().err == "reader: first\\nsecond\n"


# ---------------------------------------------------------------- empty paths


@pytest.mark.parametrize("command", ["add", "open", "analyze"])
def test_an_empty_path_is_refused_not_read_as_the_current_folder(
    command: str,
    home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    (here / "article.txt").write_text(CLIP, encoding="utf-8")
    monkeypatch.chdir(here)
    monkeypatch.setattr(cli_articles, "run_app", lambda *a, **k: pytest.fail("no app"))
    status, out, err = run([command, ""], capsys)
    assert status == 2 and out == ""
    assert "empty path" in one_line(err)
    assert titles(home) == []


# ---------------------------------------------------------------- numeric options


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "--limit", "{}", "tide"],
        ["review", "--list", "--limit", "{}"],
    ],
)
@pytest.mark.parametrize("value", ["0", "10001", "99999999999999999999999", "x", "1e3", "-1", ""])
def test_counts_outside_one_to_ten_thousand_are_one_line(
    argv: list[str], value: str, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run([a.format(value) for a in argv], capsys)
    assert status == 2 and out == ""
    assert one_line(err) == "reader: --limit must be a whole number from 1 to 10000"


def test_the_largest_count_is_accepted(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["search", "--limit", "10000", "tide"], capsys)[0] == 0
    assert run(["review", "--list", "--limit", "10000"], capsys)[0] == 0


# ---------------------------------------------------------------- folders and homes


def _refuse(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make listing `folder` fail as a chmod 000 folder does, even for root."""
    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if os.fspath(path) == str(folder):
            raise PermissionError(13, "Permission denied", str(folder))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_folder_is_reported_as_unreadable(
    home: Path, clip: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text(CLIP, encoding="utf-8")
    _refuse(locked, monkeypatch)
    status, out, err = run(["add", str(clip), str(locked)], capsys)
    assert status == 2 and out == ""
    first = err.splitlines()[0]
    assert str(locked) in first and "cannot read this folder (permission denied)" in first
    assert "is a directory" not in err
    assert titles(home) == []


def test_an_unreadable_folder_inside_is_not_skipped_silently(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    folder = tmp_path / "clips"
    (folder / "private").mkdir(parents=True)
    (folder / "a.txt").write_text(CLIP, encoding="utf-8")
    (folder / "private" / "b.txt").write_text(CLIP.replace("Tuesday", "Monday"), "utf-8")
    _refuse(folder / "private", monkeypatch)
    status, _, err = run(["add", str(folder)], capsys)
    assert status == 2
    assert str(folder / "private") in err and "permission denied" in err
    assert titles(home) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any folder")
def test_a_chmod_000_folder_is_reported_as_unreadable(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text(CLIP, encoding="utf-8")
    locked.chmod(0)
    try:
        status, _, err = run(["add", str(locked)], capsys)
    finally:
        locked.chmod(0o755)
    assert status == 2 and "cannot read this folder (permission denied)" in err


def test_a_folder_without_articles_says_so(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "pictures"
    empty.mkdir()
    (empty / "photo.png").write_bytes(b"\x89PNG")
    status, _, err = run(["add", str(empty)], capsys)
    assert status == 2
    assert f"{empty}: no article files (.txt, .md, .epub, .pdf, .html) in this folder" in err


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_a_home_that_is_a_broken_link_says_where_it_points(
    how: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    link = tmp_path / "home-link"
    link.symlink_to(tmp_path / "gone" / "home")
    if how == "flag":
        argv = ["list", "--home", str(link)]
    else:
        monkeypatch.setenv("READER_HOME", str(link))
        argv = ["list"]
    status, out, err = run(argv, capsys)
    assert status == 1 and out == ""
    line = one_line(err)
    assert f"{link} is a broken link to {tmp_path / 'gone' / 'home'}" in line
    assert "File exists" not in line and "--home" in line


@pytest.mark.parametrize("blank", ["", "   ", "\t"])
def test_a_blank_home_counts_as_unset(
    blank: str,
    tmp_path: Path,
    clip: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import platformdirs

    default = tmp_path / "default-home"
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: str(default))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("READER_HOME", blank)
    assert run(["add", "--home", blank, str(clip)], capsys)[0] == 0
    assert titles(default) == ["Harbour council approves tide barrier"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["barrier.txt", "default-home"]


# ---------------------------------------------------------------- the write lock


def test_list_works_beside_a_writing_window_and_says_nothing_about_it(
    home: Path, clip: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["add", str(clip)], capsys)[0] == 0
    with Library.open(home) as writer:
        assert not writer.read_only
        for argv in (["list"], ["list", "--json"]):
            status, out, err = run(argv, capsys)
            assert status == 0 and "Harbour council" in out
            assert err == ""


def test_list_never_takes_the_lock(
    home: Path, clip: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """While `reader list` reads, an app starting at that moment must get to write."""
    assert run(["add", str(clip)], capsys)[0] == 0
    real_articles = StoreLibrary.articles
    writable: list[bool] = []

    def articles(self: StoreLibrary) -> Any:
        with Library.open(home) as other:
            writable.append(not other.read_only)
        return real_articles(self)

    monkeypatch.setattr(StoreLibrary, "articles", articles)
    acquired: list[Path] = []
    real_acquire = HomeLock.acquire

    def acquire(self: HomeLock) -> None:
        acquired.append(self.path)
        real_acquire(self)

    monkeypatch.setattr(HomeLock, "acquire", acquire)
    status, _, err = run(["list"], capsys)
    assert status == 0, err
    assert writable == [True]
    assert len(acquired) == 1  # the other window's opening, not the command's


def test_list_still_mends_a_damaged_index(
    home: Path, clip: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A read-only look at a damaged file would show an empty library: the damage is set
    aside by a writable opening, as by every other command."""
    assert run(["add", str(clip)], capsys)[0] == 0
    (home / "library.json").write_text("{not json", encoding="utf-8")
    status, out, err = run(["list"], capsys)
    assert status == 0 and "Harbour council" in out
    assert "library.json" in err
    assert len(list(home.glob("library.json.corrupt-*"))) == 1


# ---------------------------------------------------------------- notices reach the app


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def fake_run_app(home: Path, article: str | None, notices: Any = ()) -> int:
        calls.append({"home": home, "article": article, "notices": list(notices)})
        return 0

    monkeypatch.setattr(cli_articles, "run_app", fake_run_app)
    return calls


@pytest.mark.parametrize("command", ["library", "open"])
def test_damage_notices_go_to_the_app_not_to_stderr(
    command: str,
    home: Path,
    clip: Path,
    app: list[dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["add", str(clip)], capsys)[0] == 0
    (home / "library.json").write_text("{not json", encoding="utf-8")
    argv = [] if command == "library" else ["open", str(clip)]
    status, _, err = run(argv, capsys)
    assert status == 0
    assert "library.json" not in err
    (call,) = app
    assert any("library.json" in notice for notice in call["notices"])
    assert list(home.glob("library.json.corrupt-*"))


def test_the_app_is_started_with_no_notices_when_all_is_well(
    home: Path, clip: Path, app: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["open", str(clip)], capsys)[0] == 0
    assert app[0]["notices"] == []


def test_the_real_run_app_hands_the_notices_on(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.ui.app as ui_app

    received: list[Any] = []

    def fake(home: Path, open_article: str | None = None, notices: Any = ()) -> int:
        received.append((open_article, list(notices)))
        return 0

    monkeypatch.setattr(ui_app, "run_app", fake)
    assert cli_articles.run_app(home, "abc", ["The index was mended."]) == 0
    assert received == [("abc", ["The index was mended."])]


def test_when_the_app_cannot_start_the_notices_are_printed(
    home: Path, clip: Path, app: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    """`open` of a new file while another window writes: no app, so the notice and a line
    naming the file and what to do go to stderr."""
    home.mkdir()
    with Library.open(home):
        status, out, err = run(["open", str(clip)], capsys)
    assert status == 1 and out == "" and app == []
    notice, message = err.splitlines()
    assert "Another reader is open" in notice
    assert str(clip) in message and "close the other reader window" in message


def test_help_still_works_through_the_wrapper(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["--help"])
    assert exc.value.code == 0
    assert "usage: reader" in capsys.readouterr().out
    assert type(sys.stdout).__name__ != "SafeStream"  # restored after --help too
