"""Key sentences against lead-k and sumy's extractive summarisers, by ROUGE on the TEST splits.

Every system picks from the dataset's own `sentences` units, so all compete on the same
choices; selections are joined in article order. CNN/DailyMail: k = 3 against the human
highlights. BBC News Summary: k = the reference's sentence count, references in article order.
ROUGE-1/2/L F1 ×100 from rouge-score (Porter stemming on), mean over articles.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.table import Row
from reader.nlp.analysis import Span
from reader.nlp.keysentences import rank_key_sentences
from reader.nlp.train_keysent import align_spans

SECTION = "Key sentences (ROUGE F1 ×100, {split})"
CNN = "summ/cnn_dailymail/{split}.jsonl"
BBC = "summ/bbc_news_summary/{split}.jsonl"

# A selector maps (article record, its sentence spans, k) to chosen sentence indices.
Selector = Callable[[dict[str, Any], list[Span], int], list[int]]

_SUMY_WORD = re.compile(r"^[^\W_]+(?:['’.-][^\W_]+)*$|^\w+$")


class _SumyTokenizer:
    """sumy's Tokenizer interface without NLTK punkt data: words only (sentences are given)."""

    language = "english"

    def __init__(self) -> None:
        from nltk.tokenize import TreebankWordTokenizer

        self._words = TreebankWordTokenizer()

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(w for w in self._words.tokenize(sentence) if _SUMY_WORD.match(w))

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return (paragraph,)


def _sumy_document(sentences: Sequence[str], tokenizer: _SumyTokenizer) -> Any:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    return ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in sentences])])


def _sumy_selector(name: str) -> Selector:
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.edmundson import EdmundsonSummarizer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.reduction import ReductionSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    classes: dict[str, Any] = {
        "LexRank": LexRankSummarizer,
        "TextRank": TextRankSummarizer,
        "LSA": LsaSummarizer,
        "Luhn": LuhnSummarizer,
        "Edmundson": EdmundsonSummarizer,
        "Reduction": ReductionSummarizer,
    }
    stop_words = get_stop_words("english")
    summarizer = classes[name](Stemmer("english"))
    summarizer.stop_words = stop_words
    tokenizer = _SumyTokenizer()

    def select(row: dict[str, Any], spans: list[Span], k: int) -> list[int]:
        sentences: list[str] = row["sentences"]
        document = _sumy_document(sentences, tokenizer)
        if name == "Edmundson":
            # As sumy's CLI does, with no headings: cue words from the document's most frequent
            # content words (its "significant words"), no stigma words, stop words as null words.
            summarizer.null_words = stop_words
            summarizer.bonus_words = _significant_words(document, stop_words)
            summarizer.stigma_words = ["xxxxx"]
        picked = summarizer(document, k)
        index = {s.strip(): i for i, s in reversed(list(enumerate(sentences)))}
        return [index[str(s)] for s in picked]

    return select


def _significant_words(document: Any, stop_words: frozenset[str]) -> list[str]:
    counts: dict[str, int] = {}
    for word in document.words:
        low = word.lower()
        if low not in stop_words and len(low) > 2:
            counts[low] = counts.get(low, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [w for w, _ in ranked[:10]] or ["xxxxx"]


def _ours(row: dict[str, Any], spans: list[Span], k: int) -> list[int]:
    return [ks.sentence for ks in rank_key_sentences(row["text"], spans, k=k)]


def _lead(row: dict[str, Any], spans: list[Span], k: int) -> list[int]:
    return list(range(min(k, len(spans))))


def _load(path: Path) -> list[tuple[dict[str, Any], list[Span]]]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            try:
                spans = align_spans(row["text"], row["sentences"])
            except ValueError:
                row["text"] = "\n\n".join(row["sentences"])
                spans = align_spans(row["text"], row["sentences"])
            out.append((row, spans))
    return out


def evaluate(
    rows: Sequence[tuple[dict[str, Any], list[Span]]],
    select: Selector,
    *,
    extractive: bool,
) -> dict[str, float | str]:
    """Mean ROUGE F1 ×100 of one system over one split, plus its mean length and time."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    r1: list[float] = []
    r2: list[float] = []
    rl: list[float] = []
    lengths: list[int] = []
    elapsed = 0.0
    for row, spans in rows:
        sentences: list[str] = row["sentences"]
        if extractive:
            ids: list[int] = row["summary_sentence_ids"]
            k = len(ids)
            reference = "\n".join(sentences[i] for i in sorted(ids))
        else:
            k = 3
            reference = row["summary"]
        start = time.perf_counter()
        picked = sorted(set(select(row, spans, k)))
        elapsed += time.perf_counter() - start
        prediction = "\n".join(sentences[i] for i in picked)
        lengths.append(len(prediction.split()))
        score = scorer.score(reference, prediction)
        r1.append(score["rouge1"].fmeasure)
        r2.append(score["rouge2"].fmeasure)
        rl.append(score["rougeL"].fmeasure)
    return {
        "ROUGE-1": 100 * statistics.fmean(r1),
        "ROUGE-2": 100 * statistics.fmean(r2),
        "ROUGE-L": 100 * statistics.fmean(rl),
        "words": statistics.fmean(lengths),
        "ms/doc": 1000 * elapsed / max(1, len(rows)),
        "n": str(len(rows)),
    }


def systems() -> list[tuple[str, Selector]]:
    return [
        ("ours (keysentences)", _ours),
        ("lead-k", _lead),
        *((f"sumy {name}", _sumy_selector(name)) for name in _SUMY),
    ]


_SUMY = ("LexRank", "TextRank", "LSA", "Luhn", "Edmundson", "Reduction")


def run(data: Path, split: str = "test") -> list[Row]:
    """All systems on one split; `split="dev"` only to compare with the training side.

    Our scorer is trained on CNN dev, so its dev CNN figure is in-sample (see train_keysent for
    the cross-validated one); BBC dev is not used for training.
    """
    out: list[Row] = []
    section = SECTION.format(split=split)
    for label, path, extractive in (
        (f"cnn_dailymail {split} (k=3)", CNN, False),
        (f"bbc_news_summary {split} (k=ref)", BBC, True),
    ):
        rows = _load(data / path.format(split=split))
        for system, select in systems():
            out.append(Row(section, label, system, evaluate(rows, select, extractive=extractive)))
    return out


if __name__ == "__main__":
    import argparse

    from benchmarks.table import render

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--split", choices=("test", "dev"), default="test")
    args = parser.parse_args()
    print(render(run(args.data, args.split)))
