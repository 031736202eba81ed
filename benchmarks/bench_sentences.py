"""Sentence-boundary precision, recall and F1 on the Penn Treebank sample shipped with NLTK.

Gold standard. `nltk_data/corpora/treebank` holds 199 Wall Street Journal files twice: as raw text
(`raw/wsj_NNNN`, a ".START" line, then the article with paragraphs separated by blank lines) and as
parsed sentences (`combined/wsj_NNNN.mrg`). The parses give the gold sentence split but not its
position in the raw text, so we align them:

1. Each gold sentence's leaves are read with their tags; empty elements (tag `-NONE-`: traces like
   `*-1`, `*T*-2`, `0`, `*U*`) are dropped, and PTB escapes are undone (`-LRB-` → "(",
   `` `` `` and `''` → '"', …).
2. The remaining characters of the whole file, without any whitespace, are aligned to the
   non-whitespace characters of the raw text with `difflib.SequenceMatcher` (no autojunk). The
   two differ only in a few places (PTB writes a sentence-final "Inc." as "Inc." + ".", the raw
   text has a single period; quotes, ellipses).
3. A gold boundary is the raw offset of the first aligned character of every sentence but the
   first one in the file. Sentences with no aligned character (none in this sample) would be
   skipped and counted.

Gold and system boundaries (the start of every sentence but a file's first) are compared at the
first letter or digit from that start on, so the figures measure where the text is cut, not
whether an opening or closing quote, bracket or dash went to the left or the right sentence.
Only boundaries inside a file count; a file's end is not a boundary.

Systems, all fed the same raw text: ours (`reader.nlp.sentences.split_sentences`); NLTK's
untrained `PunktSentenceTokenizer()` (no parameters at all: every period ends a sentence unless the
next word is lower case etc.); and NLTK's stock English `punkt_tab` model read from
`nltk_data/tokenizers/punkt_tab/english` as an extra reference. Sentences per second time only
the splitting (models loaded beforehand), counted in gold sentences.
"""

from __future__ import annotations

import difflib
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.table import Row

SECTION = "Sentence boundaries"
DATASET = "PTB WSJ sample (NLTK treebank, 199 files)"

_PTB_ESCAPES = {
    "-LRB-": "(",
    "-RRB-": ")",
    "-LCB-": "{",
    "-RCB-": "}",
    "-LSB-": "[",
    "-RSB-": "]",
    "``": '"',
    "''": '"',
}
_WS = re.compile(r"\s")
_LEAF = re.compile(r"\(([^\s()]+) ([^\s()]+)\)")

Splitter = Callable[[str], list[tuple[int, int]]]


@dataclass(frozen=True)
class GoldDocument:
    name: str
    text: str
    boundaries: frozenset[int]
    sentences: int


def _raw_text(path: Path) -> str:
    """The raw file without its ".START" marker lines (blanked out, so offsets stay put)."""
    text = path.read_text(encoding="latin-1")
    return re.sub(r"^\.START[^\n]*", lambda m: " " * len(m.group()), text, flags=re.MULTILINE)


def _gold_sentences(path: Path) -> list[str]:
    """Each gold sentence as one string of its (unescaped, non-empty) tokens, spaces removed.

    Read with a bracket counter and a leaf regex rather than NLTK's corpus reader: PTB leaves are
    always `(TAG word)` with brackets inside words escaped, and top-level trees are sentences.
    """
    sentences: list[str] = []
    depth = 0
    start = 0
    text = path.read_text(encoding="latin-1")
    for index, char in enumerate(text):
        if char == "(":
            if depth == 0:
                start = index
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                leaves = _LEAF.findall(text, start, index + 1)
                words = [_PTB_ESCAPES.get(w, w) for tag, w in leaves if tag != "-NONE-"]
                sentences.append("".join(words))
    return sentences


