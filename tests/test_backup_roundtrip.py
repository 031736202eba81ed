"""A backup restores: homes built from every odd input `reader add` accepts export and import.

The inputs are those the bad-input tests accept (tests/test_read_input.py, tests/test_cli.py):
legacy encodings, byte-order marks, terminal colour codes, DOS line ends, stray control
characters, file names that are not UTF-8 or hold a newline, Markdown and web clips. On top
of them the reader's work is added through the Library API. Exporting, importing into an
empty home and exporting again must give the same file, with every command exiting 0.
"""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest
from fsrs import Scheduler

from reader import cli
from reader.store.library import Library
from reader.study.review import ReviewDeck
from tests.conftest import FIXED_NOW, fake_analyze
from tests.test_cli import CLIP


def _body(topic: str) -> str:
    return (
        f"A report on {topic}\n\n"
        f"The council discussed {topic} on Tuesday. Residents asked many questions.\n\n"
        f"A decision on {topic} is expected next month. Nobody expects it sooner."
    )


def _odd_inputs(folder: Path) -> list[str]:
    """Files as the bad-input tests make them; returns the names to pass to `reader add`."""
    folder.mkdir()
    made: dict[str, bytes] = {
        "legacy.txt": ("“It’s a naïve café,” she said — and left.\n\n" + _body("cafés")).encode(
            "cp1252"
        ),
        "utf16.txt": _body("Grüße aus Köln").encode("utf-16"),
        "utf16be.txt": codecs.BOM_UTF16_BE + _body("big-endian files").encode("utf-16-be"),
        "utf16-no-bom.txt": _body("lost byte-order marks").encode("utf-16-le"),
        "bom.txt": codecs.BOM_UTF8 + _body("Héllo marks").encode(),
        "log.txt": (
            b"\x1b[1;31mRed title\x1b[0m\n\n"
            b"\x1b]8;;https://example.com\x1b\\a link\x1b]8;;\x1b\\ here. More words follow.\n\n"
            b"bell\x07 back\x08space\ttab\x1b(B ok\x7f. The end of the log."
        ),
        "dos.txt": _body("line endings").replace("\n", "\r\n").encode(),
        "controls.txt": _body("stray controls").encode() + b" A bell\x07 and a\x01 unit.",
        "essay.md": b"# Slow reading\n\nRead slowly. Then read *again*.\n\n- a list item\n",
        "clip.txt": CLIP.encode(),
        "odd\nname.txt": _body("names with a newline").encode(),
    }
    names: list[str] = []
    for name, data in made.items():
        (folder / name).write_bytes(data)
        names.append(str(folder / name))
    raw = os.path.join(os.fsencode(folder), b"bad\xffname.txt")
    with open(raw, "wb") as handle:
        handle.write(_body("undecodable file names").encode())
    names.append(os.fsdecode(raw))
    return names


def _add_work(home: Path) -> None:
    """Notes, highlights with notes, tags, progress, review schedules and settings."""
    with Library.open(home) as lib:
        records = lib.articles()
        assert len(records) == 12
        for n, record in enumerate(records):
            text = lib.load_article(record.id).text
            cut = text.index(".") + 1
            lib.add_note(record.id, 0, cut, f"note {n}: a \x1b[31mred\x1b[0m word\r\nand a line")
            lib.add_highlight(record.id, 0, cut, f"why {n}?\x07")
            lib.set_tags(record.id, [f"tag{n % 3}", "odd\x1b[1minput"])
            lib.save_progress(
                record.id, position=cut, progress=1.0 if n % 2 else 0.25, finished=bool(n % 2)
            )
        lib.set_setting("wpm", 240.0)
        deck = ReviewDeck(lib, scheduler=Scheduler(enable_fuzzing=False), analyze=fake_analyze)
        cards = deck.due_cards(FIXED_NOW)
        assert any(c.kind == "key" for c in cards)
        for card, rating in zip(cards[:10], [1, 2, 3, 4] * 3, strict=False):
            deck.rate(card.id, rating, FIXED_NOW)
        assert len(lib.review_states()) == 10


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_every_odd_input_exports_imports_and_exports_the_same(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home, fresh = tmp_path / "home", tmp_path / "fresh"
    status, _, err = _run(["--home", str(home), "add", *_odd_inputs(tmp_path / "in")], capsys)
    assert status == 0, err
    _add_work(home)

    status, out, err = _run(["--home", str(home), "export", "--all", "--format", "json"], capsys)
    assert status == 0 and err == ""
    first = tmp_path / "first.json"
    status, _, err = _run(
        ["--home", str(home), "export", "--all", "--format", "json", "--out", str(first)], capsys
    )
    assert status == 0 and err == ""
    data = json.loads(first.read_bytes().decode("utf-8"))
    assert json.loads(out) == data
    assert len(data["articles"]) == 12 and len(data["review"]) == 10
    origins = [a["origin"] for a in data["articles"]]
    assert any("name.txt" in o and "bad" in o for o in origins)
    for article in data["articles"]:  # the reader's own text comes out clean
        assert "\x1b" not in article["notes"][0]["text"]
        assert "\x07" not in article["highlights"][0]["note"]
        assert all("\x1b" not in tag for tag in article["tags"])

    status, out, err = _run(["--home", str(fresh), "import-notes", str(first)], capsys)
    assert status == 0, err
    assert out.startswith("Restored 12 articles, 12 notes, 12 highlights, 10 review schedules")
    second = tmp_path / "second.json"
    status, _, err = _run(
        ["--home", str(fresh), "export", "--all", "--format", "json", "--out", str(second)], capsys
    )
    assert status == 0, err
    assert second.read_bytes() == first.read_bytes()

    # And the restored home is itself a backup that restores.
    status, _, err = _run(["--home", str(tmp_path / "third"), "import-notes", str(second)], capsys)
    assert status == 0, err
