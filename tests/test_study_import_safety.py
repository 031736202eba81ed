"""import-notes takes files from anywhere: whatever they hold, one line, exit 2, nothing written.

Besides the examples (huge numbers, deep nesting, NaN, dates datetime cannot hold, control
characters), hypothesis throws arbitrary JSON and mutations of a real export at the checks:
nothing but BadExport may come out, what passes must import and review without error, and
an export of the reader's own work, whatever text it holds, always imports identically.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fsrs import Card, Rating, Scheduler
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from reader import cli
from reader.article import Article
from reader.store.ids import article_id
from reader.store.library import Library
from reader.study.export import dumps, export_json
from reader.study.importer import BadExport, check_export, import_snapshot, load_export
from reader.study.review import ReviewDeck
from tests.conftest import FIXED_NOW, barrier_article, fake_analyze, make_article

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _make_work(lib: Library) -> None:
    aid = lib.add_article(barrier_article(url="https://coast.example/b")).article.id
    other = lib.add_article(make_article("Orbital freight", 120), origin="/clips/f.txt").article.id
    text = lib.load_article(aid).text
    lib.add_highlight(aid, 0, text.index(".") + 1, "a note")
    lib.add_note(aid, 0, 10, "first")
    lib.add_note(other, 0, 20, "second")
    lib.set_tags(aid, ["coast"])
    lib.save_progress(aid, position=40, progress=1.0, seconds_read=12.5, finished=True)
    lib.set_setting("wpm", 250.0)
    deck = ReviewDeck(lib, scheduler=Scheduler(enable_fuzzing=False), analyze=fake_analyze)
    for card, rating in zip(deck.due_cards(FIXED_NOW)[:4], (1, 2, 3, 4), strict=False):
        deck.rate(card.id, rating, FIXED_NOW)


@pytest.fixture(scope="module")
def valid(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    with Library.open(tmp_path_factory.mktemp("valid") / "home") as lib:
        _make_work(lib)
        data: dict[str, Any] = json.loads(dumps(export_json(lib)))
    assert len(data["review"]) == 4
    return data


def _home_files(home: Path) -> dict[str, bytes]:
    if not home.exists():
        return {}
    return {
        p.relative_to(home).as_posix(): p.read_bytes()
        for p in sorted(home.rglob("*"))
        if p.is_file() and p.name != ".lock" and not p.name.startswith("search.sqlite")
    }


def _refused(tmp_path: Path, content: str | bytes, capsys: pytest.CaptureFixture[str]) -> str:
    """import-notes of `content` into a home with work: exit 2, one line, nothing written."""
    home = tmp_path / "home"
    if not home.exists():
        with Library.open(home) as lib:
            lib.add_article(make_article("Already here", 60))
    before = _home_files(home)
    path = tmp_path / "in.json"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    status = cli.main(["--home", str(home), "import-notes", str(path)])
    out, err = capsys.readouterr()
    assert status == 2 and out == "", err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith("Nothing was imported."), err
    assert lines[0].count(str(path)) == 1, err
    assert _home_files(home) == before
    return lines[0]


def _edited(valid: dict[str, Any], change: Callable[[dict[str, Any]], object]) -> str:
    data = copy.deepcopy(valid)
    change(data)
    return json.dumps(data, allow_nan=True)


# ---------------------------------------------------------------- examples


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (
            '{"format": "reader-export", "version": 1, "next_ids": {"notes": 1' + "0" * 5000 + "}}",
            "more than 20 digits",
        ),
        ('{"format": "reader-export", "version": 1, "x": 1e999}', "too large"),
        ('{"format": "reader-export", "version": 1, "x": NaN}', "NaN"),
        ('{"format": "reader-export", "version": 1, "x": -Infinity}', "-Infinity"),
        (
            '{"format": "reader-export", "version": 1, "settings": '
            + '{"a":' * 40
            + "1"
            + "}" * 41,
            "nested too deeply",
        ),
    ],
    ids=["deep", "digits", "overflow", "nan", "infinity", "deep-settings"],
)
def test_numbers_and_nesting_no_export_holds_are_refused(
    content: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert message in _refused(tmp_path, content, capsys)


def _review(data: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = data["review"][0]
    return entry


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: _review(d).update(due=-1e18), "years 1 to 9999"),
        (lambda d: _review(d).update(due=3e11), "years 1 to 9999"),
        (lambda d: _review(d).update(due=float("nan")), "NaN"),
        (lambda d: _review(d)["state"].update(stability=float("inf")), "Infinity"),
        (lambda d: _review(d)["state"].update(stability="1e400"), "expected a number"),
        (lambda d: _review(d)["state"].update(stability=-2.0), "above 0"),
        (lambda d: _review(d)["state"].update(due="10000-01-01T00:00:00"), "ISO 8601"),
        (lambda d: _review(d)["state"].update(due="2026-01-01T00:00:00"), "time zone"),
        (lambda d: _review(d)["state"].update(step=[1]), "whole number"),
        (lambda d: _review(d)["state"].update(card_id=10**19), "whole number"),
        (lambda d: _review(d)["state"].pop("due"), "no 'due'"),
        (lambda d: _review(d).update(card="h01"), "not a review card id"),
        (lambda d: d["articles"][0]["notes"][0].update(id=10**18), "whole number"),
        (lambda d: d["articles"][0]["progress"].update(position=10**19), "whole number"),
        (lambda d: d["articles"][0]["notes"][0].update(created_at="\x1b[2J"), "control"),
        (lambda d: d.update(version=True), "version True"),
    ],
)
def test_values_the_store_or_the_scheduler_cannot_hold_are_refused(
    valid: dict[str, Any],
    change: Callable[[dict[str, Any]], object],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert message in _refused(tmp_path, _edited(valid, change), capsys)


def _with_content(data: dict[str, Any], paragraphs: list[str]) -> None:
    """Replace the first article's text, with the id that text really has."""
    article = Article.from_paragraphs("Odd", None, None, None, paragraphs)
    entry = data["articles"][0]
    entry.update(content=article.to_dict(), id=article_id(article), notes=[], highlights=[])
    data["review"] = []


