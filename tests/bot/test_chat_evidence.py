"""Evidence (佐证材料) end to end: a photo or file captioned /done or /progress is that report with
the file attached; /item lists the files and sends them again by file_id; /undo takes them
back; files that are no report, videos, and reports that may not be made attach nothing."""

import pytest
from sqlalchemy import select

from storage.models import Attachment, ItemEvent
from tests.support.chat import (
    bind,
    button,
    database_rows,
    item_ids,
    item_row,
    joined,
    office_time,
    post_about,
    press,
    seed,
)
from tests.support.harness import running_bot
from tests.support.transactions import counted

TITLE_10 = "第 10 项「做好档案升级达标评审和工会统计年报工作」"


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        await seed(harness)
        await bind(harness, "董军", harness.member)
        yield harness


async def _attachments(bot) -> list[Attachment]:
    async with bot.db.session() as session:
        return list(await session.scalars(select(Attachment).order_by(Attachment.id)))


async def _rows(bot) -> dict:
    """Every table but the accounts seen (a message's sender is remembered, bot/handlers/people)."""
    rows = await database_rows(bot)
    del rows["tg_account"]
    return rows


async def _event(bot, event_id: int) -> ItemEvent:
    async with bot.db.session() as session:
        event = await session.get(ItemEvent, event_id)
        assert event is not None
        return event


async def test_a_photo_captioned_done_marks_it_done_and_keeps_the_largest_size(bot):
    with office_time(2020, 10, 20, 9, 30):
        replies = await bot.send_photo("/done 10 年报已报送")
    assert replies[0].text.splitlines() == [
        f"✅ {TITLE_10}已完成（张三）。",
        "备注：年报已报送",
        "发错了？10 分钟内发送 /undo 可撤销。",
        "📎 已附佐证材料：照片。",
    ]
    assert (await item_row(bot, 10)).status == "done"
    sent = bot.sandbox.history(bot.group)[-2]  # the photo; the answer came after it
    assert sent.photo_file is not None and len(sent.photo_sizes) == 2
    (kept,) = await _attachments(bot)
    assert (kept.kind, kept.tg_file_id, kept.author_name) == (
        "photo",
        sent.photo_file.file_id,
        "张三",
    ), "the largest of the sizes Telegram sent"
    event = await _event(bot, kept.item_event_id)
    assert (event.kind, event.text, event.item_id) == ("done", "年报已报送", kept.item_id)


async def test_item_lists_the_files_and_sends_them_again(bot):
    with office_time(2020, 10, 20, 9, 30):
        await bot.send_photo("/progress 10 60% 初稿")
        await bot.send_file("统计年报.xlsx", b"PK\x03\x04" + b"x" * 3000, "／done 10")
        replies = await bot.say("/item 10")
    lines = joined(replies).splitlines()
    listed = lines[lines.index("佐证材料（2 个，发送 /item 10 files 查看原件）") :]
    assert listed[1:] == [
        "2020-10-20 09:30 张三：📎 照片（9 B）",
        "2020-10-20 09:30 张三：📎 统计年报.xlsx（2.9 KB）",
    ]

    with office_time(2020, 10, 21, 8, 0):
        again = await bot.say("/item 10 files", user=bot.admin)
    kept = await _attachments(bot)
    assert [m.photo_file.file_id if m.photo_file else None for m in again] == [
        kept[0].tg_file_id,
        None,
    ]
    assert again[1].document is not None and again[1].document.file_id == kept[1].tg_file_id
    assert [m.caption for m in again] == [
        "第 10 项佐证材料 1/2｜张三｜2020-10-20 09:30",
        "第 10 项佐证材料 2/2｜张三｜2020-10-20 09:30",
    ]


async def test_no_files_yet_says_how_to_attach_one(bot):
    replies = await bot.say("/item 10 附件")
    assert replies[0].text == (
        f"{TITLE_10}还没有佐证材料。发送照片或文件，说明写 /progress 10 进展情况，即可附上。"
    )
    assert "佐证材料" not in joined(await bot.say("/item 10"))


async def test_a_photo_alone_is_a_note_with_the_photo(bot):
    replies = await bot.send_photo("/progress 10")
    assert replies[0].text.splitlines() == [
        f"📝 已记录{TITLE_10}的进展（张三）。",
        "📎 已附佐证材料：照片。",
    ]
    (kept,) = await _attachments(bot)
    assert (await _event(bot, kept.item_event_id)).kind == "note"


