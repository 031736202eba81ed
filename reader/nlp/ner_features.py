"""CRF features for the entity tagger, shared by training and run time.

Features are NLTK-CRFTagger-style strings, but built for speed: everything that depends only on a
word (identity, shape, affixes, clusters, gazetteer hits) is computed once per word type and
cached, and the context window is assembled by concatenating cached per-offset lists, so the
per-token cost is a few list concatenations and two string joins. Document-level features
(is this word written in lower case, or capitalised mid-sentence, elsewhere in the document?)
are what lets the model decide sentence-initial and ALL-CAPS headline words the way the body of
the article does.
"""

from __future__ import annotations

import bisect
import gzip
import json
import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Per-offset context lists are indexed in this order in `_Type.ctx`.
_OFFSETS = ("-2", "-1", "+1", "+2")
_CACHE_LIMIT = 300_000


class WordClasses:
    """Class ids of a large sorted vocabulary, found by bisection.

    As a JSON object (one dict entry and one list per word), 200,000 words took 0.34 s to load;
    as one newline-joined string of sorted words and one space-joined string of ids per level,
    loading is one `split` per string, and a lookup is a binary search, paid once per word type
    because the extractor caches per type.
    """

    __slots__ = ("levels", "words")

    def __init__(self, words: list[str], levels: list[list[str]]) -> None:
        self.words = words
        self.levels = levels

    @classmethod
    def from_dict(cls, table: dict[str, list[str]]) -> WordClasses:
        words = sorted(table)
        depth = len(table[words[0]]) if words else 0
        return cls(words, [[table[w][k] for w in words] for k in range(depth)])

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WordClasses:
        return cls(data["words"].split("\n"), [level.split(" ") for level in data["levels"]])

    def to_json(self) -> dict[str, Any]:
        return {"words": "\n".join(self.words), "levels": [" ".join(lv) for lv in self.levels]}

    def get(self, word: str) -> list[str] | None:
        i = bisect.bisect_left(self.words, word)
        if i < len(self.words) and self.words[i] == word:
            return [level[i] for level in self.levels]
        return None

    def __len__(self) -> int:
        return len(self.words)


@dataclass(slots=True)
class Lexicon:
    """Run-time word knowledge that does not live in the CRF weights.

    `clusters` maps a word (as written) to cluster ids at a few granularities, learnt from
    unlabelled non-test text; `gazetteer` maps a word to tags such as "LOC-B" (first word of a
    place name in a list) taken from public-domain / free name lists.
    """

    clusters: dict[str, list[str]] = field(default_factory=dict)
    gazetteer: dict[str, list[str]] = field(default_factory=dict)
    # Lower-cased word -> classes at a few granularities from GloVe vectors (Wikipedia-scale
    # text); see `reader.nlp.train_ner.build_glove_classes`.
    glove: WordClasses = field(default_factory=lambda: WordClasses([], []))
    # Feature strings the trained CRFs have weights for; empty while training. Features outside
    # it are dropped before they reach crfsuite, which would only look them up and ignore them.
    attributes: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
        glove = data.get("glove")
        return cls(
            data["clusters"],
            data["gazetteer"],
            WordClasses.from_json(glove) if glove else WordClasses([], []),
            data.get("attributes", []),
        )

    def save(self, path: Path) -> None:
        payload = json.dumps(
            {
                "clusters": self.clusters,
                "gazetteer": self.gazetteer,
                "glove": self.glove.to_json(),
                "attributes": self.attributes,
            },
            ensure_ascii=False,
            separators=(",", ":"),
            sort_keys=True,
        )
        with gzip.GzipFile(path, "wb", compresslevel=9, mtime=0) as fh:
            fh.write(payload.encode("utf-8"))


_ASCII_CLASSES = bytes.maketrans(
    (string.ascii_uppercase + string.ascii_lowercase + string.digits).encode(),
    b"X" * 26 + b"x" * 26 + b"d" * 10,
)
# Each character that the same character follows: deleting them all collapses every run.
_REPEATED = re.compile(r"(.)(?=\1)", re.DOTALL)


def shape(word: str) -> str:
    """Character classes with runs collapsed: "McDonald's" -> "XxXx'x", "1,000" -> "d,d".

    A long ASCII word is mapped and collapsed in C: the loop below costs a microsecond a
    character, a second for a 1 MB token. Both give the same string; the loop is quicker
    for the short words that are nearly all of them.
    """
    if len(word) > 32 and word.isascii():
        return _REPEATED.sub("", word.encode().translate(_ASCII_CLASSES).decode())
    out: list[str] = []
    last = ""
    for ch in word:
        if ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif ch.isdigit():
            c = "d"
        else:
            c = ch
        if c != last:
            out.append(c)
            last = c
    return "".join(out)


