"""How updates are handled: each chat's in the order they came, chats side by side, counted.

PTB hands every update to the update processor. Handling them one at a time (PTB's default)
makes every group wait for the slowest: a reply waiting out one group's flood window, or a slow
query, held all the others. Here each chat has its turn (its updates never overtake each other:
`/done 3` then `/undo` must stay in that order), and different chats run at the same time, at most
`concurrency` at once.

The count of finished updates is what the console waits on before reading the next line, what the
tests wait on before asserting, and the "updates handled" metric. It sits in the update processor,
so an update counts as handled whatever its handlers did (answered, stopped at the gate, raised).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Hashable

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# PTB's own bound counts updates waiting for their chat's turn too; ours, applied once a chat's
# turn came, is what limits the work. This one only caps how many may wait.
_WAITING_BOUND = 4096


def chat_key(update: object) -> Hashable:
    """Whose turn an update waits for: its chat; a press on a message sent through inline
    mode has none, so its user's; anything else shares one line."""
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
        if update.effective_user is not None:
            return ("user", update.effective_user.id)
    return None


class ChatOrderedUpdateProcessor(BaseUpdateProcessor):
    """One chat's updates in order, different chats concurrently (at most `concurrency`), and a
    count of the updates finished."""

    def __init__(self, concurrency: int) -> None:
        # `[telegram] concurrent_updates`. Storage stays correct under it (a session per
        # update; SQLite writers queue on BEGIN IMMEDIATE and busy_timeout), and the rate
        # limiter, not this, paces what goes to Telegram.
        super().__init__(max_concurrent_updates=max(_WAITING_BOUND, concurrency))
        self.concurrency = concurrency
        self.handled = 0
        self._progress = asyncio.Event()
        self._slots = asyncio.Semaphore(concurrency)
        # A lock per chat with updates in flight, and how many hold or wait for it: the entry
        # goes when the last one leaves, so the map holds only chats with work, not every chat
        # ever seen.
        self._turns: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[object]) -> None:
        key = chat_key(update)
        lock, users = self._turns.get(key) or (asyncio.Lock(), 0)
        self._turns[key] = (lock, users + 1)
        try:
            # asyncio.Lock wakes its waiters first come first served: the chat's order holds.
            async with lock, self._slots:
                await coroutine
        finally:
            lock, users = self._turns[key]
            if users == 1:
                del self._turns[key]
            else:
                self._turns[key] = (lock, users - 1)
            self.handled += 1
            self._progress.set()

    @property
    def chats_in_flight(self) -> int:
        return len(self._turns)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def wait_handled(self, count: int, timeout: float) -> bool:  # noqa: ASYNC109
        """Wait until `count` updates are handled; False if `timeout` passes first."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.handled < count:
            self._progress.clear()
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            try:
                await asyncio.wait_for(self._progress.wait(), timeout=remaining)
            except TimeoutError:
                return self.handled >= count
        return True
