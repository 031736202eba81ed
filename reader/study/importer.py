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
* settings already set in the home win; new ones are added.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.store.ids import article_id as content_id
from reader.store.ids import is_article_id
from reader.store.records import clean_tags, highlight_card_id, note_card_id
from reader.study.export import EXPORT_FORMAT, EXPORT_VERSION
from reader.study.review import parse_card_id

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
                f"Restored {self.articles_added} articles, {self.notes_added} notes, "
                f"{self.highlights_added} highlights, {self.review_states} review schedules "
                f"and {self.settings} settings."
            )
        return (
            f"Merged into a library that already had work: {self.articles_added} articles "
            f"added, {self.articles_merged} already present; {self.notes_added} notes and "
            f"{self.highlights_added} highlights added, {self.duplicates_skipped} duplicates "
            f"skipped; {self.review_states} review schedules and {self.settings} settings added."
        )


# ---------------------------------------------------------------------------- checking


def _fail(where: str, problem: str) -> BadExport:
    return BadExport(f"{where}: {problem}" if where else problem)


def _dict(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(where, "expected an object")
    return value


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(where, "expected a list")
    return value


def _string(value: object, where: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise _fail(where, "expected " + ("a string or null" if optional else "a string"))
    return value


def _integer(value: object, where: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _fail(where, f"expected a whole number ≥ {minimum}")
    return value


def _number(value: object, where: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(float(value))
    ):
        raise _fail(where, "expected a number")
    return float(value)


def load_export(path: Path) -> Snapshot:
    """Read and check an export file; BadExport (one line) for anything unusable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BadExport(f"{path}: no such file") from None
    except IsADirectoryError:
        raise BadExport(f"{path} is a folder; give the exported .json file") from None
    except OSError as exc:
        raise BadExport(f"{path} cannot be read ({exc.strerror or exc})") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadExport(f"{path} is not a text file; give the exported .json file") from None
    except json.JSONDecodeError as exc:
        raise BadExport(f"{path} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    try:
        return check_export(data)
    except BadExport as exc:
        raise BadExport(f"{path}: {exc}") from None


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
        ident = _integer(doc.get("id"), f"{at}.id", minimum=1)
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
                field: _string(value, f"{at}.{field}"),
                "created_at": _string(doc.get("created_at"), f"{at}.created_at"),
                "updated_at": _string(doc.get("updated_at"), f"{at}.updated_at"),
            }
        )
    return checked


def check_export(data: object) -> Snapshot:
    """Check the decoded JSON of an export (see reader.study.export for the format)."""
    from reader.article import Article

    top = _dict(data, "")
    if top.get("format") != EXPORT_FORMAT:
        raise BadExport('not a reader export (its "format" is not "reader-export")')
    version = top.get("version")
    if version != EXPORT_VERSION:
        raise BadExport(
            f"export version {version!r} is not supported (this reader reads {EXPORT_VERSION})"
        )
    articles: list[SnapArticle] = []
    seen: set[str] = set()
    note_ids: dict[int, str] = {}
    highlight_ids: dict[int, str] = {}
    for i, item in enumerate(_list(top.get("articles", []), "articles")):
        where = f"articles[{i}]"
        entry = _dict(item, where)
        aid = _string(entry.get("id"), f"{where}.id")
        assert aid is not None
        if not is_article_id(aid):
            raise _fail(f"{where}.id", f"{aid!r} is not an article id")
        if aid in seen:
            raise _fail(f"{where}.id", f"article {aid} appears twice")
        seen.add(aid)
        try:
            article = Article.from_dict(_dict(entry.get("content"), f"{where}.content"))
        except (ValueError, TypeError) as exc:
            raise _fail(f"{where}.content", str(exc)) from None
        if not article.paragraphs:
            raise _fail(f"{where}.content", "the article has no text")
        if content_id(article) != aid:
            raise _fail(where, "its text does not match its id (was the file edited?)")
        fields = {
            "title": _string(entry.get("title"), f"{where}.title"),
            "origin": _string(entry.get("origin"), f"{where}.origin", optional=True),
            "added_at": _string(entry.get("added_at"), f"{where}.added_at"),
            "tags": [
                _string(t, f"{where}.tags[{j}]")
                for j, t in enumerate(_list(entry.get("tags", []), f"{where}.tags"))
            ],
        }
        text_length = len(article.text)
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
        _check_review(item, f"review[{i}]", seen, note_ids, highlight_ids)
        for i, item in enumerate(_list(top.get("review", []), "review"))
    ]
    if len({r["card"] for r in review}) != len(review):
        raise _fail("review", "a card is scheduled twice")
    settings = _dict(top.get("settings", {}), "settings")
    try:
        json.dumps(settings, allow_nan=False)
    except ValueError as exc:
        raise _fail("settings", str(exc)) from None
    raw_ids = _dict(top.get("next_ids", {}), "next_ids")
    next_ids = {
        kind: _integer(raw_ids.get(kind, 1), f"next_ids.{kind}", minimum=1)
        for kind in ("notes", "highlights")
    }
    return Snapshot(articles, review, dict(settings), next_ids)


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
    return {
        "article_id": aid,
        "position": _integer(doc.get("position"), f"{where}.position"),
        "progress": doc["progress"],
        "seconds_read": doc["seconds_read"],
        "last_read": _string(doc.get("last_read"), f"{where}.last_read", optional=True),
        "finished": finished,
    }


def _check_review(
    value: object,
    where: str,
    articles: set[str],
    note_ids: Mapping[int, str],
    highlight_ids: Mapping[int, str],
) -> dict[str, Any]:
    from fsrs import Card

    doc = _dict(value, where)
    card = _string(doc.get("card"), f"{where}.card")
    aid = _string(doc.get("article_id"), f"{where}.article_id")
    assert card is not None and aid is not None
    if aid not in articles:
        raise _fail(f"{where}.article_id", f"article {aid} is not in the export")
    try:
        kind, key_article, ref, _ = parse_card_id(card)
    except ValueError as exc:
        raise _fail(f"{where}.card", str(exc)) from None
    owner = {"note": note_ids.get(ref), "highlight": highlight_ids.get(ref), "key": key_article}
    if owner[kind] != aid:
        raise _fail(f"{where}.card", f"card {card} has no passage of article {aid} in the export")
    due = _number(doc.get("due"), f"{where}.due")
    state = _dict(doc.get("state"), f"{where}.state")
    try:
        Card.from_dict(state)  # type: ignore[arg-type]
    except (KeyError, ValueError, TypeError) as exc:
        raise _fail(f"{where}.state", f"not a review schedule ({exc})") from None
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
    )
    for aid, tags in retag.items():
        library.set_tags(aid, tags)
    report.notes_added, report.highlights_added = len(notes), len(highlights)
    report.review_states, report.settings = len(review), len(settings)
    return report
