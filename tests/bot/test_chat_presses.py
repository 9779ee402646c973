"""Button presses end to end: every press answered, forged data changing nothing, a press
acting only on an item that belongs where it was pressed, and a double tap harmless
(bot/chat/presses.py, bot/operations/presses.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.sandbox import CallbackAnswer, Chat, Message, User
from bot.views.buttons import item_buttons
from storage.chats import get_chat
from storage.messages import record_message
from storage.models import Item, Plan
from tests.support.chat import (
    bind,
    button,
    database_rows,
    department_group,
    office_time,
    press,
    seed,
)
from tests.support.harness import Harness, running_bot

STALE = "这个按钮已失效。"

# Data a modified client can send under any message: every prefix the bot knows, with
# malformed, out-of-range and unknown values, and prefixes it never made.
FORGED = [
    "it:done:²",
    "it:done:①",
    "it:done:٣",
    "it:done:9223372036854775808",
    "it:done:2147483648",
    "it:done:99999999999999999999999999999999",
    "it:done:0",
    "it:done:-1",
    "it:done:+1",
    "it:done:1.0",
    "it:done: 1",
    "it:done:1 ",
    "rp: 1:abcdef012345",
    "it:done:",
    "it:done",
    "it:done:1:2",
    "it:done:999999",
    "it:ack:²",
    "it:ack:2147483648",
    "it:ack:999999",
    "it:snz:²",
    "it:snz:x",
    "it:snz:999999",
    "it:zzz:1",
    "it:",
    "itdel:ok:²",
    "itdel:ok:2147483648",
    "itdel:ok:999999",
    "itdel:no:999999",
    "itdel:xx:1",
    "ext:ok:²",
    "ext:ok:2147483648",
    "ext:ok:999999",
    "ext:maybe:1",
    "iam:ok:abcdef012345",
    "iam:ok:",
    "iam:xx:abcdef012345",
    "iam:ok:../../x",
    "imp:ok:abcdef012345",
    "imp:zzz:abcdef012345",
    "imp:del:ABC DEF",
    "rp:²:abcdef012345",
    "rp:1:",
    "rp:999999:abcdef012345",
    "rp:",
    "unknown",
    "x" * 64,
    "💥",
]


async def forge(
    bot: Harness, user: User, *, message: Message | None = None, data: str | None = None
) -> list[CallbackAnswer]:
    """`user`'s client sends a press of `data` (or none) under `message` (or an inline
    message); the bot's answers to that press."""
    before = len(bot.sandbox.callback_answers)
    query_id = bot.sandbox.press_forged(user, message=message, data=data)
    bot.pushed += 1
    await bot.settle()
    return [a for a in bot.sandbox.callback_answers[before:] if a.callback_query_id == query_id]


async def item_id(bot: Harness, chat: Chat, seq: int) -> int:
    """The row id of item `seq` of the plan of `chat`."""
    async with bot.db.session() as session:
        row = await get_chat(session, chat.id)
        assert row is not None
        found = await session.scalar(
            select(Item.id).join(Plan).where(Plan.chat_id == row.id, Item.seq == seq)
        )
    assert found is not None
    return found


async def status(bot: Harness, row: int) -> str:
    async with bot.db.session() as session:
        item = await session.get(Item, row)
        assert item is not None
        return item.status


async def bot_message(bot: Harness, chat: Chat, seqs: list[int] | None = None, **kw) -> Message:
    """A message of the bot's in `chat` (`kw` go to send_message); recorded as showing the
    items `seqs` of that chat's plan when given, as a reminder is."""
    sent = await bot.application.bot.send_message(chat.id, "提醒", **kw)
    if seqs is not None:
        ids = [await item_id(bot, chat, seq) for seq in seqs]
        async with bot.db.session() as session:
            await record_message(session, chat.id, sent.message_id, ids)
    return next(m for m in bot.sandbox.sent(chat) if m.message_id == sent.message_id)


# --- every press is answered, and forged data changes nothing ----------------------------------


async def test_every_forged_press_is_answered_once_and_changes_nothing(tmp_path):
    with office_time(2020, 10, 20):
        async with running_bot(tmp_path) as bot:
            await seed(bot)
            await bind(bot, "董军", bot.member)
            reminder = await bot_message(bot, bot.group, [9, 10])
            plain = await bot_message(bot, bot.group)
            # Seen once already: remembering a new account is not what this test is about.
            for user in (bot.admin, bot.member):
                assert await bot.say("收到", user=user) == []
            before = await database_rows(bot)
            for user in (bot.admin, bot.member):
                for message in (reminder, plain):
                    for data in FORGED:
                        answers = await forge(bot, user, message=message, data=data)
                        assert len(answers) == 1, data
                        assert answers[0].show_alert and answers[0].text, data
            # A game's press carries no data; an inline message's press has no message.
            for message in (reminder, None):
                answers = await forge(bot, bot.member, message=message)
                assert [(a.text, a.show_alert) for a in answers] == [(STALE, True)]
            after = await database_rows(bot)
    assert after == before
    assert [m for m in bot.sandbox.sent(bot.group) if m.message_id > plain.message_id] == []


