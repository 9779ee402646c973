"""Which groups' boards a person may open in the Telegram Mini App: the groups where they are
bound to a name (`/iam`, `/bind`), as the private chat's commands count them. One read."""

from __future__ import annotations

from dataclasses import dataclass

from bot.operations.board import BoardItem, BoardStamp, read_item, stamp_of
from bot.operations.deps import Deps
from storage.board_version import board_version
from storage.chats import bound_group, bound_groups
from storage.models import Chat
from storage.rows import row_id


@dataclass(frozen=True, slots=True)
class AppGroup:
    """One of a person's groups, as the Mini App lists and shows it."""

    chat_id: int
    tg_chat_id: int
    title: str


async def app_groups(deps: Deps, tg_user_id: int) -> list[AppGroup]:
    """The groups `tg_user_id` is bound in, the one whose plan was imported last first (the
    group a private command means by default); only those: no one else's board is reachable."""
    async with deps.db.reading() as session:
        # Read inside: the read-only session's rollback expires the rows.
        return [_app_group(c) for c in await bound_groups(session, tg_user_id)]


def _app_group(chat: Chat) -> AppGroup:
    return AppGroup(row_id(chat), chat.tg_chat_id, chat.title or "")


@dataclass(frozen=True, slots=True)
class AppBoard:
    """One of the person's groups' board, as a stamp (bot/operations/board.py: the page kept
    under it, or read with `board_page`), and all their groups for the switcher."""

    groups: list[AppGroup]
    stamp: BoardStamp


async def app_board(deps: Deps, tg_user_id: int, tg_chat_id: int) -> AppBoard | None:
    """The board of `tg_chat_id` as `/board/<token>` shows it, when the user is bound there;
    None otherwise (the page answers 404). One read."""
    async with deps.db.reading() as session:
        chats = await bound_groups(session, tg_user_id)
        chat = next((c for c in chats if c.tg_chat_id == tg_chat_id), None)
        if chat is None:
            return None
        chat_id = row_id(chat)
        groups = [_app_group(c) for c in chats]
        version = await board_version(session, chat_id)
        if version is None:
            return None
        return AppBoard(groups, stamp_of(deps, chat_id, version))


async def app_item(deps: Deps, tg_user_id: int, tg_chat_id: int, item_id: int) -> BoardItem | None:
    """One item of the user's group `tg_chat_id` with its history; None when they are not
    bound there or the item is not that group's."""
    async with deps.db.reading() as session:
        chat = await bound_group(session, tg_user_id, tg_chat_id)
        if chat is None:
            return None
        return await read_item(session, deps, chat, item_id)
