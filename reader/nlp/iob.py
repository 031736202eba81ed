"""Entity spans from IOB tags, conlleval style: the one reading of tags that the tagger,
its trainer and the benchmark must share, or their scores would not mean the same thing."""

from __future__ import annotations

from collections.abc import Sequence


def iob_chunks(tags: Sequence[str], offset: int = 0) -> list[tuple[int, int, str]]:
    """(first, past-last, type) token runs from IOB1, IOB2 or IO tags, in order.

    A chunk starts at B-X, at I-X after O, or at I-X after another type.
    """
    out: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        begins = prefix == "B" or (prefix == "I" and kind != label)
        if start >= 0 and (tag == "O" or begins):
            out.append((offset + start, offset + i, label))
            start, label = -1, ""
        if tag != "O" and begins:
            start, label = i, kind
    return out
