"""Exports: a lossless JSON snapshot of the reader's work, and Markdown notes per article.

JSON (`export_json`) holds everything the app knows about the reader's work, so that
`reader import-notes` into an empty home restores it exactly::

    {
      "format": "reader-export", "version": 1,
      "articles": [{
          "id", "title", "author", "published", "source", "url", "origin", "added_at",
          "tags", "words",
          "content": {title, author, published, source, url, site, lang,  # Article.to_dict()
                      text, blocks, marks, links},
          "progress": {position, progress, seconds_read, last_read, finished} | null,
          "notes": [{id, start, end, text, created_at, updated_at}],
          "highlights": [{id, start, end, note, created_at, updated_at}]
      }],
      "review": [{card, article_id, due, state}],     # state: fsrs Card.to_dict()
      "settings": {key: value},
      "next_ids": {"notes": n, "highlights": m},
      "entity_corrections": [{name, label, hidden, updated_at}]   # only when there are any
    }

It deliberately carries no time of export (nor any other value of the moment), so
export → import into an empty home → export gives byte-identical files; every stored date
(added, last read, note times, review due dates) is restored as it was. Articles come in
library order, notes and highlights in text order, review states by card id, settings by
key. Analyses, key-sentence lists and the search index are derived and left out.

An export must always import, or it is no backup. So the reader's own text (the index title,
origin, tags, notes) is written as `import-notes` keeps it: control characters removed as
`reader add` removes them, and a lone surrogate (left by an undecodable file name in an old
home) as U+FFFD, which is also what lets the file be written as UTF-8 at all. An article
whose text cannot be loaded, or holds what import-notes refuses (control characters the
parsers never leave), is left out and named in `notices`, so one damaged file costs one
article, not the whole export.

Markdown (`export_markdown`) writes one Obsidian-friendly file per article: YAML front
matter (title, author, source, date, tags, url when known, reader_id), the summary (the key
sentences of the cached analysis, in text order; left out when the article was never
analysed, unless an `analyze` function is given), the highlights as block quotes with
their notes under them, then the notes with the sentence each is on. File names are slugs
of the titles, made unique within the export ("-2", "-3", ...). Nothing written to a page
holds a control character but newline and tab: an ESC in a clipped title would otherwise
recolour the terminal of whoever `cat`s the file, and the front matter stays valid YAML.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from reader.article.document import by_chapter
from reader.article.inputs import clean_text
from reader.store.errors import DamagedFile, NotFound, StoreError, printable
from reader.store.plain_json import mend
from reader.store.records import HighlightRecord, NoteRecord, clean_tags

if TYPE_CHECKING:
    from reader.article import Article
    from reader.article.document import Chapter
    from reader.nlp.analysis import Analysis
    from reader.store.library import Library
    from reader.store.records import ArticleRecord

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "SkippedArticles",
    "clean_user_text",
    "content_problem",
    "dumps",
    "export_json",
    "export_markdown",
    "resolve_ids",
    "slugify",
    "user_tags",
]

EXPORT_FORMAT = "reader-export"
EXPORT_VERSION = 1

# What no text written by reader's parsers holds: C0 and C1 controls but tab and newline,
# and lone surrogates (undecodable bytes smuggled into a str).
_RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


class SkippedArticles(StoreError):
    """Articles were left out of a Markdown export whose caller asked for no notices;
    the others were written. str() is one line naming the first."""


def clean_user_text(text: str) -> str:
    """The reader's own text as exports write it and import-notes keeps it.

    The same cleaning `reader add` applies, so a note pasted with colour codes reads the
    same everywhere; idempotent, so export -> import -> export is byte-identical.
    """
    return mend(clean_text(text))


def user_tags(tags: Iterable[str]) -> list[str]:
    """Tags cleaned like the rest of the reader's text, in their one stored form."""
    return clean_tags(clean_user_text(tag) for tag in tags if isinstance(tag, str))


