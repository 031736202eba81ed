"""Books at book size: what `reader add` of an EPUB costs, in a fresh process.

Targets (issue 12): `reader add` of a book <= 5 s. Rows: wall time (the median of three
runs) and peak RSS of `reader add` into an empty temporary home, for the largest EPUB in
../shared/data/epub (by file, and by words when that is another) and for two generated
500,000-word books: original text made here, 60 chapters of paragraphs with emphasis,
footnotes linked from their call sites, a nav.xhtml and a toc.ncx; the second with accented
words and curly-quoted dialogue, as real books are typeset (a text that is not ASCII takes
other, slower paths through Python's string methods). Peak RSS is the child process's own
(interpreter and libraries included).
"""

from __future__ import annotations

import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from benchmarks.table import Row

ROOT = Path(__file__).resolve().parent.parent
SECTION = "Books: reader add of one EPUB (fresh process, empty home)"
RUNS = 3  # the median of three: the machine is shared
_SYLLABLES = ("ka", "lo", "mer", "in", "tu", "sa", "ven", "dor", "ri", "el", "ost", "pha", "nu")
_ACCENTED = ("ka", "lo", "mér", "in", "tu", "sa", "vën", "dor", "ri", "el", "ost", "phà", "nu")
"""A typographic book's syllables: with its curly quotes, text a real book's like, not ASCII
(which takes other, slower paths through Python's string methods)."""


def _word(rng: random.Random, syllables: Sequence[str] = _SYLLABLES) -> str:
    return "".join(rng.choice(syllables) for _ in range(rng.choice((1, 1, 2, 2, 3))))


def _sentence(rng: random.Random, words: int, typographic: bool = False) -> str:
    text = " ".join(_word(rng, _ACCENTED if typographic else _SYLLABLES) for _ in range(words))
    text = text[:1].upper() + text[1:]
    if typographic and rng.random() < 0.4:
        return f"“{text},” she said."
    return text + "."


def _chapter(
    rng: random.Random, number: int, words: int, typographic: bool = False
) -> tuple[str, str]:
    title = f"Chapter {number}: " + " ".join(_word(rng) for _ in range(3)).title()
    parts = [f'<section id="c{number}"><h1>{escape(title)}</h1>']
    notes: list[str] = []
    written = 0
    paragraph = 0
    while written < words:
        sentences = []
        for _ in range(rng.randint(3, 7)):
            n = rng.randint(8, 22)
            sentences.append(escape(_sentence(rng, n, typographic)))
            written += n
        if paragraph % 5 == 1:
            sentences[0] = f"<em>{sentences[0]}</em>"
        if paragraph % 9 == 4:
            note = len(notes) + 1
            sentences[-1] += (
                f'<a epub:type="noteref" id="r{number}-{note}" href="#n{number}-{note}">{note}</a>'
            )
            notes.append(
                f'<aside epub:type="footnote" id="n{number}-{note}"><p>{note}. '
                f"{escape(_sentence(rng, 12))}</p></aside>"
            )
        parts.append("<p>" + " ".join(sentences) + "</p>")
        paragraph += 1
    parts += notes
    parts.append("</section>")
    return title, "\n".join(parts)


def _xhtml(title: str, body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'lang="en"><head><title>{escape(title)}</title></head><body>\n{body}\n</body></html>'
    )


def make_epub(
    words: int = 500_000, chapters: int = 60, seed: int = 12, *, typographic: bool = False
) -> bytes:
    """An EPUB 3 book of about `words` words of generated text (`typographic`: accented
    words and curly-quoted dialogue)."""
    rng = random.Random(seed)
    docs = [_chapter(rng, n, words // chapters, typographic) for n in range(1, chapters + 1)]
    nav = "".join(
        f'<li><a href="text/ch{n}.xhtml">{escape(t)}</a></li>' for n, (t, _) in enumerate(docs, 1)
    )
    points = "".join(
        f'<navPoint id="p{n}"><navLabel><text>{escape(t)}</text></navLabel>'
        f'<content src="text/ch{n}.xhtml"/></navPoint>'
        for n, (t, _) in enumerate(docs, 1)
    )
    items = "".join(
        f'<item id="ch{n}" href="text/ch{n}.xhtml" media-type="application/xhtml+xml"/>'
        for n in range(1, chapters + 1)
    )
    spine = "".join(f'<itemref idref="ch{n}"/>' for n in range(1, chapters + 1))
    opf = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:identifier id="id">urn:uuid:bench-books</dc:identifier>'
        f"<dc:title>A Generated {'Typographic ' if typographic else ''}Book of {words:,} "
        "Words</dc:title>"
        "<dc:creator>Benchmark</dc:creator><dc:language>en</dc:language>"
        "<dc:date>2024-01-01</dc:date></metadata>"
        '<manifest><item id="nav" href="nav.xhtml" properties="nav" '
        'media-type="application/xhtml+xml"/>'
        f'<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>{items}</manifest>'
        f'<spine toc="ncx">{spine}</spine></package>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="OEBPS/content.opf" '
            'media-type="application/oebps-package+xml"/></rootfiles></container>',
        )
        deflate = zipfile.ZIP_DEFLATED
        z.writestr("OEBPS/content.opf", opf, compress_type=deflate)
        nav_body = f'<nav epub:type="toc"><ol>{nav}</ol></nav>'
        z.writestr("OEBPS/nav.xhtml", _xhtml("Contents", nav_body), compress_type=deflate)
        z.writestr(
            "OEBPS/toc.ncx",
            '<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" '
            f'version="2005-1"><navMap>{points}</navMap></ncx>',
            compress_type=deflate,
        )
        for n, (title, body) in enumerate(docs, 1):
            z.writestr(f"OEBPS/text/ch{n}.xhtml", _xhtml(title, body), compress_type=deflate)
    return buffer.getvalue()


# `python -m reader add PATH`, reporting its own peak RSS as it exits. VmHWM is the new
# process's: ru_maxrss of a child started with vfork would include this process's size.
_CHILD = """
import atexit, runpy, sys

def report():
    try:
        with open("/proc/self/status") as status:
            peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        import resource
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sys.stderr.write(f"\\nPEAK-KB {peak}\\n")

atexit.register(report)
sys.argv = ["reader", "add", sys.argv[1]]
runpy.run_module("reader", run_name="__main__", alter_sys=True)
"""


def reader_add(path: Path) -> dict[str, float]:
    """`reader add PATH` into a fresh home: wall seconds and the child's peak RSS in MB."""
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "READER_HOME": home}
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
            check=False,
        )
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"reader add {path} failed: {done.stderr.strip()}")
        peak = [line for line in done.stderr.splitlines() if line.startswith("PEAK-KB ")]
        return {"seconds": seconds, "rss": int(peak[-1].split()[1]) / 1024}


