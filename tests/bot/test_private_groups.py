"""Someone bound in two groups writing to the bot in private: no group is picked for them. The
group is named first (`/done 财务 10`) or asked for with a button per group, and the press runs
the command in the group pressed, leaving the other group's item alone."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.sandbox import Chat as SandboxChat
from storage.messages import record_message
from storage.models import Chat, Item, Plan
from tests.support.chat import bind, button, database_rows, press, seed
from tests.support.harness import Harness, running_bot

OFFICE = "荆州市总工会工作群"
FINANCE = "财务部 工作群"


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        finance = harness.sandbox.add_chat("supergroup", title=FINANCE)
        for group in (harness.group, finance):
            await seed(harness, group)
            await bind(harness, "董军", harness.member, group)
        yield harness


def _finance(bot: Harness) -> SandboxChat:
    return next(c for c in bot.sandbox.chats.values() if c.title == FINANCE)


async def _item(bot: Harness, tg_chat_id: int, seq: int) -> Item:
    """Item `seq` of the plan of the group `tg_chat_id`."""
    async with bot.db.session() as session:
        item = await session.scalar(
            select(Item)
            .join(Plan, Plan.id == Item.plan_id)
            .join(Chat, Chat.id == Plan.chat_id)
            .where(Chat.tg_chat_id == tg_chat_id, Item.seq == seq)
        )
    assert item is not None
    return item


async def _status(bot: Harness, tg_chat_id: int, seq: int) -> str:
    return (await _item(bot, tg_chat_id, seq)).status


async def test_done_in_private_asks_which_group_and_the_press_acts_there(bot):
    private = bot.sandbox.private_chat(bot.member)
    (question,) = await bot.say("/done 10 私聊报告", chat=private)
    assert question.text.startswith("你在 2 个群里绑定了姓名，这条命令是关于哪个群的？")
    assert sorted(b["text"] for b in question.buttons) == sorted([OFFICE, FINANCE])
    assert await _status(bot, bot.group.id, 10) == "open"
    assert await _status(bot, _finance(bot).id, 10) == "open"

    answers = await press(bot, question, button(question, "财务部"), bot.member)

    assert await _status(bot, _finance(bot).id, 10) == "done"
    assert await _status(bot, bot.group.id, 10) == "open", "the other group's item is untouched"
    (answer,) = answers
    lines = answer.text.splitlines()
    assert lines[0] == f"【{FINANCE}】", "in private, the answer names the group"
    assert "第 10 项" in lines[1] and "备注：私聊报告" in answer.text
    (edited,) = [m for m in bot.sandbox.sent(private) if m.message_id == question.message_id]
    assert edited.text == f"已选：{FINANCE}" and edited.buttons == []


async def test_the_group_named_first_is_used_directly(bot):
    private = bot.sandbox.private_chat(bot.member)
    (answer,) = await bot.say("/done 财务 10", chat=private)
    assert answer.text.splitlines()[0] == f"【{FINANCE}】" and not answer.buttons
    assert await _status(bot, _finance(bot).id, 10) == "done"
    assert await _status(bot, bot.group.id, 10) == "open"
    # The whole title, typed with or without its space, and a /plan named the same way.
    (answer,) = await bot.say(f"/progress {OFFICE} 10 60%", chat=private)
    assert answer.text.splitlines()[0] == f"【{OFFICE}】"
    plan = await bot.say("/plan 财务部工作群", chat=private)
    assert plan[0].text.splitlines()[0] == f"【{FINANCE}】"
    assert "✅" in "\n".join(m.text for m in plan)


async def test_an_unknown_group_name_gets_one_sentence_and_changes_nothing(bot):
    private = bot.sandbox.private_chat(bot.member)
    before = await database_rows(bot)
    (answer,) = await bot.say("/done 人事处 10", chat=private)
    assert answer.text in (
        f"你绑定的群里没有叫“人事处”的（你的群：{first}、{second}）。"
        f"群名写全称或其中独有的一段，例：/done {''.join(first.split())} 10"
        for first, second in ((OFFICE, FINANCE), (FINANCE, OFFICE))
    )
    assert not answer.buttons
    after = await database_rows(bot)
    # Only the accounts the bot saw (for /bind @name) may have been written.
    assert {k: v for k, v in after.items() if k != "tg_account"} == {
        k: v for k, v in before.items() if k != "tg_account"
    }


async def test_a_press_checks_the_presser_is_still_bound_there(bot):
    private = bot.sandbox.private_chat(bot.member)
    (question,) = await bot.say("/done 10", chat=private)
    await bot.say("/unbind 董军", chat=_finance(bot))
    answered = len(bot.sandbox.callback_answers)
    assert await press(bot, question, button(question, "财务部"), bot.member) == []
    (alert,) = bot.sandbox.callback_answers[answered:]
    assert alert.text == "你已不在这个群绑定姓名，请重新发送命令。"
    assert await _status(bot, _finance(bot).id, 10) == "open"
    assert await _status(bot, bot.group.id, 10) == "open"


async def test_bound_in_one_group_nothing_is_asked(tmp_path):
    async with running_bot(tmp_path) as bot:
        await seed(bot)
        await bind(bot, "董军", bot.member)
        (answer,) = await bot.say("/done 10", chat=bot.sandbox.private_chat(bot.member))
        assert answer.text.startswith("✅ 第 10 项") and not answer.buttons


async def test_a_reply_to_a_message_about_one_groups_items_acts_in_that_group(bot):
    private = bot.sandbox.private_chat(bot.member)
    finance = _finance(bot)
    sent = await bot.application.bot.send_message(private.id, "财务部第10项提醒")
    async with bot.db.session() as session:
        await record_message(
            session, private.id, sent.message_id, [(await _item(bot, finance.id, 10)).id]
        )
    (answer,) = await bot.say("/done 已报送", chat=private, reply_to=sent.message_id)
    assert answer.text.splitlines()[0] == f"【{FINANCE}】" and not answer.buttons
    assert await _status(bot, finance.id, 10) == "done"
    assert await _status(bot, bot.group.id, 10) == "open"


async def test_a_command_typed_with_a_chinese_slash_names_its_group_too(bot):
    private = bot.sandbox.private_chat(bot.member)
    (answer,) = await bot.say("、done 财务 10", chat=private)
    assert answer.text.splitlines()[0] == f"【{FINANCE}】"
    assert await _status(bot, _finance(bot).id, 10) == "done"
    assert await _status(bot, bot.group.id, 10) == "open"


async def test_private_start_names_every_group_one_is_bound_in(bot):
    (hello,) = await bot.say("/start", chat=bot.sandbox.private_chat(bot.member))
    assert f"您在「{OFFICE}」绑定的姓名：董军。" in hello.text
    assert f"您在「{FINANCE}」绑定的姓名：董军。" in hello.text
    assert not hello.buttons, "/start asks no group"
