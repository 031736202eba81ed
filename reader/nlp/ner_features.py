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

import gzip
import itertools
import json
import re
import string
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Per-offset context lists are indexed in this order in `_Type.ctx`.
_OFFSETS = ("-2", "-1", "+1", "+2")
_CACHE_LIMIT = 100_000
"""Word types kept; past it the cache starts again (a book has tens of thousands)."""


class WordClasses:
    """Class ids of a large sorted vocabulary, found by bisection.

    Held compactly: the 400,000 GloVe words as one UTF-8 blob with an array of where each
    starts, and each level's ids as an array of small numbers into its few distinct ids. As
    lists of strings they were 1.2 million objects, 70 MB of the app's resident memory
    while a book was analysed (a ceiling of 300 MB). They load from the file's joined
    strings a slice at a time, so those objects never all exist even while loading. A
    lookup bisects the blob (UTF-8 sorts as code points do), once per word type: the
    extractor caches per type.
    """

    __slots__ = ("_blob", "_ids", "_names", "_starts")

    def __init__(self, words: Iterable[str], levels: Sequence[Iterable[str]]) -> None:
        self._blob, self._starts = _packed(iter([list(words)]))
        self._names: list[list[str]] = []
        self._ids: list[array[int]] = []
        for level in levels:
            self._add_level(iter([list(level)]))

    @classmethod
    def from_dict(cls, table: dict[str, list[str]]) -> WordClasses:
        words = sorted(table)
        depth = len(table[words[0]]) if words else 0
        return cls(words, [[table[w][k] for w in words] for k in range(depth)])

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WordClasses:
        table = cls([], [])
        table._blob, table._starts = _packed(_pieces(data["words"], "\n"))
        for level in data["levels"]:
            table._add_level(_pieces(level, " "))
        return table

    def _add_level(self, pieces: Iterator[list[str]]) -> None:
        index: dict[str, int] = {}
        ids = array("H")
        for piece in pieces:
            if piece == [""] and not self._starts:
                continue  # no words, so no classes
            for name in set(piece).difference(index):
                index[name] = len(index)
            ids.extend(map(index.__getitem__, piece))
        if len(ids) != len(self._starts):
            raise ValueError("a level must give every word a class")
        self._names.append(list(index))
        self._ids.append(ids)

    def _word(self, i: int) -> bytes:
        start = self._starts[i]
        end = self._starts[i + 1] - 1 if i + 1 < len(self._starts) else len(self._blob)
        return self._blob[start:end]

    def words(self) -> list[str]:
        return [self._word(i).decode("utf-8") for i in range(len(self._starts))]

    def to_json(self) -> dict[str, Any]:
        return {
            "words": self._blob.decode("utf-8"),
            "levels": [
                " ".join(names[i] for i in ids)
                for names, ids in zip(self._names, self._ids, strict=True)
            ],
        }

    def get(self, word: str) -> list[str] | None:
        key = word.encode("utf-8", "surrogatepass")
        lo, hi = 0, len(self._starts)
        while lo < hi:  # bisect_left over the blob's words
            mid = (lo + hi) // 2
            if self._word(mid) < key:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self._starts) and self._word(lo) == key:
            return [names[ids[lo]] for names, ids in zip(self._names, self._ids, strict=True)]
        return None

    def __len__(self) -> int:
        return len(self._starts)


def _pieces(joined: str, sep: str, size: int = 1 << 16) -> Iterator[list[str]]:
    """`joined.split(sep)`, a slice of about `size` characters at a time."""
    start = 0
    while True:
        end = joined.find(sep, start + size) if start + size < len(joined) else -1
        if end < 0:
            yield joined[start:].split(sep)
            return
        yield joined[start:end].split(sep)
        start = end + 1


def _packed(pieces: Iterator[list[str]]) -> tuple[bytes, array[int]]:
    """The words as one newline-joined UTF-8 blob and where each starts in it."""
    chunks: list[bytes] = []
    starts = array("I")
    position = 0
    for piece in pieces:
        if not piece or (piece == [""] and not chunks):
            continue  # no words at all
        joined = "\n".join(piece)
        chunk = joined.encode("utf-8", "surrogatepass")
        ascii_only = len(chunk) == len(joined)
        sizes = (
            map(len, piece)
            if ascii_only
            else (len(w.encode("utf-8", "surrogatepass")) for w in piece)
        )
        ends = list(itertools.accumulate(size + 1 for size in sizes))
        starts.append(position)
        starts.extend(position + end for end in ends[:-1])
        position += ends[-1] if ends else 0
        chunks.append(chunk)
    return b"\n".join(chunks), starts


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


def _shared(features: list[str], known: dict[str, str]) -> list[str]:
    """The features the CRFs know, as the known set's own string objects."""
    return [shared for f in features if (shared := known.get(f)) is not None]


class FeatureExtractor:
    """Turns tokenised documents into crfsuite item sequences."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        # Each feature the CRFs know, mapped to itself: a word type keeps these shared
        # strings, not its own copies, so a book's tens of thousands of cached types cost
        # their lists of pointers only.
        self._known: dict[str, str] | None = (
            {a: a for a in lexicon.attributes} if lexicon.attributes else None
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
            own = _shared(own, known)
            ctx = (
                _shared(ctx[0], known),
                _shared(ctx[1], known),
                _shared(ctx[2], known),
                _shared(ctx[3], known),
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
