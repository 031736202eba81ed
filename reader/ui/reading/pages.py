"""The pages and dialogs the reading screen opens: summary, tags, library search, export,
the sentence's links, the original page, the keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.ui.dialogs.keys import keys_dialog
from reader.ui.reading.find import FindMixin
from reader.ui.reading.navigation import NavigationMixin
from reader.ui.text import one_line

if TYPE_CHECKING:
    from reader.store import ArticleRecord
    from reader.study.search import SearchHit


class PagesMixin(NavigationMixin, FindMixin):
    def action_summary(self) -> None:
        from reader.ui.screens.summary import SummaryScreen

        def chosen(offset: int | None) -> None:
            if offset is not None:
                self.jump_to(offset)

        # Between the names and the key sentences the analysis is partial: the summary
        # then runs its own, rather than show no key sentences.
        analysis = self.analysis if self._keys_ranked else None
        screen = SummaryScreen(
            self.library, self.record, self.article, analysis=analysis, analyzer=self.analyzer
        )
        self.app.push_screen(screen, chosen)

    def action_tags(self) -> None:
        from reader.ui.dialogs.tags import edit_tags

        def changed(record: ArticleRecord) -> None:
            self.record = record

        edit_tags(self, self.library, self.record.id, changed)

    def action_search(self) -> None:
        from reader.ui.screens.search import MarkedHit, SearchScreen, open_hit

        def chosen(hit: SearchHit | None) -> None:
            if hit is not None and hit.article_id == self.record.id:
                self.jump_to(hit.start)
                self.mark_terms(hit.terms if isinstance(hit, MarkedHit) else (), hit.start)
            else:
                open_hit(self, hit)

        self.app.push_screen(SearchScreen(), chosen)

    def action_export(self) -> None:
        from reader.ui.dialogs.export import export_articles

        title = f"“{one_line(self.record.title, 'Untitled')}”"
        export_articles(self, self.library, [self.record.id], title)

    def action_links(self) -> None:
        """`l`: the links of the sentence (else of the screen); enter opens one."""
        from reader.ui.dialogs.links import LinksDialog, open_in_browser

        links = self.view.links_here()
        if not links:
            self.notify("No links here.", severity="warning")
            return
        start, end = self.view.cursor_span
        here = links[0].start < end and links[0].end > start
        heading = "Links in this sentence" if here else "Links on screen"
        pairs = [(self.view.doc.text[link.start : link.end], link.href) for link in links]

        def chosen(href: str | None) -> None:
            if href:
                open_in_browser(self, href, self.article.url)

        self.app.push_screen(LinksDialog(pairs, heading), chosen)

    def action_open_original(self) -> None:
        """`o`: the page the article came from, in the browser."""
        from reader.ui.dialogs.links import open_in_browser

        if not self.article.url:
            self.notify("This article has no original page (it came from a file).")
            return
        open_in_browser(self, self.article.url)

    def action_keys(self) -> None:
        self.app.push_screen(keys_dialog(self))
