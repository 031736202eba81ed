"""Chapters: the contents dialog (`c`) and stepping from chapter to chapter (`}`, `{`).

Each is a jump, as `g` and `G` are: the cursor moves and the jump list remembers where
from, while the bookmark stays where the reader read.
"""

from __future__ import annotations

import bisect

from reader.ui.reading.navigation import NavigationMixin

NO_CHAPTERS = "This text has no chapters."


class ChaptersMixin(NavigationMixin):
    def _chapter_sentence(self, index: int) -> int:
        """The first sentence at or after the chapter's start."""
        starts = [start for start, _ in self.view.sentences]
        found = bisect.bisect_left(starts, self.chapter_spans[index][0])
        return max(0, min(found, len(starts) - 1))

    def _go_to_chapter(self, index: int) -> None:
        self._cancel_selection()
        self._jump_to(self._chapter_sentence(index), top=True)

    def chapter_shares(self) -> list[float]:
        """Each chapter's part of the book's words."""
        total = max(1, self.words.total)
        return [
            (self.words.words_before(end) - self.words.words_before(start)) / total
            for start, end in self.chapter_spans
        ]

    def action_contents(self) -> None:
        from reader.ui.dialogs.contents import ContentsDialog

        current = self.chapter_index()
        if current is None:
            self.notify(NO_CHAPTERS, severity="warning")
            return

        def chosen(index: int | None) -> None:
            if index is not None:
                self._go_to_chapter(index)

        dialog = ContentsDialog(self.chapters, self.chapter_shares(), current)
        self.app.push_screen(dialog, chosen)

    def action_chapter(self, step: int) -> None:
        current = self.chapter_index()
        if current is None:
            self.notify(NO_CHAPTERS, severity="warning")
            return
        target = current + step
        if not 0 <= target < len(self.chapters):
            last = "last" if step > 0 else "first"
            self.notify(f"This is the {last} chapter.", severity="warning")
            return
        self._go_to_chapter(target)
