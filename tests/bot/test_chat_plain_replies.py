"""Issue 13, replies that count: a plain reply to a reminder or a /plan answer is understood and
confirmed with a button (nothing changes before the press, and only the replier or an admin may
press); /progress sent as a reply applies to the replied message's item."""

import pytest
from sqlalchemy import select

from bot.views.buttons import item_buttons
from storage.models import ItemEvent, PendingQuestion
from tests.support.chat import (
    bind,
    button,
    item_ids,
    item_row,
    post_about,
    press,
    seed,
)
from tests.support.harness import running_bot

TEN = "第 10 项「做好档案升级达标评审和工会统计年报工作」"


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        await seed(harness)
        await bind(harness, "董军", harness.member)  # the leader of item 10
        yield harness


async def _events(bot) -> list[tuple[str, str, int | None, str]]:
    async with bot.db.session() as session:
        rows = await session.scalars(select(ItemEvent).order_by(ItemEvent.id))
        return [(e.kind, e.text, e.percent, e.author_name) for e in rows]


async def _reminder(bot, seqs=(10,)):
    """A reminder-like message about these items, with the reminder's own buttons."""
    ids = await item_ids(bot, *seqs)
    markup = item_buttons(list(zip(ids, seqs, strict=True)), "zh_CN")
    return await post_about(bot, list(seqs), reply_markup=markup)


@pytest.mark.parametrize(
    ("text", "understood", "label"),
    [
        ("已完成", [f"我理解为：{TEN}已完成。"], "✅ 登记为完成"),
        ("完成了", [f"我理解为：{TEN}已完成。"], "✅ 登记为完成"),
        ("办结", [f"我理解为：{TEN}已完成。"], "✅ 登记为完成"),
        ("已报送，请查收", [f"我理解为：{TEN}已完成。", "备注：请查收"], "✅ 登记为完成"),
        ("60%", [f"我理解为：{TEN}进度 60%。"], "📝 登记进度 60%"),
        ("进度60%", [f"我理解为：{TEN}进度 60%。"], "📝 登记进度 60%"),
        (
            "已完成初稿",
            [f"我理解为：{TEN}的进展情况。", "备注：已完成初稿"],
            "📝 登记进展",
        ),
        ("收到", ["我理解为：确认收到这条提醒。"], "👀 确认收到"),
    ],
)
async def test_a_plain_reply_is_answered_with_what_was_understood_and_nothing_changes(
    bot, text, understood, label
):
    reminder = await _reminder(bot)
    replies = await bot.say(text, reply_to=reminder)
    assert len(replies) == 1
    answer = replies[0]
    assert answer.text.splitlines() == [*understood, "按下方按钮登记；理解错了请忽略。"]
    assert [b["text"] for b in answer.buttons] == [label]
    assert answer.reply_to is not None and answer.reply_to.text == text, "answers the reply"
    item = await item_row(bot, 10)
    assert (item.status, item.progress) == ("open", 0)
    assert await _events(bot) == []


async def test_pressing_done_marks_the_item_done_with_the_replys_note(bot):
    reminder = await _reminder(bot)
    answer = (await bot.say("已报送，请查收", reply_to=reminder))[0]
    assert (await item_row(bot, 10)).status == "open"
    sent = await press(bot, answer, button(answer, "登记为完成"), bot.member)
    assert sent[0].text.splitlines() == [
        f"✅ {TEN}已完成（张三）。",
        "备注：请查收",
        "发错了？10 分钟内发送 /undo 可撤销。",
    ]
    assert bot.sandbox.callback_answers[-1].text == "已登记完成"
    assert answer.buttons == [], "the confirmation is answered"
    assert (await item_row(bot, 10)).status == "done"
    assert await _events(bot) == [("done", "请查收", 100, "张三")]
    assert "✅ 10. 做好档案升级达标评审" in reminder.text, "the reminder follows"


async def test_pressing_progress_records_the_percentage(bot):
    reminder = await _reminder(bot)
    answer = (await bot.say("进度60%", reply_to=reminder))[0]
    sent = await press(bot, answer, button(answer, "登记进度 60%"), bot.member)
    assert sent[0].text.startswith(f"📈 {TEN}进度 60%（张三）。")
    assert bot.sandbox.callback_answers[-1].text == "已登记进度 60%"
    assert answer.buttons == []
    assert (await item_row(bot, 10)).progress == 60
    assert [e[0] for e in await _events(bot)] == ["progress"]


async def test_a_double_press_records_once(bot):
    reminder = await _reminder(bot)
    answer = (await bot.say("60%", reply_to=reminder))[0]
    data = button(answer, "登记进度 60%")
    for _ in range(2):  # both sent before the first is answered
        bot.sandbox.press_button(answer, bot.member, data)
    bot.pushed += 2
    await bot.settle()
    assert [e[0] for e in await _events(bot)] == ["progress"]
    assert bot.sandbox.callback_answers[-1].text == "这个确认已经失效了，请重新回复或直接发送命令。"


async def test_pressing_a_note_records_it(bot):
    reminder = await _reminder(bot)
    answer = (await bot.say("已完成初稿", reply_to=reminder))[0]
    sent = await press(bot, answer, button(answer, "登记进展"), bot.member)
    assert sent[0].text.startswith(f"📝 已记录{TEN}的进展（张三）。")
    assert await _events(bot) == [("note", "已完成初稿", None, "张三")]
    assert (await item_row(bot, 10)).status == "open"


