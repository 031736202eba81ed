"""Find in the text: `/` and ctrl+r type a search, enter goes to a match, n/N walk them.

A match is a jump, so ctrl+o comes back from it. A library search hit opens with its words
marked the same way (`mark_terms`); escape there goes back to the search, not the box.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.widgets import Input

from reader.ui.reading.base import ReadingBase
from reader.ui.text import one_line
from reader.ui.widgets.find_bar import (
    FindBar,
    FindState,
    find_spans,
    matches_label,
    query_pattern,
    terms_pattern,
)


class FindMixin(ReadingBase):
    _find: FindState | None = None
    """The search shown in the find bar (typed with / or ctrl+r, or a search hit's words)."""
    _find_origin: int = 0
    """Where the view was scrolled when the box opened: escape while typing goes back."""
    _find_typing: bool = False
    _find_direction: int = 1
    _last_query: str = ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """n, N and escape belong to the search only while one is shown and not being
        typed; otherwise their later bindings (note, back) get the key."""
        if action in ("find_next", "clear_find"):
            shown = self._find is not None and not self._find_typing
            if action == "clear_find" and shown and self._find is not None:
                return not self._find.from_hit  # escape from a search hit: back to it
            return shown
        return True

    def action_find(self, direction: int) -> None:
        """`/` (forward) or ctrl+r (backward): open the find box."""
        self._find_typing = True
        self._find_direction = direction
        self._find_origin = round(self.view.scroll_offset.y)
        self.query_one(FindBar).open(direction, self._last_query)
        self.refresh_bindings()

    @on(Input.Changed, "#find-input")
    def _find_changed(self, event: Input.Changed) -> None:
        """Every change re-marks the matches and shows the nearest; the cursor stays."""
        event.stop()
        self._start_find(event.value, self._find_direction)
        span = self._find.current_span if self._find is not None else None
        if span is not None:
            self.view.show_span(span)
        else:
            self.view.scroll_to(y=self._find_origin, animate=False, immediate=True)

    def _start_find(self, query: str, direction: int) -> None:
        pattern = query_pattern(query)
        if pattern is None:
            self._find = None
            self.view.set_matches([])
            self.query_one(FindBar).count("")
            return
        state = FindState(query, find_spans(self.view.doc.text, pattern), direction)
        span = state.aim(self.view.cursor_span[0])
        self._find = state
        self.view.set_matches(state.spans, span)
        self.query_one(FindBar).count(state.counted())

    @on(Input.Submitted, "#find-input")
    def _find_submitted(self, event: Input.Submitted) -> None:
        """enter: go to the match and keep the search up for n/N; on an empty box, the
        previous search again."""
        event.stop()
        query = event.value or self._last_query
        self._find_typing = False
        if not query:
            self._clear_find()
            return
        self._last_query = query
        if not event.value or self._find is None or self._find.label != query:
            self._start_find(query, self._find_direction)
        state = self._find
        assert state is not None
        self.query_one(FindBar).show_done(query, state.direction, state.counted())
        self.view.focus()
        self.refresh_bindings()
        span = state.current_span
        if span is None:
            self.view.scroll_to(y=self._find_origin, animate=False, immediate=True)
            self.notify(f"Not found: {one_line(query)[:60]}", severity="warning", markup=False)
            return
        self._go_to_match(span)

    def _go_to_match(self, span: tuple[int, int]) -> None:
        """A match is a jump (ctrl+o comes back), the cursor on its sentence."""
        self._cancel_selection()
        self._jump_to(self.view.sentence_at(span[0]))
        self.view.set_current_match(span)
        self.view.show_span(span)  # a long sentence: make sure the match itself is in view

    def action_find_next(self, step: int) -> None:
        """`n` the next match (in the search's direction), `N` the one before."""
        state = self._find
        if state is None:
            return
        span = state.step(step)
        self.query_one(FindBar).count(state.counted())
        if span is None:
            self.notify(f"No match for {one_line(state.label)[:60]}.", severity="warning")
            return
        self._go_to_match(span)

    def action_clear_find(self) -> None:
        self._clear_find()

    def action_cancel_find(self) -> None:
        """escape while typing: no search, and the view back where it was."""
        self._clear_find()
        self.view.scroll_to(y=self._find_origin, animate=False, immediate=True)

    def _clear_find(self) -> None:
        self._find = None
        self._find_typing = False
        self.view.set_matches([])
        self.query_one(FindBar).close()
        self.view.focus()
        self.refresh_bindings()

    def mark_terms(self, terms: Sequence[str], position: int | None = None) -> None:
        """A library search hit's words, marked as find matches (the one at `position`
        current) so n/N walk through them. Safe before the screen is composed."""
        spans = find_spans(self.view.doc.text, terms_pattern(terms))
        if not spans:
            return
        state = FindState(matches_label(terms), spans, from_hit=True)
        span = state.aim(self.view.cursor_span[0] if position is None else position)
        self._find = state
        self._find_typing = False
        self.view.set_matches(spans, span)
        if self.is_mounted:
            bar = self.query_one(FindBar)
            bar.show_done(state.label, state.direction, state.counted(), from_hit=True)
            self.refresh_bindings()
