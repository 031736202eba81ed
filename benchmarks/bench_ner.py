"""Entity recognition: our CRF against NLTK's stock chunker and a capitalisation baseline.

Scores are conlleval-style entity-level exact match (type and both boundaries must agree).
Every corpus is fed as its own tokens: the text is the tokens joined by single spaces and the
sentence spans are the corpus sentences, so differences in tokenisation cannot hide or create
errors. Corpora without MISC (UNER, IEER) are scored with MISC predictions dropped. NLTK's
`ne_chunk(binary=True)` gives untyped spans, so every system is also scored untyped.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.table import Row
from reader.nlp.iob import iob_chunks

Chunk = tuple[int, int, str]
TYPES = ("PER", "ORG", "LOC", "MISC")
TO_CONLL = {"PERSON": "PER", "ORG": "ORG", "PLACE": "LOC", "MISC": "MISC"}
TARGETS = {"conll2003 test": "≥ 0.86", "wikigold": "≥ 0.65"}


@dataclass
class Doc:
    sentences: list[list[str]]
    gold: set[Chunk]  # token offsets into the concatenated sentences

    @property
    def n_tokens(self) -> int:
        return sum(len(s) for s in self.sentences)


# ---------------------------------------------------------------- reading corpora


def chunks(tags: Sequence[str], offset: int = 0) -> set[Chunk]:
    """conlleval chunks from IOB1, IOB2 or IO tags."""
    return set(iob_chunks(tags, offset))


def _docs_from_rows(rows: list[list[tuple[str, str]] | None]) -> list[Doc]:
    """Sentences of (word, tag); None marks a document break."""
    docs: list[Doc] = []
    sents: list[list[str]] = []
    gold: set[Chunk] = set()
    n = 0
    for row in [*rows, None]:
        if row is None:
            if sents:
                docs.append(Doc(sents, gold))
            sents, gold, n = [], set(), 0
            continue
        words = [w for w, _ in row]
        gold |= chunks([t for _, t in row], n)
        sents.append(words)
        n += len(words)
    return docs


def read_conll(path: Path, tag_col: int = -1) -> list[Doc]:
    rows: list[list[tuple[str, str]] | None] = []
    sent: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if sent:
                rows.append(sent)
            sent = []
        elif parts[0] == "-DOCSTART-":
            if sent:
                rows.append(sent)
            sent = []
            rows.append(None)
        else:
            sent.append((parts[0], parts[tag_col]))
    if sent:
        rows.append(sent)
    return _docs_from_rows(rows)


def read_uner(path: Path) -> list[Doc]:
    rows: list[list[tuple[str, str]] | None] = []
    sent: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newdoc"):
            rows.append(None)
        if line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            if sent:
                rows.append(sent)
            sent = []
            continue
        sent.append((parts[1], parts[2]))
    if sent:
        rows.append(sent)
    return _docs_from_rows(rows)


def read_ieer(nltk_data: Path) -> list[Doc]:
    """IEER newswire: one token sequence per document (the corpus has no sentences)."""
    os.environ["NLTK_DATA"] = str(nltk_data)
    import nltk
    from nltk.corpus import ieer

    mapping = {"PERSON": "PER", "ORGANIZATION": "ORG", "LOCATION": "LOC"}
    docs: list[Doc] = []
    for fileid in ieer.fileids():
        for d in ieer.parsed_docs(fileid):
            words: list[str] = []
            gold: set[Chunk] = set()
            for node in d.text:
                if isinstance(node, nltk.Tree):
                    leaves = list(node.leaves())
                    if node.label() in mapping:
                        gold.add((len(words), len(words) + len(leaves), mapping[node.label()]))
                    words.extend(leaves)
                else:
                    words.append(node)
            if words:
                docs.append(Doc([words], gold))
    return docs


# ---------------------------------------------------------------- systems


@dataclass
class _Prepared:
    """A corpus document as the app would see it: text plus sentence spans."""

    text: str
    sentences: list[Any]
    starts: dict[int, int]  # character offset of a token start -> token index
    ends: dict[int, int]  # character offset just past a token -> token index + 1


def prepare(doc: Doc) -> _Prepared:
    from reader.nlp.analysis import Span

    parts: list[str] = []
    sents: list[Any] = []
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    pos = 0
    for words in doc.sentences:
        first = pos
        for w in words:
            starts[pos] = len(parts)
            parts.append(w)
            pos += len(w)
            ends[pos] = len(parts)
            pos += 1
        sents.append(Span(first, pos - 1))
    return _Prepared(" ".join(parts), sents, starts, ends)


def to_chunks(prep: _Prepared, mentions: Sequence[Any]) -> set[Chunk]:
    """Character mentions back to corpus token spans (a partial token counts as the token)."""
    out: set[Chunk] = set()
    for m in mentions:
        first = prep.starts.get(m.start)
        c = m.start
        while first is None and c > 0:
            c -= 1
            first = prep.starts.get(c)
        last = prep.ends.get(m.end)
        c = m.end
        while last is None and c < len(prep.text):
            c += 1
            last = prep.ends.get(c)
        if first is not None and last is not None and last > first:
            out.add((first, last, TO_CONLL[m.label]))
    return out


def ours_timed(docs: Sequence[Doc]) -> tuple[list[set[Chunk]], float]:
    """Our public API over every document; seconds spent in `find_mentions` alone."""
    from reader.nlp.entities import find_mentions

    prepared = [prepare(d) for d in docs]
    t0 = time.perf_counter()
    mentions = [find_mentions(p.text, p.sentences) for p in prepared]
    elapsed = time.perf_counter() - t0
    return [to_chunks(p, m) for p, m in zip(prepared, mentions, strict=True)], elapsed


_NLTK_CACHE: dict[str, Callable[[list[str]], set[Chunk]]] = {}


def nltk_binary(doc: Doc) -> set[Chunk]:
    """NLTK's stock maxent chunker (ACE binary model) over its own POS tags: untyped spans."""
    if "f" not in _NLTK_CACHE:
        import nltk
        from nltk.chunk import ne_chunker
        from nltk.tag import PerceptronTagger

        # What ne_chunk(pos_tag(words), binary=True) does, without reloading both models
        # from disk on every call (nltk 3.10 does not cache them).
        tagger = PerceptronTagger()
        chunker = ne_chunker(fmt="binary")

        def run(words: list[str]) -> set[Chunk]:
            tree = chunker.parse(tagger.tag(words))
            out: set[Chunk] = set()
            i = 0
            for node in tree:
                if isinstance(node, nltk.Tree):
                    n = len(node.leaves())
                    out.add((i, i + n, "NE"))
                    i += n
                else:
                    i += 1
            return out

        _NLTK_CACHE["f"] = run
    out: set[Chunk] = set()
    offset = 0
    for words in doc.sentences:
        out |= {(a + offset, b + offset, t) for a, b, t in _NLTK_CACHE["f"](words)}
        offset += len(words)
    return out


