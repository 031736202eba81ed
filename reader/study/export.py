"""Exports: a lossless JSON snapshot of the reader's work, and Markdown notes per article.

JSON (`export_json`) holds everything the app knows about the reader's work, so that
`reader import-notes` into an empty home restores it exactly::

    {
      "format": "reader-export", "version": 1,
      "articles": [{
          "id", "title", "author", "published", "source", "url", "origin", "added_at",
          "tags", "words",
          "content": {title, author, published, source, url, paragraphs},  # Article.to_dict()
          "progress": {position, progress, seconds_read, last_read, finished} | null,
          "notes": [{id, start, end, text, created_at, updated_at}],
          "highlights": [{id, start, end, note, created_at, updated_at}]
      }],
      "review": [{card, article_id, due, state}],     # state: fsrs Card.to_dict()
      "settings": {key: value},
      "next_ids": {"notes": n, "highlights": m}
    }

It deliberately carries no time of export (nor any other value of the moment), so
export → import into an empty home → export gives byte-identical files; every stored date
(added, last read, note times, review due dates) is restored as it was. Articles come in
library order, notes and highlights in text order, review states by card id, settings by
key. Analyses, key-sentence lists and the search index are derived and left out.

Markdown (`export_markdown`) writes one Obsidian-friendly file per article: YAML front
matter (title, author, source, date, tags, url when known, reader_id), the summary (the key
sentences of the cached analysis, in text order; left out when the article was never
analysed, unless an `analyze` function is given), the highlights as block quotes with
their notes under them, then the notes with the sentence each is on. File names are slugs
of the titles, made unique within the export ("-2", "-3", ...).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.store.errors import NotFound

if TYPE_CHECKING:
    from reader.nlp.analysis import Analysis
    from reader.store.library import Library
    from reader.store.records import ArticleRecord, HighlightRecord, NoteRecord

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "dumps",
    "export_json",
    "export_markdown",
    "resolve_ids",
    "slugify",
]

EXPORT_FORMAT = "reader-export"
EXPORT_VERSION = 1


def resolve_ids(library: Library, ids: Sequence[str] | None) -> list[ArticleRecord]:
    """The records to export, in library order; NotFound naming the first unknown id.

    None means every article. Ids may be given as unique prefixes (at least 4 hex digits),
    as `reader list` shows them in full but people type them short.
    """
    records = library.articles()
    if ids is None:
        return records
    chosen: dict[str, ArticleRecord] = {}
    for wanted in ids:
        needle = wanted.strip().lower()
        matches = [r for r in records if r.id == needle] or (
            [r for r in records if r.id.startswith(needle)] if len(needle) >= 4 else []
        )
        if len(matches) != 1:
            why = "matches several articles" if matches else "is not in the library"
            raise NotFound(f"The article id {wanted!r} {why}; see `reader list` for ids.")
        chosen[matches[0].id] = matches[0]
    return [r for r in records if r.id in chosen]


# ---------------------------------------------------------------------------- JSON


def _note_dict(note: NoteRecord) -> dict[str, Any]:
    return {
        "id": note.id,
        "start": note.start,
        "end": note.end,
        "text": note.text,
        "created_at": note.created_at,
        "updated_at": note.updated_at,
    }


def _highlight_dict(highlight: HighlightRecord) -> dict[str, Any]:
    return {
        "id": highlight.id,
        "start": highlight.start,
        "end": highlight.end,
        "note": highlight.note,
        "created_at": highlight.created_at,
        "updated_at": highlight.updated_at,
    }


def export_json(library: Library, ids: Sequence[str] | None = None) -> dict[str, Any]:
    """The snapshot described in the module doc (all articles, or those `ids`)."""
    records = resolve_ids(library, ids)
    articles: list[dict[str, Any]] = []
    for record in records:
        article = library.load_article(record.id)
        progress = library.progress_doc(record.id)
        if progress is not None:
            progress = {
                key: progress.get(key)
                for key in ("position", "progress", "seconds_read", "last_read", "finished")
            }
        articles.append(
            {
                "id": record.id,
                "title": record.title,
                "author": record.author,
                "published": record.published,
                "source": record.source,
                "url": article.url,
                "origin": record.origin,
                "added_at": record.added_at,
                "tags": list(record.tags),
                "words": record.words,
                "content": article.to_dict(),
                "progress": progress,
                "notes": [_note_dict(n) for n in library.notes(record.id)],
                "highlights": [_highlight_dict(h) for h in library.highlights(record.id)],
            }
        )
    chosen = {r.id for r in records}
    review = [
        {"card": s.card_id, "article_id": s.article_id, "due": s.due, "state": s.state}
        for s in library.review_states()
        if s.article_id in chosen
    ]
    counters = library.id_counters()
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "articles": articles,
        "review": review,
        "settings": library.all_settings(),
        "next_ids": {"notes": counters["notes"], "highlights": counters["highlights"]},
    }


def dumps(snapshot: dict[str, Any]) -> str:
    """The one serialisation used for files: stable, readable, UTF-8 kept as is."""
    return json.dumps(snapshot, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


# ---------------------------------------------------------------------------- Markdown

_SLUG_DROP = re.compile(r"[^\w\s-]")
_SLUG_GAP = re.compile(r"[-\s_]+")


def slugify(title: str, *, max_length: int = 80) -> str:
    """A file-name-safe slug: accents folded, lower case, words joined by '-'."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = _SLUG_GAP.sub("-", _SLUG_DROP.sub("", folded).strip().lower()).strip("-")
    slug = slug[:max_length].rstrip("-")
    return slug or "untitled"


