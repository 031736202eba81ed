"""Fetching pages: every limit and every failure line, against a server on 127.0.0.1.

Nothing here touches the internet: DNS failure uses the reserved `.invalid` name, and the
slow-server tests use a short timeout with a generous hang guard instead of timing asserts.
"""

from __future__ import annotations

import gzip
import socket
import subprocess
import sys
import threading
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

import pytest

from reader.article import InputError
from reader.sources.url import Fetched, FetchError, charset_of, fetch, is_url

if TYPE_CHECKING:
    from tests.local_server import LocalServer

pytest_plugins = ["tests.local_server"]

HANG_GUARD = 30.0  # seconds; far beyond any timeout used here, only so a bug cannot hang CI


def fetch_bounded(url: str, **kwargs: Any) -> Fetched | FetchError:
    """fetch() on a thread, failing the test (not hanging it) if it never returns."""
    outcome: list[Fetched | FetchError] = []

    def run() -> None:
        try:
            outcome.append(fetch(url, **kwargs))
        except FetchError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG_GUARD)
    assert not worker.is_alive(), f"fetch({url!r}) still running after {HANG_GUARD} s"
    assert outcome, "fetch raised something other than FetchError"
    return outcome[0]


def error_of(url: str, **kwargs: Any) -> str:
    with pytest.raises(FetchError) as caught:
        fetch(url, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(url + ": ")
    return message


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- what counts as a URL --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "http://example.com",
        "https://example.com/a?b=c#d",
        "HTTP://EXAMPLE.COM/",
        "http://[::1]:80/",
    ],
)
def test_web_addresses_are_urls(text: str) -> None:
    assert is_url(text)


@pytest.mark.parametrize(
    "text",
    [
        "example.com",
        "notes/article.html",
        "/tmp/page.html",
        "ftp://example.com/a",
        "file:///etc/passwd",
        "http://",
        "http:///path",
        "https://exa mple.com",
        "http://example.com/\n",
        "mailto:someone@example.com",
        "http://[::1/",
    ],
)
def test_other_text_is_not_a_url(text: str) -> None:
    assert not is_url(text)


# -- a page and what the server said about it --------------------------------------------------


def test_a_page_comes_back_with_its_media_type_and_charset(local_server: LocalServer) -> None:
    body = "<p>café</p>".encode("iso-8859-1")
    url = local_server.route("/a", 200, {"Content-Type": "Text/HTML; Charset=ISO-8859-1"}, body)
    fetched = fetch(url)
    assert fetched == Fetched(
        url=url, status=200, media_type="text/html", charset="iso-8859-1", body=body
    )


def test_no_content_type_means_empty_media_type_and_no_charset(local_server: LocalServer) -> None:
    fetched = fetch(local_server.route("/bare", 200, {}, b"just text"))
    assert (fetched.media_type, fetched.charset) == ("", None)


def test_an_unknown_charset_label_is_dropped(local_server: LocalServer) -> None:
    url = local_server.page("/x", b"<p>hi</p>", charset="x-no-such-charset")
    assert fetch(url).charset is None


def test_requests_name_the_project_and_accept_compression(local_server: LocalServer) -> None:
    fetch(local_server.page("/a", "<p>hi</p>"))
    sent = local_server.requests[-1].headers
    assert sent["user-agent"] == f"reader/{version('reader')} (+terminal reading app)"
    assert {"gzip", "deflate", "br"} <= {
        part.strip() for part in sent["accept-encoding"].split(",")
    }


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "brotli"])
def test_compressed_pages_are_decoded(local_server: LocalServer, encoding: str) -> None:
    text = "<p>Zürich, " + "words " * 500 + "</p>"
    serve = getattr(local_server, encoding)
    fetched = fetch(serve("/z", text))
    assert fetched.body == text.encode("utf-8")
    assert fetched.charset == "utf-8"


def test_a_corrupt_compressed_body_is_one_line(local_server: LocalServer) -> None:
    headers = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    url = local_server.route("/bad-gzip", 200, headers, b"this is not gzip at all")
    assert "could not be decompressed" in error_of(url)


# -- redirects -------------------------------------------------------------------------------


