"""The links of a passage, to open one in the system browser; and the opening itself.

The dialog only answers (the chosen address); `open_in_browser` does the opening in a
thread, because `webbrowser.open` can wait seconds on a browser starting up and the
reading screen must not freeze meanwhile. Only web addresses are opened: a page's
`javascript:` or `file:` link is refused, and a relative one is read against the
article's own URL when it has one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.ui.text import one_line
from reader.ui.widgets.vim_list import VimOptionList

WEB_SCHEMES = frozenset({"http", "https", "mailto"})


def resolved(href: str, base: str | None) -> str | None:
    """The address to open for `href`, or None when it is not a web address."""
    href = href.strip()
    if base and not urlsplit(href).scheme:
        href = urljoin(base, href)
    return href if urlsplit(href).scheme.lower() in WEB_SCHEMES else None


class LinksDialog(ModalScreen[str | None]):
    """Dismisses with the chosen link's address, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,l", "close", "Close")]
    KEYS_EXTRA: ClassVar[list[tuple[str, str]]] = [("enter", "Open the link in the browser")]

    def __init__(self, links: Sequence[tuple[str, str]], heading: str) -> None:
        """`links` are (text, address) pairs."""
        super().__init__(classes="dialog")
        self.links = list(links)
        self.heading = heading

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Static(Text(self.heading, style="bold"), id="question")
            options = []
            for number, (text, href) in enumerate(self.links):
                prompt = Text(one_line(text, href)[:60])
                prompt.append(f"\n{one_line(href)[:200]}", style="dim")
                options.append(Option(prompt, id=str(number)))
            yield VimOptionList(*options, id="links", markup=False)

    def on_mount(self) -> None:
        self.query_one("#links", VimOptionList).focus()

    @on(OptionList.OptionSelected, "#links")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.links[int(event.option.id or 0)][1])

    def action_close(self) -> None:
        self.dismiss(None)


def open_in_browser(screen: Screen[Any], href: str, base: str | None = None) -> None:
    """Open `href` in the system browser without blocking; say so, or why not."""
    url = resolved(href, base)
    if url is None:
        screen.notify(f"Not a web address: {one_line(href)[:80]}", severity="warning", markup=False)
        return
    screen.notify(f"Opening {one_line(url)[:80]}", markup=False)

    def run() -> None:
        import webbrowser

        try:
            opened = webbrowser.open(url)
        except webbrowser.Error:
            opened = False
        if not opened:
            screen.app.call_from_thread(
                screen.notify, "No browser could be started.", severity="error"
            )

    screen.run_worker(run, thread=True, group="browser", exit_on_error=False)
