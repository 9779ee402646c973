"""Progress collection (进展报送) end to end: the real Application and scheduler, the sandbox
over HTTP, the office's clock moved with time-machine (as tests/bot/test_reminders.py does).

The sample plan (October 2020): 权益保障部 answers for items 1, 2, 3 and 5, 组织部 and the
工业制造业工会联合会 both lead item 4, 宣教网络部 has 6 and 7. 2020-10-23 is a Friday; the
chase goes the next working day, Monday 26th, at the reminder time (09:00).
"""

from __future__ import annotations

import asyncio
import re
from datetime import datetime

from sqlalchemy import select

from bot.delivery.reminders import make_dispatcher
from bot.sandbox import Message
from storage.db import Database
from storage.models import (
    Department,
    Digest,
    ItemDepartment,
    ItemEvent,
    ReportRound,
    ReportRoundMessage,
)
from tests.bot.test_reminders import Office, at, office_at
from tests.support.chat import department_group, item_ids, join
from tests.support.harness import running_bot

# office_at starts the bot with running_bot; naming it here makes these chat tests run on
# both backends (tests/bot/conftest.py).
assert running_bot

ASK = at(10, 23, 16)
CHASE = at(10, 26, 9)


def _mentions(message: Message) -> set[int]:
    """The Telegram users a message pings (tg://user links in what the bot sent)."""
    return {int(n) for n in re.findall(r"tg://user\?id=(\d+)", message.html or "")}


def _asks(messages: list[Message], word: str) -> list[Message]:
    return [m for m in messages if word in (m.text or "")]


async def _staff(o: Office) -> dict[str, int]:
    """Members bound to three departments: 张三 (权益保障部), 李四 (宣教网络部), 王五 (组织部)."""
    bot = o.bot
    li = bot.sandbox.add_user("李四")
    wang = bot.sandbox.add_user("王五")
    await join(bot, "权益保障部", "张三", bot.member)
    await join(bot, "宣教网络部", "李四", li)
    await join(bot, "组织部", "王五", wang)
    return {"张三": bot.member.id, "李四": li.id, "王五": wang.id}


async def test_a_friday_ask_answered_by_reply_and_progress_then_chased_on_monday(tmp_path):
    async with office_at(tmp_path, at(10, 20, 10)) as o:
        bot = o.bot
        staff = await _staff(o)
        set_ = await bot.say("/remind report 周五 16:00", user=bot.admin)
        assert "每周五 16:00" in set_[-1].text
        shown = await bot.say("/remind report")
        assert "进展报送：每周五 16:00；未报送的下一个工作日 09:00 催报" in shown[-1].text
        assert "10月23日 周五 16:00" in shown[-1].text
        # Bad input: one sentence with an example, and nothing changes.
        bad = await bot.say("/remind report 周八 16:00", user=bot.admin)
        assert bad[-1].text.startswith("看不懂报送时间「周八 16:00」")
        assert "/remind report fri 16:00" in bad[-1].text
        refused = await bot.say("/remind report off")  # a member, not an admin
        assert "只有管理员" in refused[-1].text

        # Friday 16:00: one ask in the group, each department with open lead parts pinged.
        asks = _asks(await o.moment(ASK), "进展报送")
        assert len(asks) == 1
        ask = asks[0]
        assert "权益保障部（张三） · ⏳ 未报送" in ask.text
        assert "宣教网络部（李四） · ⏳ 未报送" in ask.text
        assert "组织部（王五） · ⏳ 未报送" in ask.text
        assert "工业制造业工会联合会 · ⏳ 未报送" in ask.text, "a lead without members: named"
        assert {staff["张三"], staff["李四"], staff["王五"]} <= _mentions(ask)
        for line in ("1. ", "2. ", "3. ", "5. ", "4. ", "6. ", "7. ", "8. ", "9. ", "10. "):
            assert line in ask.text
        assert "已报送 0/7 个部室" in ask.text

        # 张三 replies with two lines; the ask still waits for items 3 and 5.
        replied = await bot.say("1 已完成一半\n2 60%", reply_to=ask)
        assert any("进度" in m.text or "50%" in m.text for m in replied)
        assert "权益保障部（张三） · ⏳ 未报送" in ask.text
        assert "✅ 1. " in ask.text and "✅ 2. " in ask.text
        # /progress for the other two: the department has reported.
        await bot.say("/progress 3 已与东莞市人社局对接")
        await bot.say("/progress 5 信访件均已按时办理", reply_to=ask)
        assert "权益保障部（张三） · ✅ 已报送" in ask.text
        assert "已报送 1/7 个部室" in ask.text
        # 王五 answers item 4 for 组织部 with just the text: the 工联会 still owes it.
        await bot.say("换届方案已报市总党组", user=bot.sandbox.users[staff["王五"]], reply_to=ask)
        assert "组织部（王五） · ✅ 已报送" in ask.text
        assert "工业制造业工会联合会 · ⏳ 未报送" in ask.text
        # Chatter in reply records nothing.
        before = await _events(bot)
        await bot.say("好的", reply_to=ask)
        assert await _events(bot) == before

        # A deploy between the ask and the chase loses nothing.
        await bot.restart()

        # Monday 09:00: the chase pings those still owing and tells their leaders.
        chase = _asks(await o.moment(CHASE), "催报")
        assert len(chase) == 1
        text = chase[0].text
        assert "宣教网络部（李四）：第 6–7 项" in text
        assert "工业制造业工会联合会：第 4 项" in text
        assert "权益保障部" not in text and "组织部（" not in text
        pinged = _mentions(chase[0])
        assert staff["李四"] in pinged and staff["张三"] not in pinged
        leaders = {o.leaders[n].id for n in ("郭红萍", "高启秀", "张征军", "董军")}
        assert leaders <= pinged, "the leaders of the items not reported are told"
        assert "以上部室尚未报送" in text
        # Once only.
        assert not _asks(await o.moment(at(10, 26, 9, 5)), "催报")

        # What was reported is in /summary and the exports.
        summary = "\n".join(m.text for m in await bot.say("/summary"))
        assert "已与东莞市人社局对接" in summary
        md = (await bot.say("/export md"))[0]
        assert md.document is not None
        exported = md.document.content.decode("utf-8")
        assert "已与东莞市人社局对接" in exported and "换届方案已报市总党组" in exported


