"""Sentence spans for the reader: NLTK's Punkt with parameters trained on news text.

Two layout rules sit on top of Punkt. A blank line always ends a sentence, because headings,
bylines and list items often lack a full stop and must not run into the next paragraph. A single
line break never does: hard-wrapped text is common, and Punkt's statistics treat the start of a
line specially, so every newline inside a paragraph reaches Punkt as a plain space (same length,
so offsets are unchanged).

Punkt itself is extended by a few news rules (curated word lists live in the model file):

- Titles before a name ("Mr.", "Sen.", "Gov.", "St." …, `titles`) never end a sentence; Punkt
  would break "Mr. Powers" because "powers" is usually lower case.
- Company suffixes ("Inc.", "Corp.", "Co." …) end a sentence before a capitalised word unless
  it is another suffix or a role ("Acme Corp. Chairman Jane Doe").
- Dotted letter sequences ("A.P.", "S.A.") count as abbreviations even when training never saw
  them, and a capital initial ("George W. Bush") ends a sentence only when the next word is a
  known sentence starter or clearly sentence-initial by its orthography.
- An abbreviation followed by an opening quote and a capital ends a sentence (Punkt sees only
  the quote mark); nothing ends before a lower-case word or a comma, even after closing quotes
  or brackets (`"Why?" he asked.`).
- Spaced ellipses (". . .") are one mark; a list number opening a paragraph ("1. Buy …") stays
  with its item; a run-in heading in capitals ("COPPER: Prices rose.") is a sentence of its own.

These rules and their lists were chosen on NLTK's CoNLL-2000 training sentences (WSJ sections
15-18), not on the Treebank sample the benchmark measures.

The model is a gzipped JSON file of Punkt's learned parameters (see `reader.nlp.train_punkt`),
loaded on first use; importing this module does not import NLTK.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from pathlib import Path
from typing import Any

from reader.nlp.analysis import Span

MODEL_PATH = Path(__file__).resolve().parent / "models" / "punkt.json.gz"
# Titles added after training, so the shipped model file stays as `make models` builds it:
# British councils write "Cllr." before a councillor's name.
EXTRA_TITLES = frozenset({"cllr"})

_BLANK_LINE = re.compile(r"\n\s*\n")
_WHITESPACE = re.compile(r"\s")
# A spaced ellipsis (". . ." or ". . . ." as newspapers print it), handed to Punkt unspaced.
_SPACED_ELLIPSIS = re.compile(r"\.(?: \.){2,}")
# A list number opening a paragraph ("1. Buy a new car."): part of the item, not a sentence.
_LIST_MARKER = re.compile(r"\s*\d{1,3}\.\s+")
# A run-in heading in capitals opening a sentence ("COPPER: Futures prices rose."): a sentence
# of its own, as news copy and the Penn Treebank treat it.
_RUN_IN_HEADING = re.compile(r"[A-Z][A-Z0-9&'.\-]*(?: [A-Z][A-Z0-9&'.\-]*){0,5}:\s+(?=[\"“A-Z])")
# Dotted letter sequences such as "A.P." or "U.S.S.R." (the token includes the final period).
_DOTTED = re.compile(r"(?:[^\W\d_]\.){2,}")
# After a period: space, an opening double quote, then a capital letter.
_OPENING_QUOTE = re.compile(r"\s+[\"“]\s?[A-Z]")


def _continues(text: str, end: int) -> bool:
    """Whether the text after a sentence-final mark at `end` carries on the same sentence."""
    index = end
    while index < len(text) and (text[index] in "\"'”’»)]}" or text[index].isspace()):
        index += 1
    if index >= len(text):
        return False
    char = text[index]
    return char.islower() or char in ",;"


@functools.cache
def _tokenizer_class() -> Any:
    """The Punkt subclass with the news rules, built on first use to keep NLTK out of imports."""
    from nltk.tokenize import punkt

    class NewsPunkt(punkt.PunktSentenceTokenizer):  # type: ignore[misc]
        titles: frozenset[str] = frozenset()
        company_suffixes: frozenset[str] = frozenset()
        roles: frozenset[str] = frozenset()

        def _first_pass_annotation(self, aug_tok: Any) -> None:
            super()._first_pass_annotation(aug_tok)
            if aug_tok.sentbreak and _DOTTED.fullmatch(aug_tok.tok.split("-")[-1]):
                aug_tok.sentbreak = False
                aug_tok.abbr = True

        def _second_pass_annotation(self, aug_tok1: Any, aug_tok2: Any) -> str | None:
            if aug_tok2 is None or not aug_tok1.period_final:
                return None
            typ = aug_tok1.type_no_period
            if typ in self.titles or typ.split("-")[-1] in self.titles:
                aug_tok1.sentbreak = False
                aug_tok1.abbr = True
                return "title before a name"
            if typ in self.company_suffixes and aug_tok2.first_upper:
                after = aug_tok2.type_no_period
                aug_tok1.sentbreak = after not in self.company_suffixes and after not in self.roles
                aug_tok1.abbr = not aug_tok1.sentbreak
                return "company suffix before a capitalised word"
            if aug_tok1.is_initial and aug_tok1.first_upper and aug_tok2.first_upper:
                starter = aug_tok2.type_no_sentperiod in self._params.sent_starters
                aug_tok1.sentbreak = starter or self._ortho_heuristic(aug_tok2) is True
                aug_tok1.abbr = not aug_tok1.sentbreak
                return "initial before a capitalised word"
            reason: str | None = super()._second_pass_annotation(aug_tok1, aug_tok2)
            return reason

        def _quote_follows(self, text: str, match: Any) -> bool:
            """An abbreviation followed by a quotation that starts with a capital ends a sentence.

            Punkt sees only the quote mark after the period, which tells it nothing.
            """
            if not _OPENING_QUOTE.match(text, match.end()):
                return False
            word = text[text.rfind(" ", 0, match.start()) + 1 : match.start()].lstrip("\"'“‘([{")
            typ = word.lower()
            is_initial = len(word) == 1 and word.isalpha()
            known = typ in self._params.abbrev_types or _DOTTED.fullmatch(word + ".") is not None
            return known and typ not in self.titles and not is_initial

        def _slices_from_text(self, text: str) -> Any:
            last_break = 0
            for match, context in self._match_potential_end_contexts(text):
                if _continues(text, match.end()):
                    continue
                if self.text_contains_sentbreak(context) or self._quote_follows(text, match):
                    yield slice(last_break, match.end())
                    # The next sentence starts at the next word, or right here before punctuation.
                    next_word = match.group("next_tok")
                    last_break = match.start("next_tok") if next_word else match.end()
            yield slice(last_break, len(text.rstrip()))

    return NewsPunkt


def load_tokenizer(path: Path = MODEL_PATH) -> Any:
    """A Punkt tokenizer with the news rules and the parameters stored at `path`."""
    from nltk.tokenize.punkt import PunktParameters

    with gzip.open(path, "rt", encoding="utf-8") as fh:
        model = json.load(fh)
    params = PunktParameters()
    params.abbrev_types = set(model["abbrev_types"])
    params.collocations = {(a, b) for a, b in model["collocations"]}
    params.sent_starters = set(model["sent_starters"])
    params.ortho_context.update(model["ortho_context"])
    params.abbrev_types |= EXTRA_TITLES
    tokenizer = _tokenizer_class()(params)
    tokenizer.titles = frozenset(model.get("titles", ())) | EXTRA_TITLES
    tokenizer.company_suffixes = frozenset(model.get("company_suffixes", ()))
    tokenizer.roles = frozenset(model.get("roles", ()))
    return tokenizer


@functools.cache
def _model() -> Any:
    return load_tokenizer(MODEL_PATH)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """[start, end) of the stretches between blank lines."""
    pieces: list[tuple[int, int]] = []
    start = 0
    for match in _BLANK_LINE.finditer(text):
        pieces.append((start, match.start()))
        start = match.end()
    pieces.append((start, len(text)))
    return pieces


def _strip(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if start < end else None


def _unspace(match: re.Match[str]) -> str:
    """The dots of a spaced ellipsis together, padded with spaces to keep every offset."""
    dots = match.group().count(".")
    return "." * dots + " " * (len(match.group()) - dots)


def split_with(tokenizer: Any, text: str) -> list[Span]:
    """`split_sentences` with a given Punkt tokenizer (the benchmark compares several)."""
    spans: list[Span] = []
    for para_start, para_end in _paragraphs(text):
        paragraph = _SPACED_ELLIPSIS.sub(_unspace, _WHITESPACE.sub(" ", text[para_start:para_end]))
        if not paragraph.strip():
            continue
        # Cut only where Punkt starts a sentence, and rebuild the spans from those cuts, so the
        # result covers every non-space character even if Punkt leaves a gap or an overlap.
        cuts = sorted(
            {
                para_start + start
                for start, end in tokenizer.span_tokenize(paragraph)
                if paragraph[start:end].strip()
            }
            | {para_start}
        )
        marker = _LIST_MARKER.match(paragraph)
        if marker and len(cuts) > 1 and cuts[1] == para_start + marker.end():
            del cuts[1]
        for start, end in zip(cuts, [*cuts[1:], para_end], strict=True):
            span = _strip(text, start, end)
            if span is None:
                continue
            heading = _RUN_IN_HEADING.match(text, span.start, span.end)
            if heading and heading.end() < span.end and len(re.findall(r"[A-Z]", heading[0])) > 1:
                spans.append(Span(span.start, text.rindex(":", span.start, heading.end()) + 1))
                span = Span(heading.end(), span.end)
            spans.append(span)
    return spans


def split_sentences(text: str) -> list[Span]:
    """Sentences of `text` as spans: ordered, disjoint, stripped, covering all non-space text."""
    if not text.strip():
        return []
    return split_with(_model(), text)
