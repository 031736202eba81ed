"""Counts in words: "1 note", "2 notes". One helper for every layer, so no message says
"1 notes" (it imports nothing, so anything may import it)."""

from __future__ import annotations


def counted(count: int, word: str, many: str | None = None) -> str:
    """`count` and `word`, with `many` (default: word + "s") unless the count is one."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"
