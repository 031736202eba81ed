"""Reading progress that reaches the disk eventually, whatever the disk says right now.

A full disk or an unwritable folder must not end the app, and must not lose where the
reader is: the app keeps every position it could not write (read-only window, a save
that failed) here, in memory, and writes it on the next try — the reading screen's
once-a-second tick, the app's poll, leaving an article, quitting. Only the latest
position of an article is kept, with the reading time of every failed try added up.

The reader hears about it once when saving starts failing, not once a second, and once
more when a save succeeds again. Store calls stay on the UI thread (every caller is).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.ui.text import one_line

if TYPE_CHECKING:
    from reader.store import Library

Notify = Callable[[str, bool], None]
"""(message, is_error): how the keeper speaks to the reader."""


@dataclass
class Unsaved:
    title: str
    position: int
    progress: float
    seconds_read: float
    finished: bool | None
    furthest: float | None = None
    anchor: int | None = None


class ProgressKeeper:
    def __init__(self, library: Library, notify: Notify) -> None:
        self.library = library
        self._notify = notify
        self._unsaved: dict[str, Unsaved] = {}
        self.problem: str | None = None
        """What the last failed save said, until one succeeds again."""

    def save(
        self,
        article_id: str,
        *,
        title: str,
        position: int,
        progress: float,
        seconds_read: float,
        finished: bool | None,
        furthest: float | None = None,
        anchor: int | None = None,
    ) -> bool:
        """Write this position (and any kept ones); True if this one is on disk now."""
        kept = self._unsaved.get(article_id)
        if kept is not None:
            seconds_read += kept.seconds_read
            finished = kept.finished if finished is None else finished
            if kept.furthest is not None:
                furthest = max(kept.furthest, progress if furthest is None else furthest)
        self._unsaved[article_id] = Unsaved(
            title, position, progress, seconds_read, finished, furthest, anchor
        )
        self.flush()
        return article_id not in self._unsaved

    def kept_position(self, article_id: str) -> int | None:
        """The position not yet on disk, which beats the stored one when reopening."""
        kept = self._unsaved.get(article_id)
        return None if kept is None else kept.position

    def is_kept(self, article_id: str) -> bool:
        return article_id in self._unsaved

    @property
    def pending(self) -> bool:
        return bool(self._unsaved)

    def flush(self) -> bool:
        """Try every kept position once; True when none is left."""
        from reader.store import NotFound, StoreError

        if not self._unsaved or self.library.read_only:
            return not self._unsaved
        for article_id, kept in list(self._unsaved.items()):
            try:
                self.library.save_progress(
                    article_id,
                    position=kept.position,
                    progress=kept.progress,
                    seconds_read=kept.seconds_read,
                    finished=kept.finished,
                    furthest=kept.furthest,
                    anchor=kept.anchor,
                )
            except NotFound:
                pass  # deleted (by another window, say): no article to keep a place in
            except StoreError as error:
                self._failed(error)
                return False
            del self._unsaved[article_id]
        if self.problem is not None:
            self.problem = None
            self._notify("Reading position saved again.", False)
        return True

    def _failed(self, error: Exception) -> None:
        said = self.problem is not None
        self.problem = one_line(str(error)).rstrip(".") or type(error).__name__
        if not said:
            self._notify(
                f"Reading position not saved: {self.problem}; it is kept and retried.", True
            )

    def unsaved_report(self) -> str | None:
        """For the terminal after quitting: what did not reach the disk, and why."""
        if not self._unsaved:
            return None
        titles = ", ".join(f"“{one_line(k.title, 'Untitled')}”" for k in self._unsaved.values())
        if self.library.read_only:
            why = "this window was read-only (another reader had the library open)"
        else:
            why = self.problem or "the save failed"
        return f"reader: the reading position in {titles} was not saved: {why}."
