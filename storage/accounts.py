"""Telegram accounts the bot has seen: the way back from a @username to a user id.

The Bot API has no "look up @username", so `/bind @name` can only find people whose messages
the bot has seen. Remembering them here rather than in memory lets that survive a restart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import TelegramAccount
from storage.rows import pk
from storage.unique import add_or_fetch


@dataclass(frozen=True, slots=True)
class SeenAccount:
    """A Telegram user as one update showed them."""

    tg_user_id: int
    username: str | None
    full_name: str

    @property
    def username_key(self) -> str | None:
        return username_key(self.username)


def username_key(username: str | None) -> str | None:
    """What usernames are compared on: no "@", lower case (Telegram ignores case)."""
    key = (username or "").removeprefix("@").lower()
    return key or None


async def get_account(session: AsyncSession, tg_user_id: int) -> TelegramAccount | None:
    return await session.scalar(
        select(TelegramAccount).where(col(TelegramAccount.tg_user_id) == tg_user_id)
    )


async def find_account_by_username(session: AsyncSession, username: str) -> TelegramAccount | None:
    """The account that holds `username` ("@LiSi" finds lisi), or None if never seen.

    remember_accounts takes a username away from its previous holder, so there is normally one
    row; should two instances have raced, the one seen last is the newer holder.
    """
    key = username_key(username)
    if key is None:
        return None
    return await session.scalar(
        select(TelegramAccount)
        .where(col(TelegramAccount.username_key) == key)
        .order_by(col(TelegramAccount.last_seen).desc(), pk(TelegramAccount.id).desc())
        .limit(1)
    )


async def remember_accounts(
    session: AsyncSession, seen: Sequence[SeenAccount], now: datetime
) -> None:
    """Record these accounts as seen at `now`, with their current @username and name.

    A username shown for one account is taken from any other row that still has it: the other
    account renamed itself and this one took the name over. When two entries of `seen` claim
    one username, or name one account twice, the first wins (callers put the sender first: their
    data is the freshest in an update).
    """
    latest = first_per_account(seen)
    # Applied in reverse, so that the first entry claiming a username is written last.
    for account in reversed(latest):
        await _release_username(session, account)
        await _upsert(session, account, now)
    await session.flush()


def first_per_account(seen: Iterable[SeenAccount]) -> list[SeenAccount]:
    """Each account once, as first named, in order."""
    unique: dict[int, SeenAccount] = {}
    for account in seen:
        unique.setdefault(account.tg_user_id, account)
    return list(unique.values())


async def _release_username(session: AsyncSession, account: SeenAccount) -> None:
    key = account.username_key
    if key is None:
        return
    await session.execute(
        update(TelegramAccount)
        .where(
            col(TelegramAccount.username_key) == key,
            col(TelegramAccount.tg_user_id) != account.tg_user_id,
        )
        .values(username=None, username_key=None)
    )


async def _upsert(session: AsyncSession, account: SeenAccount, now: datetime) -> None:
    values: dict[str, Any] = {
        "username": account.username.removeprefix("@") if account.username else None,
        "username_key": account.username_key,
        "full_name": account.full_name,
        "last_seen": now,
    }
    row = await get_account(session, account.tg_user_id)
    if row is None:
        fresh = TelegramAccount(tg_user_id=account.tg_user_id, **values)
        # Another instance may insert the same account at the same moment: then update theirs.
        row = await add_or_fetch(session, fresh, lambda: get_account(session, account.tg_user_id))
    for name, value in values.items():
        setattr(row, name, value)
