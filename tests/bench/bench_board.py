"""Benchmark the web board: `--requests` GETs of /board/<token> over HTTP from the bot's own
server, on the cached office (tests/bench/cache.py; 10,000 items by default, the group's plan
holding 500 of them, every one a card), and the floor.

The floor is the same page's bytes served by a bare tornado handler on the same loop: what HTTP
and the client cost, so the difference is the board's own work (token lookup, the plan's
reads, the rows, the template). The board's rate limit is lifted (one client address).
A page is kept by the version of what it shows (bot/web/board.py:BoardPages), so the repeated
requests measure the version's statement and the kept bytes; `builds` more requests, each with
the kept pages forgotten first, measure what the first request after a change costs.

Run: PYTHONPATH=. .venv/bin/python tests/bench/bench_board.py [--items 10000] [--requests 1000]
     [--cache DIR] [--per-chat 40]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import httpx

from bot.web.server import WebServer
from storage.access_tokens import link_token, server_secret
from storage.chats import get_chat
from storage.models import AccessKind
from tests.bench.bench_commands import _ms, office_bot, percentile
from tests.bench.cache import DEFAULT_CACHE
from tests.bench.floor_http import floor_timings


async def _timed(client: httpx.AsyncClient, url: str, requests: int) -> tuple[list[float], str]:
    timings: list[float] = []
    body = ""
    for _ in range(requests):
        started = time.perf_counter()
        answer = await client.get(url)
        timings.append(time.perf_counter() - started)
        assert answer.status_code == 200, answer.status_code
        body = answer.text
    return timings, body


async def measure(
    items: int = 10_000,
    requests: int = 1_000,
    cache: Path = DEFAULT_CACHE,
    per_chat: int | None = None,
    builds: int = 30,
) -> dict[str, Any]:
    """`board p50 ms`, `board p99 ms` (the page kept by its version after the first),
    `built p50/p99 ms` (`builds` requests with no page kept), `floor board p50/p99 ms`,
    `cards`, `page KiB`. `per_chat`: items per group's plan (default the office's 500)."""
    figures: dict[str, Any] = {"items": items, "requests": requests}
    async with office_bot(items, cache, per_chat) as office:
        async with office.db.session() as session:
            chat = await get_chat(session, office.group.id)
            assert chat is not None and chat.id is not None
            secret = await server_secret(session, None)
            token = await link_token(
                session,
                AccessKind.BOARD,
                secret=secret,
                now=office.application.bot_data.services.now(),
                chat_id=chat.id,
            )
        server = WebServer(office.application)
        server.rate_limiter.burst = 10**9
        port = server.start("127.0.0.1", 0)
        try:
            async with httpx.AsyncClient(timeout=60) as client:
                url = f"http://127.0.0.1:{port}/board/{token}"
                await _timed(client, url, 5)  # warm up: templates compiled, pool open
                timings, body = await _timed(client, url, requests)
                # With no page kept: what the first request after a change costs.
                built: list[float] = []
                for _ in range(builds):
                    server.board_pages.forget()
                    built.extend((await _timed(client, url, 1))[0])
        finally:
            await server.stop()
        assert not office.crashes, f"the bot crashed: {office.crashes[0]!r}"
    figures["cards"] = body.count('<article class="item')
    figures["page KiB"] = len(body.encode()) / 1024
    _ms(figures, "board", timings)
    _ms(figures, "built", built)

    floor = await floor_timings(body.encode(), "text/html; charset=utf-8", requests)
    _ms(figures, "floor board", floor)
    figures["board max ms"] = percentile(timings, 1.0) * 1000
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=1_000)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--per-chat", type=int, help="items per group's plan (default 500)")
    args = parser.parse_args()
    figures = measure(args.items, args.requests, args.cache, args.per_chat)
    print(json.dumps(asyncio.run(figures), indent=1))


if __name__ == "__main__":
    main()
