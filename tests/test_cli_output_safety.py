"""A hostile library meets every command: nothing it holds may drive the user's terminal.

Titles, notes, tags, sources and file names here carry what a clipped page or an edited
export can: colour codes, OSC 52 clipboard writes, OSC 0 window titles, BEL, the 8-bit CSI,
bidi overrides and zero-width characters. Every command's stdout and stderr must hold
none of them raw, and `--json` must still decode to exactly what is stored.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader import cli
from reader.article import Article
from reader.cli import articles as cli_articles
from reader.cli import output
from reader.cli import study as cli_study
from reader.store import Library
from reader.store.ids import article_id
from reader.study.export import export_json
from tests.conftest import BARRIER_PARAGRAPHS, FIXED_NOW

CSI = "\x1b[31mred\x1b[0m"
OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"  # sets the clipboard to "echo pwned"
OSC0 = "\x1b]0;owned\x07"  # retitles the window
BEL = "\x07"
C1_CSI = "\x9b2J"  # the 8-bit CSI: erase the screen
RLO = "\u202e"
LRI = "\u2066"
ZWSP = "\u200b"
BOM = "\ufeff"
EVIL = CSI + OSC52 + OSC0 + BEL + C1_CSI + RLO + LRI + ZWSP + BOM

# Every code point reader.cli.output promises to escape.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029"
    "\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff]"
)


def assert_clean(text: str, what: str) -> None:
    found = FORBIDDEN.search(text)
    assert found is None, f"{what}: raw {found.group()!r} at {found.start()} in {text!r}"


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """cli.main with both outputs captured and checked clean, whatever the command did."""

    def run(*argv: str) -> tuple[int, str, str]:
        try:
            status = cli.main(list(argv))
        except SystemExit as exc:  # argparse's own refusals
            status = int(exc.code or 0)
        out, err = capsys.readouterr()
        assert_clean(out, f"stdout of {argv}")
        assert_clean(err, f"stderr of {argv}")
        return status, out, err

    return run


def hostile_article() -> Article:
    """Every kind of hostile text, in the content itself (the store API takes it as given)."""
    paragraphs = list(BARRIER_PARAGRAPHS)
    paragraphs[0] = paragraphs[0].replace("The surge", f"The {RLO}surge{ZWSP} {CSI}")
    paragraphs[1] = paragraphs[1] + f" The kingfisher {OSC52} flew."
    return Article.from_paragraphs(
        title=f"Tide {EVIL} barrier",
        author=f"Helen {OSC0}Marsh{RLO}",
        published="2024-02-20",
        source=f"Coast{ZWSP} News{C1_CSI}{BEL}",
        paragraphs=paragraphs,
    )


def sly_article() -> Article:
    """Only what an ordinary `reader add` keeps (bidi and zero-width characters), so its
    text can be exported; the hostile rest goes into its notes and tags."""
    return Article.from_paragraphs(
        title=f"Quiet {RLO}harbour{ZWSP} notes",
        author=f"Tom {LRI}Reyes",
        published="2024-03-01",
        source=f"Harbour{BOM} Post",
        paragraphs=[
            f"The harbour {RLO}reopened{ZWSP} at dawn. Engineers checked the gates.",
            f"A kingfisher {LRI}nested by the wall. Nobody was hurt.",
        ],
    )


def mark(library: Library, aid: str, anchor: str) -> None:
    """A highlight with a note on `anchor`, a note at the start, and tags, all hostile."""
    text = library.load_article(aid).text
    start = text.index(anchor)
    library.add_highlight(aid, start, start + len(anchor), f"hl {EVIL} note")
    library.add_note(aid, 0, 10, f"kingfisher {OSC52}{RLO} note")
    library.set_tags(aid, [f"coast{CSI}", f"tide{ZWSP}{LRI}", "plain"])


@pytest.fixture
def store_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("READER_HOME", str(home))
    with Library.open(home) as library:
        aid = library.add_article(hostile_article(), origin=f"/clips/evil{OSC0}.txt").article.id
        mark(library, aid, "Helen Marsh watched")
        aid = library.add_article(sly_article(), origin=f"/clips/sly{RLO}.txt").article.id
        mark(library, aid, "Engineers checked the gates.")
    return home


def crafted_export(tmp_path: Path, article: Article) -> Path:
    """An export as someone might edit one: hostile text in every field an import keeps,
    the id recomputed so the content check passes."""
    source = tmp_path / "clean-home"
    with Library.open(source) as library:
        aid = library.add_article(
            Article.from_paragraphs("Calm", None, None, None, ["Calm water."])
        ).article.id
        library.add_note(aid, 0, 4, "plain")
        library.add_highlight(aid, 0, 5, "plain")
        data = export_json(library)
    shutil.rmtree(source)
    entry = data["articles"][0]
    entry["content"] = article.to_dict()
    entry["id"] = article_id(article)
    entry["title"] = f"Tide {EVIL} barrier"
    entry["author"], entry["source"] = article.author, article.source
    entry["origin"] = f"/clips/evil{OSC52}.txt"
    entry["tags"] = [f"coast{CSI}", f"tide{ZWSP}{LRI}"]
    entry["notes"][0]["text"] = f"kingfisher {OSC52}{RLO} note"
    entry["highlights"][0]["note"] = f"hl {EVIL} note"
    path = tmp_path / f"export{RLO}{OSC0}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


class FakeTTY(io.StringIO):
    """A terminal as far as isatty() can tell."""

    def isatty(self) -> bool:
        return True


def every_command(home: Path, tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each command on `home` (READER_HOME); `run` checks their outputs are clean.

    What the store, the exporter and the importer keep or refuse is theirs to decide: this
    checks only that whatever is printed is harmless and that JSON decodes to the stored data.
    """
    with Library.open(home, read_only=True) as library:
        stored = {r.id: r for r in library.articles()}
        texts = {n.text for n in library.all_notes()} | {
            h.note for h in library.all_highlights() if h.note
        }
    now = FIXED_NOW.isoformat()

    status, out, _ = run("list")
    assert status == 0 and all(aid in out for aid in stored)
    if any("\x1b" in r.title for r in stored.values()):
        assert "\\u001b" in out  # shown, not hidden: the reader sees something is there

    status, out, _ = run("list", "--json")
    rows = {row["id"]: row for row in json.loads(out)}
    assert rows.keys() == stored.keys()
    for aid, row in rows.items():
        record = stored[aid]
        assert (row["title"], row["source"], row["author"]) == (
            record.title,
            record.source,
            record.author,
        )
        assert row["tags"] == list(record.tags)

    for tag in {t for r in stored.values() for t in r.tags}:
        status, out, _ = run("list", "--tag", tag)
        assert status == 0 and "No articles" not in out
    status, out, _ = run("list", "--tag", f"none{OSC0}")
    assert status == 0 and out.startswith("No articles tagged")

    titles = {r.title for r in stored.values()}
    for query in ("kingfisher", "engineers"):
        status, out, err = run("search", query)
        assert status == 0, err
        status, out, _ = run("search", "--json", query)
        hits = json.loads(out)
        assert hits and {h["title"] for h in hits} <= titles
    run("search", f"nothing{OSC52}")

    status, out, _ = run("review", "--list", "--now", now)
    assert status == 0 and "card" in out
    status, out, _ = run("review", "--json", "--now", now)
    cards = json.loads(out)
    assert {c["note"] for c in cards if c["note"]} == texts
    assert {c["title"] for c in cards} <= titles

    folder = tmp_path / "md"
    status, out, err = run("export", "--all", "--format", "markdown", "--out", str(folder))
    assert status in (0, 1), err  # 1: an article the exporter refused, named on stderr
    assert out.startswith("Wrote ")
    for page in folder.glob("*.md"):
        assert b"\x1b" not in page.read_bytes(), page.name
    status, _, err = run("export", f"{OSC52}abcd", "--format", "json")
    assert status == 2 and "not in the library" in err
    status, _, err = run("import-notes", str(tmp_path / f"missing{OSC0}{RLO}.json"))
    assert status == 2 and "missing" in err

    # The interactive loop, as on a terminal: keys scripted (show the note, then Good).
    keys = itertools.cycle(["\n", "3"])
    terminal = FakeTTY()
    with monkeypatch.context() as m:
        m.setattr(sys, "stdin", FakeTTY())
        m.setattr(sys, "stdout", terminal)
        m.setattr(cli_study, "_read_key", lambda: next(keys))
        status = cli.main(["review", "--now", now])
    assert status == 0
    shown = terminal.getvalue()
    assert "Note: " in shown and f"Reviewed {len(cards)} cards" in shown
    assert_clean(shown, "the interactive review")

    status, out, err = run("export", "--all", "--format", "json")
    assert status in (0, 1), err
    with Library.open(home, read_only=True) as library:
        assert json.loads(out) == export_json(library, notices=[])


