"""The reading screen: the article, a sentence cursor, the sidebar and the status line.

Study keys live here too: `h` highlights the sentence (or, after `v` and `j`/`k`, a run of
sentences), `n` on a highlight writes the highlight's note, `u` removes it; `S` opens the
summary page, `T` the tags dialog and `m` the other articles that mention the selected
entity (a search: see reader.ui.screens.search for the index's threading).

This module is the door: the layout and the palette's dynamic part (the keys and the
fixed commands are reader.ui.actions.READING). Each concern is a mixin
in reader.ui.reading (navigation, chapters, find, annotations, key_sentences, entities,
analysis, sidebar, progress, pages) over the shared state in reader.ui.reading.base.

Threads: as everywhere in the app (the rules are in reader.ui). Here the store calls
(progress, notes, settings) are small TinyDB writes, well under 20 ms, at most once a
second; the analysis worker and the view's layout thread touch no widget and no store.

Failures: progress goes through the app's ProgressKeeper, so a save the disk refuses (or
a read-only window) keeps the position in memory and retries it instead of ending the
app; notes are saved by their dialog, which stays open with the text when refused.

First paint never waits for NLP: the text and a regex sentence split are ready in
`compose`; the trained sentences, entities and key sentences replace them when the
worker finishes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container
from textual.widgets import Footer

from reader.ui.actions import READING, PaletteEntry, bindings, hint_of, palette_entries
from reader.ui.panes.entities import EntitiesPane
from reader.ui.panes.key_sentences import KeySentencesPane
from reader.ui.reading.analysis import AnalysisMixin
from reader.ui.reading.annotations import AnnotationsMixin
from reader.ui.reading.chapters import ChaptersMixin
from reader.ui.reading.pages import PagesMixin
from reader.ui.reading.progress import ProgressMixin
from reader.ui.reading.sidebar import NARROW as NARROW
from reader.ui.reading.sidebar import SidebarMixin
from reader.ui.reading.status import StatusLine
from reader.ui.text import one_line
from reader.ui.widgets.find_bar import FindBar
from reader.ui.widgets.sidebar import Sidebar

__all__ = ["NARROW", "SAVE_INTERVAL", "ReadingScreen", "StatusLine"]

SAVE_INTERVAL = 1.0


class ReadingScreen(
    AnalysisMixin, ChaptersMixin, AnnotationsMixin, SidebarMixin, ProgressMixin, PagesMixin
):
    BINDINGS: ClassVar[list[BindingType]] = bindings(READING)
    KEYS_EXTRA: ClassVar[list[tuple[str, str]]] = [
        ("v, j / k, h", "Highlight several sentences: start, extend, save"),
        ("n on a highlight", "Write or edit the highlight's note (e edits, x deletes it)"),
        ("m", "On a chosen entity (1, then a name): other articles that mention it"),
        ("wheel", "Scroll the text"),
        ("click", "Put the cursor on a sentence"),
    ]

    def compose(self) -> ComposeResult:
        with Container(id="main"):
            yield Sidebar(id="sidebar")
            yield self.view
        bar = FindBar(id="find")
        if self._find is not None:  # a search hit's words, marked before the screen mounted
            find = self._find
            bar.show_done(find.label, find.direction, find.counted(), from_hit=find.from_hit)
        yield bar
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.view.focus()
        self.query_one(EntitiesPane).show_message("Finding names…")
        self.query_one(KeySentencesPane).show_message("Ranking sentences…")
        self._load_notes()
        self._update_layout(self.app.size.width)
        self._update_status()
        self.set_interval(SAVE_INTERVAL, self._autosave, name="autosave")
        # Start the worker after the first frame: its imports (NLTK, the models) hold the
        # GIL for a while and would otherwise compete with the first paint.
        self.call_after_refresh(self._analyse)

    def _entity_searcher(self, name: str) -> Callable[[], None]:
        return lambda: self.search_entity(name)

    def palette_commands(self) -> list[PaletteEntry]:
        """The catalogue's commands, then one search per entity the analysis found."""
        commands = palette_entries(self, READING)
        if self.analysis is not None:
            on_entity = f"{hint_of(READING, 'other_articles')} on the entity"
            for entity in sorted(self.analysis.entities, key=lambda e: (-e.count, e.name)):
                name = entity.name
                commands.append(
                    (
                        f"Other articles that mention {one_line(name)}",
                        on_entity,
                        self._entity_searcher(name),
                    )
                )
        return commands