async def _events(bot) -> int:
    async with bot.db.session() as session:
        return len(list(await session.scalars(select(ItemEvent.id))))


async def test_in_english_a_department_chat_is_asked_there_and_nobody_is_chased_when_all_reported(
    tmp_path,
):
    async with office_at(tmp_path, at(10, 20, 10)) as o:
        bot = o.bot
        await bot.say("/lang en", user=bot.admin)
        clerk = bot.sandbox.add_user("小王")
        own = await department_group(bot, "权益保障部", clerk, "小王")
        await bot.say("/lang en", user=bot.admin, chat=own)
        done = await bot.say("/remind report 25 16:00", user=bot.admin)
        assert "on day 25 of every month at 16:00" in done[-1].text
        bad = await bot.say("/remind chase tomorrow", user=bot.admin)
        assert bad[-1].text.startswith("Cannot read the chase time “tomorrow”")
        chase = await bot.say("/remind chase next 10:00", user=bot.admin)
        assert "the next working day at 10:00" in chase[-1].text

        # October 25th 2020 is a Sunday: asked on Friday the 23rd at 16:00.
        o.new(own)
        group_asks = _asks(await o.moment(ASK), "Progress report")
        own_asks = _asks(o.new(own), "Progress report")
        assert len(group_asks) == 1 and len(own_asks) == 1
        assert "权益保障部 · ⏳ not yet" in group_asks[0].text, "pinged in its own chat instead"
        assert "权益保障部 (小王) · ⏳ not yet" in own_asks[0].text
        assert clerk.id in _mentions(own_asks[0]) and clerk.id not in _mentions(group_asks[0])
        assert "宣教网络部" not in own_asks[0].text

        # The clerk answers in the department's chat; both asks show it.
        wrong = await bot.say("7 all done", user=clerk, chat=own, reply_to=own_asks[0])
        assert wrong[-1].text.startswith("Item 7 is not part of this report")
        await bot.say("1 60%\n2 half done\n3 contacted\n5 on track", user=clerk, chat=own,
                      reply_to=own_asks[0])  # fmt: skip
        assert "权益保障部 (小王) · ✅ reported" in own_asks[0].text
        assert "权益保障部 · ✅ reported" in group_asks[0].text

        # Every other department reports too (an admin for the whole item counts).
        for seq in (4, 6, 7, 8, 9):
            await bot.say(f"/progress {seq} on track", user=bot.admin)
        await bot.say("/progress 10 80%", user=bot.admin)
        assert "7 of 7 departments reported" in group_asks[0].text
        # /undo takes the last back: the ask says so again, and then it is reported anew.
        await bot.say("/undo", user=bot.admin)
        assert "6 of 7 departments reported" in group_asks[0].text
        assert "办公室 · ⏳ not yet" in group_asks[0].text
        await bot.say("/progress 10 archives sorted", user=bot.admin)
        assert "7 of 7 departments reported" in group_asks[0].text

        # Monday 10:00: nobody to chase.
        assert not _asks(await o.moment(at(10, 26, 10)), "still waiting")
        async with bot.db.session() as session:
            chase_rows = list(
                await session.scalars(select(Digest).where(Digest.kind == "report_chase"))
            )
        assert any(r.state == "cancelled" for r in chase_rows)

        # A group with nothing open is not asked.
        await bot.say("/done 1-10", user=bot.admin)
        await bot.say("/remind report fri 16:00", user=bot.admin)
        assert not _asks(await o.moment(at(10, 30, 16)), "Progress report")
        async with bot.db.session() as session:
            friday = await session.scalar(
                select(Digest).where(Digest.kind == "report", Digest.fire_at == at(10, 30, 16))
            )
        assert friday is not None and friday.state == "cancelled"
        # Turned off, nothing more is planned.
        off = await bot.say("/remind report off", user=bot.admin)
        assert off[-1].text == "✅ Progress reports are off for this chat."
        async with bot.db.session() as session:
            pending = list(
                await session.scalars(
                    select(Digest)
                    .where(Digest.kind.in_(("report", "report_chase")))
                    .where(Digest.state == "pending")
                )
            )
        assert pending == []


