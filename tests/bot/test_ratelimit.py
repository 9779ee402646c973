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
    stopping = asyncio.Event()
    waiting = asyncio.create_task(request("second", abandon=stopping))
    await asyncio.sleep(0.3)
    assert not waiting.done(), "the group's window holds the second send for a minute"
    stopping.set()
    # Half the window's minute: given up on, not waited out.
    with pytest.raises(Abandoned):
        await asyncio.wait_for(waiting, 30)
    assert sent == ["first"], "nothing was sent for the abandoned request"


class CountingClock:
    """The real monotonic clock, counting how often the window reads it: each waiting send
    that wakes up to look at the window reads it once."""

    def __init__(self) -> None:
        self.reads = 0

    def __call__(self) -> float:
        self.reads += 1
        return time.monotonic()


async def test_waiting_sends_go_in_arrival_order_and_only_the_first_is_woken():
    clock = CountingClock()
    window = SlidingWindow(1, 0.002, clock)
    order: list[int] = []
    senders = 150

    async def send(n: int) -> None:
        async with window.slot():
            order.append(n)

    tasks = []
    for n in range(senders):
        tasks.append(asyncio.create_task(send(n)))
        await asyncio.sleep(0)  # arrive one after another
    clock.reads = 0
    await asyncio.wait_for(asyncio.gather(*tasks), 30)
    assert order == list(range(senders))
    # Waking every waiter at each send (the old Condition.notify_all) read the clock about
    # senders / 2 times per send; waking the first in line alone costs a few reads each.
    assert clock.reads / senders < 10, f"{clock.reads} clock reads for {senders} sends"


async def test_every_waiting_send_gives_up_at_once_when_abandoned():
    window = SlidingWindow(1, 60.0)
    stop = asyncio.Event()
    admitted: list[int] = []

    async def send(n: int) -> None:
        async with window.slot(stop):
            admitted.append(n)

    await send(0)  # fills the window for a minute
    waiting = [asyncio.create_task(send(n)) for n in range(1, 41)]
    await asyncio.sleep(0.05)
    assert not any(task.done() for task in waiting)
    stop.set()
    done, pending = await asyncio.wait(waiting, timeout=5)
    assert not pending, "a send behind the first in line waited on"
    assert all(isinstance(task.exception(), Abandoned) for task in done)
    assert admitted == [0]
    assert window.idle() is False  # the minute is still running: nothing else was let through


async def test_a_send_that_gave_up_lets_the_next_in_line_go():
    clock = Clock()
    window = SlidingWindow(1, 0.25, clock)
    stop = asyncio.Event()
    admitted: list[str] = []

    async def send(name: str, abandon: asyncio.Event | None) -> None:
        async with window.slot(abandon):
            admitted.append(name)

    await send("first", None)
    quitter = asyncio.create_task(send("quitter", stop))
    await asyncio.sleep(0)
    stayer = asyncio.create_task(send("stayer", None))
    await asyncio.sleep(0.05)
    stop.set()
    with pytest.raises(Abandoned):
        await asyncio.wait_for(quitter, 5)
    clock.now = 0.25
    await asyncio.wait_for(stayer, 5)
    assert admitted == ["first", "stayer"]


async def test_a_group_gets_one_message_a_second_a_private_chat_is_apart():
    clock = Clock()
    limiter = WindowRateLimiter(
        RateLimits(group_burst_max_rate=1, group_burst_time_period=0.25), clock
    )
    stamps: dict[int, list[float]] = {-5: [], 7: []}

    async def send(chat_id: int):
        stamps[chat_id].append(clock.now)
        return {"ok": True}

    def request(chat_id: int):
        return limiter.process_request(
            send, (chat_id,), {}, "sendMessage", {"chat_id": chat_id}, None
        )

    group = asyncio.gather(*(request(-5) for _ in range(3)))
    await request(7)  # the private chat's own window, not the group's
    while not group.done():
        await asyncio.sleep(0.01)
        clock.now += 1 / 64
    await group
    assert stamps[7] == [0.0]
    first, second, third = stamps[-5]
    assert second - first >= 0.25 and third - second >= 0.25
