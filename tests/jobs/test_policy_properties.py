"""Properties every planned schedule keeps, whatever the deadline and the settings."""

from __future__ import annotations

from datetime import UTC, date, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from jobs.calendar import WorkCalendar
from jobs.policy import ReminderPolicy, plan_reminders
from tests.support.calendar import workdays_between

CALENDARS = {
    "cn": WorkCalendar("CN"),
    "cn-office": WorkCalendar(
        "CN", extra_holidays=[date(2020, 10, 30)], extra_workdays=[date(2020, 10, 31)]
    ),
    "every-day": WorkCalendar("CN", workdays_only=False),
}
ZONES = [ZoneInfo(z) for z in ("Asia/Shanghai", "America/New_York", "Europe/Berlin", "UTC")]

policies = st.builds(
    ReminderPolicy,
    # Hours clear of daylight-saving gaps, so the wall-clock time always exists.
    remind_at=st.builds(time, st.integers(6, 22), st.integers(0, 59)),
    days_before=st.lists(st.integers(0, 30), max_size=6).map(tuple),
    overdue=st.booleans(),
    escalate_after=st.integers(0, 6),
)


@st.composite
def cases(draw: st.DrawFn) -> dict:
    deadline = draw(st.dates(date(2019, 1, 1), date(2026, 12, 31)))
    return {
        "deadline": deadline,
        "calendar_name": draw(st.sampled_from(sorted(CALENDARS))),
        "policy": draw(policies),
        "tz": draw(st.sampled_from(ZONES)),
        "today": deadline + timedelta(days=draw(st.integers(-45, 45))),
        "horizon_days": draw(st.integers(0, 60)),
        "snoozed_until": draw(
            st.none() | st.integers(-40, 40).map(lambda n: deadline + timedelta(days=n))
        ),
        "include_past": draw(st.booleans()),
    }


@settings(max_examples=400, deadline=None)
@given(cases())
def test_schedule_invariants(case: dict) -> None:
    calendar = CALENDARS[case.pop("calendar_name")]
    deadline, policy, tz = case["deadline"], case["policy"], case["tz"]
    reminders = plan_reminders(case.pop("deadline"), calendar=calendar, **case)
    days = [r.day for r in reminders]

    assert len(set(days)) == len(days), "two reminders on one day"
    assert all(calendar.is_workday(d) for d in days)
    fire = [r.fire_at for r in reminders]
    assert fire == sorted(fire) and len(set(fire)) == len(fire)
    for r in reminders:
        assert r.fire_at.tzinfo is UTC
        local = r.fire_at.astimezone(tz)
        assert (local.date(), local.time()) == (r.day, policy.remind_at)
        assert r.days_left == (deadline - r.day).days
        if r.kind == "overdue":
            assert r.day > deadline and policy.overdue
            assert r.day <= case["today"] + timedelta(days=case["horizon_days"])
            working_days_late = len(workdays_between(calendar, deadline + timedelta(days=1), r.day))
            assert r.overdue_count == working_days_late
            assert r.escalated == (0 < policy.escalate_after <= r.overdue_count)
        else:
            assert r.day <= deadline
            assert r.overdue_count == 0 and not r.escalated
        if not case["include_past"]:
            assert r.day >= case["today"]
        if case["snoozed_until"] is not None:
            assert r.day >= case["snoozed_until"]


@settings(max_examples=300, deadline=None)
@given(
    deadline=st.dates(date(2019, 1, 1), date(2026, 12, 31)),
    policy=policies,
    calendar_name=st.sampled_from(sorted(CALENDARS)),
)
def test_every_configured_day_before_is_honoured(
    deadline: date, policy: ReminderPolicy, calendar_name: str
) -> None:
    calendar = CALENDARS[calendar_name]
    reminders = plan_reminders(
        deadline,
        policy=policy,
        calendar=calendar,
        tz=ZoneInfo("Asia/Shanghai"),
        today=deadline - timedelta(days=60),
        horizon_days=0,
    )
    before = [r for r in reminders if r.kind != "overdue"]
    before_days = {r.day for r in before}
    # Each configured day is reminded on that day or, if it is off, the working day before it
    # (where it may share the reminder with a nearer one), and nothing else is reminded.
    wanted = {calendar.on_or_before(deadline - timedelta(days=n)) for n in policy.days_before}
    assert before_days == wanted
    if 0 in policy.days_before:
        assert before[-1].kind == "due"
        assert before[-1].day == calendar.on_or_before(deadline)
    assert [r.kind for r in before].count("due") == (1 if 0 in policy.days_before else 0)
