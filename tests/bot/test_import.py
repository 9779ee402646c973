"""/import end to end: preview, confirm, cancel, files, refusals, re-import."""

import io
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select

from jobs.outbox import chat_policy
from plans.document import document_text
from plans.parser import parse_plan
from plans.sample import sample_text
from storage.models import Chat, DeletedItem, Department, Item, Person, Plan, Reminder
from storage.plans import items_with_links
from tests.support.chat import iam
from tests.support.documents import build, long_docx
from tests.support.harness import running_bot

FIXTURES = Path(__file__).parents[1] / "fixtures"
CORPUS = FIXTURES / "plans"


@pytest.fixture
def october():
    # Monday 12 October 2020: the sample's October plan is the current one.
    with time_machine.travel(datetime(2020, 10, 12, 2, 0, tzinfo=UTC), tick=True):
        yield


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


async def test_admin_imports_the_sample_after_a_preview(bot, october):
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


async def _send_file(bot, filename: str, data: bytes) -> list:
    before = len(bot.sandbox.sent(bot.group))
    bot.sandbox.send_document(bot.group, bot.admin, filename, data, caption="/import")
    bot.pushed += 1
    await bot.settle()
    return bot.sandbox.sent(bot.group)[before:]


async def test_an_xlsx_task_breakdown_captioned_import(bot):
    filename, data = build(CORPUS / "xlsx-task-breakdown-title-merged.xlsx.json")
    replies = await _send_file(bot, filename, data)
    text = "\n".join(m.text for m in replies)
    assert "导入预览" in text and "2020年11月" in text and "共 3 项" in text
    # 高启秀 leads item 2 through a merged cell; the section rows are not items.
    assert text.count("高启秀") == 2 and "党建工作" not in text
    assert "权益保障部、财务部" in text and "2020-11-25" in text
    await _press(bot, replies[-1], "确认")
    assert await _count(bot, Item) == 3


async def test_a_pdf_notice_captioned_import(bot):
    filename, data = build(CORPUS / "pdf-notice-numbered-items.pdf.json")
    replies = await _send_file(bot, filename, data)
    text = "\n".join(m.text for m in replies)
    assert "导入预览" in text and "2020年11月" in text and "共 4 项" in text
    # A title wrapped onto a second line in the PDF arrives whole (its lead clause), its leader too.
    assert "全市工会宣传干部培训班" in text and "郭红萍" in text


async def test_a_scanned_pdf_is_refused_with_one_sentence(bot):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    replies = await _send_file(bot, "扫描件.pdf", bytes(pdf.output()))
    assert [m.text for m in replies] == [
        "这个 PDF 没有文字层（可能是扫描件），无法读取："
        "请另存为 .docx/.xlsx 后再发送，或直接粘贴文字。"
    ]
    assert await _count(bot, Plan) == 0


