"""How the store behaves at 5,000 articles and 20,000 notes (targets from the product issue).

Targets: listing (open + articles()) ≲ 200 ms; save_progress ≤ 20 ms at p95 including fsync.
The home is synthetic (no corpus text is needed, so `data` is unused) and lives in a
temporary folder on the same disk as /tmp. As a reference point the same data is also put
in one file with TinyDB's stock JSONStorage (re-reads the whole file on every call, writes
in place without fsync), the design the sharded, cached, atomic storage replaces.
"""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.table import Row
from reader.article import Article
from reader.store import Library, filter_articles

ARTICLES = 5_000
NOTES = 20_000
SAVES = 200
NOTE_ADDS = 100
PACE_S = 0.05
SECTION = "Library store"
DATASET = f"synthetic {ARTICLES:,} articles, {NOTES:,} notes"

_WORDS = [
    *("harbour", "tide", "barrier", "council", "orbital", "freight", "startup", "river"),
    *("museum", "election", "budget", "science", "climate", "energy", "market", "school"),
    *("health", "railway", "bridge", "festival", "garden", "archive", "ocean", "forest"),
    *("city", "village", "court", "ministry", "report", "study", "launch", "storm"),
]
_SOURCES = ["Harbour Times", "Space News", "The Ledger", "Northern Post", "Weekly Science"]


def _article(rng: random.Random, n: int) -> Article:
    title = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(3, 8))).capitalize()
    paragraphs = [
        " ".join(rng.choice(_WORDS) for _ in range(rng.randint(40, 90))).capitalize() + "."
        for _ in range(rng.randint(6, 14))
    ]
    return Article.from_paragraphs(
        title=f"{title} ({n})",
        author=f"{rng.choice(['Ada', 'Grace', 'Alan', 'Edsger'])} {rng.choice(_WORDS).title()}",
        published=f"20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        source=rng.choice(_SOURCES),
        paragraphs=paragraphs,
    )


def _ms(fn: Callable[..., object], *args: object, **kwargs: object) -> float:
    start = time.perf_counter()
    fn(*args, **kwargs)
    return (time.perf_counter() - start) * 1000


def _paced(fn: Callable[..., object], *args: object, **kwargs: object) -> float:
    """Time one call after a pause: the UI saves progress at most once a second, so the
    background unlink of the previous version is done by then. 50 ms stands in for 1 s."""
    time.sleep(PACE_S)
    return _ms(fn, *args, **kwargs)


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _build(home: Path, rng: random.Random) -> tuple[list[str], float]:
    start = time.perf_counter()
    with Library.open(home) as library:
        results = library.add_articles(
            (_article(rng, n), f"/clips/{n}.txt") for n in range(ARTICLES)
        )
        ids = [r.article.id for r in results]
        library._bulk_insert_for_bench(
            progress=[
                (aid, rng.randint(0, 20_000), rng.random(), rng.uniform(0, 900)) for aid in ids
            ],
            notes=[
                (aid, s, s + rng.randint(20, 200), "note " * rng.randint(2, 40))
                for aid in rng.choices(ids, k=NOTES)
                for s in [rng.randint(0, 20_000)]
            ],
        )
    return ids, time.perf_counter() - start


