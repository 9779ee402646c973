"""/done end to end: by number, by reply, by button; who may; twice; other months; topics;
private chats; escaping; both languages."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from bot.operations.imports import import_plan, parse_for_import
from bot.operations.who import Origin
from bot.views.buttons import item_buttons
from storage.models import ItemEvent, Reminder, ReminderState
from tests.support.chat import (
    bind,
    button,
    item_ids,
    item_row,
    join,
    joined,
    office_time,
    post_about,
    press,
    seed,
)
from tests.support.harness import running_bot

NOVEMBER = """荆州市总工会2020年11月工作计划
一、召开职工代表大会
责任领导：高启秀
责任部室：办公室
完成时限：11月20日
"""


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        await seed(harness)
        await bind(harness, "董军", harness.member)
        yield harness


async def _updates(bot, kind: str = "done") -> list[ItemEvent]:
    async with bot.db.session() as session:
        return list(await session.scalars(select(ItemEvent).where(ItemEvent.kind == kind)))


async def _pending_reminders(bot, seq: int) -> int:
    (item_id,) = await item_ids(bot, seq)
    async with bot.db.session() as session:
        return await session.scalar(
            select(func.count()).where(
                Reminder.item_id == item_id, Reminder.state == ReminderState.PENDING.value
            )
        )


async def test_a_leader_marks_their_item_done_with_a_note(bot):
    async with bot.db.session() as session:
        planner = bot.application.bot_data.services.planner
        await planner.replan(
            session, await item_ids(bot, 10), now=datetime(2020, 10, 20, tzinfo=UTC)
        )
    assert await _pending_reminders(bot, 10) > 0
    with office_time(2020, 10, 20):
        replies = await bot.say("/done 10 年报已报送")
    assert replies[0].text.splitlines() == [
        "✅ 第 10 项「做好档案升级达标评审和工会统计年报工作」已完成（张三）。",
        "备注：年报已报送",
        "发错了？10 分钟内发送 /undo 可撤销。",
    ]
    item = await item_row(bot, 10)
    assert (item.status, item.progress) == ("done", 100)
    assert [(u.text, u.author_name) for u in await _updates(bot)] == [("年报已报送", "张三")]
    assert await _pending_reminders(bot, 10) == 0, "its reminders are cancelled"


async def test_done_twice_says_so_and_writes_nothing_more(bot):
    await bot.say("/done 十")
    replies = await bot.say("/done 10 再报一次")
    assert replies[0].text.startswith(
        "第 10 项「做好档案升级达标评审和工会统计年报工作」已经完成了（"
    )
    assert len(await _updates(bot)) == 1


async def test_an_unrelated_member_is_refused_politely(bot):
    stranger = bot.sandbox.add_user("李四")
    replies = await bot.say("/done 4", user=stranger)
    assert replies[0].text == (
        "只有第 4 项的责任领导（高启秀）、责任部室（组织部、工业制造业工会联合会）的成员或管理员"
        "可以更新它。如果你是其中一员，请先发送 /iam 姓名 绑定。"
    )
    assert (await item_row(bot, 4)).status == "open"
    # 董军 leads item 10 only.
    assert "只有第 4 项" in (await bot.say("/done 4"))[0].text


async def test_department_members_and_admins_may(bot):
    clerk = bot.sandbox.add_user("小王")
    await join(bot, "办公室", "王小", clerk)
    assert "已完成" in (await bot.say("/done 10", user=clerk))[0].text
    assert "已完成" in (await bot.say("/done 1", user=bot.admin))[0].text
    group_admin = bot.sandbox.add_user("群管理")
    bot.sandbox.set_admin(bot.group, group_admin)
    assert "已完成" in (await bot.say("/done 2", user=group_admin))[0].text


async def test_anyone_may_when_configured(tmp_path):
    async with running_bot(tmp_path, access={"anyone_can_update": True}) as bot:
        await seed(bot)
        replies = await bot.say("/done 4")
        assert "已完成" in replies[0].text


async def test_another_months_item_and_the_current_plan(bot):
    chat = Origin(bot.group.id, "", "supergroup")
    parsed = parse_for_import(NOVEMBER, today=date(2020, 11, 1))
    await import_plan(bot.db, bot.application.bot_data.services.planner, chat, parsed, NOVEMBER)
    with office_time(2020, 11, 5):
        missing = await bot.say("/done 3", user=bot.admin)
        assert missing[0].text == ("2020年11月计划中没有第 3 项（共 1 项）。例：/done 3 已报送材料")
        done = await bot.say("/done 2020-10#3", user=bot.admin)
        assert "第 3 项「筹备好“助力荆楚共创未来”荆州—东莞就业专场活动」已完成" in done[0].text
        done = await bot.say("/done oct#5", user=bot.admin)
        assert "第 5 项「做好工会信访维稳工作」已完成" in done[0].text
        none = await bot.say("/done 2020-09#1", user=bot.admin)
        assert none[0].text == "没有2020年9月的计划。已有计划：2020年11月、2020年10月。"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/done", "请写明事项编号。例：/done 3 已报送材料"),
        ("/done 12", "2020年10月计划中没有第 12 项（共 10 项）。例：/done 3 已报送材料"),
        (
            "/done 一般性工作",
            "“一般性工作”不是事项编号，编号可写 3、三 或 2020-10#3。例：/done 3 已报送材料",
        ),
        ("/done 5-3", "“5-3”是从大到小写的，请写成从小到大，例如 /done 1-3。"),
        (
            "/done 1-60",
            "“1-60”超过了一次最多 50 项，请分几次发送。例：/done 3 已报送材料",
        ),
        (
            "/done <b>x</b>",
            "“<b>x</b>”不是事项编号，编号可写 3、三 或 2020-10#3。例：/done 3 已报送材料",
        ),
    ],
)
async def test_wrong_arguments_get_one_line_and_nothing_changes(bot, text, expected):
    replies = await bot.say(text, user=bot.admin)
    assert [m.text for m in replies] == [expected]
    assert await _updates(bot) == []


async def test_a_reply_to_a_single_item_message_marks_that_item(bot):
    reminder = await post_about(bot, [10])
    replies = await bot.say("/done 档案已归档", reply_to=reminder)
    assert "第 10 项" in replies[0].text and "备注：档案已归档" in replies[0].text
    assert (await item_row(bot, 10)).status == "done"


async def test_a_reply_to_the_plan_asks_which_and_keeps_the_note(bot):
    listing = await bot.say("/plan")
    question = await bot.say("/done 全部材料已报送", reply_to=listing[0])
    assert question[0].text == "这条消息涉及 10 项，请选择已完成的一项："
    assert len(question[0].buttons) == 10
    assert all(len(b["callback_data"].encode()) <= 64 for b in question[0].buttons)
    answer = await press(bot, question[0], button(question[0], "10. 做好档案"), bot.member)
    assert "第 10 项" in answer[0].text and "备注：全部材料已报送" in answer[0].text
    assert bot.sandbox.callback_answers[-1].text == "已登记完成"
    assert question[0].buttons == [], "the question is answered"
    assert (await _updates(bot))[0].text == "全部材料已报送"


async def test_a_which_one_question_keeps_its_note_across_a_restart(bot):
    listing = await bot.say("/plan")
    question = (await bot.say("/done 全部材料已报送", reply_to=listing[0]))[0]
    await bot.restart()
    answer = await press(bot, question, button(question, "10. 做好档案"), bot.member)
    assert "第 10 项" in answer[0].text and "备注：全部材料已报送" in answer[0].text
    assert question.buttons == [], "the question is answered"


async def test_a_numbered_reply_to_the_plan_picks_that_item(bot):
    listing = await bot.say("/plan")
    replies = await bot.say("/done 10 好了", reply_to=listing[0])
    assert "第 10 项" in replies[0].text and "备注：好了" in replies[0].text


async def test_the_done_button_on_a_reminder(bot):
    nine, item_id = await item_ids(bot, 9, 10)
    markup = item_buttons([(nine, 9), (item_id, 10)], "zh_CN")
    reminder = await post_about(bot, [9, 10], reply_markup=markup)
    stranger = bot.sandbox.add_user("李四")
    assert await press(bot, reminder, f"it:done:{item_id}", stranger) == []
    refusal = bot.sandbox.callback_answers[-1]
    assert refusal.show_alert and refusal.text.startswith("只有第 10 项的责任领导（董军）")
    assert (await item_row(bot, 10)).status == "open"

    replies = await press(bot, reminder, f"it:done:{item_id}", bot.member)
    assert "第 10 项" in replies[0].text and "（张三）" in replies[0].text
    assert bot.sandbox.callback_answers[-1].text == "已登记完成"
    assert "✅ 10. 做好档案升级达标评审" in reminder.text
    assert {b["callback_data"] for b in reminder.buttons} == {
        f"it:{action}:{nine}" for action in ("done", "ack", "snz")
    }, "the done item's buttons are gone, the other item's stay"
    # A copy of the reminder that still has the button (say, one Telegram would not edit).
    stale = await post_about(bot, [10], reply_markup=item_buttons([(item_id, 10)], "zh_CN"))
    assert await press(bot, stale, f"it:done:{item_id}", bot.member) == []
    assert bot.sandbox.callback_answers[-1].text == "这一项已经完成了"
    assert len(await _updates(bot)) == 1


async def test_a_forum_topic_gets_its_answers_in_the_topic(bot):
    forum = bot.sandbox.add_chat("supergroup", title="论坛", is_forum=True)
    await seed(bot, forum)
    listing = await bot.say("/plan", chat=forum, thread_id=9, user=bot.admin)
    question = await bot.say("/done", chat=forum, reply_to=listing[0], user=bot.admin)
    assert question[0].thread_id == 9
    answer = await press(bot, question[0], button(question[0], "3. "), bot.admin)
    assert answer[0].thread_id == 9 and "第 3 项" in answer[0].text
    replies = await bot.say("/done 4", chat=forum, thread_id=9, user=bot.admin)
    assert replies[0].thread_id == 9


async def test_in_a_private_chat_for_the_group_where_one_is_bound(bot):
    private = bot.sandbox.private_chat(bot.member)
    replies = await bot.say("/done 10 私聊报告", chat=private)
    assert "第 10 项" in replies[0].text
    assert (await item_row(bot, 10)).status == "done"
    outsider = bot.sandbox.add_user("路人")
    refused = await bot.say("/done 10", chat=bot.sandbox.private_chat(outsider), user=outsider)
    assert "/iam 姓名" in refused[0].text


async def test_notes_are_shown_literally(bot):
    replies = await bot.say("/done 10 <b>A&B</b> 已完成")
    assert "备注：<b>A&B</b> 已完成" in replies[0].text
    assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in replies[0].html


async def test_english(tmp_path):
    async with running_bot(tmp_path, i18n={"locale": "en"}) as bot:
        await seed(bot)
        await bind(bot, "董军", bot.member)
        replies = await bot.say("/done 10 filed")
        assert replies[0].text.splitlines() == [
            "✅ item 10 “做好档案升级达标评审和工会统计年报工作” is done (张三).",
            "Note: filed",
            "A mistake? /undo within 10 minutes takes it back.",
        ]
        refused = await bot.say("/done 1")
        assert refused[0].text.startswith("Only item 1's leaders (高启秀), members of its")
        missing = await bot.say("/done 11")
        assert missing[0].text == (
            "The 2020-10 plan has no item 11 (it has 10). e.g. /done 3 documents submitted"
        )
        listing = await bot.say("/plan", user=bot.admin)
        question = await bot.say("/done", reply_to=listing[0], user=bot.admin)
        assert question[0].text == "That message lists 9 items. Which one is done?"
        await press(bot, question[0], button(question[0], "1. "), bot.admin)
        assert bot.sandbox.callback_answers[-1].text == "Marked done"
        assert joined(await bot.say("/plan done")).count("✅ 1. ") == 1
