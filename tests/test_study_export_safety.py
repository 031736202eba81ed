"""Exports that survive damage and odd text; read-only study commands; write failures.

One damaged text costs one article (named on stderr, exit 1), never the whole export or
review; the Markdown pages never hold a control character; the JSON always imports; the
commands that only read take no lock; a failed write names the file and what to do.
"""

from __future__ import annotations

import dataclasses
import errno
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from reader import cli
from reader.cli import study as cli_study
from reader.nlp.analyzer import ANALYZER_VERSION
from reader.nlp.cache import AnalysisCache
from reader.store import DiskError
from reader.store.content import content_path
from reader.store.library import Library
from reader.study.export import dumps, export_json, export_markdown
from reader.study.importer import check_export, load_export
from reader.study.review import ReviewDeck
from tests.conftest import FIXED_NOW, barrier_article, fake_analyze, make_article

NOW = FIXED_NOW.isoformat()


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str, str]:
    """Two articles with a note and a highlight each; returns (home, good id, other id)."""
    home = tmp_path / "home"
    monkeypatch.setenv("READER_HOME", str(home))
    with Library.open(home) as lib:
        good = lib.add_article(barrier_article()).article.id
        other = lib.add_article(make_article("Orbital freight startup", 120)).article.id
        for aid in (good, other):
            lib.add_note(aid, 0, 10, f"note on {aid}")
            lib.add_highlight(aid, 0, 20, "why")
    return home, good, other


def _damage(home: Path, aid: str, how: str) -> None:
    path = content_path(home / "articles", aid)
    if how == "missing":
        path.unlink()
    else:
        path.write_bytes(b"not gzip at all")


# ---------------------------------------------------------------- damaged texts


