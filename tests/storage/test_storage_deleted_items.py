"""A deleted item leaves a record with its history, whichever way it was deleted."""

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import func, select

from storage.deleted_items import history_updates, latest_deletion, record_deletions
from storage.item_changes import Author, delete_item
from storage.item_queries import load_item
from storage.models import DeletedItem, DeletionWay, Item
from storage.parts import close_item, report_item_progress
from storage.plans import save_parsed_plan
from tests.support.storage import NOW

ALICE = Author(11, "张三")
ADMIN = Author(99, "管理员")


async def test_delete_keeps_what_the_item_was_and_its_history(db_session, chat, items, planner):
    await report_item_progress(db_session, items[1], ALICE, 40, NOW, "摸底完成")
    await close_item(db_session, items[1], ALICE, NOW + timedelta(hours=1), "验收通过")
    await db_session.commit()

    await delete_item(db_session, items[1], ADMIN, NOW + timedelta(days=1))
    await db_session.commit()

    assert await db_session.get(Item, items[1]) is None
    record = await latest_deletion(db_session, chat.id, 2024, 10, 0, 2)
    assert record is not None
    assert (record.title, record.leaders, record.departments) == (
        "开展职工书屋建设",
        ["李四", "张三"],
        ["宣教部", "办公室", "组织部"],
    )
    assert (record.deadline.isoformat(), record.deadline_text) == ("2024-10-15", "10月15日前")
    assert (record.status, record.progress) == ("done", 100)
    assert (record.deleted_by_tg_user_id, record.deleted_by_name, record.how) == (
        99,
        "管理员",
        "delete",
    )
    assert record.deleted_at == NOW + timedelta(days=1)
    history = history_updates(record)
    assert [(u.kind, u.author_name, u.text, u.percent) for u in history] == [
        ("progress", "张三", "摸底完成", 40),
        ("done", "张三", "验收通过", 100),
    ]
    assert history[1].created_at == NOW + timedelta(hours=1)
    assert history[1].data["before"]["progress"] == 40
    assert await latest_deletion(db_session, chat.id, 2024, 10, 0, 1) is None


async def test_a_reimport_that_deletes_records_each_item_by_the_importer(
    db_session, chat, items, october_plan
):
    original = october_plan().items
    await save_parsed_plan(
        db_session,
        chat.id,
        october_plan(items=[original[0]]),
        "v2",
        remove_missing=True,
        author_tg_user_id=99,
        author_name="管理员",
    )
    await db_session.commit()

    records = list(await db_session.scalars(select(DeletedItem).order_by(DeletedItem.seq)))
    assert [(r.seq, r.title, r.how, r.deleted_by_name) for r in records] == [
        (2, "开展职工书屋建设", "import", "管理员"),
        (3, "困难职工帮扶", "import", "管理员"),
    ]
    assert records[1].deadline is None and records[1].deadline_text == "全年"


async def test_a_reimport_that_keeps_the_items_records_nothing(
    db_session, chat, items, october_plan
):
    original = october_plan().items
    await save_parsed_plan(db_session, chat.id, october_plan(items=[original[0]]), "v2")
    await db_session.commit()
    assert await db_session.scalar(select(func.count()).select_from(DeletedItem)) == 0


async def test_the_newest_record_of_a_number_wins(db_session, chat, items):
    item = await load_item(db_session, items[0])
    assert item is not None
    for hours, name in [(0, "旧"), (2, "新"), (1, "中")]:
        item.title = name
        await record_deletions(
            db_session,
            item.plan,
            [item],
            how=DeletionWay.DELETE,
            by_tg_user_id=None,
            by_name="",
            now=NOW + timedelta(hours=hours),
        )
    await db_session.commit()
    record = await latest_deletion(db_session, chat.id, 2024, 10, 0, 1)
    assert record is not None and record.title == "新"
    # Nothing was deleted here: writing a record is the caller's half of a deletion.
    assert await db_session.get(Item, items[0]) is not None


async def test_a_quarters_and_the_years_deleted_items_are_told_apart(
    db_session, chat, october_plan
):
    # Both plans have month 0; the quarter says which one a record belongs to.
    quarter = replace(october_plan(), month=None, quarter=1, title="2024年第一季度工作计划")
    year = replace(october_plan(), month=None, whole_year=True, title="2024年重点工作任务分解")
    for parsed in (quarter, year):
        saved = await save_parsed_plan(db_session, chat.id, parsed, "")
        plan = saved.plan
        item = await load_item(db_session, saved.added[0])
        assert item is not None
        await record_deletions(
            db_session,
            plan,
            [item],
            how=DeletionWay.DELETE,
            by_tg_user_id=None,
            by_name=plan.title,
            now=NOW,
        )
    await db_session.commit()
    of_quarter = await latest_deletion(db_session, chat.id, 2024, 0, 1, 1)
    of_year = await latest_deletion(db_session, chat.id, 2024, 0, 0, 1)
    assert of_quarter is not None and of_quarter.deleted_by_name == "2024年第一季度工作计划"
    assert of_year is not None and of_year.deleted_by_name == "2024年重点工作任务分解"
