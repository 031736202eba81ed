"""Keys typed in a burst behave as if typed slowly: one key is handled to the end before
the next one is dispatched.

Why it is needed: a terminal hands a paste, or a fast typist's keys, to the app all at
once, as Key events queued together on the app. Textual dispatches each one as soon as
the app's task reaches it, but what a key does is finished elsewhere, later:

- `n` pushes the note dialog; the dialog mounts on its own task and its `on_mount`
  focus is only a callback posted to the *end* of the app's queue, behind the keys
  already waiting there. Those keys are routed to the old screen or the unfocused
  dialog and are lost (or, in the library, `/r` runs `r` = review instead of typing it);
- a printable key is forwarded into the focused TextArea's own queue, but a priority
  binding such as ctrl+s runs at once on the app's task and reads the TextArea before
  it has inserted the characters typed just before;
- `enter` in an Input posts `Input.Submitted`, whose handler moves the focus; the keys
  after it must go where the focus went, not into the Input.

So the app hands each Key and Paste event here (ReaderApp.on_event). The gate
dispatches one, then follows it with sentinels (`call_later` callbacks, which run after
everything queued before them): twice up the path the key travelled — the focused
widget, its ancestors, the screen, the app — so the key bubbles, the messages it caused
(Changed, Submitted, a binding's action posting back to the widget) are handled and the
focus moves they posted land; then, while the top screen is not the one the key started
on, once through the new screen (which runs its queue only after it has mounted) and the
app (where its `on_mount` focus lands). This is the production counterpart of the
pilot's `_wait_for_screen`. Keys arriving meanwhile wait here, in order.

A key costs a few queue hops (well under a millisecond), so a held cursor key stays
responsive; a widget that never answers holds the next keys for at most KEY_TIMEOUT.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode
    from textual.message_pump import MessagePump
    from textual.screen import Screen

KEY_TIMEOUT = 2.0
"""Seconds one key may take before the next is dispatched anyway (a wedged widget)."""
SCREEN_CHANGES = 8
"""Screens a key may open or close in a row (search hit -> library -> article: 2)."""

Deliver = Callable[[events.Event], Awaitable[None]]


class KeyGate:
    """`deliver` is the app's own dispatch of an input event (App.on_event)."""

    def __init__(self, app: App[Any], deliver: Deliver, *, timeout: float = KEY_TIMEOUT) -> None:
        self._app = app
        self._deliver = deliver
        self._timeout = timeout
        self._pending: deque[events.Event] = deque()
        self._busy = False
        self._turn = 0  # numbers each key's wait, so a late sentinel of an expired one is ignored
        self._hops: list[MessagePump] = []  # popped from the end
        self._screen: Screen[Any] | None = None
        self._screens_left = 0
        self._deadline: asyncio.TimerHandle | None = None
        self._idle = asyncio.Event()
        self._idle.set()

    @staticmethod
    def gates(event: events.Event) -> bool:
        """Keys and pastes from the terminal; not the forwarded copies bubbling back."""
        return isinstance(event, events.Key | events.Paste) and not event.is_forwarded

    async def admit(self, event: events.Event) -> None:
        """Dispatch the event now, or after the keys before it have been handled."""
        if self._busy:
            self._pending.append(event)
            return
        self._busy = True
        self._idle.clear()
        if not await self._begin(event):
            await self._next_key()

    @property
    def idle(self) -> bool:
        """No key is being handled or waiting."""
        return self._idle.is_set()

    async def wait_idle(self) -> None:
        """Until every key admitted so far has been handled (for tests and shutdown)."""
        await self._idle.wait()

    def close(self) -> None:
        """Drop what is still waiting: the app is leaving."""
        self._turn += 1
        self._pending.clear()
        self._stop_deadline()
        self._set_idle()

    # ------------------------------------------------------------------ one key

    async def _begin(self, event: events.Event) -> bool:
        """Deliver one event and start following it; False if there is nothing to follow."""
        app = self._app
        self._turn += 1
        turn = self._turn
        screen: Screen[Any] | None = None
        target: DOMNode | None = None
        try:
            screen = app.screen
            target = app.focused or screen  # where App.on_event forwards a key
        except Exception:  # no screen yet, or the app is closing: nothing to wait for
            pass
        path: list[MessagePump] = [] if target is None else list(target.ancestors_with_self)
        path.reverse()
        self._hops = path + path  # popped from the end: the widget first, the app last, twice
        self._screen = screen
        self._screens_left = SCREEN_CHANGES
        self._stop_deadline()
        self._deadline = asyncio.get_running_loop().call_later(self._timeout, self._expire, turn)
        try:
            await self._deliver(event)
        finally:
            waiting = self._advance(turn)
        return waiting

    def _advance(self, turn: int) -> bool:
        """Post the next sentinel; False once the key has been handled to the end."""
        app = self._app
        while True:
            while self._hops:
                node = self._hops.pop()
                if node.call_later(self._arrived, node, turn):
                    return True
                # a node that is closing takes no sentinel, and has nothing left to do
            try:
                top: Screen[Any] | None = app.screen
            except Exception:
                top = None
            if top is None or top is self._screen or not self._screens_left:
                return False
            self._screen = top
            self._screens_left -= 1
            self._hops = [app, top]

    async def _arrived(self, node: MessagePump, turn: int) -> None:
        if turn != self._turn or self._advance(turn):
            return
        if node is self._app:
            await self._next_key()
        elif not self._app.call_later(self._next_key):
            self.close()

    async def _next_key(self) -> None:
        """Runs on the app's task, as the app's own dispatch would."""
        self._stop_deadline()
        while self._pending:
            if await self._begin(self._pending.popleft()):
                return
        self._stop_deadline()
        self._set_idle()

    def _expire(self, turn: int) -> None:
        """A key took too long (a wedged widget): go on with the next ones regardless."""
        if turn != self._turn:
            return
        self._turn += 1
        self._deadline = None
        self._app.log.warning(f"a key was still being handled after {self._timeout} s")
        if not self._app.call_later(self._next_key):
            self.close()

    def _stop_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _set_idle(self) -> None:
        self._busy = False
        self._hops = []
        self._screen = None
        self._idle.set()