def _flags(word: str, sh: str) -> list[str]:
    """Orthographic flags; `sh` is `shape(word)`, which already says where the digits are."""
    flags: list[str] = []
    if word[:1].isupper():
        flags.append("T")
    if word.isupper() and len(word) > 1:
        flags.append("U")
    if word.islower():
        flags.append("L")
    if "d" in sh:
        flags.append("D")
    if not any(map(str.isalnum, word)):
        flags.append("P")
    if "-" in word:
        flags.append("H")
    if "." in word and len(word) > 1:
        flags.append("O")
    if any(map(str.isupper, word[1:])) and not word.isupper():
        flags.append("M")
    return flags


@dataclass(slots=True)
class _Type:
    own: list[str]
    ctx: tuple[list[str], list[str], list[str], list[str]]
    lower: str
    cap: bool


class FeatureExtractor:
    """Turns tokenised documents into crfsuite item sequences."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._known: frozenset[str] | None = (
            frozenset(lexicon.attributes) if lexicon.attributes else None
        )
        self._types: dict[str, _Type] = {}
        self._pad = {
            "<s>": self._padding("<s>"),
            "</s>": self._padding("</s>"),
        }

    @staticmethod
    def _padding(mark: str) -> _Type:
        ctx = tuple([f"{o}:{mark}"] for o in _OFFSETS)
        return _Type([], ctx, mark, False)  # type: ignore[arg-type]

    def _clusters(self, word: str) -> list[str]:
        c = self.lexicon.clusters
        found = c.get(word)
        if found is None and word.isupper():
            found = c.get(word.title()) or c.get(word.lower())
        if found is None and word[:1].isupper():
            found = c.get(word.lower())
        return found if found is not None else ["?", "?", "?"]

    def _gaz(self, word: str) -> list[str]:
        g = self.lexicon.gazetteer
        found = g.get(word)
        if found is None and word.isupper() and len(word) > 3:
            found = g.get(word.title())
        return found or []

    def _case_variants(self, word: str, lower: str) -> list[str]:
        """Word classes of the same word in lower case and in title case.

        A name written in an unusual case ("tampa bay", "APPLE") or a capitalised common word
        then still shares features with its usual spelling; this is what carries over to web
        text, where case is less reliable than in newswire.
        """
        out: list[str] = []
        c = self.lexicon.clusters
        for form, tag in ((lower, "lk"), (word.title(), "tk")):
            if form != word:
                found = c.get(form)
                if found is not None:
                    out.append(tag + "2=" + found[1])
                    out.append(tag + "3=" + found[2])
        return out

    def _type(self, word: str) -> _Type:
        t = self._types.get(word)
        if t is not None:
            return t
        lower = word.lower()
        sh = shape(word)
        flags = _flags(word, sh)
        k1, k2, k3 = self._clusters(word)
        gaz = self._gaz(word)
        own = [
            "b",
            "w=" + word,
            "l=" + lower,
            "sh=" + sh,
            "p1=" + word[:1],
            "p2=" + word[:2],
            "p3=" + word[:3],
            "s2=" + lower[-2:],
            "s3=" + lower[-3:],
            "s4=" + lower[-4:],
            "k1=" + k1,
            "k2=" + k2,
            "k3=" + k3,
            "n=" + str(min(len(word), 8)),
        ]
        own.extend("f=" + f for f in flags)
        own.extend("g=" + g for g in gaz)
        gv = self.lexicon.glove.get(lower)
        if gv is not None:
            own.extend(f"gv{i + 1}={c}" for i, c in enumerate(gv))
        own.extend(self._case_variants(word, lower))
        near = ["l=" + lower, "sh=" + sh, "k2=" + k2, "k3=" + k3]
        near.extend("f=" + f for f in flags if f in "TULDP")
        near.extend("g=" + g for g in gaz)
        if gv is not None:
            near.append("gv1=" + gv[0])
        far = ["l=" + lower, "sh=" + sh, "k2=" + k2]
        ctx = (
            ["-2:" + f for f in far],
            ["-1:" + f for f in near],
            ["+1:" + f for f in near],
            ["+2:" + f for f in far],
        )
        known = self._known
        if known is not None:
            own = [f for f in own if f in known]
            ctx = (
                [f for f in ctx[0] if f in known],
                [f for f in ctx[1] if f in known],
                [f for f in ctx[2] if f in known],
                [f for f in ctx[3] if f in known],
            )
        t = _Type(own, ctx, lower, word[:1].isupper())
        if len(self._types) > _CACHE_LIMIT:
            self._types.clear()
        self._types[word] = t
        return t

    def document(self, sentences: Sequence[Sequence[str]]) -> list[list[list[str]]]:
        """Feature lists for every token of every sentence of one document."""
        lower_seen: set[str] = set()
        cap_mid: set[str] = set()
        upper = [_mostly_upper(sent) for sent in sentences]
        for sent, upper_sent in zip(sentences, upper, strict=True):
            for i, w in enumerate(sent):
                if w.islower():
                    lower_seen.add(w)
                elif i > 0 and not upper_sent and w[:1].isupper() and not w.isupper():
                    cap_mid.add(w.lower())
        known = self._known
        out: list[list[list[str]]] = []
        pad_s = self._pad["<s>"]
        pad_e = self._pad["</s>"]
        cached = self._types.get
        for sent, upper_sent in zip(sentences, upper, strict=True):
            types = [pad_s, pad_s, *(cached(w) or self._type(w) for w in sent), pad_e, pad_e]
            n = len(sent)
            feats: list[list[str]] = []
            for i in range(n):
                t = types[i + 2]
                prev = types[i + 1]
                nxt = types[i + 3]
                f = t.own + types[i].ctx[0] + prev.ctx[1] + nxt.ctx[2] + types[i + 4].ctx[3]
                b1 = "b-1=" + prev.lower + "|" + t.lower
                b2 = "b+1=" + t.lower + "|" + nxt.lower
                if known is None or b1 in known:
                    f.append(b1)
                if known is None or b2 in known:
                    f.append(b2)
                if i == 0:
                    f.append("BOS")
                    if t.cap:
                        f.append("BOS&T")
                if i == n - 1:
                    f.append("EOS")
                if upper_sent:
                    f.append("UPS")
                if t.cap:
                    lw = t.lower
                    if lw in lower_seen:
                        f.append("d:low")
                    if lw in cap_mid:
                        f.append("d:capmid")
                feats.append(f)
            out.append(feats)
        return out

    @staticmethod
    def with_votes(
        sentences: Sequence[Sequence[str]],
        feats: list[list[list[str]]],
        first_pass: Sequence[Sequence[str]],
    ) -> list[list[list[str]]]:
        """Stage-2 features: `feats` plus what a first tagger said about each word in the document.

        Each capitalised word gets the label the first pass gave that word most often in the
        document and the label of the longest tagged name containing it: the two-stage
        consistency features of Krishnan & Manning (2006). It also gets every other entity type
        the word was given somewhere in the document, so a name the first pass split between
        ORG and PERSON is not reduced to its majority. `feats` is not modified.
        """
        votes = _votes(sentences, first_pass)
        out: list[list[list[str]]] = []
        for words, sent_feats in zip(sentences, feats, strict=True):
            new: list[list[str]] = []
            for w, f in zip(words, sent_feats, strict=True):
                v = votes.get(w.lower()) if w[:1].isupper() else None
                new.append(f + v if v is not None else f)
            out.append(new)
        return out


def _votes(
    sentences: Sequence[Sequence[str]], first_pass: Sequence[Sequence[str]]
) -> dict[str, list[str]]:
    """Per lower-cased word: majority first-pass type, other types given, longest name's type."""
    token_votes: dict[str, dict[str, int]] = {}
    longest: dict[str, tuple[int, str]] = {}
    for words, tags in zip(sentences, first_pass, strict=True):
        start = -1
        for i, tag in enumerate([*tags, "O"]):
            if start >= 0 and not tag.startswith("I-"):
                kind = tags[start][2:]
                size = i - start
                for w in words[start:i]:
                    lw = w.lower()
                    if size > longest.get(lw, (0, ""))[0]:
                        longest[lw] = (size, kind)
                start = -1
            if tag.startswith("B-") or (tag.startswith("I-") and start < 0):
                start = i
        for w, tag in zip(words, tags, strict=True):
            if w[:1].isupper():
                counts = token_votes.setdefault(w.lower(), {})
                key = tag[2:] if tag != "O" else "O"
                counts[key] = counts.get(key, 0) + 1
    out: dict[str, list[str]] = {}
    for lw, counts in token_votes.items():
        best = max(sorted(counts), key=lambda k: counts[k])
        feats = ["v:maj=" + best]
        # Chosen on dev with both stages: CoNLL 0.9343 -> 0.9348, UNER 0.6936 -> 0.6997,
        # WikiANN 0.4714 -> 0.4722 (test figures in docs/ner-dev-experiments.md).
        feats.extend("v:seen=" + k for k in sorted(counts) if k not in ("O", best))
        if lw in longest:
            feats.append("v:sup=" + longest[lw][1])
            if longest[lw][0] > 1:
                feats.append("v:sup>1")
        out[lw] = feats
    return out


def _mostly_upper(sent: Sequence[str]) -> bool:
    """Headline or ALL-CAPS line, where capitalisation says nothing about names."""
    letters = [w for w in sent if w[:1].isalpha()]
    if len(letters) < 2:
        return False
    return sum(1 for w in letters if w.isupper()) * 2 > len(letters)


def iter_tokens(docs: Iterable[Sequence[Sequence[str]]]) -> Iterable[str]:
    for doc in docs:
        for sent in doc:
            yield from sent
