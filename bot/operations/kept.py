"""What the public pages keep between requests, per process: a small map that forgets the
entry used least recently once full.

Three things are kept this way (bot/web/server.py makes one of each per server): the scope a
link opened (so a request asks the database one statement, the page's version, which also says
whether the link still works), the calendar feeds built last by ETag, and the board's pages by
version. Every kept value is derived from the database at a version the request checks first:
nothing kept is ever served without that check, so several instances stay correct.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Kept(Generic[K, V]):
    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._values.pop(key, None)
        if value is not None:
            self._values[key] = value
        return value

    def keep(self, key: K, value: V) -> None:
        self._values.pop(key, None)
        self._values[key] = value
        while len(self._values) > self.size:
            self._values.popitem(last=False)

    def drop(self, key: K) -> None:
        self._values.pop(key, None)

    def forget(self) -> None:
        self._values.clear()

    def __len__(self) -> int:
        return len(self._values)
