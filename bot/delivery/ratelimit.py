"""Throttling outgoing messages to Telegram's flood limits.

PTB's AIORateLimiter uses leaky buckets (a group's "20 per minute" becomes a burst of 20, then
one every 3 s, which Telegram may still refuse), has no per-private-chat bucket, and halts every
request on one 429. This limiter keeps sliding windows instead — overall, per private chat, and
two per group (so many a minute, and one a second as Telegram's FAQ asks of every chat) — with
the same (count, seconds) parameters the sandbox enforces, and a 429 only holds back the chat
it came from.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import warnings
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.config import RateLimits

log = logging.getLogger(__name__)

# Only sending a message counts against Telegram's message limits.
_COUNTED_PREFIXES = ("send", "copyMessage", "forwardMessage")


@dataclass(frozen=True, slots=True)
class SendOptions:
    """A send's `rate_limit_args`: how often to retry a 429 (None: the configured count), and
    `abandon`, an event set when the send is no longer wanted — while it waits for a window,
    that gives it up before it leaves.

    `gate`, when given, is taken once the chat's window lets the send go (so a chat waiting for
    its window holds up no other) and kept until `then` has run on Telegram's answer: the
    dispatcher records each reminder message before the next one leaves."""

    max_retries: int | None = None
    abandon: asyncio.Event | None = None
    gate: asyncio.Lock | None = None
    then: Callable[[Any], Awaitable[None]] | None = None


class Abandoned(Exception):
    """The send was given up while waiting for its window: nothing reached Telegram."""


def retry_after_seconds(exc: RetryAfter) -> float:
    # PTB 22 warns that the attribute's type will change from int to timedelta; accept both.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class SlidingWindow:
    """At most `limit` sends in any `period` seconds.

    A send's time is taken when its response arrives: the server saw the request no later than
    that, so spacing completed sends by `period` never exceeds the server's window.

    Sends that must wait queue in arrival order, and only the first of them watches the clock;
    the others sleep until the one ahead leaves (a send finishing wakes the first alone). With
    hundreds of chats' sends waiting on the overall window, waking them all at every send cost
    CPU in proportion to the queue for each message.
    """

    def __init__(self, limit: int, period: float, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.period = period
        self._clock = clock
        self._done: deque[float] = deque()
        self._in_flight = 0
        self._blocked_until = 0.0
        # One future per waiting send, first in line first; set to wake that send.
        self._queue: deque[asyncio.Future[None]] = deque()

    def _wait_needed(self) -> float | None:
        now = self._clock()
        while self._done and self._done[0] <= now - self.period:
            self._done.popleft()
        if now < self._blocked_until:
            return self._blocked_until - now
        if len(self._done) + self._in_flight < self.limit:
            return 0.0
        if self._done:
            return self._done[0] + self.period - now
        return None  # only in-flight sends fill the window: wait for one to finish

    def block_for(self, seconds: float) -> None:
        self._blocked_until = max(self._blocked_until, self._clock() + seconds)

    @contextlib.asynccontextmanager
    async def slot(self, abandon: asyncio.Event | None = None) -> AsyncIterator[None]:
        if self._queue or self._wait_needed() != 0.0:
            await self._wait_turn(abandon)
        self._in_flight += 1
        try:
            yield
        finally:
            self._in_flight -= 1
            self._done.append(self._clock())
            self._wake_first()

    async def _wait_turn(self, abandon: asyncio.Event | None) -> None:
        """Queue until this send is first in line and the window has room for it."""
        loop = asyncio.get_running_loop()
        wake: asyncio.Future[None] = loop.create_future()
        self._queue.append(wake)
        # Every waiting send, not only the first, gives up as soon as `abandon` is set.
        given_up: asyncio.Future[Any] | None = (
            None if abandon is None else asyncio.ensure_future(abandon.wait())
        )
        try:
            while True:
                if abandon is not None and abandon.is_set():
                    raise Abandoned
                wait = None
                if self._queue[0] is wake:
                    wait = self._wait_needed()
                    if wait == 0.0:
                        return
                woken_by: list[asyncio.Future[Any]] = [wake]
                if given_up is not None:
                    woken_by.append(given_up)
                await asyncio.wait(
                    woken_by,
                    timeout=wait,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                if wake.done():
                    wake = self._requeue(wake, loop)
        finally:
            self._queue.remove(wake)
            if given_up is not None:
                given_up.cancel()
            # The next in line looks at the window now (or gives up, if it was abandoned).
            self._wake_first()

    def _requeue(
        self, woken: asyncio.Future[None], loop: asyncio.AbstractEventLoop
    ) -> asyncio.Future[None]:
        """A fresh future in the woken one's place in line (a future is set only once)."""
        fresh: asyncio.Future[None] = loop.create_future()
        self._queue[self._queue.index(woken)] = fresh
        return fresh

    def _wake_first(self) -> None:
        if self._queue and not self._queue[0].done():
            self._queue[0].set_result(None)

    def idle(self) -> bool:
        return not self._queue and self._in_flight == 0 and self._wait_needed() == 0.0