def check_inputs(tmp_path: Path, run: Run) -> None:
    """analyze and add of hostile files and file names, and their error paths."""
    clip = tmp_path / f"clip{OSC0}{RLO}.txt"
    clip.write_text(
        f"Tide {CSI}barrier{RLO} closes\n\nThe {ZWSP}gates{BOM} held on Monday {OSC52}night. "
        "Engineers watched from the control room and said the barrier worked well.\n",
        encoding="utf-8",
    )
    status, out, err = run("analyze", str(clip))
    assert status == 0, err
    assert "\\u202e" in out  # the file name and the title, visible
    status, out, _ = run("analyze", "--json", str(clip))
    data = json.loads(out)
    assert data["path"] == str(clip)
    assert "\u202e" in data["title"]  # decodes to the real text: nothing lost

    status, out, err = run("add", str(clip))
    assert status == 0, err
    assert out.count("\n") == 2 and "added" in out
    status, out, _ = run("add", str(clip))
    assert "already in the library" in out

    for command in ("analyze", "add", "open"):
        missing = tmp_path / f"gone{OSC52}\n{RLO}.txt"
        status, out, err = run(command, str(missing))
        lines = err.splitlines()
        assert status == 2 and out == "" and "gone" in lines[0]
        assert all(line.startswith("reader: ") for line in lines)  # one line per message


