"""/bulletin end to end: the real Application against the sandbox, on both databases.

The sample October 2020 plan with a month of reports (tests/support/reports.py): item 1 done
on time, 6 done two days late, the rest open; on 3 November they are past their deadline
(10-31). Item 4 is led by two departments: 组织部 finished its part on 10-30, 工业制造业工会
联合会 has not, so the item is open and overdue while 组织部 is on time.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from docx import Document
from PIL import Image
from sqlalchemy import select, update
from sqlmodel import col

from storage.chats import get_chat
from storage.models import Department, Digest, Item, ItemDepartment, Plan
from tests.support.chat import import_sample
from tests.support.harness import running_bot
from tests.support.reports import at, seed_october

# 2020-11-03 10:00 in Shanghai.
NOV_3 = datetime(2020, 11, 3, 2, 0, tzinfo=UTC)


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path, org={"name": "荆州市总工会"}) as harness:
        yield harness


async def finish_part(bot, seq: int, department: str, when: datetime) -> None:
    async with bot.db.session() as session:
        item_id = await session.scalar(select(Item.id).where(Item.seq == seq))
        department_id = await session.scalar(
            select(Department.id).where(Department.name == department)
        )
        await session.execute(
            update(ItemDepartment)
            .where(
                col(ItemDepartment.item_id) == item_id,
                col(ItemDepartment.department_id) == department_id,
            )
            .values(status="done", progress=100, done_at=when)
        )


@pytest.fixture
async def seeded(bot):
    async with bot.db.session() as session:
        await seed_october(session, bot.group.id, title=bot.group.title)
    await finish_part(bot, 1, "权益保障部", at(10, 17))
    await finish_part(bot, 4, "组织部", at(10, 30))
    # Item 6's part stays open although the item is done (closed as a whole): counted done.
    return bot


@contextmanager
def on_nov_3():
    with time_machine.travel(NOV_3, tick=True):
        yield


async def _set_locale(bot, locale: str) -> None:
    async with bot.db.session() as session:
        chat = await get_chat(session, bot.group.id)
        chat.locale = locale


RANKED_ZH = [
    "1. 组织部：牵头1项，按时完成1项，逾期完成0项，未完成0项（其中已逾期0项），按时完成率100%。",
    "2. 权益保障部：牵头4项，按时完成1项，逾期完成0项，未完成3项（其中已逾期3项），按时完成率25%。",
    "3. 宣教网络部：牵头2项，按时完成0项，逾期完成1项，未完成1项（其中已逾期1项），按时完成率0%。",
    "4. 办公室：牵头1项，按时完成0项，逾期完成0项，未完成1项（其中已逾期1项），按时完成率0%。",
    "5. 基层工作部：牵头1项，按时完成0项，逾期完成0项，未完成1项（其中已逾期1项），按时完成率0%。",
    "6. 工业制造业工会联合会：牵头1项，按时完成0项，逾期完成0项，未完成1项（其中已逾期1项），"
    "按时完成率0%。",
    "7. 经技部：牵头1项，按时完成0项，逾期完成0项，未完成1项（其中已逾期1项），按时完成率0%。",
]


async def test_the_bulletin_ranks_the_departments_and_names_those_overdue(seeded):
    with on_nov_3():
        replies = await seeded.say("/bulletin 10月")
    assert len(replies) == 2
    text, photo = replies[0], replies[1]
    lines = text.text.splitlines()
    assert lines[:4] == [
        "关于2020年10月重点工作完成情况的通报",
        "",
        "2020年10月共安排重点工作10项。截至11月3日，按时完成1项，逾期完成1项，"
        "未完成8项（其中已逾期8项）。",
        "",
    ]
    assert "<b>关于2020年10月重点工作完成情况的通报</b>" in text.html
    assert lines[4] == "各责任部室完成情况（按按时完成率排序）："
    assert lines[5:12] == RANKED_ZH
    assert lines[13] == (
        "以下部门存在逾期事项：权益保障部、宣教网络部、办公室、基层工作部、工业制造业工会联合会、"
        "经技部。请相关部门说明原因，抓紧办理。"
    )
    assert lines[15] == "请各部门对照计划，抓紧推进未完成事项，确保按时办结。"
    assert photo.photo is not None and photo.caption == "2020年10月 各部室完成率与按时完成率"
    image = Image.open(io.BytesIO(photo.photo))
    # /stats's renderer: one band per department (7), no leaders' panel.
    assert image.format == "PNG" and image.size == (1000, 575)


async def test_the_bulletin_in_english_has_the_same_structure(seeded):
    await _set_locale(seeded, "en")
    with on_nov_3():
        text, photo = await seeded.say("/bulletin last month")
    lines = text.text.splitlines()
    assert lines[0] == "Bulletin on the key work of October 2020"
    assert lines[2] == (
        "October 2020: 10 items planned. As of 3 November: 1 done on time, 1 done late, "
        "8 not done (8 of them overdue)."
    )
    assert lines[4] == "By department, best on-time rate first:"
    assert lines[5] == (
        "1. 组织部: leads 1, 1 on time, 0 late, 0 not done (0 overdue); on-time rate 100%."
    )
    assert lines[13].startswith("Departments with overdue items: 权益保障部, 宣教网络部, 办公室")
    assert photo.caption == "Completion and on-time rates by department, October 2020"


async def test_month_words_as_plan_takes_them_and_refusals(seeded):
    with on_nov_3():
        for words in ("october", "2020-10", "十月", "上个月", ""):
            (reply, _photo) = await seeded.say(f"/bulletin {words}".strip())
            assert reply.text.startswith("关于2020年10月重点工作完成情况的通报"), words
        (bad,) = await seeded.say("/bulletin 十三月")
        (quarter,) = await seeded.say("/bulletin 一季度")
        (missing,) = await seeded.say("/bulletin 9月")
    assert bad.text == "看不懂月份“十三月”。例：/bulletin 10月（也可写 十月、2020-10、october）"
    assert quarter.text == (
        "通报按月份出具，“一季度”不是一个月份。"
        "例：/bulletin 10月（也可写 本月、上个月、2020-10、october）"
    )
    assert missing.text == "本群没有 2020年9月 的工作计划。已有：2020年10月。"


async def test_a_group_without_plans_and_a_plan_without_items_get_one_sentence(bot):
    (none,) = await bot.say("/bulletin")
    assert none.text.startswith("本群还没有工作计划，请管理员先用 /import 导入。")
    async with bot.db.session() as session:
        chat = await get_chat(session, bot.group.id)
        if chat is None:
            raise AssertionError("the group was made on first sight")
        session.add(Plan(chat_id=chat.id, year=2020, month=10, title="空计划"))
    with on_nov_3():
        (empty,) = await bot.say("/bulletin 10月")
    assert empty.text == "2020年10月的工作计划中没有事项，无可通报的内容。"


# -- the month-end post (/remind bulletin on) ---------------------------------------------------

SH = ZoneInfo("Asia/Shanghai")


def local(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2020, month, day, hour, minute, tzinfo=SH)


async def run_at(bot, clock, when: datetime) -> list:
    """Move the clock to `when`, run what the scheduler has due; what the group got meanwhile."""
    before = len(bot.sandbox.sent(bot.group))
    clock.move_to(when)
    scheduler = bot.application.bot_data.reminders.scheduler
    assert scheduler is not None
    await scheduler.run_pending()
    await bot.settle()
    return bot.sandbox.sent(bot.group)[before:]


def bulletins(messages, title: str) -> list:
    return [m for m in messages if (m.text or "").startswith(title)]


async def bulletin_rows(bot) -> list[tuple[str, str]]:
    async with bot.db.session() as session:
        rows = await session.scalars(select(Digest).where(Digest.kind == "bulletin"))
        return [(row.state, row.fire_at.astimezone(SH).strftime("%m-%d %H:%M")) for row in rows]


@pytest.mark.parametrize(
    ("locale", "switched", "title", "shown"),
    [
        (
            "zh_CN",
            "✅ 已打开月度通报：每月最后一个工作日发布当月完成情况通报。",
            "关于2020年10月重点工作完成情况的通报",
            ["月末：每月最后一个工作日发布当月通报（09:00）", "下次月度通报：10月30日 周五 09:00"],
        ),
        (
            "en",
            "✅ The month's bulletin is posted on its last working day.",
            "Bulletin on the key work of October 2020",
            [
                "Month end: the month's bulletin is posted on its last working day (09:00)",
                "Next bulletin: Fri 30/10 09:00",
            ],
        ),
    ],
)
async def test_switched_on_the_bulletin_is_posted_once_on_the_last_working_day_across_a_restart(
    tmp_path, locale, switched, title, shown
):
    with time_machine.travel(local(10, 27, 10), tick=False) as clock:
        async with running_bot(tmp_path, i18n={"locale": locale}) as bot:
            await import_sample(bot)
            (refused,) = await bot.say("/remind bulletin on")
            assert refused.text.startswith(("只有管理员", "Only admins"))
            (done,) = await bot.say("/remind bulletin on", user=bot.admin)
            assert done.text.splitlines()[0] == switched
            (overview,) = await bot.say("/remind")
            for line in shown:
                assert line in overview.text.splitlines()
            await bot.say("/done 1", user=bot.admin)
            assert bulletins(await run_at(bot, clock, local(10, 29, 10)), title) == []
        # Down over Thursday night; the planned post survives in the outbox.
        async with running_bot(tmp_path, i18n={"locale": locale}) as bot:
            assert await bulletin_rows(bot) == [("pending", "10-30 09:00")]
            sent = await run_at(bot, clock, local(10, 30, 9))
            (post,) = bulletins(sent, title)
            lines = post.text.splitlines()
            if locale == "zh_CN":
                assert lines[2] == (
                    "2020年10月共安排重点工作10项。截至10月30日，按时完成1项，逾期完成0项，"
                    "未完成9项（其中已逾期0项）。"
                )
                assert lines[5].startswith("1. 权益保障部：牵头4项，按时完成1项")
            else:
                assert lines[2] == (
                    "October 2020: 10 items planned. As of 30 October: 1 done on time, "
                    "0 done late, 9 not done (0 of them overdue)."
                )
                assert lines[5].startswith("1. 权益保障部: leads 4, 1 on time")
            chart = sent[sent.index(post) + 1]
            assert chart.photo is not None
            assert Image.open(io.BytesIO(chart.photo)).format == "PNG"
            again = await run_at(bot, clock, local(10, 30, 9, 5))
            assert bulletins(again, title) == []
            assert await bulletin_rows(bot) == [("sent", "10-30 09:00")]


async def test_the_bulletin_is_off_by_default(tmp_path):
    with time_machine.travel(local(10, 27, 10), tick=False) as clock:
        async with running_bot(tmp_path) as bot:
            await import_sample(bot)
            (overview,) = await bot.say("/remind")
            assert "月末：不发布月度通报" in overview.text.splitlines()
            sent = await run_at(bot, clock, local(10, 30, 9))
            assert sent, "the day's reminder still comes"
            assert bulletins(sent, "关于") == [] and await bulletin_rows(bot) == []
            (bad,) = await bot.say("/remind bulletin maybe", user=bot.admin)
            assert bad.text == "月度通报只能设为 on 或 off（开启 / 关闭）。例：/remind bulletin on"


# -- the Word export --------------------------------------------------------------------------


async def test_the_word_export_carries_the_bulletin_as_a_section(seeded):
    with on_nov_3():
        (reply,) = await seeded.say("/export 10月 docx")
        (shown, _chart) = await seeded.say("/bulletin 10月")
    document = Document(io.BytesIO(reply.document.content))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    start = paragraphs.index(("Title", "关于2020年10月重点工作完成情况的通报"))
    assert paragraphs[0] == ("Title", "荆州市总工会十月份工作综述"), "the summary comes first"
    end = paragraphs.index(("Heading 2", "2020年10月工作计划完成情况"))
    section = [text for _, text in paragraphs[start:end] if text]
    # The same words as the chat's bulletin, without its note on the rate.
    chat_lines = [line for line in shown.text.splitlines() if line][:-1]
    assert section == chat_lines
    assert ("Heading 2", "各责任部室完成情况（按按时完成率排序）：") in paragraphs
    assert document.tables[0].rows[1].cells[1].text == "扎实开展2020年“扶贫日”活动"


async def test_the_word_export_in_english(seeded):
    await _set_locale(seeded, "en")
    with on_nov_3():
        (reply,) = await seeded.say("/export docx")
    document = Document(io.BytesIO(reply.document.content))
    texts = [p.text for p in document.paragraphs if p.text]
    start = texts.index("Bulletin on the key work of October 2020")
    assert texts[start + 1].startswith("October 2020: 10 items planned. As of 3 November:")
    closing = texts[texts.index("Plan status, October 2020") - 1]
    assert closing.startswith("Every department is asked to push on with its open items")
