"""Train the Punkt sentence-boundary parameters shipped in `reader/nlp/models/punkt.json.gz`.

Punkt is unsupervised, so the training text only has to look like what the app reads: news
prose. We use the article bodies of the *dev* splits of the two summarisation sets (CNN and BBC
News); their test splits, and the Penn Treebank sample the benchmark measures on, are never read
here. The output is plain JSON (gzipped with a fixed timestamp, keys sorted), so training twice on
the same data gives byte-identical files and the app can load the model without pickle.

Punkt learns abbreviations only from what it sees often enough, and a news reader meets titles,
months and company suffixes that a few thousand articles do not always show with a period (BBC
house style writes "Mr" and "Dr" without one). `CURATED_ABBREVIATIONS` below is a short,
hand-written list that is added to the learned set after training; it is documented in the
output file under "curated" so that learned and hand-added entries stay distinguishable.

Run: `python -m reader.nlp.train_punkt --data /path/to/shared/data --out reader/nlp/models`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MODEL_NAME = "punkt.json.gz"
FORMAT_VERSION = 1

# The non-test news splits Punkt is trained on (relative to the shared data directory).
TRAIN_FILES = (
    "summ/cnn_dailymail/dev.jsonl",
    "summ/bbc_news_summary/dev.jsonl",
)

# Hand-added abbreviations (lower case, without the final period, inner periods kept), for the
# titles, months, ranks and company suffixes news text uses. Each one still goes through Punkt's
# orthographic heuristic, so "… at Acme Inc. The shares …" still ends a sentence when the next
# word is one that is usually lower case mid-sentence.
CURATED_ABBREVIATIONS = (
    # countries and organisations
    "u.n", "u.s", "u.k", "u.s.a", "e.u",
    # months (May, June and July are never abbreviated)
    "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec",
    # titles and ranks
    "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov", "lt", "col", "capt", "cmdr",
    "sgt", "maj", "adm", "gens", "sens", "reps", "rev", "hon", "pres", "supt", "insp", "jr", "sr",
    "messrs", "mme",
    # places and addresses
    "st", "mt", "ft", "ave", "blvd", "rd",
    # companies
    "inc", "corp", "co", "cos", "ltd", "plc", "bros", "llc", "dept", "assn",
    # Latin and other short forms
    "no", "nos", "vs", "v", "etc", "e.g", "i.e", "approx", "est", "cf", "al",
)  # fmt: skip

# Curated titles that stand before a name and so never end a sentence, however the next word is
# usually written ("Mr. Powers", "Sen. Specter", "St. Louis"). Stored in the model as "titles".
CURATED_TITLES = (
    "mr", "mrs", "ms", "messrs", "mme", "dr", "prof", "sen", "sens", "rep", "reps", "gov", "gen",
    "lt", "col", "capt", "cmdr", "sgt", "maj", "adm", "rev", "hon", "supt", "insp", "st", "mt",
)  # fmt: skip

# Curated company suffixes: in news these end a sentence whenever a capitalised word follows,
# unless it is another suffix ("Co. Ltd.") or one of the `CURATED_ROLES` ("Acme Corp. Chairman
# Jane Doe"). Stored in the model as "company_suffixes" and "roles".
CURATED_COMPANY_SUFFIXES = (
    "inc", "corp", "co", "cos", "ltd", "plc", "bros", "llc", "n.v", "s.a", "ag", "l.p",
)  # fmt: skip
CURATED_ROLES = (
    "chairman", "chairwoman", "president", "chief", "ceo", "vice", "executive", "director",
    "spokesman", "spokeswoman", "spokesperson", "founder", "finance", "treasurer",
)  # fmt: skip

# Punkt's flag for "seen capitalised mid-sentence" (nltk.tokenize.punkt._ORTHO_MID_UC).
_ORTHO_MID_UC = 1 << 2
# Share of capitalised mid-sentence uses at or below which that flag counts as noise. Chosen
# among 0, 0.005, 0.01, 0.02, 0.05 and 0.1 by boundary F1 on the detokenised sentences of
# NLTK's CoNLL-2000 *training* file (WSJ sections 15-18; the benchmark's treebank sample is
# sections 00-01): 0.02 gave the best F1 before false positives started to rise.
MID_UPPER_NOISE = 0.02

# Paragraph breaks: the same rule the splitter applies at run time.
_BLANK_LINE = re.compile(r"\n\s*\n")
_SPACE = re.compile(r"\s+")


def _news_documents(data: Path) -> Iterator[str]:
    """Article bodies, one paragraph per line pair, with hard wraps turned into spaces.

    The splitter treats a single newline as a space, so training does the same; otherwise Punkt
    would record every wrapped word's case as "unknown context" and learn less from it.
    """
    for rel in TRAIN_FILES:
        with (data / rel).open(encoding="utf-8") as fh:
            for line in fh:
                text = json.loads(line)["text"]
                paragraphs = (_SPACE.sub(" ", p).strip() for p in _BLANK_LINE.split(text))
                body = "\n\n".join(p for p in paragraphs if p)
                if body:
                    yield body


def train_parameters(data: Path, mid_upper_noise: float = MID_UPPER_NOISE) -> Any:
    """Run `PunktTrainer` over the training text and return its `PunktParameters`.

    The curated abbreviations are known to the trainer from the start, so its first pass does not
    count "St." in "St. Louis" as a sentence end and learn "Louis" as a sentence starter, and
    Punkt's re-scoring may not drop them (BBC style writes "Mr" without a period).

    Punkt's orthographic context is a set of flags: one capitalised mid-sentence "And" (a title,
    a headline) marks "and" as a word that may be capitalised anywhere, and then Punkt can never
    use "And" as evidence that a sentence has started. We also count how often each word is seen
    mid-sentence in each case and drop that flag when capitalised uses are at most
    `mid_upper_noise` of the word's mid-sentence uses.
    """
    from nltk.tokenize.punkt import PunktTrainer

    curated = frozenset(CURATED_ABBREVIATIONS)

    class Trainer(PunktTrainer):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.mid_counts: Counter[tuple[str, str]] = Counter()

        def _reclassify_abbrev_types(self, types: Any) -> Iterator[tuple[str, float, bool]]:
            for typ, score, is_add in super()._reclassify_abbrev_types(types):
                if typ not in curated:
                    yield typ, score, is_add

        def _get_orthography_data(self, tokens: Any) -> None:
            # Same walk as PunktTrainer's, counting the mid-sentence ("internal") cases.
            tokens = list(tokens)
            super()._get_orthography_data(tokens)
            context = "internal"
            for aug_tok in tokens:
                if aug_tok.parastart and context != "unknown":
                    context = "initial"
                if aug_tok.linestart and context == "internal":
                    context = "unknown"
                if context == "internal":
                    self.mid_counts[aug_tok.type_no_sentperiod, aug_tok.first_case] += 1
                if aug_tok.sentbreak:
                    is_number_or_initial = aug_tok.is_number or aug_tok.is_initial
                    context = "unknown" if is_number_or_initial else "initial"
                elif aug_tok.ellipsis or aug_tok.abbr:
                    context = "unknown"
                else:
                    context = "internal"

    trainer = Trainer()
    trainer._params.abbrev_types.update(curated)
    # Documents are separated by a blank line, so each one starts a paragraph (and a sentence).
    text = "\n\n".join(_news_documents(data))
    trainer.train(text, finalize=False)
    trainer.finalize_training()
    params = trainer.get_params()
    for typ, flags in list(params.ortho_context.items()):
        upper = trainer.mid_counts[typ, "upper"]
        lower = trainer.mid_counts[typ, "lower"]
        if flags & _ORTHO_MID_UC and upper <= mid_upper_noise * (upper + lower):
            params.ortho_context[typ] = flags & ~_ORTHO_MID_UC
    return params


def parameters_to_json(params: Any) -> dict[str, Any]:
    """A sorted, JSON-ready form of Punkt's parameters plus the curated abbreviations."""
    learned = set(params.abbrev_types)
    curated = sorted(CURATED_ABBREVIATIONS)
    return {
        "format": FORMAT_VERSION,
        "source": "PunktTrainer on " + ", ".join(TRAIN_FILES) + " (article text)",
        "abbrev_types": sorted(learned | set(curated)),
        "curated": curated,
        "titles": sorted(CURATED_TITLES),
        "company_suffixes": sorted(CURATED_COMPANY_SUFFIXES),
        "roles": sorted(CURATED_ROLES),
        "collocations": sorted([a, b] for a, b in params.collocations),
        "sent_starters": sorted(params.sent_starters),
        "ortho_context": {k: v for k, v in sorted(params.ortho_context.items()) if v},
    }


def write_model(model: dict[str, Any], out_dir: Path) -> Path:
    """Write the gzipped JSON deterministically (mtime 0, sorted keys, no file name in header)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    path = out_dir / MODEL_NAME
    path.write_bytes(gzip.compress(payload.encode("utf-8"), compresslevel=9, mtime=0))
    path.chmod(0o644)
    return path


def main(data: Path, out_dir: Path) -> None:
    started = time.perf_counter()
    params = train_parameters(data)
    model = parameters_to_json(params)
    path = write_model(model, out_dir)
    elapsed = time.perf_counter() - started
    print(
        f"{path}: {len(model['abbrev_types'])} abbreviations ({len(model['curated'])} curated), "
        f"{len(model['collocations'])} collocations, {len(model['sent_starters'])} sentence "
        f"starters, {len(model['ortho_context'])} ortho types; "
        f"{path.stat().st_size:,} bytes; {elapsed:.1f} s"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data directory")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent / "models",
        help="directory for punkt.json.gz (default: reader/nlp/models)",
    )
    args = parser.parse_args()
    main(args.data, args.out)