async def test_files_without_a_report_caption_are_left_alone(bot):
    before = await _rows(bot)
    assert await bot.send_photo() == []
    assert await bot.send_photo("现场照片 done 10") == []
    assert await bot.send_file("方案.docx", b"PK\x03\x04", "/plan") == []
    assert await bot.send_file("方案.docx", b"PK\x03\x04") == []
    assert await _rows(bot) == before


async def test_refused_reports_attach_nothing(bot):
    before = await _rows(bot)
    # The same sentences as the text commands.
    for caption in ("/done", "/done 4", "/progress 10 150%"):
        by_photo = await bot.send_photo(caption)
        by_text = await bot.say(caption)
        assert [m.text for m in by_photo] == [m.text for m in by_text], caption
    assert await _rows(bot) == before


async def test_a_done_item_keeps_no_file_of_a_second_done(bot):
    await bot.say("/done 10")
    replies = await bot.send_photo("/done 10")
    assert replies[0].text.startswith(f"{TITLE_10}已经完成了")
    assert "📎" not in replies[0].text
    assert await _attachments(bot) == []


async def test_a_video_is_refused_and_nothing_recorded(bot):
    before = await _rows(bot)
    before_sent = len(bot.sandbox.sent(bot.group))
    bot.sandbox.send_video(bot.group, bot.member, b"\x00\x00\x00\x18ftypmp42", caption="/done 10")
    bot.pushed += 1
    await bot.settle()
    (reply,) = bot.sandbox.sent(bot.group)[before_sent:]
    assert reply.text == (
        "佐证材料请以照片或文件发送（视频、语音请选择“以文件发送”），这次没有登记。"
        "例：发送照片，说明写 /done 3"
    )
    assert await _rows(bot) == before


async def test_a_captioned_photo_replying_to_a_reminder(bot):
    reminder = await post_about(bot, [10])
    replies = await bot.send_photo("/done", reply_to=reminder)
    assert replies[0].text.startswith(f"✅ {TITLE_10}已完成（张三）。")
    assert len(await _attachments(bot)) == 1

    several = await post_about(bot, [7, 9])
    await bind(bot, "高启秀", bot.member)
    before = await _rows(bot)
    asked = await bot.send_photo("/progress 50%", reply_to=several)
    assert asked[0].text == (
        "这条消息涉及 2 项，带附件登记时请在说明中写明编号，这次没有登记。例：/progress 7"
    )
    assert await _rows(bot) == before


async def test_progress_replying_to_someones_photo_attaches_that_photo(bot):
    colleague = bot.sandbox.add_user("李四")
    photo = await bot.send_photo(user=colleague)
    assert photo == []
    shown = bot.sandbox.history(bot.group)[-1]
    replies = await bot.say("/progress 10 80% 见上图", reply_to=shown)
    assert replies[0].text.splitlines()[-1] == "📎 已附佐证材料：照片。"
    (kept,) = await _attachments(bot)
    assert kept.tg_file_id == shown.photo_file.file_id
    assert kept.author_name == "张三", "who reported, not who took the photo"


async def test_undo_takes_the_files_of_the_report_with_it(bot):
    await bot.send_photo("/progress 10 30% 第一版")
    await bot.send_photo("/done 10 已报送")
    replies = await bot.say("/undo")
    assert replies[0].text.splitlines() == [
        f"↩️ 已撤销你对{TITLE_10}的完成登记。现在：未完成，进度 30%。",
        "所附 1 个佐证材料一并撤回。",
    ]
    (left,) = await _attachments(bot)
    assert (await _event(bot, left.item_event_id)).kind == "progress"
    assert "佐证材料（1 个" in joined(await bot.say("/item 10"))


async def test_several_items_done_at_once_share_the_photo(bot):
    await bind(bot, "高启秀", bot.member)
    await bot.send_photo("/done 1-2 全会已召开")
    kept = await _attachments(bot)
    assert sorted(a.item_id for a in kept) == sorted(await item_ids(bot, 1, 2))
    assert len({a.item_event_id for a in kept}) == 2


async def test_more_than_ten_files_sends_the_newest_ten(tmp_path):
    # Room for the 24 reports and answers and the 11 messages after, within Telegram's minute.
    limits = {"group_max_rate": 60}
    async with running_bot(tmp_path, telegram={"rate_limits": limits}) as bot:
        await seed(bot)
        await bind(bot, "董军", bot.member)
        await _newest_ten(bot)


async def _newest_ten(bot):
    for n in range(12):
        await bot.send_photo(f"/progress 10 第{n + 1}张", content=bytes([n + 1]) * 10)
    again = await bot.say("/item 10 files")
    photos = [m for m in again if m.photo_file is not None]
    assert [m.photo for m in photos] == [bytes([n + 1]) * 10 for n in range(2, 12)]
    assert photos[0].caption.startswith("第 10 项佐证材料 3/12｜")
    assert again[-1].text == "另有 2 个较早的材料没有发送（每次最多发送最新的 10 个）。"


