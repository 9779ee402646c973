"""Flood control and fault injection, the two ways the sandbox makes a request fail on purpose."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from .models import ApiError

Window = tuple[int, float]  # (max messages, seconds)
FaultKind = Literal["5xx", "429", "hang"]


class _SlidingWindow:
    def __init__(self, limit: Window) -> None:
        self.count, self.seconds = limit
        self.stamps: deque[float] = deque()

    def retry_after(self, now: float) -> float | None:
        """Seconds until one more message fits, or None if it fits now."""
        while self.stamps and self.stamps[0] <= now - self.seconds:
            self.stamps.popleft()
        if len(self.stamps) < self.count:
            return None
        # The window frees up when the oldest stamp that keeps it full expires.
        return self.stamps[-self.count] + self.seconds - now


class FloodControl:
    """Telegram's published send limits as sliding windows: a private chat's, a group's two
    (so many a minute, and at most one a second — Telegram lets short bursts pass but asks
    bots to plan for the rule; `group_burst` None leaves it out), and the overall one.

    The clock must be monotonic: tests move wall time with time-machine, which must neither
    unblock nor freeze the limiter.
    """

    def __init__(
        self,
        *,
        private: Window,
        group: Window,
        group_burst: Window | None,
        overall: Window,
        clock: Callable[[], float],
    ) -> None:
        self._limits: dict[str, list[Window]] = {
            "private": [private],
            "group": [group] if group_burst is None else [group, group_burst],
        }
        self._per_chat: dict[int, list[_SlidingWindow]] = {}
        self._overall = _SlidingWindow(overall)
        self._clock = clock

    def acquire(self, chat_id: int, chat_type: str) -> None:
        """Count one message into ``chat_id`` or raise the 429 Telegram would answer."""
        now = self._clock()
        kind = "private" if chat_type == "private" else "group"
        chat_windows = self._per_chat.get(chat_id)
        if chat_windows is None:
            chat_windows = self._per_chat[chat_id] = [
                _SlidingWindow(limit) for limit in self._limits[kind]
            ]
        windows = [*chat_windows, self._overall]
        waits = [w for w in (window.retry_after(now) for window in windows) if w]
        if waits:
            retry_after = max(1, math.ceil(max(waits)))
            raise ApiError(
                429,
                f"Too Many Requests: retry after {retry_after}",
                {"retry_after": retry_after},
            )
        for window in windows:
            window.stamps.append(now)


@dataclass
class Fault:
    remaining: int
    kind: FaultKind
    retry_after: int = 1
    status: int = 500
    # Lower-cased method names; None matches every method except getUpdates.
    methods: frozenset[str] | None = None
    hits: list[str] = field(default_factory=list)

    def matches(self, method: str) -> bool:
        if self.remaining <= 0:
            return False
        if self.methods is None:
            return method.lower() != "getupdates"
        return method.lower() in self.methods


class FaultPlan:
    """Queue of injected faults; the first rule matching a call consumes one of its uses."""

    def __init__(self) -> None:
        self.rules: list[Fault] = []

    def add(
        self,
        n: int,
        kind: FaultKind,
        *,
        retry_after: int,
        status: int,
        methods: Iterable[str] | None,
    ) -> Fault:
        if kind not in ("5xx", "429", "hang"):
            raise ValueError(f"unknown fault kind {kind!r}")
        if kind == "5xx" and not 500 <= status <= 599:
            raise ValueError(f"a 5xx fault needs a 5xx status, not {status}")
        names = None if methods is None else frozenset(m.lower() for m in methods)
        rule = Fault(n, kind, retry_after=retry_after, status=status, methods=names)
        self.rules.append(rule)
        return rule

    def take(self, method: str) -> Fault | None:
        for rule in self.rules:
            if rule.matches(method):
                rule.remaining -= 1
                rule.hits.append(method)
                return rule
        return None

    def clear(self) -> None:
        self.rules.clear()
