"""The corruption matrix: every kind of file in a home × every kind of damage × every
command and the app. Nothing may crash, hang or print a traceback, and the damaged bytes
must still be somewhere the reader can find them (the file itself, or a .corrupt-* copy).

One template home is built per session (articles, notes, highlights with notes, progress,
a finished article, review schedules, key sentences, settings, cached analyses, a search
index) and copied for each case, so the matrix runs in seconds per file kind. Commands run
in this process through `reader.cli.main`, with the cache holding analyses so that no
model is loaded.
"""

from __future__ import annotations

import gzip
import json
import random
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from reader import cli
from reader.nlp.cache import AnalysisCache
from reader.store import Library
from reader.study.export import dumps, export_json
from reader.study.search import SearchIndex
from tests.conftest import barrier_article, barrier_sentences, fake_analyze, make_article
from tests.ui_helpers import burst, make_app, settle

# ---------------------------------------------------------------- the template home


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    """(home, the barrier article's id, a valid export of another home)."""
    from reader.nlp.analyzer import analyzer_version

    root = tmp_path_factory.mktemp("matrix")
    home = root / "template"
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article(), origin="/clips/barrier.txt").article.id
        other = lib.add_article(make_article("Orbital freight", 200, source="Wire")).article.id
        sentences = barrier_sentences()
        lib.add_highlight(aid, *sentences[2], note="1.8 m?")
        lib.add_note(aid, *sentences[4], "Check the rota.")
        lib.save_progress(aid, position=sentences[3][0], progress=0.4, seconds_read=30)
        lib.save_progress(other, position=0, progress=1.0, finished=True)
        lib.set_tags(aid, ["coast", "floods"])
        lib.set_setting("theme", "textual-dark")
        lib.save_review_state("h1", aid, {"card_id": 1, "state": 2}, 1_700_000_000.0)
        cache = AnalysisCache(lib.cache_dir, analyzer_version())
        for record in lib.articles():
            analysis = fake_analyze(lib.load_article(record.id).text)
            cache.put(analysis)
        spans = [
            (analysis.sentences[k.sentence].start, analysis.sentences[k.sentence].end)
            for k in analysis.key_sentences
        ]
        lib.set_key_sentences({other: (analyzer_version(), spans)})
        with SearchIndex.open(lib):
            pass
    donor = root / "donor"
    with Library.open(donor) as lib:
        lib.add_article(make_article("Imported piece", 90, source="Elsewhere"))
        export = root / "export.json"
        export.write_text(dumps(export_json(lib)), encoding="utf-8")
    return home, aid, export


# ---------------------------------------------------------------- the damage


def _walk(value: Any, leaf: Callable[[Any], Any]) -> Any:
    if isinstance(value, dict):
        return {k: _walk(v, leaf) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, leaf) for v in value]
    return leaf(value)


