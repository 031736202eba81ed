"""Fetching a web page: the bytes and what the server said about them, or one line saying why not.

A reading app fetches one page at a time for a person waiting at a terminal, so every limit
is about not leaving them stuck: one deadline covers the whole fetch (DNS aside, which the
OS resolver controls), including servers that trickle bytes forever or send headers a byte
at a time — per-read timeouts alone never end those. A page over the size cap is refused,
never silently cut, since half an article stored as the whole one is worse than none.
No retries: the person can run the command again, and a retry would double the wait.
A 304 Not Modified is a result, not an error: a feed update asks conditionally (`headers`
with If-None-Match / If-Modified-Since) and keeps what the server said (`Fetched.headers`).

Redirects are followed by hand rather than by httpx, so the one deadline spans the chain,
a loop is named as a loop (not "too many redirects") and a redirect to a non-web scheme
gets its own line. Decoding to text is the sources' job; `charset_of` is here because the
same rules (BOM, then the header, then `<meta charset>`) apply to any fetched page.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import re
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from reader.article import InputError

if TYPE_CHECKING:
    import httpx

__all__ = ["MAX_REDIRECTS", "FetchError", "Fetched", "charset_of", "fetch", "is_url", "user_agent"]

MAX_REDIRECTS = 5
_SCHEMES = frozenset({"http", "https"})
_WHITESPACE = re.compile(r"[\s\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # final URL after redirects
    status: int
    media_type: str  # lower-case, no parameters ("" if none)
    charset: str | None
    body: bytes  # empty for a 304 Not Modified
    headers: Mapping[str, str] = field(default_factory=dict, compare=False)
    """The final response's headers, names lower-case (ETag, Last-Modified, Content-Location)."""


class FetchError(InputError):
    """A page that could not be fetched; `str()` is one line naming the URL asked for."""


def is_url(text: str) -> bool:
    """An http:// or https:// address with a host: what `reader add` treats as a URL, not a path."""
    if _WHITESPACE.search(text):
        return False
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme.lower() in _SCHEMES and bool(host)


