"""Counting the updates the bot has finished with.

The console waits on it before reading the next line, the tests before asserting, and it is
the natural source of an "updates handled" metric. It sits in PTB's update processor, so an
update counts as handled whatever its handlers did (answered, stopped at the gate, raised).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from telegram.ext import BaseUpdateProcessor


class CountingUpdateProcessor(BaseUpdateProcessor):
    """Handles updates one at a time, in order, and counts them."""

    def __init__(self) -> None:
        super().__init__(max_concurrent_updates=1)
        self.handled = 0
        self._progress = asyncio.Event()

    async def do_process_update(self, update: object, coroutine: Awaitable[object]) -> None:
        try:
            await coroutine
        finally:
            self.handled += 1
            self._progress.set()

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
