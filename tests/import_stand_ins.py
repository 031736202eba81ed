"""Stand-in pages for the public URLs of the import fixtures, served from 127.0.0.1.

The exports name pages on the public web, which no test may reach. `StandIns` maps each
such URL to a path on the local server ("/host/path") and its `fetch` (the shape of
reader.sources.url.fetch) asks the local server instead, handing back the page as if the
real address had served it. A URL the test never served answers 404 there, and one it
marks `refuse` goes to a port nobody listens on, so nothing ever leaves the machine.
"""

from __future__ import annotations

import html
import socket
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from reader.sources import url as url_module
from reader.sources.url import Fetched

if TYPE_CHECKING:
    from tests.local_server import LocalServer

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
LINKS = DATA / "imports" / "wallabag_fixtures"
KINDLE = DATA / "clippings" / "kindle"
REAL_FETCH = url_module.fetch


def fixture(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"{path} is not here")
    return path


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class StandIns:
    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self.refused: set[str] = set()
        self.asked: list[str] = []
        self._closed = _closed_port()

    @staticmethod
    def path_of(url: str) -> str:
        parts = urlsplit(url)
        return f"/{parts.hostname}{parts.path or '/'}"

    def serve(self, url: str, title: str, *paragraphs: str) -> None:
        """An article page: its title and paragraphs (made long enough to be an article)."""
        self.refused.discard(url)
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs or _filler(title))
        page = (
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
            f"</title></head><body><article><h1>{html.escape(title)}</h1>{body}"
            "</article></body></html>"
        )
        self.server.page(self.path_of(url), page, content_type="text/html", charset="utf-8")

    def fail(self, url: str, status: int = 404) -> None:
        self.server.status(self.path_of(url), status, b"gone")

    def refuse(self, url: str) -> None:
        self.refused.add(url)

    def fetch(self, url: str, *, timeout: float = 20.0) -> Fetched:
        self.asked.append(url)
        if url in self.refused:
            local = f"http://127.0.0.1:{self._closed}{self.path_of(url)}"
        else:
            local = self.server.url(self.path_of(url))
        try:
            page = REAL_FETCH(local, timeout=timeout)
        except url_module.FetchError as exc:
            raise url_module.FetchError(url, exc.problem) from None
        return replace(page, url=url)


def _filler(title: str) -> list[str]:
    """Paragraphs of their own for each page, so no two stand-ins are the same text."""
    return [
        f"This stand-in page is about {title}. It has a few sentences of its own, so that "
        "the extractor finds an article in it and not a bare page of links.",
        f"A second paragraph says more about {title}, at some length, the way an article "
        "would: several clauses, a comma or two, and a full stop at the end.",
    ]