def content_problem(article: Article) -> str | None:
    """Why an article's text cannot be exported or imported as it is, or None.

    The text cannot be cleaned on the way (its offsets and its id, the content hash,
    would move), so text holding what the parsers never leave is refused instead.
    """
    values = [article.title, article.author, article.published, article.source, article.url]
    values += [article.site, article.lang, *(link.href for link in article.links)]
    for value in [*values, article.text]:
        if value is not None and _RAW.search(value):
            return "its text holds control characters or broken characters reader never writes"
    if not article.text.strip():
        return "the article has no text"
    return None


def _one_line(text: str) -> str:
    return " ".join(mend(text).split())


def why_unreadable(exc: StoreError) -> str:
    """What went wrong with a text, from the store's own exception chain."""
    cause = exc.__cause__
    if isinstance(cause, FileNotFoundError):
        return "it is missing from the library folder"
    if isinstance(cause, OSError):
        return f"it cannot be read ({cause.strerror or cause})"
    if cause is not None and str(cause):
        return str(cause)
    return str(exc)


def skipped_notice(record: ArticleRecord, why: str, what: str) -> str:
    """One line naming the article left out of `what` and what to do about it."""
    return (
        f"Left “{_one_line(record.title)}” ({record.id}) out of {what}: {why}. "
        "Add the article again to restore its text; its notes and progress are kept."
    )


def load_text(
    library: Library, record: ArticleRecord, notices: list[str], what: str
) -> Article | None:
    """The article's text, or None with a notice when it is damaged or missing.

    NotFound (deleted meanwhile) is skipped without a word: there is nothing to restore.
    """
    try:
        return library.load_article(record.id)
    except NotFound:
        return None
    except DamagedFile as exc:
        notices.append(skipped_notice(record, why_unreadable(exc), what))
        return None


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


def _mend_all(value: Any) -> Any:
    """`value` with every string (keys too) free of lone surrogates; for stored values
    (settings, review states) whose shape the export does not know."""
    if isinstance(value, str):
        return mend(value)
    if isinstance(value, dict):
        return {mend(str(k)): _mend_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mend_all(v) for v in value]
    return value


def _opt(value: str | None) -> str | None:
    return None if value is None else mend(value)


def _note_dict(note: NoteRecord) -> dict[str, Any]:
    return {
        "id": note.id,
        "start": note.start,
        "end": note.end,
        "text": clean_user_text(note.text),
        "created_at": mend(note.created_at),
        "updated_at": mend(note.updated_at),
    }


def _highlight_dict(highlight: HighlightRecord) -> dict[str, Any]:
    return {
        "id": highlight.id,
        "start": highlight.start,
        "end": highlight.end,
        "note": clean_user_text(highlight.note),
        "created_at": mend(highlight.created_at),
        "updated_at": mend(highlight.updated_at),
    }


