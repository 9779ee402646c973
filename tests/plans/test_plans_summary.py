"""The 工作综述 composer and the month's figures, on plain data."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from bot.exports.common import summary_phrases
from plans.summary import (
    Layout,
    MonthReport,
    ReportItem,
    ReportUpdate,
    compose_summary,
    day_label,
    month_stats,
    numeral,
)

SHANGHAI = timezone(timedelta(hours=8))
TODAY = date(2020, 11, 3)
ZH = summary_phrases("zh_CN")
EN = summary_phrases("en")
_ids = iter(range(1, 10_000))


def report_on(
    day: int,
    kind: str,
    text: str = "",
    percent: int | None = None,
    *,
    month: int = 10,
    data: dict[str, object] | None = None,
) -> ReportUpdate:
    at = datetime(2020, month, day, 10, 0, tzinfo=SHANGHAI)
    return ReportUpdate(next(_ids), kind, text, percent, at, "高启秀", data)


def item(seq: int, title: str, *updates: ReportUpdate, **kw: object) -> ReportItem:
    fields: dict[str, object] = {
        "leaders": ("高启秀",),
        "departments": ("权益保障部",),
        "deadline": date(2020, 10, 31),
        "deadline_text": "十月份",
    }
    fields.update(kw)
    return ReportItem(seq, seq, title, updates=updates, **fields)  # type: ignore[arg-type]


def october(*items: ReportItem) -> MonthReport:
    return MonthReport(-1001, 2020, 10, "荆州市总工会十月份工作计划", items)


def sample_month() -> MonthReport:
    return october(
        item(
            1,
            "扎实开展2020年“扶贫日”活动",
            report_on(8, "progress", "与帮扶村对接，确定活动方案", 50),
            report_on(12, "note", "筹集帮扶资金12万元。"),
            report_on(17, "done", "在石首市举办扶贫日活动，慰问困难户200户", 100),
            done=True,
            progress=100,
            done_on=date(2020, 10, 17),
        ),
        item(2, "迎接全总困难职工解脱困第三方评估抽查", report_on(9, "ack")),
        item(
            4,
            "筹备好工业制造业工会联合会换届工作",
            report_on(20, "progress", "完成换届方案初稿", 60),
            leaders=("高启秀", "董军"),
            departments=("组织部", "工业制造业工会联合会"),
            progress=60,
        ),
    )


def test_notes_are_told_in_time_order_under_their_numbered_sections():
    draft = compose_summary(sample_month(), today=TODAY, org="荆州市总工会", phrases=ZH)
    assert draft.title == "荆州市总工会十月份工作综述"
    assert [s.heading for s in draft.sections] == [
        "一、扎实开展2020年“扶贫日”活动",
        "二、筹备好工业制造业工会联合会换届工作",
    ]
    assert draft.sections[0].paragraph == (
        "10月8日，与帮扶村对接，确定活动方案（进度50%）。"
        "10月12日，筹集帮扶资金12万元。"
        "10月17日，在石首市举办扶贫日活动，慰问困难户200户。"
    )
    assert draft.sections[1].paragraph == "10月20日，完成换届方案初稿（进度60%）。"
    assert [s.item_seq for s in draft.sections] == [1, 4]


def test_unfinished_items_name_leaders_departments_lateness_and_the_last_report():
    draft = compose_summary(sample_month(), today=TODAY, org="", phrases=ZH)
    assert draft.title == "十月份工作综述"
    assert draft.unfinished_heading == "未完成事项"
    assert draft.unfinished == (
        "（二）迎接全总困难职工解脱困第三方评估抽查。责任领导：高启秀；责任部室：权益保障部；"
        "完成时限：十月份，已逾期3天；尚无进展报告。",
        "（四）筹备好工业制造业工会联合会换届工作。责任领导：高启秀、董军；"
        "责任部室：组织部、工业制造业工会联合会；完成时限：十月份，已逾期3天；"
        "最近报告：10月20日，完成换届方案初稿（进度60%）。",
    )
    text = draft.text()
    assert text.index("一、") < text.index("二、") < text.index("未完成事项")


def test_nothing_is_invented_for_items_nobody_reported_on():
    report = october(item(1, "做好工会信访维稳工作", report_on(3, "ack"), report_on(4, "snooze")))
    draft = compose_summary(report, today=date(2020, 10, 20), org="", phrases=ZH)
    assert draft.sections == ()
    assert draft.note == "本月尚无进展报告。"
    assert draft.unfinished == (
        "（一）做好工会信访维稳工作。责任领导：高启秀；责任部室：权益保障部；"
        "完成时限：十月份；尚无进展报告。",
    )


def test_a_bare_done_says_completed_and_an_undone_report_is_left_out():
    wrong = report_on(10, "progress", "误报", 90)
    report = october(
        item(1, "甲", report_on(11, "done"), done=True, done_on=date(2020, 10, 11)),
        item(2, "乙", wrong, report_on(10, "undo", data={"undoes": wrong.id})),
        # Reopened after a bare "done": the item is not done, so "completed" would be false.
        item(3, "丙", report_on(5, "done"), report_on(6, "reopen")),
    )
    draft = compose_summary(report, today=date(2020, 10, 20), org="", phrases=ZH)
    assert [(s.heading, s.paragraph) for s in draft.sections] == [
        ("一、甲", "10月11日，该项工作完成。")
    ]
    assert "误报" not in draft.text()
    assert len(draft.unfinished) == 2 and "尚无进展报告" in draft.unfinished[0]


def test_a_note_that_names_its_own_day_is_not_dated_twice_and_days_group_sentences():
    report = october(
        item(
            1,
            "甲",
            report_on(8, "note", "9月8日，助学金发放仪式圆满举行"),
            report_on(8, "note", "资助近800名学生"),
            report_on(9, "progress", percent=30),
        )
    )
    paragraph = compose_summary(report, today=TODAY, org="", phrases=ZH).sections[0].paragraph
    assert paragraph == "9月8日，助学金发放仪式圆满举行。资助近800名学生。10月9日，进度达到30%。"


def test_every_item_done_says_so_in_the_closing_part():
    report = october(
        item(1, "甲", report_on(3, "done", "办结"), done=True, done_on=date(2020, 10, 3))
    )
    draft = compose_summary(report, today=TODAY, org="", phrases=ZH)
    assert draft.unfinished == () and draft.unfinished_note == "本月计划事项均已完成。"
    assert draft.text().endswith("未完成事项\n\n本月计划事项均已完成。")


def test_english_layout():
    draft = compose_summary(sample_month(), today=TODAY, org="Jingzhou FTU", phrases=EN)
    assert draft.title == "Jingzhou FTU: Work summary, October 2020"
    assert draft.sections[0].heading == "1. 扎实开展2020年“扶贫日”活动"
    assert draft.sections[0].paragraph.startswith(
        "8 October: 与帮扶村对接，确定活动方案 (50% done). 12 October: 筹集帮扶资金12万元。 "
    )
    assert draft.unfinished_heading == "Not yet done"
    assert draft.unfinished[1] == (
        "(4) 筹备好工业制造业工会联合会换届工作. Leaders: 高启秀, 董军; "
        "departments: 组织部, 工业制造业工会联合会; due 十月份, overdue by 3 day(s); "
        "last report 20 October: 完成换届方案初稿 (60% done)."
    )


def test_numbers_and_dates_as_the_document_writes_them():
    assert [numeral(n, Layout.ZH) for n in (1, 10, 11, 20, 99, 100)] == [
        "一",
        "十",
        "十一",
        "二十",
        "九十九",
        "100",
    ]
    assert numeral(11, Layout.EN) == "11"
    assert day_label(date(2020, 9, 8), Layout.ZH) == "9月8日"
    assert day_label(date(2020, 9, 8), Layout.EN) == "8 September"
    report = october(*(item(n, f"事项{n}", report_on(1, "note", "有进展")) for n in range(1, 13)))
    headings = [
        s.heading for s in compose_summary(report, today=TODAY, org="", phrases=ZH).sections
    ]
    assert headings[9:] == ["十、事项10", "十一、事项11", "十二、事项12"]


def test_stats_per_department_and_leader():
    report = october(
        item(1, "按时", done=True, done_on=date(2020, 10, 30)),
        item(
            2,
            "逾期完成",
            done=True,
            done_on=date(2020, 11, 2),
            departments=("权益保障部", "组织部"),
        ),
        item(3, "未完成", leaders=("董军",), departments=("组织部",)),
        item(4, "长期", deadline=None, deadline_text="长期", recurring=True, leaders=("董军",)),
    )
    stats = month_stats(report, TODAY)
    overall = stats.overall
    assert (overall.total, overall.done, overall.due, overall.on_time) == (4, 2, 3, 1)
    assert overall.completion_rate == 0.5 and overall.on_time_rate == 1 / 3
    by_department = {g.name: (g.total, g.done, g.due, g.on_time) for g in stats.departments}
    assert by_department == {"权益保障部": (3, 2, 2, 1), "组织部": (2, 1, 2, 0)}
    assert [g.name for g in stats.leaders] == ["高启秀", "董军"]
    dong = stats.leaders[1]
    assert (dong.total, dong.done, dong.due, dong.on_time_rate) == (2, 0, 1, 0.0)


def test_on_time_rate_is_none_while_nothing_is_due():
    report = october(item(1, "未到期"))
    assert month_stats(report, date(2020, 10, 10)).overall.on_time_rate is None
