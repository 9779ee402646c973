"""The rounds of progress collection (进展报送), in the caller's session (no commit): what a
round asked of whom, the messages that asked and chased, and which rounds an item is in.

Every read is by key or through an index: a round by its chat and time, a round's items and
messages by the round, the rounds asking about an item through ix_report_round_item_item_id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import ReportRound, ReportRoundItem, ReportRoundMessage
from storage.rows import pk, row_id
from storage.unique import add_or_fetch


@dataclass(frozen=True, slots=True)
class Asked:
    """A department asked in a round, and about which items (in plan order)."""

    department_id: int
    item_ids: tuple[int, ...]


async def get_round(session: AsyncSession, chat_id: int, fire_at: datetime) -> ReportRound | None:
    return await session.scalar(
        select(ReportRound).where(
            col(ReportRound.chat_id) == chat_id, col(ReportRound.fire_at) == fire_at
        )
    )


async def open_round(
    session: AsyncSession, chat_id: int, fire_at: datetime, asked: Sequence[Asked]
) -> tuple[ReportRound, list[Asked]]:
    """The chat's round at `fire_at` and what it asks: made now with `asked`, or the one an
    earlier try made (what it asked then stands: the ask may already be out)."""
    existing = await get_round(session, chat_id, fire_at)
    if existing is not None:
        return existing, await round_asked(session, row_id(existing))
    mine = ReportRound(chat_id=chat_id, fire_at=fire_at)
    made = await add_or_fetch(session, mine, lambda: get_round(session, chat_id, fire_at))
    round_id = row_id(made)
    if made is not mine:  # a concurrent writer made it first
        return made, await round_asked(session, round_id)
    rows = [
        {"round_id": round_id, "department_id": a.department_id, "item_id": i, "position": n}
        for n, a in enumerate(asked)
        for i in a.item_ids
    ]
    if rows:
        await session.execute(insert(ReportRoundItem.__table__), rows)  # type: ignore[attr-defined]
    return made, list(asked)


async def round_asked(session: AsyncSession, round_id: int) -> list[Asked]:
    """What the round asked, departments in the order asked, items by id (plan order)."""
    by_department: dict[int, list[int]] = {}
    rows = await session.execute(
        select(col(ReportRoundItem.department_id), col(ReportRoundItem.item_id))
        .where(col(ReportRoundItem.round_id) == round_id)
        .order_by(col(ReportRoundItem.position), col(ReportRoundItem.item_id))
    )
    for department_id, item_id in rows:
        by_department.setdefault(department_id, []).append(item_id)
    return [Asked(d, tuple(items)) for d, items in by_department.items()]


async def add_round_message(
    session: AsyncSession,
    round_id: int,
    tg_chat_id: int,
    tg_message_id: int,
    kind: str,
    departments: Sequence[int],
) -> None:
    session.add(
        ReportRoundMessage(
            round_id=round_id,
            tg_chat_id=tg_chat_id,
            tg_message_id=tg_message_id,
            kind=kind,
            departments=list(departments),
        )
    )
    await session.flush()


async def round_messages(
    session: AsyncSession, round_ids: Iterable[int], kind: str
) -> list[ReportRoundMessage]:
    ids = sorted(set(round_ids))
    if not ids:
        return []
    return list(
        await session.scalars(
            select(ReportRoundMessage)
            .where(col(ReportRoundMessage.round_id).in_(ids), col(ReportRoundMessage.kind) == kind)
            .order_by(pk(ReportRoundMessage.id))
        )
    )


async def message_round(
    session: AsyncSession, tg_chat_id: int, tg_message_id: int
) -> ReportRoundMessage | None:
    """The round message this Telegram message is, if it is one."""
    return await session.scalar(
        select(ReportRoundMessage).where(
            col(ReportRoundMessage.tg_chat_id) == tg_chat_id,
            col(ReportRoundMessage.tg_message_id) == tg_message_id,
        )
    )


async def rounds_asking(
    session: AsyncSession, item_ids: Iterable[int], since: datetime
) -> list[ReportRound]:
    """The rounds since `since` that asked about any of these items (by the item index)."""
    ids = sorted(set(item_ids))
    if not ids:
        return []
    return list(
        await session.scalars(
            select(ReportRound)
            .where(
                pk(ReportRound.id).in_(
                    select(col(ReportRoundItem.round_id)).where(
                        col(ReportRoundItem.item_id).in_(ids)
                    )
                ),
                col(ReportRound.fire_at) >= since,
            )
            .order_by(pk(ReportRound.id))
        )
    )


async def round_to_chase(
    session: AsyncSession, chat_id: int, before: datetime, since: datetime
) -> ReportRound | None:
    """The chat's latest round asked in [`since`, `before`), unless it was chased already."""
    latest = await session.scalar(
        select(ReportRound)
        .where(
            col(ReportRound.chat_id) == chat_id,
            col(ReportRound.fire_at) < before,
            col(ReportRound.fire_at) >= since,
        )
        .order_by(col(ReportRound.fire_at).desc())
        .limit(1)
    )
    if latest is None or latest.chased_at is not None:
        return None
    return latest


async def mark_chased(session: AsyncSession, round_id: int, at: datetime) -> None:
    await session.execute(
        update(ReportRound).where(pk(ReportRound.id) == round_id).values(chased_at=at)
    )
