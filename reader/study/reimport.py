"""Reading articles again from the files they were added from, through today's sources.

Before documents kept their shape, a Markdown guide was stored as plain paragraphs: its
code joined into lines, its lists and headings flattened. The words were all kept, so the
shape can come back from the file, and the reader's notes, highlights, bookmark and review
schedules follow to the new text (reader.store.retext).

Two ways in:

* `upgrade_layouts` runs once per home, by itself (the app after opening, the commands
  that write): it re-reads only articles stored flat whose file still holds exactly the
  same words, so nothing the reader sees changes but the layout, and every note maps word
  for word.
* `reimport` is the reader asking (`reader reimport`): the file's current text replaces
  the stored one even if it was edited since; what cannot be found again is kept, marked
  detached, and counted in the report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reader.plural import counted
from reader.store.anchors import WordMap
from reader.store.errors import StoreError

if TYPE_CHECKING:
    from reader.article import Article
    from reader.store.library import Library
    from reader.store.records import ArticleRecord
    from reader.store.retext import Retexted

__all__ = ["LAYOUT_SETTING", "Reimported", "reimport", "upgrade_layouts"]

LAYOUT_SETTING = "layouts"
"""The upgrade's name, marked done once `upgrade_layouts` has looked at every article."""

# Formats whose files carry structure the old paragraphs lost; a text clip has none to give.
_STRUCTURED = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".html", ".htm", ".xhtml"})

Reader = Callable[[Path], list["Article"]]


@dataclass
class Reimported:
    """What a run did, article by article, for one summary line."""

    changed: list[Retexted] = field(default_factory=list)
    unchanged: int = 0  # read again, and the same as stored
    skipped: list[tuple[ArticleRecord, str]] = field(default_factory=list)  # and why

    @property
    def detached(self) -> int:
        return sum(r.detached for r in self.changed)

    @property
    def message(self) -> str:
        """What `upgrade_layouts` did, in one line for the reader."""
        return (
            f"{counted(len(self.changed), 'article')} added from Markdown or HTML files "
            "before this version now show their headings, lists, code and tables; their "
            "notes and highlights followed."
        )


def _words(text: str) -> list[str]:
    """The words as re-anchoring matches them (list numbers a flat text wrote are not)."""
    return WordMap(text).words


def _read(path: Path) -> list[Article]:
    from reader.sources.registry import read_path

    return read_path(path)


def _file_of(record: ArticleRecord) -> Path | None:
    """The file an article was added from: files are recorded by their absolute path, so
    a URL, stdin or an import's own origin ("kindle:Title (Author)") names none."""
    origin = record.origin
    if not origin or "://" in origin or not Path(origin).is_absolute():
        return None
    return Path(origin)


def _is_flat(article: Article) -> bool:
    return (
        not article.marks
        and not article.links
        and all(b.kind == "paragraph" for b in article.blocks)
    )


def _again(
    library: Library, record: ArticleRecord, read: Reader, *, flat_only: bool = False
) -> tuple[Article, Article] | str:
    """(stored, read again) or why the article cannot be read again. `flat_only`: only
    an article stored flat is worth reading again (its file is not parsed otherwise)."""
    from reader.article import InputError

    path = _file_of(record)
    if path is None:
        return (
            "it came from a URL"
            if "://" in (record.origin or "")
            else "it was not added from a file"
        )
    if not path.is_file():
        return f"its file {path} is gone"
    try:
        stored = library.load_article(record.id)
        if flat_only and not _is_flat(stored):
            return stored, stored
        articles = read(path)
    except StoreError as exc:
        return str(exc)
    except InputError as exc:
        return exc.problem
    if len(articles) != 1:
        return f"its file now holds {len(articles)} articles"
    return stored, articles[0]


def upgrade_layouts(library: Library, *, read: Reader = _read) -> Reimported:
    """Once per home: flat Markdown and HTML articles get their shape back from their files
    when the files hold the same words. Cheap when done already (one setting read)."""
    result = Reimported()
    if library.read_only or library.upgrade_done(LAYOUT_SETTING):
        return result
    for record in library.articles():
        path = _file_of(record)
        if path is None or path.suffix.lower() not in _STRUCTURED:
            continue
        found = _again(library, record, read, flat_only=True)
        if isinstance(found, str):
            result.skipped.append((record, found))
            continue
        stored, fresh = found
        if not _is_flat(stored) or _is_flat(fresh):
            result.unchanged += 1
        elif _words(stored.text) != _words(fresh.text):
            result.skipped.append((record, "its file has changed since it was added"))
        else:
            result.changed.append(library.replace_text(record.id, fresh))
    library.mark_upgrade_done(LAYOUT_SETTING)
    return result


def reimport(
    library: Library, records: Iterable[ArticleRecord], *, read: Reader = _read
) -> Reimported:
    """Each article's file read again, its text replaced when it differs (see module doc)."""
    result = Reimported()
    for record in records:
        found = _again(library, record, read)
        if isinstance(found, str):
            result.skipped.append((record, found))
            continue
        stored, fresh = found
        if stored.to_dict() == fresh.to_dict():
            result.unchanged += 1
            continue
        result.changed.append(library.replace_text(record.id, fresh))
    return result
