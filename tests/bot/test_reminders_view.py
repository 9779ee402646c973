"""How a reminder looks, and how a long one is split into messages that each stand alone."""

from __future__ import annotations

import dataclasses
from datetime import date

from bot.views.reminder import MAX_ITEMS, render, seq_ranges
from bot.views.render import visible_length
from jobs.entries import AckState, DepartmentRef, Entry, MessageContent, PersonRef, Section

TITLE = "迎接全总困难职工解脱困第三方评估抽查和2019年帮扶资金、送温暖资金审计工作"


def _entry(seq: int, *, title: str = TITLE, escalated: bool = False) -> Entry:
    return Entry(
        item_id=100 + seq,
        plan_year=2020,
        plan_month=10,
        seq=seq,
        title=title,
        deadline=date(2020, 10, 31),
        deadline_text="十月份",
        recurring=False,
        days_left=-4 if escalated else 1,
        marker="overdue" if escalated else "behind",
        escalated=escalated,
        progress=0,
        leaders=(PersonRef("高启秀", 11, True), PersonRef("郭红萍")),
        departments=(DepartmentRef("权益保障部", (PersonRef("小王<b>", 21, True),)),),
        supervisors=(PersonRef("官庆军", 99, True),) if escalated else (),
        acks=AckState(("小王<b>",), ("高启秀", "郭红萍")),
    )


def _content(*sections: Section) -> MessageContent:
    return MessageContent(-100, "zh_CN", date(2020, 10, 30), sections)


def test_one_item_block_pings_the_bound_and_escapes_everything():
    (part,) = render(_content(Section("reminders", (_entry(3),))))
    assert part.text.splitlines() == [
        "⏰ <b>工作提醒</b> · 10月30日 周五",
        "",
        f"<b>3.</b> {TITLE}",
        "　　完成时限：2020-10-31，明天到期",
        '　　责任领导：<a href="tg://user?id=11">高启秀</a>、郭红萍　'
        '责任部室：权益保障部（<a href="tg://user?id=21">小王&lt;b&gt;</a>）',
        "　　已确认：小王&lt;b&gt;　未确认：高启秀、郭红萍",
    ]
    assert part.buttons == ((103, 3),) and part.kind == "reminder"
    assert [b.text for row in part.keyboard("zh_CN").inline_keyboard for b in row] == [
        "✅ 完成",
        "👀 收到",
        "⏰ 明天再提醒",
    ]


def test_supervisors_are_named_once_under_the_escalated_items():
    (part,) = render(
        _content(Section("reminders", tuple(_entry(n, escalated=True) for n in (1, 2, 3))))
    )
    assert part.text.count("🔴 ") == 3
    assert part.text.endswith('请督办：<a href="tg://user?id=99">官庆军</a>（第 1–3 项已逾期多日）')


def test_a_long_reminder_is_split_into_messages_that_each_stand_alone():
    entries = tuple(_entry(n) for n in range(1, 81))
    parts = render(
        _content(Section("reminders", entries), Section("weekly", (_entry(90),), 2020, 10))
    )
    assert len(parts) >= 3
    assert [i for p in parts for i in p.item_ids] == [e.item_id for e in entries] + [190]
    for part in parts:
        assert visible_length(part.text) <= 4096
        assert part.text.startswith("⏰ <b>工作提醒</b> · 10月30日 周五")
        assert len(part.buttons) <= MAX_ITEMS
        assert {i for i, _ in part.buttons} <= set(part.item_ids)
    assert parts[-1].text.splitlines()[-2:] == [
        "📋 <b>2020年10月其他未完成事项</b>",
        f"🟡 <b>90.</b> {TITLE}｜2020-10-31，明天到期 · 未确认：高启秀、郭红萍",
    ]


def test_a_title_pasted_with_its_whole_paragraph_is_shortened():
    (part,) = render(_content(Section("reminders", (_entry(1, title="很长" * 3000),))))
    assert visible_length(part.text) < 1000 and "…" in part.text


def test_item_numbers_are_written_as_ranges():
    assert seq_ranges([1, 2, 3, 5, 7, 8], "zh_CN") == "1–3、5、7–8"
    assert seq_ranges([4], "en") == "4"


def test_items_of_a_quarters_and_a_years_plan_are_named_by_their_period():
    month = _entry(1)
    quarter = dataclasses.replace(_entry(2), plan_month=0, plan_quarter=4)
    year = dataclasses.replace(_entry(3), plan_month=0, plan_quarter=0)
    (part,) = render(_content(Section("reminders", (month, quarter, year))))
    labels = [line.split("</b>")[0] for line in part.text.splitlines() if line.startswith("<b>")]
    assert labels == ["<b>2020-10#1", "<b>2020Q4#2", "<b>2020#3"]
    weekly = render(_content(Section("weekly", (year,), 2020, 0, 0)))[0]
    assert "2020年" in weekly.text and "2020年0月" not in weekly.text
