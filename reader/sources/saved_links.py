"""The saved links of read-it-later apps (Pocket, Instapaper), read from their exports.

An export is a list of bookmarks, not of articles: the pages themselves are fetched later
(or never, offline), so this module only reads what the export says about each link (when it
was saved, its tags, whether it was read, Instapaper's highlighted selection) and fetches
nothing.

Bad input is handled at two levels. A file that is not the export at all (another CSV, a
binary file, a clippings file, a header without the columns the format needs) raises
`InputError` with one line, so nothing is imported from a wrong guess. A single bad row in a
good export (no URL, an address that is not a web page, a second copy of a link) is skipped
and its reason kept in `SavedLinks.skipped`, so one damaged line does not cost the user the
other thousand links. Rows are numbered as a spreadsheet shows them (the header is row 1),
lines of the HTML export as an editor shows them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Literal
from urllib.parse import urlsplit

from reader.article.inputs import InputError, decode_bytes

__all__ = ["SavedLink", "SavedLinks", "read_instapaper", "read_pocket"]

Status = Literal["unread", "archived"]

_POCKET_COLUMNS = ("title", "url", "time_added", "tags", "status")
_INSTAPAPER_COLUMNS = ("URL", "Title", "Selection", "Folder")
_SPACE = re.compile(r"\s+")
_BAD_URL_CHARACTER = re.compile(r"[\s\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class SavedLink:
    """One saved link. `added` is when it was saved, ISO 8601 in UTC to the second (the
    store's own form), or None when the export does not say. `title` is None when the export
    has none (or only repeats the URL), so the fetched page's own title can stand."""

    url: str
    title: str | None
    added: str | None
    tags: tuple[str, ...] = ()
    status: Status = "unread"
    starred: bool = False
    selection: str | None = None


@dataclass(frozen=True, slots=True)
class SavedLinks:
    """What an export held: its links in file order, and one line per row left out."""

    links: list[SavedLink] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_pocket(data: bytes, name: str = "Pocket export") -> SavedLinks:
    """Pocket's CSV export (title,url,time_added,tags,status) or its older ril_export.html."""
    text = decode_bytes(data, name)
    if text.lstrip().startswith("<"):
        return _read_pocket_html(text, name)
    rows, header = _csv_rows(text, name)
    columns = _columns(header)
    if "url" not in columns or "time_added" not in columns:
        raise InputError(name, _not_format("a Pocket export", header, _POCKET_COLUMNS))
    out = _Collector()
    for number, row in rows:
        status_text = _cell(row, columns, "status").casefold()
        out.add(
            number,
            url=_cell(row, columns, "url"),
            title=_cell(row, columns, "title"),
            added=_timestamp(_cell(row, columns, "time_added")),
            tags=_cell(row, columns, "tags").split("|"),
            # Anything but "archive" (a status Pocket may add later) keeps the link unread:
            # an unread link is still found, a wrongly archived one is lost from view.
            status="archived" if status_text in {"archive", "archived", "read"} else "unread",
        )
    return out.result()


def read_instapaper(data: bytes, name: str = "Instapaper export") -> SavedLinks:
    """Instapaper's CSV export: URL,Title,Selection,Folder, and in newer exports Timestamp
    and Tags.

    `Folder` is the status for Instapaper's own folders (Unread; Archive; Starred, which
    is archived and starred, as wallabag's importer reads it too) and a tag for the user's.
    """
    text = decode_bytes(data, name)
    rows, header = _csv_rows(text, name)
    columns = _columns(header)
    if "url" not in columns or "folder" not in columns:
        raise InputError(name, _not_format("an Instapaper export", header, _INSTAPAPER_COLUMNS))
    out = _Collector()
    for number, row in rows:
        folder = _SPACE.sub(" ", _cell(row, columns, "folder")).strip()
        tags = _instapaper_tags(_cell(row, columns, "tags"))
        kind = folder.casefold()
        if kind and kind not in {"unread", "archive", "starred"}:
            tags.insert(0, folder)
        out.add(
            number,
            url=_cell(row, columns, "url"),
            title=_cell(row, columns, "title"),
            added=_timestamp(_cell(row, columns, "timestamp")),
            tags=tags,
            status="archived" if kind in {"archive", "starred"} else "unread",
            starred=kind == "starred",
            selection=_SPACE.sub(" ", _cell(row, columns, "selection")).strip() or None,
        )
    return out.result()


class _Collector:
    """Links checked one row at a time: a bad row is skipped with its reason, a second
    copy of a URL is skipped in favour of the first."""

    def __init__(self) -> None:
        self.links: list[SavedLink] = []
        self.skipped: list[str] = []
        self._seen: dict[str, str] = {}

    def add(
        self,
        where: str,
        *,
        url: str,
        title: str,
        added: str | None,
        tags: list[str],
        status: Status,
        starred: bool = False,
        selection: str | None = None,
    ) -> None:
        url = url.strip()
        problem = _url_problem(url)
        if problem:
            self.skipped.append(f"{where}: {problem}")
            return
        if url in self._seen:
            self.skipped.append(f"{where}: the same URL as {self._seen[url]}")
            return
        self._seen[url] = where
        title = _SPACE.sub(" ", title).strip()
        link = SavedLink(
            url=url,
            title=title if title and title != url else None,
            added=added,
            tags=_tags(tags),
            status=status,
            starred=starred,
            selection=selection,
        )
        self.links.append(link)

    def result(self) -> SavedLinks:
        return SavedLinks(self.links, self.skipped)


def _url_problem(url: str) -> str | None:
    if not url:
        return "no URL"
    shown = url if len(url) <= 60 else url[:57] + "..."
    if _BAD_URL_CHARACTER.search(url):
        return f"not a web address ({shown!r})"
    try:
        parts = urlsplit(url)
    except ValueError:
        return f"not a web address ({shown!r})"
    if parts.scheme.casefold() not in {"http", "https"} or not parts.hostname:
        return f"not a web address ({shown!r})"
    return None


def _tags(tags: list[str]) -> tuple[str, ...]:
    """Tags as written, blanks and repeats dropped (repeats compared case-blind)."""
    seen: set[str] = set()
    out = []
    for tag in tags:
        tag = _SPACE.sub(" ", tag).strip()
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            out.append(tag)
    return tuple(out)


def _instapaper_tags(cell: str) -> list[str]:
    """Newer exports write tags as a JSON list ('["a", "b"]'); a plain list is split on commas."""
    cell = cell.strip()
    if cell.startswith("["):
        try:
            value = json.loads(cell)
        except ValueError:
            value = None
        if isinstance(value, list):
            # Each tag a string, or an object with its "name" (as the API writes them).
            names = [v.get("name") if isinstance(v, dict) else v for v in value]
            return [n for n in names if isinstance(n, str)]
    return cell.split(",") if cell else []


def _timestamp(cell: str) -> str | None:
    """A Unix timestamp as ISO 8601 UTC; None when it is missing or no plausible date."""
    cell = cell.strip()
    if not cell.isdigit() or not 0 < int(cell) < 32503680000:  # before the year 3000
        return None
    return datetime.fromtimestamp(int(cell), UTC).isoformat(timespec="seconds")


def _csv_rows(text: str, name: str) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """The header and the data rows with their spreadsheet row numbers ("row 2" is the first
    data row); blank lines are not rows. A file the csv module cannot read is refused."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[str, list[str]]] = []
    header: list[str] | None = None
    number = 0
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            number += 1
            if header is None:
                header = row
            else:
                rows.append((f"row {number}", row))
    except csv.Error as exc:
        raise InputError(name, f"row {number + 1}: not readable as CSV ({exc})") from None
    return rows, header or []


def _columns(header: list[str]) -> dict[str, int]:
    """Column names, case-blind, to their positions (the first of a repeated name wins)."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        columns.setdefault(cell.strip().casefold(), index)
    return columns


def _cell(row: list[str], columns: dict[str, int], column: str) -> str:
    index = columns.get(column)
    return row[index] if index is not None and index < len(row) else ""


def _not_format(what: str, header: list[str], expected: tuple[str, ...]) -> str:
    """The refusal, with a hint when the file is the other app's export."""
    columns = _columns(header)
    if "url" in columns and "time_added" in columns:
        return f"not {what} (it looks like a Pocket export: import it with `pocket`)"
    if "url" in columns and "folder" in columns:
        return f"not {what} (it looks like an Instapaper export: import it with `instapaper`)"
    return f"not {what} (expected a CSV file with the columns {','.join(expected)})"


class _PocketPage(HTMLParser):
    """ril_export.html: <h1>Unread</h1> and <h1>Read Archive</h1>, each over a list of
    <a href time_added tags> links. The standard library's parser is forgiving enough for
    it and costs nothing at start-up."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.section: str | None = None
        self.titled_pocket = False
        self.anchors: list[tuple[int, str | None, dict[str, str], str]] = []
        self._heading: list[str] | None = None
        self._title: list[str] | None = None
        self._anchor: tuple[int, dict[str, str]] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h1":
            self._heading = []
        elif tag == "title":
            self._title = []
        elif tag == "a":
            values = {key: value or "" for key, value in attrs}
            self._anchor = (self.getpos()[0], values)
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1" and self._heading is not None:
            self.section = _SPACE.sub(" ", "".join(self._heading)).strip()
            self._heading = None
        elif tag == "title" and self._title is not None:
            self.titled_pocket = "pocket" in "".join(self._title).casefold()
            self._title = None
        elif tag == "a" and self._anchor is not None:
            line, attrs = self._anchor
            self.anchors.append((line, self.section, attrs, "".join(self._text)))
            self._anchor = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)
        if self._title is not None:
            self._title.append(data)
        if self._anchor is not None:
            self._text.append(data)


def _read_pocket_html(text: str, name: str) -> SavedLinks:
    page = _PocketPage()
    page.feed(text)
    page.close()
    marked = any("time_added" in attrs for _, _, attrs, _ in page.anchors)
    sections = {(s or "").casefold() for _, s, _, _ in page.anchors} | {
        (page.section or "").casefold()
    }
    if not (marked or page.titled_pocket or sections & {"unread", "read archive"}):
        raise InputError(name, "not a Pocket export (expected ril_export.html or Pocket's CSV)")
    out = _Collector()
    for line, section, attrs, title in page.anchors:
        heading = (section or "").casefold()
        archived = heading != "unread" and ("archive" in heading or "read" in heading)
        out.add(
            f"line {line}",
            url=attrs.get("href", ""),
            title=title,
            added=_timestamp(attrs.get("time_added", "")),
            tags=attrs.get("tags", "").split(","),
            status="archived" if archived else "unread",
        )
    return out.result()
