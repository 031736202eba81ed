"""A real HTTP server on 127.0.0.1 for tests that fetch, so no test touches the internet.

Use it from any test file with one line at the top of the module::

    pytest_plugins = ["tests.local_server"]

and take the `local_server` fixture as an argument. That is cleaner than importing the
fixture (which ruff flags as an unused import redefined by the argument, F401 + F811) and
works the same under pytest-xdist: every worker imports the plugin when it collects the
module. Each test gets its own server on a free port (port 0), so tests in parallel never
share routes.

    def test_it(local_server):
        local_server.page("/a", "<p>hi</p>", content_type="text/html", charset="utf-8")
        local_server.redirect("/old", "/a")
        fetch(local_server.url("/old"))
        assert local_server.requests[-1].path == "/a"

A route is `(status, headers, body)` or a handler `(handler) -> None` that writes the
whole response itself through `handler.send_response` / `handler.wfile` (for bodies that
must stream, stall or lie about their length). Unknown paths are 404. Handlers that loop
(`trickle`, `stall`) watch `server.stopping`, so teardown never waits on them: the server
shuts down within one trickle interval even if a client is still reading.
"""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli  # type: ignore[import-untyped]
import pytest

__all__ = ["LocalServer", "Request", "local_server"]

Handler = Callable[[BaseHTTPRequestHandler], None]
Route = tuple[int, dict[str, str], bytes] | Handler


@dataclass(frozen=True, slots=True)
class Request:
    """What a client sent, so tests can check the User-Agent or the redirect chain."""

    method: str
    path: str
    headers: dict[str, str]  # header names lower-case


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a stuck handler must never hold up teardown

    def __init__(self, owner: LocalServer) -> None:
        self.owner = owner
        super().__init__(("127.0.0.1", 0), _RequestHandler)


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server
    # HTTP/1.0: one request per connection, and a body may end where the connection does.
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def _serve(self) -> None:
        owner = self.server.owner
        path = self.path.split("?", 1)[0]
        owner.requests.append(
            Request(self.command, self.path, {k.lower(): v for k, v in self.headers.items()})
        )
        route = owner.routes.get(path)
        if route is None:
            route = (404, {"Content-Type": "text/plain"}, b"no such page")
        try:
            if callable(route):
                route(self)
            else:
                status, headers, body = route
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if not any(name.lower() == "content-length" for name in headers):
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, which is what several tests are about

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep pytest's output clean


