"""The bot's own throttle keeps to sliding windows and waits out a 429 for that chat only."""

import asyncio
import time

from telegram.error import RetryAfter

from bot.config import RateLimits
from bot.ratelimit import SlidingWindow, WindowRateLimiter


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