def test_five_redirects_are_followed_to_the_final_url(local_server: LocalServer) -> None:
    fetched = fetch(local_server.redirect_chain("/hop", 5, final_body="<p>there</p>"))
    assert fetched.url == local_server.url("/hop5")
    assert fetched.body == b"<p>there</p>"
    assert [r.path for r in local_server.requests] == [f"/hop{i}" for i in range(6)]


def test_a_sixth_redirect_is_refused(local_server: LocalServer) -> None:
    url = local_server.redirect_chain("/hop", 6)
    assert error_of(url).endswith("more than 5 redirects")
    assert len(local_server.requests) == 6  # it stopped, rather than looking at the page


def test_a_redirect_loop_is_named_as_a_loop(local_server: LocalServer) -> None:
    url = local_server.redirect_loop("/ping", "/pong")
    message = error_of(url)
    pong = local_server.url("/pong")
    assert message.endswith(f"redirect loop: {url} -> {pong} -> {url}")


def test_every_redirect_status_and_an_absolute_location(local_server: LocalServer) -> None:
    local_server.page("/end", "<p>end</p>")
    for i, status in enumerate((301, 302, 303, 307)):
        local_server.redirect(f"/r{i}", f"/r{i + 1}", status=status)
    local_server.redirect("/r4", local_server.url("/end"), status=308)
    assert fetch(local_server.url("/r0")).url == local_server.url("/end")


def test_a_redirect_to_another_scheme_is_refused(local_server: LocalServer) -> None:
    url = local_server.redirect("/ftp", "ftp://example.com/file")
    message = error_of(url)
    assert "redirected to ftp://example.com/file" in message
    assert "only http:// and https://" in message


# -- HTTP errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "line"),
    [(404, "HTTP 404 Not Found"), (410, "HTTP 410 Gone"), (500, "HTTP 500 Internal Server Error")],
)
def test_http_errors_say_the_status_and_reason(
    local_server: LocalServer, status: int, line: str
) -> None:
    url = local_server.status("/e", status, b"<h1>oops</h1>")
    assert error_of(url).endswith(line)


def test_an_error_after_a_redirect_says_where(local_server: LocalServer) -> None:
    local_server.not_found("/gone")
    url = local_server.redirect("/moved", "/gone")
    assert error_of(url).endswith(f"HTTP 404 Not Found (at {local_server.url('/gone')})")


def test_a_failure_is_not_retried(local_server: LocalServer) -> None:
    url = local_server.status("/busy", 503)
    assert error_of(url).endswith("HTTP 503 Service Unavailable")
    assert len(local_server.requests) == 1


def test_an_empty_page_is_refused(local_server: LocalServer) -> None:
    assert error_of(local_server.page("/empty", b"")).endswith("the server sent an empty page")
    assert error_of(local_server.page("/blank", b" \r\n\t ")).endswith("empty page")


# -- time and size ---------------------------------------------------------------------------


def test_a_server_that_trickles_forever_still_times_out(local_server: LocalServer) -> None:
    # A byte every 50 ms: no single read ever waits long enough for a read timeout.
    url = local_server.trickle("/slow", interval=0.05)
    outcome = fetch_bounded(url, timeout=0.5)
    assert isinstance(outcome, FetchError)
    assert str(outcome) == f"{url}: timed out after 0.5 s"


def test_headers_sent_a_byte_at_a_time_still_time_out(local_server: LocalServer) -> None:
    url = local_server.trickle("/slower", interval=0.05, headers_too=True)
    outcome = fetch_bounded(url, timeout=0.5)
    assert isinstance(outcome, FetchError)
    assert str(outcome) == f"{url}: timed out after 0.5 s"


def test_a_silent_server_times_out(local_server: LocalServer) -> None:
    url = local_server.stall("/silent", content_length=100)
    outcome = fetch_bounded(url, timeout=0.5)
    assert isinstance(outcome, FetchError)
    assert str(outcome).endswith("timed out after 0.5 s")


def test_a_page_over_10_mb_is_refused_not_cut(local_server: LocalServer) -> None:
    url = local_server.huge("/big", 10_000_001)  # no Content-Length: found out while reading
    outcome = fetch_bounded(url)
    assert isinstance(outcome, FetchError)
    assert str(outcome) == f"{url}: the page is larger than 10 MB"


