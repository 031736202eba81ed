"""What every part of the reading screen shares: its state, the cursor's moves and the status.

`ReadingScreen` (reader.ui.screens.reading) is assembled from one mixin per concern
(navigation, find, annotations, key_sentences, entities, analysis, sidebar, progress,
pages, links) over this base, so each of them sees the same fields, typed. What more than
one concern needs lives here: a reading move against a jump (only a reading move carries
the bookmark), the status line, and the way a refused store write is reported.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.screen import Screen

from reader.article.document import chapter_at, chapter_bounds
from reader.plural import counted
from reader.ui.jump_list import JumpList
from reader.ui.progress_keeper import ProgressKeeper
from reader.ui.reading.status import StatusLine
from reader.ui.text import WordIndex, one_line, provisional_sentences, reading_minutes, span_index
from reader.ui.tracking import DEFAULT_WPM, ReadingTracker, read_through
from reader.ui.widgets.article_view import ArticleDoc, ArticleView

if TYPE_CHECKING:
    from reader.article import Article
    from reader.article.document import Chapter
    from reader.nlp.analysis import Analysis
    from reader.nlp.book import ChapterPart
    from reader.store import ArticleRecord, Library, NoteRecord
    from reader.store.records import HighlightRecord
    from reader.ui.analysis_progress import Analyzer


BOOK_WORDS = 20_000
"""A text with chapters and more words than this is analysed chapter by chapter."""


class ReadingBase(Screen[None]):
    """One article open for reading: the state the concerns share."""

    _keys_ranked = False
    """The analysis in hand has its key sentences (a partial one has only the names)."""

    def __init__(
        self,
        library: Library,
        record: ArticleRecord,
        article: Article,
        *,
        analyzer: Analyzer,
        clock: Callable[[], float] = time.monotonic,
        position: int | None = None,
        keeper: ProgressKeeper | None = None,
    ) -> None:
        """`position` (an offset into the text) overrides the saved reading position."""
        super().__init__()
        self.library = library
        self.keeper = keeper or ProgressKeeper(library, self._keeper_says)
        self.record = record
        self.article = article
        self.analyzer = analyzer
        self.clock = clock
        self.text = article.text
        self.words = WordIndex.build(self.text)
        self.wpm = float(library.get_setting("wpm", DEFAULT_WPM))
        self.tracker = ReadingTracker(self.wpm, clock)
        self.analysis: Analysis | None = None
        self.analysis_state = "analysing…"
        self.notes: list[NoteRecord] = []
        self.highlights: list[HighlightRecord] = []
        self._anchor_at: int | None = None
        """Where a selection (`v`) began: the offset of its first sentence, so it holds
        when the analysis swaps in other sentence boundaries mid-selection."""
        self._restore_offset = record.position if position is None else position
        self._user_moved = False
        self.sidebar_choice: bool | None = None
        self._selected_entity: int | None = None
        self._last_mention: tuple[int, int] | None = None
        self._dirty = False
        self._finished = record.finished
        self._last_offset = 0
        # Where the reader reads, apart from where the cursor is: jumps move only the cursor.
        kept = self.keeper.kept_position(record.id)
        self.bookmark = record.position if kept is None else kept
        self.furthest = record.furthest
        self.seconds_read = record.seconds_read
        self.jumps = JumpList()
        self.jumps.jumped(self.bookmark, self._restore_offset)
        self._session_closed = False
        toc = article.table_of_contents()
        self.chapters: list[Chapter] = toc if len(toc) >= 2 else []
        """The table of contents, or none for a text of fewer than two chapters."""
        self.chapter_starts = [c.start for c in self.chapters]
        self.chapter_spans = chapter_bounds(self.chapter_starts, len(self.text))
        self.book_mode = bool(self.chapters) and self.words.total > BOOK_WORDS
        """Analysed chapter by chapter: the reader's chapter's names come first."""
        self.parts: dict[int, ChapterPart] = {}
        self.scope = "chapter" if self.book_mode else "book"
        """What the entities and key-sentence panes show: this chapter or the whole book."""
        self._status_chapter: int | None = None
        # The prose blocks, even when every block is (prose_spans() then says None): on a
        # book that saves splitting the whole text again into blank-line paragraphs.
        prose = [(b.start, b.end) for b in article.blocks if b.is_prose] or None
        sentences = provisional_sentences(self.text, prose)
        # Restore by offset, so the same sentence comes back whatever the terminal's width.
        starts = [s for s, _ in sentences]
        start = span_index(starts, self._restore_offset) if sentences else 0
        self.view = ArticleView(
            ArticleDoc.build(
                self.text,
                article.title,
                article.author,
                article.published,
                article.source,
                blocks=article.blocks,
                marks=article.marks,
                links=article.links,
            ),
            sentences,
            cursor=start,
            id="article",
        )
        self._last_offset = self.view.cursor_span[0]
        # Reopened where it was left: the same screen, not just the same sentence.
        self._opening_anchor = record.anchor if self._restore_offset == record.position else None
        self.bookmark_anchor = self._opening_anchor
        if self._opening_anchor is not None:
            self.view.restore(self._restore_offset, self._opening_anchor)

    # ----------------------------------------------------------------- cursor

    def _move_to(self, index: int, *, scroll: bool = True, top: bool = False) -> None:
        """A reading move: the bookmark, the furthest point and the pace follow it."""
        self.view.move_cursor(index, scroll=scroll, top=top)
        self._after_move()

    def _jump_to(self, index: int, *, top: bool = False) -> None:
        """A jump: only the cursor moves, and the jump list remembers where it was."""
        origin = self.view.cursor_span[0]
        self.view.move_cursor(index, top=top)
        self.jumps.jumped(origin, self.view.cursor_span[0])
        self._after_move(jump=True)

    def _after_move(self, *, jump: bool = False) -> None:
        self._user_moved = True
        if self._anchor is not None:
            self.view.set_selection((self._anchor, self.view.cursor))
        offset = self.view.cursor_span[0]
        if jump:
            self.tracker.jumped()
        else:
            advanced = self.words.words_before(offset) - self.words.words_before(self._last_offset)
            self.tracker.moved(advanced)
            self.bookmark = offset
            self.bookmark_anchor = self.view.view_anchor()
            self.furthest = max(self.furthest, self.progress)
            self._dirty = True
            self._judge_finished()
        self._last_offset = offset
        self._update_status()

    def _judge_finished(self) -> None:
        """Finished once read to the end in a plausible time (see reader.ui.tracking); the
        reader's own mark (F) is never taken back by this."""
        if not self._finished and read_through(
            furthest=self.furthest,
            seconds_read=self.seconds_read + self.tracker.peek_seconds(),
            words=self.words.total,
            wpm=self.tracker.updated_wpm(),
        ):
            self._finished = True

    @property
    def _anchor(self) -> int | None:
        """The sentence index where the selection began, None when there is none."""
        return None if self._anchor_at is None else self.view.sentence_at(self._anchor_at)

    def _cancel_selection(self) -> None:
        self._anchor_at = None
        self.view.set_selection(None)
        self._update_status()

    # ----------------------------------------------------------------- status

    @property
    def progress(self) -> float:
        """How far into the text the cursor's sentence ends, as a share of the words."""
        return self._fraction_at(self.view.cursor)

    def _fraction_at(self, index: int) -> float:
        if not self.view.sentences:
            return 0.0
        if index >= len(self.view.sentences) - 1:
            return 1.0
        end = self.view.sentences[index][1]
        return self.words.words_before(end) / max(1, self.words.total)

    def chapter_index(self) -> int | None:
        """The chapter holding the cursor; None for a text without chapters."""
        if not self.chapters:
            return None
        return chapter_at(self.chapter_starts, self.view.cursor_span[0])

    def _chapter_entered(self, index: int) -> None:
        """The cursor moved into chapter `index` (the analysis panes follow it)."""

    @property
    def analysis_failed(self) -> bool:
        return self.analysis_state == "analysis failed"

    def scope_label(self) -> str:
        """What the panes' subtitles say of their scope; nothing for a plain article."""
        index = self.chapter_index()
        if self.scope == "chapter" and index is not None:
            return f"chapter {index + 1}"
        return "whole book" if self.book_mode else ""

    def _keys_analysis(self) -> Analysis | None:
        """The analysis whose key sentences the pane shows: in chapter scope the chapter's
        part (or, for a text analysed whole, the whole's cut to the chapter)."""
        index = self.chapter_index()
        if self.scope == "chapter" and index is not None:
            from reader.ui.analysis_worker import confined

            part = self.parts.get(index)
            if part is not None:
                return part.analysis
            if self.analysis is not None and self._keys_ranked:
                return confined(self.analysis, *self.chapter_spans[index])
            return None
        return self.analysis if self._keys_ranked else None

    def _chapter_status(self, status: Text, index: int) -> None:
        """ "Ch. 3/12 · The storm · 40% of the chapter": short, for 80 columns."""
        start, end = self.chapter_spans[index]
        before = self.words.words_before(start)
        words = self.words.words_before(end) - before
        here = self.words.words_before(self.view.cursor_span[1]) - before
        share = 1.0 if self.view.cursor >= len(self.view.sentences) - 1 else here / max(1, words)
        title = one_line(self.chapters[index].title) or "Untitled"
        title = title if len(title) <= 24 else title[:23] + "…"
        status.append(f" Ch. {index + 1}/{len(self.chapters)} · {title}", style="bold")
        status.append(f" · {min(1.0, max(0.0, share)):.0%} of the chapter ·")

    def _update_status(self) -> None:
        end = self.view.cursor_span[1]
        left = self.words.words_after(end) if self.progress < 1.0 else 0
        status = Text()
        chapter = self.chapter_index()
        if chapter is not None:
            self._chapter_status(status, chapter)
            if chapter != self._status_chapter:
                self._status_chapter = chapter
                self._chapter_entered(chapter)
        status.append(f" {self.furthest:.0%} read", style="bold")
        if self._finished:
            status.append(" · finished", style="bold")
        if self.furthest - self.progress >= 0.005:  # gone back to an earlier passage
            status.append(f" · here {self.progress:.0%}")
        wpm = self.tracker.updated_wpm()
        status.append(f" · {reading_minutes(left, wpm)} left")
        status.append(f" · {wpm:.0f} wpm", style="dim")
        section = None
        if chapter is None:  # a book's chapter says where the reader is; its sentence no more
            status.append(f" · sentence {self.view.cursor + 1}/{len(self.view.sentences)}")
            section = self.view.section_at(self.view.cursor_span[0])
        if section:
            status.append(f" · § {section[:40]}{'…' if len(section) > 40 else ''}")
        if self._anchor is not None:
            count = abs(self.view.cursor - self._anchor) + 1
            status.append(
                f" · selecting {counted(count, 'sentence')} (h highlights, v cancels)",
                style="bold",
            )
        else:
            start, end = self.view.cursor_span
            if any(h.start < end and h.end > start for h in self.highlights):
                status.append(" · highlighted", style="italic")
        if self.analysis_state:
            status.append(f" · {self.analysis_state}", style="italic")
        if self.library.read_only:
            status.append(" · read-only", style="bold")
        elif self.keeper.is_kept(self.record.id):
            status.append(" · position not saved yet", style="bold")
        self.query_one(StatusLine).status = status

    # ----------------------------------------------------------- store writes

    def _keeper_says(self, message: str, error: bool) -> None:
        self.notify(message, severity="error" if error else "information", markup=False)

    def _write(self, change: Callable[[], object]) -> bool:
        """Run a store write; a refusal (read-only, note gone) becomes one error message."""
        from reader.store import StoreError

        try:
            change()
        except StoreError as error:
            self.notify(one_line(str(error)), severity="error", markup=False)
            return False
        return True

    def _writable(self, what: str) -> bool:
        if self.library.read_only:
            self.notify(f"The library is read-only; {what} cannot be saved now.", severity="error")
            return False
        return True
