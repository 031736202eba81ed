"""An article's records carried over to a new text of it, re-anchored.

An article's id is the hash of its text, so a new text (a re-import through a better
extractor, the migration that gives old Markdown articles their structure back) is a new
id. Everything the reader made of the old one follows it there: the trash's machinery
takes the records out and puts them back (reader.store.trash), and this module rewrites
them in between, finding every note and highlight in the new text by its quote (see
reader.store.anchors). What cannot be found is kept, marked detached, with its quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reader.store.anchors import TextQuote, WordMap, quote_of, reanchor, with_tail
from reader.store.articles import article_doc
from reader.store.fields import Doc
from reader.store.trash import Bundle

if TYPE_CHECKING:
    from reader.article import Article

_KEY_CARD = re.compile(r"k(?P<aid>[0-9a-f]{16}):(?P<start>[0-9]+)-(?P<end>[0-9]+)")


@dataclass
class Retexted:
    """What moving to the new text did, for the reader to be told."""

    old_id: str
    new_id: str
    anchored: int = 0  # notes and highlights found in the new text
    detached: int = 0  # kept, but not found: shown apart, with their quote
    cards_dropped: int = 0  # key-sentence schedules whose sentence is gone
    detached_ids: list[int] = field(default_factory=list)


def selector(text: str, start: int, end: int) -> Doc:
    """The quote fields stored with a note or highlight (see reader.store.anchors)."""
    quote = quote_of(text, start, end)
    return {"quote": {"exact": quote.exact, "prefix": quote.prefix, "suffix": quote.suffix}}


def stored_quote(doc: Doc, old_text: str) -> TextQuote:
    """The quote saved with the record, else the one its offsets give in the old text."""
    saved = doc.get("quote")
    if isinstance(saved, dict) and all(
        isinstance(saved.get(k), str) for k in ("exact", "prefix", "suffix")
    ):
        return TextQuote(saved["exact"], saved["prefix"], saved["suffix"])
    start, end = _ints(doc)
    return quote_of(old_text, start, end)


def _ints(doc: Doc) -> tuple[int, int]:
    start, end = doc.get("start"), doc.get("end")
    return (start if isinstance(start, int) else 0, end if isinstance(end, int) else 0)


class _Mover:
    def __init__(self, old_text: str, new_text: str) -> None:
        self.old_text = old_text
        self.new_text = new_text
        self.words = WordMap(new_text)
        self.old_words = WordMap(old_text)
        self.same_words = self.words.words == self.old_words.words

    def span(self, quote: TextQuote, start: int, end: int) -> tuple[int, int] | None:
        if self.same_words and self.old_text[start:end] == quote.exact:
            # The same words in a new layout: each word maps to its twin, exactly.
            mapped = self._by_words(start, end)
            if mapped is not None:
                return with_tail(self.new_text, quote.exact, mapped)
        return reanchor(self.new_text, quote, start, self.words)

    def _by_words(self, start: int, end: int) -> tuple[int, int] | None:
        import bisect

        first = bisect.bisect_right(self.old_words.ends, start)
        last = bisect.bisect_left(self.old_words.starts, end) - 1
        if first > last or first >= len(self.words.starts):
            return None
        return self.words.starts[first], self.words.ends[last]

    def offset(self, offset: int) -> int:
        """A bookmark's new place: where the word it was at went, else as far through."""
        import bisect

        old = self.old_text
        if self.same_words and self.old_words.starts:
            index = min(
                bisect.bisect_left(self.old_words.ends, offset + 1), len(self.words.starts) - 1
            )
            return self.words.starts[index]
        found = reanchor(self.new_text, quote_of(old, offset, offset + 40), offset, self.words)
        if found is not None:
            return found[0]
        return round(offset * len(self.new_text) / max(1, len(old)))


def rebundle(
    bundle: Bundle, old_text: str, article: Article, new_id: str, stamp: str
) -> tuple[Bundle, Retexted]:
    """The bundle's records for `article` under `new_id`, each moved to the new text."""
    old_id = str(bundle.article.get("id"))
    report = Retexted(old_id, new_id)
    mover = _Mover(old_text, article.text)
    doc = article_doc(new_id, article, None, str(bundle.article.get("added_at") or stamp))
    for kept in ("origin", "tags", "added_at", "feed"):
        if bundle.article.get(kept) is not None:
            doc[kept] = bundle.article[kept]
    progress = None
    if bundle.progress is not None:
        progress = {**bundle.progress, "article_id": new_id}
        for name in ("position", "anchor"):
            value = progress.get(name)
            if isinstance(value, int) and value > 0:
                progress[name] = mover.offset(value)
    notes = [_moved(d, mover, new_id, report) for d in bundle.notes]
    highlights = [_moved(d, mover, new_id, report) for d in bundle.highlights]
    cards = []
    for card in bundle.cards:
        moved = _moved_card(card, mover, old_id, new_id)
        if moved is None:
            report.cards_dropped += 1
        else:
            cards.append(moved)
    places = {"article": bundle.places.get("article", "")}
    new = Bundle(doc, article.to_dict(), progress, notes, highlights, cards, None, places)
    return new, report


def _moved(doc: Doc, mover: _Mover, new_id: str, report: Retexted) -> Doc:
    start, end = _ints(doc)
    quote = stored_quote(doc, mover.old_text)
    moved: dict[str, Any] = {**doc, "article_id": new_id}
    was_detached = doc.get("detached") is True
    span = mover.span(quote, start, end) if not was_detached or quote.exact else None
    if span is None:
        moved["detached"] = True
        moved["start"], moved["end"] = _clamped(start, end, len(mover.new_text))
        report.detached += 1
        report.detached_ids.append(int(doc["id"]))
    else:
        moved.pop("detached", None)
        moved["start"], moved["end"] = span
        report.anchored += 1
    moved["quote"] = {"exact": quote.exact, "prefix": quote.prefix, "suffix": quote.suffix}
    return moved


def _clamped(start: int, end: int, limit: int) -> tuple[int, int]:
    start = max(0, min(start, limit))
    return start, max(start, min(end, limit))


def _moved_card(card: Doc, mover: _Mover, old_id: str, new_id: str) -> Doc | None:
    """A schedule under its card's new id; a key sentence's id holds its offsets."""
    name = str(card.get("card"))
    match = _KEY_CARD.fullmatch(name)
    if match is None:
        return {**card, "article_id": new_id}
    start, end = int(match["start"]), int(match["end"])
    span = mover.span(quote_of(mover.old_text, start, end), start, end)
    if span is None:
        return None
    return {**card, "article_id": new_id, "card": f"k{new_id}:{span[0]}-{span[1]}"}
