"""The exports, each file opened with its own library: Word, Excel, Markdown, iCalendar, PNG.

The month is the sample's October plan stored through storage, with history rows written the
way the reporting commands write them (`seed_october`, tests/support/reports.py).
"""

from __future__ import annotations

import io
import warnings
from datetime import UTC, date, datetime

import pytest
from docx import Document
from docx.oxml.ns import qn
from icalendar import Calendar
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from bot.exports import make_export
from bot.exports.chart import chart_size, font_path, stats_png
from bot.exports.common import draft_summary
from plans.parser import parse_plan
from plans.summary import MonthReport, month_stats
from storage.chats import get_or_create_chat
from storage.db import Database
from storage.models import Item, ItemEvent
from storage.plans import save_parsed_plan
from storage.reports import month_report, plan_for_month
from tests.support.fonts import missing_glyphs
from tests.support.reports import SHANGHAI, at, seed_october

TODAY = date(2020, 11, 3)
NOW = datetime(2020, 11, 3, 2, 0, tzinfo=UTC)
ORG = "荆州市总工会"


async def load(db: Database, tg_chat_id: int = -1001) -> MonthReport:
    async with db.session() as session:
        chat = await get_or_create_chat(session, tg_chat_id)
        plan = await plan_for_month(session, chat.id, (None, 10), TODAY)
        assert plan is not None
        return await month_report(session, chat, plan, SHANGHAI)


@pytest.fixture
async def report(db: Database) -> MonthReport:
    async with db.session() as session:
        await seed_october(session, -1001)
    return await load(db)


def export(report: MonthReport, fmt: str, locale: str = "zh_CN") -> bytes:
    return make_export(fmt, report, locale=locale, today=TODAY, now=NOW, org=ORG).data


# -- storage ---------------------------------------------------------------------------------


async def test_the_report_carries_items_people_and_history_in_office_time(report):
    assert (report.year, report.month, report.tg_chat_id) == (2020, 10, -1001)
    assert [item.seq for item in report.items] == list(range(1, 11))
    first, fourth = report.items[0], report.items[3]
    assert first.done and first.done_on == date(2020, 10, 17)
    assert [u.kind for u in first.updates] == ["progress", "note", "done"]
    assert first.updates[1].day == date(2020, 10, 12)
    assert fourth.departments == ("组织部", "工业制造业工会联合会")
    assert fourth.leaders == ("高启秀",) and fourth.progress == 60
    assert report.items[7].reports() == [], "the undone note is not a report"


async def test_a_month_without_a_year_is_the_most_recent_plan_of_that_month(db):
    async with db.session() as session:
        chat = await seed_october(session, -1001)
        assert chat.id is not None
        january = date(2021, 1, 5)
        plan = await plan_for_month(session, chat.id, (None, 10), january)
        assert plan is not None and (plan.year, plan.month) == (2020, 10)
        assert await plan_for_month(session, chat.id, (2021, 10), january) is None
        assert await plan_for_month(session, chat.id, (None, 11), january) is None
        current = await plan_for_month(session, chat.id, None, january)
        assert current is not None and current.month == 10


# -- Word ------------------------------------------------------------------------------------


def _east_asian_font(style) -> str | None:
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


async def test_docx_has_the_summary_then_the_status_table_in_chinese_fonts(report):
    document = Document(io.BytesIO(export(report, "docx")))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[0] == "荆州市总工会十月份工作综述"
    assert paragraphs[1:5] == [
        "一、扎实开展2020年“扶贫日”活动",
        "10月8日，与帮扶村对接，确定活动方案（进度50%）。10月12日，筹集帮扶资金12万元。"
        "10月17日，在石首市举办扶贫日活动，慰问困难户200户。",
        "二、筹备好工业制造业工会联合会换届工作",
        "10月20日，完成换届方案初稿（进度60%）。",
    ]
    assert "三、继续开展职工素质大讲堂活动" in paragraphs
    unfinished = paragraphs[paragraphs.index("未完成事项") + 1 :]
    assert [line[: line.index("）") + 1] for line in unfinished[:8]] == [
        "（二）",
        "（三）",
        "（四）",
        "（五）",
        "（七）",
        "（八）",
        "（九）",
        "（十）",
    ]
    assert "已逾期3天" in unfinished[2] and "最近报告：10月20日，完成换届方案初稿" in unfinished[2]

    table = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == [
        "序号",
        "工作任务",
        "责任领导",
        "责任部室",
        "完成时限",
        "完成情况",
        "完成日期",
    ]
    assert len(rows) == 11
    assert rows[1] == [
        "1",
        "扎实开展2020年“扶贫日”活动",
        "高启秀",
        "权益保障部",
        "十月份（2020-10-31）",
        "已完成",
        "2020-10-17",
    ]
    assert rows[4][3] == "组织部（未完成）、工业制造业工会联合会（未完成）"
    assert rows[4][5] == "逾期3天未完成（进度60%）" and rows[4][6] == ""
    assert rows[6][5] == "已完成（逾期2天）" and rows[6][6] == "2020-11-02"
    assert rows[10][2] == "董军" and rows[10][3] == "办公室"

    styles = document.styles
    assert _east_asian_font(styles["Normal"]) == "仿宋"
    assert styles["Normal"].font.name == "Times New Roman"
    assert _east_asian_font(styles["Heading 1"]) == "黑体"
    assert _east_asian_font(styles["Title"]) == "宋体"
    assert _east_asian_font(styles["Plan Table Text"]) == "宋体"
    for name in ("Normal", "Title", "Heading 1"):
        r_fonts = styles[name].element.rPr.rFonts
        assert r_fonts.get(qn("w:eastAsiaTheme")) is None, "a theme font would override ours"
    assert table.rows[1].cells[1].paragraphs[0].style.name == "Plan Table Text"


