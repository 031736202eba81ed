"""Key sentences: a small linear scorer over cheap sentence features, then a diverse pick.

Pure Python at run time (no numpy, no NLTK) so analysing an article stays fast and cheap to
import. The weights are plain JSON (`models/keysent.json.gz`) written by
`reader.nlp.train_keysent` from the summarisation DEV splits; without the file a hand-set
lead-biased fallback is used so the pane still works.

Boilerplate (bylines, datelines, share prompts, headings…) is filtered *before* ranking: the
model only ever sees eligible sentences, so positions count from the first real sentence.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from reader.nlp.analysis import KeySentence, Mention, Span

MODEL_PATH = Path(__file__).parent / "models" / "keysent.json.gz"

# Order matters: it is the layout of the weight vector in the model file.
FEATURES: tuple[str, ...] = (
    "bias",
    "first",
    "second",
    "third",
    "inv_rank",
    "rel_pos",
    "rel_pos_sq",
    "para_first",
    "para_index_inv",
    "log_len",
    "len_dev",
    "short",
    "long",
    "centroid",
    "lead_sim",
    "luhn",
    "title_sim",
    "number",
    "quote_start",
    "has_quote",
    "said",
    "pronoun_start",
    "conj_start",
    "question",
    "entity_density",
    "doc_log_len",
    "first_x_doclen",
    "max_sim_rank",
)

# A rough ideal length in words for a key sentence; `len_dev` measures distance from it.
IDEAL_LEN = 22.0
MIN_WORDS = 6
HEADING_MAX_WORDS = 25
# Two picks whose content-word overlap (|A∩B| / min(|A|,|B|)) reaches this count as repeats.
REDUNDANCY = 0.6

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_LATIN_WORD = re.compile(r"[A-Za-z]")


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_STOP = _wordset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them themselves
    then there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves said says say told
    mr mrs ms one two new last year years first may might must us its it's s t don't can't won't
    like get got make made even still many much well back way since around across per"""
)

_PRONOUN_START = _wordset("he she it they this that these those his her their its him them we i")
_CONJ_START = _wordset("but and so or yet also however still because although")
_SAID = _wordset("said says told say according added")
_VERBISH_WORDS = _wordset(
    """is are was were be been being am has have had do does did will would can could shall
    should may might must said says say told get gets got make makes made go goes went take took
    takes give gave gives see saw sees know knew knows come came comes find found finds"""
)

