"""The study loop at scale: search, due-card count and export on a big synthetic home.

Targets (from the study-loop issue): `reader search` ≤ 100 ms with a warm index, the due
count ≤ 200 ms, exporting every article as Markdown ≤ 10 s, on a home of 5,000 articles
with 20,000 highlights and notes.

The home is synthetic (so `data` is unused): texts are sentences drawn from a Zipf-
distributed vocabulary of 30,000 made-up words, so posting lists look like natural text
(a few very common words, a long tail of rare ones) rather than the 32-word vocabulary of
bench_store, which would make every query match every paragraph. Every article has a
cached analysis (key sentences for the Markdown summaries); 1,000 are finished, which
adds their key sentences as review cards; 2,000 cards have a review schedule.

As a reference point, the same queries are answered by a linear scan (case-folded
substring test over every text, note and highlight), the search a small app would start
with.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path

from benchmarks.table import Row
from reader.article import Article
from reader.nlp.analysis import Analysis, KeySentence, Span
from reader.nlp.analyzer import ANALYZER_VERSION
from reader.nlp.cache import AnalysisCache
from reader.store.library import Library
from reader.study.export import export_json, export_markdown
from reader.study.review import ReviewDeck
from reader.study.search import SearchIndex

ARTICLES = 5_000
HIGHLIGHTS = 10_000
NOTES = 10_000
FINISHED = 1_000
SCHEDULED = 2_000
VOCABULARY = 30_000
REPEATS = 5
SECTION = "Study loop (search, review, export)"
DATASET = f"synthetic {ARTICLES:,} articles, {HIGHLIGHTS + NOTES:,} highlights+notes"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)

_SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]


def _vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    words: set[str] = set()
    while len(words) < VOCABULARY:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4))))
    ordered = sorted(words)
    rng.shuffle(ordered)
    weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(ordered))]  # Zipf
    return ordered, list(accumulate(weights))


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.words, self.cum = _vocabulary(rng)

    def sentence(self) -> str:
        words = self.rng.choices(self.words, cum_weights=self.cum, k=self.rng.randint(8, 22))
        return " ".join(words).capitalize() + "."

    def article(self, n: int) -> tuple[Article, list[tuple[int, int]]]:
        paragraphs: list[str] = []
        spans: list[tuple[int, int]] = []
        offset = 0
        for _ in range(self.rng.randint(6, 12)):
            parts: list[str] = []
            at = offset
            for _ in range(self.rng.randint(3, 6)):
                sentence = self.sentence()
                spans.append((at, at + len(sentence)))
                parts.append(sentence)
                at += len(sentence) + 1
            paragraph = " ".join(parts)
            paragraphs.append(paragraph)
            offset += len(paragraph) + 2
        title = " ".join(self.rng.choices(self.words, cum_weights=self.cum, k=5)).capitalize()
        article = Article.from_paragraphs(
            title=f"{title} {n}",
            author="Ada Example",
            published=f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}",
            source="Synthetic Wire",
            paragraphs=paragraphs,
        )
        return article, spans


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _build(home: Path, rng: random.Random) -> tuple[list[str], list[str], dict[str, float]]:
    """The home; returns article ids, the queries, and build timings (seconds)."""
    from fsrs import Card, Rating, Scheduler

    writer = _Writer(rng)
    started = time.perf_counter()
    made = [writer.article(n) for n in range(ARTICLES)]
    timings: dict[str, float] = {}
    with Library.open(home) as library:
        ids: list[str] = []
        for i in range(0, ARTICLES, 500):
            batch = made[i : i + 500]
            ids.extend(r.article.id for r in library.add_articles((a, None) for a, _ in batch))
        spans = {aid: s for aid, (_, s) in zip(ids, made, strict=True)}
        cache = AnalysisCache(library.cache_dir, ANALYZER_VERSION)
        cache.directory.mkdir(parents=True, exist_ok=True)
        keys: dict[str, list[tuple[int, int]]] = {}
        for aid, (article, sentence_spans) in zip(ids, made, strict=True):
            chosen = sorted(rng.sample(range(len(sentence_spans)), 3))
            keys[aid] = [sentence_spans[i] for i in chosen]
            analysis = Analysis(
                article.text,
                [Span(s, e) for s, e in sentence_spans],
                [],
                [KeySentence(i, 1.0 - r / 10) for r, i in enumerate(chosen)],
            )
            payload = json.dumps(analysis.to_dict()).encode("utf-8")
            cache.path_for(article.text).write_bytes(gzip.compress(payload, mtime=0))

        def passage() -> tuple[str, int, int]:
            aid = rng.choice(ids)
            first = rng.randrange(len(spans[aid]))
            last = min(len(spans[aid]) - 1, first + rng.choice((0, 0, 0, 1, 2)))
            return aid, spans[aid][first][0], spans[aid][last][1]

        def words(k: int) -> str:
            return " ".join(rng.choices(writer.words, cum_weights=writer.cum, k=k))

        finished = ids[:FINISHED]
        library._bulk_insert_for_bench(
            progress=[(aid, 0, 1.0, 600.0) for aid in finished],
            notes=[(*passage(), words(rng.randint(4, 20))) for _ in range(NOTES)],
            highlights=[
                (*passage(), words(rng.randint(3, 15)) if rng.random() < 0.5 else "")
                for _ in range(HIGHLIGHTS)
            ],
        )
        library.set_key_sentences({aid: (ANALYZER_VERSION, keys[aid]) for aid in finished})
        scheduler = Scheduler(enable_fuzzing=False)
        review = []
        for highlight in rng.sample(library.all_highlights(), SCHEDULED):
            when = NOW - timedelta(days=rng.randint(0, 30))
            card, _ = scheduler.review_card(Card(card_id=highlight.id, due=when), Rating.Good, when)
            review.append(
                {
                    "card": f"h{highlight.id}",
                    "article_id": highlight.article_id,
                    "due": card.due.timestamp(),
                    "state": dict(card.to_dict()),
                }
            )
        library.restore(review=review)
        timings["build home s"] = time.perf_counter() - started
        started = time.perf_counter()
        with SearchIndex.open(library):
            pass
        timings["index build s"] = time.perf_counter() - started
        notes_sample = rng.sample(library.all_notes(), 3)
    common = writer.words[:3]
    middling = writer.words[200:203]
    rare = writer.words[20_000:20_003]
    note_word = notes_sample[0].text.split()[-1]
    queries = [
        *common,
        *middling,
        *rare,
        f"{common[0]} {middling[0]}",
        f"{middling[1]} {rare[1]}",
        f'"{common[1]} {common[2]}"',
        f"{middling[2][:3]}*",
        note_word,
        "zzzqqqx",
    ]
    return ids, queries, timings


def _scan(texts: list[tuple[str, str]], query: str) -> list[str]:
    words = [w.casefold() for w in query.replace('"', " ").replace("*", " ").split()]
    return [key for key, text in texts if all(w in text for w in words)][:20]


def run(data: Path) -> list[Row]:
    del data  # synthetic home: no corpus needed
    rng = random.Random(20261130)
    root = Path(tempfile.mkdtemp(prefix="bench-study-"))
    try:
        home = root / "home"
        _, queries, timings = _build(home, rng)
        metrics: dict[str, float | str] = {}
        # search, in process, warm index (opened once, as the UI keeps it open)
        with Library.open(home) as library, SearchIndex.open(library) as index:
            for query in queries:
                index.search(query)  # warm the page cache
            samples = [
                (time.perf_counter(), index.search(query), time.perf_counter())
                for _ in range(REPEATS)
                for query in queries
            ]
            search_ms = [(end - start) * 1000 for start, _, end in samples]
            hits = statistics.mean(len(h) for _, h, _ in samples)
            started = time.perf_counter()
            with SearchIndex.open(library) as again:
                again.search(queries[0])
            open_search_ms = (time.perf_counter() - started) * 1000
            # the naive reference: every text, note and highlight in memory, scanned
            started = time.perf_counter()
            texts = [(r.id, library.load_article(r.id).text.casefold()) for r in library.articles()]
            texts += [(n.article_id, n.text.casefold()) for n in library.all_notes()]
            texts += [(h.article_id, h.note.casefold()) for h in library.all_highlights()]
            scan_load_s = time.perf_counter() - started
            scan_ms = []
            for _ in range(2):
                for query in queries:
                    start = time.perf_counter()
                    _scan(texts, query)
                    scan_ms.append((time.perf_counter() - start) * 1000)
            del texts
        metrics["search p50 ms"] = _pct(search_ms, 0.5)
        metrics["search p95 ms"] = _pct(search_ms, 0.95)
        metrics["search max ms"] = max(search_ms)
        metrics["hits/query"] = hits
        metrics["open+sync+search ms"] = open_search_ms
        # the CLI, as a user runs it: a new process that opens the home and the index
        env = {**os.environ, "READER_HOME": str(home)}
        cli_ms = []
        for query in queries[:3]:
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "reader", "search", query],
                env=env,
                check=True,
                capture_output=True,
            )
            cli_ms.append((time.perf_counter() - start) * 1000)
        metrics["CLI search ms"] = statistics.median(cli_ms)
        # due count: the first call after opening (reads the shards) and warm calls
        with Library.open(home) as library:
            deck = ReviewDeck(library)
            start = time.perf_counter()
            due = deck.due_count(NOW)
            metrics["due count cold ms"] = (time.perf_counter() - start) * 1000
            warm = []
            for _ in range(REPEATS):
                start = time.perf_counter()
                deck.due_count(NOW)
                warm.append((time.perf_counter() - start) * 1000)
            metrics["due count p50 ms"] = _pct(warm, 0.5)
            metrics["due count p95 ms"] = _pct(warm, 0.95)
            metrics["cards due"] = float(due)
            start = time.perf_counter()
            first = deck.due_cards(NOW, limit=20, analyze_missing=False)
            metrics["20 due cards ms"] = (time.perf_counter() - start) * 1000
            assert len(first) == 20
            # the count is kept between calls: time it where it must be rebuilt, right
            # after a change (a rating, as in the Review screen; then a new highlight)
            deck.rate(first[0].id, 3, NOW)
            start = time.perf_counter()
            after_rating = deck.due_count(NOW)
            changed = [(time.perf_counter() - start) * 1000]
            assert after_rating == due - 1, (after_rating, due)
            library.add_highlight(first[1].article_id, 0, 1)
            start = time.perf_counter()
            after_highlight = deck.due_count(NOW)
            changed.append((time.perf_counter() - start) * 1000)
            assert after_highlight == due, (after_highlight, due)
            metrics["due count after change ms"] = max(changed)
            # exports
            start = time.perf_counter()
            paths = export_markdown(library, root / "markdown")
            metrics["markdown export s"] = time.perf_counter() - start
            assert len(paths) == ARTICLES
            start = time.perf_counter()
            snapshot = json.dumps(export_json(library), ensure_ascii=False)
            metrics["json export s"] = time.perf_counter() - start
            metrics["json MB"] = len(snapshot.encode("utf-8")) / 1e6
        metrics["index MB"] = (home / "search.sqlite").stat().st_size / 1e6
        metrics.update(timings)
        checks = (
            ("search p95 ms", 100.0),
            ("due count cold ms", 200.0),
            ("due count p95 ms", 200.0),
            ("due count after change ms", 200.0),
            ("markdown export s", 10.0),
        )
        targets = all(float(metrics[name]) <= limit for name, limit in checks)
        metrics["targets met"] = "yes" if targets else "NO"
        reference: dict[str, float | str] = {
            "search p50 ms": _pct(scan_ms, 0.5),
            "search p95 ms": _pct(scan_ms, 0.95),
            "search max ms": max(scan_ms),
            "load texts s": scan_load_s,
        }
        return [
            Row(SECTION, DATASET, "reader.study (SQLite FTS5, bm25)", metrics),
            Row(SECTION, DATASET, "linear substring scan (in memory)", reference),
        ]
    finally:
        shutil.rmtree(root, ignore_errors=True)
