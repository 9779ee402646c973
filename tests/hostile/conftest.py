"""The hostile suite: hypothesis sends generated hostile messages and forged button presses
through the real bot (the sandbox Bot API over HTTP) and checks each answer.

Each test runs one bot on one database for all its examples (see live.py), on SQLite and on
PostgreSQL as the chat tests do. The number of examples is fixed and the examples are the same
on every run (`derandomize`), so CI's time and findings do not vary; PLANBOT_HOSTILE_PROFILE=long
draws ten times as many, differently on every run, for a deeper search by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

# The chat tests' backend switch (sqlite, postgres), reused as is.
from tests.bot.conftest import chat_backend  # noqa: F401
from tests.hostile.live import World, live_world
from tests.support.databases import BACKENDS


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "live" in metafunc.fixturenames:
        metafunc.parametrize("chat_backend", BACKENDS, indirect=True)


@pytest.fixture
def live(tmp_path: Path) -> Iterator[World]:
    """The running bot and its world, shared by every example of the test."""
    with live_world(tmp_path) as world:
        yield world
