"""The bot's own throttle keeps to sliding windows and waits out a 429 for that chat only."""

import asyncio
import time

import pytest
from telegram.error import RetryAfter

from bot.config import RateLimits
from bot.ratelimit import Abandoned, SendOptions, SlidingWindow, WindowRateLimiter


async def test_window_admits_limit_then_waits_for_the_oldest_to_expire():
    window = SlidingWindow(3, 0.2)
    done: list[float] = []
    start = time.monotonic()
    for _ in range(5):
        async with window.slot():
            done.append(time.monotonic() - start)
    assert all(t < 0.1 for t in done[:3])
    # The 4th send may only start once the 1st completed a whole period ago.
    assert done[3] >= 0.2 - 0.01


async def test_no_period_ever_holds_more_than_the_limit_with_concurrent_senders():
    window = SlidingWindow(4, 0.15)
    stamps: list[float] = []

    async def send():
        async with window.slot():
            stamps.append(time.monotonic())
            await asyncio.sleep(0.005)

    await asyncio.gather(*(send() for _ in range(12)))
    stamps.sort()
    for i in range(len(stamps) - 4):
        assert stamps[i + 4] - stamps[i] >= 0.15 - 0.005


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
    started = time.monotonic()
    with pytest.raises(Abandoned):
        await waiting
    assert time.monotonic() - started < 1.0
    assert sent == ["first"], "nothing was sent for the abandoned request"
