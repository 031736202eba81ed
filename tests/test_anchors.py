"""Re-anchoring a passage by its quote in a changed text (reader.store.anchors)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.store.anchors import CONTEXT, TextQuote, WordMap, quote_of, reanchor

OLD = "The tide came in. The tide went out. Boats waited in the harbour."


def test_the_quote_keeps_context_either_side() -> None:
    start = OLD.index("The tide went")
    quote = quote_of(OLD, start, start + len("The tide went out."))
    assert quote.exact == "The tide went out."
    assert quote.prefix == OLD[max(0, start - CONTEXT) : start]
    assert quote.suffix == " Boats waited in the harbour."


def test_exact_passage_found_where_text_moved() -> None:
    start = OLD.index("Boats")
    quote = quote_of(OLD, start, len(OLD))
    new = "A new first line.\n\n" + OLD
    span = reanchor(new, quote, start)
    assert span is not None and new[span[0] : span[1]] == quote.exact


def test_repeated_passage_is_told_apart_by_its_context() -> None:
    text = "Intro. The tide. Middle part here. The tide. End of it."
    second = text.rindex("The tide.")
    quote = quote_of(text, second, second + len("The tide."))
    new = "Extra words at the start. " + text
    span = reanchor(new, quote, second)
    assert span == (new.rindex("The tide."), new.rindex("The tide.") + len("The tide."))
    # Without a useful context the nearer occurrence wins.
    bare = TextQuote("The tide.", "", "")
    assert reanchor(text, bare, 0) == (text.index("The tide."), text.index("The tide.") + 9)


def test_same_words_in_another_layout_are_found() -> None:
    old = "• first item • second item\n\ndef tide(h): return h * 2"
    new = "first item\n\nsecond item\n\ndef tide(h):\n    return h * 2"
    start = old.index("def")
    quote = quote_of(old, start, len(old))
    span = reanchor(new, quote, start)
    assert span is not None and new[span[0] : span[1]] == "def tide(h):\n    return h * 2"
    start = old.index("second")
    span = reanchor(new, quote_of(old, start, start + len("second item")), start)
    assert span is not None and new[span[0] : span[1]] == "second item"


def test_a_passage_that_is_gone_is_not_guessed() -> None:
    start = OLD.index("Boats")
    quote = quote_of(OLD, start, len(OLD))
    assert reanchor("Something else entirely.", quote, start) is None
    assert reanchor(OLD, TextQuote("   ", "", ""), 0) is None


def test_part_words_do_not_match_whole_words() -> None:
    quote = TextQuote("tide went", "", "")
    assert WordMap("the riptide wentworth").find_words(["tide", "went"], 0) is None
    assert reanchor("riptide wentworth, and: tide -- went", quote, 0) == (24, 36)


@given(
    words=st.lists(st.sampled_from(["tide", "boat", "harbour", "sea", "rope"]), min_size=3),
    data=st.data(),
)
def test_any_run_of_words_reflowed_is_found_with_its_words(
    words: list[str], data: st.DataObject
) -> None:
    old = " ".join(words)
    new = "\n".join(words)  # the same words, one per line
    first = data.draw(st.integers(0, len(words) - 1))
    last = data.draw(st.integers(first, len(words) - 1))
    start = sum(len(w) + 1 for w in words[:first])
    end = sum(len(w) + 1 for w in words[: last + 1]) - 1
    span = reanchor(new, quote_of(old, start, end), start)
    assert span is not None
    assert new[span[0] : span[1]].split() == old[start:end].split()


def test_list_numbers_written_into_a_flat_text_are_not_words() -> None:
    old = "Steps\n\n1. Find your port.\n\n2. Note the height."
    new = "Steps\n\nFind your port.\n\nNote the height."
    assert WordMap(old).words == WordMap(new).words
    start = old.index("2.")
    span = reanchor(new, quote_of(old, start, len(old)), start)
    assert span is not None and new[span[0] : span[1]] == "Note the height."
