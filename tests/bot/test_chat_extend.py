"""/extend end to end: asking, refusals, Approve / Reject and who may press them."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from bot.sandbox import Chat, User
from storage.models import ExtensionRequest, Item, ItemEvent, Reminder, ReminderMessage
from tests.support.chat import iam, import_sample, tap
from tests.support.harness import Harness, running_bot

# Monday 12 October 2020, 10:00 in the office: the sample's October plan is current.
NOW = datetime(2020, 10, 12, 2, 0, tzinfo=UTC)
ITEM = "做好档案升级达标评审和工会统计年报工作"  # item 10: leader 董军, department 办公室


@dataclass
class World:
    bot: Harness
    leader: User
    clerk: User
    outsider: User


async def _setup(bot: Harness, chat: Chat | None = None, **say) -> World:
    chat = chat or bot.group
    await import_sample(bot, chat)
    leader = bot.sandbox.add_user("董军", username="dongjun")
    await iam(bot, "董军", leader, chat, **say)
    await iam(bot, "小王", bot.member, chat, **say)
    await bot.say(f"/dept 办公室 add {bot.member.id}", user=bot.admin, chat=chat, **say)
    outsider = bot.sandbox.add_user("路人")
    return World(bot, leader, bot.member, outsider)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
async def world(tmp_path, clock):
    async with running_bot(tmp_path) as bot:
        yield await _setup(bot)


async def _item(bot, seq=10) -> Item:
    async with bot.db.session() as session:
        return await session.scalar(select(Item).where(Item.seq == seq))


async def _history(bot, item_id):
    async with bot.db.session() as session:
        rows = await session.scalars(
            select(ItemEvent).where(ItemEvent.item_id == item_id).order_by(ItemEvent.id)
        )
        return list(rows)


async def _pending_reminder_days(bot, item_id) -> set[date]:
    async with bot.db.session() as session:
        rows = await session.scalars(
            select(Reminder).where(Reminder.item_id == item_id, Reminder.state == "pending")
        )
        return {r.fire_at.date() for r in rows if r.kind != "overdue"}


async def _ask(world, text="/extend 10 11月15日 等待上级批复", user=None, **say):
    replies = await world.bot.say(text, user=user or world.clerk, **say)
    return replies[-1]


async def test_a_department_member_asks_and_the_leader_approves(world):
    bot = world.bot
    request = await _ask(world)
    assert request.text.splitlines() == [
        f"⏳ 延期申请：第 10 项 {ITEM}",
        "申请人：小王",
        "完成时限：2020-10-31 → 2020-11-15",
        "理由：等待上级批复",
        "请 董军 审批（本项责任领导或管理员可操作）。",
    ]
    assert f'href="tg://user?id={world.leader.id}"' in request.html, "the leader is mentioned"
    assert f'href="tg://user?id={world.clerk.id}"' in request.html, "so is the requester"
    assert [b["text"] for b in request.buttons] == ["✅ 同意延期", "❌ 不同意"]
    assert [b["callback_data"][:7] for b in request.buttons] == ["ext:ok:", "ext:no:"]
    item = await _item(bot)
    assert max(await _pending_reminder_days(bot, item.id)) <= date(2020, 10, 31)

    _, answers = await tap(bot, request, "ext:ok:", world.outsider)
    assert answers[0].text == "只有本项责任领导（董军）或管理员可以审批。" and answers[0].show_alert
    _, answers = await tap(bot, request, "ext:ok:", world.clerk)
    assert answers[0].text == "申请人不能审批自己的延期申请。", "asking is not deciding"
    assert (await _item(bot)).deadline == date(2020, 10, 31)

    _, answers = await tap(bot, request, "ext:ok:", world.leader)
    assert answers[0].text == "已同意延期。"
    assert request.buttons == []
    assert request.text.splitlines()[-1].startswith("✅ 董军 已同意延期（2020-10-12 10:0")
    item = await _item(bot)
    assert item.deadline == date(2020, 11, 15) and item.deadline_text == "11月15日"
    extend = (await _history(bot, item.id))[-1]
    assert extend.kind == "extend" and extend.author_tg_user_id == world.leader.id
    assert extend.data["old"] == "2020-10-31" and extend.data["new"] == "2020-11-15"
    assert extend.data["approved_by"] == "董军"
    days = await _pending_reminder_days(bot, item.id)
    assert date(2020, 10, 30) not in days and max(days) >= date(2020, 11, 13), "re-planned"


async def test_an_admin_rejects_and_the_history_says_so(world):
    bot = world.bot
    request = await _ask(world, "/extend 十 11-20")
    assert "2020-10-31 → 2020-11-20" in request.text and "理由" not in request.text
    _, answers = await tap(bot, request, "ext:no:", bot.admin)
    assert answers[0].text == "已拒绝延期。"
    assert request.buttons == []
    assert request.text.splitlines()[-1].startswith("❌ 管理员 未同意延期（2020-10-12")
    item = await _item(bot)
    assert item.deadline == date(2020, 10, 31)
    note = (await _history(bot, item.id))[-1]
    assert note.kind == "note"
    assert note.text == "延期申请未获同意：小王 申请延至 2020-11-20，管理员 未同意。"

    _, answers = await press_stale(bot, request)
    assert answers[0].text == "这份申请已经处理过了。"


async def press_stale(bot, message):
    """A second press on a button that was already used (a slow client still showing it)."""
    data = message.edits[0].before.reply_markup["inline_keyboard"][0][0]["callback_data"]
    message.reply_markup = message.edits[0].before.reply_markup
    answers = len(bot.sandbox.callback_answers)
    bot.sandbox.press_button(message, bot.admin, data)
    bot.pushed += 1
    await bot.settle()
    return None, bot.sandbox.callback_answers[answers:]


async def test_the_request_message_maps_back_to_its_item(world):
    request = await _ask(world)
    async with world.bot.db.session() as session:
        kinds = (
            await session.scalars(
                select(ReminderMessage.kind).where(
                    ReminderMessage.tg_message_id == request.message_id
                )
            )
        ).all()
    assert kinds == ["extension"]


async def test_refusals_are_one_line_and_change_nothing(world, clock):
    bot = world.bot
    say = bot.say
    usage = "用法：/extend 事项编号 新的完成时限 理由。例：/extend 3 11月15日 等待上级批复"
    assert (await say("/extend", user=world.clerk))[0].text == usage
    assert (await say("/extend 10", user=world.clerk))[0].text == usage
    assert (await say("/extend 十一月 好", user=world.clerk))[0].text == usage
    assert (await say("/extend 99 11月15日", user=world.clerk))[0].text == (
        "2020年10月计划中没有第 99 项（共 10 项）。例：/extend 3 11月15日 等待上级批复"
    )
    assert (await say("/extend 1 11月15日", user=world.clerk))[0].text == (
        "只有第 1 项的责任领导、责任部室成员或管理员可以申请延期。"
    )
    assert (await say("/extend 10 11月15日", user=world.outsider))[0].text.startswith(
        "只有第 10 项"
    )
    assert (await say("/extend 10 过几天", user=world.clerk))[0].text == (
        "看不懂日期「过几天」。例：/extend 3 11月15日 等待上级批复"
    )
    assert (await say("/extend 10 10月20日", user=world.clerk))[0].text == (
        "新的完成时限 2020-10-20 不晚于现在的 2020-10-31，无需延期。"
    )
    await _ask(world)
    assert (await say("/extend 10 11月30日", user=world.leader))[0].text == (
        "第 10 项已有一份待审批的延期申请（小王 申请延至 2020-11-15），请等审批后再申请。"
    )
    assert (await _item(bot)).deadline == date(2020, 10, 31)

    clock.shift(timedelta(days=40))  # 21 November: the item is overdue
    assert (await say("/extend 9 11月20日", user=bot.admin))[0].text == (
        "新的完成时限 2020-11-20 已经过去了（今天是 2020-11-21）。"
    )


async def test_no_plan_and_done_items(tmp_path, clock):
    async with running_bot(tmp_path) as bot:
        assert (await bot.say("/extend 1 11月15日", user=bot.admin))[0].text == (
            "本群还没有工作计划，管理员可以用 /import 导入。"
        )
        await import_sample(bot)
        async with bot.db.session() as session:
            item = await session.scalar(select(Item).where(Item.seq == 2))
            item.status = "done"
        assert (await bot.say("/extend 2 11月15日", user=bot.admin))[0].text == (
            "第 2 项已经完成，无需延期。"
        )


async def test_user_text_is_escaped(world):
    request = await _ask(world, "/extend 10 11月15日 <b>急</b> & 等 <a href='x'>")
    assert "理由：<b>急</b> & 等 <a href='x'>" in request.text


async def test_asking_in_private_posts_the_request_in_the_group(world):
    bot = world.bot
    private = bot.sandbox.private_chat(world.clerk)
    told = await bot.say("/extend 10 11月15日 材料未齐", user=world.clerk, chat=private)
    assert told[0].text == "已把延期申请发到「荆州市总工会工作群」，等待审批。"
    request = bot.sandbox.sent(bot.group)[-1]
    assert "延期申请" in request.text and request.buttons
    await tap(bot, request, "ext:ok:", world.leader)
    assert (await _item(bot)).deadline == date(2020, 11, 15)


async def test_extension_in_english(world):
    bot = world.bot
    await bot.say("/lang en", user=bot.admin)
    request = await _ask(world, "/extend 10 2020-11-15 waiting")
    assert request.text.splitlines()[0] == f"⏳ Extension request: item 10 {ITEM}"
    assert "Deadline: 2020-10-31 → 2020-11-15" in request.text
    assert [b["text"] for b in request.buttons] == ["✅ Approve", "❌ Reject"]
    _, answers = await tap(bot, request, "ext:ok:", world.outsider)
    assert answers[0].text == "Only the item's leaders (董军) or an admin can decide."
    _, answers = await tap(bot, request, "ext:no:", world.leader)
    assert answers[0].text == "Extension rejected."
    assert request.text.splitlines()[-1].startswith("❌ Rejected by 董军 (2020-10-12")
    refused = await bot.say("/extend 10 someday", user=world.clerk)
    assert refused[0].text.startswith('I cannot read "someday" as a date.')


async def test_extension_in_a_forum_topic(tmp_path, clock):
    async with running_bot(tmp_path) as bot:
        forum = bot.sandbox.add_chat("supergroup", title="论坛", is_forum=True)
        world = await _setup(bot, forum, thread_id=9)
        replies = await bot.say("/extend 10 11月15日 x", user=world.clerk, chat=forum, thread_id=9)
        request = replies[-1]
        assert request.thread_id == 9 and request.buttons
        await tap(bot, request, "ext:ok:", world.leader)
        assert request.text.splitlines()[-1].startswith("✅ 董军 已同意延期")


# --- issue 13: nobody approves their own request ------------------------------------------


async def test_the_only_leader_asks_is_not_asked_and_cannot_approve_an_admin_does(world):
    bot = world.bot
    request = await _ask(world, "/extend 10 11月15日 材料未齐", user=world.leader)
    assert request.text.splitlines()[1:] == [
        "申请人：董军",
        "完成时限：2020-10-31 → 2020-11-15",
        "理由：材料未齐",
        "请管理员审批。",
    ]
    _, answers = await tap(bot, request, "ext:ok:", world.leader)
    assert answers[0].text == "申请人不能审批自己的延期申请。" and answers[0].show_alert
    _, answers = await tap(bot, request, "ext:no:", world.leader)
    assert answers[0].text == "申请人不能审批自己的延期申请。"
    assert request.buttons and (await _item(bot)).deadline == date(2020, 10, 31)

    _, answers = await tap(bot, request, "ext:ok:", bot.admin)
    assert answers[0].text == "已同意延期。"
    assert (await _item(bot)).deadline == date(2020, 11, 15)


async def test_an_admin_never_approves_their_own_request(world):
    bot = world.bot
    request = await _ask(world, "/extend 10 11月15日", user=bot.admin)
    assert request.text.splitlines()[-1] == "请 董军 审批（本项责任领导或管理员可操作）。"
    _, answers = await tap(bot, request, "ext:ok:", bot.admin)
    assert answers[0].text == "申请人不能审批自己的延期申请。"
    await tap(bot, request, "ext:ok:", world.leader)
    assert (await _item(bot)).deadline == date(2020, 11, 15)


async def _the_leader_asks(world, decider: User, ask_line: str):
    """The item's leader asks; `decider`, once bound, is asked (and mentioned); the leader's own
    press is refused."""
    await iam(world.bot, decider.first_name, decider)
    request = await _ask(world, "/extend 10 11月15日", user=world.leader)
    assert request.text.splitlines()[-1] == ask_line
    assert f'href="tg://user?id={decider.id}"' in request.html
    _, answers = await tap(world.bot, request, "ext:ok:", world.leader)
    assert answers[0].text == "申请人不能审批自己的延期申请。"
    return request


async def test_the_other_leaders_are_asked_not_the_requester(world):
    bot = world.bot
    await bot.say("/edit 10 领导 董军、郭红萍", user=bot.admin)
    colleague = bot.sandbox.add_user("郭红萍")
    asked = "请 郭红萍 审批（本项责任领导或管理员可操作）。"
    request = await _the_leader_asks(world, colleague, asked)
    _, answers = await tap(bot, request, "ext:ok:", colleague)
    assert answers[0].text == "已同意延期。"
    assert request.text.splitlines()[-1].startswith("✅ 郭红萍 已同意延期")


async def test_without_other_leaders_the_supervisors_are_asked(tmp_path, clock):
    async with running_bot(tmp_path, reminders={"supervisors": ["官庆军"]}) as bot:
        world = await _setup(bot)
        supervisor = bot.sandbox.add_user("官庆军")
        asked = "请 官庆军 审批（督办人或管理员可操作）。"
        request = await _the_leader_asks(world, supervisor, asked)
        _, answers = await tap(bot, request, "ext:ok:", world.clerk)
        assert answers[0].text == "只有督办人（官庆军）或管理员可以审批。"
        _, answers = await tap(bot, request, "ext:ok:", supervisor)
        assert answers[0].text == "已同意延期。"
        assert (await _item(bot)).deadline == date(2020, 11, 15)


# --- issue 13: how people type /extend ----------------------------------------------------


async def _stored_reason(bot) -> str:
    async with bot.db.session() as session:
        return (await session.scalars(select(ExtensionRequest.reason))).all()[-1]


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("/extend 10 11月15日因场地原因", "因场地原因"),
        ("/extend 10 11月15日，因场地原因", "因场地原因"),
        ("/extend 10 11月15日前完成：等上级批复", "等上级批复"),
    ],
)
async def test_the_reason_glued_to_the_date_is_kept(world, typed, reason):
    request = await _ask(world, typed)
    assert "完成时限：2020-10-31 → 2020-11-15" in request.text
    assert f"理由：{reason}" in request.text
    assert await _stored_reason(world.bot) == reason


async def test_deadlines_named_from_today(world, clock):
    """In November the October plan's item 10 is overdue; the words count from today, not
    from the plan's month."""
    bot = world.bot
    clock.move_to(datetime(2020, 11, 12, 2, 0, tzinfo=UTC))  # Thursday 12 November, 10:00
    for words, new in [
        ("下周五", "2020-11-20"),
        ("月底", "2020-11-30"),
        ("本月底", "2020-11-30"),
        ("下月10日", "2020-12-10"),
        ("元旦前", "2020-12-31"),
        ("春节前", "2021-02-11"),
    ]:
        request = await _ask(world, f"/extend 10 {words} 场地未定")
        assert f"完成时限：2020-10-31 → {new}" in request.text, words
        assert "理由：场地未定" in request.text, words
        _, answers = await tap(bot, request, "ext:no:", bot.admin)
        assert answers[0].text == "已拒绝延期。"


@pytest.mark.parametrize("item", ["１０", "第10项", "#10", "＃10", "10号", "十"])
async def test_the_item_as_every_command_takes_it(world, item):
    request = await _ask(world, f"/extend {item} 11月15日 等待批复")
    assert request.text.splitlines()[0] == f"⏳ 延期申请：第 10 项 {ITEM}"
    assert "理由：等待批复" in request.text


async def test_several_items_at_once_are_refused_with_the_usage(world):
    replies = await world.bot.say("/extend 9,10 11月15日", user=world.bot.admin)
    assert replies[0].text.startswith("用法：/extend 事项编号 新的完成时限 理由。")
