"""/import end to end: preview, confirm, cancel, files, refusals, re-import."""

import io
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select

from plans.sample import sample_text
from storage.models import Item, Plan
from tests.support.harness import running_bot

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        yield harness


async def _count(bot, model) -> int:
    async with bot.db.session() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def _press(bot, message, label_part, user=None):
    button = next(b for b in message.buttons if label_part in b["text"])
    before = len(bot.sandbox.sent(message.chat))
    bot.sandbox.press_button(message, user or bot.admin, button["callback_data"])
    bot.pushed += 1
    await bot.settle()
    return bot.sandbox.sent(message.chat)[before:]


async def test_admin_imports_the_sample_after_a_preview(bot):
    replies = await bot.say("/import\n" + sample_text(), user=bot.admin)
    preview = replies[-1]
    text = "\n".join(r.text for r in replies)
    assert "导入预览" in text and "2020年10月" in text and "共 10 项" in text
    assert "董军" in text and "组织部、工业制造业工会联合会" in text and "2020-10-31" in text
    assert [b["text"] for b in preview.buttons] == ["✅ 确认导入", "❌ 取消"]
    assert await _count(bot, Plan) == 0, "a preview writes nothing"

    done = await _press(bot, preview, "确认")
    assert "已导入 2020年10月 计划，共 10 项" in done[-1].text
    assert preview.buttons == [], "the buttons go once used"
    async with bot.db.session() as session:
        titles = (await session.scalars(select(Item.title).order_by(Item.seq))).all()
    assert len(titles) == 10 and titles[9] == "做好档案升级达标评审和工会统计年报工作"


async def test_cancel_stores_nothing(bot):
    replies = await bot.say("/import " + sample_text(), user=bot.admin)
    done = await _press(bot, replies[-1], "取消")
    assert "已取消" in done[-1].text
    assert await _count(bot, Plan) == 0


async def test_bare_import_takes_the_next_message(bot):
    prompt = await bot.say("/import", user=bot.admin)
    assert "下一条消息" in prompt[0].text
    replies = await bot.say(sample_text(), user=bot.admin)
    assert "导入预览" in replies[0].text


async def test_a_members_next_message_is_not_taken_for_an_admins_import(bot):
    await bot.say("/import", user=bot.admin)
    assert await bot.say("今天开会吗？", user=bot.member) == []


async def test_a_member_may_not_import_but_a_group_administrator_may(bot):
    refused = await bot.say("/import " + sample_text(), user=bot.member)
    assert refused[0].text == "只有管理员可以导入计划。"
    bot.sandbox.set_admin(bot.group, bot.member)
    replies = await bot.say("/import " + sample_text(), user=bot.member)
    assert "导入预览" in replies[0].text


async def test_a_member_cannot_press_confirm_on_an_admins_preview(bot):
    replies = await bot.say("/import " + sample_text(), user=bot.admin)
    await _press(bot, replies[-1], "确认", user=bot.member)
    assert bot.sandbox.callback_answers[-1].text == "只有发起导入的人或管理员可以确认。"
    assert await _count(bot, Plan) == 0


async def test_a_gbk_text_file_captioned_import(bot):
    data = (FIXTURES / "plan-gbk.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    before = len(bot.sandbox.sent(bot.group))
    bot.sandbox.send_document(bot.group, bot.admin, "计划.txt", data, caption="/import")
    bot.pushed += 1
    await bot.settle()
    replies = bot.sandbox.sent(bot.group)[before:]
    assert "导入预览" in replies[0].text
    await _press(bot, replies[-1], "确认")
    assert await _count(bot, Item) > 0


async def test_a_docx_with_a_table(bot):
    from docx import Document

    document = Document()
    document.add_paragraph("2020年11月重点工作任务分解")
    table = document.add_table(rows=3, cols=5)
    for row, cells in enumerate(
        [
            ("序号", "工作任务", "责任领导", "责任部室", "完成时限"),
            ("1", "召开职工代表大会", "高启秀", "办公室、组织部", "11月20日"),
            ("2", "开展冬季送温暖活动", "郭红萍", "权益保障部", "11月底"),
        ]
    ):
        for col, value in enumerate(cells):
            table.cell(row, col).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    before = len(bot.sandbox.sent(bot.group))
    bot.sandbox.send_document(
        bot.group, bot.admin, "任务.docx", buffer.getvalue(), caption="/import"
    )
    bot.pushed += 1
    await bot.settle()
    text = "\n".join(m.text for m in bot.sandbox.sent(bot.group)[before:])
    assert "2020年11月" in text and "共 2 项" in text
    assert "办公室、组织部" in text and "2020-11-20" in text and "2020-11-30" in text


@pytest.mark.parametrize(
    ("filename", "content", "expected"),
    [
        ("plan.pdf", b"%PDF-1.4", "只能导入 .txt、.md 或 .docx 文件。"),
        ("plan.txt", b"x" * (2 * 1024 * 1024 + 1), "文件超过 2 MB，无法导入。"),
        ("plan.txt", b"   \n", "没有收到计划内容。"),
        ("plan.txt", "今天天气很好。".encode(), "没有在文中找到计划事项。"),
        ("plan.docx", b"not a zip", "无法读取这个 .docx 文件"),
    ],
)
async def test_bad_files_get_one_sentence_and_nothing_is_stored(bot, filename, content, expected):
    before = len(bot.sandbox.sent(bot.group))
    bot.sandbox.send_document(bot.group, bot.admin, filename, content, caption="/import")
    bot.pushed += 1
    await bot.settle()
    replies = bot.sandbox.sent(bot.group)[before:]
    assert len(replies) == 1 and replies[0].text.startswith(expected)
    assert await _count(bot, Plan) == 0


async def test_a_docx_that_unpacks_too_large_is_refused(bot):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (21 * 1024 * 1024))
    before = len(bot.sandbox.sent(bot.group))
    bot.sandbox.send_document(
        bot.group, bot.admin, "bomb.docx", buffer.getvalue(), caption="/import"
    )
    bot.pushed += 1
    await bot.settle()
    assert bot.sandbox.sent(bot.group)[before:][0].text == "这个 .docx 解压后超过 20 MB，无法导入。"


