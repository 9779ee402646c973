"""Saving parsed plans, re-importing them, and finding them again."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from plans.model import ParsedItem, ParsedPlan
from plans.parser import parse_plan
from storage.models import (
    Chat,
    Department,
    DepartmentRole,
    Item,
    ItemEvent,
    ItemEventKind,
    ItemStatus,
    Person,
    Plan,
)
from storage.plans import (
    current_plan,
    get_plan,
    items_with_links,
    list_plans,
    running_period_plans,
    save_parsed_plan,
)
from tests.plans.test_plans_corpus import CORPUS


async def _count(session: AsyncSession, model: type) -> int:
    return await session.scalar(select(func.count()).select_from(model)) or 0


async def _updates(session: AsyncSession, item_id: int) -> list[ItemEvent]:
    result = await session.scalars(
        select(ItemEvent).where(ItemEvent.item_id == item_id).order_by(ItemEvent.id)
    )
    return list(result)


def _summary(items: list[Item]) -> list[tuple[int, str, list[str], list[tuple[str, str]]]]:
    return [
        (
            item.seq,
            item.title,
            [person.name for person in item.leaders],
            [(link.department.name, link.role) for link in item.department_links],
        )
        for item in items
    ]


async def test_new_plan_keeps_items_leaders_and_departments_in_order(
    db_session: AsyncSession, chat: Chat, october_plan: Callable[..., ParsedPlan]
) -> None:
    result = await save_parsed_plan(db_session, chat.id, october_plan(), "原文")
    await db_session.commit()

    assert result.created
    assert result.changed == [] and result.removed == []
    assert result.seqs(result.added) == [1, 2, 3]
    plan = result.plan
    assert (plan.year, plan.month, plan.title, plan.source_text) == (
        2024,
        10,
        "2024年10月工作计划",
        "原文",
    )
    assert [item.seq for item in plan.items] == [1, 2, 3]

    items = await items_with_links(db_session, plan.id)
    assert _summary(items) == [
        (1, "召开十月份主席办公会", ["张三"], [("办公室", "lead")]),
        (
            2,
            "开展职工书屋建设",
            ["李四", "张三"],
            [("宣教部", "lead"), ("办公室", "assist"), ("组织部", "assist")],
        ),
        (3, "困难职工帮扶", ["王五"], [("保障部", "lead")]),
    ]
    second = items[1]
    assert (second.deadline, second.deadline_text, second.content) == (
        date(2024, 10, 15),
        "10月15日前",
        "1. 摸底\n2. 验收",
    )
    assert items[2].deadline is None
    assert all(item.status == ItemStatus.OPEN and item.progress == 0 for item in items)
    # 张三 and 办公室 appear twice but exist once.
    assert await _count(db_session, Person) == 3
    assert await _count(db_session, Department) == 4
    # A first import is not history.
    assert await _count(db_session, ItemEvent) == 0


async def test_reimporting_the_same_document_changes_nothing(
    db_session: AsyncSession, chat: Chat, october_plan: Callable[..., ParsedPlan]
) -> None:
    first = await save_parsed_plan(db_session, chat.id, october_plan(), "原文")
    await db_session.commit()

    again = await save_parsed_plan(db_session, chat.id, october_plan(), "原文")
    await db_session.commit()

    assert again.plan.id == first.plan.id
    assert again.unchanged
    assert await _count(db_session, Plan) == 1
    assert await _count(db_session, Item) == 3
    assert await _count(db_session, ItemEvent) == 0


async def test_reimport_matches_by_seq_and_title_and_reports_the_diff(
    db_session: AsyncSession, chat: Chat, october_plan: Callable[..., ParsedPlan]
) -> None:
    first = await save_parsed_plan(db_session, chat.id, october_plan(), "v1")
    await db_session.commit()
    ids = {item.seq: item.id for item in first.plan.items}
    # Progress made between the two versions must survive the re-import.
    done = await db_session.get(Item, ids[1])
    assert done is not None
    done.status, done.progress = ItemStatus.DONE.value, 100
    await db_session.commit()

    original = october_plan().items
    revised = october_plan(
        items=[
            # Same number and title; the deadline moved.
            dataclasses.replace(
                original[0], deadline=date(2024, 10, 20), deadline_text="10月20日前"
            ),
            # Same number, reworded, and one department fewer.
            dataclasses.replace(original[1], title="开展职工书屋建设工作", partners=["组织部"]),
            ParsedItem(seq=3, title="安全生产检查", leaders=["赵六"], departments=["办公室"]),
            # Same title, pushed down to number 4 by the new item.
            dataclasses.replace(original[2], seq=4),
        ]
    )
    result = await save_parsed_plan(
        db_session,
        chat.id,
        revised,
        "v2",
        author_tg_user_id=99,
        author_name="管理员",
    )
    await db_session.commit()

    assert not result.created
    assert result.removed == []
    assert result.changed == [ids[1], ids[2], ids[3]]
    assert result.seqs(result.added) == [3]
    assert result.plan.source_text == "v2"

    items = await items_with_links(db_session, result.plan.id)
    assert [item.id for item in items] == [ids[1], ids[2], result.added[0], ids[3]]
    assert _summary(items) == [
        (1, "召开十月份主席办公会", ["张三"], [("办公室", "lead")]),
        (2, "开展职工书屋建设工作", ["李四", "张三"], [("宣教部", "lead"), ("组织部", "assist")]),
        (3, "安全生产检查", ["赵六"], [("办公室", "lead")]),
        (4, "困难职工帮扶", ["王五"], [("保障部", "lead")]),
    ]
    assert (items[0].status, items[0].progress) == (ItemStatus.DONE, 100)
    assert items[0].deadline == date(2024, 10, 20)
    assert await _count(db_session, Item) == 4

    history = await _updates(db_session, ids[1])
    assert [(u.kind, u.author_tg_user_id, u.author_name) for u in history] == [
        (ItemEventKind.IMPORT, 99, "管理员")
    ]
    assert history[0].text == ""
    assert history[0].data == {
        "deadline": ["2024-10-31", "2024-10-20"],
        "deadline_text": ["十月份", "10月20日前"],
    }
    assert (await _updates(db_session, ids[2]))[0].data == {
        "title": ["开展职工书屋建设", "开展职工书屋建设工作"],
        "partners": [["办公室", "组织部"], ["组织部"]],
    }
    assert (await _updates(db_session, ids[3]))[0].data == {"seq": [3, 4]}

    # Importing v2 again is a no-op: the history does not grow.
    again = await save_parsed_plan(db_session, chat.id, revised, "v2")
    await db_session.commit()
    assert again.unchanged
    assert await _count(db_session, ItemEvent) == 3


async def test_swapped_numbers_follow_the_titles(
    db_session: AsyncSession, chat: Chat, october_plan: Callable[..., ParsedPlan]
) -> None:
    first = await save_parsed_plan(db_session, chat.id, october_plan(), "v1")
    await db_session.commit()
    ids = {item.seq: item.id for item in first.plan.items}
    one, two, three = october_plan().items
    swapped = october_plan(
        items=[dataclasses.replace(two, seq=1), dataclasses.replace(one, seq=2), three]
    )

    result = await save_parsed_plan(db_session, chat.id, swapped, "v2")
    await db_session.commit()

    assert (result.added, result.removed) == ([], [])
    assert result.changed == [ids[2], ids[1]]
    assert [item.id for item in result.plan.items] == [ids[2], ids[1], ids[3]]


async def test_an_item_both_renumbered_and_reworded_is_a_new_item(
    db_session: AsyncSession, chat: Chat, october_plan: Callable[..., ParsedPlan]
) -> None:
    first = await save_parsed_plan(db_session, chat.id, october_plan(), "v1")
    await db_session.commit()
    ids = {item.seq: item.id for item in first.plan.items}
    one, two, three = october_plan().items
    revised = october_plan(
        items=[
            one,
            dataclasses.replace(three, seq=2),
            dataclasses.replace(two, seq=5, title="改写"),
        ]
    )

    result = await save_parsed_plan(db_session, chat.id, revised, "v2")
    await db_session.commit()

    # Nothing ties "改写" (5) to the old item 2, so it is new and the old one is missing.
    assert result.removed == [ids[2]]
    assert result.changed == [ids[3]]  # matched by title, renumbered 3 → 2
    assert result.seqs(result.added) == [5]
    # The kept old item 2 had to make way for item 3's new number.
    assert [(item.seq, item.title) for item in result.plan.items] == [
        (1, "召开十月份主席办公会"),
        (2, "困难职工帮扶"),
        (5, "改写"),
        (6, "开展职工书屋建设"),
    ]


async def test_missing_items_are_reported_and_kept_unless_asked(
    db_session: AsyncSession, chat: Chat, october_plan: Callable[..., ParsedPlan]
) -> None:
    first = await save_parsed_plan(db_session, chat.id, october_plan(), "v1")
    await db_session.commit()
    ids = {item.seq: item.id for item in first.plan.items}
    original = october_plan().items
    # Item 2 is dropped; item 3 keeps its number.
    shorter = october_plan(items=[original[0], original[2]])

    kept = await save_parsed_plan(db_session, chat.id, shorter, "v2")
    await db_session.commit()
    assert kept.removed == [ids[2]]
    assert kept.seqs(kept.removed) == [2]
    assert kept.added == [] and kept.changed == []
    assert [item.id for item in kept.plan.items] == [ids[1], ids[2], ids[3]]

    removed = await save_parsed_plan(db_session, chat.id, shorter, "v2", remove_missing=True)
    await db_session.commit()
    assert removed.removed == [ids[2]]
    assert [item.id for item in removed.plan.items] == [ids[1], ids[3]]
    assert await db_session.get(Item, ids[2]) is None
    assert await _count(db_session, Item) == 2


async def test_a_kept_missing_item_makes_way_for_a_new_one_with_its_number(
    db_session: AsyncSession, chat: Chat, october_plan: Callable[..., ParsedPlan]
) -> None:
    first = await save_parsed_plan(db_session, chat.id, october_plan(), "v1")
    await db_session.commit()
    ids = {item.seq: item.id for item in first.plan.items}
    original = october_plan().items
    # Item 1 disappears, 2 moves up to 1, and a new item takes number 2... and 3 stays.
    reshuffled = october_plan(
        items=[
            dataclasses.replace(original[1], seq=1),
            ParsedItem(seq=2, title="全新事项"),
            original[2],
        ]
    )

    result = await save_parsed_plan(db_session, chat.id, reshuffled, "v2")
    await db_session.commit()

    assert result.removed == [ids[1]]
    assert result.changed == [ids[2]]
    assert result.seqs(result.added) == [2]
    assert [(item.seq, item.title) for item in result.plan.items] == [
        (1, "开展职工书屋建设"),
        (2, "全新事项"),
        (3, "困难职工帮扶"),
        (4, "召开十月份主席办公会"),  # the kept one, moved past the document's last number
    ]


async def test_invalid_plans_write_nothing(
    db_session: AsyncSession, chat: Chat, october_plan: Callable[..., ParsedPlan]
) -> None:
    with pytest.raises(ValueError, match="year and month"):
        await save_parsed_plan(db_session, chat.id, october_plan(month=None), "")
    duplicated = october_plan(items=[ParsedItem(seq=1, title="a"), ParsedItem(seq=1, title="b")])
    with pytest.raises(ValueError, match=r"more than once: \[1\]"):
        await save_parsed_plan(db_session, chat.id, duplicated, "")
    assert await _count(db_session, Plan) == 0


async def test_finding_plans(
    db_session: AsyncSession, chat: Chat, october_plan: Callable[..., ParsedPlan]
) -> None:
    chat_id: int = chat.id
    for year, month in [(2024, 9), (2024, 11), (2024, 10), (2023, 12)]:
        await save_parsed_plan(db_session, chat_id, october_plan(year=year, month=month), "")
    await db_session.commit()

    plans = await list_plans(db_session, chat_id)
    assert [(p.year, p.month) for p in plans] == [(2024, 11), (2024, 10), (2024, 9), (2023, 12)]

    october = await get_plan(db_session, chat_id, 2024, 10, with_items=True)
    assert october is not None and [i.seq for i in october.items] == [1, 2, 3]
    assert october.items[1].leaders[0].name == "李四"
    assert await get_plan(db_session, chat_id, 2024, 8) is None

    this_month = await current_plan(db_session, chat_id, date(2024, 10, 17))
    assert this_month is not None and (this_month.year, this_month.month) == (2024, 10)
    no_plan_yet = await current_plan(db_session, chat_id, date(2025, 2, 1), with_items=True)
    assert no_plan_yet is not None and (no_plan_yet.year, no_plan_yet.month) == (2024, 11)
    assert len(no_plan_yet.items) == 3
    assert await current_plan(db_session, chat_id + 1, date(2024, 10, 17)) is None


async def test_plans_are_per_chat(
    db_session: AsyncSession, chat: Chat, october_plan: Callable[..., ParsedPlan]
) -> None:
    other = Chat(tg_chat_id=-200, title="另一个群")
    db_session.add(other)
    await db_session.flush()

    await save_parsed_plan(db_session, chat.id, october_plan(), "")
    await save_parsed_plan(db_session, other.id, october_plan(), "")
    await db_session.commit()

    assert await _count(db_session, Plan) == 2
    # People and departments belong to a chat: 3 people and 4 departments in each.
    assert await _count(db_session, Person) == 6
    assert await _count(db_session, Department) == 8
    assert DepartmentRole.LEAD == "lead"


async def test_quarters_and_years_are_plans_of_their_own(
    db_session: AsyncSession, chat: Chat, october_plan: Callable[..., ParsedPlan]
) -> None:
    await save_parsed_plan(db_session, chat.id, october_plan(), "m")
    year = october_plan(month=None, whole_year=True, title="2024年重点工作任务分解")
    quarter = october_plan(month=None, quarter=4, title="2024年第四季度工作计划")
    await save_parsed_plan(db_session, chat.id, year, "y")
    await save_parsed_plan(db_session, chat.id, quarter, "q")
    await db_session.commit()

    assert [(p.month, p.quarter) for p in await list_plans(db_session, chat.id)] == [
        (10, 0),
        (0, 4),
        (0, 0),
    ]
    found = await get_plan(db_session, chat.id, 2024, 0, quarter=4)
    assert found is not None and found.title == "2024年第四季度工作计划"
    assert (await get_plan(db_session, chat.id, 2024, 0)).title == "2024年重点工作任务分解"
    # November: the month's plan is still October's; the quarter's and year's run beside it.
    running = await running_period_plans(db_session, chat.id, date(2024, 11, 5))
    assert [p.title for p in running] == ["2024年重点工作任务分解", "2024年第四季度工作计划"]
    assert [
        p.quarter for p in await running_period_plans(db_session, chat.id, date(2024, 5, 1))
    ] == [0]

    with pytest.raises(ValueError, match="quarter's or the year's"):
        await save_parsed_plan(db_session, chat.id, october_plan(month=None), "?")


async def test_control_characters_in_an_import_are_stored_clean(
    db_session: AsyncSession, chat: Chat, october_plan: Callable[..., ParsedPlan]
) -> None:
    # New items, their people and departments, and the history of a re-import go in as bulk
    # statements, past the flush that cleans text: they are cleaned all the same.
    dirty = ParsedItem(
        seq=4,
        title="走访\x00慰问",
        content="一\x07二",
        leaders=["赵\x00六", "赵六"],
        departments=["工会\x1b办"],
        deadline=date(2024, 10, 31),
        deadline_text="十月\x00底",
    )
    plan = october_plan()
    first = await save_parsed_plan(
        db_session, chat.id, dataclasses.replace(plan, items=[*plan.items, dirty]), ""
    )
    await db_session.commit()
    renamed = dataclasses.replace(dirty, title="走访慰问困难职工\x00")
    again = await save_parsed_plan(
        db_session,
        chat.id,
        dataclasses.replace(plan, items=[*plan.items, renamed]),
        "",
        author_name="管\x00理员",
    )
    await db_session.commit()

    items = await items_with_links(db_session, first.plan.id)
    assert _summary(items)[3] == (4, "走访慰问困难职工", ["赵六"], [("工会办", "lead")])
    assert (items[3].content, items[3].deadline_text) == ("一二", "十月底")
    (event,) = await _updates(db_session, again.changed[0])
    assert event.author_name == "管理员"
    assert event.data == {"title": ["走访慰问", "走访慰问困难职工"]}


async def test_a_name_another_writer_created_meanwhile_is_taken_not_duplicated(
    db_session: AsyncSession, chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storage.unique

    other = Person(chat_id=chat.id, name="张三")
    db_session.add(other)
    await db_session.flush()
    # The read runs before the other writer's row is there; the insert then meets it.
    read = storage.unique._named
    reads = 0

    async def late(*args: Any) -> dict[str, Person]:
        nonlocal reads
        reads += 1
        return {} if reads == 1 else await read(*args)

    monkeypatch.setattr(storage.unique, "_named", late)
    found = await storage.unique.named_rows(db_session, Person, chat.id, ["张三", "李四"])
    await db_session.commit()

    assert found["张三"].id == other.id
    assert sorted(await db_session.scalars(select(Person.name))) == ["张三", "李四"]


async def test_every_responsible_department_leads_and_partners_assist(
    db_session: AsyncSession, chat: Chat
) -> None:
    item = ParsedItem(
        seq=1, title="筹备换届", departments=["组织部", "工联会"], partners=["办公室"]
    )
    plan = ParsedPlan(2024, 10, "2024年10月工作计划", items=[item])
    first = await save_parsed_plan(db_session, chat.id, plan, "v1")
    await db_session.commit()
    items = await items_with_links(db_session, first.plan.id)
    assert _summary(items)[0][3] == [("组织部", "lead"), ("工联会", "lead"), ("办公室", "assist")]
    assert (await save_parsed_plan(db_session, chat.id, plan, "v1")).unchanged

    # The same three names, 办公室 now responsible and 工联会 only informed: a change of the
    # departments field, with both lists in the history entry.
    moved = dataclasses.replace(item, departments=["组织部", "办公室"], partners=["工联会"])
    result = await save_parsed_plan(
        db_session, chat.id, dataclasses.replace(plan, items=[moved]), "v2"
    )
    await db_session.commit()
    assert [(c.field, c.fate.value) for c in result.fields] == [("departments", "changed")]
    items = await items_with_links(db_session, first.plan.id)
    assert _summary(items)[0][3] == [("组织部", "lead"), ("办公室", "lead"), ("工联会", "assist")]
    assert (await _updates(db_session, items[0].id))[0].data == {
        "departments": [["组织部", "工联会"], ["组织部", "办公室"]],
        "partners": [["办公室"], ["工联会"]],
    }


async def test_the_sample_plan_keeps_both_responsible_departments_as_leads(
    db_session: AsyncSession, chat: Chat
) -> None:
    text = (CORPUS / "sample-jingzhou-2020-10.txt").read_text(encoding="utf-8")
    result = await save_parsed_plan(db_session, chat.id, parse_plan(text), text)
    await db_session.commit()
    items = await items_with_links(db_session, result.plan.id)
    (election,) = [i for i in items if "工业制造业工会联合会换届" in i.title]
    assert [(link.department.name, link.role) for link in election.department_links] == [
        ("组织部", "lead"),
        ("工业制造业工会联合会", "lead"),
    ]


async def test_a_plan_imported_before_partners_were_read_apart_shows_the_new_leads(
    db_session: AsyncSession, chat: Chat
) -> None:
    """The last release kept every department in one list, the first leading: re-importing
    the same document makes the others lead too, as a change (not a chat change overridden)."""
    item = ParsedItem(seq=1, title="筹备换届", departments=["组织部", "工联会"])
    plan = ParsedPlan(2024, 10, "2024年10月工作计划", items=[item])
    first = await save_parsed_plan(db_session, chat.id, plan, "v1")
    await db_session.commit()
    stored = await items_with_links(db_session, first.plan.id)
    stored[0].department_links[1].role = DepartmentRole.ASSIST.value
    snapshot = dict(first.plan.imported[str(stored[0].id)])
    del snapshot["partners"]
    first.plan.imported = {str(stored[0].id): snapshot}
    await db_session.commit()

    result = await save_parsed_plan(db_session, chat.id, plan, "v1")
    await db_session.commit()
    assert [(c.field, c.fate.value) for c in result.fields] == [("departments", "changed")]
    items = await items_with_links(db_session, first.plan.id)
    assert _summary(items)[0][3] == [("组织部", "lead"), ("工联会", "lead")]
