"""The sample October 2020 plan stored with a month of reports, for the export and report tests."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from plans.parser import parse_plan
from plans.sample import sample_text
from storage.chats import get_or_create_chat
from storage.models import Chat, ItemEvent, ItemStatus
from storage.plans import save_parsed_plan

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """An office-local wall-clock time, stored as UTC like every instant."""
    return datetime(2020, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


async def seed_october(session: AsyncSession, tg_chat_id: int, title: str = "工作群") -> Chat:
    """The sample plan, with reports on items 1, 4, 6 and 8 (8's taken back by /undo).

    Item 1 done on time with three reports, 4 at 60%, 6 done two days late, 8 with a note
    that was undone, 10 with only an acknowledgement; the rest untouched.
    """
    chat = await get_or_create_chat(session, tg_chat_id, title=title, type="supergroup")
    await session.flush()
    assert chat.id is not None
    result = await save_parsed_plan(session, chat.id, parse_plan(sample_text()), sample_text())
    items = {item.seq: item for item in result.plan.items}

    def add(seq: int, kind: str, when: datetime, text: str = "", percent: int | None = None):
        update = ItemEvent(
            item_id=items[seq].id,
            kind=kind,
            text=text,
            percent=percent,
            created_at=when,
            author_name="高启秀",
            author_tg_user_id=1,
        )
        session.add(update)
        return update

    add(1, "progress", at(10, 8), "与帮扶村对接，确定活动方案", 50)
    # 01:30 in Shanghai is still the evening before in UTC: the office's day counts.
    add(1, "note", at(10, 12, 1, 30), "筹集帮扶资金12万元")
    add(1, "done", at(10, 17), "在石首市举办扶贫日活动，慰问困难户200户", 100)
    items[1].status, items[1].progress, items[1].done_at = ItemStatus.DONE.value, 100, at(10, 17)
    add(4, "progress", at(10, 20), "完成换届方案初稿", 60)
    items[4].progress = 60
    add(6, "done", at(11, 2), "举办职工素质大讲堂两期", 100)
    items[6].status, items[6].progress, items[6].done_at = ItemStatus.DONE.value, 100, at(11, 2)
    wrong = add(8, "note", at(10, 9), "误报的进展")
    await session.flush()
    add(8, "undo", at(10, 9, 10, 5)).data = {"undoes": wrong.id, "kind": "note"}
    add(10, "ack", at(10, 25))
    await session.flush()
    return chat
