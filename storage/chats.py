"""Chats the bot is in."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Chat, Person, Plan
from storage.rows import pk
from storage.unique import add_or_fetch


async def get_chat(session: AsyncSession, tg_chat_id: int) -> Chat | None:
    return await session.scalar(select(Chat).where(col(Chat.tg_chat_id) == tg_chat_id))


async def group_chats(session: AsyncSession) -> list[Chat]:
    """Every group the bot knows (private chats left out), by title."""
    rows = await session.scalars(
        select(Chat).where(col(Chat.type) != "private").order_by(col(Chat.title), col(Chat.id))
    )
    return list(rows)


async def chat_row(session: AsyncSession, chat_id: int) -> Chat:
    """The Chat row with this row id, read again in `session`. Chat rows are never deleted (a
    group that moves to a supergroup keeps its row), so a row read before is still there."""
    chat = await session.get(Chat, chat_id)
    if chat is None:
        raise LookupError(f"chat {chat_id} does not exist")
    return chat


async def get_or_create_chat(
    session: AsyncSession,
    tg_chat_id: int,
    title: str = "",
    type: str = "",
    is_forum: bool = False,
) -> Chat:
    """The chat row for a Telegram chat, created on first sight; title/type/is_forum refreshed."""
    chat = await get_chat(session, tg_chat_id)
    if chat is None:
        new = Chat(tg_chat_id=tg_chat_id, title=title, type=type, is_forum=is_forum)
        return await add_or_fetch(session, new, lambda: get_chat(session, tg_chat_id))
    # Telegram is the authority on these; keep ours current without a separate sync job.
    if not chat_is_current(chat, title, type, is_forum):
        chat.title = title or chat.title
        chat.type = type or chat.type
        chat.is_forum = is_forum
    return chat


def chat_is_current(chat: Chat, title: str = "", type: str = "", is_forum: bool = False) -> bool:
    """Whether `get_or_create_chat` would leave this row as it is (a read may then skip it)."""
    return (
        (not title or chat.title == title)
        and (not type or chat.type == type)
        and chat.is_forum == is_forum
    )


async def migrate_chat(
    session: AsyncSession, old_tg_chat_id: int, new_tg_chat_id: int
) -> Chat | None:
    """Follow a group's upgrade to a supergroup (Telegram gives it a new id)."""
    chat = await get_chat(session, old_tg_chat_id)
    if chat is not None:
        chat.tg_chat_id = new_tg_chat_id
        chat.type = "supergroup"
    return chat


def _bound_groups(tg_user_id: int) -> Select[Chat]:
    """The groups where the user is bound to a name, the one whose plan was imported most
    recently first."""
    latest_plan = (
        select(func.max(col(Plan.updated_at)))
        .where(col(Plan.chat_id) == pk(Chat.id))
        .scalar_subquery()
    )
    return (
        select(Chat)
        .where(
            col(Chat.type) != "private",
            pk(Chat.id).in_(
                select(col(Person.chat_id)).where(col(Person.tg_user_id) == tg_user_id)
            ),
        )
        .order_by(latest_plan.desc().nulls_last(), pk(Chat.id).desc())
    )


async def bound_group(
    session: AsyncSession, tg_user_id: int, tg_chat_id: int | None = None
) -> Chat | None:
    """The group a user means when they write to the bot privately: where they are bound to a
    name (`/iam`); with several, the one whose plan was imported most recently — a leader asking
    privately means the office they work in — unless they chose one (`tg_chat_id`, which counts
    only where they are bound). None for someone bound nowhere (or not in the one chosen)."""
    query = _bound_groups(tg_user_id)
    if tg_chat_id is not None:
        query = query.where(col(Chat.tg_chat_id) == tg_chat_id)
    return await session.scalar(query.limit(1))


async def bound_groups(session: AsyncSession, tg_user_id: int) -> list[Chat]:
    """Every group where the user is bound to a name, in `bound_group`'s order."""
    return list(await session.scalars(_bound_groups(tg_user_id)))
