"""A home saved by the previous version (schema 1: texts as paragraphs, annotations by
offset only) opens with everything kept, and its Markdown articles get their shape back.

The old home is written here byte by byte as that version wrote it, not made with today's
code, so the test keeps checking the real upgrade path however the store changes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from reader.store import Library
from reader.store.records import HighlightRecord, NoteRecord
from reader.study.reimport import LAYOUT_SETTING, reimport, upgrade_layouts

GUIDE = """\
# Reading the tide tables

Harbour masters publish the tables each spring. Read them with *care* and check the \
[almanac](https://example.org/almanac) too.

## Steps

1. Find your port in the index.
2. Note the height of high water.
   - Add the local correction.
   - Round down, never up.

> A table is a promise the sea does not sign.

```python
def height(base, correction):
    total = base + correction

    return round(total, 1)
```

| Port | Correction |
|------|-----------:|
| Brackenmouth | +0.3 |
| Saltry | -0.1 |

---

Boats waited in the harbour until the water rose again.
"""
# What the previous version stored for GUIDE: its Markdown reader flattened everything.
GUIDE_PARAGRAPHS = [
    "Harbour masters publish the tables each spring. Read them with care and check the "
    "almanac too.",
    "Steps",
    "1. Find your port in the index.",
    "2. Note the height of high water.",
    "• Add the local correction.",
    "• Round down, never up.",
    "A table is a promise the sea does not sign.",
    "def height(base, correction):\n    total = base + correction\n    return round(total, 1)",
    "Port | Correction",
    "Brackenmouth | +0.3",
    "Saltry | -0.1",
    "Boats waited in the harbour until the water rose again.",
]
CLIP_PARAGRAPHS = [
    "The harbour closes at dusk. Boats must be moored by six.",
    "Helen Marsh signed the notice.",
]
STAMP = "2025-06-01T10:00:00+00:00"


def _id(title: str, paragraphs: list[str]) -> str:
    canonical = json.dumps([title, paragraphs], separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()[:16]


def _span(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


def _key(aid: str) -> str:
    return str(int(aid, 16))


def _write(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")


class OldHome:
    """The schema-1 home: a Markdown guide (from a file) and a text clip, each read part-way,
    with notes, highlights, review schedules, key sentences, tags and counters."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.guide = _id("Reading the tide tables", GUIDE_PARAGRAPHS)
        self.clip = _id("Harbour notice", CLIP_PARAGRAPHS)
        self.guide_text = "\n\n".join(GUIDE_PARAGRAPHS)
        self.clip_text = "\n\n".join(CLIP_PARAGRAPHS)
        text = self.guide_text
        self.passages = {
            "note on a list item": _span(text, "2. Note the height of high water."),
            "note in the code": _span(text, "total = base + correction"),
            "highlight": _span(text, "Read them with care and check the almanac too."),
            "highlight on a bullet": _span(text, "Round down, never up."),
        }
        self.key = (0, len("Harbour masters publish the tables each spring."))
        self.position = text.index("A table is")
        self.anchor = text.index("Steps")
        self.clip_note = (0, len("The harbour closes at dusk."))

    def write(self) -> None:
        home, guide, clip = self.home, self.guide, self.clip
        for aid, title, paragraphs in (
            (guide, "Reading the tide tables", GUIDE_PARAGRAPHS),
            (clip, "Harbour notice", CLIP_PARAGRAPHS),
        ):
            content = {
                "title": title,
                "author": None,
                "published": None,
                "source": None,
                "url": None,
                "paragraphs": paragraphs,
            }
            path = home / "articles" / f"{aid}.json.gz"
            path.parent.mkdir(parents=True, exist_ok=True)
            payload = json.dumps(content, separators=(",", ":")).encode("ascii")
            path.write_bytes(gzip.compress(payload, mtime=0))

        def entry(aid: str, title: str, words: int, origin: str | None, tags: list[str]) -> Any:
            return {
                "id": aid, "title": title, "author": None, "published": None, "source": None,
                "url": None, "words": words, "added_at": STAMP, "origin": origin, "tags": tags,
            }  # fmt: skip

        articles = {
            _key(guide): entry(guide, "Reading the tide tables", 80, str(self.guide_file), ["sea"]),
            _key(clip): entry(clip, "Harbour notice", 16, None, []),
        }
        _write(home / "library.json", {"meta": {"1": {"schema": 1}}, "articles": articles})

        def annotation(aid: str, span: tuple[int, int], field: str, text: str) -> Any:
            return {"article_id": aid, "start": span[0], "end": span[1], field: text,
                    "created_at": STAMP, "updated_at": STAMP}  # fmt: skip

        p = self.passages
        notes: dict[str, dict[str, Any]] = {}
        highlights: dict[str, dict[str, Any]] = {}
        notes.setdefault(guide[0], {})["1"] = annotation(
            guide, p["note on a list item"], "text", "Check twice."
        )
        notes.setdefault(guide[0], {})["2"] = annotation(
            guide, p["note in the code"], "text", "Why not max()?"
        )
        notes.setdefault(clip[0], {})["3"] = annotation(
            clip, self.clip_note, "text", "Dusk: 17:40 in June."
        )
        highlights.setdefault(guide[0], {})["1"] = annotation(guide, p["highlight"], "note", "")
        highlights.setdefault(guide[0], {})["2"] = annotation(
            guide, p["highlight on a bullet"], "note", "Always."
        )
        for shard, docs in notes.items():
            _write(home / "notes" / f"{shard}.json", {"notes": docs})
        for shard, docs in highlights.items():
            _write(home / "highlights" / f"{shard}.json", {"highlights": docs})
        state = {
            "card_id": 7, "state": 2, "step": None, "stability": 3.1, "difficulty": 5.2,
            "due": "2025-06-09T10:00:00+00:00", "last_review": "2025-06-02T10:00:00+00:00",
        }  # fmt: skip
        key_card = f"k{guide}:{self.key[0]}-{self.key[1]}"
        cards: dict[str, dict[str, Any]] = {}
        sources = [("h1", guide), ("n1", guide), ("h2", guide), (key_card, guide), ("n3", clip)]
        for number, (card, aid) in enumerate(sources, start=1):
            due = 1749463200.0 + number
            cards.setdefault(aid[0], {})[str(number)] = {
                "card": card, "article_id": aid, "due": due, "state": state,
            }  # fmt: skip
        for shard, docs in cards.items():
            _write(home / "review" / f"{shard}.json", {"cards": docs})
        keys = {"article_id": guide, "version": "4.old", "spans": [list(self.key)]}
        _write(home / "review" / "keys.json", {"keys": {_key(guide): keys}})
        progress: dict[str, dict[str, Any]] = {}
        progress.setdefault(guide[0], {})[_key(guide)] = {
            "article_id": guide, "position": self.position, "progress": 0.55, "furthest": 0.7,
            "seconds_read": 95.0, "last_read": STAMP, "finished": False, "anchor": self.anchor,
        }  # fmt: skip
        progress.setdefault(clip[0], {})[_key(clip)] = {
            "article_id": clip, "position": 0, "progress": 1.0, "seconds_read": 20.0,
            "last_read": STAMP, "finished": True,
        }  # fmt: skip
        for shard, docs in progress.items():
            _write(home / "progress" / f"{shard}.json", {"progress": docs})
        _write(home / "counters.json", {"counters": {"1": {"notes": 4, "highlights": 3}}})
        _write(home / "settings.json", {"settings": {"1": {"key": "wpm", "value": 240}}})

    @property
    def guide_file(self) -> Path:
        return self.home.parent / "tide-tables.md"


@pytest.fixture
def old_home(tmp_path: Path) -> OldHome:
    old = OldHome(tmp_path / "home")
    old.guide_file.write_text(GUIDE, encoding="utf-8")
    old.write()
    return old


def _files(home: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(home)): p.read_bytes()
        for p in sorted(home.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def test_opening_keeps_every_record_and_adds_each_passage_quote(old_home: OldHome) -> None:
    with Library.open(old_home.home) as library:
        assert library.notices == []
        guide = library.load_article(old_home.guide)
        assert guide.text == old_home.guide_text  # the old text reads exactly as it was
        notes = {n.id: n for n in library.all_notes()}
        assert {i: (n.article_id, n.text) for i, n in notes.items()} == {
            1: (old_home.guide, "Check twice."),
            2: (old_home.guide, "Why not max()?"),
            3: (old_home.clip, "Dusk: 17:40 in June."),
        }
        assert (notes[1].start, notes[1].end) == old_home.passages["note on a list item"]
        assert (notes[3].start, notes[3].end) == old_home.clip_note
        highlights = {h.id: h for h in library.all_highlights()}
        assert {i: h.note for i, h in highlights.items()} == {1: "", 2: "Always."}
        assert (highlights[2].start, highlights[2].end) == old_home.passages[
            "highlight on a bullet"
        ]
        marks: list[NoteRecord | HighlightRecord] = [*notes.values(), *highlights.values()]
        for mark in marks:
            text = guide.text if mark.article_id == old_home.guide else old_home.clip_text
            assert mark.quote == text[mark.start : mark.end]
            assert not mark.detached
        cards = {s.card_id: s for s in library.review_states()}
        assert set(cards) == {"h1", "n1", "h2", "n3", f"k{old_home.guide}:0-{old_home.key[1]}"}
        assert cards["h1"].state["stability"] == 3.1
        record = library.get(old_home.guide)
        assert (record.position, record.anchor, record.tags) == (
            old_home.position,
            old_home.anchor,
            ("sea",),
        )
        assert (record.progress, record.furthest, record.seconds_read) == (0.55, 0.7, 95.0)
        assert library.get(old_home.clip).finished
        assert library.get_setting("wpm", 0) == 240
        assert library.add_note(old_home.clip, 28, 55, "new").id == 4  # the counters held
    library_json = json.loads((old_home.home / "library.json").read_text(encoding="utf-8"))
    assert library_json["meta"]["1"]["schema"] == 2


def test_a_read_only_window_changes_nothing_in_an_old_home(old_home: OldHome) -> None:
    before = _files(old_home.home)
    with Library.open(old_home.home, read_only=True) as library:
        assert [n.text for n in library.notes(old_home.guide)] == ["Check twice.", "Why not max()?"]
    assert _files(old_home.home) == before


def test_markdown_articles_get_their_shape_back_and_everything_follows(old_home: OldHome) -> None:
    with Library.open(old_home.home) as library:
        result = upgrade_layouts(library)
        assert [r.old_id for r in result.changed] == [old_home.guide]
        assert result.detached == 0
        new_id = result.changed[0].new_id
        assert {r.id for r in library.articles()} == {new_id, old_home.clip}
        article = library.load_article(new_id)
        kinds = [b.kind for b in article.blocks]
        assert {"heading", "list_item", "quote", "code", "table", "rule"} <= set(kinds)
        code = next(b for b in article.blocks if b.kind == "code")
        assert article.text[code.start : code.end].split("\n") == [
            "def height(base, correction):",
            "    total = base + correction",
            "",
            "    return round(total, 1)",
        ]
        text = article.text
        notes = {n.id: n for n in library.notes(new_id)}
        assert text[notes[1].start : notes[1].end] == "Note the height of high water."
        assert text[notes[2].start : notes[2].end] == "total = base + correction"
        assert notes[1].text == "Check twice." and notes[2].text == "Why not max()?"
        highlights = {h.id: h for h in library.highlights(new_id)}
        assert text[highlights[1].start : highlights[1].end] == (
            "Read them with care and check the almanac too."
        )
        assert text[highlights[2].start : highlights[2].end] == "Round down, never up."
        assert highlights[2].note == "Always."
        record = library.get(new_id)
        assert text[record.position :].startswith("A table is a promise")
        assert record.anchor is not None and text[record.anchor :].startswith("Steps")
        assert (record.progress, record.furthest, record.seconds_read, record.tags) == (
            0.55, 0.7, 95.0, ("sea",),
        )  # fmt: skip
        assert record.origin == str(old_home.guide_file)
        cards = {s.card_id: s for s in library.review_states()}
        key = f"k{new_id}:0-{len('Harbour masters publish the tables each spring.')}"
        assert set(cards) == {"h1", "n1", "h2", "n3", key}
        assert {s.article_id for c, s in cards.items() if c != "n3"} == {new_id}
        assert cards["n1"].state["difficulty"] == 5.2
        # The clip had no shape to give back; once done, the home is not looked at again.
        assert library.load_article(old_home.clip).text == old_home.clip_text
        assert library.get_setting(LAYOUT_SETTING, False) is True
        assert upgrade_layouts(library).changed == []
    assert not (old_home.home / "articles" / f"{old_home.guide}.json.gz").exists()


def test_an_edited_file_is_not_taken_for_the_same_article(old_home: OldHome) -> None:
    old_home.guide_file.write_text(GUIDE.replace("each spring", "every winter"), encoding="utf-8")
    with Library.open(old_home.home) as library:
        result = upgrade_layouts(library)
        assert result.changed == []
        assert [why for _, why in result.skipped] == ["its file has changed since it was added"]
        assert library.load_article(old_home.guide).text == old_home.guide_text


def test_reimport_of_an_edited_file_keeps_what_it_cannot_find_detached(old_home: OldHome) -> None:
    edited = GUIDE.replace("2. Note the height of high water.", "2. Write the height down.")
    old_home.guide_file.write_text(edited, encoding="utf-8")
    with Library.open(old_home.home) as library:
        result = reimport(library, [library.get(old_home.guide)])
        assert result.detached == 1
        new_id = result.changed[0].new_id
        notes = {n.id: n for n in library.notes(new_id)}
        assert notes[1].detached and notes[1].quote == "2. Note the height of high water."
        assert notes[1].text == "Check twice."  # the reader's words are never lost
        assert not notes[2].detached
        text = library.load_article(new_id).text
        assert text[notes[2].start : notes[2].end] == "total = base + correction"
        assert "n1" in {s.card_id for s in library.review_states()}
    # Opened again, the detached note is still detached and still there.
    with Library.open(old_home.home) as library:
        assert {n.id: n.detached for n in library.notes(new_id)} == {1: True, 2: False}


def test_an_article_added_again_meanwhile_is_joined_not_doubled(old_home: OldHome) -> None:
    from reader.sources.registry import read_path

    with Library.open(old_home.home) as library:
        again = library.add_article(
            read_path(old_home.guide_file)[0], origin=str(old_home.guide_file)
        )
        assert again.added
        library.add_note(again.article.id, 0, 15, "Added to the new copy.")
        result = upgrade_layouts(library)
        assert [r.new_id for r in result.changed] == [again.article.id]
        assert len(library.articles()) == 2  # the guide once, and the clip
        notes = sorted(n.text for n in library.notes(again.article.id))
        assert notes == ["Added to the new copy.", "Check twice.", "Why not max()?"]
        assert library.get(again.article.id).tags == ("sea",)
