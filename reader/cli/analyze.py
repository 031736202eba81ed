"""`reader analyze`: the engine's view of articles, as a report or JSON, without the app."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any, TextIO

from reader.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    cache_dir,
    error,
    input_message,
    no_text_message,
    parse,
    read_source,
    reject_empty_paths,
    shown,
)

if TYPE_CHECKING:
    from reader.article import Article
    from reader.nlp.analysis import Analysis


def analysis_json(name: str, article: Article | None, analysis: Analysis) -> dict[str, Any]:
    meta = {
        "path": name,
        "title": article.title if article else None,
        "author": article.author if article else None,
        "published": article.published if article else None,
        "source": article.source if article else None,
    }
    return {**meta, **analysis.to_dict()}


def report(name: str, article: Article | None, analysis: Analysis, out: TextIO) -> None:
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
    print(f"{'Length:':<11}{words:,} words, {len(analysis.sentences):,} sentences", file=out)
    print("\nEntities", file=out)
    if not analysis.entities:
        print("  (none found)", file=out)
    by_label: dict[str, list[str]] = {}
    for entity in analysis.entities:
        by_label.setdefault(entity.label, []).append(f"{entity.name} ({entity.count})")
    for label, names in by_label.items():
        print(f"  {label:<7} {', '.join(names)}", file=out)
    print("\nKey sentences", file=out)
    if not analysis.key_sentences:
        print("  (none)", file=out)
    for rank, key in enumerate(analysis.key_sentences, 1):
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
    status = EXIT_OK
    for name in args.paths:
        try:
            raw = read_source(name)
        except InputError as exc:
            error(input_message(name, exc))
            status = EXIT_BAD_INPUT
            continue
        article = None if args.raw else parse(name, raw)
        text = raw if article is None else article.text
        if not text.strip():
            error(no_text_message(name))
            status = EXIT_BAD_INPUT
            continue
        analysis = analyze(text, cache)
        if args.json:
            print(json.dumps(analysis_json(name, article, analysis), ensure_ascii=False))
        else:
            report(name, article, analysis, sys.stdout)
        sys.stdout.flush()
    return status