class LocalServer:
    """Routes registered by the test, served from a background thread."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        self._server = _Server(self)
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # -- life cycle -------------------------------------------------------------------------

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses and routes -----------------------------------------------------------------

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/", *, scheme: str = "http") -> str:
        if not path.startswith("/"):
            path = "/" + path
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def route(
        self,
        path: str,
        status_or_handler: int | Handler = 200,
        headers: dict[str, str] | None = None,
        body: bytes | str = b"",
    ) -> str:
        """Serve `path`; returns its full URL."""
        if callable(status_or_handler):
            self.routes[path] = status_or_handler
        else:
            data = body.encode("utf-8") if isinstance(body, str) else body
            self.routes[path] = (status_or_handler, dict(headers or {}), data)
        return self.url(path)

    # -- helpers for the cases fetching must handle ----------------------------------------

    def page(
        self,
        path: str,
        body: bytes | str,
        *,
        content_type: str = "text/html",
        charset: str | None = "utf-8",
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> str:
        """A page with the given Content-Type; a str body is encoded in `charset`."""
        data = body.encode(charset or "utf-8") if isinstance(body, str) else body
        value = content_type if charset is None else f"{content_type}; charset={charset}"
        return self.route(path, status, {"Content-Type": value, **(headers or {})}, data)

    def redirect(self, path: str, to: str, *, status: int = 302) -> str:
        """`to` may be a path on this server or a full URL."""
        return self.route(path, status, {"Location": to}, b"")

    def redirect_loop(self, a: str, b: str) -> str:
        """a -> b -> a -> ...; returns a's URL."""
        self.redirect(a, b)
        self.redirect(b, a)
        return self.url(a)

    def redirect_chain(self, prefix: str, hops: int, *, final_body: str = "<p>end</p>") -> str:
        """prefix0 -> prefix1 -> ... -> prefix{hops}, the last a page; returns the first URL."""
        for i in range(hops):
            self.redirect(f"{prefix}{i}", f"{prefix}{i + 1}")
        self.page(f"{prefix}{hops}", final_body)
        return self.url(f"{prefix}0")

    def not_found(self, path: str) -> str:
        return self.route(path, 404, {"Content-Type": "text/html"}, b"<h1>Not Found</h1>")

    def status(self, path: str, status: int, body: bytes = b"") -> str:
        return self.route(path, status, {"Content-Type": "text/plain"}, body)

    def trickle(
        self,
        path: str,
        *,
        chunk: bytes = b"x",
        interval: float = 0.05,
        content_type: str = "text/html",
        headers_too: bool = False,
    ) -> str:
        """A page that never ends: `chunk` every `interval` seconds, forever (until teardown).

        Each chunk comes well inside any read timeout, so only an overall deadline stops it.
        With `headers_too` the headers never end instead: one header whose value grows by
        a byte every `interval`, so the response is never even started.
        """

        def handler(h: BaseHTTPRequestHandler) -> None:
            if headers_too:
                h.wfile.write(b"HTTP/1.0 200 OK\r\nX-Slow: ")
                while not self.stopping.is_set():
                    h.wfile.write(b"a")
                    h.wfile.flush()
                    time.sleep(interval)
                return
            h.wfile.write(f"HTTP/1.0 200 OK\r\nContent-Type: {content_type}\r\n\r\n".encode())
            while not self.stopping.is_set():
                h.wfile.write(chunk)
                h.wfile.flush()
                time.sleep(interval)

        return self.route(path, handler)

    def stall(self, path: str, *, content_length: int, sent: bytes = b"<html>") -> str:
        """Headers promising `content_length` bytes, a few bytes, then silence until teardown.

        A client that reads before checking the length would sit here until its timeout.
        """

        def handler(h: BaseHTTPRequestHandler) -> None:
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", str(content_length))
            h.end_headers()
            h.wfile.write(sent)
            h.wfile.flush()
            self.stopping.wait()

        return self.route(path, handler)

    def huge(
        self,
        path: str,
        size: int,
        *,
        content_length: bool = False,
        content_type: str = "text/html",
        block: int = 64 * 1024,
    ) -> str:
        """`size` bytes of body, streamed; without `content_length` the size is a surprise."""

        def handler(h: BaseHTTPRequestHandler) -> None:
            h.send_response(200)
            h.send_header("Content-Type", content_type)
            if content_length:
                h.send_header("Content-Length", str(size))
            h.end_headers()
            left = size
            piece = b"a" * block
            while left > 0 and not self.stopping.is_set():
                h.wfile.write(piece[: min(block, left)])
                left -= block

        return self.route(path, handler)

    def conditional(
        self,
        path: str,
        body: bytes | str,
        *,
        content_type: str = "application/rss+xml; charset=utf-8",
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> str:
        """A page that answers 304 Not Modified to a request naming its `etag` (If-None-Match)
        or its `last_modified` date (If-Modified-Since, compared as text, as servers of
        static files do); call again with a new body and validators to "change" it."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        validators = {"ETag": etag, "Last-Modified": last_modified}
        headers = {"Content-Type": content_type, **{k: v for k, v in validators.items() if v}}

        def handler(h: BaseHTTPRequestHandler) -> None:
            match_etag = etag is not None and h.headers.get("If-None-Match") == etag
            since = h.headers.get("If-Modified-Since")
            match_date = last_modified is not None and since == last_modified
            if match_etag or match_date:
                h.send_response(304)
                for name in ("ETag", "Last-Modified"):
                    if headers.get(name):
                        h.send_header(name, headers[name])
                h.end_headers()
                return
            h.send_response(200)
            for name, value in headers.items():
                h.send_header(name, value)
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            if h.command != "HEAD":
                h.wfile.write(data)

        return self.route(path, handler)

    def gzip(
        self, path: str, body: bytes | str, *, content_type: str = "text/html; charset=utf-8"
    ) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        headers = {"Content-Type": content_type, "Content-Encoding": "gzip"}
        return self.route(path, 200, headers, gzip.compress(data))

    def deflate(
        self, path: str, body: bytes | str, *, content_type: str = "text/html; charset=utf-8"
    ) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        headers = {"Content-Type": content_type, "Content-Encoding": "deflate"}
        return self.route(path, 200, headers, zlib.compress(data))

    def brotli(
        self, path: str, body: bytes | str, *, content_type: str = "text/html; charset=utf-8"
    ) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        headers = {"Content-Type": content_type, "Content-Encoding": "br"}
        return self.route(path, 200, headers, bytes(brotli.compress(data)))


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    """A fresh server per test, stopped (with any trickling handler) when the test ends."""
    with LocalServer() as server:
        yield server
