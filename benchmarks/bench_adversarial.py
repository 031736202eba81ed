"""Odd text of 1 MB through the path `reader add` and `reader analyze` take: no input may hang.

Target (issue 9): each adversarial input of about 1 MB (long runs of spaces, long tokens, deep
nesting) is analysed in under a second. One quadratic regex turns such an input into minutes,
so every row is a whole path, bytes to analysis: `decode_bytes` -> `parse_article` (as a .txt
clip and as a .md file) -> the analyzer without its cache. The "add" figure stops after
parsing, which is all `reader add` does; "analyze" includes it.

The inputs are generated here (no corpus text is needed, so `data` is unused), deterministic,
and each wrapped in a few lines of ordinary article so the clip cleaner and the Markdown reader
see a page rather than a bare string. A guard stops any one input after `GUARD_S` seconds and
reports it as "> GUARD_S", so a regression shows in the table instead of hanging `make bench`.
"""

from __future__ import annotations

import base64
import os
import random
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from benchmarks.table import Row

SECTION = "Adversarial inputs, 1 MB each (whole path, one core)"
SIZE = 1_000_000
TARGET_S = 1.0
GUARD_S = 120

_HEAD = (
    "Harbour barrier opens after a decade of work\n\n"
    "By Jane Doe\n\n"
    "The tide barrier across the harbour mouth opened on Tuesday, ten years after the city "
    "council first voted to build it, and the first high tide passed without flooding.\n\n"
)
_TAIL = (
    "\n\nEngineers from the port authority said the gates would be tested again next month, "
    "before the winter storms arrive.\n"
)


def _spaces() -> str:
    return "The words before the gap" + " " * SIZE + "and the words after it.\n"


def _long_token() -> str:
    return "A single token follows: " + "abcdefghij" * (SIZE // 10) + " and then the text ends."


def _base64_image() -> str:
    payload = base64.b64encode(random.Random(9).randbytes(SIZE * 3 // 4)).decode("ascii")
    return f"Here is the chart: ![chart](data:image/png;base64,{payload}) as the page showed it."


def _email_token() -> str:
    return "Write to user@" + "mail-host-" * (SIZE // 10) + "example now."


def _url_token() -> str:
    return "See https://example.com/" + "path/" * (SIZE // 5) + " for the rest."


def _quotes() -> str:
    return "> " * (SIZE // 2) + "the deepest quotation\n"


def _lists() -> str:
    lines: list[str] = []
    size = depth = 0
    while size < SIZE:
        line = "  " * depth + f"- item at depth {depth}\n"
        lines.append(line)
        size += len(line)
        depth += 1
    return "".join(lines)


def _brackets() -> str:
    return "[" * (SIZE // 2) + "the middle" + "]" * (SIZE // 2)


def _emphasis() -> str:
    return "*_" * (SIZE // 4) + "the middle" + "_*" * (SIZE // 4)


def _blank_lines() -> str:
    return "The paragraph before.\n" + "\n" * SIZE + "The paragraph after.\n"


def _punctuation() -> str:
    marks = "!?.,;:'\"()[]{}<>/\\|*&^%$#@~`+=_-"
    return (marks * (SIZE // len(marks) + 1))[:SIZE] + "\n"


INPUTS: dict[str, Callable[[], str]] = {
    "a line with a 1 MB run of spaces": _spaces,
    "one 1 MB token": _long_token,
    "base64 data-URI image in a clip": _base64_image,
    "1 MB e-mail-like token": _email_token,
    "1 MB URL-like token": _url_token,
    "quotes nested `> > > …`": _quotes,
    "lists nested to depth ~1,000": _lists,
    "brackets `[[[[…]]]]`": _brackets,
    "emphasis `*_*_…_*_*`": _emphasis,
    "1 MB of blank lines": _blank_lines,
    "a 1 MB line of punctuation": _punctuation,
}


class _Overrun(Exception):
    pass


@contextmanager
def _guard(seconds: int) -> Iterator[None]:
    """Raise `_Overrun` after `seconds` (SIGALRM: the benchmarks run on the main thread)."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise _Overrun

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _measure(data: bytes, suffix: str) -> tuple[float | str, float | str, int | str]:
    """Seconds to parse (`reader add`), to analyse (`reader analyze`), and the text kept."""
    from reader.article import InputError, decode_bytes, parse_article
    from reader.nlp.analyzer import analyze_text

    over = f"> {GUARD_S} s"
    parsed: float | str = over
    started = time.perf_counter()
    try:
        with _guard(GUARD_S):
            text = parse_article(decode_bytes(data, f"adversarial{suffix}"), suffix=suffix).text
            parsed = time.perf_counter() - started
            if text.strip():
                analyze_text(text)
    except _Overrun:
        return parsed, over, "-"
    except InputError as exc:  # refused with a message, as the CLI would print it
        return time.perf_counter() - started, f"refused: {exc.problem}", 0
    return parsed, time.perf_counter() - started, len(text)


def _pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def run(data: Path) -> list[Row]:
    from reader.nlp.analyzer import analyze_text

    _pin_one_core()
    analyze_text(_HEAD)  # load the models outside the timing
    rows: list[Row] = []
    for name, make in INPUTS.items():
        raw = (_HEAD + make() + _TAIL).encode("utf-8")
        for suffix in (".txt", ".md"):
            add, analyze, length = _measure(raw, suffix)
            rows.append(
                Row(
                    SECTION,
                    f"{name} ({len(raw) / 1e6:.2f} MB)",
                    f"decode -> parse {suffix} -> analyze",
                    {
                        "add s": add,
                        "analyze s": analyze,
                        "target": f"< {TARGET_S:g} s",
                        "text kept (chars)": length,
                    },
                )
            )
    return rows