def _yaml_str(value: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML; this keeps it one line)."""
    return json.dumps(value, ensure_ascii=False)


def _quote(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.strip().split("\n")]
    return "\n".join(f"> {line}" if line else ">" for line in lines)


def _front_matter(record: ArticleRecord, url: str | None) -> list[str]:
    lines = ["---", f"title: {_yaml_str(record.title)}"]
    if record.author:
        lines.append(f"author: {_yaml_str(record.author)}")
    if record.source:
        lines.append(f"source: {_yaml_str(record.source)}")
    if record.published:
        lines.append(f"date: {_yaml_str(record.published)}")
    lines.append("tags: [" + ", ".join(_yaml_str(t) for t in record.tags) + "]")
    if url:
        lines.append(f"url: {_yaml_str(url)}")
    lines.append(f"reader_id: {_yaml_str(record.id)}")
    lines.append("---")
    return lines


def article_markdown(
    record: ArticleRecord,
    text: str,
    url: str | None,
    analysis: Analysis | None,
    highlights: Iterable[HighlightRecord],
    notes: Iterable[NoteRecord],
) -> str:
    """One article's Markdown page (see the module doc for its sections)."""
    out = _front_matter(record, url)
    out += ["", f"# {record.title}", ""]
    if analysis is not None and analysis.key_sentences:
        spans = sorted(
            (
                analysis.sentences[k.sentence]
                for k in analysis.key_sentences
                if 0 <= k.sentence < len(analysis.sentences)
            ),
            key=lambda span: span.start,
        )
        out += ["## Summary", ""]
        out += [f"- {' '.join(text[s.start : s.end].split())}" for s in spans]
        out.append("")
    marked = list(highlights)
    if marked:
        out += ["## Highlights", ""]
        for highlight in marked:
            out += [_quote(text[highlight.start : highlight.end]), ""]
            if highlight.note.strip():
                out += [highlight.note.strip(), ""]
    written = list(notes)
    if written:
        out += ["## Notes", ""]
        for note in written:
            out += [_quote(text[note.start : note.end]), "", note.text.strip(), ""]
    return "\n".join(out).rstrip() + "\n"


def export_markdown(
    library: Library,
    out_dir: Path,
    ids: Sequence[str] | None = None,
    *,
    analyze: Callable[[str], Analysis] | None = None,
) -> list[Path]:
    """Write one .md file per article into `out_dir` (created); returns the paths.

    Summaries come from the analysis cache; `analyze` (e.g. the real analyzer) fills in
    articles never analysed. Files of an earlier export with the same names are
    replaced; other files in the folder are left alone.
    """
    from reader.nlp.analyzer import ANALYZER_VERSION
    from reader.store.analysis_cache import AnalysisCache

    records = resolve_ids(library, ids)
    out_dir.mkdir(parents=True, exist_ok=True)
    cache = AnalysisCache(library.cache_dir, ANALYZER_VERSION)
    used: set[str] = set()
    written: list[Path] = []
    for record in records:
        article = library.load_article(record.id)
        text = article.text
        analysis = cache.get(text)
        if analysis is None and analyze is not None:
            analysis = analyze(text)
        base = slugify(record.title)
        name, n = base, 1
        while name.casefold() in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name.casefold())
        path = out_dir / f"{name}.md"
        page = article_markdown(
            record,
            text,
            article.url,
            analysis,
            library.highlights(record.id),
            library.notes(record.id),
        )
        path.write_text(page, encoding="utf-8")
        written.append(path)
    return written
