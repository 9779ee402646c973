"""A group with the sample plan in several states, and its web board served over HTTP: what
the board's HTML tests, browser tests and benchmark share."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.web.server import WebServer
from tests.support.chat import joined, seed
from tests.support.harness import Harness

PUBLIC_URL = "https://plan.example.gov.cn"
HOSTILE_TITLE = '<script>alert("x")</script>&amp; 标题'
_LINK = re.compile(re.escape(PUBLIC_URL) + r"/board/([A-Za-z0-9_-]+)")
# /plan's first line of an item: marker (or none), number.
_HEAD = re.compile(r"^(?:(\S+) )?(\d+)\. ", re.MULTILINE)


def plan_markers(text: str) -> dict[int, str]:
    """Item number → /plan's marker ("" for none)."""
    return {int(seq): marker or "" for marker, seq in _HEAD.findall(text)}


def token_of(text: str) -> str:
    found = _LINK.search(text)
    assert found, f"no board link in {text!r}"
    return found.group(1)


async def sample_in_states(bot: Harness) -> None:
    """The sample plan (all due 2020-10-31) on 2020-10-29, made to show every state: 1 done,
    2 near with a note (80%, reported), 3 overdue (moved to 10-20); the rest behind (3 days
    left, no report). The clock must be pinned to 2020-10-29 by the caller."""
    await seed(bot)
    for command in ("/done 1", "/progress 2 80% 已召开筹备会", "/edit 3 时限 10月20日"):
        replies = await bot.say(command, user=bot.admin)
        assert replies, command


async def office_in_states(bot: Harness) -> None:
    """`sample_in_states`, and item 11 with a hostile title (due 10-30)."""
    await sample_in_states(bot)
    replies = await bot.say(f"/add {HOSTILE_TITLE} | 董军 | 办公室 | 10月30日", user=bot.admin)
    assert replies, "/add"


async def board_token(bot: Harness, argument: str = "") -> str:
    replies = await bot.say(f"/board {argument}".strip(), user=bot.admin)
    return token_of(joined(replies))


@dataclass
class Served:
    server: WebServer
    base: str

    def url(self, token: str, rest: str = "") -> str:
        return f"{self.base}/board/{token}{rest}"


@asynccontextmanager
async def served(bot: Harness) -> AsyncIterator[Served]:
    server = WebServer(bot.application)
    port = server.start("127.0.0.1", 0)
    try:
        yield Served(server, f"http://127.0.0.1:{port}")
    finally:
        await server.stop()
