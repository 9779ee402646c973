"""Issue 16 §3's "review time is shown": the words for a time in review (pure), which claim an
approval (销号) is timed from (pure, over history rows), and the xlsx updates sheet showing it
on the approval's row (both databases)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from bot.exports import make_export
from bot.views.parts import review_time_words
from storage.db import Database
from storage.item_changes import Author
from storage.models import Item, ItemEvent
from storage.parts import approve_part, item_parts, mark_part_done, review_times
from storage.reports import month_report, plan_for_month
from tests.support.reports import SHANGHAI, at, seed_october


@pytest.mark.parametrize(
    ("elapsed", "zh", "en"),
    [
        (timedelta(seconds=40), "0分钟", "0 min"),
        (timedelta(minutes=45, seconds=59), "45分钟", "45 min"),
        (timedelta(minutes=60), "1小时", "1 h"),
        (timedelta(hours=23, minutes=59), "23小时", "23 h"),
        (timedelta(days=1), "1天", "1 d"),
        (timedelta(days=1, hours=3, minutes=20), "1天3小时", "1 d 3 h"),
        (timedelta(days=12, hours=23), "12天23小时", "12 d 23 h"),
    ],
)
def test_review_time_words(elapsed, zh, en):
    assert review_time_words(elapsed, "zh_CN") == zh
    assert review_time_words(elapsed, "en") == en


def _row(id_: int, item: int, when: datetime, review: str | None, department: int) -> ItemEvent:
    data = {"department_id": department} | ({"review": review} if review else {})
    return ItemEvent(id=id_, item_id=item, kind="done", created_at=when, data=data)


def test_an_approval_is_timed_from_its_own_departments_latest_claim():
    day = datetime(2020, 10, 5, 2, 0, tzinfo=UTC)
    rows = [
        _row(1, 7, day, "claimed", 1),
        _row(2, 7, day + timedelta(hours=1), "claimed", 2),
        _row(3, 8, day + timedelta(hours=2), "claimed", 1),  # another item's
        _row(4, 7, day + timedelta(hours=3), "returned", 1),
        _row(5, 7, day + timedelta(hours=5), "claimed", 1),  # claimed again after the return
        _row(6, 7, day + timedelta(hours=6), "approved", 1),
        _row(7, 7, day + timedelta(days=1, hours=1), "approved", 2),
        _row(8, 8, day + timedelta(hours=2, minutes=30), "approved", 1),
        _row(9, 9, day, "approved", 1),  # no claim seen: no time
        _row(10, 7, day, None, 1),
    ]
    assert review_times(rows) == {
        6: timedelta(hours=1),
        7: timedelta(days=1),
        8: timedelta(minutes=30),
    }


async def test_the_exports_show_the_review_time_on_the_approval(db: Database):
    """Item 4's two lead departments claim on 10-21 09:00 (office time); 组织部 is approved on
    10-22 12:20, the 工联会 on 10-23 10:00, which closes the item."""
    async with db.session() as session:
        chat = await seed_october(session, -1001)
        item_id = await session.scalar(select(Item.id).where(Item.seq == 4))
        organisers, union = [p.department_id for p in await item_parts(session, item_id)]
        member = Author(tg_user_id=5, name="组织员")
        claim = at(10, 21, 9)
        await mark_part_done(session, item_id, [organisers, union], member, claim, review=True)
        supervisor = Author(6, "官庆军")
        await approve_part(session, item_id, organisers, supervisor, at(10, 22, 12, 20))
        await approve_part(session, item_id, union, supervisor, at(10, 23, 10))
        await session.commit()
        plan = await plan_for_month(session, chat.id, (None, 10), date(2020, 11, 3))
        report = await month_report(session, chat, plan, SHANGHAI)

    def export(fmt: str, locale: str) -> io.BytesIO:
        today, now = date(2020, 11, 3), datetime(2020, 11, 3, 2, 0, tzinfo=UTC)
        made = make_export(fmt, report, locale=locale, today=today, now=now, org="总工会")
        return io.BytesIO(made.data)

    def kinds(locale: str) -> list[tuple]:
        rows = load_workbook(export("xlsx", locale)).worksheets[1].iter_rows(values_only=True)
        return [(row[0], row[3], row[4]) for row in rows if row[0] == 4]

    assert kinds("zh_CN")[-3:] == [
        (4, "完成", "组织员"),
        (4, "完成（审核用时 1天3小时）", "官庆军"),
        (4, "完成（审核用时 2天1小时）", "官庆军"),
    ]
    assert kinds("en")[-2] == (4, "done (in review for 1 d 3 h)", "官庆军")

    def done_on(locale: str) -> str:
        table = Document(export("docx", locale)).tables[0]
        (row,) = [row for row in table.rows if row.cells[0].text == "4"]
        return row.cells[-1].text

    assert done_on("zh_CN") == "2020-10-23（审核用时 2天1小时）"
    assert done_on("en") == "2020-10-23 (in review for 2 d 1 h)"
