"""The Library as a worker thread may hold it: every call is made on the UI thread.

The UI thread is the one thread that touches the store (see reader.ui). A worker that
must read and write as it goes (the feeds update, the one-time layout upgrade) gets this
stand-in instead of the Library: each method call is handed to the UI thread with
`App.call_from_thread`, and the worker waits for its answer, so a store call never runs
beside another, and a failure (StoreError) is raised in the worker as if called there.
The slow parts, fetching and reading files, stay on the worker; each call here is one
small store operation between two of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from textual.app import App

    from reader.store import Library


class _OnUiThread:
    __slots__ = ("_app", "_library")

    def __init__(self, app: App[Any], library: Library) -> None:
        self._app = app
        self._library = library

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._library, name)
        if not callable(found):
            return found  # plain state (read_only, cache_dir): read as it stands

        def on_ui_thread(*args: Any, **kwargs: Any) -> Any:
            return self._app.call_from_thread(cast(Callable[..., Any], found), *args, **kwargs)

        return on_ui_thread


def library_for_worker(app: App[Any], library: Library) -> Library:
    """`library` for a thread worker of `app`: the same methods, each run on the UI thread.

    Only for code running on a worker thread: called from the UI thread itself, it would
    wait for itself.
    """
    return cast("Library", _OnUiThread(app, library))
