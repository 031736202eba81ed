"""The `reader` command end to end, in a temporary home: analyze, add, list, open, bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reader import cli
from reader.cli import articles as cli_articles

CLIP = """Skip to content
Menu
Sign in

Harbour council approves tide barrier

Harbour council approves tide barrier

A vote ends years of argument over flooding in the old town.

By Marta Lindqvist
Feb 20, 2024 11:42 AM

The Harbour Council of Port Ellery voted on Tuesday to build a tide barrier across
the mouth of the river Kell, ending a decade of argument over flooding.

Mayor Jonas Whitfield said the barrier would protect 4,200 homes. "We waited long
enough," Whitfield told reporters outside the U.N. regional office.

The project will cost 310 million euros and is backed by the European Investment Bank.
Work starts in the spring, according to Deltaworks Ltd., the lead contractor.

Share this article
Source: Coastal Wire
Last Updated: Feb 20, 2024 2:05 PM
"""


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


def test_analyze_json_has_the_documented_shape(home: Path, clip: Path, capsys) -> None:
    status, out, err = run(["analyze", "--json", str(clip)], capsys)
    assert status == 0, err
    lines = out.splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    for key in (
        "path",
        "title",
        "author",
        "published",
        "source",
        "text",
        "sentences",
        "entities",
        "key_sentences",
    ):
        assert key in data
    assert data["path"] == str(clip)
    assert data["title"] == "Harbour council approves tide barrier"
    assert data["author"] == "Marta Lindqvist"
    assert data["published"].startswith("2024-02-20")
    assert data["source"] == "Coastal Wire"
    text = data["text"]
    assert "Skip to content" not in text and "Share this article" not in text
    assert text.startswith("A vote ends years")
    sentences = data["sentences"]
    assert all(0 <= s["start"] < s["end"] <= len(text) for s in sentences)
    assert text[sentences[0]["start"] : sentences[0]["end"]].startswith("A vote ends")
    for entity in data["entities"]:
        assert entity["label"] in {"PERSON", "ORG", "PLACE", "MISC"}
        assert entity["count"] == len(entity["mentions"]) > 0
        for mention in entity["mentions"]:
            assert text[mention["start"] : mention["end"]] in entity["name"]
    whitfield = [e for e in data["entities"] if e["name"] == "Jonas Whitfield"]
    assert whitfield and whitfield[0]["label"] == "PERSON" and whitfield[0]["count"] == 2
    keys = data["key_sentences"]
    assert keys, "a news story has key sentences"
    assert [k["score"] for k in keys] == sorted((k["score"] for k in keys), reverse=True)
    assert all(0 <= k["sentence"] < len(sentences) for k in keys)


def test_analyze_several_inputs_one_json_line_each(home: Path, clip: Path, tmp_path, capsys):
    other = tmp_path / "essay.md"
    other.write_text("# A short essay\n\nReading slowly helps. It really does.\n", "utf-8")
    status, out, _ = run(["analyze", "--json", str(clip), str(other)], capsys)
    assert status == 0
    objs = [json.loads(line) for line in out.splitlines()]
    assert [o["path"] for o in objs] == [str(clip), str(other)]
    assert objs[1]["title"] == "A short essay"
    assert objs[1]["text"] == "Reading slowly helps. It really does."


def test_analyze_raw_keeps_the_input_exactly(home: Path, clip: Path, capsys) -> None:
    status, out, _ = run(["analyze", "--json", "--raw", str(clip)], capsys)
    assert status == 0
    data = json.loads(out)
    assert data["text"] == CLIP
    assert data["title"] is None and data["author"] is None and data["source"] is None


def test_analyze_reads_stdin(home: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(CLIP.encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    status, out, _ = run(["analyze", "--json", "-"], capsys)
    assert status == 0
    data = json.loads(out)
    assert data["path"] == "-"
    assert data["author"] == "Marta Lindqvist"


def test_plain_report_is_readable(home: Path, clip: Path, capsys) -> None:
    status, out, _ = run(["analyze", str(clip)], capsys)
    assert status == 0
    assert "Title:     Harbour council approves tide barrier" in out
    assert "Entities" in out and "Key sentences" in out
    assert "PERSON" in out and "Jonas Whitfield (2)" in out


def test_analysis_is_cached_in_the_home(home: Path, clip: Path, capsys) -> None:
    run(["analyze", "--json", str(clip)], capsys)
    cached = list((home / "cache").glob("*.json.gz"))
    assert len(cached) == 1
    first = run(["analyze", "--json", str(clip)], capsys)[1]
    assert len(list((home / "cache").glob("*.json.gz"))) == 1
    assert json.loads(first)["title"] == "Harbour council approves tide barrier"


def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    bad = {
        "missing": tmp_path / "nope.txt",
        "directory": tmp_path / "folder",
        "binary": tmp_path / "image.txt",
        "empty": tmp_path / "empty.txt",
        "encoding": tmp_path / "garbled.txt",
    }
    bad["directory"].mkdir()
    bad["binary"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    bad["empty"].write_bytes(b"")
    bad["encoding"].write_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 40)
    return bad


@pytest.mark.parametrize("kind", ["missing", "directory", "binary", "empty", "encoding"])
def test_bad_input_is_one_line_exit_2_and_others_still_analysed(
    kind: str, home: Path, clip: Path, tmp_path: Path, capsys
) -> None:
    bad = _bad_inputs(tmp_path)[kind]
    status, out, err = run(["analyze", "--json", str(bad), str(clip)], capsys)
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert bad.name in lines[0]
    assert "Traceback" not in err
    assert json.loads(out)["path"] == str(clip)


def test_bad_input_from_a_real_process(home: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "reader", "analyze", str(tmp_path / "missing.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "missing.txt" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


# ---------------------------------------------------------------- library commands


def _list(capsys) -> list[dict[str, Any]]:
    status, out, _ = run(["list", "--json"], capsys)
    assert status == 0
    rows: list[dict[str, Any]] = json.loads(out)
    return rows


def test_add_list_and_skip_duplicates(home: Path, clip: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "essay.md").write_text("# Slow reading\n\nRead slowly. Then read again.\n", "utf-8")
    (folder / "ignored.png").write_bytes(b"\x89PNG")
    status, out, _ = run(["add", str(clip), str(folder)], capsys)
    assert status == 0
    assert "2 added" in out
    rows = _list(capsys)
    assert sorted(r["title"] for r in rows) == [
        "Harbour council approves tide barrier",
        "Slow reading",
    ]
    barrier = next(r for r in rows if r["source"] == "Coastal Wire")
    assert barrier["words"] > 50 and barrier["progress"] == 0

    copy = tmp_path / "copy-of-barrier.txt"
    copy.write_text(CLIP, encoding="utf-8")
    status, out, _ = run(["add", str(copy)], capsys)
    assert status == 0
    assert "already in the library" in out
    assert len(_list(capsys)) == 2


def test_add_with_bad_input_changes_nothing(home: Path, clip: Path, tmp_path, capsys) -> None:
    for bad in _bad_inputs(tmp_path).values():
        status, _, err = run(["add", str(clip), str(bad)], capsys)
        assert status == 2
        assert bad.name in err
        assert _list(capsys) == []


def test_list_plain_empty_library_hints(home: Path, capsys) -> None:
    status, out, _ = run(["list"], capsys)
    assert status == 0
    assert "reader add" in out


def test_open_imports_then_opens(home: Path, clip: Path, capsys, monkeypatch) -> None:
    opened: list[tuple[Path, str | None]] = []

    def fake_run_app(home: Path, article: str | None, notices: Any = ()) -> int:
        opened.append((home, article))
        return 0

    monkeypatch.setattr(cli_articles, "run_app", fake_run_app)
    status, _, _ = run(["open", str(clip)], capsys)
    assert status == 0
    rows = _list(capsys)
    assert len(rows) == 1
    assert opened == [(home, rows[0]["id"])]
    # Opening again does not import twice.
    run(["open", str(clip)], capsys)
    assert len(_list(capsys)) == 1
    assert opened[1] == opened[0]


def test_open_bad_input_exits_2(home: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(cli_articles, "run_app", lambda h, a, n=(): pytest.fail("must not open"))
    status, _, err = run(["open", str(tmp_path / "missing.txt")], capsys)
    assert status == 2
    assert "missing.txt" in err


def test_first_run_seeds_the_sample_library_once(home: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(cli_articles, "run_app", lambda h, a, n=(): 0)
    assert cli.main([]) == 0
    rows = _list(capsys)
    assert len(rows) >= 6
    assert any(r["words"] >= 8000 for r in rows), "the long read is in the samples"
    assert cli.main([]) == 0
    assert len(_list(capsys)) == len(rows)


def test_home_flag_beats_environment(home: Path, clip: Path, tmp_path: Path, capsys) -> None:
    other = tmp_path / "other-home"
    status, _, _ = run(["add", "--home", str(other), str(clip)], capsys)
    assert status == 0
    assert (other / "articles").is_dir()
    assert _list(capsys) == []


def test_library_held_by_another_process_adds_nothing(home: Path, clip: Path, capsys) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from reader.store import Library\n"
            f"lib = Library.open({str(home)!r}); print('ready', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        status, _, err = run(["add", str(clip)], capsys)
        assert status == 1
        assert "read-only" in err and "nothing was added" in err
    finally:
        holder.communicate("", timeout=10)
    assert _list(capsys) == []


def test_corrupt_database_is_kept_aside_and_reported(home: Path, clip: Path, capsys) -> None:
    assert run(["add", str(clip)], capsys)[0] == 0
    (home / "library.json").write_text("{not json", encoding="utf-8")
    status, out, err = run(["list", "--json"], capsys)
    assert status == 0
    kept = list(home.glob("library.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == "{not json"
    assert "library.json" in err
    # The index is rebuilt from the article files: nothing the reader imported is lost.
    assert [r["title"] for r in json.loads(out)] == ["Harbour council approves tide barrier"]
