"""Named entities: find mentions with the CRF tagger, then group them into referents.

The tagger is trained on CoNLL-2003 (see `reader.nlp.train_ner`), so its types are PER, ORG,
LOC and MISC; they are reported as PERSON, ORG, PLACE and MISC. The model is opened lazily on
first use and cached for the process, so importing this module costs nothing.

Document-level consistency comes from a second CRF pass: it sees, for each capitalised word,
the label the first pass gave it most often in the document and the label of the longest name
containing it, so "Putin" in a headline or at a sentence start is read the way the article
reads it elsewhere. (A hard relabelling vote on top of that was tried and lowered dev F1 from
0.922 to 0.921: the second pass already keeps the useful part, and the vote also overrode
legitimate differences such as a country name used for its national team.)
"""

from __future__ import annotations

import functools
import lzma
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.nlp.analysis import Entity, Mention, Span
from reader.nlp.iob import iob_chunks
from reader.nlp.tokens import word_spans

MODELS = Path(__file__).parent / "models"
MODEL_FILE = MODELS / "ner.crfsuite.xz"
STAGE2_FILE = MODELS / "ner.stage2.crfsuite.xz"
LEXICON_FILE = MODELS / "ner.lexicon.json.gz"
LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE", "MISC": "MISC"}

# Leading words that do not distinguish one person from another ("Mr. Crosby" is "Crosby").
_TITLES = frozenset(
    (  # noqa: SIM905
        "mr mrs ms miss dr prof professor sir dame lord lady president senator sen "
        "rep gov governor gen judge mayor minister chancellor premier councillor "
        "capt captain col lt sgt rev inspector detective chairman chairwoman ambassador "
        "coach"
    ).split()
)
# Trailing words that make "Acme Corp." the same organisation as "Acme".
_COMPANY_SUFFIXES = frozenset(
    "inc inc. corp corp. co co. ltd ltd. plc group company corporation holdings llc ag".split()  # noqa: SIM905
)


@dataclass(slots=True)
class NerModel:
    stage1: Any
    stage2: Any | None
    extractor: Any
    # crfsuite reads the model from these buffers without copying: they must outlive the taggers.
    buffers: list[bytes]


@functools.cache
def load_model() -> NerModel:
    """Open the compressed CRFs in memory; cached so the cost is paid once per process."""
    import pycrfsuite

    from reader.nlp.ner_features import FeatureExtractor, Lexicon

    buffers: list[bytes] = []

    def open_tagger(path: Path) -> Any:
        buffers.append(lzma.decompress(path.read_bytes()))
        tagger = pycrfsuite.Tagger()
        tagger.open_inmemory(buffers[-1])
        return tagger

    stage1 = open_tagger(MODEL_FILE)
    stage2 = open_tagger(STAGE2_FILE) if STAGE2_FILE.exists() else None
    return NerModel(stage1, stage2, FeatureExtractor(Lexicon.load(LEXICON_FILE)), buffers)


def tag_document(sentences: Sequence[Sequence[str]]) -> list[list[str]]:
    """IOB2 tags (CoNLL types) for pre-tokenised sentences of one document, consistent.

    The second CRF sees what the first one said about each word elsewhere in the document.
    """
    model = load_model()
    feats = model.extractor.document(sentences)
    tags = [list(model.stage1.tag(x)) if x else [] for x in feats]
    if model.stage2 is not None:
        feats = model.extractor.with_votes(sentences, feats, tags)
        tags = [list(model.stage2.tag(x)) if x else [] for x in feats]
    return tags


def find_mentions(text: str, sentences: Sequence[Span]) -> list[Mention]:
    """Entity mentions in `text`, tokenising each given sentence span."""
    if not text.strip():
        return []
    spans = [word_spans(text, s.start, s.end) for s in sentences]
    spans = [sp for sp in spans if sp]
    if not spans:
        return []
    words = [[text[a:b] for a, b in sp] for sp in spans]
    mentions: list[Mention] = []
    for sp, tags in zip(spans, tag_document(words), strict=True):
        for i, j, kind in iob_chunks(tags):
            mentions.append(Mention(sp[i][0], sp[j - 1][1], LABELS[kind]))
    mentions.sort(key=lambda m: (m.start, m.end))
    return mentions


