"""/summary, /export and /stats end to end: the real Application against the sandbox."""

from __future__ import annotations

import io
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
import time_machine
from docx import Document
from icalendar import Calendar
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from storage.chats import get_chat
from storage.models import Item, ItemEvent
from storage.people import bind_person
from tests.support.harness import running_bot
from tests.support.reports import at, seed_october

# 2020-11-03 10:00 in Shanghai: the October plan is three days overdue.
NOV_3 = datetime(2020, 11, 3, 2, 0, tzinfo=UTC)


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path, org={"name": "荆州市总工会"}) as harness:
        yield harness


@pytest.fixture
async def seeded(bot):
    async with bot.db.session() as session:
        await seed_october(session, bot.group.id, title=bot.group.title)
    return bot


@contextmanager
def on_nov_3():
    with time_machine.travel(NOV_3, tick=True):
        yield


def _text(messages) -> str:
    return "\n".join(m.text or m.caption or "" for m in messages)


async def _set_locale(bot, locale: str) -> None:
    async with bot.db.session() as session:
        chat = await get_chat(session, bot.group.id)
        chat.locale = locale


# -- /summary ---------------------------------------------------------------------------------


async def test_summary_carries_the_notes_under_numbered_sections_and_lists_the_unfinished(seeded):
    with on_nov_3():
        replies = await seeded.say("/summary 10月")
    assert len(replies) == 1 and replies[0].document is None, "a short draft is one message"
    text = replies[0].text
    assert text.startswith("荆州市总工会十月份工作综述\n\n一、扎实开展2020年“扶贫日”活动\n\n")
    assert (
        "10月8日，与帮扶村对接，确定活动方案（进度50%）。10月12日，筹集帮扶资金12万元。"
        "10月17日，在石首市举办扶贫日活动，慰问困难户200户。"
    ) in text
    assert (
        "二、筹备好工业制造业工会联合会换届工作\n\n10月20日，完成换届方案初稿（进度60%）。" in text
    )
    assert "三、继续开展职工素质大讲堂活动\n\n11月2日，举办职工素质大讲堂两期。" in text
    assert "四、" not in text, "no section without a report; the undone note is gone"
    assert "误报" not in text
    unfinished = text[text.index("未完成事项") :]
    assert unfinished.count("尚无进展报告") == 7
    assert (
        "（四）筹备好工业制造业工会联合会换届工作。责任领导：高启秀；"
        "责任部室：组织部、工业制造业工会联合会；完成时限：十月份，已逾期3天；"
        "最近报告：10月20日，完成换届方案初稿（进度60%）。"
    ) in unfinished
    assert "（一）" not in unfinished and "（六）" not in unfinished, "done items are not listed"
    assert "<b>荆州市总工会十月份工作综述</b>" in replies[0].html
    assert text.endswith("请核对后使用。）")


async def test_summary_without_a_month_is_the_current_plan_and_english_chats_get_english(seeded):
    await _set_locale(seeded, "en")
    with on_nov_3():
        replies = await seeded.say("/summary")
    text = replies[0].text
    assert text.startswith("荆州市总工会: Work summary, October 2020\n\n1. 扎实开展")
    assert "8 October: 与帮扶村对接，确定活动方案 (50% done)." in text
    assert "Not yet done" in text and "overdue by 3 day(s)" in text


async def test_a_long_draft_comes_in_several_messages_and_as_a_word_document(seeded):
    async with seeded.db.session() as session:
        item = await session.scalar(select(Item).where(Item.seq == 3))
        for n in range(60):
            note = f"第{n + 1}次对接东莞企业，落实岗位{n + 10}个，" + "组织宣传发动，" * 8
            session.add(
                ItemEvent(item_id=item.id, kind="note", text=note, created_at=at(10, 1 + n % 28))
            )
    with on_nov_3():
        replies = await seeded.say("/summary")
    texts, documents = replies[:-1], replies[-1]
    assert len(texts) >= 2 and all(m.text for m in texts)
    assert all(len(m.text) <= 4096 for m in texts)
    assert documents.document is not None and documents.document.filename.endswith(".docx")
    assert "Word" in documents.caption
    paragraphs = [p.text for p in Document(io.BytesIO(documents.document.content)).paragraphs]
    assert paragraphs[0] == "荆州市总工会十月份工作综述"
    assert any("第60次对接东莞企业" in p for p in paragraphs)


async def test_month_words_and_refusals(seeded):
    with on_nov_3():
        assert "一、扎实开展" in (await seeded.say("/summary october"))[0].text
        assert "一、扎实开展" in (await seeded.say("/summary 2020-10"))[0].text
        bad = await seeded.say("/summary 十三月")
        nov = await seeded.say("/summary 11月")
    assert bad[0].text == "看不懂月份“十三月”。例：/summary 10月（也可写 十月、2020-10、october）"
    assert nov[0].text == "本群没有 2020年11月 的工作计划。已有：2020年10月。"