def _measure_store(home: Path, ids: list[str], rng: random.Random) -> dict[str, float | str]:
    Library.open(home).close()  # warm the OS file cache, as any second start would be
    opens: list[float] = []
    open_lists: list[float] = []
    for _ in range(5):
        start = time.perf_counter()
        library = Library.open(home)
        opens.append((time.perf_counter() - start) * 1000)
        records = library.articles()
        open_lists.append((time.perf_counter() - start) * 1000)
        library.close()
    assert len(records) == ARTICLES

    with Library.open(home) as library:
        listing = [_ms(library.articles) for _ in range(10)]
        queries = ["harbour", "space news", "ada", "zzz-no-match", "tide barrier"]
        records = library.articles()
        filters = [_ms(filter_articles, records, q) for q in queries for _ in range(4)]
        position = rng.randint(0, 20_000)
        saves = [
            _paced(library.save_progress, aid, position=position, progress=0.5, seconds_read=1.0)
            for aid in rng.choices(ids, k=SAVES)
        ]
        burst = [
            _ms(library.save_progress, aid, position=position, progress=0.5, seconds_read=1.0)
            for aid in rng.choices(ids, k=SAVES // 2)
        ]
        text = "a new note, typed by hand"
        adds = [
            _paced(library.add_note, aid, 10, 90, text) for aid in rng.choices(ids, k=NOTE_ADDS)
        ]
        note_lists = [_ms(library.notes, aid) for aid in rng.choices(ids, k=50)]
        counts = [_ms(library.note_counts) for _ in range(5)]
    size = (home / "library.json").stat().st_size
    shards = [p.stat().st_size for p in (home / "progress").glob("*.json")]
    return {
        "open ms": statistics.median(opens),
        "open+list ms": statistics.median(open_lists),
        "list ms": statistics.median(listing),
        "filter p95 ms": _pct(filters, 0.95),
        "save p50 ms": _pct(saves, 0.5),
        "save p95 ms": _pct(saves, 0.95),
        "burst save p95 ms": _pct(burst, 0.95),
        "note p50 ms": _pct(adds, 0.5),
        "note p95 ms": _pct(adds, 0.95),
        "notes(id) ms": statistics.median(note_lists),
        "note_counts ms": statistics.median(counts),
        "index MB": size / 1e6,
        "progress shard KB": statistics.mean(shards) / 1e3,
    }


def _measure_naive(home: Path, ids: list[str], rng: random.Random) -> dict[str, float | str]:
    """Everything in one TinyDB file with the stock JSONStorage (no fsync, no atomicity)."""
    from tinydb import TinyDB
    from tinydb.storages import JSONStorage

    with Library.open(home) as library:
        records = library.articles()
        notes = [n for aid in ids[:: max(1, len(ids) // 1000)] for n in library.notes(aid)]
    naive = home.parent / "naive.json"
    db = TinyDB(naive, storage=JSONStorage)
    db.table("articles").insert_multiple(
        {
            "id": r.id,
            "title": r.title,
            "author": r.author,
            "source": r.source,
            "words": r.words,
            "progress": r.progress,
            "position": r.position,
        }
        for r in records
    )
    # Scale the sampled notes up to the full count so the file has the same weight.
    note_docs = [
        {"article_id": n.article_id, "start": n.start, "end": n.end, "text": n.text} for n in notes
    ]
    db.table("notes").insert_multiple(note_docs[i % len(note_docs)] for i in range(NOTES))
    db.close()

    def open_list() -> None:
        fresh = TinyDB(naive, storage=JSONStorage)
        fresh.table("articles").all()
        fresh.close()

    open_lists = [_ms(open_list) for _ in range(5)]
    db = TinyDB(naive, storage=JSONStorage)
    table = db.table("articles")
    listing = [_ms(table.all) for _ in range(5)]
    saves = [
        _paced(table.update, {"position": 7, "progress": 0.5}, doc_ids=[k])
        for k in rng.choices(range(1, len(records) + 1), k=30)
    ]
    notes_table = db.table("notes")
    adds = [_paced(notes_table.insert, {"article_id": ids[0], "text": "x"}) for _ in range(15)]
    db.close()
    return {
        "open+list ms": statistics.median(open_lists),
        "list ms": statistics.median(listing),
        "save p50 ms": _pct(saves, 0.5),
        "save p95 ms": _pct(saves, 0.95),
        "note p50 ms": _pct(adds, 0.5),
        "note p95 ms": _pct(adds, 0.95),
        "index MB": naive.stat().st_size / 1e6,
    }


def run(data: Path) -> list[Row]:
    del data  # synthetic: the store's cost depends on counts, not on the text
    rng = random.Random(20261130)
    root = Path(tempfile.mkdtemp(prefix="bench-store-"))
    try:
        home = root / "home"
        ids, build_s = _build(home, rng)
        store = _measure_store(home, ids, rng)
        store["build s"] = build_s
        naive = _measure_naive(home, ids, rng)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return [
        Row(SECTION, DATASET, "reader.store (sharded, atomic+fsync)", store),
        Row(SECTION, DATASET, "TinyDB JSONStorage, one file (no fsync)", naive),
    ]


if __name__ == "__main__":
    from benchmarks.table import render

    print(render(run(Path("/tmp"))))