async def test_two_instances_send_the_ask_once(tmp_path):
    async with office_at(tmp_path, at(10, 20, 10)) as o:
        bot = o.bot
        await join(bot, "权益保障部", "张三", bot.member)
        await bot.say("/remind report fri 16:00", user=bot.admin)
        svc = bot.application.bot_data.services
        other_db = Database.from_url(bot.config.database.url)
        try:
            other = make_dispatcher(bot.config, other_db, svc.planner, bot.application.bot)
            here = bot.application.bot_data.reminders.dispatcher
            o.clock.move_to(ASK)
            moment = datetime.now(ASK.tzinfo)
            await asyncio.gather(here.dispatch(moment), other.dispatch(moment))
        finally:
            await other_db.close()
        asks = _asks(o.new(), "进展报送")
        assert len(asks) == 1
        async with bot.db.session() as session:
            rounds = list(await session.scalars(select(ReportRound)))
            messages = list(await session.scalars(select(ReportRoundMessage)))
        assert len(rounds) == 1 and [m.tg_message_id for m in messages] == [asks[0].message_id]


async def test_the_chase_reaches_a_department_in_its_own_chat_and_its_leader_in_the_group(tmp_path):
    async with office_at(tmp_path, at(10, 20, 10)) as o:
        bot = o.bot
        clerk = bot.sandbox.add_user("小刘")
        own = await department_group(bot, "办公室", clerk, "小刘")
        await bot.say("/remind report fri 16:00", user=bot.admin)
        await bot.say("/remind chase 次日 10点", user=bot.admin)
        o.new(own)
        await o.moment(ASK)
        (asked_there,) = _asks(o.new(own), "进展报送")
        assert "办公室（小刘） · ⏳ 未报送" in asked_there.text and "10. " in asked_there.text
        assert "1. " not in asked_there.text, "only the department's own items there"

        # Everyone but 办公室 reports (an admin answering for each item).
        for seq in range(1, 10):
            await bot.say(f"/progress {seq} 正常推进", user=bot.admin)
        assert not _asks(await o.moment(at(10, 26, 9)), "催报"), "the chase is at 10:00"
        group_chase = _asks(await o.moment(at(10, 26, 10)), "催报")
        (own_chase,) = _asks(o.new(own), "催报")
        assert len(group_chase) == 1
        assert "办公室：第 10 项" in group_chase[0].text, "named in the group, pinged at home"
        assert clerk.id not in _mentions(group_chase[0])
        assert o.leaders["董军"].id in _mentions(group_chase[0])
        assert "办公室（小刘）：第 10 项" in own_chase.text and clerk.id in _mentions(own_chase)
        assert "督促" not in own_chase.text, "the leaders are told in the group"


async def test_a_member_of_a_配合_department_is_not_asked_and_answers_for_nobody(tmp_path):
    async with office_at(tmp_path, at(10, 20, 10)) as o:
        bot = o.bot
        li, liu = bot.sandbox.add_user("李四"), bot.sandbox.add_user("小刘")
        await join(bot, "宣教网络部", "李四", li)
        await join(bot, "办公室", "小刘", liu)
        (six,) = await item_ids(bot, 6)
        async with bot.db.session() as session:
            office = await session.scalar(select(Department).where(Department.name == "办公室"))
            assert office is not None
            session.add(
                ItemDepartment(item_id=six, department_id=office.id, position=1, role="assist")
            )
        await bot.say("/remind report fri 16:00", user=bot.admin)
        (ask,) = _asks(await o.moment(ASK), "进展报送")
        office_block = ask.text.split("办公室（小刘）")[1]
        assert "10. " in office_block and "6. " not in office_block, "配合 is not asked"

        # The 配合 department's member notes how it helps: nobody asked has reported by that.
        await bot.say("/progress 6 已提供场地", user=liu)
        assert "宣教网络部（李四） · ⏳ 未报送" in ask.text
        assert "✅ 6. " not in ask.text
        await bot.say("6 已完成一半\n7 已完成初稿", user=li, reply_to=ask)
        assert "宣教网络部（李四） · ✅ 已报送" in ask.text