def align_document(root: Path, name: str) -> tuple[GoldDocument, int]:
    """Gold boundary offsets in the raw text, and how many gold sentences could not be placed."""
    text = _raw_text(root / "raw" / name)
    raw_offsets = [i for i, ch in enumerate(text) if not _WS.match(ch)]
    raw_chars = "".join(text[i] for i in raw_offsets)
    sentences = _gold_sentences(root / "combined" / (name + ".mrg"))
    gold_chars = "".join(sentences)
    sentence_of: list[int] = []
    for index, sentence in enumerate(sentences):
        sentence_of.extend([index] * len(sentence))

    first_raw: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, gold_chars, raw_chars, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            owner = sentence_of[block.a + k]
            if owner not in first_raw:
                first_raw[owner] = raw_offsets[block.b + k]
    unplaced = len(sentences) - len(first_raw)
    boundaries = frozenset(_canonical(text, offset) for s, offset in first_raw.items() if s > 0)
    return GoldDocument(name, text, boundaries, len(sentences)), unplaced


def treebank_documents(data: Path) -> tuple[list[GoldDocument], int]:
    root = data / "nltk_data" / "corpora" / "treebank"
    docs: list[GoldDocument] = []
    unplaced = 0
    for path in sorted((root / "raw").glob("wsj_*")):
        doc, missing = align_document(root, path.name)
        docs.append(doc)
        unplaced += missing
    return docs, unplaced


def _canonical(text: str, offset: int) -> int:
    """A boundary as the offset of the next letter or digit, so quote and bracket attachment
    (`said. "Next` cut before or after the quote) does not count as a different boundary."""
    while offset < len(text) and not text[offset].isalnum():
        offset += 1
    return offset


def _boundaries(text: str, spans: Sequence[tuple[int, int]]) -> set[int]:
    """Canonical start offsets of every non-empty sentence after the first."""
    starts = [start for start, end in spans if text[start:end].strip()]
    return {_canonical(text, start) for start in starts[1:]}


def _ours() -> Splitter:
    from reader.nlp.sentences import _model, split_sentences

    _model()

    def split(text: str) -> list[tuple[int, int]]:
        return [(s.start, s.end) for s in split_sentences(text)]

    return split


def _untrained() -> Splitter:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    tokenizer = PunktSentenceTokenizer()
    return lambda text: list(tokenizer.span_tokenize(text))


def _stock_punkt_tab(data: Path) -> Splitter:
    """NLTK's own English model, found the way NLTK finds it (as if NLTK_DATA pointed there)."""
    import nltk.data
    from nltk.tokenize.punkt import PunktTokenizer

    nltk_data = str(data / "nltk_data")
    if nltk_data not in nltk.data.path:
        nltk.data.path.insert(0, nltk_data)
    tokenizer = PunktTokenizer("english")
    return lambda text: list(tokenizer.span_tokenize(text))


def score(docs: Sequence[GoldDocument], split: Splitter) -> dict[str, float | str]:
    true_pos = false_pos = false_neg = 0
    sentences = sum(doc.sentences for doc in docs)
    started = time.perf_counter()
    predicted = [_boundaries(doc.text, split(doc.text)) for doc in docs]
    elapsed = time.perf_counter() - started
    for doc, found in zip(docs, predicted, strict=True):
        true_pos += len(found & doc.boundaries)
        false_pos += len(found - doc.boundaries)
        false_neg += len(doc.boundaries - found)
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 0.0
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "F1": f1,
        "false +": str(false_pos),
        "false -": str(false_neg),
        "sentences/s": sentences / elapsed if elapsed else float("inf"),
    }


def run(data: Path) -> list[Row]:
    docs, unplaced = treebank_documents(data)
    gold = sum(len(doc.boundaries) for doc in docs)
    dataset = f"{DATASET}, {gold:,} gold boundaries"
    if unplaced:
        dataset += f", {unplaced} sentences unaligned"
    systems: list[tuple[str, Splitter]] = [
        ("reader Punkt (news-trained)", _ours()),
        ("PunktSentenceTokenizer() untrained", _untrained()),
        ("NLTK punkt_tab english (reference)", _stock_punkt_tab(data)),
    ]
    rows = [Row(SECTION, dataset, name, score(docs, split)) for name, split in systems]
    return [*rows, _model_load()]


def _model_load() -> Row:
    """Loading the shipped parameters, best of 5 (NLTK imported first: its cost is NLTK's)."""
    import nltk.tokenize.punkt  # noqa: F401

    from reader.nlp import sentences

    times = []
    for _ in range(5):
        started = time.perf_counter()
        sentences.load_tokenizer(sentences.MODEL_PATH)
        times.append(time.perf_counter() - started)
    return Row(SECTION, "model load", "reader Punkt (news-trained)", {"ms": min(times) * 1000})