def export_json(
    library: Library, ids: Sequence[str] | None = None, *, notices: list[str] | None = None
) -> dict[str, Any]:
    """The snapshot described in the module doc (all articles, or those `ids`).

    With a `notices` list, an article whose text is damaged or missing is left out and
    named there, and the rest is exported; without one, such an article raises its
    DamagedFile (a snapshot silently short of an article must never pass for a backup).
    """
    records = resolve_ids(library, ids)
    skipped: list[str] = []
    articles: list[dict[str, Any]] = []
    exported: set[str] = set()
    for record in records:
        if notices is None:
            article: Article | None = library.load_article(record.id)
        else:
            article = load_text(library, record, skipped, "the export")
        if article is None:
            continue
        wrong = content_problem(article)
        if wrong is not None:
            skipped.append(
                f"Left “{_one_line(record.title)}” ({record.id}) out of the export: {wrong}, "
                "so import-notes would refuse it. Add the original file again to store a "
                "clean copy."
            )
            continue
        progress = library.progress_doc(record.id)
        if progress is not None:
            progress = {
                key: progress.get(key)
                for key in ("position", "progress", "seconds_read", "last_read", "finished")
            } | {
                key: progress[key]
                for key in ("furthest", "anchor", "read_elsewhere")
                if key in progress
            }
            if isinstance(progress["last_read"], str):
                progress["last_read"] = mend(progress["last_read"])
        exported.add(record.id)
        articles.append(
            {
                "id": record.id,
                "title": clean_user_text(record.title),
                "author": _opt(record.author),
                "published": _opt(record.published),
                "source": _opt(record.source),
                "url": article.url,
                "origin": None if record.origin is None else clean_user_text(record.origin),
                "added_at": mend(record.added_at),
                "tags": user_tags(record.tags),
                "words": record.words,
                "content": article.to_dict(),
                "progress": progress,
                "notes": [_note_dict(n) for n in library.notes(record.id)],
                "highlights": [_highlight_dict(h) for h in library.highlights(record.id)],
            }
        )
    if skipped and notices is None:
        raise StoreError(skipped[0])
    if notices is not None:
        notices.extend(skipped)
    review = [
        {
            "card": s.card_id,
            "article_id": s.article_id,
            "due": s.due,
            "state": _mend_all(s.state),
        }
        for s in library.review_states()
        if s.article_id in exported and math.isfinite(s.due)
    ]
    counters = library.id_counters()
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "articles": articles,
        "review": review,
        "settings": _mend_all(library.all_settings()),
        "next_ids": {"notes": counters["notes"], "highlights": counters["highlights"]},
        **_entity_corrections(library),
    }


def _entity_corrections(library: Library) -> dict[str, Any]:
    """The reader's retyped and hidden names; no key at all when there are none."""
    docs = sorted(
        (_mend_all(c.to_doc()) for c in library.entity_corrections().values()),
        key=lambda d: (d["name"].casefold(), d["name"]),
    )
    return {"entity_corrections": docs} if docs else {}


def dumps(snapshot: dict[str, Any], *, ascii_only: bool = False) -> str:
    """The one serialisation used for files: stable, readable, UTF-8 kept as is.

    `ascii_only` escapes everything beyond ASCII, for a stream that cannot take UTF-8
    (a terminal in a legacy locale): the same JSON, readable by import-notes.
    """
    return json.dumps(snapshot, ensure_ascii=ascii_only, indent=2, allow_nan=False) + "\n"


# ---------------------------------------------------------------------------- Markdown

_SLUG_DROP = re.compile(r"[^\w\s-]")
_SLUG_GAP = re.compile(r"[-\s_]+")


def slugify(title: str, *, max_length: int = 80) -> str:
    """A file-name-safe slug: accents folded, lower case, words joined by '-'."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = _SLUG_GAP.sub("-", _SLUG_DROP.sub("", folded).strip().lower()).strip("-")
    slug = slug[:max_length].rstrip("-")
    return slug or "untitled"


def _md(text: str) -> str:
    """Text as a Markdown page may hold it: no control character but newline and tab."""
    return clean_user_text(text)


def _md_line(text: str) -> str:
    """A heading or list item: one line, whatever the stored text held."""
    return " ".join(_md(text).split())


def _yaml_str(value: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML; this keeps it one line).

    Cleaned first: JSON leaves C1 controls, U+2028 and U+FEFF as they are, and YAML
    forbids the first and reads the others as line breaks or stray marks.
    """
    return json.dumps(_md(value), ensure_ascii=False)


def _quote(text: str) -> str:
    lines = [" ".join(line.split()) for line in _md(text).strip().split("\n")]
    return "\n".join(f"> {line}" if line else ">" for line in lines)


