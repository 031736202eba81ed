"""What both extractors leave in a page's body: the headline again at its top, a caption
said twice, bylines and datelines, share and sign-up lines.

The line rules are the clip parser's (`reader.article.clip`, `reader.article.meta`), so a
web page and a pasted clip of it lose the same chrome.
"""

from __future__ import annotations

import re

from reader.article.meta import read_meta_line

__all__ = ["clean_paragraphs"]

_WORD = re.compile(r"\w+")
_REPEAT_WINDOW = 1  # a caption said twice says it twice in a row
_REPEAT_MAX_WORDS = 40


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def clean_paragraphs(paragraphs: list[str], title: str | None) -> list[str]:
    out: list[str] = []
    title_key = _key(title) if title else ""
    for p in paragraphs:
        key = _key(p)
        if not out and title_key and key == title_key:
            continue  # the headline, again, above the body
        recent = {_key(q) for q in out[-_REPEAT_WINDOW:]}
        if key in recent and len(key.split()) <= _REPEAT_MAX_WORDS:
            continue  # a caption said twice, by the image and under it
        if len(out) < 4 and read_meta_line(p) is not None:
            continue  # "By Jane Doe | 20 February 2024" under the headline
        out.append(p)
    return out