@pytest.mark.parametrize("paragraphs", [["Bell\x07 text."], ["Broken \ud800 text."], ["\x1b[2J"]])
def test_content_reader_never_writes_is_refused_in_one_clear_line(
    valid: dict[str, Any],
    paragraphs: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    line = _refused(tmp_path, _edited(valid, lambda d: _with_content(d, paragraphs)), capsys)
    assert "articles[0].content: its text holds control characters" in line


def test_a_location_is_named_once(
    valid: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = _refused(
        tmp_path, _edited(valid, lambda d: d["articles"][0].update(content=[1])), capsys
    )
    assert line.count("articles[0].content") == 1 and line.endswith(
        "articles[0].content: expected an object. Nothing was imported."
    )


def test_the_readers_own_text_is_cleaned_as_add_cleans_it(
    valid: dict[str, Any], tmp_path: Path
) -> None:
    def soil(d: dict[str, Any]) -> None:
        entry = d["articles"][0]
        entry["title"] = "Title \x1b]0;owned\x07here"
        entry["origin"] = "/clips/\x1b[31mred.txt"
        entry["tags"] = ["\x1b[1mbold\x1b[0m", "bold", "tab\tkept"]
        entry["notes"][0]["text"] = "line\r\nnext\x08\x9b"
        entry["highlights"][0]["note"] = "bell\x07 \udcff"

    path = tmp_path / "soiled.json"
    path.write_text(_edited(valid, soil), encoding="utf-8")
    with Library.open(tmp_path / "home") as lib:
        import_snapshot(lib, load_export(path))
        aid = valid["articles"][0]["id"]
        record = lib.get(aid)
        assert (record.title, record.origin) == ("Title here", "/clips/red.txt")
        assert record.tags == ("bold", "tab\tkept")
        assert lib.notes(aid)[0].text == "line\nnext"
        assert lib.highlights(aid)[0].note == "bell \ufffd"


def test_a_bom_is_no_reason_to_refuse(valid: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "notepad.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(valid).encode())
    assert len(load_export(path).articles) == 2


# ---------------------------------------------------------------- properties

_leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
_json = st.recursive(
    _leaves,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=25,
)


def _paths(value: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield here
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*here, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*here, index))


def _mutate(data: dict[str, Any], path: tuple[Any, ...], action: str, value: Any) -> Any:
    if not path:
        return value if action == "replace" else data
    parent: Any = data
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "replace":
        parent[last] = value
    elif action == "delete":
        del parent[last]
    elif action == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[last]))
    elif isinstance(parent[last], str):  # "poke": a character reader never writes
        parent[last] = parent[last] + value if isinstance(value, str) else parent[last] + "\x1b"
    return data


