"""`reader import-notes FILE.json`: bring a JSON export (reader.study.export) into a home.

The whole file is read and checked before anything is written, so a bad file changes
nothing: one `BadExport` names the first problem (e.g. ``articles[3].notes[0]: end 912
is past the end of the text (880)``). Article texts are checked against their ids (the
content hash), so an edited or truncated text is refused rather than stored under a
wrong identity.

Into an EMPTY home (no articles, notes, highlights or review schedules) the export is
restored exactly: the same article, note and highlight ids, dates, progress, tags, review
schedules, settings and id counters, so exporting again gives an identical file.

Into a home that already has work the export is MERGED, never duplicated:

* an article not in the home is added with its progress, tags, notes and highlights;
* an article already there (same content hash) keeps its own progress unless it has none;
  tags are united; notes are added unless the same text is already on the same span;
  highlights unless the same span is already highlighted;
* notes and highlights added by a merge get new ids (ids are never reused, and the home's
  own ids may clash); their review schedules follow them under the new ids, and the
  schedule of a skipped duplicate goes to the home's copy, unless the home already
  schedules that card;
* settings already set in the home win; new ones are added; so do the home's own
  entity corrections (retyped or hidden names), name by name.

The file may come from anywhere (edited by hand, truncated, made to hurt), so nothing in it
is trusted: numbers of more than 20 digits, NaN and infinities are refused while parsing,
nesting too deep to follow is refused rather than crashing, ids, offsets and due dates must
be what the store and datetime can hold, and review schedules what fsrs can continue. The
reader's own text (titles, origin, tags, notes) has control characters removed as `reader
add` removes them; the article content cannot be changed without moving every offset and
its id, so content holding control characters or broken (lone surrogate) characters,
which reader never writes, is refused. A refusal is one line naming where the problem is,
once; nothing is written.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.plural import counted
from reader.store.errors import printable
from reader.store.ids import article_id as content_id
from reader.store.ids import is_article_id
from reader.store.plain_json import MAX_DIGITS, problem
from reader.store.records import clean_tags, highlight_card_id, key_card_id, note_card_id
from reader.store.schema import MAX_TIME, MIN_TIME, entity_correction_problem
from reader.study.export import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    clean_user_text,
    content_problem,
    user_tags,
)
from reader.study.review import parse_card_id, schedule_gap

if TYPE_CHECKING:
    from reader.article import Article
    from reader.store.library import Library

__all__ = ["BadExport", "ImportReport", "Snapshot", "import_snapshot", "load_export"]


class BadExport(ValueError):
    """The file is not a usable reader export; str() is one line fit for the reader."""


@dataclass
class SnapArticle:
    id: str
    article: Article
    fields: dict[str, Any]
    progress: dict[str, Any] | None
    notes: list[dict[str, Any]]
    highlights: list[dict[str, Any]]


@dataclass
class Snapshot:
    """A checked export, ready to import."""

    articles: list[SnapArticle]
    review: list[dict[str, Any]]
    settings: dict[str, Any]
    next_ids: dict[str, int]
    entity_corrections: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ImportReport:
    mode: str  # "restore" or "merge"
    articles_added: int = 0
    articles_merged: int = 0
    notes_added: int = 0
    highlights_added: int = 0
    duplicates_skipped: int = 0
    review_states: int = 0
    settings: int = 0
    titles: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.mode == "restore":
            return (
                f"Restored {counted(self.articles_added, 'article')}, "
                f"{counted(self.notes_added, 'note')}, "
                f"{counted(self.highlights_added, 'highlight')}, "
                f"{counted(self.review_states, 'review schedule')} "
                f"and {counted(self.settings, 'setting')}."
            )
        return (
            "Merged into a library that already had work: "
            f"{counted(self.articles_added, 'article')} added, "
            f"{self.articles_merged:,} already present; {counted(self.notes_added, 'note')} and "
            f"{counted(self.highlights_added, 'highlight')} added, "
            f"{counted(self.duplicates_skipped, 'duplicate')} skipped; "
            f"{counted(self.review_states, 'review schedule')} and "
            f"{counted(self.settings, 'setting')} added."
        )


# ---------------------------------------------------------------------------- checking


MAX_ID = 2**53
"""Note and highlight ids beyond this are no reader's: the store files card ids of at most
18 digits, and JSON tools elsewhere lose precision past 2**53."""
MAX_COUNT = 2**53
"""Positions and such: far past any text, still exact as a float."""

# Characters no date or id reader writes ever holds: controls and lone surrogates.
_RAW = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


class _Refused(ValueError):
    """Raised from inside json.loads by the number hooks; becomes one BadExport."""


def _fail(where: str, why: str) -> BadExport:
    return BadExport(f"{where}: {why}" if where else why)


def _dict(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(where, "expected an object")
    return value


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(where, "expected a list")
    return value


def _string(value: object, where: str, *, optional: bool = False) -> str | None:
    """A date, an id, a card name: refused (not cleaned) when it holds what reader never
    writes there, since cleaning could make it mean something else."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise _fail(where, "expected " + ("a string or null" if optional else "a string"))
    if _RAW.search(value):
        raise _fail(where, "holds control characters or a broken character")
    return value