def _words(path: Path) -> int:
    from reader.article import InputError
    from reader.sources.registry import read_path

    try:
        return sum(article.words for article in read_path(path))
    except InputError:
        return 0


def _open_rows(path: Path, what: str) -> list[Row]:
    """The book open in the app (a fresh process each time, from launch): first paint at a
    saved place halfway through, a cursor move, and peak RSS, with the analysis stubbed
    and with the real one (a cold cache: the whole book analysed in the background)."""
    from benchmarks.bench_ui import spawn
    from reader.sources.registry import read_path
    from reader.store import Library

    rows = []
    with tempfile.TemporaryDirectory() as home:
        with Library.open(home) as library:
            [article] = read_path(path)
            aid = library.add_article(article, origin=str(path)).article.id
            middle = article.text.index(" ", len(article.text) // 2) + 1
            library.save_progress(aid, position=middle, progress=0.5)
        for analyzer in ("fake", "real"):
            runs = [spawn(["article", home, aid, analyzer]) for _ in range(RUNS)]
            if analyzer == "real":
                runs = runs[:1]  # the later runs would find the cache warm
            rows.append(
                Row(
                    SECTION,
                    f"{what}: {path.name}, opened at its middle",
                    "reader app, "
                    + ("analysis stubbed" if analyzer == "fake" else "real analysis"),
                    {
                        "launch→text painted s": statistics.median(r["painted"] for r in runs),
                        "cursor move ms": statistics.median(r["move_ms"] for r in runs),
                        "panes filled s": statistics.median(r["analysis_s"] for r in runs),
                        "peak RSS MB": max(r["peak_rss_mb"] for r in runs),
                        "target": "paint <= 1 s, move <= 16 ms, RSS <= 300 MB",
                    },
                )
            )
    return rows


def _search_row(seeds: range) -> Row:
    """Search with ten generated books in the library: p95 over a fixed query set."""
    from reader.sources.registry import read_path
    from reader.store import Library
    from reader.study.search import SearchIndex

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        with Library.open(home) as library:
            for seed in seeds:
                book = Path(tmp) / f"book-{seed}.epub"
                book.write_bytes(make_epub(seed=seed))
                library.add_article(read_path(book)[0], origin=str(book))
        rng = random.Random(5)
        queries = [_word(rng) for _ in range(40)] + [
            f"{_word(rng)} {_word(rng)}" for _ in range(20)
        ]
        with Library.open(home) as library, SearchIndex.open(library) as index:
            for query in queries[:5]:
                index.search(query)  # the index built and warm, as the app keeps it
            times = []
            for query in queries:
                started = time.perf_counter()
                index.search(query)
                times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return Row(
        SECTION,
        f"search, {len(seeds)} generated books of 500,000 words",
        "reader search (warm index)",
        {"p50 ms": statistics.median(times), "p95 ms": p95, "target": "p95 <= 100 ms"},
    )


def run(data: Path) -> list[Row]:
    from benchmarks.bench_ui import compile_reader

    compile_reader()  # every child starts as an installed reader does: bytecode ready
    rows = []
    books = [(p, _words(p)) for p in sorted((data / "epub").glob("*.epub"))]
    with tempfile.TemporaryDirectory() as tmp:
        generated = Path(tmp) / "generated-500k.epub"
        generated.write_bytes(make_epub())
        typographic = Path(tmp) / "generated-typographic-500k.epub"
        typographic.write_bytes(make_epub(typographic=True))
        cases = []
        if books:
            biggest = max(books, key=lambda b: b[0].stat().st_size)
            wordiest = max(books, key=lambda b: b[1])
            cases.append((*biggest, "largest sample file"))
            if wordiest[0] != biggest[0]:
                cases.append((*wordiest, "longest sample text"))
        cases.append((generated, _words(generated), "generated book"))
        cases.append((typographic, _words(typographic), "generated book, accents and “quotes”"))
        for path, words, what in cases:
            runs = [reader_add(path) for _ in range(RUNS)]
            result = {
                "seconds": statistics.median(r["seconds"] for r in runs),
                "rss": max(r["rss"] for r in runs),
            }
            rows.append(
                Row(
                    SECTION,
                    f"{what}: {path.name}, {path.stat().st_size / 1e6:.2f} MB",
                    "reader add",
                    {
                        "words": words,
                        "seconds": result["seconds"],
                        "peak RSS MB": result["rss"],
                        "target": "<= 5 s",
                    },
                )
            )
        for path, _, what in cases[-3:]:  # the longest sample, then the generated two
            rows += _open_rows(path, what)
    rows.append(_search_row(range(20, 30)))
    return rows