async def test_a_plan_without_a_month_is_refused(bot):
    replies = await bot.say(
        "/import 工作计划\n一、开好职工代表大会\n"
        "责任领导：高启秀\n责任部室：办公室\n完成时限：本月底",
        user=bot.admin,
    )
    assert replies[0].text.startswith("没有找到计划的月份")


async def test_reimport_reports_changes_and_deletes_only_when_asked(bot):
    first = await bot.say("/import " + sample_text(), user=bot.admin)
    await _press(bot, first[-1], "确认")
    changed = (
        sample_text()
        .replace("继续开展职工素质大讲堂活动", "继续开展职工素质大讲堂系列活动")
        .replace("十、做好档案升级达标评审和工会统计年报工作", "十、做好工会统计年报工作")
    )
    changed = changed[: changed.index("九、举办")]  # items 九 and 十 gone
    replies = await bot.say("/import " + changed, user=bot.admin)
    text = "\n".join(r.text for r in replies)
    assert "已有 2020年10月 的计划" in text
    assert "修改 1 项：6. 继续开展职工素质大讲堂系列活动" in text
    assert "文档中没有的 2 项" in text
    labels = [b["text"] for b in replies[-1].buttons]
    assert labels == ["✅ 确认导入", "🗑 确认并删除 2 项", "❌ 取消"]

    done = await _press(bot, replies[-1], "确认导入")
    assert "已保留" in done[-1].text
    assert await _count(bot, Item) == 10
    # The item's history says what the import changed, in words.
    (card,) = await bot.say("/item 6")
    title = "标题：继续开展职工素质大讲堂活动 → 继续开展职工素质大讲堂系列活动"
    assert f"📥 导入更新 {title}" in card.text
    assert "{" not in card.text

    again = await bot.say("/import " + changed, user=bot.admin)
    done = await _press(bot, again[-1], "删除")
    assert "已删除" in done[-1].text
    assert await _count(bot, Item) == 8
    # What was deleted, by whom and how, stays visible.
    lines = "\n".join(r.text for r in await bot.say("/item 10")).splitlines()
    assert lines[1].startswith("🗑 第 10 项「做好档案升级达标评审和工会统计年报工作」已于 ")
    assert lines[1].endswith(" 被 管理员 删除（重新导入）。")
    assert lines[-1] == "（暂无记录）"


async def test_english_chat_gets_an_english_preview(tmp_path):
    async with running_bot(tmp_path, i18n={"locale": "en"}) as harness:
        replies = await harness.say("/import " + sample_text(), user=harness.admin)
        assert "Import preview" in replies[0].text and "2020-10" in replies[0].text
        assert [b["text"] for b in replies[-1].buttons] == ["✅ Confirm", "❌ Cancel"]


# -- a preview waits in the database --------------------------------------------------------


async def test_a_preview_confirmed_after_a_restart_imports_the_plan(bot):
    preview = (await bot.say("/import " + sample_text(), user=bot.admin))[-1]
    await bot.restart()  # a deploy between the preview and the press
    done = await _press(bot, preview, "确认")
    assert "已导入 2020年10月 计划，共 10 项" in done[-1].text
    assert preview.buttons == []
    assert await _count(bot, Item) == 10


async def test_the_importer_may_confirm_after_a_restart_without_being_an_admin(bot):
    bot.sandbox.set_admin(bot.group, bot.member)
    preview = (await bot.say("/import " + sample_text(), user=bot.member))[-1]
    bot.sandbox.set_admin(bot.group, bot.member, admin=False)
    await bot.restart()
    other = bot.sandbox.add_user("李四")
    await _press(bot, preview, "确认", user=other)
    assert bot.sandbox.callback_answers[-1].text == "只有发起导入的人或管理员可以确认。"
    done = await _press(bot, preview, "确认", user=bot.member)
    assert "已导入 2020年10月 计划" in done[-1].text


async def test_two_presses_of_confirm_import_once(bot):
    preview = (await bot.say("/import " + sample_text(), user=bot.admin))[-1]
    data = preview.buttons[0]["callback_data"]
    before = len(bot.sandbox.sent(bot.group))
    # Both presses reach Telegram before the bot has taken the buttons off.
    bot.sandbox.press_button(preview, bot.admin, data)
    bot.sandbox.press_button(preview, bot.admin, data)
    bot.pushed += 2
    await bot.settle()
    results = [m.text for m in bot.sandbox.sent(bot.group)[before:] if "已导入" in m.text]
    assert len(results) == 1
    assert bot.sandbox.callback_answers[-1].text == "这个预览已过期，请重新发送 /import。"
    assert await _count(bot, Plan) == 1 and await _count(bot, Item) == 10


async def test_a_preview_expires_after_an_hour(bot):
    with time_machine.travel(datetime(2020, 10, 1, 1, 0, tzinfo=UTC), tick=True) as clock:
        preview = (await bot.say("/import " + sample_text(), user=bot.admin))[-1]
        clock.shift(timedelta(minutes=61))
        await _press(bot, preview, "确认")
    answer = bot.sandbox.callback_answers[-1]
    assert answer.text == "这个预览已过期，请重新发送 /import。" and answer.show_alert
    assert preview.buttons == [], "pressing again cannot help"
    assert await _count(bot, Plan) == 0
