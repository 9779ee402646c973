"""Requests per client address for the public pages (the board, calendar feeds, the Mini App):
a token bucket each, in memory.

The pages are open to anyone holding a link, so a guessing loop or a broken client polling in a
tight loop must not cost the database more than a person would. In memory and per process: an
instance behind a load balancer limits its own share, which is what protects its database
connections; the client address is tornado's remote_ip (X-Real-IP / X-Forwarded-For when the
server runs with xheaders behind a proxy, as bot/web/server.py starts it).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

# A person flipping months and opening item histories stays far below this; a calendar client
# polls every few minutes.
BURST = 30
PER_SECOND = 5.0
# Addresses remembered at most: the oldest is forgotten first (a full bucket again), so a flood
# from many addresses costs bounded memory.
MAX_CLIENTS = 10_000


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    def __init__(
        self,
        *,
        burst: int = BURST,
        per_second: float = PER_SECOND,
        max_clients: int = MAX_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst = burst
        self.per_second = per_second
        self.max_clients = max_clients
        self.clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def allow(self, client: str) -> bool:
        """Take one request from `client`'s bucket; False when it is empty (answer 429)."""
        now = self.clock()
        bucket = self._buckets.pop(client, None)
        if bucket is None:
            bucket = _Bucket(float(self.burst), now)
        else:
            refill = (now - bucket.at) * self.per_second
            bucket.tokens = min(float(self.burst), bucket.tokens + refill)
            bucket.at = now
        # Most recently seen last, so the first is the one to forget.
        self._buckets[client] = bucket
        if len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        if bucket.tokens < 1.0:
            return False
        bucket.tokens -= 1.0
        return True
