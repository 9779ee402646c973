"""Issue 16 §3's "review time is shown": the words for a time in review (pure), which claim an
approval (销号) is timed from (pure, over history rows), and the xlsx updates sheet showing it
on the approval's row (both databases)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
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


async def test_the_xlsx_shows_the_review_time_on_the_approval(db: Database):
    """Item 4's 组织部 claims on 10-21 09:00 and is approved on 10-22 12:20 (office time)."""
    async with db.session() as session:
        chat = await seed_october(session, -1001)
        item_id = await session.scalar(select(Item.id).where(Item.seq == 4))
        department_id = (await item_parts(session, item_id))[0].department_id
        member = Author(tg_user_id=5, name="组织员")
        await mark_part_done(session, item_id, department_id, member, at(10, 21, 9), review=True)
        await approve_part(session, item_id, department_id, Author(6, "官庆军"), at(10, 22, 12, 20))
        await session.commit()
        plan = await plan_for_month(session, chat.id, (None, 10), date(2020, 11, 3))
        report = await month_report(session, chat, plan, SHANGHAI)

    def kinds(locale: str) -> list[tuple]:
        data = make_export(
            "xlsx",
            report,
            locale=locale,
            today=date(2020, 11, 3),
            now=datetime(2020, 11, 3, 2, 0, tzinfo=UTC),
            org="总工会",
        ).data
        sheet = load_workbook(io.BytesIO(data)).worksheets[1]
        rows = sheet.iter_rows(values_only=True)
        return [(row[0], row[3], row[4]) for row in rows if row[0] == 4]

    claim, approval = kinds("zh_CN")[-2:]
    assert claim == (4, "完成", "组织员")
    assert approval == (4, "完成（审核用时 1天3小时）", "官庆军")
    assert kinds("en")[-1] == (4, "done (in review for 1 d 3 h)", "官庆军")
