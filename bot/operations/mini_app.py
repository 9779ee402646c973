"""Which groups' boards a person may open in the Telegram Mini App: the groups where they are
bound to a name (`/iam`, `/bind`), as the private chat's commands count them. One read."""

from __future__ import annotations

from dataclasses import dataclass

from bot.operations.deps import Deps
from storage.chats import bound_groups
from storage.rows import row_id


@dataclass(frozen=True, slots=True)
class AppGroup:
    """One of a person's groups, as the Mini App lists and shows it."""

    chat_id: int
    tg_chat_id: int
    title: str
    locale: str


async def app_groups(deps: Deps, tg_user_id: int) -> list[AppGroup]:
    """The groups `tg_user_id` is bound in, the one whose plan was imported last first (the
    group a private command means by default); only those: no one else's board is reachable."""
    async with deps.db.reading() as session:
        chats = await bound_groups(session, tg_user_id)
    return [
        AppGroup(row_id(c), c.tg_chat_id, c.title or "", c.locale or deps.default_locale)
        for c in chats
    ]
