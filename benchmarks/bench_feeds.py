"""`reader feed update` of 200 feeds × 50 items, served from 127.0.0.1 with ETags.

Every item carries its full content (content:encoded, about 300 words), so the update
fetches no item pages: what is measured is fetching, parsing, reading each item through
the HTML source and storing it. The second update finds every feed unchanged (each
answers 304), which should cost well under a second of CPU.

Each update runs in a fresh process, so its peak RSS is its own (the first update's peak
would otherwise hide the second's). "CPU s" is that process's user + system time from
opening the library on (the fetcher's and parser's imports included, the interpreter's
start-up not); "update_feeds" is the update call alone. The server
runs in another process, so its work is not counted. `data` is unused: the feeds are
synthetic.
"""

from __future__ import annotations

import json
import multiprocessing
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from benchmarks.table import Row

FEEDS = 200
ITEMS = 50
SECTION = "Feeds"
DATASET = f"{FEEDS} feeds × {ITEMS} items, local server"
_WORDS = [
    *("harbour", "tide", "barrier", "council", "orbital", "freight", "startup", "river"),
    *("museum", "election", "budget", "science", "climate", "energy", "market", "school"),
]


def _feed(base: str, n: int) -> bytes:
    items = []
    for i in range(ITEMS):
        words = [_WORDS[(n * 7 + i * 3 + k) % len(_WORDS)] for k in range(50)]
        paragraphs = "".join(
            f"<p>Item {n}-{i}, part {p}: {' '.join(words)} {' '.join(reversed(words))}.</p>"
            for p in range(3)
        )
        items.append(
            f"<item><title>Post {n}-{i}</title><link>{base}/post/{n}/{i}</link>"
            f"<guid>urn:post:{n}:{i}</guid><pubDate>Mon, 04 Mar 2024 10:00:00 GMT</pubDate>"
            f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Feed {n}</title><link>{base}/</link>{''.join(items)}</channel></rss>"
    ).encode()


def _serve(ready: Any) -> None:
    feeds: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self) -> None:
            body = feeds.get(self.path)
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            etag = f'"{self.path}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    feeds.update({f"/feed/{n}.xml": _feed(base, n) for n in range(FEEDS)})
    ready.send(base)
    server.serve_forever()


def _child(home: str) -> None:
    """One update, in this fresh process: prints its figures as JSON."""
    from reader.store import Library
    from reader.study.feeds import update_feeds

    wall, cpu = time.perf_counter(), time.process_time()
    with Library.open(home) as library:
        update_wall, update_cpu = time.perf_counter(), time.process_time()
        report = update_feeds(library)
        update_wall, update_cpu = (
            time.perf_counter() - update_wall,
            time.process_time() - update_cpu,
        )
    usage = resource.getrusage(resource.RUSAGE_SELF)
    figures = {
        "wall s": time.perf_counter() - wall,
        "CPU s": time.process_time() - cpu,
        "update_feeds wall s": update_wall,
        "update_feeds CPU s": update_cpu,
        "peak RSS MB": usage.ru_maxrss / 1024,
        "new items": report.new,
        "failed": len(report.failed),
        "not modified": sum(o.status == "not modified" for o in report.outcomes),
    }
    print(json.dumps(figures))


def _update(home: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_feeds", "--child", str(home)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def run(data: Path) -> list[Row]:
    from reader.store import Library

    parent, child = multiprocessing.Pipe()
    server = multiprocessing.Process(target=_serve, args=(child,), daemon=True)
    server.start()
    folder = Path(tempfile.mkdtemp(prefix="bench-feeds-"))
    try:
        base = parent.recv()
        home = folder / "home"
        with Library.open(home) as library:
            library.add_feeds((f"{base}/feed/{n}.xml", None, None, ()) for n in range(FEEDS))
        first = _update(home)
        second = _update(home)
    finally:
        server.terminate()
        server.join(5)
        shutil.rmtree(folder, ignore_errors=True)
    return [
        Row(SECTION, DATASET, "first update (all new)", first),
        Row(SECTION, DATASET, "second update (all 304)", second),
    ]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2])
    else:
        from benchmarks.table import render

        print(render(run(Path("."))))
