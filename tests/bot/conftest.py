"""Fixtures for end-to-end bot tests against the in-process fake Bot API (bot.sandbox)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.sandbox import Sandbox


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sandbox(**kwargs): keyword arguments for the Sandbox built by the `sandbox` fixture, "
        "e.g. @pytest.mark.sandbox(private_limit=(5, 0.5))",
    )


@pytest.fixture
async def sandbox(request: pytest.FixtureRequest) -> AsyncIterator[Sandbox]:
    """A started Sandbox on a free 127.0.0.1 port, stopped after the test.

    Telegram's flood limits apply by default; shrink or widen them per test with
    ``@pytest.mark.sandbox(group_limit=(3, 0.2), ...)``.
    """
    marker = request.node.get_closest_marker("sandbox")
    options = dict(marker.kwargs) if marker else {}
    async with Sandbox(**options) as sb:
        yield sb


@pytest.fixture
async def sandbox_bot(sandbox: Sandbox) -> AsyncIterator[Bot]:
    """A real, initialized telegram.Bot talking to ``sandbox`` over HTTP."""

    def plain_http() -> HTTPXRequest:
        # The sandbox speaks plain HTTP: skipping the TLS context saves ~0.1s per client.
        return HTTPXRequest(httpx_kwargs={"verify": False})

    async with Bot(
        sandbox.token,
        base_url=sandbox.base_url,
        base_file_url=sandbox.base_file_url,
        request=plain_http(),
        get_updates_request=plain_http(),
    ) as tg_bot:
        yield tg_bot