class CapGazetteer:
    """Baseline: runs of capitalised words, typed by NLTK's name lists and company suffixes."""

    SUFFIXES = frozenset(
        "Inc Inc. Corp Corp. Co Co. Ltd Ltd. Plc plc Group Bank Party".split()  # noqa: SIM905
    )
    CONNECT = frozenset(["of", "de", "van", "von", "for", "and", "&"])

    def __init__(self, nltk_data: Path) -> None:
        corpora = nltk_data / "corpora"
        self.loc: set[str] = set()
        self.misc: set[str] = set()
        self.first: set[str] = set()
        gz = corpora / "gazetteers"
        for name in ("countries.txt", "isocountries.txt", "uscities.txt", "usstates.txt"):
            for line in (gz / name).read_text(encoding="latin-1").splitlines():
                self.loc.add(line.strip())
        for line in (gz / "nationalities.txt").read_text(encoding="latin-1").splitlines():
            self.misc.add(line.strip())
        for name in ("male.txt", "female.txt"):
            for line in (corpora / "names" / name).read_text(encoding="latin-1").splitlines():
                self.first.add(line.strip())
        words = corpora / "words" / "en"
        self.common = (
            {w for w in words.read_text(encoding="latin-1").split() if w.islower()}
            if words.exists()
            else set()
        )

    def _is_cap(self, w: str) -> bool:
        return (w[:1].isupper() and any(c.islower() for c in w)) or (w.isupper() and len(w) > 1)

    def __call__(self, doc: Doc) -> set[Chunk]:
        out: set[Chunk] = set()
        offset = 0
        for words in doc.sentences:
            i = 0
            n = len(words)
            while i < n:
                if not self._is_cap(words[i]):
                    i += 1
                    continue
                j = i + 1
                while j < n and (
                    self._is_cap(words[j])
                    or (words[j] in self.CONNECT and j + 1 < n and self._is_cap(words[j + 1]))
                ):
                    j += 1
                span = words[i:j]
                name = " ".join(span)
                # A lone sentence-initial capital is usually an ordinary word.
                if not (i == 0 and j == 1 and span[0].lower() in self.common):
                    out.add((offset + i, offset + j, self._type(name, span)))
                i = j
            offset += n
        return out

    def _type(self, name: str, span: list[str]) -> str:
        if name in self.loc:
            return "LOC"
        if name in self.misc or span[0] in self.misc:
            return "MISC"
        if span[-1] in self.SUFFIXES:
            return "ORG"
        if span[0] in self.first and len(span) > 1:
            return "PER"
        if any(w.isupper() for w in span):
            return "ORG"
        return "PER" if len(span) > 1 else "LOC"


