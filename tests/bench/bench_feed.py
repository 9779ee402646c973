"""GET /ics/<token>.ics on the large office (issue 17): feed answers and 304 answers, p50/p99.

The bot runs on a copy of the cached office (tests/bench/cache.py; by default 10,000 items in
groups of 500) with its tornado server; the first group's feed (500 items), the first leader's
own (across their group) and a department's are each asked for in turn, `requests` times in
all (a feed is built once per version and kept by its ETag, bot/operations/feeds.py:FeedBodies:
these are what a polling calendar without a validator costs); then the same number of requests
carrying the ETag each got, which are answered 304; and `builds` requests with the kept feeds
forgotten first, each building its feed (what the first request after a change costs).
Goals (issue 17): feed p99 < 50 ms, 304 p99 < 5 ms.

Run alone: PYTHONPATH=. .venv/bin/python tests/bench/bench_feed.py [--items 10000]
    [--requests 1000] [--cache DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select
from sqlmodel import col

from bot.web.ics_feed import CONTENT_TYPE
from bot.web.server import WebServer
from storage.access_tokens import link_token, server_secret
from storage.models import AccessKind, Chat, Department
from storage.rows import pk
from tests.bench.bench_commands import _ms, office_bot
from tests.bench.cache import DEFAULT_CACHE, FIRST_SANDBOX_GROUP
from tests.bench.floor_http import floor_timings
from tests.support.large_office import FIRST_USER


async def _tokens(db: Any) -> list[str]:
    """The links of the first group, its first leader and one of its departments."""
    now = datetime.now(UTC)
    async with db.session() as session:
        chat = await session.scalar(
            select(pk(Chat.id)).where(col(Chat.tg_chat_id) == FIRST_SANDBOX_GROUP)
        )
        department = await session.scalar(
            select(pk(Department.id)).where(col(Department.chat_id) == chat).limit(1)
        )
        secret = await server_secret(session, None)
        scopes: list[dict[str, int]] = [
            {"chat_id": chat},
            {"tg_user_id": FIRST_USER},
            {"department_id": department},
        ]
        return [
            await link_token(session, AccessKind.ICS, secret=secret, now=now, **scope)
            for scope in scopes
        ]


async def measure(
    items: int = 10_000, requests: int = 1_000, cache: Path = DEFAULT_CACHE, builds: int = 30
) -> dict[str, Any]:
    """`feed p50 ms`, `feed p99 ms`, `304 p50 ms`, `304 p99 ms`, `built p50 ms`, `built p99
    ms`, and the feeds' sizes."""
    figures: dict[str, Any] = {"items": items, "requests": requests}
    async with office_bot(items, cache) as office:
        tokens = await _tokens(office.db)
        server = WebServer(office.application)
        # One client address asks thousands of times: the per-address limit is not measured.
        server.rate_limiter.burst, server.rate_limiter.per_second = 10**9, 1e9
        port = server.start("127.0.0.1", 0)
        try:
            base = f"http://127.0.0.1:{port}"
            async with httpx.AsyncClient(base_url=base, timeout=60) as client:
                etags: dict[str, str] = {}
                for token in tokens:  # warm up, and each feed's size
                    answer = await client.get(f"/ics/{token}.ics")
                    assert answer.status_code == 200, answer.status_code
                    etags[token] = answer.headers["etag"]
                    figures[f"events {len(etags)}"] = answer.content.count(b"BEGIN:VEVENT")
                fed, unchanged = [], []
                for n in range(requests):
                    token = tokens[n % len(tokens)]
                    started = time.perf_counter()
                    answer = await client.get(f"/ics/{token}.ics")
                    fed.append(time.perf_counter() - started)
                    assert answer.status_code == 200
                for n in range(requests):
                    token = tokens[n % len(tokens)]
                    started = time.perf_counter()
                    answer = await client.get(
                        f"/ics/{token}.ics", headers={"If-None-Match": etags[token]}
                    )
                    unchanged.append(time.perf_counter() - started)
                    assert answer.status_code == 304
                built = []
                for n in range(builds):
                    server.feed_bodies.forget()
                    started = time.perf_counter()
                    answer = await client.get(f"/ics/{tokens[n % len(tokens)]}.ics")
                    built.append(time.perf_counter() - started)
                    assert answer.status_code == 200
        finally:
            await server.stop()
        assert not office.crashes, f"the bot crashed: {office.crashes[0]!r}"
    _ms(figures, "feed", fed)
    _ms(figures, "304", unchanged)
    _ms(figures, "built", built)
    floor_fed = await floor_timings(answer.content, CONTENT_TYPE, requests)
    floor_unchanged = await floor_timings(answer.content, CONTENT_TYPE, requests, not_modified=True)
    _ms(figures, "floor feed", floor_fed)
    _ms(figures, "floor 304", floor_unchanged)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=1_000)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = parser.parse_args()
    figures = asyncio.run(measure(args.items, args.requests, args.cache))
    print(f"{args.items:,} items, SQLite, {datetime.now(UTC):%Y-%m-%d}")
    for name, value in figures.items():
        print(f"  {name}: {value:.2f}" if isinstance(value, float) else f"  {name}: {value}")


if __name__ == "__main__":
    main()
