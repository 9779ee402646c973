"""Constraints, cascades and loading rules of the tables."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError, InvalidRequestError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.models import (
    Chat,
    Item,
    ItemEvent,
    ItemEventKind,
    ItemLeader,
    Person,
    Plan,
    Reminder,
    ReminderMessage,
    ReminderMessageItem,
    ReminderState,
)

FIRE_AT = datetime(2024, 10, 30, 1, 0, tzinfo=UTC)


async def _count(session: AsyncSession, model: type) -> int:
    return await session.scalar(select(func.count()).select_from(model)) or 0


async def _plan_with_item(session: AsyncSession, chat: Chat) -> tuple[Plan, Item]:
    plan = Plan(chat_id=chat.id, year=2024, month=10, title="十月计划")
    session.add(plan)
    await session.flush()
    item = Item(plan_id=plan.id, seq=1, title="主席办公会")
    session.add(item)
    await session.flush()
    return plan, item


async def test_reminder_is_unique_per_item_kind_and_instant(
    db_session: AsyncSession, chat: Chat
) -> None:
    _, item = await _plan_with_item(db_session, chat)
    db_session.add(Reminder(item_id=item.id, kind="due", fire_at=FIRE_AT))
    db_session.add(Reminder(item_id=item.id, kind="before", fire_at=FIRE_AT))
    await db_session.commit()

    db_session.add(Reminder(item_id=item.id, kind="due", fire_at=FIRE_AT))
    with pytest.raises(IntegrityError):
        await db_session.commit()
    await db_session.rollback()
    assert await _count(db_session, Reminder) == 2


async def test_reminder_defaults(db_session: AsyncSession, chat: Chat) -> None:
    _, item = await _plan_with_item(db_session, chat)
    reminder = Reminder(item_id=item.id, kind="due", fire_at=FIRE_AT)
    db_session.add(reminder)
    await db_session.commit()
    assert (reminder.state, reminder.attempts) == (ReminderState.PENDING, 0)
    assert reminder.claimed_until is None


async def test_deleting_a_plan_removes_everything_under_it(db: Database) -> None:
    async with db.session() as session:
        chat = Chat(tg_chat_id=-5)
        session.add(chat)
        await session.flush()
        plan, item = await _plan_with_item(session, chat)
        person = Person(chat_id=chat.id, name="张三")
        session.add(person)
        await session.flush()
        session.add(ItemLeader(item_id=item.id, person_id=person.id))
        session.add(ItemEvent(item_id=item.id, kind=ItemEventKind.NOTE, text="开始"))
        session.add(Reminder(item_id=item.id, kind="due", fire_at=FIRE_AT))
        message = ReminderMessage(tg_chat_id=-5, tg_message_id=77)
        session.add(message)
        await session.flush()
        session.add(ReminderMessageItem(reminder_message_id=message.id, item_id=item.id))

    async with db.session() as session:
        # Through the ORM, without loading the items: the database does the cascading.
        loaded = await session.get(Plan, plan.id)
        await session.delete(loaded)

    async with db.session() as session:
        for model in (Plan, Item, ItemLeader, ItemEvent, Reminder, ReminderMessageItem):
            assert await _count(session, model) == 0, model.__name__
        # Things that outlive a plan stay.
        for model in (Chat, Person, ReminderMessage):
            assert await _count(session, model) == 1, model.__name__


async def test_deleting_a_chat_with_sql_cascades_too(db_session: AsyncSession, chat: Chat) -> None:
    await _plan_with_item(db_session, chat)
    await db_session.commit()

    await db_session.execute(delete(Chat).where(Chat.id == chat.id))
    await db_session.commit()

    assert await _count(db_session, Plan) == 0
    assert await _count(db_session, Item) == 0


@pytest.mark.parametrize(
    ("field", "value"), [("progress", 101), ("progress", -1), ("status", "maybe")]
)
async def test_item_check_constraints(
    db_session: AsyncSession, chat: Chat, field: str, value: object
) -> None:
    _, item = await _plan_with_item(db_session, chat)
    await db_session.commit()

    setattr(item, field, value)
    with pytest.raises(IntegrityError):
        await db_session.commit()


async def test_unloaded_relations_raise_instead_of_lazy_loading(db: Database, chat: Chat) -> None:
    async with db.session() as session:
        plan, _ = await _plan_with_item(session, chat)

    async with db.session() as session:
        fresh = await session.get(Plan, plan.id)
        assert fresh is not None
        with pytest.raises(InvalidRequestError, match="raise_on_sql"):
            _ = fresh.items


async def test_chat_settings_round_trip_and_track_edits(db: Database) -> None:
    async with db.session() as session:
        chat = Chat(tg_chat_id=-1_001_234_567_890, settings={"before_days": [3, 1]})
        session.add(chat)

    async with db.session() as session:
        loaded = await session.get(Chat, chat.id)
        assert loaded is not None
        assert loaded.tg_chat_id == -1_001_234_567_890
        loaded.settings["quiet_hours"] = "22-08"

    async with db.session() as session:
        loaded = await session.get(Chat, chat.id)
        assert loaded is not None
        assert loaded.settings == {"before_days": [3, 1], "quiet_hours": "22-08"}


async def test_reminder_message_maps_back_to_its_items_in_order(
    db_session: AsyncSession, chat: Chat
) -> None:
    plan, first = await _plan_with_item(db_session, chat)
    second = Item(plan_id=plan.id, seq=2, title="第二项")
    db_session.add(second)
    await db_session.flush()
    message = ReminderMessage(
        tg_chat_id=chat.tg_chat_id,
        tg_message_id=4242,
        item_links=[
            ReminderMessageItem(item_id=second.id, position=0),
            ReminderMessageItem(item_id=first.id, position=1),
        ],
    )
    db_session.add(message)
    await db_session.commit()

    found = await db_session.scalars(
        select(Item)
        .join(ReminderMessageItem, ReminderMessageItem.item_id == Item.id)
        .join(ReminderMessage)
        .where(ReminderMessage.tg_chat_id == chat.tg_chat_id, ReminderMessage.tg_message_id == 4242)
        .order_by(ReminderMessageItem.position)
    )
    assert [item.seq for item in found] == [2, 1]

    db_session.add(ReminderMessage(tg_chat_id=chat.tg_chat_id, tg_message_id=4242))
    with pytest.raises(IntegrityError):
        await db_session.commit()