def test_every_command_on_a_hostile_library(
    store_home: Path, tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    every_command(store_home, tmp_path, run, monkeypatch)
    check_inputs(tmp_path, run)


def test_every_command_on_an_imported_hostile_export(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = crafted_export(tmp_path, sly_article())
    home = tmp_path / "imported"
    monkeypatch.setenv("READER_HOME", str(home))
    status, out, err = run("import-notes", str(export))
    assert status == 0, err
    assert out.startswith("Restored 1 article,")
    every_command(home, tmp_path, run, monkeypatch)


def test_an_export_with_raw_controls_in_its_text_is_refused_cleanly(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether import-notes takes such a text is the importer's call; what it prints
    about it, naming the file and the article, must still be harmless."""
    export = crafted_export(tmp_path, hostile_article())
    monkeypatch.setenv("READER_HOME", str(tmp_path / "imported"))
    status, out, err = run("import-notes", str(export))
    if status == 0:
        every_command(tmp_path / "imported", tmp_path, run, monkeypatch)
    else:
        assert status == 2 and out == "" and len(err.splitlines()) == 1


def test_hostile_file_names_when_many_files_show_a_progress_bar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rich draws the bar with its own escape codes, on the real stderr; the lines printed
    meanwhile still come out sanitised, through Rich's redirection."""
    monkeypatch.setenv("READER_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(cli_articles, "BATCH", 2)
    folder = tmp_path / "clips"
    folder.mkdir()
    for i in range(5):
        (folder / f"clip {i}{OSC52}{RLO}.txt").write_text(
            f"Title {i} {RLO}here\n\nA paragraph of text number {i} with enough words in it.\n",
            encoding="utf-8",
        )
    out, err = FakeTTY(), FakeTTY()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    assert cli.main(["add", str(folder)]) == 0
    printed = out.getvalue() + err.getvalue()
    assert "5 added" in printed
    assert printed.count("\\u202e") >= 10  # every added line, name and title
    for raw in (RLO, OSC52, BEL):
        assert raw not in printed
    assert "\\u001b[" not in printed, "Rich's own codes must reach the terminal unescaped"


# ---------------------------------------------------------------- the wrapper itself

ESCAPED = [
    *(c for c in range(0x20) if c not in (0x09, 0x0A)),
    *range(0x7F, 0xA0),
    0x061C,
    0x200E,
    0x200F,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    *range(0x200B, 0x200E),
    *range(0x2060, 0x2065),
    0xFEFF,
    0x2028,
    0x2029,
    *range(0xD800, 0xE000),
]


def test_each_listed_code_point_is_escaped_and_nothing_else() -> None:
    for cp in ESCAPED:
        assert output.sanitize(f"a{chr(cp)}b") == f"a\\u{cp:04x}b"
    kept = "tab\there\nnewline café “quotes” — 日本語 🙂 \\u202e \u00ad"
    assert output.sanitize(kept) == kept


@given(st.text())
def test_json_through_the_wrapper_is_valid_and_exact(value: str) -> None:
    printed = output.sanitize(json.dumps({"v": value}, ensure_ascii=False))
    assert FORBIDDEN.search(printed) is None
    assert json.loads(printed) == {"v": value}


def test_the_wrapper_passes_everything_else_through(tmp_path: Path) -> None:
    with (tmp_path / "out.txt").open("w", encoding="utf-8") as raw:
        safe = output.SafeStream(raw)
        assert safe.write(f"x{RLO}\n") == 3
        safe.writelines(["a", BEL])
        assert safe.fileno() == raw.fileno() and safe.isatty() is False
        assert safe.encoding == "utf-8" and safe.errors == raw.errors
        assert safe.buffer is raw.buffer and safe.name == raw.name
        safe.flush()
    assert (tmp_path / "out.txt").read_text("utf-8") == "x\\u202e\na\\u0007"


def test_lone_surrogates_are_printed_not_crashed_on(capsysbinary: Any) -> None:
    with output.sanitized_output():
        print("bad\udcffname", file=sys.stdout)
        sys.stdout.flush()
    assert capsysbinary.readouterr().out == b"bad\\udcffname\n"


def test_main_restores_the_streams_even_when_a_command_fails(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("READER_HOME", str(tmp_path / "home"))
    before = sys.stdout, sys.stderr

    def boom(home: str | None, **kwargs: Any) -> Any:
        assert isinstance(sys.stdout, output.SafeStream)
        assert isinstance(sys.stderr, output.SafeStream)
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli_articles, "open_library", boom)
    with pytest.raises(RuntimeError):
        cli.main(["list"])
    assert (sys.stdout, sys.stderr) == before
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert (sys.stdout, sys.stderr) == before


@pytest.fixture
def app_streams(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[Any]]:
    """The real app stubbed out: what sys.stdout and sys.stderr were when it ran."""
    import reader.ui.app as ui_app

    seen: list[Any] = []

    def fake_run_app(home: Path, open_article: str | None = None, notices: Any = ()) -> int:
        seen.append((sys.stdout, sys.stderr))
        return 0

    monkeypatch.setattr(ui_app, "run_app", fake_run_app)
    monkeypatch.setenv("READER_HOME", str(tmp_path / "home"))
    yield seen


def test_the_app_runs_on_the_real_streams(app_streams: list[Any], tmp_path: Path) -> None:
    """Textual writes its own escape sequences: escaped, the screen would be garbage."""
    before = sys.stdout, sys.stderr
    clip = tmp_path / "clip.txt"
    clip.write_text("A title\n\nSome text to read in the app, long enough.\n", "utf-8")
    assert cli.main([]) == 0
    assert cli.main(["open", str(clip)]) == 0
    assert app_streams == [before, before]
    for stream in app_streams[0]:
        assert not isinstance(stream, output.SafeStream)
    assert (sys.stdout, sys.stderr) == before


def test_the_escape_of_a_character_is_unambiguous_with_json(run: Run, tmp_path: Path) -> None:
    """A title holding the six characters backslash-u-2-0-2-e stays distinct in JSON."""
    home = tmp_path / "home"
    with Library.open(home) as library:
        library.add_article(Article.from_paragraphs("literal \\u202e", None, None, None, ["Text."]))
        library.add_article(
            Article.from_paragraphs(f"real {RLO}", None, None, None, ["Other text."])
        )
    _, out, _ = run("list", "--json", "--home", str(home))
    assert sorted(r["title"] for r in json.loads(out)) == ["literal \\u202e", f"real {RLO}"]