# ---------------------------------------------------------------- grouping


def group_entities(text: str, mentions: Sequence[Mention]) -> list[Entity]:
    """Mentions grouped into referents, most mentioned first.

    Exact repeats always join. A shorter PERSON name joins a longer one when its words are the
    first or last word of exactly one longer name ("Putin" -> "Vladimir Putin"); with two
    candidates ("Smith" beside "John Smith" and "Jane Smith") it stays apart. An all-caps ORG
    joins the one ORG whose initials it spells, and "Acme" joins "Acme Corp.".
    """
    groups: dict[str, list[Mention]] = {}
    for m in sorted(mentions, key=lambda m: (m.start, m.end)):
        name = " ".join(text[m.start : m.end].split())
        if name:
            groups.setdefault(name, []).append(m)
    label_of = {name: _majority(ms) for name, ms in groups.items()}
    parent: dict[str, str] = {name: name for name in groups}

    def root(name: str) -> str:
        while parent[name] != name:
            name = parent[name]
        return name

    names = sorted(groups, key=lambda n: (-len(_core(n.split())), -len(n), groups[n][0].start))
    for short in names:
        words = short.split()
        label = label_of[short]
        candidates: set[str] = set()
        for long in names:
            if long == short or label_of[long] != label:
                continue
            lw = long.split()
            if len(lw) >= len(words) and _joins(words, lw, label):
                candidates.add(root(long))
        if len(candidates) == 1:
            target = candidates.pop()
            if target != root(short):
                parent[root(short)] = target
    merged: dict[str, list[Mention]] = {}
    for name, ms in groups.items():
        merged.setdefault(root(name), []).extend(ms)
    entities: list[Entity] = []
    for ms in merged.values():
        ms.sort(key=lambda m: (m.start, m.end))
        shown = max(
            (" ".join(text[m.start : m.end].split()) for m in ms),
            key=lambda n: (len(_core(n.split())), len(n)),
        )
        if _majority(ms) == "PERSON":
            shown = " ".join(_core(shown.split()))  # "Mayor Jane Doe" is listed as "Jane Doe"
        entities.append(
            Entity(name=shown, label=_majority(ms), mentions=[Span(m.start, m.end) for m in ms])
        )
    entities.sort(key=lambda e: (-e.count, e.mentions[0].start))
    return entities


def _joins(short: list[str], long: list[str], label: str) -> bool:
    if label == "PERSON":
        short, long = _core(short), _core(long)
        if not short or len(short) >= len(long):
            return False
        if len(short) == 1:
            return short[0] in (long[0], long[-1])
        # "Vladimir Putin" within "Vladimir V. Putin": same ends, words in order.
        return short[0] == long[0] and short[-1] == long[-1] and _subsequence(short, long)
    if label == "ORG":
        if len(short) == 1 and short[0].isupper() and len(short[0]) > 1:
            initials = "".join(w[0] for w in long if w[:1].isupper())
            if initials == short[0]:
                return True
        tail = long[len(short) :]
        return long[: len(short)] == short and all(w.lower() in _COMPANY_SUFFIXES for w in tail)
    return False


def _core(words: list[str]) -> list[str]:
    """A person's name without leading titles: "Mr. Crosby" -> ["Crosby"]."""
    i = 0
    while i < len(words) - 1 and words[i].rstrip(".").lower() in _TITLES:
        i += 1
    return words[i:]


def _subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(any(w == x for x in it) for w in short)


def _majority(mentions: Sequence[Mention]) -> str:
    counts = Counter(m.label for m in mentions)
    top = max(counts.values())
    for m in mentions:
        if counts[m.label] == top:
            return m.label
    return mentions[0].label