async def test_the_stale_answer_speaks_the_chats_language(tmp_path):
    async with running_bot(tmp_path, i18n={"locale": "en"}) as bot:
        message = await bot_message(bot, bot.group)
        answers = await forge(bot, bot.member, message=message, data="it:done:²")
        assert [(a.text, a.show_alert) for a in answers] == [("This button no longer works.", True)]


# --- a press acts only where its item belongs ---------------------------------------------------


@pytest.fixture
async def two_groups(tmp_path):
    """Group X (the harness's) and group Y, each with the sample plan: the same items and
    leaders' names in both."""
    with office_time(2020, 10, 20):
        async with running_bot(tmp_path) as bot:
            other = bot.sandbox.add_chat("supergroup", title="另一个单位工作群")
            await seed(bot)
            await seed(bot, other)
            yield bot, other


async def _an_admin_of_x_known_to_be_one(bot: Harness) -> User:
    """Someone bound as 董军 in X and one of X's Telegram administrators, which the bot has
    seen lately (a press of theirs in X needed it)."""
    leader = bot.sandbox.add_user("董军")
    await bind(bot, "董军", leader)
    bot.sandbox.set_admin(bot.group, leader)
    x_one = await item_id(bot, bot.group, 1)
    reminder = await bot_message(
        bot, bot.group, [1], reply_markup=item_buttons([(x_one, 1)], "zh_CN")
    )
    await press(bot, reminder, f"it:done:{x_one}", leader)
    assert bot.sandbox.callback_answers[-1].text == "已登记完成"
    return leader


async def test_an_admin_of_one_group_cannot_mark_another_groups_item_done(two_groups):
    bot, other = two_groups
    leader = await _an_admin_of_x_known_to_be_one(bot)
    y_ten = await item_id(bot, other, 10)
    reminder = await bot_message(bot, bot.group, [9, 10])
    before = await database_rows(bot)
    for data in (f"it:done:{y_ten}", f"it:snz:{y_ten}", f"it:ack:{y_ten}"):
        answers = await forge(bot, leader, message=reminder, data=data)
        assert [(a.text, a.show_alert) for a in answers] == [(STALE, True)], data
    assert await status(bot, y_ten) == "open"
    assert await database_rows(bot) == before
    assert bot.sandbox.sent(other) == []


async def test_an_admin_of_one_group_cannot_delete_another_groups_item(two_groups):
    bot, other = two_groups
    leader = await _an_admin_of_x_known_to_be_one(bot)
    y_three = await item_id(bot, other, 3)
    question = await bot_message(bot, bot.group)
    answers = await forge(bot, leader, message=question, data=f"itdel:ok:{y_three}")
    assert [(a.text, a.show_alert) for a in answers] == [(STALE, True)]
    assert await status(bot, y_three) == "open"


async def test_someone_bound_in_both_groups_acts_on_an_item_only_where_it_belongs(two_groups):
    bot, other = two_groups
    leader = bot.sandbox.add_user("董军")
    await bind(bot, "董军", leader)
    await bind(bot, "董军", leader, other)
    y_ten = await item_id(bot, other, 10)
    in_x = await bot_message(bot, bot.group)
    answers = await forge(bot, leader, message=in_x, data=f"it:done:{y_ten}")
    assert [(a.text, a.show_alert) for a in answers] == [(STALE, True)]
    assert await status(bot, y_ten) == "open"
    # The same press in Y, where the item belongs, counts.
    in_y = await bot_message(bot, other, [10])
    await forge(bot, leader, message=in_y, data=f"it:done:{y_ten}")
    assert await status(bot, y_ten) == "done"


