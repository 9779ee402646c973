"""Files with captions (issue 16 §4 follow-ups), end to end over the sandbox:

- a file whose caption is a command is that command's, even while a bare /import waits for the
  plan (which goes on waiting); a file with no caption then is still the plan;
- a photo or file whose caption is a plain report (已完成, 进度60%), sent as a reply to one of
  the bot's item messages, is read as the plain reply would be, and the file is kept as the
  report's evidence once the confirmation is pressed (or at once, answering a progress ask);
- a photo with no caption replying to a reminder gets one sentence saying how to send it as
  evidence, and nothing changes.
"""

import pytest
from sqlalchemy import select

from plans.sample import sample_text
from storage.models import Attachment, ItemEvent
from tests.bot.test_chat_plain_replies import TEN, _reminder
from tests.bot.test_collection import ASK
from tests.bot.test_reminders import at, office_at
from tests.support.chat import (
    bind,
    button,
    database_rows,
    item_ids,
    item_row,
    join,
    post_about,
    press,
)
from tests.support.chat import seed as seed_plan
from tests.support.harness import running_bot

WITH_FILE = "📎 附件将一并登记为佐证材料。"
PRESS = "按下方按钮登记；理解错了请忽略。"


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        await seed_plan(harness)
        await bind(harness, "董军", harness.member)  # the leader of item 10
        yield harness


async def _attachments(bot) -> list[Attachment]:
    async with bot.db.session() as session:
        return list(await session.scalars(select(Attachment).order_by(Attachment.id)))


async def _events(bot) -> list[tuple[str, str, int | None]]:
    async with bot.db.session() as session:
        rows = await session.scalars(select(ItemEvent).order_by(ItemEvent.id))
        return [(e.kind, e.text, e.percent) for e in rows]


async def _rows(bot) -> dict:
    rows = await database_rows(bot)
    del rows["tg_account"]  # a sender is remembered whatever the message
    return rows


# --- a command's file is not the awaited plan ---------------------------------------------------


async def test_a_file_captioned_done_after_a_bare_import_is_the_reports_and_the_import_waits(bot):
    asked = await bot.say("/import", user=bot.admin)
    assert "发送" in asked[-1].text  # the import waits for the plan
    replies = await bot.send_file("年报.pdf", b"%PDF-1.4 x", "/done 10 已报送", user=bot.admin)
    assert len(replies) == 1, "one answer: the report's, no import preview or refusal"
    assert replies[0].text.startswith(f"✅ {TEN}已完成（")
    assert replies[0].text.splitlines()[-1] == "📎 已附佐证材料：年报.pdf。"
    (kept,) = await _attachments(bot)
    assert kept.file_name == "年报.pdf"

    # Still waiting: the next file, with no caption, is the plan.
    plan = await bot.send_file("计划.txt", sample_text().encode(), user=bot.admin)
    assert any("导入预览" in m.text for m in plan)


async def test_a_typed_command_caption_is_not_the_plan_either(bot):
    await bot.say("/import", user=bot.admin)
    replies = await bot.send_file("进展.docx", b"PK\x03\x04", "／progress 10 60%", user=bot.admin)
    assert len(replies) == 1 and replies[0].text.startswith(f"📈 {TEN}进度 60%")
    plan = await bot.send_file("计划.txt", sample_text().encode(), user=bot.admin)
    assert any("导入预览" in m.text for m in plan)


async def test_a_captionless_file_replying_to_a_reminder_after_a_bare_import_is_the_plan(bot):
    reminder = await _reminder(bot)
    await bot.say("/import", user=bot.admin)
    before = await _rows(bot)
    replies = await bot.send_file(
        "计划.txt", sample_text().encode(), user=bot.admin, reply_to=reminder
    )
    assert any("导入预览" in m.text for m in replies)
    assert not any("附件已收到" in m.text for m in replies), "the plan's, not a reply's"
    assert await _rows(bot) == before | {"pending_question": (await _rows(bot))["pending_question"]}


