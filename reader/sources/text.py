"""Web clips saved as text: what a browser's "save as text" or a copy-paste leaves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.sources.base import Locator, decode_text, with_url

if TYPE_CHECKING:
    from reader.article import Article

__all__ = ["TextSource"]


class TextSource:
    """The reader of last resort: any bytes that decode as text are a clip.

    It is what every file was read as before the registry existed, so a file of an
    unknown kind still gets the decoder's precise refusal ("not a text file (a ZIP
    archive)") rather than a vaguer one.
    """

    name = "text"
    suffixes = frozenset({".txt", ".text"})
    media_types = frozenset({"text/plain"})

    def sniff(self, head: bytes) -> bool:
        from reader.article import InputError, decode_bytes

        try:
            decode_bytes(head, "head")
        except InputError:
            return False
        return True

    def read(self, data: bytes, locator: Locator) -> list[Article]:
        from reader.article import parse_clip

        return with_url(parse_clip(decode_text(data, locator)), locator)
