"""`reader analyze`: the engine's view of articles, as a report or JSON, without the app."""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from reader.cli.common import (
    DEFAULT_TIMEOUT,
    EXIT_BAD_INPUT,
    EXIT_OK,
    CommandError,
    cache_dir,
    error,
    input_message,
    no_text_message,
    read_articles,
    read_source,
    reject_empty_paths,
    shown,
)
from reader.plural import counted

if TYPE_CHECKING:
    from reader.article import Article
    from reader.nlp.analysis import Analysis, KeySentence

MAX_KEY_SENTENCES = 10_000  # as many as the app's setting allows
_PERCENT = re.compile(r"(\d{1,3}(?:\.\d{1,6})?)%")


@dataclass(frozen=True)
class KeyCount:
    """`--key-sentences`: a number, or a share of the article's sentences."""

    number: int | None = None
    percent: float | None = None

    def of(self, sentences: int) -> int | None:
        """How many to show for an article of `sentences` sentences; None: its default.

        A share rounds half up and is at least one, so 1% of a short article is one.
        """
        if self.percent is not None:
            return max(1, math.floor(self.percent * sentences / 100 + 0.5))
        return self.number


def key_count(value: str) -> KeyCount:
    """The argparse type of `--key-sentences`: N (1 to 10,000) or P% (above 0, at most 100).

    CommandError, not ArgumentTypeError, for the same reason as `common.whole_number`:
    a bad value is one line and exit status 2, not argparse's usage block.
    """
    text = value.strip()
    if text.isascii() and text.isdigit() and len(text.lstrip("0")) <= len(str(MAX_KEY_SENTENCES)):
        number = int(text)
        if 1 <= number <= MAX_KEY_SENTENCES:
            return KeyCount(number=number)
    match = _PERCENT.fullmatch(text)
    if match is not None and 0 < float(match.group(1)) <= 100:
        return KeyCount(percent=float(match.group(1)))
    raise CommandError(
        f"--key-sentences must be a whole number from 1 to {MAX_KEY_SENTENCES:,} "
        "or a percentage of the sentences up to 100%, e.g. 5 or 10%"
    )


def chosen_keys(analysis: Analysis, count: KeyCount | None) -> list[KeySentence]:
    """The key sentences to print: the article's default, or the first N of its ranking."""
    return analysis.top_key_sentences(None if count is None else count.of(len(analysis.sentences)))


def analysis_json(
    name: str, article: Article | None, analysis: Analysis, count: KeyCount | None = None
) -> dict[str, Any]:
    """The schema is the README's ("reader analyze --json"): metadata, the analysis, and the
    document's structure as ranges of `text`. With --raw there is no document: the whole
    text is one paragraph block and there are no marks or links."""
    meta = {
        "path": name,
        "title": article.title if article else None,
        "author": article.author if article else None,
        "published": article.published if article else None,
        "source": article.source if article else None,
        "url": article.url if article else None,
        "site": article.site if article else None,
        "lang": article.lang if article else None,
    }
    data = analysis.to_dict()
    del data["more_key_sentences"]  # the cache's business: the output holds the chosen count
    data["key_sentences"] = [
        {"sentence": k.sentence, "score": round(k.score, 6)} for k in chosen_keys(analysis, count)
    ]
    if article is not None:
        structure = article.to_dict()
        data["blocks"] = structure["blocks"]
        data["marks"] = structure.get("marks", [])
        data["links"] = structure.get("links", [])
        data["chapters"] = [c.to_json() for c in article.table_of_contents()]
    else:
        text = analysis.text
        data["blocks"] = [{"kind": "paragraph", "start": 0, "end": len(text)}] if text else []
        data["marks"], data["links"], data["chapters"] = [], [], []
    return {**meta, **data}


def report(
    name: str,
    article: Article | None,
    analysis: Analysis,
    out: TextIO,
    count: KeyCount | None = None,
) -> None:
    text = analysis.text
    print(f"== {shown(name)}", file=out)
    if article is not None:
        for label, value in (
            ("Title", article.title),
            ("Author", article.author),
            ("Published", article.published),
            ("Source", article.source),
        ):
            print(f"{label + ':':<11}{value if value is not None else '-'}", file=out)
    words = len(text.split())
    length = f"{counted(words, 'word')}, {counted(len(analysis.sentences), 'sentence')}"
    print(f"{'Length:':<11}{length}", file=out)
    print("\nEntities", file=out)
    if not analysis.entities:
        print("  (none found)", file=out)
    by_label: dict[str, list[str]] = {}
    for entity in analysis.entities:
        by_label.setdefault(entity.label, []).append(f"{entity.name} ({entity.count})")
    for label, names in by_label.items():
        print(f"  {label:<7} {', '.join(names)}", file=out)
    print("\nKey sentences", file=out)
    keys = chosen_keys(analysis, count)
    if not keys:
        print("  (none)", file=out)
    for rank, key in enumerate(keys, 1):
        span = analysis.sentences[key.sentence]
        sentence = " ".join(text[span.start : span.end].split())
        print(f"  {rank:>2}. {sentence}", file=out)
    print(file=out)


def cmd_analyze(args: argparse.Namespace) -> int:
    """Every input is tried: a bad one is reported and the rest still analysed."""
    from reader.article import InputError
    from reader.nlp.analyzer import analyze

    reject_empty_paths(args.paths)
    cache = cache_dir(args.home)
    timeout = getattr(args, "timeout", DEFAULT_TIMEOUT)
    status = EXIT_OK
    for name in args.paths:
        article: Article | None
        prose = None
        try:
            if args.raw:
                article, text = None, read_source(name, timeout=timeout)
            else:
                password = getattr(args, "password", None)
                article = read_articles(name, timeout=timeout, password=password)[1][0]
                text, prose = article.text, article.prose_spans()
        except InputError as exc:
            error(input_message(name, exc))
            status = EXIT_BAD_INPUT
            continue
        if not text.strip():
            error(no_text_message(name))
            status = EXIT_BAD_INPUT
            continue
        analysis = analyze(text, cache, prose=prose)
        count = getattr(args, "key_sentences", None)
        if args.json:
            print(json.dumps(analysis_json(name, article, analysis, count), ensure_ascii=False))
        else:
            report(name, article, analysis, sys.stdout, count)
        sys.stdout.flush()
    return status