async def test_a_group_without_plans_is_told_how_to_get_one(bot):
    replies = await bot.say("/stats")
    assert replies[0].text.startswith("本群还没有工作计划，请管理员先用 /import 导入。")


async def test_a_private_question_is_about_the_group_the_sender_is_bound_in(seeded):
    async with seeded.db.session() as session:
        group = await get_chat(session, seeded.group.id)
        await bind_person(session, group.id, "董军", seeded.member.id)
    private = seeded.sandbox.private_chat(seeded.member)
    with on_nov_3():
        replies = await seeded.say("/summary", chat=private)
        stranger = seeded.sandbox.add_user("路人")
        refused = await seeded.say(
            "/export xlsx", user=stranger, chat=seeded.sandbox.private_chat(stranger)
        )
    assert replies[0].text.startswith("荆州市总工会十月份工作综述")
    assert refused[0].text.startswith("请在工作群里发送这个命令")


# -- /export ---------------------------------------------------------------------------------


async def test_export_sends_each_format_as_a_document(seeded):
    with on_nov_3():
        xlsx = (await seeded.say("/export 10月 xlsx"))[0]
        docx = (await seeded.say("/export word"))[0]
        md = (await seeded.say("/export md october"))[0]
        ics = (await seeded.say("/export .ics"))[0]
    assert xlsx.document.filename == "2020年10月工作计划.xlsx"
    assert xlsx.caption == "2020年10月 工作计划（xlsx）"
    sheet = load_workbook(io.BytesIO(xlsx.document.content))["工作计划"]
    assert sheet["B5"].value == "筹备好工业制造业工会联合会换届工作"
    assert sheet["D5"].value == "组织部（未完成）、工业制造业工会联合会（未完成）"
    assert sheet["F5"].value == "逾期3天未完成（进度60%）"
    assert sheet["G2"].value == datetime(2020, 10, 17)

    assert docx.document.filename == "2020年10月工作计划.docx"
    document = Document(io.BytesIO(docx.document.content))
    assert document.paragraphs[0].text == "荆州市总工会十月份工作综述"
    assert document.tables[0].rows[6].cells[5].text == "已完成（逾期2天）"

    assert md.document.content.decode("utf-8").startswith("# 荆州市总工会十月份工作综述")

    events = Calendar.from_ical(ics.document.content).walk("VEVENT")
    assert len(events) == 10 and events[9].decoded("dtstart").isoformat() == "2020-10-31"


async def test_export_in_english_names_the_file_in_english(seeded):
    await _set_locale(seeded, "en")
    with on_nov_3():
        reply = (await seeded.say("/export xlsx"))[0]
    assert reply.document.filename == "work-plan-2020-10.xlsx"
    workbook = load_workbook(io.BytesIO(reply.document.content))
    assert workbook.sheetnames == ["Plan", "Updates"]
    assert workbook["Plan"]["F2"].value == "done"


async def test_export_without_a_format_says_which_there_are(seeded):
    for text in ("/export", "/export 10月", "/export pdf"):
        replies = await seeded.say(text)
        assert replies[0].text == "请写明导出格式：docx、xlsx、md 或 ics。例：/export 10月 xlsx"
    assert (await seeded.say("/export 十三月 xlsx"))[0].text.startswith("看不懂月份“十三月”")


async def test_export_in_a_forum_topic_is_answered_there(bot):
    forum = bot.sandbox.add_chat("supergroup", title="论坛", is_forum=True)
    async with bot.db.session() as session:
        await seed_october(session, forum.id, title="论坛")
    with on_nov_3():
        replies = await bot.say("/export ics", chat=forum, thread_id=7)
    assert replies[0].thread_id == 7 and replies[0].document.filename.endswith(".ics")


# -- /stats ----------------------------------------------------------------------------------


async def test_stats_as_text_and_as_a_chart(seeded):
    with on_nov_3():
        replies = await seeded.say("/stats 10月")
    text, photo = replies[0].text, replies[-1]
    assert text.startswith(
        "2020年10月 完成情况统计\n全部 10 项：完成 2 项（20%），按时完成 1/10（10%）"
    )
    assert "权益保障部：完成 1/4（25%），按时 1/4（25%）" in text
    assert "宣教网络部：完成 1/2（50%），按时 0/2（0%）" in text
    assert "组织部：完成 0/1（0%），按时 0/1（0%）" in text
    assert "董军：完成 0/1（0%），按时 0/1（0%）" in text
    assert text.index("按责任部室") < text.index("按责任领导")
    assert photo.photo is not None and photo.caption == "2020年10月 完成率与按时完成率"
    image = Image.open(io.BytesIO(photo.photo))
    assert image.format == "PNG" and image.size == (1000, 925)


async def test_stats_in_english(seeded):
    await _set_locale(seeded, "en")
    with on_nov_3():
        replies = await seeded.say("/stats")
    assert replies[0].text.startswith("Completion, October 2020\nAll 10 items: 2 done (20%)")
    assert replies[-1].caption == "Completion and on-time rates, October 2020"
