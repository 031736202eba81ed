"""The TUI's speed: launch to first paint of an article, the library with 5,000 articles,
filter latency and cursor moves.

Every timing runs in a fresh interpreter (`python -m benchmarks.bench_ui --child ...`), so
it includes Python start-up and every import, the way a reader launching `reader` pays
them. Headless Textual still lays out and renders every line; only the terminal write is
skipped. Articles are synthetic (seeded random sentences) in a temporary home.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.table import Row

SECTION = "UI speed"
REPEATS = 3

_VOCABULARY = (
    "the of and to in a is that for it as was with be by on not he this are or his from at "
    "which but have an they you were her she there been one all we their has would when if "
    "so no will more can what about up out who them some could time into only than other "
    "river council harbour report winter engineers barrier storm water gates city plan "
    "surge night minister budget school market bridge station museum village committee"
)
_WORDS = _VOCABULARY.split()
_NAMES = (
    "Helen Marsh",
    "Tom Reyes",
    "Brackenmouth",
    "Alder Estuary Trust",
    "Norfolk",
    "Priya Natarajan",
    "the Ministry of Works",
    "Lisbon",
)


def synthetic_paragraphs(words: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            n = rng.randint(8, 24)
            tokens = [rng.choice(_WORDS) for _ in range(n)]
            if rng.random() < 0.5:
                tokens.insert(rng.randrange(len(tokens)), rng.choice(_NAMES))
            sentence = " ".join(tokens)
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
            count += n
        paragraphs.append(" ".join(sentences))
    return paragraphs


def _build_article_home(home: Path, words: int) -> str:
    from reader.article import Article
    from reader.store import Library

    with Library.open(home) as library:
        article = Article(
            f"Synthetic article of {words:,} words",
            "Bench Author",
            "2024-01-01",
            "Bench",
            synthetic_paragraphs(words),
        )
        return library.add_article(article).article.id


def _build_library_home(home: Path, count: int) -> None:
    from reader.article import Article
    from reader.store import Library

    rng = random.Random(11)
    items = []
    for i in range(count):
        title = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(3, 8))).title()
        paragraphs = synthetic_paragraphs(60, seed=i)
        source = rng.choice(["Coast News", "Gazette", "Wire", "Review", "Daily"])
        items.append((Article(f"{title} {i}", "Author", None, source, paragraphs), None))
    with Library.open(home) as library:
        adder = getattr(library, "add_articles", None)
        if adder is not None:
            adder(items)
        else:
            for article, origin in items:
                library.add_article(article, origin=origin)


# ----------------------------------------------------------------------- children


def _child_article(home: Path, article_id: str, started: float, real: bool) -> dict[str, Any]:
    """Runs in the fresh interpreter: open the article, report when its text is painted."""
    from reader.ui.app import ReaderApp
    from reader.ui.screens.reading import ReadingScreen
    from reader.ui.widgets.article_view import ArticleView

    result: dict[str, Any] = {}
    original = ArticleView.render_line

    def render_line(self: ArticleView, y: int) -> Any:
        strip = original(self, y)
        if "painted" not in result and strip.text.strip():
            result["painted"] = time.time() - started
        return strip

    ArticleView.render_line = render_line  # type: ignore[method-assign]

    def fake(text: str) -> Any:
        from reader.nlp.analysis import Analysis

        return Analysis(text, [], [], [])

    app = ReaderApp(home, open_article=article_id, analyzer=None if real else fake)

    async def drive() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            while "painted" not in result:
                await pilot.pause(0.01)
            screen = app.screen
            assert isinstance(screen, ReadingScreen)
            while screen.analysis is None and screen.analysis_state.startswith("analysing"):
                await pilot.pause(0.01)
            result["analysis_s"] = time.time() - started
            result["analysis"] = screen.analysis_state or "ok"
            if screen.analysis is not None:
                result["entities"] = len(screen.analysis.entities)
            result["sentences"] = len(screen.view.sentences)
            view = screen.view
            height = view.scrollable_content_region.height
            handled, round_trips, cpu = [], [], []
            for _ in range(20):
                t0 = time.perf_counter()
                screen.action_move(1)
                for y in range(height):  # the repaint the move asks for, done eagerly
                    view.render_line(y)
                handled.append(time.perf_counter() - t0)
                t0, c0 = time.perf_counter(), time.process_time()
                await pilot.press("j")
                round_trips.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            result["move_ms"] = statistics.median(handled) * 1000
            result["move_pilot_ms"] = statistics.median(round_trips) * 1000
            result["move_cpu_ms"] = statistics.median(cpu) * 1000
            idle = []
            for _ in range(10):  # the pilot's own cost: a key nothing is bound to
                t0 = time.perf_counter()
                await pilot.press("z")
                idle.append(time.perf_counter() - t0)
            result["noop_pilot_ms"] = statistics.median(idle) * 1000

    import asyncio

    asyncio.run(drive())
    return result


def _child_library(home: Path, started: float) -> dict[str, Any]:
    from textual.widgets import DataTable

    from reader.ui.app import ReaderApp
    from reader.ui.screens.library import LibraryScreen

    result: dict[str, Any] = {}
    original = DataTable.render_line

    def render_line(self: DataTable[Any], y: int) -> Any:
        strip = original(self, y)
        if "shown" not in result and self.row_count and y > 0 and strip.text.strip():
            result["shown"] = time.time() - started  # the first article row is drawn
        return strip

    DataTable.render_line = render_line  # type: ignore[method-assign]
    app = ReaderApp(home)

    async def drive() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            while "shown" not in result:
                await pilot.pause(0.01)
            screen = app.screen
            assert isinstance(screen, LibraryScreen)
            table = screen.query_one(DataTable)
            while table.row_count < len(screen.records):
                await pilot.pause(0.01)
            result["all_rows"] = time.time() - started
            result["rows"] = table.row_count
            handled = []
            for query in ("h", "ha", "har", "harb", "harbo", "harbou", "harbour", ""):
                t0 = time.perf_counter()
                screen.query_text = query
                screen.refresh_rows()
                handled.append(time.perf_counter() - t0)
            result["filter_ms"] = statistics.median(handled) * 1000
            await pilot.press("slash")
            round_trips = []
            for char in "harbour":
                t0 = time.perf_counter()
                await pilot.press(char)
                round_trips.append(time.perf_counter() - t0)
            result["filter_pilot_ms"] = statistics.median(round_trips) * 1000
            result["filter_rows"] = screen.query_one(DataTable).row_count

    import asyncio

    asyncio.run(drive())
    return result


def _spawn(args: list[str]) -> dict[str, Any]:
    started = time.time()
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_ui", "--child", *args, "--started", str(started)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def run(data: Path) -> list[Row]:
    del data  # synthetic articles: the UI's speed doesn't depend on the corpus
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="reader-bench-ui-") as tmp:
        for words in (5_000, 100_000):
            home = Path(tmp) / f"article-{words}"
            home.mkdir()
            article_id = _build_article_home(home, words)
            for real in (False, True):
                runs = [
                    _spawn(["article", str(home), article_id, "real" if real else "fake"])
                    for _ in range(REPEATS if not real else 1)
                ]
                rows.append(
                    Row(
                        SECTION,
                        f"open {words:,}-word article",
                        "real analyzer, cold cache" if real else "analysis stubbed",
                        {
                            "launch→text painted s": statistics.median(r["painted"] for r in runs),
                            "cursor move ms": statistics.median(r["move_ms"] for r in runs),
                            "key round-trip ms": statistics.median(
                                r["move_pilot_ms"] for r in runs
                            ),
                            "unbound key round-trip ms": statistics.median(
                                r["noop_pilot_ms"] for r in runs
                            ),
                            "key CPU ms": statistics.median(r["move_cpu_ms"] for r in runs),
                            "panes filled s": statistics.median(r["analysis_s"] for r in runs),
                            "analysis": runs[0]["analysis"],
                        },
                    )
                )
                if real:  # the cache is warm now: a reopen
                    warm = _spawn(["article", str(home), article_id, "real"])
                    rows.append(
                        Row(
                            SECTION,
                            f"open {words:,}-word article",
                            "real analyzer, warm cache",
                            {
                                "launch→text painted s": warm["painted"],
                                "cursor move ms": warm["move_ms"],
                                "key round-trip ms": warm["move_pilot_ms"],
                                "unbound key round-trip ms": warm["noop_pilot_ms"],
                                "key CPU ms": warm["move_cpu_ms"],
                                "panes filled s": warm["analysis_s"],
                                "analysis": warm["analysis"],
                            },
                        )
                    )
        home = Path(tmp) / "library-5000"
        home.mkdir()
        built = time.perf_counter()
        _build_library_home(home, 5_000)
        build_s = time.perf_counter() - built
        runs = [_spawn(["library", str(home)]) for _ in range(REPEATS)]
        rows.append(
            Row(
                SECTION,
                "library of 5,000 articles",
                "reader TUI",
                {
                    "launch→table shown s": statistics.median(r["shown"] for r in runs),
                    "launch→all rows s": statistics.median(r["all_rows"] for r in runs),
                    "filter update ms": statistics.median(r["filter_ms"] for r in runs),
                    "filter key round-trip ms": statistics.median(
                        r["filter_pilot_ms"] for r in runs
                    ),
                    "rows after filter": float(runs[0]["filter_rows"]),
                    "home build s": build_s,
                },
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs="+")
    parser.add_argument("--started", type=float, default=0.0)
    args = parser.parse_args(argv)
    if args.child:
        kind, home, *rest = args.child
        if kind == "article":
            result = _child_article(Path(home), rest[0], args.started, rest[1] == "real")
        else:
            result = _child_library(Path(home), args.started)
        print(json.dumps(result))
        return 0
    from benchmarks.table import render

    print(render(run(Path("."))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