# Whole-sentence boilerplate: bylines, sources, timestamps, labels, notes.
MAX_FRAGMENT = 2000
_BOILERPLATE = re.compile(
    r"""^\W*(?:
        by\s+[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|de|van|von|der|la|le))*
            (?:\s*,\s*(?:for\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})?\W*  # "By Jo Doe, CNN"
      | by\s*\.?\s*                                             # bare "By ."
      | (?:source|sources|credit|credits|photo|photos|image|images|picture|pictures|video|
           caption|copyright|via|getty|watch|related|more|read|see\s+also|listen|comments?|
           advertisement|tags|filed\s+under)\s*[:|»>].*          # "Source: X", "READ: …"
      | last\s+(?:updated|modified)\b.*                          # "Last Updated 10:02 GMT"
      | editor['’]?s\s+note\b.*
      | (?:\(cnn\)|cnn)\s*(?:--|—|–)?\s*                          # "(CNN)"-only fragment
      | ©.*|all\s+rights\s+reserved.*|advertisement
    )$""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
# Calls to action and timestamps: boilerplate when they open a short line.
_SHORT_PROMPT = re.compile(
    r"^\W*(?:share(?!\s+(?:price|prices|holders?|of|in)\b)|subscribe|follow\b|like\s+us|"
    r"join\s+us|sign\s+up|click|tap\s+here|download|email\b|e-mail\b|tweet\b|print\b|"
    r"read\s+(?:more|full|the\s+full)|updated|published|posted|first\s+published)",
    re.IGNORECASE,
)
SHORT_PROMPT_WORDS = 15
# Prompts that may sit anywhere in a short line ("… Share this article", "Click here to …").
_PROMPT = re.compile(
    r"\b(?:click\s+here|share\s+(?:this|on)|subscribe\s+(?:to|now)|sign\s+up\s+for|"
    r"follow\s+us|read\s+more|all\s+rights\s+reserved|cookies?\s+policy)\b",
    re.IGNORECASE,
)
_URL = re.compile(r"https?://|www\.")
_DOT_WORD = re.compile(r"\.\w")
# A dateline/timestamp line: mostly dates, times and month names.
_DATELINE = re.compile(
    r"^\W*(?:(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s*)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s+\d{1,2}(?:st|nd|rd|th)?)"
    r"(?:,?\s+\d{4})?(?:\s*[,|]?\s*\d{1,2}[:.]\d{2}\s*(?:am|pm)?\s*\w{0,4})?\W*$"
    r"|^\W*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:\s+\d{1,2}:\d{2}.*)?$",
    re.IGNORECASE,
)
# Leading agency dateline such as "LONDON, England (CNN) --" is stripped before counting words.
_LEAD_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Za-z.'’ -]{0,40},?\s*(?:[A-Za-z.' ]{0,30})?)?\((?:CNN|AP|Reuters|AFP)\)"
    r"\s*(?:--|—|–|-)?\s*"
)
_TERMINAL = re.compile(r"""[.!?…]["'”’)\]]*\s*$""")


def _stem(word: str) -> str:
    """A crude suffix stripper: enough to match plurals and simple inflections across sentences."""
    if len(word) > 4:
        if word.endswith("ies"):
            return word[:-3] + "y"
        if word.endswith("ing") and len(word) > 5:
            return word[:-3]
        if word.endswith("ed") and len(word) > 4:
            return word[:-2]
        if word.endswith("es") and word[-3] in "sxz":
            return word[:-2]
        if word.endswith("s") and not word.endswith("ss"):
            return word[:-1]
    elif len(word) == 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@lru_cache(maxsize=65536)
def _norm(word: str) -> str:
    low = word.lower().replace("’", "'")
    if low.endswith("'s"):
        low = low[:-2]
    return _stem(low)


def _has_address(s: str) -> bool:
    """A link or an e-mail address: what `https?://|www\\.|\\S+@\\S+\\.\\w+` finds, in linear time.

    As a regex the e-mail part retries `\\S+` from every character of a long token (and from
    every "@" within it): a 100 KB base64 image took 46 s. Per token it is one test: an "@"
    after the token's first character, then a "." followed by a word character at least one
    character after that "@" (the first such "@" is the best one to take).
    """
    if _URL.search(s):
        return True
    for token in s.split():
        at = token.find("@", 1)
        if at > 0 and _DOT_WORD.search(token, at + 2):
            return True
    return False


def is_boilerplate(sentence: str) -> bool:
    """True for sentences that must never be offered as key: see the module docstring."""
    s = " ".join(sentence.split())
    if not s:
        return True
    # Bylines, credits and datelines are fragments; a sentence of thousands of characters
    # is none of them, and on one made of symbols `^\W*` would walk all of it.
    fragment = len(s) <= MAX_FRAGMENT
    if fragment and (_BOILERPLATE.match(s) or _DATELINE.match(s)):
        return True
    if len(s) < 120 and _has_address(s):
        return True
    body = _LEAD_DATELINE.sub("", s, count=1) if "(" in s[:80] else s
    words = _WORD.findall(body)
    if len(words) < MIN_WORDS:
        return True
    if len(words) <= 20 and _PROMPT.search(s):
        return True
    if len(words) <= SHORT_PROMPT_WORDS and _SHORT_PROMPT.match(s):
        return True
    if not _LATIN_WORD.search(body):
        return False
    if not _TERMINAL.search(s):
        # No end punctuation: a heading or label unless it reads like a clause.
        lowered = [w.lower() for w in words]
        verbish = any(
            w in _VERBISH_WORDS or (len(w) > 4 and w.endswith(("ed", "es"))) for w in lowered
        )
        capitalised = sum(1 for w in words if w[0].isupper()) / len(words)
        if not verbish or capitalised > 0.6 or len(words) <= 12:
            return True
    return False


def default_count(n_sentences: int, n_words: int) -> int:
    """About three for a news story, one more per ~250 words beyond 800, capped at 14."""
    if n_sentences <= 0 or n_words <= 0:
        return 0
    count = 3 + max(0, n_words - 800) // 250 if n_words >= 400 else 2 if n_words >= 150 else 1
    return max(1, min(count, 14, n_sentences))


@lru_cache(maxsize=1)
def _load_model() -> dict[str, Any]:
    try:
        with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as fh:
            model: dict[str, Any] = json.load(fh)
    except OSError:
        model = {}
    if model.get("features") != list(FEATURES):
        model = _FALLBACK
    return model


# Used only when the trained file is missing or stale: a lead bias plus centrality.
_FALLBACK: dict[str, Any] = {
    "features": list(FEATURES),
    "weights": [
        {"bias": -2.0, "first": 2.0, "inv_rank": 1.0, "centroid": 2.0, "len_dev": -0.5}.get(f, 0.0)
        for f in FEATURES
    ],
    "mean": [0.0] * len(FEATURES),
    "scale": [1.0] * len(FEATURES),
    "redundancy": REDUNDANCY,
}


class _Sent:
    __slots__ = ("bag", "content", "index", "raw", "words")

    def __init__(self, index: int, raw: str) -> None:
        self.index = index
        self.raw = raw
        body = _LEAD_DATELINE.sub("", raw, count=1) if "(" in raw[:80] else raw
        self.words = _WORD.findall(body)
        self.content = [n for n in (_norm(w) for w in self.words) if n not in _STOP and len(n) > 1]
        self.bag = Counter(self.content)


def _cosine(a: dict[str, float], b: dict[str, float], norm_b: float) -> float:
    """Cosine of a sentence vector `a` with `b`, whose norm the caller has computed once."""
    dot = sum(v * b.get(w, 0.0) for w, v in a.items())
    norm_a = math.sqrt(sum(v * v for v in a.values()))
    return dot / (norm_a * norm_b) if norm_a and norm_b else 0.0


def _is_heading_line(text: str, span: Span, raw: str) -> bool:
    """A whole line without end punctuation (a headline or section title), even with a verb."""
    if _TERMINAL.search(raw) or len(raw.split()) > HEADING_MAX_WORDS:
        return False
    before = text[text.rfind("\n", 0, span.start) + 1 : span.start]
    after_end = text.find("\n", span.end)
    after = text[span.end : after_end if after_end >= 0 else len(text)]
    return not before.strip(" \t#*>") and not after.strip(" \t*")


def _paragraph_starts(text: str, sentences: Sequence[Span]) -> list[int]:
    """Index of each sentence within its paragraph (a blank line or newline starts one)."""
    out: list[int] = []
    prev_end = 0
    count = 0
    for i, span in enumerate(sentences):
        gap = text[prev_end : span.start]
        if i == 0 or "\n" in gap:
            count = 0
        else:
            count += 1
        out.append(count)
        prev_end = span.end
    return out


def sentence_features(
    text: str,
    sentences: Sequence[Span],
    mentions: Sequence[Mention] = (),
) -> tuple[list[int], list[list[float]], list[_Sent]]:
    """Eligible sentence indices, their raw feature rows (in `FEATURES` order) and tokens.

    Shared with the trainer so training and run time can never drift apart.
    """
    raws = [text[s.start : s.end] for s in sentences]
    para_idx = _paragraph_starts(text, sentences)
    eligible = [
        i
        for i, raw in enumerate(raws)
        if not is_boilerplate(raw) and not _is_heading_line(text, sentences[i], raw)
    ]
    sents = [_Sent(i, raws[i]) for i in eligible]
    n = len(sents)
    if n == 0:
        return [], [], []

    # Title: a heading-like first line of the text (e.g. a headline) is used for similarity.
    title: set[str] = set()
    if sentences and 0 not in eligible:
        first = raws[0]
        if _is_heading_line(text, sentences[0], first) and not _BOILERPLATE.match(first.strip()):
            title = {n for n in (_norm(w) for w in _WORD.findall(first)) if n not in _STOP}

    # Document term frequencies and inverse sentence frequencies (within-document only).
    doc_tf: Counter[str] = Counter()
    sent_df: Counter[str] = Counter()
    for s in sents:
        doc_tf.update(s.content)
        sent_df.update(s.bag.keys())
    isf = {w: math.log((n + 1) / df) + 0.5 for w, df in sent_df.items()}
    centroid = {w: tf * isf[w] for w, tf in doc_tf.items()}
    norm_centroid = math.sqrt(sum(v * v for v in centroid.values()))
    frequent = {w for w, c in doc_tf.most_common(max(5, len(doc_tf) // 10)) if c >= 2}

    # Mentions by sentence, when given.
    mention_counts: list[int] | None = None
    if mentions:
        starts = [s.start for s in sentences]
        mention_counts = [0] * len(sentences)
        for m in mentions:
            j = bisect_right(starts, m.start) - 1
            if 0 <= j < len(sentences) and m.start < sentences[j].end:
                mention_counts[j] += 1

    vectors = [{w: c * isf[w] for w, c in s.bag.items()} for s in sents]
    norms = [math.sqrt(sum(v * v for v in vec.values())) for vec in vectors]
    lead = vectors[0]
    n_words_doc = sum(len(s.words) for s in sents)
    doc_log_len = math.log1p(n_words_doc) / 8.0

    centroid_sims = [_cosine(vec, centroid, norm_centroid) for vec in vectors]
    order = sorted(range(n), key=lambda j: -centroid_sims[j])
    sim_rank = [0] * n
    for r, j in enumerate(order):
        sim_rank[j] = r

    rows: list[list[float]] = []
    for r, s in enumerate(sents):
        length = len(s.words)
        rel = r / n
        luhn = 0.0
        if s.content:
            hits = sum(1 for w in s.content if w in frequent)
            luhn = hits * hits / len(s.content)
        low = [w.lower() for w in s.words]
        raw = s.raw.lstrip()
        if mention_counts is not None:
            density = mention_counts[s.index] / max(1, length)
        else:
            # Capitalised non-initial words as a proxy for names, when no mentions are given.
            density = sum(1 for w in s.words[1:] if w[0].isupper()) / max(1, length)
        title_sim = len(title & set(s.content)) / len(title) if title else 0.0
        lead_sim = 1.0 if r == 0 else _cosine(vectors[r], lead, norms[0])
        rows.append(
            [
                1.0,
                1.0 if r == 0 else 0.0,
                1.0 if r == 1 else 0.0,
                1.0 if r == 2 else 0.0,
                1.0 / (r + 1),
                rel,
                rel * rel,
                1.0 if para_idx[s.index] == 0 else 0.0,
                1.0 / (para_idx[s.index] + 1),
                math.log1p(length),
                abs(length - IDEAL_LEN) / IDEAL_LEN,
                1.0 if length < 10 else 0.0,
                1.0 if length > 40 else 0.0,
                centroid_sims[r],
                lead_sim,
                luhn,
                title_sim,
                1.0 if any(map(str.isdigit, raw)) else 0.0,
                1.0 if raw[:1] in "\"“'‘" else 0.0,
                1.0 if any(q in raw for q in '"“”') else 0.0,
                1.0 if any(w in _SAID for w in low) else 0.0,
                1.0 if low and low[0] in _PRONOUN_START else 0.0,
                1.0 if low and low[0] in _CONJ_START else 0.0,
                1.0 if raw.rstrip().rstrip("\"”'’)").endswith("?") else 0.0,
                density,
                doc_log_len,
                (1.0 if r == 0 else 0.0) * doc_log_len,
                1.0 / (sim_rank[r] + 1),
            ]
        )
    return eligible, rows, sents


def _score_rows(rows: list[list[float]], model: dict[str, Any]) -> list[float]:
    weights: list[float] = model["weights"]
    mean: list[float] = model["mean"]
    scale: list[float] = model["scale"]
    # ROUGE-style usefulness favours short, dense sentences more than membership odds show.
    penalty = float(model.get("length_penalty", 0.0))
    log_len = FEATURES.index("log_len")
    out = []
    for row in rows:
        z = sum(w * (x - m) / s for w, x, m, s in zip(weights, row, mean, scale, strict=True))
        z -= penalty * row[log_len]
        out.append(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))))
    return out


def rank_key_sentences(
    text: str,
    sentences: Sequence[Span],
    *,
    k: int | None = None,
    mentions: Sequence[Mention] = (),
    model: dict[str, Any] | None = None,
) -> list[KeySentence]:
    """The `k` most summary-worthy, mutually non-redundant sentences, best first.

    `model` overrides the shipped weights (used by the trainer while tuning on dev).
    """
    if k is not None and k <= 0:
        return []
    ranking, default = key_sentence_ranking(
        text, sentences, mentions=mentions, model=model, limit=k
    )
    return ranking if k is not None else ranking[:default]


def key_sentence_ranking(
    text: str,
    sentences: Sequence[Span],
    *,
    mentions: Sequence[Mention] = (),
    model: dict[str, Any] | None = None,
    limit: int | None = None,
) -> tuple[list[KeySentence], int]:
    """The whole diverse ranking (or its first `limit`), and how long the default cut is.

    The pick is greedy, so every cut of it is the pick that size would have made: an
    analysis can keep the ranking once and show any number of key sentences without
    ranking again.
    """
    eligible, rows, sents = sentence_features(text, sentences, mentions)
    if not eligible:
        return [], 0
    params = model if model is not None else _load_model()
    default = default_count(len(eligible), sum(len(s.words) for s in sents))
    scores = _score_rows(rows, params)
    threshold = float(params.get("redundancy", REDUNDANCY))
    order = sorted(range(len(eligible)), key=lambda j: (-scores[j], j))
    chosen = _diverse(order, sents, threshold, limit)
    ranking = [KeySentence(sentence=eligible[j], score=scores[j]) for j in chosen]
    return ranking, min(default, len(ranking))


def _diverse(
    order: list[int], sents: list[_Sent], threshold: float, limit: int | None
) -> list[int]:
    """`order` without repeats: a sentence whose content-word overlap with an earlier pick
    reaches `threshold`, or whose text is an earlier pick's, is left out.

    The overlaps are counted through an index of the picks' words, so ranking all of a
    50,000-word article's sentences costs what its shared words cost, not picks × sentences.
    """
    words = [frozenset(s.content) for s in sents]
    postings: dict[str, list[int]] = {}
    texts: set[str] = set()
    chosen: list[int] = []
    for j in order:
        if limit is not None and len(chosen) >= limit:
            break
        if chosen and _repeats(words[j], words, postings, threshold):
            continue
        raw = sents[j].raw.strip()
        if raw in texts:
            continue
        chosen.append(j)
        texts.add(raw)
        for word in words[j]:
            postings.setdefault(word, []).append(j)
    return chosen


def _repeats(
    mine: frozenset[str],
    words: list[frozenset[str]],
    postings: dict[str, list[int]],
    threshold: float,
) -> bool:
    """Whether |mine ∩ pick| / min(|mine|, |pick|) reaches `threshold` for some pick.

    An empty set overlaps nothing (0.0), so only a threshold of 0 or less makes it a repeat;
    the caller has at least one pick.
    """
    if threshold <= 0:
        return True  # every overlap, even an empty one, reaches it
    shared: Counter[int] = Counter()
    for word in mine:
        shared.update(postings.get(word, ()))
    return any(n / min(len(mine), len(words[c])) >= threshold for c, n in shared.items())
