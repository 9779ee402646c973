"""Progress collection's schedule words and times: pure functions, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from jobs.calendar import WorkCalendar
from jobs.collection import REPORT, REPORT_CHASE, ask_days, collection_times, next_ask
from jobs.outbox import chat_policy
from jobs.parse import (
    ChaseSpec,
    ReportSpec,
    format_chase,
    format_report,
    parse_chase,
    parse_report,
)
from jobs.policy import ReminderPolicy
from plans.percent import ProgressReport
from plans.report_answers import Answer, Problem, Unread, read_answers

SHANGHAI = ZoneInfo("Asia/Shanghai")
CN = WorkCalendar("CN")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fri 16:00", ReportSpec(weekday=4, at=time(16, 0))),
        ("Friday", ReportSpec(weekday=4)),
        ("周五 16:00", ReportSpec(weekday=4)),
        ("每周五 下午4点", ReportSpec(weekday=4)),
        ("星期一 9点半", ReportSpec(weekday=0, at=time(9, 30))),
        ("25 16:00", ReportSpec(day=25)),
        ("每月25日 16:00", ReportSpec(day=25)),
        ("25号", ReportSpec(day=25)),
        ("每月１日 ０８：３０", ReportSpec(day=1, at=time(8, 30))),
        ("31", ReportSpec(day=31)),
        ("off", None),
        ("关闭", None),
    ],
)
def test_report_times_read_in_either_language(text, expected):
    assert parse_report(text) == expected
    assert parse_report(format_report(expected)) == expected, "the canonical form reads back"


@pytest.mark.parametrize("text", ["周八 16:00", "32", "0", "每月", "fri 25:00", "", "sometimes"])
def test_a_bad_report_time_says_what_to_write(text):
    with pytest.raises(ValueError, match=r"e\.g\.|hours go 0-23|write hours"):
        parse_report(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("next", ChaseSpec()),
        ("次日", ChaseSpec()),
        ("下一个工作日 9点半", ChaseSpec(time(9, 30))),
        ("next 10:00", ChaseSpec(time(10, 0))),
        ("off", None),
        ("关闭", None),
    ],
)
def test_chase_times(text, expected):
    assert parse_chase(text) == expected
    assert parse_chase(format_chase(expected)) == expected


def test_a_bad_chase_time_says_what_to_write():
    with pytest.raises(ValueError, match="next 10:00"):
        parse_chase("tomorrow")


def test_weekly_asks_move_back_to_the_working_day_before_a_holiday():
    policy = ReminderPolicy(report="fri 16:00")
    # National Day 2020: Friday 2 October is a holiday, asked on Wednesday 30 September.
    days = ask_days(policy, CN, date(2020, 9, 21), date(2020, 10, 18))
    assert days == [date(2020, 9, 25), date(2020, 9, 30), date(2020, 10, 9), date(2020, 10, 16)]


def test_monthly_asks_on_the_day_or_the_working_day_before_and_the_last_of_a_short_month():
    assert ask_days(
        ReminderPolicy(report="25 16:00"), CN, date(2020, 10, 1), date(2020, 11, 30)
    ) == [
        date(2020, 10, 23),  # the 25th is a Sunday
        date(2020, 11, 25),
    ]
    assert ask_days(ReminderPolicy(report="31 16:00"), CN, date(2021, 2, 1), date(2021, 3, 31)) == [
        date(2021, 2, 26),  # February's last day is a Sunday: its Friday
        date(2021, 3, 31),
    ]


def test_the_chase_is_the_next_working_day_at_the_reminder_time_or_its_own():
    policy = ReminderPolicy(report="fri 16:00", remind_at=time(8, 30))
    times = collection_times(policy, CN, SHANGHAI, date(2020, 9, 28), date(2020, 10, 4))
    utc = lambda y, m, d, h, mi: datetime(y, m, d, h, mi, tzinfo=SHANGHAI).astimezone(UTC)  # noqa: E731
    # Asked on 30 September; the next working day is 9 October, after the holidays.
    assert times == {(REPORT, utc(2020, 9, 30, 16, 0)), (REPORT_CHASE, utc(2020, 10, 9, 8, 30))}
    own = ReminderPolicy(report="fri 16:00", report_chase="next 10:00")
    assert (REPORT_CHASE, utc(2020, 10, 9, 10, 0)) in collection_times(
        own, CN, SHANGHAI, date(2020, 9, 28), date(2020, 10, 4)
    )
    # Re-planned on the day of a chase, after its ask: the chase stays.
    later = collection_times(policy, CN, SHANGHAI, date(2020, 10, 9), date(2020, 10, 9))
    assert later == {
        (REPORT, utc(2020, 10, 9, 16, 0)),
        (REPORT_CHASE, utc(2020, 10, 9, 8, 30)),
        (REPORT_CHASE, utc(2020, 10, 10, 8, 30)),  # 9 October's, on the make-up Saturday
    }
    off = ReminderPolicy(report="fri 16:00", report_chase="off")
    assert {
        k for k, _ in collection_times(off, CN, SHANGHAI, date(2020, 9, 28), date(2020, 10, 4))
    } == {REPORT}
    assert (
        collection_times(ReminderPolicy(), CN, SHANGHAI, date(2020, 1, 1), date(2020, 12, 31))
        == set()
    )


def test_next_ask():
    policy = ReminderPolicy(report="fri 16:00")
    friday = datetime(2020, 10, 23, 16, 0, tzinfo=SHANGHAI)
    assert next_ask(policy, CN, SHANGHAI, datetime(2020, 10, 20, 10, tzinfo=SHANGHAI)) == friday
    assert next_ask(policy, CN, SHANGHAI, friday) == datetime(2020, 10, 30, 16, tzinfo=SHANGHAI)
    assert next_ask(ReminderPolicy(), CN, SHANGHAI, friday) is None


def test_a_policy_keeps_the_canonical_form_and_a_hand_edited_value_is_ignored():
    assert ReminderPolicy(report="每月25日", report_chase="次日 10点").report == "25 16:00"
    with pytest.raises(ValueError):
        ReminderPolicy(report="周八")
    stored = chat_policy(ReminderPolicy(), {"reminders": {"report": "周八", "digest": "tue 09:00"}})
    assert stored.report == "off" and stored.digest == "mon 09:00", "the defaults stand"
    assert (
        chat_policy(ReminderPolicy(), {"reminders": {"report": "fri 16:00"}}).report == "fri 16:00"
    )


# --- replies to an ask -----------------------------------------------------------------------


def answers(*pairs: tuple[int, int | None, str]) -> list[Answer]:
    return [Answer(seq, ProgressReport(percent, note)) for seq, percent, note in pairs]


@pytest.mark.parametrize(
    ("text", "listed", "sole", "expected"),
    [
        ("3 已完成一半", {3, 5}, None, answers((3, 50, ""))),
        ("3 60%", {3, 5}, None, answers((3, 60, ""))),
        (
            "第5项：初稿已完成\n正在征求意见",
            {3, 5},
            None,
            answers((5, None, "初稿已完成\n正在征求意见")),
        ),
        ("3 60%\n5 已报市总党组", {3, 5}, None, answers((3, 60, ""), (5, None, "已报市总党组"))),
        ("已与市委沟通", {4}, 4, answers((4, None, "已与市委沟通"))),
        ("80%", {3, 4}, 4, answers((4, 80, ""))),
        ("好的", {4}, 4, None),
        ("收到", {3, 5}, None, None),
        ("👍", {3, 5}, None, None),
        ("7 完成", {3, 5}, None, Unread(Problem.NOT_LISTED, "7")),
        ("已联系相关单位", {3, 5}, None, Unread(Problem.NEED_NUMBER)),
        ("3 150%", {3, 5}, None, Unread(Problem.BAD_PERCENT, "150%")),
    ],
)
def test_replies_to_an_ask(text, listed, sole, expected):
    assert read_answers(text, listed, sole) == expected