async def test_a_report_caption_replying_to_a_reminder_after_a_bare_import_is_no_plan(bot):
    reminder = await _reminder(bot)
    await bot.say("/import", user=bot.admin)
    replies = await bot.send_file(
        "年报.pdf", b"%PDF-1.4 x", "已完成", user=bot.admin, reply_to=reminder
    )
    assert [m.text.splitlines()[0] for m in replies] == [f"我理解为：{TEN}已完成。"]
    plan = await bot.send_file("计划.txt", sample_text().encode(), user=bot.admin)
    assert any("导入预览" in m.text for m in plan), "the import still waits"


# --- a report caption replying to an item message ------------------------------------------------


@pytest.mark.parametrize(
    ("caption", "understood", "label", "recorded"),
    [
        ("已完成", [f"我理解为：{TEN}已完成。"], "登记为完成", ("done", "", 100)),
        ("完成了", [f"我理解为：{TEN}已完成。"], "登记为完成", ("done", "", 100)),
        ("已报送", [f"我理解为：{TEN}已完成。"], "登记为完成", ("done", "", 100)),
        ("进度60%", [f"我理解为：{TEN}进度 60%。"], "登记进度 60%", ("progress", "", 60)),
        (
            "已完成初稿",
            [f"我理解为：{TEN}的进展情况。", WITH_FILE, "备注：已完成初稿"],
            "登记进展",
            ("note", "已完成初稿", None),
        ),
    ],
)
async def test_a_captioned_photo_reply_is_confirmed_and_keeps_the_photo(
    bot, caption, understood, label, recorded
):
    reminder = await _reminder(bot)
    before = await _rows(bot)
    replies = await bot.send_photo(caption, reply_to=reminder)
    assert len(replies) == 1
    answer = replies[0]
    if len(understood) == 1:
        understood = [*understood, WITH_FILE]
    assert answer.text.splitlines() == [*understood, PRESS]
    assert answer.reply_to is not None and answer.reply_to.caption == caption
    photo = answer.reply_to.photo_file
    after = await _rows(bot)
    assert after == before | {"pending_question": after["pending_question"]}, "nothing before"

    sent = await press(bot, answer, button(answer, label), bot.member)
    assert sent[0].text.splitlines()[-1] == "📎 已附佐证材料：照片。"
    assert await _events(bot) == [recorded]
    (kept,) = await _attachments(bot)
    assert (kept.kind, kept.tg_file_id, kept.author_name) == ("photo", photo.file_id, "张三")
    assert "佐证材料（1 个" in "\n".join(m.text for m in await bot.say("/item 10"))


async def test_a_captioned_file_on_a_message_of_several_items_asks_which_and_keeps_the_file(bot):
    reminder = await _reminder(bot, (9, 10))
    answer = (await bot.send_file("总结.docx", b"PK\x03\x04 x", "已完成", reply_to=reminder))[0]
    assert answer.text.splitlines()[:2] == [
        "我理解为：已完成。这条消息涉及 2 项，请选择是哪一项：",
        WITH_FILE,
    ]
    sent = await press(bot, answer, button(answer, "10."), bot.member)
    assert sent[0].text.splitlines()[-1] == "📎 已附佐证材料：总结.docx。"
    (kept,) = await _attachments(bot)
    assert kept.item_id == (await item_ids(bot, 10))[0]
    assert (await item_row(bot, 9)).status == "open"


async def test_the_file_waits_with_the_confirmation_across_a_restart(bot):
    reminder = await _reminder(bot)
    answer = (await bot.send_photo("已完成", reply_to=reminder))[0]
    await bot.restart()
    await press(bot, answer, button(answer, "登记为完成"), bot.member)
    assert len(await _attachments(bot)) == 1


async def test_seen_in_a_caption_acknowledges_and_keeps_no_file(bot):
    reminder = await _reminder(bot)
    answer = (await bot.send_photo("收到", reply_to=reminder))[0]
    assert answer.text.splitlines() == ["我理解为：确认收到这条提醒。", PRESS]
    await press(bot, answer, button(answer, "确认收到"), bot.member)
    assert await _attachments(bot) == []