def _front_matter(record: ArticleRecord, url: str | None) -> list[str]:
    lines = ["---", f"title: {_yaml_str(record.title)}"]
    if record.author:
        lines.append(f"author: {_yaml_str(record.author)}")
    if record.source:
        lines.append(f"source: {_yaml_str(record.source)}")
    if record.published:
        lines.append(f"date: {_yaml_str(record.published)}")
    lines.append("tags: [" + ", ".join(_yaml_str(t) for t in user_tags(record.tags)) + "]")
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
    chapters: Sequence[Chapter] = (),
) -> str:
    """One article's Markdown page (see the module doc for its sections). A book's or
    paper's highlights and notes are grouped under their chapters' titles, in order."""
    out = _front_matter(record, url)
    out += ["", f"# {_md_line(record.title)}", ""]
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
        out += [f"- {_md_line(text[s.start : s.end])}" for s in spans]
        out.append("")
    marked = list(highlights)
    if marked:
        out += ["## Highlights", ""]
        for chapter, highlight in _by_chapter(marked, chapters):
            out += _chapter_heading(chapter)
            out += _passage(text, highlight)
            note = _md(highlight.note).strip()
            if note:
                out += [note, ""]
    written = list(notes)
    if written:
        out += ["## Notes", ""]
        for chapter, note_record in _by_chapter(written, chapters):
            out += _chapter_heading(chapter)
            out += _passage(text, note_record)
            out += [_md(note_record.text).strip(), ""]
    return "\n".join(out).rstrip() + "\n"


M = TypeVar("M", HighlightRecord, NoteRecord)


def _by_chapter(marks: list[M], chapters: Sequence[Chapter]) -> Iterator[tuple[str | None, M]]:
    """The marks in text order, each with its chapter's heading when it opens one; the
    detached, which have no place, come last."""
    ordered = sorted(marks, key=lambda m: (m.detached, m.start, m.end))
    return by_chapter(
        ordered,
        lambda m: None if m.detached else m.start,
        chapters,
        placeless="Passages no longer in the text",
    )


def _chapter_heading(title: str | None) -> list[str]:
    return [] if title is None else [f"### {_md_line(title)}", ""]


def _passage(text: str, record: HighlightRecord | NoteRecord) -> list[str]:
    """The quoted passage; a detached one's saved quote, said to be no longer in the text."""
    if record.detached:
        return [
            _quote(record.quote),
            "",
            "*(This passage is no longer in the article's text.)*",
            "",
        ]
    return [_quote(text[record.start : record.end]), ""]


def export_markdown(
    library: Library,
    out_dir: Path,
    ids: Sequence[str] | None = None,
    *,
    analyze: Callable[[str], Analysis] | None = None,
    notices: list[str] | None = None,
) -> list[Path]:
    """Write one .md file per article into `out_dir` (created); returns the paths.

    Summaries come from the analysis cache; `analyze` (e.g. the real analyzer) fills in
    articles never analysed. Files of an earlier export with the same names are
    replaced; other files in the folder are left alone. An article whose text is damaged
    or missing is left out and the rest written: named in `notices` when given, else
    reported afterwards by SkippedArticles (a StoreError), so a caller that only knows
    StoreError still tells the reader. An OSError (the folder or a file cannot be
    written) names the file in its `filename`.
    """
    from reader.nlp.analyzer import ANALYZER_VERSION, call_analyzer
    from reader.nlp.cache import AnalysisCache

    records = resolve_ids(library, ids)
    out_dir.mkdir(parents=True, exist_ok=True)
    cache = AnalysisCache(library.cache_dir, ANALYZER_VERSION)
    used: set[str] = set()
    written: list[Path] = []
    skipped: list[str] = []
    for record in records:
        article = load_text(library, record, skipped, "the Markdown export")
        if article is None:
            continue
        text = article.text
        prose = article.prose_spans()
        analysis = cache.get(text, prose)
        if analysis is None and analyze is not None:
            analysis = call_analyzer(analyze, text, prose=prose)
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
            article.table_of_contents(),
        )
        path.write_bytes(page.encode("utf-8"))
        written.append(path)
    if notices is not None:
        notices.extend(skipped)
    elif skipped:
        more = f" ({len(skipped) - 1} more left out too)" if len(skipped) > 1 else ""
        raise SkippedArticles(
            f"{skipped[0]}{more} The other {len(written)} were exported to {printable(out_dir)}."
        )
    return written
