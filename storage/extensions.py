"""Extension requests: asked by someone responsible for an item, decided by a leader or admin.

An item has at most one pending request: a second one is refused until the first is decided,
so a leader never has to work out which of two requests is the real one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlmodel import col

from storage.models import (
    ExtensionRequest,
    ExtensionState,
    Item,
    ItemEvent,
    ItemEventKind,
)
from storage.plans import ITEM_LINK_OPTIONS
from storage.rows import pk, related, row_id


def deadline_words(day: date, plan_year: int) -> str:
    """A deadline as the plans write it ("11月15日"), with the year when it is not the plan's."""
    words = f"{day.month}月{day.day}日"
    return words if day.year == plan_year else f"{day.year}年{words}"


async def pending_request(session: AsyncSession, item_id: int) -> ExtensionRequest | None:
    return await session.scalar(
        select(ExtensionRequest)
        .where(
            col(ExtensionRequest.item_id) == item_id,
            col(ExtensionRequest.state) == ExtensionState.PENDING.value,
        )
        .order_by(pk(ExtensionRequest.id))
        .limit(1)
    )


async def create_request(
    session: AsyncSession,
    item_id: int,
    *,
    requester_tg_user_id: int,
    requester_name: str,
    new_deadline: date,
    reason: str = "",
) -> tuple[ExtensionRequest, bool]:
    """(the new pending request, True), or (the one already pending, False) to refuse with.

    The item row is locked first (PostgreSQL; SQLite transactions are exclusive anyway) so two
    simultaneous requests cannot both see "none pending".
    """
    item = await session.scalar(select(Item).where(pk(Item.id) == item_id).with_for_update())
    if item is None:
        raise LookupError(f"item {item_id} does not exist")
    existing = await pending_request(session, item_id)
    if existing is not None:
        return existing, False
    request = ExtensionRequest(
        item_id=item_id,
        requester_tg_user_id=requester_tg_user_id,
        requester_name=requester_name,
        old_deadline=item.deadline,
        new_deadline=new_deadline,
        reason=reason,
    )
    session.add(request)
    await session.flush()
    return request, True


async def attach_message(
    session: AsyncSession, request_id: int, tg_chat_id: int, message_id: int
) -> None:
    """Remember the message with the buttons, to edit it once the request is decided."""
    request = await session.get(ExtensionRequest, request_id)
    if request is not None:
        request.tg_chat_id = tg_chat_id
        request.tg_message_id = message_id
        await session.flush()


async def withdraw_request(session: AsyncSession, request_id: int) -> None:
    """Drop a request nobody saw (its message could not be sent)."""
    request = await session.get(ExtensionRequest, request_id)
    if request is not None and request.state == ExtensionState.PENDING.value:
        await session.delete(request)
        await session.flush()


async def load_request(
    session: AsyncSession, request_id: int, *, for_update: bool = False
) -> ExtensionRequest | None:
    """A request with its item, the item's plan, leaders and departments loaded.

    for_update locks the row (PostgreSQL) so that two people deciding at once are serialised
    and the second sees the first one's decision.
    """
    query = (
        select(ExtensionRequest)
        .where(pk(ExtensionRequest.id) == request_id)
        .options(
            selectinload(related(ExtensionRequest.item)).options(
                selectinload(related(Item.plan)),
                *ITEM_LINK_OPTIONS,
            )
        )
        .execution_options(populate_existing=True)
    )
    if for_update:
        query = query.with_for_update(of=ExtensionRequest)
    return await session.scalar(query)


def _decide(
    request: ExtensionRequest,
    state: ExtensionState,
    by_tg_user_id: int,
    by_name: str,
    now: datetime,
) -> None:
    if request.state != ExtensionState.PENDING.value:
        raise ValueError(f"extension request {request.id} is already {request.state}")
    request.state = state.value
    request.decided_by_tg_user_id = by_tg_user_id
    request.decided_by_name = by_name
    request.decided_at = now


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


async def approve_request(
    session: AsyncSession,
    request: ExtensionRequest,
    *,
    by_tg_user_id: int,
    by_name: str,
    now: datetime,
) -> ItemEvent:
    """Move the item's deadline to the requested day and write the "extend" history entry.

    `request` comes from load_request (item and plan loaded). The entry's data holds what /undo
    needs: {"old", "new"} as ISO dates, {"old_text", "new_text"} as shown to people, who asked
    and who approved. The caller re-plans the item's reminders in the same transaction.
    """
    _decide(request, ExtensionState.APPROVED, by_tg_user_id, by_name, now)
    item = request.item
    old_deadline, old_text = item.deadline, item.deadline_text
    item.deadline = request.new_deadline
    item.deadline_text = deadline_words(request.new_deadline, item.plan.year)
    data: dict[str, Any] = {
        "old": _iso(old_deadline),
        "new": _iso(request.new_deadline),
        # The name the item history view (bot/views/item.py) reads for "extended to".
        "new_deadline": _iso(request.new_deadline),
        "old_text": old_text,
        "new_text": item.deadline_text,
        "approved_by": by_name,
        "approved_by_tg_user_id": by_tg_user_id,
        "requested_by": request.requester_name,
        "requested_by_tg_user_id": request.requester_tg_user_id,
        "request_id": request.id,
    }
    update = ItemEvent(
        item_id=row_id(item),
        author_tg_user_id=by_tg_user_id,
        author_name=by_name,
        kind=ItemEventKind.EXTEND.value,
        text=request.reason,
        data=data,
    )
    session.add(update)
    await session.flush()
    return update


async def reject_request(
    session: AsyncSession,
    request: ExtensionRequest,
    *,
    by_tg_user_id: int,
    by_name: str,
    now: datetime,
    note: str,
) -> ItemEvent:
    """Refuse the request; the item keeps its deadline and its history gets a note saying so.

    A "note" rather than an "extend" entry: nothing changed that /undo could restore. `note` is
    the sentence people read in the history; data holds the same facts for programs.
    """
    _decide(request, ExtensionState.REJECTED, by_tg_user_id, by_name, now)
    update = ItemEvent(
        item_id=request.item_id,
        author_tg_user_id=by_tg_user_id,
        author_name=by_name,
        kind=ItemEventKind.NOTE.value,
        text=note,
        data={
            "extension": ExtensionState.REJECTED.value,
            "old": _iso(request.old_deadline),
            "requested": _iso(request.new_deadline),
            "reason": request.reason,
            "rejected_by": by_name,
            "rejected_by_tg_user_id": by_tg_user_id,
            "requested_by": request.requester_name,
            "requested_by_tg_user_id": request.requester_tg_user_id,
            "request_id": request.id,
        },
    )
    session.add(update)
    await session.flush()
    return update
