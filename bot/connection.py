"""The bot's connection to the Bot API: PTB's ExtBot and Updater, built from the config
without the rest of the bot (handlers, tables, scheduler), so that `planbot run` can start
polling before it loads them (bot/cli/run.py); `bot.app.build_application` wires an
Application around it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx
from telegram.constants import ParseMode
from telegram.ext import Defaults, ExtBot, Updater
from telegram.request import HTTPXRequest

from bot.config import Config
from bot.delivery.ratelimit import SendOptions, WindowRateLimiter


@dataclass(frozen=True, slots=True)
class Connection:
    updater: Updater
    # Set when updates start to flow: the first getUpdates went out, or the webhook is set.
    receiving: asyncio.Event


def connect(config: Config) -> Connection:
    """The ExtBot (our rate limiter, HTML by default) and its Updater, not yet initialized."""
    receiving = asyncio.Event()
    methods, polls = _requests(receiving)
    bot: ExtBot[SendOptions] = ExtBot(
        config.token,
        base_url=config.telegram.base_url,
        base_file_url=config.telegram.base_file_url,
        # The bot speaks HTML (escaped by bot.views.render.esc); a plain-text message says
        # parse_mode=None.
        defaults=Defaults(parse_mode=ParseMode.HTML),
        rate_limiter=WindowRateLimiter(config.telegram.rate_limits),
        request=methods,
        get_updates_request=polls,
    )
    return Connection(Updater(bot=bot, update_queue=asyncio.Queue()), receiving)


def _requests(receiving: asyncio.Event) -> tuple[HTTPXRequest, HTTPXRequest]:
    """PTB's two connections to the Bot API, as its builder makes them (256 for the methods,
    one for getUpdates), but with one TLS context: httpx loads the CA bundle for each client
    it makes, 20-40 ms of CPU and 1-3 MiB apiece. The getUpdates one sets `receiving` once
    the first getUpdates is written to the socket, not merely begun: a request on the other,
    already open connection could otherwise overtake it while this one still connects."""
    tls = httpx.create_ssl_context()

    async def traced(event: str, info: dict[str, Any]) -> None:
        if event.endswith("send_request_body.complete"):
            receiving.set()

    async def trace(request: httpx.Request) -> None:
        request.extensions["trace"] = traced

    methods = HTTPXRequest(connection_pool_size=256, httpx_kwargs={"verify": tls})
    polls = HTTPXRequest(
        connection_pool_size=1,
        httpx_kwargs={"verify": tls, "event_hooks": {"request": [trace]}},
    )
    return methods, polls
