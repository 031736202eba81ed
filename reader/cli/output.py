"""What the `reader` command prints: stored text made harmless before it reaches a terminal.

Titles, notes, tags, snippets and file names come from clipped web pages and from exports
anyone may have edited. Printed as they are, an OSC 52 sequence writes the user's clipboard,
an OSC 0 retitles the window, a CSI recolours or erases the screen, and bidi overrides or
zero-width characters make a line read differently from what it holds. Rather than trust
every print to remember, `reader.cli.main` wraps sys.stdout and sys.stderr for the whole
command, so everything written, by any module, is sanitised in this one place.

The dangerous code points are written as the six characters ``\\uXXXX``. That keeps
``--json`` output valid JSON decoding to exactly the stored data: json.dumps already escapes
backslashes and C0 controls, so every remaining dangerous character sits inside a JSON string,
where ``\\u202e`` *is* that character. Plain output shows the escape, so the reader sees that
something was there.

Only the standard library is imported: this runs before every command, `--help` included.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO, cast

__all__ = ["SafeStream", "real_streams", "sanitize", "sanitized_output", "unwrap"]


def _escaped_code_points() -> list[int]:
    c0 = [c for c in range(0x20) if c not in (0x09, 0x0A)]  # a tab or a newline is layout
    delete_and_c1 = list(range(0x7F, 0xA0))  # 0x9B is CSI and 0x9D OSC on 8-bit terminals
    bidi = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
    invisible = [*range(0x200B, 0x200E), *range(0x2060, 0x2065), 0xFEFF]
    separators = [0x2028, 0x2029]  # line breaks to some terminals, invisible to others
    # Lone surrogates cannot be encoded at all: the write would raise instead of printing.
    surrogates = list(range(0xD800, 0xE000))
    return [*c0, *delete_and_c1, *bidi, *invisible, *separators, *surrogates]


_TABLE: dict[int, str] = {cp: f"\\u{cp:04x}" for cp in _escaped_code_points()}

# str.translate is fast on ASCII text but slow on other text, which almost never holds a
# dangerous character: one regex search (C speed) skips the translation then.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029"
    "\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff]"
)


def sanitize(text: str) -> str:
    """`text` with every control, bidi, invisible and surrogate code point as ``\\uXXXX``."""
    if text.isascii() or _UNSAFE.search(text) is not None:
        return text.translate(_TABLE)
    return text


class SafeStream:
    """A text stream that sanitises every write and passes it straight on.

    Nothing is buffered here, so output interleaves with the wrapped stream exactly as
    before; everything else (isatty, fileno, encoding, buffer, ...) is the wrapped
    stream's, so code that asks whether it runs on a terminal gets the true answer.
    """

    def __init__(self, raw: TextIO) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(sanitize(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        return self.raw.isatty()

    def fileno(self) -> int:
        return self.raw.fileno()

    @property
    def encoding(self) -> str:
        return self.raw.encoding

    @property
    def errors(self) -> str | None:
        return self.raw.errors

    @property
    def buffer(self) -> Any:
        return self.raw.buffer

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


def unwrap(stream: TextIO) -> TextIO:
    """The stream under any SafeStream: for writers of their own escape codes (Rich, Textual)."""
    while isinstance(stream, SafeStream):
        stream = stream.raw
    return stream


def _wrap(stream: TextIO | None) -> TextIO | None:
    if stream is None or isinstance(stream, SafeStream):  # None: no console (pythonw)
        return stream
    return cast(TextIO, SafeStream(stream))


@contextmanager
def sanitized_output() -> Iterator[None]:
    """sys.stdout and sys.stderr sanitised until the block ends, however it ends."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _wrap(sys.stdout), _wrap(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


@contextmanager
def real_streams() -> Iterator[None]:
    """The unwrapped streams for the block: the TUI writes escape sequences by design."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = unwrap(sys.stdout), unwrap(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