async def test_docx_in_english(report):
    document = Document(io.BytesIO(export(report, "docx", "en")))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[0] == "荆州市总工会: Work summary, October 2020"
    assert texts[1] == "1. 扎实开展2020年“扶贫日”活动"
    assert "Not yet done" in texts
    header = [cell.text for cell in document.tables[0].rows[0].cells]
    assert header == ["No.", "Task", "Leaders", "Departments", "Deadline", "Status", "Done on"]


# -- Excel -----------------------------------------------------------------------------------


async def test_xlsx_has_one_row_per_item_with_real_dates_and_a_sheet_of_updates(report):
    workbook = load_workbook(io.BytesIO(export(report, "xlsx")))
    assert workbook.sheetnames == ["工作计划", "进展记录"]
    items = workbook["工作计划"]
    rows = list(items.iter_rows(values_only=True))
    assert rows[0] == (
        "序号",
        "工作任务",
        "责任领导",
        "责任部室",
        "完成时限",
        "完成情况",
        "完成日期",
        "进度",
        "最近进展",
    )
    assert len(rows) == 11
    first = rows[1]
    assert first[:4] == (1, "扎实开展2020年“扶贫日”活动", "高启秀", "权益保障部")
    assert first[4] == datetime(2020, 10, 31) and first[6] == datetime(2020, 10, 17)
    assert first[5] == "已完成" and first[7] == 1
    assert first[8] == "10月17日，在石首市举办扶贫日活动，慰问困难户200户"
    fourth = rows[4]
    assert fourth[3] == "组织部（未完成）、工业制造业工会联合会（未完成）" and fourth[6] is None
    assert fourth[7] == 0.6 and fourth[8] == "10月20日，完成换届方案初稿 (60%)"
    assert rows[2][8] is None, "nobody reported on item 2"
    assert items["E2"].is_date and items["E2"].number_format == "yyyy-mm-dd"
    assert items["H2"].number_format == "0%"
    assert items.freeze_panes == "A2"
    assert items.auto_filter.ref == "A1:I11"

    updates = workbook["进展记录"]
    history = list(updates.iter_rows(values_only=True))
    assert history[0] == (
        "序号",
        "工作任务",
        "时间",
        "类型",
        "报告人",
        "进度",
        "内容",
        "佐证材料",
    )
    assert [row[3] for row in history[1:4]] == ["进展", "备注", "完成"]
    assert history[2][2] == datetime(2020, 10, 12, 1, 30), "office wall-clock time"
    assert {row[3] for row in history[1:]} >= {"撤销", "收到提醒"}
    assert updates.freeze_panes == "A2" and updates.auto_filter.ref == f"A1:H{len(history)}"


# -- Markdown --------------------------------------------------------------------------------


async def test_markdown_is_the_summary_and_the_table_as_text(report):
    text = export(report, "md").decode("utf-8")
    assert text.startswith("# 荆州市总工会十月份工作综述\n\n## 一、扎实开展2020年“扶贫日”活动\n")
    assert "## 未完成事项" in text and "## 2020年10月工作计划完成情况" in text
    assert "| 序号 | 工作任务 | 责任领导 | 责任部室 | 完成时限 | 完成情况 | 完成日期 |" in text
    assert (
        "| 4 | 筹备好工业制造业工会联合会换届工作 | 高启秀 | "
        "组织部（未完成）、工业制造业工会联合会（未完成） | "
        "十月份（2020-10-31） | 逾期3天未完成（进度60%） |  |"
    ) in text
    assert text.index("## 一、") < text.index("## 未完成事项") < text.index("| 序号")


