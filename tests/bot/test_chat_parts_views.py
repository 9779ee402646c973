"""Each department's part of an item (issue 16 §1) as people see it: /plan, /item, /mine, /stats
and the exports show the lead departments with their own parts' states, partners (配合) apart and
never counted; in Chinese and in English.

The parts are set through storage/parts.py (a part in review as a claim under review): the chat
commands that change parts are tested with them (tests/bot/test_chat_parts.py).
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.operations.imports import import_plan, parse_for_import
from bot.operations.who import Origin
from storage.chats import get_chat
from storage.item_changes import Author
from storage.parts import close_item, mark_part_done, report_part_progress
from tests.support.chat import department_id, item_ids, join, joined, office_time
from tests.support.harness import Harness, running_bot

# Item 1 has three lead departments and a partner; item 2 one lead and a partner; item 3 one
# lead only, as every item had before parts.
PLAN = "\n".join(
    [
        "荆州市总工会十月份工作计划",
        "1. 筹备好工业制造业工会联合会换届工作（责任领导：高启秀；"
        "责任部室：组织部、工业制造业工会联合会、宣教网络部；配合单位：办公室；完成时限：10月31日）",
        "2. 做好档案升级达标评审工作（责任领导：董军；责任部室：办公室；配合单位：组织部；"
        "完成时限：10月20日）",
        "3. 做好工会统计年报工作（责任领导：董军；责任部室：办公室；完成时限：10月31日）",
    ]
)
CLERK = Author(tg_user_id=None, name="张三")
# 10月15日 10:00 in Shanghai: before item 2's deadline.
OCT_15 = datetime(2020, 10, 15, 2, tzinfo=UTC)
PARTS_ZH = "组织部 ✅ · 工业制造业工会联合会 60% · 宣教网络部 🟣 待审核｜配合：办公室"
PARTS_EN = "组织部 ✅ · 工业制造业工会联合会 60% · 宣教网络部 🟣 in review | partners: 办公室"
_HEAD = re.compile(r"^(?:\S+ )?(\d+)\. (.*)$", re.MULTILINE)


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        await _import(harness)
        yield harness


async def _import(bot: Harness) -> None:
    group = bot.group
    parsed = parse_for_import(PLAN, today=date(2020, 10, 1))
    planner = bot.application.bot_data.services.planner
    where = Origin(group.id, group.title or "", group.type, group.is_forum)
    await import_plan(bot.db, planner, where, parsed, PLAN)


async def _set_parts(bot: Harness) -> None:
    """Item 1: 组织部 done, 工业制造业工会联合会 at 60%, 宣教网络部 awaiting review."""
    (item,) = await item_ids(bot, 1)
    zuzhi = await department_id(bot, "组织部")
    union = await department_id(bot, "工业制造业工会联合会")
    xuanjiao = await department_id(bot, "宣教网络部")
    async with bot.db.session() as session:
        assert (await mark_part_done(session, item, zuzhi, CLERK, OCT_15)).applied
        assert (await report_part_progress(session, item, union, CLERK, 60, OCT_15)).applied
        claim = await mark_part_done(session, item, xuanjiao, CLERK, OCT_15, review=True)
        assert claim.applied


async def _set_locale(bot: Harness, locale: str) -> None:
    async with bot.db.session() as session:
        chat = await get_chat(session, bot.group.id)
        assert chat is not None
        chat.locale = locale


def _fields(text: str, seq: int) -> str:
    """The second line of item `seq` in a listing: leaders｜departments｜deadline｜progress."""
    lines = text.splitlines()
    head = next(i for i, line in enumerate(lines) if re.match(rf"^(?:\S+ )?{seq}\. ", line))
    return lines[head + 1].strip()


def _titles(text: str) -> dict[int, str]:
    return {int(seq): title for seq, title in _HEAD.findall(text)}


# -- /plan and /item ---------------------------------------------------------------------------


async def test_plan_and_item_show_each_lead_departments_part_and_partners_apart(bot):
    await _set_parts(bot)
    with office_time(2020, 10, 15):
        plan = joined(await bot.say("/plan"))
        card = joined(await bot.say("/item 1"))
    assert _fields(plan, 1).startswith(f"高启秀｜{PARTS_ZH}｜2020-10-31｜")
    # One lead department looks as before parts; its partner is shown apart, never with a state.
    assert _fields(plan, 2) == "董军｜办公室｜配合：组织部｜2020-10-20｜进度 0%"
    assert _fields(plan, 3) == "董军｜办公室｜2020-10-31｜进度 0%"
    assert _fields(card, 1).startswith(f"高启秀｜{PARTS_ZH}｜")
    # The history names the department whose part changed.
    assert "张三：✅ 登记完成（组织部）" in card
    assert "张三：📈 进度 60%（工业制造业工会联合会）" in card


async def test_a_closed_item_names_its_departments_and_says_its_day(bot):
    await _set_parts(bot)
    (item,) = await item_ids(bot, 1)
    async with bot.db.session() as session:
        assert (await close_item(session, item, CLERK, OCT_15)).applied
    with office_time(2020, 10, 15):
        card = joined(await bot.say("/item 1"))
    assert _fields(card, 1) == (
        "高启秀｜组织部、工业制造业工会联合会、宣教网络部｜配合：办公室｜"
        "2020-10-31｜2020-10-15 完成"
    )


async def test_the_history_names_every_department_of_a_change(bot):
    (item,) = await item_ids(bot, 1)
    both = [await department_id(bot, name) for name in ("组织部", "宣教网络部")]
    async with bot.db.session() as session:
        assert (await mark_part_done(session, item, both, CLERK, OCT_15)).applied
    with office_time(2020, 10, 15):
        card = joined(await bot.say("/item 1"))
    assert "张三：✅ 登记完成（组织部、宣教网络部）" in card
    assert _fields(card, 1).startswith("高启秀｜组织部 ✅ · 工业制造业工会联合会 · 宣教网络部 ✅｜")


async def test_plan_and_item_in_english(bot):
    await _set_parts(bot)
    await _set_locale(bot, "en")
    with office_time(2020, 10, 15):
        plan = joined(await bot.say("/plan"))
        card = joined(await bot.say("/item 1"))
    assert _fields(plan, 1).startswith(f"高启秀 | {PARTS_EN} | 2020-10-31 | ")
    assert _fields(plan, 2).startswith("董军 | 办公室 | partners: 组织部 | 2020-10-20 | ")
    assert _fields(card, 1).startswith(f"高启秀 | {PARTS_EN} | ")
    assert "张三: ✅ marked done (组织部)" in card


@pytest.mark.parametrize(
    ("locale", "department", "leads", "partnered", "mark"),
    [
        ("zh_CN", "组织部", [1], [2], "（配合）"),
        ("zh_CN", "办公室", [2, 3], [1], "（配合）"),
        ("en", "办公室", [2, 3], [1], " (partner)"),
    ],
)
async def test_a_department_filter_lists_its_partner_items_marked(
    bot, locale, department, leads, partnered, mark
):
    await _set_locale(bot, locale)
    with office_time(2020, 10, 15):
        titles = _titles(joined(await bot.say(f"/plan {department}")))
    assert sorted(titles) == sorted(leads + partnered)
    assert [seq for seq, title in titles.items() if title.endswith(mark)] == partnered


# -- /mine -------------------------------------------------------------------------------------


async def test_mine_lists_open_parts_and_partner_items_apart(bot):
    await _set_parts(bot)
    wang = bot.sandbox.add_user("小王")  # 组织部: its part of item 1 done; a partner of item 2
    li = bot.sandbox.add_user("小李")  # 工业制造业工会联合会: its part of item 1 open
    chen = bot.sandbox.add_user("小陈")  # 宣教网络部: its part of item 1 awaiting review
    zhang = bot.sandbox.add_user("小张")  # 办公室: leads items 2 and 3, a partner of item 1
    await join(bot, "组织部", "小王", wang)
    await join(bot, "工业制造业工会联合会", "小李", li)
    await join(bot, "宣教网络部", "小陈", chen)
    await join(bot, "办公室", "小张", zhang)
    with office_time(2020, 10, 15):
        mine = {
            u.first_name: joined(await bot.say("/mine", user=u)) for u in (wang, li, chen, zhang)
        }

    def sections(text: str) -> tuple[list[int], list[int]]:
        owing, _, partner = text.partition("你所在部室配合的事项")
        return sorted(_titles(owing)), sorted(_titles(partner))

    assert sections(mine["小王"]) == ([], [2])
    assert mine["小王"].startswith("你负责的未完成事项（0 项）")
    assert "你所在部室配合的事项（1 项，仅知悉，不催办）" in mine["小王"]
    assert sections(mine["小李"]) == ([1], [])
    assert mine["小陈"] == "你名下没有未完成的事项（绑定为：小陈）。"
    assert sections(mine["小张"]) == ([2, 3], [1])


async def test_mine_in_english(bot):
    await _set_locale(bot, "en")
    wang = bot.sandbox.add_user("小王")
    await join(bot, "组织部", "小王", wang)
    with office_time(2020, 10, 15):
        text = joined(await bot.say("/mine", user=wang))
    assert text.startswith("Your open items (1)")
    assert "Items your department is a partner of (1, for information, not reminded)" in text


# -- /stats and the exports --------------------------------------------------------------------


async def test_stats_count_each_departments_own_part_and_never_a_partner(bot):
    await _set_parts(bot)
    with office_time(2020, 10, 25):
        text = (await bot.say("/stats"))[0].text
    assert "全部 3 项：完成 0 项（0%），按时完成 0/1（0%）" in text
    # Its part of item 1 is done on time; item 2, where it is a partner, does not count.
    assert "组织部：完成 1/1（100%），按时 1/1（100%）" in text
    assert "工业制造业工会联合会：完成 0/1（0%），按时 0/0（—）" in text
    # Awaiting review is not done yet.
    assert "宣教网络部：完成 0/1（0%），按时 0/0（—）" in text
    # Items 2 (overdue) and 3; not item 1, where it is a partner.
    assert "办公室：完成 0/2（0%），按时 0/1（0%）" in text
    assert "部室按各自承担的部分统计" in text


async def test_stats_in_english(bot):
    await _set_parts(bot)
    await _set_locale(bot, "en")
    with office_time(2020, 10, 25):
        text = (await bot.say("/stats"))[0].text
    assert "组织部: done 1/1 (100%), on time 1/1 (100%)" in text
    assert "办公室: done 0/2 (0%), on time 0/1 (0%)" in text
    assert "Departments are counted by their own part" in text


async def test_the_exports_show_leads_with_their_parts_and_partners_apart(bot):
    await _set_parts(bot)
    with office_time(2020, 10, 25):
        xlsx = (await bot.say("/export xlsx"))[0]
        docx = (await bot.say("/export docx"))[0]
    sheet = load_workbook(io.BytesIO(xlsx.document.content))["工作计划"]
    assert sheet["D1"].value == "责任部室"
    shown = "组织部（已完成）、工业制造业工会联合会（进度 60%）、宣教网络部（待审核）｜配合：办公室"
    assert [sheet[f"D{row}"].value for row in (2, 3, 4)] == [
        shown,
        "办公室｜配合：组织部",
        "办公室",
    ]
    table = Document(io.BytesIO(docx.document.content)).tables[0]
    column = [cell.text for cell in table.rows[0].cells].index("责任部室")
    assert [row.cells[column].text for row in table.rows[1:]] == [
        shown,
        "办公室｜配合：组织部",
        "办公室",
    ]


async def test_the_xlsx_in_english(bot):
    await _set_parts(bot)
    await _set_locale(bot, "en")
    with office_time(2020, 10, 25):
        xlsx = (await bot.say("/export xlsx"))[0]
    sheet = load_workbook(io.BytesIO(xlsx.document.content)).worksheets[0]
    assert sheet["D2"].value == (
        "组织部 (done), 工业制造业工会联合会 (60%), 宣教网络部 (in review) | partners: 办公室"
    )
    assert sheet["D3"].value == "办公室 | partners: 组织部"


# -- who answers for an item -------------------------------------------------------------------


async def test_a_refusal_names_the_responsible_departments_not_the_partners(bot):
    stranger = bot.sandbox.add_user("小刘")
    await join(bot, "宣教网络部", "小刘", stranger)
    replies = await bot.say("/done 2", user=stranger)
    assert replies[0].text.startswith(
        "只有第 2 项的责任领导（董军）、责任部室（办公室）的成员或管理员可以更新它。"
    )


async def test_an_item_added_with_partners_only_is_told_it_lacks_a_responsible_one(bot):
    with office_time(2020, 10, 15):
        replies = await bot.say("/add 开会 | 高启秀 | 配合：办公室 | 10月28日", user=bot.admin)
    lines = replies[0].text.splitlines()
    assert lines[2].startswith("　　高启秀｜（无）｜配合：办公室｜2020-10-28")
    assert lines[3] == "⚠️ 还没有责任部室。"
