"""Heavy imports stay off the start-up path: a fresh interpreter proves it.

`reader --help`, the CLI module and the engine's plain-data modules must not pull in
NLTK, python-crfsuite or Textual; the engine and the store never import Textual at all.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("nltk", "pycrfsuite", "textual", "tinydb")


def _imported_after(statement: str) -> set[str]:
    code = (
        f"import sys\n{statement}\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


@pytest.mark.parametrize(
    "statement",
    [
        "import reader.cli",
        "import reader.nlp.analyzer",
        "import reader.nlp.analysis",
        "import reader.seed",
    ],
)
def test_start_up_modules_import_nothing_heavy(statement: str) -> None:
    assert _imported_after(statement).isdisjoint(HEAVY)


def test_help_does_not_load_models() -> None:
    code = (
        "import sys\nfrom reader import cli\n"
        "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('LOADED', ' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = set(out.split("LOADED", 1)[1].split())
    assert loaded.isdisjoint(HEAVY)


@pytest.mark.parametrize(
    "statement",
    [
        "import reader.nlp.analyzer, reader.nlp.entities, reader.nlp.sentences, "
        "reader.nlp.keysentences; from reader.nlp.analyzer import analyze_text; "
        "analyze_text('Ada Lovelace met Charles Babbage in London. They talked.')",
        "import reader.store, reader.article",
    ],
)
def test_engine_and_store_never_import_textual(statement: str) -> None:
    assert "textual" not in _imported_after(statement)


def test_the_app_imports_no_parser_on_its_way_to_the_first_paint() -> None:
    """Opening an article needs the model, not the parsers: their patterns take tens of
    milliseconds to compile (the clip parser's date formats alone about 20)."""
    code = (
        "import sys\nimport reader.ui.app\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('reader.'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = set(out.split())
    assert "reader.article.model" in loaded
    parsers = {m for m in loaded if m.startswith(("reader.sources", "reader.article."))}
    assert parsers <= {
        "reader.article.model",
        "reader.article.document",
        "reader.article.inputs",
    }