async def test_a_file_telegram_no_longer_knows_is_named_and_the_rest_still_go(bot):
    await bot.send_file("会议纪要.pdf", b"%PDF-1.4", "/progress 10 纪要")
    await bot.send_photo("/progress 10 现场")
    async with bot.db.session() as session:
        first = await session.scalar(select(Attachment).order_by(Attachment.id))
        first.tg_file_id = "BQACAgUAAxkBAAgone"
        await session.commit()
    again = await bot.say("/item 10 files")
    assert [m.photo_file is not None for m in again] == [True, False]
    assert again[-1].text == "第 1 个材料（会议纪要.pdf）无法再发送：Telegram 已不认得它。"


async def test_english(tmp_path):
    async with running_bot(tmp_path, i18n={"locale": "en"}) as bot:
        await seed(bot)
        await bind(bot, "董军", bot.member)
        with office_time(2020, 10, 20, 9, 30):
            done = await bot.send_file("report.pdf", b"%PDF" * 400, "/done 10 filed")
            listing = await bot.say("/item 10")
        assert done[0].text.splitlines()[-1] == "📎 Evidence attached: report.pdf."
        lines = joined(listing).splitlines()
        start = lines.index("Evidence (1; /item 10 files sends them)")
        assert lines[start + 1] == "2020-10-20 09:30 张三: 📎 report.pdf (1.6 KB)"
        again = await bot.say("/item 10 files")
        assert again[0].document is not None
        assert again[0].caption == "Item 10, evidence 1/1 | 张三 | 2020-10-20 09:30"
        refused = await bot.send_photo("/done 4")
        assert refused[0].text.startswith("Only item 4's leaders")
        none = await bot.say("/item 9 files")
        assert none[0].text.startswith("item 9 “")
        assert none[0].text.endswith(
            "has no evidence yet. Send a photo or a file with the caption "
            "/progress 9 how it stands to attach one."
        )
        before = len(bot.sandbox.sent(bot.group))
        bot.sandbox.send_video(bot.group, bot.member, b"mp4", caption="/progress 10 50%")
        bot.pushed += 1
        await bot.settle()
        assert bot.sandbox.sent(bot.group)[before].text.startswith(
            "Evidence must be a photo or a file"
        )
        with office_time(2020, 10, 20, 9, 35):
            undone = await bot.say("/undo")
        assert undone[0].text.splitlines()[-1] == "The files attached to it (1) went with it."
        assert await _attachments(bot) == []


async def test_in_private_the_group_asked_for_gets_the_report_and_its_photo(tmp_path):
    async with running_bot(tmp_path) as bot:
        finance = bot.sandbox.add_chat("supergroup", title="财务部 工作群")
        for group in (bot.group, finance):
            await seed(bot, group)
            await bind(bot, "董军", bot.member, group)
        private = bot.sandbox.private_chat(bot.member)
        (question,) = await bot.send_photo("/done 10 私聊报告", chat=private)
        assert question.text.startswith("你在 2 个群里绑定了姓名")
        (answer,) = await press(bot, question, button(question, "财务部"), bot.member)
        assert answer.text.splitlines()[0] == "【财务部 工作群】"
        assert answer.text.splitlines()[-1] == "📎 已附佐证材料：照片。"
        (kept,) = await _attachments(bot)
        (finance_10,) = await item_ids(bot, 10, chat=finance)
        assert kept.item_id == finance_10

        (named,) = await bot.send_file("纪要.pdf", b"%PDF", "/progress 财务 10 纪要", chat=private)
        assert named.text.splitlines()[0] == "【财务部 工作群】"
        assert "📎 已附佐证材料：纪要.pdf。" in named.text


async def test_a_report_with_a_file_is_still_one_transaction_with_one_statement_more(bot):
    await bot.say("/help")  # the sender's account is recorded: nothing left for the watcher
    await bind(bot, "高启秀", bot.member)
    with office_time(2020, 10, 20):
        with counted(bot.db.engine) as text:
            await bot.say("/done 1 已开")
        with counted(bot.db.engine) as photo:
            await bot.send_photo("/done 2 已开")
    assert (text.transactions, photo.transactions) == (1, 1)
    statements = [s for s, _ in photo.executed]
    assert photo.statements == text.statements + 1, statements
    assert sum(s.lstrip().startswith("INSERT INTO attachment") for s in statements) == 1
