"""Resolving `/done N` to an item, who answers for it, and which message listed which items."""

from datetime import date

from plans.itemref import ItemRef
from storage.departments import add_member, get_or_create_department
from storage.items import Missing, is_responsible, resolve_item, responsible_users
from storage.messages import items_for_message, record_message
from storage.people import bind_person
from storage.plans import save_parsed_plan


async def test_resolve_prefers_this_months_plan_else_the_latest(db_session, chat, october_plan):
    await save_parsed_plan(db_session, chat.id, october_plan(), "x")
    resolved = await resolve_item(db_session, chat.id, ItemRef(1), date(2024, 11, 5))
    assert resolved.item is not None and resolved.item.seq == 1
    assert resolved.item.leaders[0].name == "张三"
    missing = await resolve_item(db_session, chat.id, ItemRef(99), date(2024, 11, 5))
    assert missing.missing is Missing.NO_ITEM and missing.plan is not None
    other = await resolve_item(db_session, chat.id, ItemRef(1, 2024, 9), date(2024, 11, 5))
    assert other.missing is Missing.NO_PLAN


async def test_leaders_and_department_members_answer_for_an_item(db_session, chat, october_plan):
    result = await save_parsed_plan(db_session, chat.id, october_plan(), "x")
    item_id = result.added[0]
    await bind_person(db_session, chat.id, "张三", 11)
    clerk = await bind_person(db_session, chat.id, "小王", 22)
    office = await get_or_create_department(db_session, chat.id, "办公室")
    await add_member(db_session, office.id, clerk.id)
    assert (await responsible_users(db_session, [item_id]))[item_id] == {11, 22}
    assert await is_responsible(db_session, item_id, 22)
    assert not await is_responsible(db_session, item_id, 33)


async def test_a_message_maps_back_to_its_items_in_order(db_session, chat, october_plan):
    result = await save_parsed_plan(db_session, chat.id, october_plan(), "x")
    ids = list(reversed(result.added))
    await record_message(db_session, -100123, 77, ids, kind="plan")
    assert [i.id for i in await items_for_message(db_session, -100123, 77)] == ids
    assert await items_for_message(db_session, -100123, 78) == []
