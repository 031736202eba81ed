"""`reader review | search | export | import-notes | list --tag`, with good and bad input."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fsrs import Scheduler

from reader import cli
from reader.store.library import Library
from reader.study.review import ReviewDeck
from tests.conftest import FIXED_NOW, barrier_article, make_article


@pytest.fixture
def study_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """A home with a highlight (with note), a note and tags; nothing finished (no NLP)."""
    home = tmp_path / "home"
    monkeypatch.setenv("READER_HOME", str(home))
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        other = lib.add_article(make_article("Orbital freight startup raises funds", 150))
        text = lib.load_article(aid).text
        start = text.index("The surge")
        lib.add_highlight(aid, start, start + len("The surge peaked at 1.8 metres."), "1.8 m")
        lib.add_note(aid, 0, 10, "ask about the kingfisher")
        lib.set_tags(aid, ["Coast", "weather"])
        lib.set_tags(other.article.id, ["space"])
    return home, aid


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def _snapshot(home: Path) -> dict[str, bytes]:
    return {
        p.relative_to(home).as_posix(): p.read_bytes()
        for p in sorted(home.rglob("*"))
        if p.is_file() and p.name != ".lock" and not p.name.startswith("search.sqlite")
    }


def test_review_list_and_json_without_a_terminal(
    study_home: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _home, aid = study_home
    now = FIXED_NOW.isoformat()
    status, out, err = run(["review", "--list", "--now", now], capsys)
    assert status == 0, err
    assert out.startswith("2 cards due:") and "The surge peaked at 1.8 metres." in out
    status, out, _ = run(["review", "--json", "--now", now], capsys)
    cards = json.loads(out)
    assert [c["kind"] for c in cards] == ["note", "highlight"]
    assert cards[1]["note"] == "1.8 m" and cards[1]["article_id"] == aid
    assert cards[1]["context"] == "Helen Marsh watched from the control room."
    status, out, _ = run(["review", "--now", now], capsys)  # no TTY under pytest: lists
    assert status == 0 and "2 cards due:" in out


def test_review_bad_input_exits_2(
    study_home: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    home, _ = study_home
    before = _snapshot(home)
    for argv in (["review", "--now", "yesterday"], ["review", "--limit", "0"]):
        status, out, err = run(argv, capsys)
        assert status == 2 and out == "" and err.startswith("reader: ")
        assert len(err.strip().splitlines()) == 1
    assert _snapshot(home) == before


def test_review_session_reveals_rates_and_quits(study_home: tuple[Path, str]) -> None:
    home, _ = study_home
    with Library.open(home) as lib:
        deck = ReviewDeck(lib, scheduler=Scheduler(enable_fuzzing=False))
        cards = deck.due_cards(FIXED_NOW)
        keys = iter(["\n", "x", "3", "\n", "q"])
        out = io.StringIO()
        status = cli.review_session(
            deck, cards, read_key=lambda: next(keys), out=out, clock=lambda: FIXED_NOW
        )
        assert status == 0
        text = out.getvalue()
        assert "Note: ask about the kingfisher" in text and "Note: 1.8 m" in text
        assert "Good — back in 10 minutes." in text and "Reviewed 1 card." in text
        assert deck.due_count(FIXED_NOW) == 1
        assert deck.due_count(FIXED_NOW + timedelta(minutes=10)) == 2


def test_search_json_and_plain(
    study_home: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _home, aid = study_home
    status, out, err = run(["search", "--json", "kingfisher"], capsys)
    assert status == 0, err
    hits = json.loads(out)
    assert [(h["kind"], h["article_id"], h["start"], h["end"]) for h in hits] == [
        ("note", aid, 0, 10)
    ]
    assert set(hits[0]) == {"article_id", "title", "kind", "start", "end", "snippet", "score"}
    status, out, _ = run(["search", "night", "crew"], capsys)
    assert status == 0 and "[night] [crew]" in out and aid in out
    status, out, _ = run(["search", "zzzzqqq"], capsys)
    assert status == 0 and out.startswith("No matches")


def test_search_bad_input_exits_2(
    study_home: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (["search", "?!"], ["search", "--limit", "0", "tide"]):
        status, out, err = run(argv, capsys)
        assert status == 2 and out == "" and len(err.strip().splitlines()) == 1


def test_list_by_tag(study_home: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    _home, aid = study_home
    status, out, _ = run(["list", "--json", "--tag", "coast"], capsys)
    rows = json.loads(out)
    assert (
        status == 0 and [r["id"] for r in rows] == [aid] and rows[0]["tags"] == ["Coast", "weather"]
    )
    status, out, _ = run(["list", "--tag", "coast", "--tag", "space"], capsys)
    assert status == 0 and out.startswith("No articles tagged")
    status, out, _ = run(["list", "--tag", "space"], capsys)
    assert "Orbital freight" in out and "Brackenmouth" not in out
    status, out, err = run(["list", "--tag", " "], capsys)
    assert status == 2 and "--tag" in err


def test_export_then_import_notes_round_trip(
    study_home: tuple[Path, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _home, aid = study_home
    status, out, err = run(["export", "--all", "--format", "json", "--out", str(tmp_path)], capsys)
    assert status == 0, err
    exported = (tmp_path / "reader-export.json").read_text("utf-8")
    status, out, _ = run(["export", "--all", "--format", "json"], capsys)
    assert out == exported
    status, out, _ = run(
        ["export", aid[:6], "--format", "markdown", "--out", str(tmp_path / "md")], capsys
    )
    assert status == 0 and out.startswith("Wrote 1 Markdown file")
    page = (tmp_path / "md" / "brackenmouth-tide-barrier-closes.md").read_text("utf-8")
    assert page.startswith("---\ntitle:") and "> The surge peaked at 1.8 metres." in page
    fresh = tmp_path / "fresh"
    monkeypatch.setenv("READER_HOME", str(fresh))
    status, out, err = run(["import-notes", str(tmp_path / "reader-export.json")], capsys)
    assert status == 0, err
    assert out.startswith("Restored 2 articles, 1 note, 1 highlight")
    status, out, _ = run(["export", "--all", "--format", "json"], capsys)
    assert out == exported


def test_export_bad_input_exits_2_and_writes_nothing(
    study_home: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _home, aid = study_home
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    cases: list[list[str]] = [
        ["export", "--format", "json"],  # neither ids nor --all
        ["export", aid, "--all", "--format", "json"],
        ["export", "ffffffffffffffff", "--format", "json"],
        ["export", "--all", "--format", "markdown", "--out", str(a_file)],
    ]
    for argv in cases:
        status, out, err = run(argv, capsys)
        assert status == 2 and out == "" and len(err.strip().splitlines()) == 1, argv
    with pytest.raises(SystemExit) as exc:
        cli.main(["export", "--all", "--format", "pdf"])
    assert exc.value.code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt", "home"]


def test_import_notes_bad_input_exits_2_and_changes_nothing(
    study_home: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home, _ = study_home
    status, out, _ = run(["export", "--all", "--format", "json"], capsys)
    good: dict[str, Any] = json.loads(out)
    tampered = json.loads(out)
    content = tampered["articles"][0]["content"]
    content["text"] = "X" + content["text"][1:]  # same length: the ranges still fit
    files = {
        "missing.json": None,
        "broken.json": "{",
        "other.json": json.dumps({"format": "something"}),
        "tampered.json": json.dumps(tampered),
        "binary.json": b"\xff\xfe\x00",
    }
    before = _snapshot(home)
    for name, content in files.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif content is not None:
            path.write_text(content, encoding="utf-8")
        status, out, err = run(["import-notes", str(path)], capsys)
        assert status == 2 and out == "", name
        assert err.startswith("reader: ") and err.rstrip().endswith("Nothing was imported.")
        assert len(err.strip().splitlines()) == 1
    assert _snapshot(home) == before
    assert good["format"] == "reader-export"