@pytest.mark.parametrize("how", ["missing", "damaged"])
def test_export_json_skips_a_damaged_text_names_it_and_exports_the_rest(
    work: tuple[Path, str, str],
    how: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home, good, other = work
    _damage(home, other, how)
    status, out, err = run(["export", "--all", "--format", "json"], capsys)
    assert status == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and other in lines[0] and "Orbital freight startup" in lines[0]
    assert "add the article again" in lines[0].lower()
    data = json.loads(out)
    assert [a["id"] for a in data["articles"]] == [good]
    backup = tmp_path / "backup.json"
    backup.write_text(out, encoding="utf-8")
    status, out, err = run(["--home", str(tmp_path / "fresh"), "import-notes", str(backup)], capsys)
    assert status == 0, err


def test_export_markdown_skips_a_damaged_text_and_writes_the_rest(
    work: tuple[Path, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home, _good, other = work
    _damage(home, other, "missing")
    folder = tmp_path / "md"
    status, out, err = run(
        ["export", "--all", "--format", "markdown", "--out", str(folder)], capsys
    )
    assert status == 1 and other in err and len(err.strip().splitlines()) == 1
    assert out.startswith("Wrote 1 Markdown file")
    assert [p.name for p in folder.iterdir()] == ["brackenmouth-tide-barrier-closes.md"]


def test_export_markdown_without_a_notices_list_still_writes_the_rest(
    work: tuple[Path, str, str], tmp_path: Path
) -> None:
    """The app's export catches StoreError: it must hear of the skip, after the rest."""
    from reader.study.export import SkippedArticles

    home, _good, other = work
    _damage(home, other, "damaged")
    with Library.open(home) as lib:
        with pytest.raises(SkippedArticles, match=other):
            export_markdown(lib, tmp_path / "md")
        assert len(list((tmp_path / "md").iterdir())) == 1


def test_review_skips_the_cards_of_a_damaged_text(
    work: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    home, good, other = work
    _damage(home, other, "missing")
    status, out, err = run(["review", "--json", "--now", NOW], capsys)
    assert status == 0
    cards = json.loads(out)
    assert {c["article_id"] for c in cards} == {good} and len(cards) == 2
    assert len(err.strip().splitlines()) == 1 and other in err
    with Library.open(home) as lib:
        deck = ReviewDeck(lib)
        assert len(deck.due_cards(FIXED_NOW, limit=2)) == 2  # the good article's, first
        assert deck.notices == []  # its text was never needed
        assert len(deck.due_cards(FIXED_NOW, limit=3)) == 2
        assert len(deck.notices) == 1 and other in deck.notices[0]


# ---------------------------------------------------------------- odd text in the store


def test_json_export_mends_lone_surrogates_and_cleans_the_readers_text(
    work: tuple[Path, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """Records of an old home may hold a lone surrogate (an undecodable file name) or
    control characters; the export must still write as UTF-8 and import."""
    _home, good, _ = work
    articles, notes = Library.articles, Library.notes

    def odd_articles(self: Library) -> list[Any]:
        return [
            dataclasses.replace(
                r, origin="/clips/bad\udcffname.txt", title=r.title + "\x1b[31m\udcff"
            )
            for r in articles(self)
        ]

    def odd_notes(self: Library, aid: str) -> list[Any]:
        return [
            dataclasses.replace(n, text="a\udcff\x1b]0;owned\x07b\x9b") for n in notes(self, aid)
        ]

    monkeypatch.setattr(Library, "articles", odd_articles)
    monkeypatch.setattr(Library, "notes", odd_notes)
    target = tmp_path / "out.json"
    status, _, err = run(["export", "--all", "--format", "json", "--out", str(target)], capsys)
    assert status == 0, err
    data = json.loads(target.read_bytes().decode("utf-8"))
    entry = next(a for a in data["articles"] if a["id"] == good)
    assert entry["origin"] == "/clips/bad\ufffdname.txt"
    assert entry["title"] == "Brackenmouth tide barrier closes\ufffd"
    assert entry["notes"][0]["text"] == "a\ufffdb"
    monkeypatch.undo()
    status, _, err = run(["--home", str(tmp_path / "fresh"), "import-notes", str(target)], capsys)
    assert status == 0, err


def test_an_article_whose_content_import_would_refuse_is_left_out(tmp_path: Path) -> None:
    """Text added through the API may hold what the parsers never leave: an export holding
    it could never be imported, so it is named and left out instead."""
    with Library.open(tmp_path / "home") as lib:
        lib.add_article(barrier_article())
        bad = lib.add_article(barrier_article(title="Bell\x07 title")).article.id
        notices: list[str] = []
        data = export_json(lib, notices=notices)
    assert len(data["articles"]) == 1 and len(notices) == 1 and bad in notices[0]
    check_export(json.loads(dumps(data)))


_YAML_PRINTABLE = re.compile("[\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")


def test_markdown_pages_hold_no_control_characters_and_valid_front_matter(
    tmp_path: Path,
) -> None:
    nasty = "\x1b[31mRed\x1b[0m \x9b2J\x85 \u2028 \ufeffbom \x07bell \udcff"
    with Library.open(tmp_path / "home") as lib:
        aid = lib.add_article(
            barrier_article(url="https://example.com/\x1b]52;c;eA==\x07")
        ).article.id
        lib.set_tags(aid, [f"tag {nasty}"])
        lib.add_note(aid, 0, 10, f"note {nasty}")
        lib.add_highlight(aid, 0, 20, f"highlight {nasty}")
        record = dataclasses.replace(lib.get(aid), title=f"Title {nasty}", author=nasty)
        text = lib.load_article(aid).text
        AnalysisCache(lib.cache_dir, ANALYZER_VERSION).put(fake_analyze(text))
        from reader.study.export import article_markdown

        page = article_markdown(
            record,
            text + nasty,
            lib.load_article(aid).url,
            None,
            lib.highlights(aid),
            lib.notes(aid),
        )
        paths = export_markdown(lib, tmp_path / "md")
    for content in (page, paths[0].read_text("utf-8")):
        assert _YAML_PRINTABLE.fullmatch(content), content
        assert "\x1b" not in content and "\x9b" not in content
        front = content.split("---\n")[1]
        for line in front.splitlines():
            key, value = line.split(": ", 1)
            parsed = json.loads(value)  # double-quoted scalars: JSON, so YAML too
            assert isinstance(parsed, str | list), key
    assert "\n# Title Red bom bell \ufffd\n" in page


# ---------------------------------------------------------------- read-only commands


def test_read_only_commands_take_no_lock(
    work: tuple[Path, str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """With the app holding the home, listing, searching and exporting say nothing about
    it: they never asked for the lock."""
    home, _good, _ = work
    with Library.open(home) as holder:
        assert not holder.read_only
        for argv in (
            ["review", "--list", "--now", NOW],
            ["review", "--json", "--now", NOW],
            ["search", "kingfisher"],
            ["export", "--all", "--format", "json"],
            ["export", "--all", "--format", "markdown", "--out", str(tmp_path / "md")],
        ):
            status, _out, err = run(argv, capsys)
            assert status == 0 and "Another reader" not in err, (argv, err)


def test_review_list_on_a_read_only_library_lists_unrecorded_key_sentences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A finished article whose key sentences were never recorded: the read-only listing
    finds them in the analysis cache, as a writable run would, and records nothing."""
    home = tmp_path / "home"
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        lib.save_progress(aid, position=0, progress=1.0, finished=True)
        AnalysisCache(lib.cache_dir, ANALYZER_VERSION).put(fake_analyze(lib.load_article(aid).text))
        assert lib.key_sentence_index() == {}
    with Library.open(home, read_only=True) as lib:
        deck = ReviewDeck(lib, analyze=fake_analyze)
        cards = deck.due_cards(FIXED_NOW)
        assert [c.kind for c in cards] == ["key"] * 3
        assert deck.due_count(FIXED_NOW) == 3
        assert lib.key_sentence_index() == {}
    with Library.open(home) as holder:  # the app holds it: the command must read only
        status, out, err = run(["--home", str(home), "review", "--json", "--now", NOW], capsys)
        assert status == 0, err
        assert [c["id"] for c in json.loads(out)] == [c.id for c in cards]
        assert holder.key_sentence_index() == {}


# ---------------------------------------------------------------- write failures


def test_export_write_failures_name_the_path_and_what_to_do(
    work: tuple[Path, str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    for fmt in ("json", "markdown"):
        status, out, err = run(
            ["export", "--all", "--format", fmt, "--out", str(blocker / "inside" / "x.json")],
            capsys,
        )
        assert status == 1 and out == "", fmt
        lines = err.strip().splitlines()
        assert len(lines) == 1 and str(blocker) in lines[0] and "give --out" in lines[0], err

    import reader.store.fileio as fileio

    def full(*_args: Any, **_kwargs: Any) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio, "write_temp", full)
    target = tmp_path / "backup.json"
    target.write_text("the last good backup", encoding="utf-8")
    status, _, err = run(["export", "--all", "--format", "json", "--out", str(target)], capsys)
    assert status == 1 and "disk is full" in err and str(target) in err
    assert target.read_text("utf-8") == "the last good backup"  # replaced whole or not at all


def test_a_disk_error_from_the_library_is_one_line_exit_1(
    work: tuple[Path, str, str], capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    def refuse(self: Library, aid: str) -> None:
        raise DiskError("Could not use /x/progress/3.json: permission denied; check it.")

    monkeypatch.setattr(Library, "progress_doc", refuse)
    status, out, err = run(["export", "--all", "--format", "json"], capsys)
    assert status == 1 and out == "" and err.count("\n") == 1 and "permission denied" in err


def test_json_out_to_an_existing_file_without_a_suffix_replaces_it(
    work: tuple[Path, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "backup"
    target.write_text("old", encoding="utf-8")
    status, _, err = run(["export", "--all", "--format", "json", "--out", str(target)], capsys)
    assert status == 0, err
    assert load_export(target).articles


def test_json_to_a_stdout_that_cannot_take_utf8_is_escaped(
    work: tuple[Path, str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    home, good, _ = work
    with Library.open(home) as lib:
        lib.add_note(good, 0, 5, "naïve “quotes” ✓")
    buffer = io.BytesIO()
    stream = io.TextIOWrapper(buffer, encoding="latin-1")
    monkeypatch.setattr("sys.stdout", stream)
    assert cli.main(["export", "--all", "--format", "json"]) == 0
    stream.flush()
    path = tmp_path / "ascii.json"
    path.write_bytes(buffer.getvalue())
    assert buffer.getvalue().isascii()
    notes = [n["text"] for a in load_export(path).articles for n in a.notes]
    assert "naïve “quotes” ✓" in notes


def test_write_problem_advice() -> None:
    exc = OSError(errno.EACCES, "Permission denied", "/x/bad\udcffname")
    assert cli_study.write_problem(exc, Path("/x")) == (
        "cannot write the export to /x/bad\\xffname: permission denied; "
        "give --out a folder you may write to."
    )