# ---------------------------------------------------------------- scoring


def prf(gold: Sequence[set[Chunk]], pred: Sequence[set[Chunk]]) -> tuple[float, float, float]:
    tp = sum(len(g & p) for g, p in zip(gold, pred, strict=True))
    n_pred = sum(len(p) for p in pred)
    n_gold = sum(len(g) for g in gold)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _untyped(s: set[Chunk]) -> set[Chunk]:
    return {(a, b, "NE") for a, b, _ in s}


def score(
    gold: list[set[Chunk]], pred: list[set[Chunk]], types: Sequence[str], typed: bool
) -> dict[str, float | str]:
    pred = [{c for c in p if c[2] in types or c[2] == "NE"} for p in pred]
    ug, up = [_untyped(g) for g in gold], [_untyped(p) for p in pred]
    metrics: dict[str, float | str] = {}
    if typed:
        p, r, f = prf(gold, pred)
        metrics.update({"P": p, "R": r, "F1": f})
        for t in TYPES:
            if t in types:
                metrics[f"F1 {t}"] = prf(
                    [{c for c in g if c[2] == t} for g in gold],
                    [{c for c in x if c[2] == t} for x in pred],
                )[2]
    metrics["untyped F1"] = prf(ug, up)[2]
    return metrics


# ---------------------------------------------------------------- run


def _datasets(data: Path) -> list[tuple[str, list[Doc], tuple[str, ...]]]:
    ner = data / "ner"
    sets: list[tuple[str, list[Doc], tuple[str, ...]]] = [
        ("conll2003 test", read_conll(ner / "conll2003" / "test.txt"), TYPES),
    ]
    if (ner / "conllpp" / "test.txt").exists():
        sets.append(("conll++ test", read_conll(ner / "conllpp" / "test.txt"), TYPES))
    sets.append(("wikigold", read_conll(ner / "wikigold" / "test.txt"), TYPES))
    sets.append(("uner en-ewt test", read_uner(ner / "uner_en_ewt" / "test.iob2"), TYPES[:3]))
    sets.append(("ieer (nltk)", read_ieer(data / "nltk_data"), TYPES[:3]))
    return sets


def _load_ms() -> float:
    """Fresh interpreter: import the module and open the model (median of 3)."""
    code = (
        "import time; t = time.perf_counter(); "
        "from reader.nlp.entities import load_model; load_model(); "
        "print((time.perf_counter() - t) * 1000)"
    )
    root = Path(__file__).resolve().parent.parent
    times = sorted(
        float(
            subprocess.run(
                [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=root
            ).stdout
        )
        for _ in range(3)
    )
    return times[1]


def run(data: Path) -> list[Row]:
    os.environ["NLTK_DATA"] = str(data / "nltk_data")
    from reader.nlp.entities import MODELS, load_model

    load_model()
    baseline = CapGazetteer(data / "nltk_data")
    rows: list[Row] = []
    speed: dict[str, float | str] = {}
    for name, docs, types in _datasets(data):
        gold = [d.gold for d in docs]
        n_tokens = sum(d.n_tokens for d in docs)
        pred, elapsed = ours_timed(docs)
        if name == "conll2003 test":
            speed["tokens/s"] = n_tokens / elapsed
        metrics = score(gold, pred, types, typed=True)
        if name in TARGETS:
            metrics["target F1"] = TARGETS[name]
        rows.append(Row("NER", name, "reader CRF", metrics))
        rows.append(
            Row(
                "NER",
                name,
                "capitalisation+gazetteer",
                score(gold, [baseline(d) for d in docs], types, typed=True),
            )
        )
        rows.append(
            Row(
                "NER",
                name,
                "nltk ne_chunk binary",
                score(gold, [nltk_binary(d) for d in docs], types, typed=False),
            )
        )
    speed["load ms (fresh process)"] = _load_ms()
    size = sum(p.stat().st_size for p in MODELS.glob("ner.*"))
    speed["model MB (2 CRFs + lexicon)"] = f"{size / 1e6:.2f}"
    speed["issue target"] = "whole analysis ≥ 30,000 tokens/s (see Speed)"
    rows.append(Row("NER speed", "conll2003 test", "reader CRF", speed))
    return rows
