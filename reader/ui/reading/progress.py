"""Saving where the reader is: the autosave, the final save on leaving, finished or not.

Progress goes through the app's ProgressKeeper, so a save the disk refuses (or a read-only
window) keeps the position in memory and retries it instead of ending the app.
"""

from __future__ import annotations

from reader.ui.reading.base import ReadingBase


class ProgressMixin(ReadingBase):
    def action_toggle_finished(self) -> None:
        self._finished = not self._finished
        self._dirty = True
        self.save_progress()
        self.notify("Marked finished." if self._finished else "Marked not finished.")

    def _autosave(self) -> None:
        """Once a second: the new position, or another try at one the disk refused."""
        if self._dirty:
            self.save_progress()
        elif self.keeper.pending:
            self.keeper.flush()
            self._update_status()

    def save_progress(self) -> bool:
        """Write position, % read, time spent and finished; safe to call any number of times.

        False if it is not on disk yet (read-only, or the disk refused): the keeper holds
        it and tries again, so nothing the reader did is dropped.
        """
        self._dirty = False
        seconds = self.tracker.take_seconds()
        self.seconds_read += seconds
        saved = self.keeper.save(
            self.record.id,
            title=self.record.title,
            position=self.bookmark,
            progress=self._fraction_at(self.view.sentence_at(self.bookmark)),
            furthest=self.furthest,
            anchor=self.bookmark_anchor,
            seconds_read=seconds,
            finished=self._finished,
        )
        if self.is_mounted and not self._session_closed:
            self._update_status()
        return saved

    def writable_again(self) -> None:
        """The other window closed: save what this one kept while it could not."""
        if self._dirty:
            self.save_progress()
        else:
            self._update_status()

    def close_session(self) -> None:
        """Final save on leaving: progress (kept by the keeper if refused), and the reader's
        measured speed (a nicety: dropped if it cannot be written)."""
        from reader.store import StoreError

        if self._session_closed:
            return
        self._session_closed = True
        if self.library.read_only and not self._dirty:
            return  # nothing moved: no "not saved" to report for a window that only looked
        self.save_progress()
        if self.library.read_only:
            return
        wpm = self.tracker.updated_wpm()
        if abs(wpm - self.wpm) >= 0.5:
            try:
                self.library.set_setting("wpm", round(wpm, 1))
            except StoreError as error:
                self.app.log.warning(f"reading speed not saved: {error}")

    def on_unmount(self) -> None:
        self.close_session()

    def action_back(self) -> None:
        if self._anchor is not None:
            self._cancel_selection()
            return
        self.close_session()
        self.app.pop_screen()