async def test_pressing_seen_acknowledges_the_reminder(bot):
    reminder = await _reminder(bot)
    answer = (await bot.say("收到", reply_to=reminder))[0]
    sent = await press(bot, answer, button(answer, "确认收到"), bot.member)
    assert sent[0].text == "👀 张三 已确认收到：10. 做好档案升级达标评审和工会统计年报工作"
    assert [e[0] for e in await _events(bot)] == ["ack"]
    assert answer.buttons == []


async def test_someone_else_may_not_press_but_an_admin_may(bot):
    reminder = await _reminder(bot)
    answer = (await bot.say("已完成", reply_to=reminder))[0]
    colleague = bot.sandbox.add_user("李四")
    assert await press(bot, answer, button(answer, "登记为完成"), colleague) == []
    refusal = bot.sandbox.callback_answers[-1]
    assert refusal.show_alert and refusal.text == "只有张三本人或管理员可以确认这条登记。"
    assert (await item_row(bot, 10)).status == "open"
    assert len(answer.buttons) == 1, "the replier may still press"

    sent = await press(bot, answer, button(answer, "登记为完成"), bot.admin)
    assert sent[0].text.startswith(f"✅ {TEN}已完成（管理员）。")
    assert (await item_row(bot, 10)).status == "done"


async def test_a_replier_who_may_not_change_the_item_is_told_at_the_press(bot):
    stranger = bot.sandbox.add_user("王五")
    reminder = await _reminder(bot)
    answer = (await bot.say("已完成", user=stranger, reply_to=reminder))[0]
    assert await press(bot, answer, button(answer, "登记为完成"), stranger) == []
    refusal = bot.sandbox.callback_answers[-1]
    assert refusal.show_alert and refusal.text.startswith("只有第 10 项的责任领导（董军）")
    assert (await item_row(bot, 10)).status == "open"


async def test_chatter_and_other_messages_get_no_answer(bot):
    reminder = await _reminder(bot)
    for chatter in ("好的", "谢谢", "哈哈", "👏"):
        assert await bot.say(chatter, reply_to=reminder) == [], chatter
    assert await bot.say("已完成") == [], "not a reply"
    users_message = bot.sandbox.send_text(bot.group, bot.admin, "请大家报送材料")
    bot.pushed += 1
    await bot.settle()
    assert await bot.say("已报送", reply_to=users_message) == [], "a reply to a person"
    help_answer = (await bot.say("/help"))[0]
    assert await bot.say("已完成", reply_to=help_answer) == [], "our message about no item"
    assert await _events(bot) == []
    # While a reply that counts, in the same chat, is answered.
    assert len(await bot.say("已完成", reply_to=reminder)) == 1


async def test_a_reply_to_a_done_item_says_so_without_a_button(bot):
    reminder = await _reminder(bot)
    await bot.say("/done 10")
    replies = await bot.say("完成了", reply_to=reminder)
    assert [(m.text, m.buttons) for m in replies] == [("这条消息里的事项都已完成。", [])]


async def test_a_reply_to_the_plan_asks_which_item(bot):
    listing = (await bot.say("/plan"))[0]
    question = (await bot.say("已完成，材料已归档", reply_to=listing))[0]
    assert question.text.splitlines() == [
        "我理解为：已完成。这条消息涉及 10 项，请选择是哪一项：",
        "备注：材料已归档",
    ]
    assert len(question.buttons) == 10
    assert all(len(b["callback_data"].encode()) <= 64 for b in question.buttons)
    assert await _events(bot) == []
    sent = await press(bot, question, button(question, "10. 做好档案"), bot.member)
    assert sent[0].text.startswith(f"✅ {TEN}已完成（张三）。")
    assert question.buttons == []
    assert await _events(bot) == [("done", "材料已归档", 100, "张三")]


async def test_an_understood_reply_waits_across_a_restart(bot):
    reminder = await _reminder(bot)
    answer = (await bot.say("60%", reply_to=reminder))[0]
    async with bot.db.session() as session:
        kept = list(await session.scalars(select(PendingQuestion)))
    assert [(q.kind, q.payload["percent"]) for q in kept] == [("reply", 60)]
    await bot.restart()
    sent = await press(bot, answer, button(answer, "登记进度 60%"), bot.member)
    assert sent[0].text.startswith(f"📈 {TEN}进度 60%（张三）。")


# --- /progress as a reply ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/progress 90%", f"📈 {TEN}进度 90%（张三）。"),
        ("/progress 60", f"📈 {TEN}进度 60%（张三）。"),
        ("/progress 六成 初稿已完成", f"📈 {TEN}进度 60%（张三）。"),
        ("/progress 已完成初稿", f"📝 已记录{TEN}的进展（张三）。"),
    ],
)
async def test_progress_as_a_reply_applies_to_the_replied_item(bot, text, expected):
    reminder = await post_about(bot, [10])
    replies = await bot.say(text, reply_to=reminder)
    assert replies[0].text.splitlines()[0] == expected


async def test_progress_as_a_reply_to_the_plan_asks_which(bot):
    listing = (await bot.say("/plan"))[0]
    question = (await bot.say("/progress 60% 初稿", reply_to=listing))[0]
    assert question.text.splitlines() == [
        "我理解为：进度 60%。这条消息涉及 10 项，请选择是哪一项：",
        "备注：初稿",
    ]
    assert (await item_row(bot, 10)).progress == 0
    sent = await press(bot, question, button(question, "10. 做好档案"), bot.member)
    assert sent[0].text.startswith(f"📈 {TEN}进度 60%（张三）。")
    assert (await item_row(bot, 10)).progress == 60
    # A number still names an item of the message.
    replies = await bot.say("/progress 10 80%", reply_to=listing)
    assert replies[0].text.startswith(f"📈 {TEN}进度 80%（张三）。")
