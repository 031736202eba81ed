"""Reading an article's stored text from a screen: the failure is told, never raised."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reader.ui.text import one_line

if TYPE_CHECKING:
    from textual.app import App

    from reader.article import Article
    from reader.store import Library


def load_article_or_notify(app: App[Any], library: Library, article_id: str) -> Article | None:
    """The stored article, or None after telling the reader (once, in plain words) why not.

    A damaged or vanished content file must not crash the screen that asked for it.
    """
    from reader.store import StoreError

    try:
        return library.load_article(article_id)
    except StoreError as error:
        app.notify(one_line(str(error)), severity="error", markup=False)
        return None