def test_a_pipe_in_a_title_does_not_break_the_table():
    from plans.summary import ReportItem

    odd = MonthReport(-1, 2020, 10, "", (ReportItem(1, 1, "甲|乙\n丙"),))
    text = make_export("md", odd, locale="zh_CN", today=TODAY, now=NOW, org="").data.decode()
    assert "| 1 | 甲\\|乙 丙 |" in text


# -- iCalendar -------------------------------------------------------------------------------


async def test_ics_has_one_all_day_event_per_deadline_with_stable_uids(report, db):
    calendar = Calendar.from_ical(export(report, "ics"))
    events = calendar.walk("VEVENT")
    assert len(events) == 10
    first = events[0]
    assert first.decoded("dtstart") == date(2020, 10, 31)
    assert first.decoded("dtend") == date(2020, 11, 1)
    assert str(first["summary"]) == "✅ 1. 扎实开展2020年“扶贫日”活动"
    assert (
        str(events[1]["summary"])
        == "2. 迎接全总困难职工解脱困第三方评估抽查和2019年帮扶资金、送温暖资金审计工作"
    )
    description = str(events[3]["description"])
    assert "责任领导：高启秀" in description
    assert "组织部（未完成）、工业制造业工会联合会（未完成）" in description
    assert "逾期3天未完成" in description
    assert str(calendar["x-wr-calname"]) == "2020年10月工作计划"
    uids = [str(event["uid"]) for event in events]
    assert len(set(uids)) == 10

    # Report on item 2 and move its deadline: the next export updates the same events.
    async with db.session() as session:
        item = await session.scalar(select(Item).where(Item.seq == 2))
        item.deadline = date(2020, 11, 15)
        session.add(ItemEvent(item_id=item.id, kind="extend", created_at=at(11, 1)))
    again = Calendar.from_ical(export(await load(db), "ics")).walk("VEVENT")
    assert [str(event["uid"]) for event in again] == uids
    assert again[1].decoded("dtstart") == date(2020, 11, 15)
    assert int(again[1]["sequence"]) > int(events[1]["sequence"])


async def test_items_without_a_date_have_no_event(db):
    async with db.session() as session:
        chat = await get_or_create_chat(session, -1001)
        await session.flush()
        text = "十月份工作计划\n一、做好信访维稳工作\n责任领导：高启秀\n完成时限：长期\n"
        await save_parsed_plan(session, chat.id, parse_plan(text, year=2020), text)
    calendar = Calendar.from_ical(export(await load(db), "ics"))
    assert calendar.walk("VEVENT") == []


# -- the chart -------------------------------------------------------------------------------


async def test_the_chart_is_a_png_of_the_expected_size_with_chinese_labels(report):
    stats = month_stats(report, TODAY)
    with warnings.catch_warnings():
        # matplotlib warns "Glyph … missing from font(s)" for every character it draws as a box.
        warnings.simplefilter("error")
        png = stats_png(stats, locale="zh_CN", month="2020年10月")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == chart_size(stats) == (1000, round((0.6 + 2 * 1.3 + 0.55 * 11) * 100))
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 50, "not a blank image"
    labels = "".join(g.name for g in (*stats.departments, *stats.leaders))
    labels += "2020年10月 完成情况按责任部室按责任领导完成率按时完成率"
    assert missing_glyphs(labels) == set()
    assert missing_glyphs("一😀") == {"😀"}, "the check can fail"
    assert font_path().name == "NotoSansCJKsc-Regular.otf"


def test_a_plan_without_departments_charts_all_items():
    report = MonthReport(-1, 2020, 10, "", ())
    stats = month_stats(report, TODAY)
    image = Image.open(io.BytesIO(stats_png(stats, locale="en", month="October 2020")))
    assert image.size == chart_size(stats)
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and (255, 255, 255) in {c for _, c in colours}
    assert len(colours) > 10


async def test_the_draft_and_the_docx_say_the_same(report):
    draft = draft_summary(report, locale="zh_CN", today=TODAY, org=ORG)
    document = Document(io.BytesIO(export(report, "docx")))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[: len(draft.blocks())] == [text for _, text in draft.blocks()]


def test_the_chat_draft_escapes_what_people_wrote():
    from bot.exports.html import summary_lines
    from plans.summary import ReportItem, ReportUpdate

    note = ReportUpdate(1, "note", "<b>已办</b> & 完成", None, datetime(2020, 10, 5, tzinfo=UTC))
    odd = MonthReport(-1, 2020, 10, "", (ReportItem(1, 1, "甲<乙>", updates=(note,)),))
    lines = summary_lines(draft_summary(odd, locale="zh_CN", today=TODAY, org=""), "zh_CN")
    assert "<b>一、甲&lt;乙&gt;</b>" in lines
    assert "10月5日，&lt;b&gt;已办&lt;/b&gt; &amp; 完成。" in lines
