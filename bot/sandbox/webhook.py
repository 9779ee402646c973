"""Webhook delivery, as Telegram does it: POST each update, in order, until it is taken.

Telegram keeps an update until the bot's server answers 2xx, retrying on errors; it sends the
secret token in X-Telegram-Bot-Api-Secret-Token. The sandbox retries quickly (tests must not
wait) and records every attempt so a test can see what the bot's server answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from .core import Sandbox

log = logging.getLogger("bot.sandbox")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
RETRY_SECONDS = 0.05


@dataclass
class WebhookTarget:
    url: str
    secret_token: str | None = None


@dataclass
class WebhookDelivery:
    update_id: int
    status: int | None  # None: no answer (connection refused, timeout)
    error: str = ""


@dataclass
class WebhookDeliverer:
    sandbox: Sandbox
    target: WebhookTarget
    deliveries: list[WebhookDelivery] = field(default_factory=list)
    _task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="sandbox-webhook")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        sb = self.sandbox
        headers = {"Content-Type": "application/json"}
        if self.target.secret_token:
            headers[SECRET_HEADER] = self.target.secret_token
        async with httpx.AsyncClient(timeout=10.0) as client:
            while True:
                pending = sb._deliverable_updates(1)
                if not pending:
                    await sb._wait_change(3600)
                    continue
                update = pending[0]
                try:
                    response = await client.post(self.target.url, json=update, headers=headers)
                    self.deliveries.append(
                        WebhookDelivery(update["update_id"], response.status_code)
                    )
                    delivered = 200 <= response.status_code < 300
                except httpx.HTTPError as error:
                    self.deliveries.append(WebhookDelivery(update["update_id"], None, str(error)))
                    delivered = False
                if delivered:
                    sb._confirm_updates(update["update_id"] + 1)
                else:
                    await asyncio.sleep(RETRY_SECONDS)