def _imports_and_reviews(snapshot: Any, home: Path, merge_into: bool) -> None:
    """What passed the checks must import, export again and be reviewable."""
    with Library.open(home) as lib:
        if merge_into:
            lib.add_article(barrier_article())
            lib.add_note(lib.articles()[0].id, 0, 4, "mine")
        import_snapshot(lib, snapshot)
        check_export(json.loads(dumps(export_json(lib))))
        scheduler = Scheduler(enable_fuzzing=False)
        for state in lib.review_states():
            card = Card.from_dict(state.state)  # type: ignore[arg-type]
            scheduler.review_card(card, Rating.Good, review_datetime=FIXED_NOW)
        ReviewDeck(lib, analyze=fake_analyze).due_cards(FIXED_NOW + timedelta(days=400))


@SETTINGS
@given(document=_json)
def test_arbitrary_json_raises_nothing_but_bad_export(document: Any) -> None:
    for doc in (document, {"format": "reader-export", "version": 1, "articles": document}):
        try:
            check_export(doc)
        except BadExport as exc:
            assert "\n" not in str(exc)


@SETTINGS
@given(raw=st.binary(max_size=64) | st.text(max_size=64).map(str.encode))
def test_arbitrary_bytes_raise_nothing_but_bad_export(raw: bytes, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(raw)
    with pytest.raises(BadExport):
        load_export(path)


@SETTINGS
@given(data=st.data())
def test_mutated_exports_are_refused_or_import_cleanly(
    valid: dict[str, Any], data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    doc = copy.deepcopy(valid)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        path = data.draw(st.sampled_from(list(_paths(doc))), label="path")
        action = data.draw(st.sampled_from(["replace", "delete", "duplicate", "poke"]))
        doc = _mutate(doc, path, action, data.draw(_json, label="value"))
    text = json.dumps(doc, allow_nan=True)
    file = tmp_path_factory.mktemp("mutated") / "x.json"
    file.write_text(text, encoding="utf-8")
    try:
        snapshot = load_export(file)
    except BadExport as exc:
        message = str(exc)
        assert "\n" not in message and message.count(str(file)) == 1
        event("refused")
        return
    event("imported")
    home = tmp_path_factory.mktemp("into") / "home"
    _imports_and_reviews(snapshot, home, merge_into=data.draw(st.booleans(), label="merge"))


@settings(max_examples=25, deadline=None)
@given(
    notes=st.lists(st.text(max_size=30), min_size=1, max_size=3),
    tags=st.lists(st.text(max_size=10), max_size=3),
    title=st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=20),
    origin=st.text(max_size=20),
    progress=st.floats(min_value=0.0, max_value=1.0),
    seconds=st.floats(min_value=0.0, max_value=1e9),
)
def test_a_valid_export_always_imports_identically(
    notes: list[str],
    tags: list[str],
    title: str,
    origin: str,
    progress: float,
    seconds: float,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Whatever the reader typed (notes, tags, an origin: any text at all) comes back."""
    root = tmp_path_factory.mktemp("valid")
    with Library.open(root / "a") as lib:
        aid = lib.add_article(barrier_article(title=title or None), origin=origin).article.id
        text = lib.load_article(aid).text
        for n, note in enumerate(notes):
            lib.add_note(aid, n, n + 5, note)
            lib.add_highlight(aid, n, n + 5 + len(text) // 2, note)
        lib.set_tags(aid, tags)
        lib.save_progress(aid, position=3, progress=progress, seconds_read=seconds)
        deck = ReviewDeck(lib, scheduler=Scheduler(enable_fuzzing=False), analyze=fake_analyze)
        for card in deck.due_cards(FIXED_NOW)[:3]:
            deck.rate(card.id, 3, FIXED_NOW)
        first = dumps(export_json(lib))
    (root / "first.json").write_text(first, encoding="utf-8")
    with Library.open(root / "b") as lib:
        import_snapshot(lib, load_export(root / "first.json"))
        assert dumps(export_json(lib)) == first
