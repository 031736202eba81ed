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
import gzip
import json
import lzma
import re
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
        "coach cllr"
    ).split()
)
# Trailing words that make "Acme Corp." the same organisation as "Acme".
_COMPANY_SUFFIXES = frozenset(
    (  # noqa: SIM905
        "inc inc. corp corp. co co. ltd ltd. plc group company corporation holdings llc ag "
        "nv n.v. sa s.a. se gmbh bv b.v. ab asa oyj spa s.p.a. pty llp lp l.p. limited"
    ).split()
)
# Words between a company's short name and its legal form ("ASML Holding NV").
_COMPANY_WORDS = frozenset(
    "holding holdings group systems technologies industries international incorporated".split()  # noqa: SIM905
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


# ---------------------------------------------------------------- cleaning
#
# The tagger marks capitalised runs; some of them are no name, or glue other words onto one.
# These rules run on the entity list only (`find_mentions` stays what the benchmarks score).

# Lower-case words that belong inside a name's first word position ("de Gaulle", "van Gogh").
_PARTICLES = frozenset(
    "de van von der den du da di la le al el bin ibn ter ten dos das del".split()  # noqa: SIM905
)
_ROMAN = re.compile(r"[IVXLC]+\.?")
_COMPASS = re.compile(r"(?:[NSEW]\.?){1,3}")
_INSTITUTIONS = frozenset(
    (  # noqa: SIM905
        "institute institution centre center council society foundation office department "
        "ministry commission school college university agency association academy"
    ).split()
)
# Last words that make a "person" a place: "Hollin Rock", "Fenwick Point".
_PLACE_HEADS = frozenset(
    "point rock road street lane avenue harbour island quay pier canal square".split()  # noqa: SIM905
)
_UNITS = frozenset({"celsius", "fahrenheit", "centigrade"})
# Words that follow an imperative verb opening a sentence ("Mark three sentences.") and
# hardly ever a person's name standing as a subject ("Mark said").
_OBJECT_WORDS = frozenset(
    (  # noqa: SIM905
        "the a an this that these those your my our their his her its every each some any all "
        "it them him me us one two three four five six seven eight nine ten up down out off"
    ).split()
)
# Punkt's orthographic flags (nltk.tokenize.punkt): seen lower / upper case mid-sentence.
_MID_UC, _MID_LC = 1 << 2, 1 << 5
_OPENERS = "\"'“‘([{*_#>-–— \t"


@functools.cache
def _ortho() -> dict[str, int]:
    """How news text capitalises each word, from the shipped Punkt parameters (no NLTK)."""
    from reader.nlp.sentences import MODEL_PATH

    with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as fh:
        table: dict[str, int] = json.load(fh)["ortho_context"]
    return table


def _never_capitalised(word: str) -> bool:
    """News text writes `word` in lower case mid-sentence and never capitalised there."""
    flags = _ortho().get(word.lower())
    return flags is not None and bool(flags & _MID_LC) and not flags & _MID_UC


@dataclass(slots=True)
class _Doc:
    """What the article itself says about how it writes its words."""

    text: str
    lower: frozenset[str]
    seen_mid_sentence: dict[str, bool]
    """Each word's answer, once: the search reads the whole text."""

    @classmethod
    def of(cls, text: str) -> _Doc:
        return cls(text, frozenset(re.findall(r"\b[a-z][a-z'’-]*\b", text)), {})

    def starts_sentence(self, pos: int) -> bool:
        i = pos
        while i > 0 and self.text[i - 1] in _OPENERS:
            i -= 1
        return i == 0 or self.text[i - 1] in ".!?:\n"

    def capitalised_mid_sentence(self, word: str) -> bool:
        found = self.seen_mid_sentence.get(word)
        if found is None:
            found = re.search(rf"[a-z,;] +{re.escape(word)}\b", self.text) is not None
            self.seen_mid_sentence[word] = found
        return found

    def common_word(self, word: str) -> bool:
        """Written in lower case here, and never capitalised mid-sentence in news text."""
        parts = word.lower().split("-")
        return all(p in self.lower and not _ortho().get(p, 0) & _MID_UC for p in parts)


Tokens = list[tuple[int, int]]
_WINDOW = 48
"""Characters looked at beside a mention for the word before or after it: longer than
any word the checks compare against."""


def clean_mentions(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """Mentions with glued words cut off or split apart, and what is no name dropped."""
    doc = _Doc.of(text)
    out: list[Mention] = []
    for m in _join_for(text, mentions):
        for piece in _split_and(text, word_spans(text, m.start, m.end)):
            toks = _trim(doc, piece)
            if toks and not _no_name(doc, toks):
                out.append(Mention(toks[0][0], toks[-1][1], m.label))
    return out


def _join_for(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """ "Utrecht Institute" for "Reading Research" is one organisation, as the text names it."""
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (m.start, m.end)):
        last = out[-1] if out else None
        head = text[last.start : last.end].split()[-1:] if last else []
        if (
            last is not None
            and head
            and head[0].lower() in _INSTITUTIONS
            and re.fullmatch(r"\s+(?:for|of)\s+", text[last.end : m.start])
        ):
            out[-1] = Mention(last.start, m.end, "ORG")
        else:
            out.append(m)
    return out


def _split_and(text: str, toks: Tokens) -> list[Tokens]:
    """ "Samsung Electronics and Intel" is two names, "Pittenweem in Fife" too; "Marks and
    Spencer" and "Department of Health and Human Services" stay one."""
    words = [text[a:b] for a, b in toks]
    for k, w in enumerate(words[1:-1], 1):
        left, right = words[:k], words[k + 1 :]
        if not right[0][:1].isupper() or any(x.islower() for x in left):
            continue
        if w == "in" or (w == "and" and len(left) >= 2):
            return [toks[:k], *_split_and(text, toks[k + 1 :])]
    return [toks]


def _trim(doc: _Doc, toks: Tokens) -> Tokens:
    text = doc.text

    def word(i: int) -> str:
        return text[toks[i][0] : toks[i][1]]

    # "ledger Moray": a lower-case word before a name is no part of it.
    while len(toks) > 1 and word(0).islower() and word(0) not in _PARTICLES:
        toks = toks[1:]
    # "S.W. Lamp": a compass point before a word.
    if len(toks) > 1 and _COMPASS.fullmatch(word(0)) and sum(c.isalpha() for c in word(0)) > 1:
        toks = toks[1:]
    # "Steelmaker Acerinox": a common noun capitalised only because it opens the sentence.
    if (
        len(toks) > 1
        and doc.starts_sentence(toks[0][0])
        and word(1)[:1].isupper()
        and (_never_capitalised(word(0)) or word(0).lower().endswith("maker"))
    ):
        toks = toks[1:]
    # "European Commission show 387": lower-case words (and a number after one) after a name.
    while len(toks) > 1 and (word(-1).islower() or (word(-1)[:1].isdigit() and word(-2).islower())):
        toks = toks[:-1]
    return toks


def _no_name(doc: _Doc, toks: Tokens) -> bool:
    """Titles alone, section numbers, compass points, units, headings and verbs."""
    text = doc.text
    words = [text[a:b] for a, b in toks]
    if all(w.rstrip(".").lower() in _TITLES or not any(c.isalnum() for c in w) for w in words):
        return True  # "Cllr", "Mrs."
    if len(words) > 1:
        # "veering W. Sea tremendous": a compass point before common words.
        return _COMPASS.fullmatch(words[0]) is not None and all(
            w.lower() in doc.lower for w in words[1:]
        )
    (w,) = words
    start, end = toks[0]
    # A window, not text[:start]: copying the text up to every mention is quadratic.
    before = text[max(0, start - _WINDOW) : start].split()[-1:]
    if _ROMAN.fullmatch(w) and (w.endswith(".") or text[end : end + 1] == "."):
        return True  # "V." heading a section
    if _COMPASS.fullmatch(w) or (len(w.rstrip(".")) == 1 and w[:1].isupper()):
        return True  # "S.W.", or an initial standing alone
    if w.lower().rstrip("s").endswith("maker"):
        return True  # "Chipmakers such as …"
    if w.lower() in _UNITS or (before and before[0].lower() in ("degree", "degrees")):
        return True  # "degrees Celsius"
    if doc.common_word(w):
        return True  # "the Remarks column", "HANDS OFF OUR LOGBOOKS"
    after = text[end : end + _WINDOW].split(maxsplit=1)[:1]
    flags = _ortho().get(w.lower(), 0)
    return (  # "Mark three sentences.": a verb that opens an instruction
        doc.starts_sentence(start)
        and bool(after)
        and after[0] in _OBJECT_WORDS
        and bool(flags & _MID_LC)
        and not doc.capitalised_mid_sentence(w)
    )


# ---------------------------------------------------------------- grouping


def group_entities(text: str, mentions: Sequence[Mention]) -> list[Entity]:
    """Mentions grouped into referents, most mentioned first.

    Mentions are cleaned first (`clean_mentions`). Exact repeats always join, and so do
    a person's name with and without a title ("Dr. Farquhar", "Farquhar") and a name in
    capitals with the same name written normally ("MADRID", "Madrid"). A shorter PERSON name
    joins a longer one when its words are the first or last word of exactly one longer name
    ("Putin" -> "Vladimir Putin"); with two candidates ("Smith" beside "John Smith" and
    "Jane Smith") it stays apart. A lone surname the tagger typed otherwise joins the one
    person it ends ("Strand" -> "Howard Strand"). An all-caps ORG joins the one ORG whose
    initials it spells, "Acme" joins "Acme Corp." and "Acme Holding NV", and "Commission"
    the one ORG it ends ("Western Lights Commission").
    """
    groups: dict[str, list[Mention]] = {}
    for m in sorted(clean_mentions(text, mentions), key=lambda m: (m.start, m.end)):
        name = " ".join(text[m.start : m.end].split())
        if name:
            groups.setdefault(name, []).append(m)
    parent: dict[str, str] = {name: name for name in groups}

    def root(name: str) -> str:
        while parent[name] != name:
            name = parent[name]
        return name

    def join(name: str, into: str) -> None:
        a, b = root(name), root(into)
        if a != b:
            parent[a] = b

    plain = {n.casefold(): n for n in groups if not _all_caps(n)}
    by_core: dict[str, str] = {}
    for name, ms in groups.items():
        if _all_caps(name) and name.casefold() in plain:
            join(name, plain[name.casefold()])
        if _majority(ms) == "PERSON":
            join(name, by_core.setdefault(" ".join(_core(name.split())), name))

    def members() -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name in groups:
            out.setdefault(root(name), []).append(name)
        return out

    clusters = members()
    label_of = {r: _majority([m for n in ns for m in groups[n]]) for r, ns in clusters.items()}
    shown_of = {r: _shown(ns) for r, ns in clusters.items()}
    order = sorted(
        clusters,
        key=lambda r: (-len(_core(shown_of[r].split())), -len(shown_of[r]), groups[r][0].start),
    )
    # Every join below needs the longer name to hold one of the shorter one's words, or
    # (an ORG's initials) to spell it: look only there, not at every pair of names.
    words_of = {r: shown_of[r].split() for r in order}
    rank = {r: i for i, r in enumerate(order)}
    holding: dict[str, set[str]] = {}
    for r, ws in words_of.items():
        for key in {*ws, "".join(w[0] for w in ws if w[:1].isupper())}:
            holding.setdefault(key, set()).add(r)
    for short in order:
        words, label = words_of[short], label_of[short]
        same: set[str] = set()
        other: set[str] = set()
        near = set().union(*(holding.get(w, ()) for w in words))
        for long in sorted(near, key=rank.__getitem__):
            lw = words_of[long]
            if long == short or len(lw) < len(words):
                continue
            if label_of[long] == label and _joins(words, lw, label):
                same.add(root(long))
            elif _surname_of(words, label, lw, label_of[long]):
                other.add(root(long))
        candidates = same | other
        if len(candidates) == 1:
            join(short, candidates.pop())
    merged: dict[str, list[Mention]] = {}
    for ns in members().values():
        ms = sorted((m for n in ns for m in groups[n]), key=lambda m: (m.start, m.end))
        label = _majority(ms)
        shown = _shown(ns)
        if label == "PERSON" and _place_named(shown):
            label = "PLACE"
            ms = [Mention(m.start, m.end, label) for m in ms]
        if label == "PERSON":
            shown = " ".join(_core(shown.split()))  # "Mayor Jane Doe" is listed as "Jane Doe"
        merged.setdefault(shown, []).extend(ms)  # one row per name, whatever else differs
    entities: list[Entity] = []
    for shown, ms in merged.items():
        ms.sort(key=lambda m: (m.start, m.end))
        spans = [Span(m.start, m.end) for m in ms]
        entities.append(Entity(name=shown, label=_majority(ms), mentions=spans))
    entities.sort(key=lambda e: (-e.count, e.mentions[0].start))
    return entities


def _all_caps(name: str) -> bool:
    return sum(c.isalpha() for c in name) > 1 and name == name.upper()


def _shown(names: Sequence[str]) -> str:
    """The longest name, written as the text writes it when it is not shouting."""
    pool = [n for n in names if not _all_caps(n)] or list(names)
    return max(pool, key=lambda n: (len(_core(n.split())), len(n)))


def _place_named(name: str) -> bool:
    """ "Hollin Rock" is a place, though "Chris Rock" (a known first name) is not."""
    words = name.split()
    if len(words) < 2 or words[-1].lower() not in _PLACE_HEADS:
        return False
    return "PER-B" not in load_model().extractor.lexicon.gazetteer.get(words[0], ())


def _surname_of(short: list[str], label: str, long: list[str], long_label: str) -> bool:
    """A lone word the tagger did not type PERSON that ends exactly one person's name."""
    core, full = _core(short), _core(long)
    if len(core) != 1 or len(full) < 2 or core[0] != full[-1] or label == "PLACE":
        return False
    return "PERSON" in (label, long_label)


def _joins(short: list[str], long: list[str], label: str) -> bool:
    if label == "PERSON":
        short, long = _core(short), _core(long)
        if not short or len(short) >= len(long):
            return False
        if len(short) == 1:
            return short[0] in (long[0], long[-1])
        if long[-len(short) :] == short:
            return True  # "Ní Bhriain" in "Saoirse Ní Bhriain"
        # "Vladimir Putin" within "Vladimir V. Putin": same ends, words in order.
        return short[0] == long[0] and short[-1] == long[-1] and _subsequence(short, long)
    if label == "ORG" and len(short) < len(long):
        if len(short) == 1 and short[0].isupper() and len(short[0]) > 1:
            initials = "".join(w[0] for w in long if w[:1].isupper())
            if initials == short[0]:
                return True
        if long[-len(short) :] == short:
            return True  # "Commission" in "Western Lights Commission"
        if long[: len(short)] != short:
            return False
        tail = [w.lower() for w in long[len(short) :]]
        if all(w in _COMPANY_SUFFIXES or w in _COMPANY_WORDS for w in tail):
            return True
        return len(tail) <= 3 and tail[-1] in _COMPANY_SUFFIXES  # "Orbital Freight Systems Inc."
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
