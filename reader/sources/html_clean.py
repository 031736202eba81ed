"""What both extractors leave in a page's body: the headline again at its top, a caption
said twice, bylines and datelines, share and sign-up lines.

The line rules are the clip parser's (`reader.article.clip`, `reader.article.meta`), so a
web page and a pasted clip of it lose the same chrome. They judge prose blocks only: a
code block or a table that happens to read like "By Jane Doe" is the article's.
"""

from __future__ import annotations

import re

from reader.article.meta import read_meta_line
from reader.sources.html_blocks import Piece

__all__ = ["clean_pieces"]

_WORD = re.compile(r"\w+")
_REPEAT_WINDOW = 1  # a caption said twice says it twice in a row
_REPEAT_MAX_WORDS = 40
# "Jump to navigation", "Skip to content", "Back to top": a page's links to its own parts.
_SKIP_LINK = re.compile(r"(?:jump|skip|go|back)\s+to\b", re.I)


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _is_skip_link(piece: Piece) -> bool:
    worded = [r for r in piece.runs if _WORD.search(r.text)]
    return (
        piece.kind == "paragraph"
        and _SKIP_LINK.match(piece.text) is not None
        and all(r.href and "#" in r.href for r in worded)
    )


def clean_pieces(pieces: list[Piece], title: str | None) -> list[Piece]:
    out: list[Piece] = []
    title_key = _key(title) if title else ""
    for piece in pieces:
        if piece.kind == "rule":
            if out and out[-1].kind != "rule":
                out.append(piece)  # a break with nothing above it breaks nothing
            continue
        text = piece.text
        key = _key(text)
        if not key:
            continue
        if piece.is_prose:
            if not out and title_key and key == title_key:
                continue  # the headline, again, above the body
            recent = {_key(q.text) for q in out[-_REPEAT_WINDOW:] if q.is_prose}
            if key in recent and len(key.split()) <= _REPEAT_MAX_WORDS:
                continue  # a caption said twice, by the image and under it
            if len(out) < 4 and read_meta_line(text) is not None:
                continue  # "By Jane Doe | 20 February 2024" under the headline
            if _is_skip_link(piece):
                continue
        out.append(piece)
    while out and out[-1].kind == "rule":
        out.pop()
    return out