async def test_an_undo_takes_the_confirmed_files_with_it(bot):
    reminder = await _reminder(bot)
    answer = (await bot.send_photo("进度60%", reply_to=reminder))[0]
    await press(bot, answer, button(answer, "登记进度"), bot.member)
    undone = await bot.say("/undo")
    assert undone[0].text.splitlines()[-1] == "所附 1 个佐证材料一并撤回。"
    assert await _attachments(bot) == []


async def test_a_command_caption_replying_is_answered_once_by_the_command(bot):
    reminder = await _reminder(bot)
    replies = await bot.send_photo("/done", reply_to=reminder)
    assert len(replies) == 1 and replies[0].text.startswith(f"✅ {TEN}已完成（张三）。")
    assert len(await _attachments(bot)) == 1


# --- what is left alone, or answered one sentence -----------------------------------------------


async def test_a_captionless_photo_replying_to_a_reminder_says_how_to_keep_it(bot):
    reminder = await _reminder(bot)
    before = await _rows(bot)
    replies = await bot.send_photo(reply_to=reminder)
    assert [m.text for m in replies] == [
        "附件已收到，但没有登记。要作为佐证材料，请重新发送并在说明中写 /done 10 或 "
        "/progress 10 进展情况。"
    ]
    assert await _rows(bot) == before


async def test_chatter_and_files_replying_to_other_messages_get_no_answer(bot):
    reminder = await _reminder(bot)
    before = await _rows(bot)
    assert await bot.send_photo("现场照片", reply_to=reminder) == []
    assert await bot.send_file("方案.docx", b"PK\x03\x04", "好的", reply_to=reminder) == []
    # Replying to a colleague's message, or to a bot message about no item.
    colleague = bot.sandbox.add_user("李四")
    await bot.say("会议纪要见下", user=colleague)
    theirs = bot.sandbox.history(bot.group)[-1]
    assert await bot.send_photo("已完成", reply_to=theirs) == []
    assert await bot.send_photo(reply_to=theirs) == []
    plain = await bot.application.bot.send_message(bot.group.id, "通知")
    shown = bot.sandbox.history(bot.group)[-1]
    assert shown.message_id == plain.message_id
    assert await bot.send_photo("已完成", reply_to=shown) == []
    assert await bot.send_photo(reply_to=shown) == []
    assert await _rows(bot) == before


async def test_english(tmp_path):
    async with running_bot(tmp_path) as bot:
        await seed_plan(bot)
        await bind(bot, "董军", bot.member)
        await bot.say("/lang en", user=bot.admin)
        reminder = await post_about(bot, [10])
        answer = (await bot.send_photo("done", reply_to=reminder))[0]
        assert answer.text.splitlines()[1] == "📎 The file will be kept as its evidence."
        sent = await press(bot, answer, button(answer, "Mark done"), bot.member)
        assert sent[0].text.splitlines()[-1] == "📎 Evidence attached: photo."
        hint = await bot.send_photo(reply_to=reminder)
        assert hint[0].text == (
            "Got the file, but nothing was recorded. To keep it as evidence, send it again with "
            "the caption /done 10 or /progress 10 and a few words."
        )


async def test_a_captioned_photo_answering_a_progress_ask_is_recorded_with_the_photo(tmp_path):
    async with office_at(tmp_path, at(10, 20, 10)) as o:
        bot = o.bot
        await join(bot, "权益保障部", "张三", bot.member)  # items 1, 2, 3 and 5
        await bot.say("/remind report 周五 16:00", user=bot.admin)
        ask = next(m for m in await o.moment(ASK) if "进展报送" in (m.text or ""))
        replies = await bot.send_photo("1 已完成一半\n2 60%", reply_to=ask)
        lines = "\n".join(m.text for m in replies).splitlines()
        assert lines.count("📎 已附佐证材料：照片。") == 2, "recorded at once, as a text answer"
        kept = await _attachments(bot)
        assert sorted(a.item_id for a in kept) == sorted(await item_ids(bot, 1, 2))
        assert "✅ 1. " in ask.text and "✅ 2. " in ask.text