def _text(value: object, where: str, *, optional: bool = False) -> str | None:
    """The reader's own text (a note, a title, a tag, the origin): cleaned as `add` cleans."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise _fail(where, "expected " + ("a string or null" if optional else "a string"))
    return clean_user_text(value)


def _integer(value: object, where: str, *, minimum: int = 0, maximum: int = MAX_COUNT) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise _fail(where, f"expected a whole number from {minimum} to {maximum}")
    return value


def _number(value: object, where: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(float(value))
    ):
        raise _fail(where, "expected a number")
    return float(value)


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"a number has more than {MAX_DIGITS} digits ({text[:12]}…)")
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"a number is too large to hold ({text[:12]}…)")
    return value


def _parse_constant(name: str) -> float:
    raise _Refused(f"it holds {name}, which is not a number reader can use")


def parse_json(text: str) -> Any:
    """json.loads without what no export holds; BadExport (without the file's name)."""
    try:
        return json.loads(
            text,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
        )
    except _Refused as exc:
        raise BadExport(f"is not a reader export: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BadExport(f"is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise BadExport("is not a reader export: it is nested too deeply to read") from None
    except ValueError as exc:  # anything else json refuses to build
        raise BadExport(f"is not valid JSON ({exc})") from None


def load_export(path: Path) -> Snapshot:
    """Read and check an export file; BadExport (one line, naming the file once)."""
    name = printable(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BadExport(f"{name}: no such file") from None
    except IsADirectoryError:
        raise BadExport(f"{name} is a folder; give the exported .json file") from None
    except OSError as exc:
        raise BadExport(f"{name} cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadExport(f"{name} is not a text file; give the exported .json file") from None
    try:
        data = parse_json(text)
    except BadExport as exc:
        raise BadExport(f"{name} {exc}") from None
    try:
        return check_export(data)
    except BadExport as exc:
        raise BadExport(f"{name}: {exc}") from None


def _check_annotations(
    raw: object,
    where: str,
    kind: str,
    aid: str,
    text_length: int,
    ids: dict[int, str],
) -> list[dict[str, Any]]:
    """Notes or highlights of one article, checked; `ids` collects ids across the export.

    A note's text field is "text" and may sit on an empty span; a highlight's is "note"
    (optional) and must cover some text.
    """
    is_note = kind == "note"
    checked: list[dict[str, Any]] = []
    for j, item in enumerate(_list(raw, where)):
        at = f"{where}[{j}]"
        doc = _dict(item, at)
        ident = _integer(doc.get("id"), f"{at}.id", minimum=1, maximum=MAX_ID)
        if ident in ids:
            raise _fail(f"{at}.id", f"{kind} id {ident} appears twice")
        ids[ident] = aid
        start, end = _span(doc, at, text_length, empty_ok=is_note)
        field = "text" if is_note else "note"
        value = doc.get(field) if is_note else doc.get(field, "")
        checked.append(
            {
                "id": ident,
                "article_id": aid,
                "start": start,
                "end": end,
                field: _text(value, f"{at}.{field}"),
                "created_at": _string(doc.get("created_at"), f"{at}.created_at"),
                "updated_at": _string(doc.get("updated_at"), f"{at}.updated_at"),
            }
        )
    return checked


def _check_content(value: object, where: str, aid: str) -> Article:
    from reader.article import Article

    content = _dict(value, where)  # outside the try: its BadExport already says where
    try:
        article = Article.from_dict(content)
    except (ValueError, TypeError) as exc:
        raise _fail(where, str(exc)) from None
    wrong = content_problem(article)
    if wrong is not None:
        raise _fail(where, f"{wrong}, so it cannot have been exported by reader")
    if content_id(article) != aid:
        raise _fail(where, "its text does not match its id (was the file edited?)")
    return article


def check_export(data: object) -> Snapshot:
    """Check the decoded JSON of an export (see reader.study.export for the format)."""
    top = _dict(data, "")
    if top.get("format") != EXPORT_FORMAT:
        raise BadExport('not a reader export (its "format" is not "reader-export")')
    version = top.get("version")
    if type(version) is not int or version != EXPORT_VERSION:
        shown = version if isinstance(version, int | float | str | None) else type(version).__name__
        raise BadExport(
            f"export version {shown!r} is not supported (this reader reads {EXPORT_VERSION})"
        )
    articles: list[SnapArticle] = []
    lengths: dict[str, int] = {}
    note_ids: dict[int, str] = {}
    highlight_ids: dict[int, str] = {}
    for i, item in enumerate(_list(top.get("articles", []), "articles")):
        where = f"articles[{i}]"
        entry = _dict(item, where)
        aid = _string(entry.get("id"), f"{where}.id")
        assert aid is not None
        if not is_article_id(aid):
            raise _fail(f"{where}.id", f"{aid!r} is not an article id")
        if aid in lengths:
            raise _fail(f"{where}.id", f"article {aid} appears twice")
        article = _check_content(entry.get("content"), f"{where}.content", aid)
        fields = {
            "title": _text(entry.get("title"), f"{where}.title"),
            "origin": _text(entry.get("origin"), f"{where}.origin", optional=True),
            "added_at": _string(entry.get("added_at"), f"{where}.added_at"),
            "tags": user_tags(
                _text(t, f"{where}.tags[{j}]") or ""
                for j, t in enumerate(_list(entry.get("tags", []), f"{where}.tags"))
            ),
        }
        text_length = len(article.text)
        lengths[aid] = text_length
        progress = _check_progress(entry.get("progress"), f"{where}.progress", aid)
        notes = _check_annotations(
            entry.get("notes", []), f"{where}.notes", "note", aid, text_length, note_ids
        )
        highlights = _check_annotations(
            entry.get("highlights", []),
            f"{where}.highlights",
            "highlight",
            aid,
            text_length,
            highlight_ids,
        )
        articles.append(SnapArticle(aid, article, fields, progress, notes, highlights))
    review = [
        _check_review(item, f"review[{i}]", lengths, note_ids, highlight_ids)
        for i, item in enumerate(_list(top.get("review", []), "review"))
    ]
    if len({r["card"] for r in review}) != len(review):
        raise _fail("review", "a card is scheduled twice")
    settings = _dict(top.get("settings", {}), "settings")
    wrong = problem(settings)
    if wrong is not None:
        raise _fail("settings", wrong)
    raw_ids = _dict(top.get("next_ids", {}), "next_ids")
    next_ids = {
        kind: _integer(raw_ids.get(kind, 1), f"next_ids.{kind}", minimum=1, maximum=MAX_ID + 1)
        for kind in ("notes", "highlights")
    }
    corrections = _check_entity_corrections(top.get("entity_corrections", []))
    return Snapshot(articles, review, dict(settings), next_ids, corrections)


def _check_entity_corrections(value: object) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for i, item in enumerate(_list(value, "entity_corrections")):
        where = f"entity_corrections[{i}]"
        doc = _dict(item, where)
        _text(doc.get("name"), f"{where}.name")
        wrong = problem(doc) or entity_correction_problem(doc)
        if wrong is not None:
            raise _fail(where, wrong)
        docs.append({k: doc[k] for k in ("name", "label", "hidden", "updated_at") if k in doc})
    return docs


def _span(doc: Mapping[str, Any], where: str, length: int, *, empty_ok: bool) -> tuple[int, int]:
    start = _integer(doc.get("start"), f"{where}.start")
    end = _integer(doc.get("end"), f"{where}.end")
    if end > length:
        raise _fail(f"{where}.end", f"{end} is past the end of the text ({length})")
    if end < start or (end == start and not empty_ok):
        raise _fail(where, f"start {start} and end {end} do not make a span")
    return start, end


def _check_progress(value: object, where: str, aid: str) -> dict[str, Any] | None:
    if value is None:
        return None
    doc = _dict(value, where)
    finished = doc.get("finished")
    if not isinstance(finished, bool):
        raise _fail(f"{where}.finished", "expected true or false")
    fraction = _number(doc.get("progress"), f"{where}.progress")
    if not 0.0 <= fraction <= 1.0:
        raise _fail(f"{where}.progress", "expected a fraction between 0 and 1")
    seconds = _number(doc.get("seconds_read"), f"{where}.seconds_read")
    if seconds < 0:
        raise _fail(f"{where}.seconds_read", "expected a number ≥ 0")
    checked: dict[str, Any] = {
        "article_id": aid,
        "position": _integer(doc.get("position"), f"{where}.position"),
        "progress": doc["progress"],
        "seconds_read": doc["seconds_read"],
        "last_read": _string(doc.get("last_read"), f"{where}.last_read", optional=True),
        "finished": finished,
    }
    # Exports from before the furthest point was kept apart have neither; the bookmark
    # stands in for the furthest point (see reader.store.articles).
    if "furthest" in doc:
        furthest = _number(doc["furthest"], f"{where}.furthest")
        if not 0.0 <= furthest <= 1.0:
            raise _fail(f"{where}.furthest", "expected a fraction between 0 and 1")
        checked["furthest"] = doc["furthest"]
    if "anchor" in doc:
        checked["anchor"] = _integer(doc["anchor"], f"{where}.anchor")
    if "read_elsewhere" in doc:
        if not isinstance(doc["read_elsewhere"], bool):
            raise _fail(f"{where}.read_elsewhere", "expected true or false")
        if doc["read_elsewhere"] and finished:
            checked["read_elsewhere"] = True
    return checked


# fsrs Card.to_dict(): what the scheduler needs to continue a card.
_STATE_KEYS = ("card_id", "state", "step", "stability", "difficulty", "due", "last_review")
_FSRS_STATES = (1, 2, 3)  # Learning, Review, Relearning


def _state_time(value: object, where: str, *, optional: bool) -> None:
    text = _string(value, where, optional=optional)
    if text is None:
        return
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _fail(where, "expected an ISO 8601 time") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise _fail(where, "expected a time with its time zone")


def _check_state(value: object, where: str) -> dict[str, Any]:
    """A schedule fsrs can go on from: every value of the type and range fsrs makes."""
    from fsrs import Card

    state = _dict(value, where)
    wrong = problem(state)
    if wrong is not None:
        raise _fail(where, wrong)
    for key in _STATE_KEYS:
        if key not in state:
            raise _fail(where, f"not a review schedule (no {key!r})")
    _integer(state["card_id"], f"{where}.card_id", maximum=2**63 - 1)
    if _integer(state["state"], f"{where}.state", minimum=1, maximum=3) not in _FSRS_STATES:
        raise _fail(f"{where}.state", "not a review state")
    if state["step"] is not None:
        _integer(state["step"], f"{where}.step", maximum=1000)
    if state["stability"] is not None:
        stability = _number(state["stability"], f"{where}.stability")
        if not 0 < stability <= 1e9:
            raise _fail(f"{where}.stability", "expected a number above 0")
    if state["difficulty"] is not None:
        difficulty = _number(state["difficulty"], f"{where}.difficulty")
        if not 0 <= difficulty <= 10:
            raise _fail(f"{where}.difficulty", "expected a number from 0 to 10")
    if state["difficulty"] is not None and state["difficulty"] < 1:  # fsrs reads 0 as none
        raise _fail(f"{where}.difficulty", "expected a number from 1 to 10")
    missing = schedule_gap(state)
    if missing is not None:
        raise _fail(where, missing)
    _state_time(state["due"], f"{where}.due", optional=False)
    _state_time(state["last_review"], f"{where}.last_review", optional=True)
    try:
        Card.from_dict(state)  # type: ignore[arg-type]
    except (KeyError, ValueError, TypeError, OverflowError) as exc:
        raise _fail(where, f"not a review schedule ({exc})") from None
    return state


def _check_review(
    value: object,
    where: str,
    lengths: Mapping[str, int],
    note_ids: Mapping[int, str],
    highlight_ids: Mapping[int, str],
) -> dict[str, Any]:
    doc = _dict(value, where)
    card = _string(doc.get("card"), f"{where}.card")
    aid = _string(doc.get("article_id"), f"{where}.article_id")
    assert card is not None and aid is not None
    if aid not in lengths:
        raise _fail(f"{where}.article_id", f"article {aid!r} is not in the export")
    try:
        kind, key_article, ref, end = parse_card_id(card)
    except ValueError as exc:
        raise _fail(f"{where}.card", str(exc)) from None
    if kind == "highlight":
        canonical, owner = highlight_card_id(ref), highlight_ids.get(ref)
    elif kind == "note":
        canonical, owner = note_card_id(ref), note_ids.get(ref)
    else:
        assert key_article is not None
        canonical, owner = key_card_id(key_article, ref, end), key_article
        if owner == aid and not ref < end <= lengths[aid]:
            raise _fail(f"{where}.card", f"card {card} is not a passage of article {aid}")
    if card != canonical:
        raise _fail(f"{where}.card", f"{card!r} is not a review card id")
    if owner != aid:
        raise _fail(f"{where}.card", f"card {card} has no passage of article {aid} in the export")
    due = _number(doc.get("due"), f"{where}.due")
    if not MIN_TIME <= due <= MAX_TIME:
        raise _fail(f"{where}.due", "expected a due time within the years 1 to 9999")
    state = _check_state(doc.get("state"), f"{where}.state")
    return {"card": card, "article_id": aid, "due": due, "state": state}


# ---------------------------------------------------------------------------- importing


def import_snapshot(library: Library, snapshot: Snapshot) -> ImportReport:
    """Restore into an empty home, merge into any other (see the module doc)."""
    if library.is_empty():
        return _restore(library, snapshot)
    return _merge(library, snapshot)


def _restore(library: Library, snap: Snapshot) -> ImportReport:
    notes = [n for a in snap.articles for n in a.notes]
    highlights = [h for a in snap.articles for h in a.highlights]
    library.restore(
        articles=[(a.article, a.fields) for a in snap.articles],
        progress=[a.progress for a in snap.articles if a.progress is not None],
        notes=notes,
        highlights=highlights,
        review=snap.review,
        settings=snap.settings,
        counters=dict(snap.next_ids),
        entity_corrections=snap.entity_corrections,
    )
    return ImportReport(
        mode="restore",
        articles_added=len(snap.articles),
        notes_added=len(notes),
        highlights_added=len(highlights),
        review_states=len(snap.review),
        settings=len(snap.settings),
        titles=[str(a.fields["title"]) for a in snap.articles],
    )


def _merge(library: Library, snap: Snapshot) -> ImportReport:
    report = ImportReport(mode="merge")
    existing = {r.id: r for r in library.articles()}
    counters = library.id_counters()
    next_note, next_highlight = counters["notes"], counters["highlights"]
    renamed: dict[str, str] = {}  # exported card id -> card id in this home
    new_articles: list[tuple[Article, dict[str, Any]]] = []
    progress: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    highlights: list[dict[str, Any]] = []
    retag: dict[str, list[str]] = {}
    for item in snap.articles:
        record = existing.get(item.id)
        if record is None:
            new_articles.append((item.article, item.fields))
            report.articles_added += 1
            report.titles.append(str(item.fields["title"]))
            have_notes: dict[tuple[int, int, str], int] = {}
            have_spans: dict[tuple[int, int], int] = {}
            if item.progress is not None:
                progress.append(item.progress)
        else:
            report.articles_merged += 1
            tags = clean_tags([*record.tags, *item.fields["tags"]])
            if tags != list(record.tags):
                retag[item.id] = tags
            if item.progress is not None and library.progress_doc(item.id) is None:
                progress.append(item.progress)
            have_notes = {(n.start, n.end, n.text): n.id for n in library.notes(item.id)}
            have_spans = {(h.start, h.end): h.id for h in library.highlights(item.id)}
        for note in item.notes:
            same = have_notes.get((note["start"], note["end"], note["text"]))
            if same is not None:  # already here: its schedule may still come along
                renamed[note_card_id(note["id"])] = note_card_id(same)
                report.duplicates_skipped += 1
                continue
            notes.append({**note, "id": next_note})
            renamed[note_card_id(note["id"])] = note_card_id(next_note)
            next_note += 1
        for hl in item.highlights:
            same = have_spans.get((hl["start"], hl["end"]))
            if same is not None:
                renamed[highlight_card_id(hl["id"])] = highlight_card_id(same)
                report.duplicates_skipped += 1
                continue
            highlights.append({**hl, "id": next_highlight})
            renamed[highlight_card_id(hl["id"])] = highlight_card_id(next_highlight)
            next_highlight += 1
    scheduled = {s.card_id for s in library.review_states()}
    review: list[dict[str, Any]] = []
    for doc in snap.review:
        card = doc["card"]
        if card[0] in "hn":
            if card not in renamed:
                continue
            card = renamed[card]
        if card not in scheduled:
            review.append({**doc, "card": card})
    present = library.all_settings()
    settings = {k: v for k, v in snap.settings.items() if k not in present}
    library.restore(
        articles=new_articles,
        progress=progress,
        notes=notes,
        highlights=highlights,
        review=review,
        settings=settings,
        entity_corrections=snap.entity_corrections,
    )
    for aid, tags in retag.items():
        library.set_tags(aid, tags)
    report.notes_added, report.highlights_added = len(notes), len(highlights)
    report.review_states, report.settings = len(review), len(settings)
    return report