@pytest.mark.parametrize(
    ("filename", "content", "expected"),
    [
        ("plan.png", b"\x89PNG", "只能导入 .txt、.md、.html、.docx、.xlsx 或 .pdf 文件。"),
        ("plan.pdf", b"%PDF-1.4", "无法读取这个 PDF（文件已损坏或设有密码）"),
        ("计划.doc", b"\xd0\xcf\x11\xe0", "无法直接读取 .doc 文件：请另存为 .docx/.xlsx 后再发送"),
        ("计划.wps", b"\xd0\xcf\x11\xe0", "无法直接读取 .wps 文件：请另存为 .docx/.xlsx"),
        ("任务.et", b"\xd0\xcf\x11\xe0", "无法直接读取 .et 文件：请另存为 .docx/.xlsx"),
        ("plan.xlsx", b"not a zip", "无法读取这个 .xlsx 文件"),
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


NO_PERIOD = "工作计划\n一、开好职工代表大会\n责任领导：高启秀\n责任部室：办公室\n完成时限：本月底"


async def test_a_plan_naming_no_period_asks_which_one(bot, october):
    replies = await bot.say("/import " + NO_PERIOD, user=bot.admin)
    assert replies[0].text.startswith("这份计划没有写明是哪个时期的")
    assert [b["text"] for b in replies[0].buttons] == [
        "本月（2020年10月）",
        "下月（2020年11月）",
        "全年",
        "❌ 取消",
    ]
    assert await _count(bot, Plan) == 0

    preview = await _press(bot, replies[0], "下月")
    text = "\n".join(m.text for m in preview)
    assert "导入预览" in text and "2020年11月，共 1 项" in text and "2020-11-30" in text
    done = await _press(bot, preview[-1], "确认导入")
    assert "已导入 2020年11月 计划，共 1 项" in done[-1].text
    async with bot.db.session() as session:
        plan = await session.scalar(select(Plan))
    assert (plan.year, plan.month, plan.quarter) == (2020, 11, 0)


async def test_the_period_can_be_named_after_the_command(bot, october):
    replies = await bot.say("/import 2023-03\n" + NO_PERIOD, user=bot.admin)
    assert "2023年3月，共 1 项" in replies[0].text and "2023-03-31" in replies[0].text
    # Named alone, it waits with the period for the plan in the next message.
    await bot.say("/import 三月", user=bot.admin)
    replies = await bot.say(NO_PERIOD, user=bot.admin)
    assert "2020年3月，共 1 项" in replies[0].text
    done = await _press(bot, replies[-1], "确认导入")
    assert "已导入 2020年3月 计划" in done[-1].text


async def test_reimport_reports_changes_and_deletes_only_when_asked(bot, october):
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


async def test_english_chat_gets_an_english_preview(tmp_path, october):
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


async def test_a_table_whose_header_is_not_understood_is_refused_naming_its_header(bot):
    table = (
        "2023年10月工作计划\n"
        "| 序号 | 事情 | 经办人员 | 说明<必填> |\n"
        "|---|---|---|---|\n"
        "| 1 | 修缮办公楼屋顶 | 张三 | |\n"
        "| 2 | 更换会议室投影仪 | 李四 | |\n"
    )
    replies = await bot.say("/import\n" + table, user=bot.admin)
    assert [r.text for r in replies] == [
        "文中像是一张表格，但看不懂它的表头：找到的表头是“序号｜事情｜经办人员｜说明<必填>”。"
        "表格需要一列工作任务（如“工作任务”“主要工作”“工作内容”“重点工作”），"
        "以及“责任领导”“责任部门”“完成时限”中的至少一列。请把表头改成这些词后再导入。"
    ]
    assert await _count(bot, Plan) == 0


async def test_an_html_plan_file_is_imported(bot):
    data = (FIXTURES / "plans" / "table-html-rowspan.html").read_bytes()
    before = len(bot.sandbox.sent(bot.group))
    bot.sandbox.send_document(bot.group, bot.admin, "计划.html", data, caption="/import")
    bot.pushed += 1
    await bot.settle()
    text = "\n".join(r.text for r in bot.sandbox.sent(bot.group)[before:])
    assert "导入预览" in text and "2023年12月，共 5 项" in text
    # The leader written once in a cell spanning three rows leads all three tasks.
    assert text.count("刘志强") == 3


async def test_a_document_is_read_off_the_event_loop(bot, monkeypatch):
    # A 50,000-paragraph .docx takes about half a second to read: on the event loop that
    # would stall every chat. Which thread reads it is what the user's wait depends on.
    import threading

    import bot.handlers.imports as handler

    readers: list[threading.Thread] = []

    def observed(filename: str, data: bytes) -> str:
        readers.append(threading.current_thread())
        return document_text(filename, data)

    monkeypatch.setattr(handler, "document_text", observed)
    plan = [
        "十月份工作计划",
        "1.召开职工代表大会（责任领导：高启秀；责任部室：办公室；完成时限：10月20日）",
    ]
    replies = await _send_file(bot, "计划.docx", long_docx(plan))
    assert "导入预览" in replies[0].text
    assert readers and readers[0] is not threading.main_thread()


# -- a revised plan for the same month --------------------------------------------------------


def _revise(text: str, heading: str, old: str, new: str) -> str:
    """The plan with `old` replaced by `new` in the item that starts with `heading`."""
    start = text.index(heading)
    at = text.index(old, start)
    return text[:at] + new + text[at + len(old) :]


async def _imported(bot, text: str) -> list:
    replies = await bot.say("/import " + text, user=bot.admin)
    return replies


async def _item_row(bot, seq: int) -> Item:
    async with bot.db.session() as session:
        return await session.scalar(select(Item).where(Item.seq == seq))


async def test_reimport_keeps_what_the_chat_changed_unless_the_document_changed_it(bot, october):
    first = await _imported(bot, sample_text())
    await _press(bot, first[-1], "确认")
    # In the chat: item 3 extended (approved by its leader: nobody approves their own request),
    # item 6's leader edited, item 5 done, and item 7's deadline edited.
    leader = bot.sandbox.add_user("高启秀")
    await iam(bot, "高启秀", leader)
    request = (await bot.say("/extend 3 11月5日 等待批复", user=bot.admin))[-1]
    await _press(bot, request, "同意", leader)
    await bot.say("/edit 6 领导 董军", user=bot.admin)
    await bot.say("/done 5", user=bot.admin)
    await bot.say("/edit 7 时限 10月25日", user=bot.admin)

    # The revised document moves item 2's deadline and item 7's, and leaves 3, 5 and 6 as they
    # were written before.
    revised = _revise(sample_text(), "二、迎接全总", "十月份", "10月20日")
    revised = _revise(revised, "七、做好省级", "十月份", "10月28日")
    replies = await _imported(bot, revised)
    text = "\n".join(r.text for r in replies)
    assert "修改 2 项：2. " in text
    assert "第2项 完成时限：十月份 → 10月20日" in text
    # The document changed item 7's deadline too: the document's stands, and it says so.
    assert "第7项 完成时限：10月25日 → 10月28日（群里已改为10月25日" in text
    assert "群里改过、文件没有改的 2 处保留群里的" in text
    assert "第3项 完成时限：群里已延期至11月5日，文件仍写十月份 — 保留群里的" in text
    assert "第6项 责任领导：群里已改为董军，文件仍写郭红萍 — 保留群里的" in text

    done = await _press(bot, replies[-1], "确认导入")
    assert "保留了群里的 2 处修改" in done[-1].text
    assert (await _item_row(bot, 2)).deadline == date(2020, 10, 20)
    assert (await _item_row(bot, 3)).deadline == date(2020, 11, 5)
    assert (await _item_row(bot, 7)).deadline == date(2020, 10, 28)
    assert (await _item_row(bot, 5)).status == "done"
    (card,) = await bot.say("/item 6")
    assert card.text.splitlines()[2].strip().startswith("董军｜宣教网络部")

    # Importing the same revision again changes nothing and still keeps the chat's changes:
    # what the last import said, not what the item says now, is what the document is compared to.
    again = await _imported(bot, revised)
    text = "\n".join(r.text for r in again)
    assert "修改" not in text and "第3项 完成时限：群里已延期至11月5日，文件仍写十月份" in text
    # A revision that does change item 3's deadline wins over the extension.
    later = _revise(revised, "三、筹备好", "十月份", "11月10日")
    replies = await _imported(bot, later)
    text = "\n".join(r.text for r in replies)
    assert "第3项 完成时限：11月5日 → 11月10日（群里已延期至11月5日" in text
    await _press(bot, replies[-1], "确认导入")
    assert (await _item_row(bot, 3)).deadline == date(2020, 11, 10)


async def test_a_different_task_under_the_same_number_replaces_the_old_one(bot, october):
    first = await _imported(bot, sample_text())
    await _press(bot, first[-1], "确认")
    await bot.say("/progress 4 40% 已开筹备会", user=bot.admin)
    revised = _revise(
        sample_text(), "四、筹备好", "筹备好工业制造业工会联合会换届工作", "开展安全生产月宣传"
    )
    revised = _revise(revised, "六、继续", "职工素质大讲堂活动", "职工素质大讲堂系列活动")
    replies = await _imported(bot, revised)
    text = "\n".join(r.text for r in replies)
    assert (
        "🔁 第4项换成了另一项任务：「筹备好工业制造业工会联合会换届工作」→「开展安全生产月宣传」"
        in text
    )
    assert "修改 1 项：6. 继续开展职工素质大讲堂系列活动" in text, "a reworded title is an edit"
    assert "第4项 标题" not in text

    done = await _press(bot, replies[-1], "确认导入")
    assert "1 项换成了另一项任务" in done[-1].text
    item = await _item_row(bot, 4)
    assert (item.title, item.progress) == ("开展安全生产月宣传", 0), "the new task starts fresh"
    async with bot.db.session() as session:
        record = await session.scalar(select(DeletedItem))
    old_title = "筹备好工业制造业工会联合会换届工作"
    assert (record.seq, record.title, record.progress) == (4, old_title, 40)
    assert record.how == "import" and record.history[0]["text"] == "已开筹备会"


# -- quarters and years -----------------------------------------------------------------------

YEARLY = """2023年重点工作任务分解

一、推进职工服务阵地建设
责任领导：高启秀
责任部室：权益保障部
完成时限：6月底

二、开展劳动竞赛
责任领导：董军
责任部室：经技部
完成时限：2023年10月31日

三、做好年度统计
责任领导：董军
责任部室：办公室
完成时限：年底
"""

MARCH = """2023年3月工作计划

一、召开一季度工作例会
责任领导：董军
责任部室：办公室
完成时限：3月20日
"""


async def _fire_days(bot, title: str) -> set:
    async with bot.db.session() as session:
        rows = await session.scalars(
            select(Reminder.fire_at)
            .join(Item, Item.id == Reminder.item_id)
            .where(Item.title == title)
        )
        return {fire_at.date() for fire_at in rows}


async def test_a_yearly_plan_keeps_its_items_deadlines_and_shows_next_to_the_month(bot):
    with time_machine.travel(datetime(2023, 3, 1, 2, 0, tzinfo=UTC), tick=True):
        replies = await _imported(bot, YEARLY)
        text = "\n".join(r.text for r in replies)
        assert "2023年重点工作任务分解（2023年，共 3 项）" in text
        assert "没有找到计划月份" not in text
        assert "2023-06-30" in text and "2023-10-31" in text and "2023-12-31" in text
        done = await _press(bot, replies[-1], "确认导入")
        assert "已导入 2023年 计划，共 3 项" in done[-1].text
        async with bot.db.session() as session:
            plan = await session.scalar(select(Plan))
        assert (plan.year, plan.month, plan.quarter) == (2023, 0, 0)
        # Reminded by its own deadline (June), not as March's plan.
        days = await _fire_days(bot, "推进职工服务阵地建设")
        assert days and min(days) >= date(2023, 6, 20)

        march = await _imported(bot, MARCH)
        await _press(bot, march[-1], "确认导入")
        shown = "\n".join(m.text for m in await bot.say("/plan"))
        assert shown.index("2023年3月工作计划") < shown.index("召开一季度工作例会")
        assert "📌 2023年重点工作任务分解（2023年，进行中，未完成 3 项）" in shown
        assert shown.index("召开一季度工作例会") < shown.index("开展劳动竞赛")

        # A month's report lists the months that have a plan, not the year's as "2023年0月".
        (april,) = await bot.say("/summary 4月")
        assert april.text == "本群没有 2023年4月 的工作计划。已有：2023年3月。"

        whole = "\n".join(m.text for m in await bot.say("/plan 2023"))
        assert "2023年重点工作任务分解（2023年，共 3 项）" in whole
        assert "召开一季度工作例会" not in whole

        dong = bot.sandbox.add_user("董军")
        await iam(bot, "董军", dong)
        mine = "\n".join(m.text for m in await bot.say("/mine", user=dong))
        assert "2023-03#1" in mine and "2023#2" in mine and "2023#3" in mine
        # The label works in /done: the year's item 3, not March's.
        done = await bot.say("/done 2023#3", user=dong)
        assert "做好年度统计" in done[0].text
        assert (await _item_row(bot, 3)).status == "done"


async def test_a_quarters_plan(bot):
    quarter = YEARLY.replace("2023年重点工作任务分解", "2024年第一季度工作计划").replace(
        "2023年10月31日", "3月15日"
    )
    with time_machine.travel(datetime(2024, 1, 10, 2, 0, tzinfo=UTC), tick=True):
        replies = await _imported(bot, quarter)
        assert "2024年第一季度工作计划（2024年第一季度，共 3 项）" in replies[0].text
        await _press(bot, replies[-1], "确认导入")
        listed = "\n".join(m.text for m in await bot.say("/plan 2024Q1"))
        assert "2024年第一季度，共 3 项" in listed and "2024-03-15" in listed
        # No month's plan: the quarter's is the current plan, and /add adds to it.
        assert "2024年第一季度，共 3 项" in (await bot.say("/plan"))[0].text
        await bot.say("/add 走访慰问 | 董军 | 办公室 | 3月20日", user=bot.admin)
        assert "2024年第一季度，共 4 项" in (await bot.say("/plan 一季度"))[0].text
        (card,) = await bot.say("/item 2024Q1#2")
        assert card.text.splitlines()[:2] == ["2024年第一季度", "2. 开展劳动竞赛"]
        # Reports count a month's plan: a group with only a quarter's is told what it has.
        (stats,) = await bot.say("/stats 3月")
        assert stats.text.startswith("本群还没有月度工作计划") and "2024年第一季度" in stats.text
        assert "0月" not in stats.text
    async with bot.db.session() as session:
        plan = await session.scalar(select(Plan))
    assert (plan.year, plan.month, plan.quarter) == (2024, 0, 1)


# -- a plan whose deadlines are all past ------------------------------------------------------


async def test_a_plan_whose_deadlines_are_past_can_be_kept_as_an_archive(bot):
    with time_machine.travel(datetime(2024, 2, 1, 2, 0, tzinfo=UTC), tick=True):
        replies = await _imported(bot, YEARLY)
        text = "\n".join(r.text for r in replies)
        assert "完成时限都已过去（最晚 2023-12-31）" in text
        labels = [b["text"] for b in replies[-1].buttons]
        assert labels == ["✅ 确认导入", "📦 作为存档导入", "❌ 取消"]
        done = await _press(bot, replies[-1], "存档")
        assert "已作为存档保存，不发提醒" in done[-1].text
        assert await _count(bot, Reminder) == 0
        listed = "\n".join(m.text for m in await bot.say("/plan 2023"))
        assert "📦 存档" in listed and "做好年度统计" in listed

        # The same plan imported for real is chased: overdue reminders are planned.
        again = await _imported(bot, YEARLY)
        await _press(bot, again[-1], "确认导入")
        assert await _count(bot, Reminder) > 0


async def test_a_current_plan_is_not_offered_as_an_archive(bot, october):
    replies = await _imported(bot, sample_text())
    assert "存档" not in "\n".join(r.text for r in replies)


async def test_the_preview_names_items_already_overdue_and_warns_before_the_items(bot):
    plan = (
        "2020年10月工作计划\n"
        "1.召开职工代表大会（责任领导：高启秀；责任部室：办公室；完成时限：10月8日）\n"
        "3.开展职工书屋建设（责任领导：郭红萍；责任部室：宣教网络部；完成时限：10月30日）\n"
        "4.做好统计年报（责任领导：董军；责任部室：办公室；完成时限：10月9日）\n"
    )
    with time_machine.travel(datetime(2020, 10, 12, 2, 0, tzinfo=UTC), tick=True):
        (preview,) = await bot.say("/import\n" + plan, user=bot.admin)
    lines = preview.text.splitlines()
    warnings = [n for n, line in enumerate(lines) if line.startswith("⚠️")]
    first_item = next(n for n, line in enumerate(lines) if line.startswith("1. "))
    assert warnings and max(warnings) < first_item
    assert "⚠️ 第1、4项的完成时限已经过去：导入后按逾期事项提醒。" in lines
    # The gap is named too, and nothing is stored before Confirm.
    assert any("缺第2项" in line for line in lines)
    assert "作为存档导入" not in str(preview.buttons)
    assert await _count(bot, Plan) == 0


async def test_a_period_that_is_not_one_is_refused_before_reading_the_plan(bot):
    replies = await bot.say("/import 2023-13\n" + NO_PERIOD, user=bot.admin)
    assert [r.text for r in replies] == [
        "看不懂时期“2023-13”。例：/import 2023-03、/import 三月、/import 一季度、"
        "/import 2024Q1、/import 2023，计划写在下一行或下一条消息中。"
    ]
    # Alone, it does not wait for the plan either.
    assert (await bot.say("/import 十三月", user=bot.admin))[0].text.startswith(
        "看不懂时期“十三月”"
    )
    assert await _count(bot, Plan) == 0


# -- a large plan -----------------------------------------------------------------------------


def _large_plan(items: int) -> str:
    """A month's plan of `items` items with 60 leaders and 40 departments among them; every
    tenth item is standing work (长期, no date), the others are due on a day of October."""
    lines = ["荆州市总工会2020年10月工作计划", ""]
    for n in range(1, items + 1):
        deadline = "长期" if n % 10 == 0 else f"10月{n % 31 + 1}日"
        lines += [
            f"{n}. 第{n}项工作：做好职工服务",
            "",
            f"责任领导：王{n % 60}明、李{n % 7}华",
            "",
            f"责任部室：第{n % 40}部、办公室",
            "",
            f"完成时限：{deadline}",
            "",
        ]
    return "\n".join(lines)


async def test_a_thousand_item_plan_lands_whole(bot, october):
    text = _large_plan(1000)
    replies = await _send_file(bot, "十月计划.txt", text.encode())
    assert "共 1000 项" in replies[0].text
    # The preview lists the first 30 items and counts the rest: one message, not twenty (a
    # group may get 20 a minute, and the confirm's answer would wait for the next minute).
    assert len(replies) == 1
    assert "<b>30.</b>" in replies[0].html and "<b>31.</b>" not in replies[0].html
    assert "另有 970 项（第31–1000项）" in replies[0].text
    done = await _press(bot, replies[-1], "确认")
    assert "共 1000 项（新增 1000 项" in done[-1].text

    parsed = parse_plan(text)
    svc = bot.application.bot_data.services
    async with bot.db.session() as session:
        items = await items_with_links(session, (await session.scalar(select(Plan.id))))
        policy = chat_policy(svc.planner.defaults, await session.scalar(select(Chat.settings)))
        planned = {
            item.id: {(p.kind, p.fire_at) for p in svc.planner.plan_item(item, policy, svc.now())}
            for item in items
        }
        reminders: dict[int, set] = {}
        for item_id, kind, fire_at in await session.execute(
            select(Reminder.item_id, Reminder.kind, Reminder.fire_at)
        ):
            reminders.setdefault(item_id, set()).add((kind, fire_at))
        people = set(await session.scalars(select(Person.name)))
        departments = set(await session.scalars(select(Department.name)))
    assert [
        (i.seq, i.title, [p.name for p in i.leaders], [d.name for d in i.departments], i.deadline)
        for i in items
    ] == [(p.seq, p.title, p.leaders, p.departments, p.deadline) for p in parsed.items]
    assert people == {f"王{n}明" for n in range(60)} | {f"李{n}华" for n in range(7)}
    assert departments == {f"第{n}部" for n in range(40)} | {"办公室"}
    # Every item is reminded, each as the planner plans it: none left out, none twice.
    assert all(planned.values())
    assert reminders == planned


async def test_a_reimport_moves_the_reminders_of_a_moved_deadline_and_leaves_the_rest(bot, october):
    first = await _imported(bot, sample_text())
    await _press(bot, first[-1], "确认")
    async with bot.db.session() as session:
        before = set(await session.execute(select(Reminder.id, Reminder.item_id)))
    revised = _revise(sample_text(), "二、迎接全总", "十月份", "10月20日")
    replies = await _imported(bot, revised)
    await _press(bot, replies[-1], "确认导入")

    moved = (await _item_row(bot, 2)).id
    async with bot.db.session() as session:
        after = set(await session.execute(select(Reminder.id, Reminder.item_id)))
        due = await session.scalars(
            select(Reminder.fire_at).where(Reminder.item_id == moved, Reminder.kind == "due")
        )
        due_days = [fire_at.date() for fire_at in due]
    assert {row for row in after if row.item_id != moved} == {
        row for row in before if row.item_id != moved
    }, "the other items' reminders are the very same rows"
    # Due on the 20th now, no longer on the last working day of October (the 30th).
    assert due_days == [date(2020, 10, 20)]


PARTNERS_PLAN = (
    "2020年10月工作计划\n"
    "1.筹备工联会换届（责任领导：高启秀；牵头单位：组织部；配合单位：工联会；完成时限：10月20日）\n"
    "2.做好统计年报（责任领导：董军；责任部室：办公室；完成时限：10月30日）\n"
)


async def test_the_preview_names_partners_and_a_partner_made_responsible_is_a_change(bot, october):
    replies = await bot.say("/import " + PARTNERS_PLAN, user=bot.admin)
    text = "\n".join(r.text for r in replies)
    assert "责任部室：组织部｜配合：工联会｜完成时限" in text
    assert "责任部室：办公室｜完成时限" in text, "no 配合 where the item names none"
    await _press(bot, replies[-1], "确认")
    async with bot.db.session() as session:
        plan = await session.scalar(select(Plan))
        items = await items_with_links(session, plan.id)
    assert [(d.department.name, d.role) for d in items[0].department_links] == [
        ("组织部", "lead"),
        ("工联会", "assist"),
    ]

    both = PARTNERS_PLAN.replace("牵头单位：组织部；配合单位：工联会", "牵头单位：组织部、工联会")
    replies = await bot.say("/import " + both, user=bot.admin)
    text = "\n".join(r.text for r in replies)
    assert "第1项 责任部室：组织部｜配合：工联会 → 组织部、工联会" in text
    await _press(bot, replies[-1], "确认导入")
    async with bot.db.session() as session:
        items = await items_with_links(session, plan.id)
    assert [d.role for d in items[0].department_links] == ["lead", "lead"]
    (card,) = await bot.say("/item 1")
    # The history says both lists in words.
    assert "责任部室：组织部 → 组织部、工联会；配合单位：工联会 → （无）" in card.text


async def test_an_english_preview_names_partners(tmp_path, october):
    async with running_bot(tmp_path, i18n={"locale": "en"}) as harness:
        replies = await harness.say("/import " + PARTNERS_PLAN, user=harness.admin)
        text = "\n".join(r.text for r in replies)
        assert "departments: 组织部 | partners: 工联会 | deadline" in text
