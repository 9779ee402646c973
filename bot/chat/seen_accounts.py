"""Which Telegram accounts this process has already written to the database, and as what.

The watcher sees every update of every group; a write per message would put a database
transaction behind each line of a busy chat. So an account is written only when this process
has not written it yet, when its @username or name changed, or when it was last written more
than `refresh` ago — which keeps `last_seen` true to within a day and corrects, once a day, a
row another instance changed behind this one's back. Memory stays bounded: the least recently
seen accounts are forgotten (which costs one extra write when they speak again).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.accounts import SeenAccount, first_per_account

CAPACITY = 10_000
REFRESH = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class _Written:
    account: SeenAccount
    at: datetime


class SeenCache:
    """The accounts written lately, by Telegram user id, least recently seen first."""

    def __init__(self, capacity: int = CAPACITY, refresh: timedelta = REFRESH) -> None:
        self.capacity = capacity
        self.refresh = refresh
        self._written: OrderedDict[int, _Written] = OrderedDict()
        # Who holds each username as far as this process wrote it, to notice a takeover.
        self._holders: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._written)

    def to_write(self, seen: Iterable[SeenAccount], now: datetime) -> list[SeenAccount]:
        """The accounts of one update the database may not know as they are now.

        An account named twice counts once, as first named (storage.accounts does the same).
        """
        stale = []
        for account in first_per_account(seen):
            written = self._written.get(account.tg_user_id)
            if written is None or written.account != account or now - written.at >= self.refresh:
                stale.append(account)
            else:
                self._written.move_to_end(account.tg_user_id)
        return stale

    def written(self, accounts: Sequence[SeenAccount], now: datetime) -> None:
        """`accounts` (as returned by to_write) are now in the database as they are."""
        # Reversed, like storage.accounts.remember_accounts: the first claimant of a username
        # keeps it, and whoever lost it there is forgotten here so that it is written again.
        for account in reversed(accounts):
            self._forget_holder_of(account)
            self._written[account.tg_user_id] = _Written(account, now)
            self._written.move_to_end(account.tg_user_id)
            if account.username_key is not None:
                self._holders[account.username_key] = account.tg_user_id
        while len(self._written) > self.capacity:
            _, old = self._written.popitem(last=False)
            self._drop_holder(old.account)

    def _forget_holder_of(self, account: SeenAccount) -> None:
        """Forget whichever other account this process last wrote with `account`'s username."""
        previous = self._written.get(account.tg_user_id)
        if previous is not None:
            self._drop_holder(previous.account)
        key = account.username_key
        holder = self._holders.pop(key, None) if key is not None else None
        if holder is not None and holder != account.tg_user_id:
            self._written.pop(holder, None)

    def _drop_holder(self, account: SeenAccount) -> None:
        key = account.username_key
        if key is not None and self._holders.get(key) == account.tg_user_id:
            del self._holders[key]
