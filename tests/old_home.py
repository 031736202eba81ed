"""A home as the previous version (schema 1) wrote it, byte by byte, for the migration
tests: texts as paragraphs, notes and highlights by offset only.

Written here rather than made with today's code, so the tests keep checking the real
upgrade path however the store changes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

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


def write_old_home(root: Path) -> OldHome:
    """The old home under `root`, with the guide's Markdown file beside it."""
    old = OldHome(root / "home")
    old.guide_file.write_text(GUIDE, encoding="utf-8")
    old.write()
    return old
