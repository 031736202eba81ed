"""The entities pane: choosing a name marks its mentions (`]`/`[` walk them), the reader's
corrections of a name's kind or its hiding, and `m`, the other articles that name it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.widgets import OptionList

from reader.ui.panes.entities import EntitiesPane, EntityItem
from reader.ui.reading.navigation import NavigationMixin
from reader.ui.text import one_line
from reader.ui.widgets.item_option import item_of

if TYPE_CHECKING:
    from reader.nlp.analysis import Entity


class EntitiesMixin(NavigationMixin):
    _entity_items: Sequence[EntityItem] = ()  # the analysis's names, before corrections
    _pane_entities: Sequence[Entity] = ()
    """The entities the pane lists (the book's or one chapter's); items index into it."""

    def _corrected(self, items: list[EntityItem]) -> list[EntityItem]:
        """The reader's corrections laid over the analysis's names (which stay as cached)."""
        from reader.store import StoreError
        from reader.store.entity_corrections import name_key

        self._entity_items = items
        try:
            corrections = self.library.entity_corrections()
        except StoreError as error:
            self.notify(one_line(str(error)), severity="error", markup=False)
            return items
        out = []
        for item in items:
            fix = corrections.get(name_key(item.name))
            out.append(item if fix is None else item.corrected(fix.label, fix.hidden))
        return out

    def _correct_entity(self, entity: EntityItem, *, label: str, hidden: bool) -> bool:
        """Store `label` (the kind to show) and `hidden` for the name, then show the list."""
        if not self._writable("entity corrections"):
            return False
        found = next((i for i in self._entity_items if i.index == entity.index), entity)
        kind = None if label == found.label else label  # back to the tagger's kind: no retype
        if not self._write(
            lambda: self.library.correct_entity(entity.name, label=kind, hidden=hidden)
        ):
            return False
        self.query_one(EntitiesPane).show_entities(self._corrected(list(self._entity_items)))
        return True

    @on(EntitiesPane.Retype)
    def _retype_entity(self, message: EntitiesPane.Retype) -> None:
        from reader.ui.dialogs.entity_kind import EntityKindDialog

        entity = message.entity

        def chosen(label: str | None) -> None:
            if label is not None and label != entity.label:
                self._correct_entity(entity, label=label, hidden=entity.hidden)

        self.app.push_screen(EntityKindDialog(entity.name, entity.label), chosen)

    @on(EntitiesPane.Hide)
    def _hide_entity(self, message: EntitiesPane.Hide) -> None:
        entity = message.entity
        if self._correct_entity(entity, label=entity.label, hidden=not entity.hidden):
            done = "is shown again" if entity.hidden else "is hidden: X on it brings it back"
            self.notify(f"“{one_line(entity.name)}” {done}, in every article.", markup=False)

    @on(OptionList.OptionHighlighted, "#entities")
    @on(OptionList.OptionSelected, "#entities")
    def _entity_chosen(self, event: OptionList.OptionHighlighted) -> None:
        item = item_of(event.option, EntityItem)
        if item is None or not 0 <= item.index < len(self._pane_entities):
            return
        self._select_entity(item.index)
        if isinstance(event, OptionList.OptionSelected):
            self.action_mention(1)

    def _select_entity(self, index: int) -> None:
        self._selected_entity = index
        self._last_mention = None
        entity = self._pane_entities[index]
        self.view.set_mentions((m.start, m.end) for m in entity.mentions)

    def action_other_articles(self) -> None:
        """`m`: the other articles that mention the selected entity, via the search index."""
        chosen = self._selected_entity
        if chosen is None or not 0 <= chosen < len(self._pane_entities):
            self.notify("Choose an entity first (press 1, then a name).", severity="warning")
            return
        self.search_entity(self._pane_entities[chosen].name)

    def search_entity(self, name: str) -> None:
        from reader.ui.screens.search import SearchScreen, open_hit

        screen = SearchScreen(
            query=f'"{name}"',
            exclude=self.record.id,
            heading=f"Other articles that mention {one_line(name)}",
        )
        self.app.push_screen(screen, lambda hit: open_hit(self, hit))
