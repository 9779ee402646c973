"""Throttling outgoing messages to Telegram's flood limits.

PTB's AIORateLimiter uses leaky buckets (a group's "20 per minute" becomes a burst of 20, then
one every 3 s, which Telegram may still refuse), has no per-private-chat bucket, and halts every
request on one 429. This limiter keeps sliding windows instead — overall, per group and per
private chat — with the same (count, seconds) parameters the sandbox enforces, and a 429 only
holds back the chat it came from.
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
# How often a send waiting for its window asks whether it is still wanted.
_ABANDON_POLL_SECONDS = 0.2


@dataclass(frozen=True, slots=True)
class SendOptions:
    """A send's `rate_limit_args`: how often to retry a 429 (None: the configured count), and
    `abandon`, asked while the send waits for a window — True gives it up before it leaves.

    `gate`, when given, is taken once the chat's window lets the send go (so a chat waiting for
    its window holds up no other) and kept until `then` has run on Telegram's answer: the
    dispatcher records each reminder message before the next one leaves."""

    max_retries: int | None = None
    abandon: Callable[[], bool] | None = None
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
    """

    def __init__(self, limit: int, period: float, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.period = period
        self._clock = clock
        self._done: deque[float] = deque()
        self._in_flight = 0
        self._blocked_until = 0.0
        self._changed = asyncio.Condition()

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
    async def slot(self, abandon: Callable[[], bool] | None = None) -> AsyncIterator[None]:
        async with self._changed:
            while (wait := self._wait_needed()) != 0.0:
                if abandon is not None:
                    if abandon():
                        raise Abandoned
                    wait = min(wait or _ABANDON_POLL_SECONDS, _ABANDON_POLL_SECONDS)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), timeout=wait)
            self._in_flight += 1
        try:
            yield
        finally:
            async with self._changed:
                self._in_flight -= 1
                self._done.append(self._clock())
                self._changed.notify_all()

    def idle(self) -> bool:
        return self._wait_needed() == 0.0 and self._in_flight == 0


class WindowRateLimiter(BaseRateLimiter[SendOptions]):
    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._overall = SlidingWindow(limits.overall_max_rate, limits.overall_time_period, clock)
        self._chats: dict[int | str, SlidingWindow] = {}

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def _chat_window(self, chat_id: int | str) -> SlidingWindow:
        window = self._chats.get(chat_id)
        if window is None:
            if len(self._chats) > 4096:
                # Forget idle chats so a bot in many groups does not grow without bound.
                for key in [k for k, w in self._chats.items() if w.idle()]:
                    del self._chats[key]
            group = isinstance(chat_id, str) or chat_id < 0
            limit, period = (
                (self.limits.group_max_rate, self.limits.group_time_period)
                if group
                else (self.limits.private_max_rate, self.limits.private_time_period)
            )
            window = self._chats[chat_id] = SlidingWindow(limit, period, self._clock)
        return window

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
        chat_window = self._chat_window(chat_id)
        options = rate_limit_args or SendOptions()
        retries = self.limits.max_retries if options.max_retries is None else options.max_retries
        for attempt in range(retries + 1):
            try:
                async with chat_window.slot(options.abandon), _gate(options):
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
                chat_window.block_for(seconds)
        raise AssertionError("unreachable")


@contextlib.asynccontextmanager
async def _gate(options: SendOptions) -> AsyncIterator[None]:
    if options.gate is None:
        yield
        return
    async with options.gate:
        # The instance may have begun to stop while this send waited for the gate.
        if options.abandon is not None and options.abandon():
            raise Abandoned
        yield