def test_a_page_exactly_at_the_cap_is_whole(local_server: LocalServer) -> None:
    fetched = fetch(local_server.huge("/full", 5000, block=700), max_bytes=5000)
    assert fetched.body == b"a" * 5000
    assert error_of(local_server.huge("/over", 5001, block=700), max_bytes=5000).endswith(
        "the page is larger than 5 kB"
    )


def test_a_content_length_over_the_cap_is_refused_before_reading(
    local_server: LocalServer,
) -> None:
    # The server promises 50 MB, sends six bytes and goes quiet: reading would end in a
    # timeout, so only checking the header first gives the size line.
    url = local_server.stall("/promise", content_length=50_000_000)
    outcome = fetch_bounded(url, timeout=10)
    assert isinstance(outcome, FetchError)
    assert str(outcome) == f"{url}: the page is larger than 10 MB"


def test_the_cap_counts_decompressed_bytes(local_server: LocalServer) -> None:
    bomb = b"\0" * 2_000_000
    headers = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    url = local_server.route("/bomb", 200, headers, gzip.compress(bomb))
    assert error_of(url, max_bytes=1_000_000).endswith("the page is larger than 1 MB")


# -- connection failures -----------------------------------------------------------------------


def test_a_name_that_does_not_resolve() -> None:
    url = "http://nonexistent.invalid/page"
    assert error_of(url).endswith(
        "could not find the server nonexistent.invalid (DNS lookup failed)"
    )


def test_a_refused_connection() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/page"
    assert error_of(url).endswith(f"connection refused by 127.0.0.1:{port}")


def test_https_to_a_plain_http_server_is_a_tls_error(local_server: LocalServer) -> None:
    local_server.page("/a", "<p>hi</p>")
    url = local_server.url("/a", scheme="https")
    outcome = fetch_bounded(url, timeout=10)
    assert isinstance(outcome, FetchError)
    assert str(outcome).startswith(f"{url}: TLS error: ")
    assert "\n" not in str(outcome)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://example.com/a", "only http:// and https:// can be fetched, not ftp:"),
        ("file:///etc/passwd", "only http:// and https:// can be fetched, not file:"),
        ("example.com/page", "only http:// and https:// can be fetched"),
        ("http:///page", "the address has no host name"),
        ("http://example.com:port/", "not a valid web address"),
    ],
)
def test_addresses_that_are_not_web_addresses(url: str, problem: str) -> None:
    assert problem in error_of(url)


def test_fetch_errors_are_input_errors() -> None:
    # The CLI's one-line-and-exit-2 handling of bad input covers URLs with no new code.
    with pytest.raises(InputError):
        fetch("gopher://example.com/")


def test_importing_the_fetcher_does_not_import_httpx() -> None:
    code = "import sys, reader.sources.url; print('httpx' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# -- the encoding a page declares ----------------------------------------------------------------


def test_a_bom_beats_everything() -> None:
    body = b"\xef\xbb\xbf<meta charset='iso-8859-1'><p>hi</p>"
    assert charset_of(body, "windows-1252") == "utf-8"
    assert charset_of(b"\xff\xfe<\x00p\x00", None) == "utf-16-le"
    assert charset_of(b"\xfe\xff\x00<\x00p", None) == "utf-16-be"


def test_the_header_beats_the_meta_tag() -> None:
    assert charset_of(b"<meta charset='iso-8859-1'>", "UTF-8") == "utf-8"


def test_meta_charset_and_http_equiv_are_read() -> None:
    assert charset_of(b'<html><head><meta charset="Shift_JIS">', None) == "shift_jis"
    equiv = b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    assert charset_of(equiv, None) == "windows-1251"


def test_an_unknown_header_label_falls_back_to_the_meta_tag() -> None:
    assert charset_of(b"<meta charset=koi8-r>", "bogus-9") == "koi8-r"


def test_a_meta_tag_past_4_kb_is_not_looked_for() -> None:
    late = b" " * 4096 + b"<meta charset='koi8-r'>"
    assert charset_of(late, None) is None
    assert charset_of(b"<p>no declaration</p>", None) is None


def test_a_meta_tag_claiming_utf_16_means_utf_8() -> None:
    assert charset_of(b"<meta charset='utf-16'>", None) == "utf-8"