class WindowRateLimiter(BaseRateLimiter[SendOptions]):
    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._overall = SlidingWindow(limits.overall_max_rate, limits.overall_time_period, clock)
        self._chats: dict[int | str, tuple[SlidingWindow, ...]] = {}

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def _chat_windows(self, chat_id: int | str) -> tuple[SlidingWindow, ...]:
        windows = self._chats.get(chat_id)
        if windows is None:
            if len(self._chats) > 4096:
                # Forget idle chats so a bot in many groups does not grow without bound.
                for key in [k for k, ws in self._chats.items() if all(w.idle() for w in ws)]:
                    del self._chats[key]
            limits = self.limits
            group = isinstance(chat_id, str) or chat_id < 0
            shapes = (
                [
                    (limits.group_max_rate, limits.group_time_period),
                    (limits.group_burst_max_rate, limits.group_burst_time_period),
                ]
                if group
                else [(limits.private_max_rate, limits.private_time_period)]
            )
            windows = tuple(SlidingWindow(n, period, self._clock) for n, period in shapes)
            self._chats[chat_id] = windows
        return windows

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: SendOptions | None,
    ) -> Any:
        chat_id = data.get("chat_id")
        if chat_id is None or not endpoint.startswith(_COUNTED_PREFIXES):
            return await callback(*args, **kwargs)
        with contextlib.suppress(TypeError, ValueError):
            chat_id = int(chat_id)
        chat_windows = self._chat_windows(chat_id)
        options = rate_limit_args or SendOptions()
        retries = self.limits.max_retries if options.max_retries is None else options.max_retries
        for attempt in range(retries + 1):
            try:
                async with contextlib.AsyncExitStack() as slots:
                    # Every window of the chat, always in the same order (no two sends can
                    # hold one each and wait for the other's), then the gate, then overall.
                    for window in chat_windows:
                        await slots.enter_async_context(window.slot(options.abandon))
                    await slots.enter_async_context(_gate(options))
                    async with self._overall.slot(options.abandon):
                        result = await callback(*args, **kwargs)
                    if options.then is not None:
                        await options.then(result)
                    return result
            except RetryAfter as exc:
                if attempt == retries:
                    raise
                seconds = retry_after_seconds(exc)
                log.info("429 from Telegram for chat %s: waiting %.1f s", chat_id, seconds)
                chat_windows[0].block_for(seconds)
        raise AssertionError("unreachable")


@contextlib.asynccontextmanager
async def _gate(options: SendOptions) -> AsyncIterator[None]:
    if options.gate is None:
        yield
        return
    async with options.gate:
        # The instance may have begun to stop while this send waited for the gate.
        if options.abandon is not None and options.abandon.is_set():
            raise Abandoned
        yield