@pytest.mark.parametrize("where", ["group", "private"])
async def test_with_anyone_may_update_a_press_still_acts_only_on_its_own_groups_items(
    tmp_path, where
):
    with office_time(2020, 10, 20):
        async with running_bot(tmp_path, access={"anyone_can_update": True}) as bot:
            other = bot.sandbox.add_chat("supergroup", title="另一个单位工作群")
            await seed(bot)
            await seed(bot, other)
            await bind(bot, "张三", bot.member)
            chat = bot.group if where == "group" else bot.sandbox.private_chat(bot.member)
            message = await bot_message(bot, chat)
            y_ten = await item_id(bot, other, 10)
            answers = await forge(bot, bot.member, message=message, data=f"it:done:{y_ten}")
            assert [(a.text, a.show_alert) for a in answers] == [(STALE, True)]
            assert await status(bot, y_ten) == "open"
            # Their own group's item, from the same chat: it counts.
            x_ten = await item_id(bot, bot.group, 10)
            await forge(bot, bot.member, message=message, data=f"it:done:{x_ten}")
            assert await status(bot, x_ten) == "done"


async def test_a_press_in_a_departments_own_group_still_works(tmp_path):
    """The department's reminders go to its own group: the buttons there act on the plan
    group's items they show, and on no other."""
    with office_time(2020, 10, 20):
        async with running_bot(tmp_path) as bot:
            await seed(bot)
            clerk = bot.sandbox.add_user("小王")
            own = await department_group(bot, "权益保障部", clerk, "小王")
            one, two = await item_id(bot, bot.group, 1), await item_id(bot, bot.group, 2)
            reminder = await bot.application.bot.send_message(
                own.id, "提醒", reply_markup=item_buttons([(one, 1)], "zh_CN")
            )
            async with bot.db.session() as session:
                await record_message(session, own.id, reminder.message_id, [one])
            shown = next(m for m in bot.sandbox.sent(own) if m.message_id == reminder.message_id)
            # Item 2 is the department's too, but this message does not show it.
            answers = await forge(bot, clerk, message=shown, data=f"it:done:{two}")
            assert [(a.text, a.show_alert) for a in answers] == [(STALE, True)]
            assert await status(bot, two) == "open"
            replies = await press(bot, shown, f"it:done:{one}", clerk)
            assert bot.sandbox.callback_answers[-1].text == "已登记完成"
            assert "第 1 项" in replies[0].text
            assert await status(bot, one) == "done"


# --- a double tap -------------------------------------------------------------------------------


async def test_a_double_tap_on_a_delete_question_is_harmless(tmp_path):
    """Both taps left the client before the first took the buttons off: the second edits the
    message to what it already reads, which is no error."""
    with office_time(2020, 10, 20):
        async with running_bot(tmp_path) as bot:
            await seed(bot)
            question = (await bot.say("/delete 3", user=bot.admin))[0]
            cancel = button(question, "取消")
            await press(bot, question, cancel, bot.admin)
            assert question.buttons == []
            answers = await forge(bot, bot.admin, message=question, data=cancel)
            assert len(answers) == 1
            assert await status(bot, await item_id(bot, bot.group, 3)) == "open"


async def test_a_double_tap_on_confirm_is_harmless(tmp_path):
    with office_time(2020, 10, 20):
        async with running_bot(tmp_path) as bot:
            await seed(bot)
            await bind(bot, "董军", bot.member)
            listing = await bot.say("/plan")
            asked = await bot.say("已完成", reply_to=listing[0])
            question = next(m for m in asked if m.buttons)
            data = button(question, "10.")
            await press(bot, question, data, bot.member)
            answers = await forge(bot, bot.member, message=question, data=data)
            assert len(answers) == 1 and answers[0].show_alert
            assert await status(bot, await item_id(bot, bot.group, 10)) == "done"


async def test_an_admin_of_a_departments_group_is_no_admin_of_the_plan(tmp_path):
    """What Telegram said about the department's group does not make its administrator an
    admin of the plan group's items shown there: asked about the plan group, the answer is no."""
    with office_time(2020, 10, 20):
        async with running_bot(tmp_path) as bot:
            await seed(bot)
            own = await department_group(bot, "权益保障部")
            head = bot.sandbox.add_user("部长")
            bot.sandbox.set_admin(own, head)
            # An admin command in the department's group: the bot now knows they administer it.
            refused = await bot.say(f"/dept 权益保障部 chat {bot.group.id}", user=head, chat=own)
            assert "管理员" in refused[0].text
            one = await item_id(bot, bot.group, 1)
            reminder = await bot_message(bot, own, reply_markup=item_buttons([(one, 1)], "zh_CN"))
            async with bot.db.session() as session:
                await record_message(session, own.id, reminder.message_id, [one])
            await press(bot, reminder, f"it:done:{one}", head)
            answer = bot.sandbox.callback_answers[-1]
            assert answer.show_alert and answer.text.startswith("只有第 1 项的责任领导")
            assert await status(bot, one) == "open"
