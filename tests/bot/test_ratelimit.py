"""The bot's own throttle keeps to sliding windows and waits out a 429 for that chat only."""

import asyncio
import time

import pytest
from telegram.error import RetryAfter

from bot.config import RateLimits
from bot.delivery.ratelimit import Abandoned, SendOptions, SlidingWindow, WindowRateLimiter


class Clock:
    """A hand-moved clock for the windows: sends are admitted by what it says, not by how fast
    this machine happens to run."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def _admitted(window: SlidingWindow, log: list[int], n: int) -> None:
    async with window.slot():
        log.append(n)


async def test_window_admits_limit_then_waits_for_the_oldest_to_expire():
    clock = Clock()
    # Binary fractions: the clock's sums are exact.
    window = SlidingWindow(3, 0.25, clock)
    admitted: list[int] = []
    for n in range(3):
        await _admitted(window, admitted, n)
    assert admitted == [0, 1, 2]
    fourth = asyncio.create_task(_admitted(window, admitted, 3))
    clock.now = 0.1875
    # Longer than the window's own wait: it has looked again, and the clock still says no.
    await asyncio.sleep(0.3)
    assert admitted == [0, 1, 2], "the 4th may only start once the 1st is a whole period old"
    clock.now = 0.25
    await asyncio.wait_for(fourth, 5)
    assert admitted == [0, 1, 2, 3]


async def test_no_period_ever_holds_more_than_the_limit_with_concurrent_senders():
    clock = Clock()
    window = SlidingWindow(4, 0.25, clock)
    stamps: list[float] = []

    async def send():
        async with window.slot():
            stamps.append(clock.now)
            await asyncio.sleep(0)

    senders = asyncio.gather(*(send() for _ in range(12)))
    while not senders.done():
        await asyncio.sleep(0.01)
        clock.now += 1 / 64
    await senders
    stamps.sort()
    assert len(stamps) == 12
    for i in range(len(stamps) - 4):
        assert stamps[i + 4] - stamps[i] >= 0.25


async def test_retry_after_is_waited_out_and_the_send_repeated():
    limiter = WindowRateLimiter(RateLimits(max_retries=2))
    attempts: list[float] = []

    async def flaky():
        attempts.append(time.monotonic())
        if len(attempts) == 1:
            raise RetryAfter(0)
        return {"ok": True}

    result = await limiter.process_request(flaky, (), {}, "sendMessage", {"chat_id": -5}, None)
    assert result == {"ok": True} and len(attempts) == 2


async def test_requests_without_a_message_are_not_throttled():
    limiter = WindowRateLimiter(RateLimits(overall_max_rate=1, overall_time_period=10))
    calls = 0

    async def call():
        nonlocal calls
        calls += 1
        return True

    for _ in range(3):
        await limiter.process_request(call, (), {}, "answerCallbackQuery", {}, None)
    assert calls == 3


async def test_a_send_waiting_for_its_window_is_given_up_when_abandoned():
    limiter = WindowRateLimiter(RateLimits(group_max_rate=1, group_time_period=60))
    sent: list[str] = []

    async def send(text: str):
        sent.append(text)
        return {"ok": True}

    async def request(text: str, abandon=None):
        return await limiter.process_request(
            send, (text,), {}, "sendMessage", {"chat_id": -5}, SendOptions(abandon=abandon)
        )

    await request("first")
    stopping = False
    waiting = asyncio.create_task(request("second", abandon=lambda: stopping))
    await asyncio.sleep(0.3)
    assert not waiting.done(), "the group's window holds the second send for a minute"
    stopping = True
    # Half the window's minute: given up on, not waited out.
    with pytest.raises(Abandoned):
        await asyncio.wait_for(waiting, 30)
    assert sent == ["first"], "nothing was sent for the abandoned request"