@functools.cache
def user_agent() -> str:
    """Names the project, so site owners can tell who fetched (and reach it). Cached: reading
    the installed version parses package metadata, a millisecond a fetch."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("reader")
    except PackageNotFoundError:
        v = "0"
    return f"reader/{v} (+terminal reading app)"


def fetch(
    url: str,
    *,
    timeout: float = 20.0,
    max_bytes: int = 10_000_000,
    headers: Mapping[str, str] | None = None,
) -> Fetched:
    """GET `url` within `timeout` seconds overall, at most `max_bytes` of (decoded) body.

    `headers` are sent on every request of the redirect chain (a conditional GET's
    If-None-Match and If-Modified-Since); a 304 answer comes back with an empty body.
    """
    import httpx

    _check_address(url, url)
    deadline = _Deadline(timeout)
    sent = {"User-Agent": user_agent(), "Accept-Encoding": "gzip, deflate, br", **(headers or {})}
    try:
        with (
            deadline,
            httpx.Client(headers=sent, follow_redirects=False, verify=_tls()) as client,
        ):
            return _follow(client, url, deadline, max_bytes)
    except FetchError:
        raise
    except httpx.HTTPError as exc:
        if deadline.expired:
            raise _timed_out(url, timeout) from None
        raise FetchError(url, _describe(exc, timeout)) from None


_TLS: list[ssl.SSLContext] = []
_TLS_LOCK = threading.Lock()


def _tls() -> ssl.SSLContext:
    """One verifying TLS context for every fetch, made as httpx makes its default one.

    Building it loads the CA bundle, about 40 ms of CPU: once per page is nothing, but a
    feed update asking 200 feeds whether they changed would spend 8 s on it. A context is
    safe to share between threads.
    """
    import httpx

    with _TLS_LOCK:
        if not _TLS:
            _TLS.append(httpx.create_ssl_context())
        return _TLS[0]


def _follow(client: httpx.Client, url: str, deadline: _Deadline, max_bytes: int) -> Fetched:
    import httpx

    chain = [url]
    current = url
    while True:
        request = client.build_request(
            "GET",
            current,
            timeout=httpx.Timeout(deadline.remaining()),
            extensions={"trace": deadline.trace},
        )
        response = client.send(request, stream=True)
        try:
            if response.has_redirect_location:
                target = str(response.url.join(response.headers["Location"]))
                _check_address(url, target, redirected=True)
                if target in chain:
                    loop = " -> ".join([*chain[chain.index(target) :], target])
                    raise FetchError(url, f"redirect loop: {loop}")
                if len(chain) > MAX_REDIRECTS:
                    raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")
                chain.append(target)
                current = target
                continue
            if response.status_code == 304:
                return _fetched(response, b"")
            if response.status_code >= 400:
                where = "" if len(chain) == 1 else f" (at {response.url})"
                raise FetchError(url, f"HTTP {_status_line(response)}{where}")
            if response.status_code >= 300:
                raise FetchError(url, f"HTTP {_status_line(response)} without a usable Location")
            body = _read_body(url, response, deadline, max_bytes)
        finally:
            response.close()
        if deadline.expired:  # the watchdog cut the connection: the body is not all there
            raise _timed_out(url, deadline.timeout)
        if not body.strip():
            raise FetchError(url, "the server sent an empty page")
        return _fetched(response, body)


def _fetched(response: httpx.Response, body: bytes) -> Fetched:
    content_type = response.headers.get("Content-Type", "")
    return Fetched(
        url=str(response.url),
        status=response.status_code,
        media_type=content_type.split(";", 1)[0].strip().lower(),
        charset=_known_charset(response.charset_encoding),
        body=body,
        headers={name.lower(): value for name, value in response.headers.items()},
    )


def _read_body(url: str, response: httpx.Response, deadline: _Deadline, max_bytes: int) -> bytes:
    too_big = f"the page is larger than {_size(max_bytes)}"
    declared = response.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > max_bytes:
        raise FetchError(url, too_big)
    chunks: list[bytes] = []
    total = 0
    # Counted after decompression, so a small gzip bomb is refused like a big page.
    for chunk in response.iter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise FetchError(url, too_big)
        if deadline.expired or deadline.remaining() <= 0:
            raise _timed_out(url, deadline.timeout)
        chunks.append(chunk)
    return b"".join(chunks)


class _Deadline:
    """One clock for the whole fetch, and a watchdog that cuts the socket when it runs out.

    httpx's timeouts are per operation: a server sending a byte a second never trips a
    read timeout. The watchdog shuts the current connection's socket down, which wakes a
    blocked read at once; `expired` then tells the caller the failure was the clock.
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._end = time.monotonic() + timeout
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.expired = False
        self._timer = threading.Timer(timeout, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        return max(self._end - time.monotonic(), 0.001)

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace hook: note each new connection's socket so it can be cut."""
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            stream = info.get("return_value")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if isinstance(sock, socket.socket):
                with self._lock:
                    self._sockets.append(sock)
                    late = self.expired
                if late:
                    _cut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _cut(sock)


def _cut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed: nothing left to wake
        sock.shutdown(socket.SHUT_RDWR)


def _check_address(url: str, target: str, *, redirected: bool = False) -> None:
    prefix = f"redirected to {target}, but " if redirected else ""
    try:
        parts = urlsplit(target)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise FetchError(url, f"{prefix}not a valid web address") from None
    if parts.scheme.lower() not in _SCHEMES:
        scheme = f"{parts.scheme}:" if parts.scheme else "an address without http://"
        raise FetchError(url, f"{prefix}only http:// and https:// can be fetched, not {scheme}")
    if not host:
        raise FetchError(url, f"{prefix}the address has no host name")


def _timed_out(url: str, timeout: float) -> FetchError:
    return FetchError(url, f"timed out after {timeout:g} s")


def _status_line(response: httpx.Response) -> str:
    from http import HTTPStatus

    reason = response.reason_phrase.strip()
    if not reason:
        try:
            reason = HTTPStatus(response.status_code).phrase
        except ValueError:
            reason = ""
    return f"{response.status_code} {reason}".strip()


def _describe(exc: BaseException, timeout: float) -> str:
    """The cause a person can act on, from the exception chain httpx and httpcore build."""
    import httpx

    causes: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and len(causes) < 10:
        causes.append(seen)
        seen = seen.__cause__ or seen.__context__
    for cause in causes:
        if isinstance(cause, socket.gaierror):
            host = _host_of(exc)
            return f"could not find the server {host} (DNS lookup failed)"
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS error: the certificate is not trusted ({cause.verify_message})"
        if isinstance(cause, ssl.SSLError):
            reason = (cause.reason or str(cause)).replace("_", " ").lower()
            return f"TLS error: {reason} (is it really an https server?)"
        if isinstance(cause, ConnectionRefusedError):
            return f"connection refused by {_host_of(exc, port=True)}"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out after {timeout:g} s"
    if isinstance(exc, httpx.DecodingError):
        return "the server sent a body that could not be decompressed"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the server broke off the connection or sent a malformed response"
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return "not a valid web address"
    for cause in causes:
        if isinstance(cause, OSError) and cause.strerror:
            return f"could not connect: {cause.strerror}"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"could not fetch: {text}"


def _host_of(exc: BaseException, *, port: bool = False) -> str:
    import httpx

    try:
        request = exc.request if isinstance(exc, httpx.RequestError) else None
    except RuntimeError:  # raised when no request is attached
        request = None
    if request is None:
        return "the server"
    host = request.url.host
    if port:
        number = request.url.port or (443 if request.url.scheme == "https" else 80)
        return f"{host}:{number}"
    return host


def _size(n: int) -> str:
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}"
    return f"{n:,} bytes"


def _known_charset(label: str | None) -> str | None:
    """The label as given (lower-case) if Python can decode it; an unknown one is no help."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    try:
        codecs.lookup(label)
    except LookupError:
        return None
    return label


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE | re.DOTALL
)


def charset_of(body: bytes, header_charset: str | None) -> str | None:
    """The encoding a browser would use: BOM, then the HTTP header, then `<meta>` in 4 KB.

    That order is the HTML standard's: a BOM cannot lie, the server outranks the page's own
    claim, and the claim outranks a guess (None: the caller guesses). A `<meta>` saying
    UTF-16 is read as UTF-8, since the page could not have been parsed as ASCII otherwise.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    header = _known_charset(header_charset)
    if header:
        return header
    match = _META_CHARSET.search(body[:4096])
    if match is None:
        return None
    label = _known_charset(match.group(1).decode("ascii"))
    if label and codecs.lookup(label).name.startswith("utf-16"):
        return "utf-8"
    return label
