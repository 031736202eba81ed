"""Whole-analysis throughput on one core, and the cost of a fresh process's first analysis.

Targets (issue 2): >= 30,000 tokens/s for the whole analysis on one core; a fresh
process to its first analysis <= 1 s. Start-up of the CLI without NLP (`reader --help`)
is shown beside them, since heavy imports must stay off that path.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.table import Row

ROOT = Path(__file__).resolve().parent.parent
SECTION = "Speed (one core)"


def _pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _texts(data: Path, limit: int) -> list[str]:
    texts: list[str] = []
    with (data / "summ" / "cnn_dailymail" / "test.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            texts.append(json.loads(line)["text"])
            if len(texts) == limit:
                break
    return texts


def _throughput(texts: list[str]) -> tuple[int, float]:
    from reader.nlp.analyzer import analyze_text
    from reader.nlp.tokens import word_spans

    analyze_text(texts[0])  # load the models outside the timing
    tokens = sum(len(word_spans(t)) for t in texts)
    started = time.perf_counter()
    for text in texts:
        analyze_text(text)
    return tokens, time.perf_counter() - started


def _wall(cmd: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(data: Path) -> list[Row]:
    _pin_one_core()
    texts = _texts(data, 200)
    tokens, seconds = _throughput(texts)
    rows = [
        Row(
            SECTION,
            "CNN/DM test, 200 articles",
            "reader analysis (sentences+NER+key)",
            {"tokens": tokens, "tokens/s": round(tokens / seconds), "target": ">= 30,000"},
        )
    ]
    sample = ROOT / "sample_articles" / "harbour-tide-barrier.txt"
    python = sys.executable
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "READER_HOME": home}
        first = _wall(
            [
                python,
                "-c",
                "import sys; from reader.nlp.analyzer import analyze_text; "
                f"analyze_text(open({str(sample)!r}, encoding='utf-8').read())",
            ],
            runs=5,
        )
        cli_cold = _wall(
            [python, "-m", "reader", "analyze", "--json", "--home", home, str(sample)], runs=1
        )
        cli_warm = _wall(
            [python, "-m", "reader", "analyze", "--json", "--home", home, str(sample)], runs=5
        )
        help_time = _wall([python, "-m", "reader", "--help"], runs=5, env=env)
    rows += [
        Row(
            SECTION,
            sample.name,
            "fresh process to first analysis",
            {"seconds": first, "target": "<= 1 s"},
        ),
        Row(SECTION, sample.name, "reader analyze --json (empty cache)", {"seconds": cli_cold}),
        Row(SECTION, sample.name, "reader analyze --json (cached)", {"seconds": cli_warm}),
        Row(SECTION, "-", "reader --help (no NLP imported)", {"seconds": help_time}),
    ]
    return rows
