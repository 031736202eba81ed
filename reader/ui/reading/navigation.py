"""Moving through the text: sentence by sentence, by page, jumps and the way back, mentions."""

from __future__ import annotations

from collections.abc import Callable

from reader.ui.reading.base import ReadingBase


class NavigationMixin(ReadingBase):
    def action_move(self, step: int) -> None:
        if not self.view.cursor_visible():
            # After scrolling with the wheel, the cursor resumes from what is on screen.
            self._move_to(self.view.first_visible_sentence())
            return
        self._move_to(self.view.cursor + step)

    def action_page(self, direction: int) -> None:
        self.view.page(direction)
        self._after_move()

    def action_top(self) -> None:
        self._jump_to(0)

    def action_bottom(self) -> None:
        self._jump_to(len(self.view.sentences) - 1)

    def action_jump_back(self) -> None:
        self._jump_back(self.jumps.back)

    def action_jump_toggle(self) -> None:
        self._jump_back(self.jumps.toggle)

    def _jump_back(self, way: Callable[[int], int | None]) -> None:
        target = way(self.view.cursor_span[0])
        if target is None:
            self.notify("No jump to go back to.", severity="warning")
            return
        self._cancel_selection()
        self.view.move_cursor(self.view.sentence_at(target), top=True)
        self._after_move(jump=True)

    def action_mention(self, direction: int) -> None:
        if not self.view.mentions:
            self.notify("Choose an entity first (press 1).", severity="warning")
            return
        start, end = self.view.cursor_span
        anchor = self._last_mention
        if anchor is not None and start <= anchor[0] < max(end, start + 1):
            origin = anchor[0]
        else:
            origin = start - 1 if direction > 0 else start
        mention = self.view.mention_after(origin, direction)
        if mention is None:
            return
        self._last_mention = mention
        self._jump_to(self.view.sentence_at(mention[0]))
        self._last_mention = mention

    def action_sideways(self, direction: int) -> None:
        if not self.view.scroll_sideways(direction):
            self.notify("No wide code or table on screen.", severity="warning")

    def jump_to(self, offset: int) -> None:
        """Put the cursor on the sentence holding `offset` (from the summary or a search)."""
        self._restore_offset = offset
        self._cancel_selection()
        self._jump_to(self.view.sentence_at(offset), top=True)
        # Until the analysis lands, the sentences are provisional: let it re-aim the cursor.
        self._user_moved = self.analysis is not None
        self.view.focus()
