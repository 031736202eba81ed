"""Images pasted into a text as data URIs: megabytes of base64 that no reader reads.

A clip saved from a page, or a Markdown file exported from a notes app, may carry its
images inline ("![chart](data:image/png;base64,iVBOR…)"). The image keeps its alt text
(in a clip) or its Markdown form with the address dropped (so the Markdown reader still
sees an image with its alt text); a bare data URI goes.
"""

from __future__ import annotations

import re

_IMAGE = re.compile(r"!\[([^\]\n]{0,300})\]\(\s*data:[^\s,()]{0,200},[A-Za-z0-9+/=%]*\s*\)")
_BARE = re.compile(r"data:[\w.+-]{1,80}/[\w.+-]{1,80}(?:;[\w.+=-]{1,80})*,[A-Za-z0-9+/=%]{64,}")


def drop_data_uris(text: str, *, keep_markdown: bool = False) -> str:
    if "data:" not in text:
        return text
    image = (lambda m: f"![{m.group(1)}]()") if keep_markdown else (lambda m: m.group(1))
    return _BARE.sub("", _IMAGE.sub(image, text))
