"""The TUI's speed: launch to first paint of an article, the library with 5,000 articles,
filter latency and cursor moves.

Every timing runs in a fresh interpreter (`python -m benchmarks.bench_ui --child ...`), so
it includes Python start-up and every import, the way a reader launching `reader` pays
them. Headless Textual still lays out and renders every line; only the terminal write is
skipped. Articles are synthetic (seeded random sentences) in a temporary home.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import functools
import gc
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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
        article = Article.from_paragraphs(
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
        items.append(
            (Article.from_paragraphs(f"{title} {i}", "Author", None, source, paragraphs), None)
        )
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
            # The entities land first, the key sentences after them: both are timed.
            result["names_s"] = time.time() - started
            while screen.analysis_state.startswith("analysing"):
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
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def peak_rss_mb() -> float:
    """This process's peak resident size (VmHWM; ru_maxrss where /proc is absent)."""
    try:
        with open("/proc/self/status") as status:
            kb = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
        return int(kb) / 1024
    except (OSError, StopIteration):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _PaintWatch:
    """Times filter keys from the moment the key event is posted until a frame shows the
    table's rows for that key's query (or a later one), as the reader sees it.

    A frame counts once App._display has it (headless Textual composes every frame and
    skips only the terminal write, which `display` does here too) and the table's first
    row line in it was drawn after the screen's last rebuild and shows an article of the
    filtered list. The pilot's own `press` is no measure of this: it returns only after
    the app has been idle for a 20 ms slice, twice, so it counts the streaming of rows
    nobody can see yet and 40 ms of its own waiting, and its pace leaves the app idle
    between keys, which a typist doesn't.
    """

    def __init__(self) -> None:
        self.first_line: tuple[float, str] = (0.0, "")
        self.rebuilt = 0.0
        self.pending: list[tuple[float, Callable[[str], bool], asyncio.Future[float]]] = []
        self.collections: list[float] = []  # full GC pauses (ms) while a key awaited its rows
        self._collecting = 0.0

    def _gc(self, phase: str, info: dict[str, Any]) -> None:
        """Full collections scan every object of the process: the usual cause of a slow key."""
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._collecting = time.perf_counter()
        elif any(not done.done() for _, _, done in self.pending):
            self.collections.append((time.perf_counter() - self._collecting) * 1000)

    def install(self, app: Any, screen: Any) -> None:
        from textual.app import App
        from textual.widgets import DataTable

        from reader.ui.text import one_line

        watch = self
        render_line = DataTable.render_line
        display = App._display
        rebuild = screen.refresh_rows

        def drawn(table: DataTable[Any], y: int) -> Any:
            strip = render_line(table, y)
            if y == 1:
                watch.first_line = (time.perf_counter(), strip.text)
            return strip

        def shown(app: App[Any], target: Any, renderable: Any) -> None:
            if renderable is not None and app.console is not None:
                renderable.render_segments(app.console)  # the terminal write, skipped headless
            display(app, target, renderable)
            drawn_at, text = watch.first_line
            if not watch.pending or drawn_at < watch.rebuilt:
                return
            titles = [one_line(r.title, "Untitled")[:12] for r in screen.shown[:60]]
            if titles and not any(title in text for title in titles):
                return
            now = time.perf_counter()
            for posted, answers, done in watch.pending:
                if not done.done() and answers(screen.query_text):
                    done.set_result((now - posted) * 1000)

        def rebuilt(*args: Any, **kwargs: Any) -> None:
            rebuild(*args, **kwargs)
            watch.rebuilt = time.perf_counter()

        gc.callbacks.append(self._gc)
        DataTable.render_line = drawn  # type: ignore[method-assign, assignment]
        App._display = shown  # type: ignore[method-assign, assignment]
        screen.refresh_rows = rebuilt

    def post_key(
        self, app: Any, key: str, char: str | None, answers: Callable[[str], bool]
    ) -> None:
        from textual import events

        done: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        event = events.Key(key, char)
        event.set_sender(app)
        self.pending.append((time.perf_counter(), answers, done))
        app.post_message(event)

    async def latencies(self) -> list[float]:
        found = [await asyncio.wait_for(done, 10.0) for _, _, done in self.pending]
        self.pending = []
        return found


def _at_or_past(typed: str) -> Callable[[str], bool]:
    """A typed key is answered by a frame for its query or one typed after it."""
    return lambda query: query.startswith(typed)


def _back_to(left: str) -> Callable[[str], bool]:
    """A deleting key is answered by a frame for what it left, or less."""
    return lambda query: left.startswith(query)


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
    watch = _PaintWatch()

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
            while table.row_count < len(screen.shown):  # the rows below the screenful
                await pilot.pause(0.01)
            result["filter_rows"] = table.row_count
            # What a typist sees: clear the filter, then type it at 8 keys a second
            # without waiting for the app; then delete it key by key, slowly enough
            # (0.4 s) that every key lands while the rows of the last one stream in.
            watch.install(app, screen)
            await pilot.press("escape", "slash")
            while table.row_count < len(screen.records):
                await pilot.pause(0.01)
            typed = ""
            for char in "harbour":
                typed += char
                watch.post_key(app, char, char, _at_or_past(typed))
                await asyncio.sleep(0.125)
            brisk = await watch.latencies()
            while table.row_count < len(screen.shown):
                await pilot.pause(0.01)
            for _ in typed:
                typed = typed[:-1]
                watch.post_key(app, "backspace", None, _back_to(typed))
                await asyncio.sleep(0.4)
            slow = await watch.latencies()
            result["paint_brisk_ms"] = brisk
            result["paint_slow_ms"] = slow
            result["key_gc_ms"] = watch.collections

    asyncio.run(drive())
    return result


def spawn(args: list[str]) -> dict[str, Any]:
    """A child run of this module (`--child ...`): its JSON result, timed from now."""
    return _spawn(args)


@functools.cache
def compile_reader() -> None:
    """Bytecode for reader's modules, as an install (or any launch but the very first)
    leaves it; this machine sets PYTHONDONTWRITEBYTECODE, which would otherwise make
    every child compile them all again (about 0.3 s of each launch here)."""
    root = Path(__file__).resolve().parent.parent
    compileall.compile_dir(root / "reader", quiet=1)


def _spawn(args: list[str]) -> dict[str, Any]:
    compile_reader()
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
                            "names shown s": statistics.median(r["names_s"] for r in runs),
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
                                "names shown s": warm["names_s"],
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
        painted = sorted(ms for r in runs for ms in r["paint_brisk_ms"] + r["paint_slow_ms"])
        paint_p95 = painted[min(len(painted) - 1, round(0.95 * (len(painted) - 1)))]
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
                    "filter key→rows painted p50 ms": statistics.median(painted),
                    "filter key→rows painted p95 ms": paint_p95,
                    "filter key→rows painted max ms": painted[-1],
                    "filter ≤ 100 ms met": "yes" if paint_p95 <= 100 else "NO",
                    "full GCs during filter keys": float(sum(len(r["key_gc_ms"]) for r in runs)),
                    "longest such GC ms": max(
                        (ms for r in runs for ms in r["key_gc_ms"]), default=0.0
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
