"""Fixtures for end-to-end bot tests against the in-process fake Bot API (bot.sandbox).

The chat tests (modules that start the bot with `running_bot`) run once per database backend:
on SQLite, and on PostgreSQL when PLANBOT_TEST_DATABASE_URL names a server (skipped with the
reason otherwise).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.sandbox import Sandbox
from tests.support.databases import (
    BACKENDS,
    drop_chat_databases,
    skip_unless_available,
    use_chat_backend,
)
from tests.support.harness import running_bot


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sqlite_only(reason): a chat test about SQLite itself; its PostgreSQL case is skipped",
    )
    config.addinivalue_line(
        "markers",
        "sandbox(**kwargs): keyword arguments for the Sandbox built by the `sandbox` fixture, "
        "e.g. @pytest.mark.sandbox(private_limit=(5, 0.5))",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if getattr(metafunc.module, "running_bot", None) is running_bot:
        metafunc.parametrize("chat_backend", BACKENDS, indirect=True)


@pytest.fixture(autouse=True)
def chat_backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """The backend `running_bot` uses in this test (ids: sqlite, postgres)."""
    backend = getattr(request, "param", "sqlite")
    sqlite_only = request.node.get_closest_marker("sqlite_only")
    if backend != "sqlite" and sqlite_only is not None:
        pytest.skip(f"SQLite only: {sqlite_only.args[0]}")
    skip_unless_available(backend)
    use_chat_backend(backend)
    try:
        yield backend
    finally:
        use_chat_backend("sqlite")
        asyncio.run(drop_chat_databases())


@pytest.fixture
async def sandbox(request: pytest.FixtureRequest) -> AsyncIterator[Sandbox]:
    """A started Sandbox on a free 127.0.0.1 port, stopped after the test; fails the test if
    the sandbox itself raised while answering the bot.

    Telegram's flood limits apply by default; shrink or widen them per test with
    ``@pytest.mark.sandbox(group_limit=(3, 0.2), ...)``.
    """
    marker = request.node.get_closest_marker("sandbox")
    options = dict(marker.kwargs) if marker else {}
    async with Sandbox(**options) as sb:
        yield sb
    assert sb.errors == [], f"the sandbox failed: {sb.errors!r}"


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