def _wrong_type(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return ["not", "a", "flag"]
    if isinstance(value, int | float):
        return "a number, it said"
    if isinstance(value, str):
        return {"text": value}
    return value


def _out_of_range(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return -(10**18)
    if isinstance(value, float):
        return 1e300
    return value


def _records(data: Any, change: Callable[[Any], Any]) -> Any:
    """Apply `change` to every record of a TinyDB file ({table: {id: record}})."""
    if isinstance(data, dict) and all(isinstance(t, dict) for t in data.values()):
        return {name: {k: change(doc) for k, doc in t.items()} for name, t in data.items()}
    return change(data)  # an article or analysis: one object


def _json_damage(kind: str, raw: bytes) -> bytes:
    rng = random.Random(kind)
    if kind == "truncated":
        return raw[: len(raw) // 2]
    if kind == "garbage":
        return rng.randbytes(max(64, len(raw)))
    data = json.loads(raw)
    if kind == "wrong types":
        return json.dumps(_records(data, lambda doc: _walk(doc, _wrong_type))).encode()
    if kind == "out of range":
        return json.dumps(_records(data, lambda doc: _walk(doc, _out_of_range))).encode()
    if kind == "deep nesting":
        return b"[" * 200_000 + json.dumps(data).encode() + b"]" * 200_000
    if kind == "huge numbers":

        def huge(value: Any) -> Any:
            is_int = isinstance(value, int) and not isinstance(value, bool)
            return "@@HUGE@@" if is_int else value

        text = json.dumps(_records(data, lambda doc: _walk(doc, huge)))
        return text.replace('"@@HUGE@@"', "9" * 5000).encode()
    raise AssertionError(kind)


DAMAGE = ("truncated", "garbage", "wrong types", "out of range", "deep nesting", "huge numbers")


def _damage(path: Path, kind: str) -> None:
    raw = path.read_bytes()
    if path.suffix == ".sqlite":
        if kind in ("truncated", "garbage"):
            path.write_bytes(_json_damage(kind, raw))
        else:  # no JSON inside: overwrite pages in the middle instead
            rng = random.Random(kind)
            start = len(raw) // 3
            path.write_bytes(raw[:start] + rng.randbytes(len(raw) // 3) + raw[2 * start :])
        return
    if path.name.endswith(".gz"):
        if kind in ("truncated", "garbage"):
            path.write_bytes(_json_damage(kind, raw))
        else:
            path.write_bytes(gzip.compress(_json_damage(kind, gzip.decompress(raw))))
        return
    path.write_bytes(_json_damage(kind, raw))


def _files(home: Path, aid: str) -> dict[str, Path]:
    shard = aid[0]
    cache = next((home / "cache").glob("*.json.gz"))
    return {
        "library.json": home / "library.json",
        "settings.json": home / "settings.json",
        "counters.json": home / "counters.json",
        "progress shard": home / "progress" / f"{shard}.json",
        "notes shard": home / "notes" / f"{shard}.json",
        "highlights shard": home / "highlights" / f"{shard}.json",
        "review shard": home / "review" / f"{shard}.json",
        "review/keys.json": home / "review" / "keys.json",
        "article text": home / "articles" / f"{aid}.json.gz",
        "cached analysis": cache,
        "search.sqlite": home / "search.sqlite",
    }


FILE_KINDS = (
    "library.json",
    "settings.json",
    "counters.json",
    "progress shard",
    "notes shard",
    "highlights shard",
    "review shard",
    "review/keys.json",
    "article text",
    "cached analysis",
    "search.sqlite",
)


@pytest.fixture
def damaged(
    template: tuple[Path, str, Path], tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[Path, str, Path, Path, bytes]]:
    file_kind, damage = request.param
    source, aid, export = template
    home = tmp_path / "home"
    shutil.copytree(source, home)
    path = _files(home, aid)[file_kind]
    _damage(path, damage)
    yield home, aid, export, path, path.read_bytes()


CASES = [(f, d) for f in FILE_KINDS for d in DAMAGE]


def _commands(home: Path, export: Path, tmp: Path) -> list[list[str]]:
    clip = tmp / "clip.txt"
    clip.write_text("A short clip.\n\nIt has two paragraphs about the harbour.", encoding="utf-8")
    return [
        ["list"],
        ["list", "--json"],
        ["list", "--tag", "coast"],
        ["search", "harbour"],
        ["search", "--json", "rota"],
        ["review", "--list"],
        ["review", "--json"],
        ["export", "--all", "--format", "json"],
        ["export", "--all", "--format", "markdown", "--out", str(tmp / "md")],
        ["analyze", str(clip)],
        ["add", str(clip)],
        ["import-notes", str(export)],
    ]


def _still_kept(path: Path, damaged_bytes: bytes) -> bool:
    """The damaged bytes are the reader's: still in place, or kept in a .corrupt-* copy."""
    if path.exists() and path.read_bytes() == damaged_bytes:
        return True
    return any(p.read_bytes() == damaged_bytes for p in path.parent.glob(f"{path.name}.corrupt-*"))


@pytest.mark.parametrize("damaged", CASES, indirect=True, ids=[f"{f}-{d}" for f, d in CASES])
def test_every_command_survives(
    damaged: tuple[Path, str, Path, Path, bytes],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home, _aid, export, path, damaged_bytes = damaged
    for argv in _commands(home, export, tmp_path):
        status = cli.main(["--home", str(home), *argv])
        out, err = capsys.readouterr()
        assert status in (0, 1, 2), (argv, status, err)
        assert "Traceback" not in out + err, argv
        for line in err.splitlines():  # each problem is one line, said by reader
            assert line.startswith("reader: "), (argv, line)
    if path.parent.name != "cache" and path.suffix != ".sqlite":
        assert _still_kept(path, damaged_bytes), "the damaged file must be kept, never dropped"


@pytest.mark.parametrize("damaged", CASES, indirect=True, ids=[f"{f}-{d}" for f, d in CASES])
async def test_the_app_survives(
    damaged: tuple[Path, str, Path, Path, bytes], wait_for_workers: Any
) -> None:
    home, _aid, _export, _path, _bytes = damaged
    app = make_app(home)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, wait_for_workers)
        # Open the first row, move, highlight, back; review (show, rate); search; quit.
        # Sent as one burst each (see tests/ui_helpers.burst): typed as a reader types.
        burst(app, "enter", "j", "j", "h", "n", *"kept", "ctrl+s", "escape")
        await settle(pilot, wait_for_workers)
        burst(app, "r", "space", "3", "escape", "f", *"surge", "escape")
        await settle(pilot, wait_for_workers)
        await pilot.press("ctrl+q")
    assert app.return_code in (0, None)
