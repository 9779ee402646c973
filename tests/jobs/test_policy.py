from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from jobs.calendar import WorkCalendar
from jobs.policy import (
    PlannedReminder,
    ReminderPolicy,
    plan_reminders,
    recurring_deadline,
    reminders_for,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT = ReminderPolicy()
SAMPLE_DEADLINE = date(2020, 10, 31)  # a Saturday; every item of the sample plan is due then


def plan(
    deadline: date,
    calendar: WorkCalendar,
    *,
    policy: ReminderPolicy = DEFAULT,
    tz: ZoneInfo = SHANGHAI,
    today: date = date(2020, 9, 1),
    horizon_days: int = 0,
    snoozed_until: date | None = None,
    include_past: bool = False,
) -> list[PlannedReminder]:
    # No look-ahead by default, so each test states how far its overdue reminders reach.
    return plan_reminders(
        deadline,
        policy=policy,
        calendar=calendar,
        tz=tz,
        today=today,
        horizon_days=horizon_days,
        snoozed_until=snoozed_until,
        include_past=include_past,
    )


def until(end: date, today: date = date(2020, 9, 1)) -> int:
    return (end - today).days


def summary(reminders: list[PlannedReminder]) -> list[tuple[date, str, int, int, bool]]:
    return [(r.day, r.kind, r.days_left, r.overdue_count, r.escalated) for r in reminders]


def test_reference_case_sample_plan_due_saturday_october_31(cn: WorkCalendar) -> None:
    reminders = plan(SAMPLE_DEADLINE, cn, horizon_days=until(date(2020, 11, 6)))
    assert summary(reminders) == [
        (date(2020, 10, 23), "before", 8, 0, False),  # 7 days before, moved back from Sat 10-24
        (date(2020, 10, 28), "before", 3, 0, False),
        (date(2020, 10, 30), "due", 1, 0, False),  # 1 before + due day moved back from Sat
        (date(2020, 11, 2), "overdue", -2, 1, False),
        (date(2020, 11, 3), "overdue", -3, 2, False),
        (date(2020, 11, 4), "overdue", -4, 3, True),
        (date(2020, 11, 5), "overdue", -5, 4, True),
        (date(2020, 11, 6), "overdue", -6, 5, True),
    ]
    assert [r.fire_at for r in reminders[:3]] == [
        datetime(2020, 10, 23, 1, 0, tzinfo=UTC),
        datetime(2020, 10, 28, 1, 0, tzinfo=UTC),
        datetime(2020, 10, 30, 1, 0, tzinfo=UTC),
    ]
    assert reminders[3].fire_at == datetime(2020, 11, 2, 1, 0, tzinfo=UTC)
    assert all(r.fire_at.utcoffset() == UTC.utcoffset(None) for r in reminders)
    days = {r.day for r in reminders}
    assert not days & {
        date(2020, 10, 24),
        date(2020, 10, 25),
        date(2020, 10, 31),
        date(2020, 11, 1),
    }


def test_deadline_on_a_sunday(cn: WorkCalendar) -> None:
    reminders = plan(date(2020, 11, 15), cn, horizon_days=until(date(2020, 11, 17)))
    assert summary(reminders) == [
        (date(2020, 11, 6), "before", 9, 0, False),  # 11-08 is a Sunday
        (date(2020, 11, 12), "before", 3, 0, False),
        (date(2020, 11, 13), "due", 2, 0, False),  # Sat 1-before and Sun due day, both onto Fri
        (date(2020, 11, 16), "overdue", -1, 1, False),
        (date(2020, 11, 17), "overdue", -2, 2, False),
    ]


def test_deadline_inside_golden_week_is_reminded_before_the_holiday(cn: WorkCalendar) -> None:
    # Due Monday 2020-10-05, a holiday: the 3-, 1- and 0-day reminders all fall in the break
    # and move back to its eve; overdue reminders resume after it, on the worked Saturday too.
    reminders = plan(date(2020, 10, 5), cn, horizon_days=until(date(2020, 10, 12)))
    assert summary(reminders) == [
        (date(2020, 9, 28), "before", 7, 0, False),
        (date(2020, 9, 30), "due", 5, 0, False),
        (date(2020, 10, 9), "overdue", -4, 1, False),
        (date(2020, 10, 10), "overdue", -5, 2, False),
        (date(2020, 10, 12), "overdue", -7, 3, True),
    ]


def test_due_day_only(cn: WorkCalendar) -> None:
    policy = ReminderPolicy(days_before=(0,), overdue=False)
    assert summary(plan(date(2020, 10, 28), cn, policy=policy)) == [
        (date(2020, 10, 28), "due", 0, 0, False)
    ]
    assert summary(plan(SAMPLE_DEADLINE, cn, policy=policy)) == [
        (date(2020, 10, 30), "due", 1, 0, False)
    ]


def test_no_overdue_reminders_when_switched_off(cn: WorkCalendar) -> None:
    policy = ReminderPolicy(overdue=False)
    reminders = plan(SAMPLE_DEADLINE, cn, policy=policy, horizon_days=until(date(2020, 12, 31)))
    assert [r.day for r in reminders] == [
        date(2020, 10, 23),
        date(2020, 10, 28),
        date(2020, 10, 30),
    ]


def test_disabled_policy_plans_nothing(cn: WorkCalendar) -> None:
    policy = ReminderPolicy(enabled=False)
    assert plan(SAMPLE_DEADLINE, cn, policy=policy, horizon_days=100) == []


@pytest.mark.parametrize(
    ("escalate_after", "escalated_from"),
    [(1, date(2020, 11, 2)), (3, date(2020, 11, 4)), (5, date(2020, 11, 6)), (0, None)],
)
def test_escalation_starts_at_the_nth_overdue_reminder(
    cn: WorkCalendar, escalate_after: int, escalated_from: date | None
) -> None:
    policy = ReminderPolicy(escalate_after=escalate_after)
    overdue = [
        r
        for r in plan(SAMPLE_DEADLINE, cn, policy=policy, horizon_days=until(date(2020, 11, 13)))
        if r.kind == "overdue"
    ]
    assert len(overdue) == 10
    escalated = [r.day for r in overdue if r.escalated]
    assert escalated == [r.day for r in overdue if escalated_from and r.day >= escalated_from]


def test_overdue_count_is_stable_as_the_window_rolls(cn: WorkCalendar) -> None:
    # Materialised on 11-20 with no look-ahead, the item is 15 working days overdue.
    reminders = plan(SAMPLE_DEADLINE, cn, today=date(2020, 11, 20), horizon_days=0)
    assert summary(reminders) == [(date(2020, 11, 20), "overdue", -20, 15, True)]


def test_overdue_reminders_stop_at_the_horizon(cn: WorkCalendar) -> None:
    reminders = plan(SAMPLE_DEADLINE, cn, today=date(2020, 10, 20), horizon_days=14)
    assert reminders[-1].day == date(2020, 11, 3)
    assert [r.kind for r in reminders].count("overdue") == 2


def test_before_reminders_are_all_planned_even_beyond_the_horizon(cn: WorkCalendar) -> None:
    reminders = plan(SAMPLE_DEADLINE, cn, today=date(2020, 9, 1), horizon_days=10)
    assert [r.day for r in reminders] == [
        date(2020, 10, 23),
        date(2020, 10, 28),
        date(2020, 10, 30),
    ]


def test_past_days_are_left_out_unless_asked_for(cn: WorkCalendar) -> None:
    today = date(2020, 10, 28)
    scheduled = plan(SAMPLE_DEADLINE, cn, today=today, horizon_days=6)
    # Today's reminder stays even though 09:00 may have passed: it still has to go out once.
    assert [r.day for r in scheduled] == [
        date(2020, 10, 28),
        date(2020, 10, 30),
        date(2020, 11, 2),
        date(2020, 11, 3),
    ]
    everything = plan(SAMPLE_DEADLINE, cn, today=today, horizon_days=6, include_past=True)
    assert [r.day for r in everything] == [date(2020, 10, 23), *[r.day for r in scheduled]]


def test_snooze_moves_a_swallowed_reminder_to_the_snooze_end(cn: WorkCalendar) -> None:
    reminders = plan(
        SAMPLE_DEADLINE,
        cn,
        today=date(2020, 10, 20),
        horizon_days=14,
        snoozed_until=date(2020, 10, 24),  # a Saturday
    )
    assert summary(reminders) == [
        (date(2020, 10, 26), "before", 5, 0, False),
        (date(2020, 10, 28), "before", 3, 0, False),
        (date(2020, 10, 30), "due", 1, 0, False),
        (date(2020, 11, 2), "overdue", -2, 1, False),
        (date(2020, 11, 3), "overdue", -3, 2, False),
    ]


def test_snooze_onto_an_existing_reminder_adds_nothing(cn: WorkCalendar) -> None:
    reminders = plan(
        SAMPLE_DEADLINE, cn, today=date(2020, 10, 20), snoozed_until=date(2020, 10, 28)
    )
    assert [r.day for r in reminders] == [date(2020, 10, 28), date(2020, 10, 30)]


def test_snooze_past_the_deadline_resumes_overdue_without_resetting_escalation(
    cn: WorkCalendar,
) -> None:
    reminders = plan(
        SAMPLE_DEADLINE,
        cn,
        today=date(2020, 10, 20),
        horizon_days=until(date(2020, 11, 6), date(2020, 10, 20)),
        snoozed_until=date(2020, 11, 4),
    )
    assert summary(reminders) == [
        (date(2020, 11, 4), "overdue", -4, 3, True),
        (date(2020, 11, 5), "overdue", -5, 4, True),
        (date(2020, 11, 6), "overdue", -6, 5, True),
    ]


def test_every_day_reminders_when_workdays_only_is_off() -> None:
    calendar = WorkCalendar("CN", workdays_only=False)
    reminders = plan(SAMPLE_DEADLINE, calendar, horizon_days=until(date(2020, 11, 3)))
    assert summary(reminders) == [
        (date(2020, 10, 24), "before", 7, 0, False),
        (date(2020, 10, 28), "before", 3, 0, False),
        (date(2020, 10, 30), "before", 1, 0, False),
        (date(2020, 10, 31), "due", 0, 0, False),
        (date(2020, 11, 1), "overdue", -1, 1, False),
        (date(2020, 11, 2), "overdue", -2, 2, False),
        (date(2020, 11, 3), "overdue", -3, 3, True),
    ]


def test_office_day_off_and_worked_saturday() -> None:
    day_off = WorkCalendar("CN", extra_holidays=[date(2020, 10, 30)])
    assert [(r.day, r.kind) for r in plan(SAMPLE_DEADLINE, day_off)] == [
        (date(2020, 10, 23), "before"),
        (date(2020, 10, 28), "before"),
        (date(2020, 10, 29), "due"),
    ]
    saturday_worked = WorkCalendar("CN", extra_workdays=[date(2020, 10, 31)])
    assert [(r.day, r.kind) for r in plan(SAMPLE_DEADLINE, saturday_worked)] == [
        (date(2020, 10, 23), "before"),
        (date(2020, 10, 28), "before"),
        (date(2020, 10, 30), "before"),
        (date(2020, 10, 31), "due"),
    ]


def test_fire_time_follows_the_chats_zone_across_daylight_saving(cn: WorkCalendar) -> None:
    new_york = ZoneInfo("America/New_York")  # DST ended on 2020-11-01
    policy = ReminderPolicy(remind_at=time(8, 30))
    reminders = plan(
        SAMPLE_DEADLINE, cn, policy=policy, tz=new_york, horizon_days=until(date(2020, 11, 2))
    )
    fire = {r.day: r.fire_at for r in reminders}
    assert fire[date(2020, 10, 30)] == datetime(2020, 10, 30, 12, 30, tzinfo=UTC)
    assert fire[date(2020, 11, 2)] == datetime(2020, 11, 2, 13, 30, tzinfo=UTC)


def test_no_deadline_no_reminders(cn: WorkCalendar) -> None:
    kwargs = {"policy": DEFAULT, "calendar": cn, "tz": SHANGHAI, "today": date(2020, 10, 1)}
    assert reminders_for(None, **kwargs) == []  # type: ignore[arg-type]
    assert reminders_for(SAMPLE_DEADLINE, **kwargs) == plan_reminders(SAMPLE_DEADLINE, **kwargs)  # type: ignore[arg-type]


def test_negative_horizon_is_refused(cn: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="horizon"):
        plan(SAMPLE_DEADLINE, cn, horizon_days=-1)


def test_recurring_items_are_due_at_month_end() -> None:
    assert recurring_deadline(2020, 10) == date(2020, 10, 31)
    assert recurring_deadline(2020, 11) == date(2020, 11, 30)
    assert recurring_deadline(2020, 12) == date(2020, 12, 31)
    assert recurring_deadline(2020, 2) == date(2020, 2, 29)
    assert recurring_deadline(2021, 2) == date(2021, 2, 28)


def test_policy_normalises_its_settings() -> None:
    policy = ReminderPolicy(days_before=(0, 3, 3, 7), digest="周五 17:30")
    assert policy.days_before == (7, 3, 0)
    assert policy.digest == "fri 17:30"
    assert policy.digest_spec is not None and policy.digest_spec.weekday == 4
    assert ReminderPolicy(digest="关闭").digest == "off"
    assert ReminderPolicy(digest="off").digest_spec is None
    assert replace(DEFAULT, remind_at=time(8, 30)).remind_at == time(8, 30)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"days_before": (-1,)}, "days_before"),
        ({"days_before": (365,)}, "days_before"),
        ({"escalate_after": -1}, "escalate_after"),
        ({"digest": "someday"}, "digest"),
        ({"remind_at": time(9, 0, tzinfo=UTC)}, "wall-clock"),
    ],
)
def test_policy_refuses_bad_settings(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ReminderPolicy(**changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("years_ago", [0, 1, 3, 6])
def test_an_item_overdue_for_years_is_planned_as_if_each_day_had_been_walked(years_ago):
    # The policy starts a long-overdue item at today and counts the working days since the
    # deadline (not a step per day); what it plans must be what the walk planned.
    calendar = WorkCalendar("CN")
    policy = ReminderPolicy(escalate_after=3)
    today = date(2026, 10, 14)
    for deadline in (
        today.replace(year=today.year - years_ago) - timedelta(days=d) for d in (1, 9)
    ):
        walked = [
            r
            for r in plan_reminders(
                deadline,
                policy=policy,
                calendar=calendar,
                tz=SHANGHAI,
                today=today,
                include_past=True,
            )
            if r.day >= today
        ]
        planned = plan_reminders(
            deadline, policy=policy, calendar=calendar, tz=SHANGHAI, today=today
        )
        assert planned == walked
        assert [r.overdue_count for r in planned] == [
            calendar.workdays_between(deadline, r.day) for r in planned
        ]
