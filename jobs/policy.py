"""When an item is reminded: the policy, and the pure function that plans the reminders.

Rules, in the order they apply:
- Before the deadline: on deadline − n days for each n in `days_before` (0 = the due day). One
  that lands on a non-working day moves back to the previous working day, so nobody is pinged
  on a Saturday and nobody learns of a Monday deadline only on that Monday.
- After the deadline (when `overdue`): every working day, escalated from the
  `escalate_after`-th one. These never end on their own, so they are planned only up to
  `today + horizon_days` and the caller tops them up as days pass.
- At most one reminder a day; of several, the one nearest the deadline stays (the due-day
  reminder moved back from a Saturday merges into Friday's 1-day-before one and stays "due").
- A snooze drops everything before `snoozed_until`; a before-deadline reminder it swallowed comes
  back on the first working day on or after that date, since a snooze postpones, not cancels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from jobs.calendar import WorkCalendar
from jobs.parse import (
    MAX_DAYS_BEFORE,
    ChaseSpec,
    DigestSpec,
    ReportSpec,
    format_chase,
    format_digest,
    format_report,
    parse_chase,
    parse_digest,
    parse_report,
)
from jobs.window import HORIZON_DAYS

ReminderKind = Literal["before", "due", "overdue"]


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    """A chat's reminder settings. `remind_at` is a wall-clock time in the chat's zone."""

    remind_at: time = time(9, 0)
    days_before: tuple[int, ...] = (7, 3, 1, 0)
    overdue: bool = True
    # The n-th overdue reminder and all after it are escalated; 0 never escalates.
    escalate_after: int = 3
    enabled: bool = True
    # Canonical "mon 09:00" or "off"; any form parse_digest accepts is normalised to that.
    digest: str = "mon 09:00"
    month_post: bool = True
    # The month's 通报 posted on its last working day (issue 16 §5; jobs/digests.py).
    bulletin: bool = False
    # Progress collection (进展报送, jobs/collection.py): canonical "fri 16:00", "25 16:00" or
    # "off"; the chase "next", "next 10:00" or "off".
    report: str = "off"
    report_chase: str = "next"

    def __post_init__(self) -> None:
        if self.remind_at.tzinfo is not None:
            raise ValueError("remind_at is a wall-clock time; the chat's zone is applied later")
        days = set(self.days_before)
        if any(not 0 <= n <= MAX_DAYS_BEFORE for n in days):
            raise ValueError(f"days_before must lie between 0 and {MAX_DAYS_BEFORE}")
        if self.escalate_after < 0:
            raise ValueError("escalate_after cannot be negative (0 turns escalation off)")
        # Frozen dataclass: normalising assignments have to go around __setattr__.
        object.__setattr__(self, "days_before", tuple(sorted(days, reverse=True)))
        object.__setattr__(self, "digest", format_digest(parse_digest(self.digest)))
        object.__setattr__(self, "report", format_report(parse_report(self.report)))
        object.__setattr__(self, "report_chase", format_chase(parse_chase(self.report_chase)))

    @property
    def digest_spec(self) -> DigestSpec | None:
        return parse_digest(self.digest)

    @property
    def report_spec(self) -> ReportSpec | None:
        return parse_report(self.report)

    @property
    def chase_spec(self) -> ChaseSpec | None:
        return parse_chase(self.report_chase)


@dataclass(frozen=True, slots=True)
class PlannedReminder:
    kind: ReminderKind
    day: date
    fire_at: datetime  # aware, UTC
    # Calendar days from `day` to the deadline; negative once overdue.
    days_left: int
    # For overdue reminders, how many working days overdue the item is on `day` (1 = the first
    # working day after the deadline). It counts days, not reminders sent, so neither a snooze
    # nor the rolling horizon changes when escalation starts. 0 before the deadline.
    overdue_count: int
    escalated: bool


def plan_reminders(
    deadline: date,
    *,
    policy: ReminderPolicy,
    calendar: WorkCalendar,
    tz: ZoneInfo,
    today: date,
    horizon_days: int = HORIZON_DAYS,
    snoozed_until: date | None = None,
    include_past: bool = False,
) -> list[PlannedReminder]:
    """The reminders for an item due on `deadline`, sorted by `fire_at`.

    Days before `today` are left out unless `include_past`; today's reminder is kept even if its
    hour has passed, so an item imported at noon on its due day is still reminded once.
    Before-deadline reminders are finite and all returned whatever the horizon.
    """
    if not policy.enabled:
        return []
    if horizon_days < 0:
        raise ValueError("horizon_days cannot be negative")

    # day -> (kind, overdue_count); later writes win, so go from farthest to nearest.
    planned: dict[date, tuple[ReminderKind, int]] = {}
    for n in policy.days_before:  # sorted largest first
        day = calendar.on_or_before(deadline - timedelta(days=n))
        planned[day] = ("due" if n == 0 else "before", 0)

    if policy.overdue:
        last = today + timedelta(days=horizon_days)
        day, count = calendar.add_workdays(deadline, 1), 1
        if day < today and not include_past:
            # Overdue for a while: the days before today are left out below anyway, so start
            # at today and count the working days since the deadline instead of stepping
            # through them (a deadline years ago was a walk of hundreds of days per item).
            day = calendar.on_or_after(today)
            count = calendar.workdays_between(deadline, day)
        while day <= last:
            planned[day] = ("overdue", count)
            day, count = calendar.add_workdays(day, 1), count + 1

    if snoozed_until is not None:
        swallowed = [d for d in planned if d < snoozed_until]
        for d in swallowed:
            del planned[d]
        resume = calendar.on_or_after(snoozed_until)
        if swallowed and resume <= deadline and resume not in planned:
            planned[resume] = ("due" if resume == deadline else "before", 0)

    out = []
    for day, (kind, count) in sorted(planned.items()):
        if day < today and not include_past:
            continue
        out.append(
            PlannedReminder(
                kind=kind,
                day=day,
                fire_at=datetime.combine(day, policy.remind_at, tzinfo=tz).astimezone(UTC),
                days_left=(deadline - day).days,
                overdue_count=count,
                escalated=kind == "overdue" and 0 < policy.escalate_after <= count,
            )
        )
    return out


def reminders_for(
    deadline: date | None,
    *,
    policy: ReminderPolicy,
    calendar: WorkCalendar,
    tz: ZoneInfo,
    today: date,
    horizon_days: int = HORIZON_DAYS,
    snoozed_until: date | None = None,
    include_past: bool = False,
) -> list[PlannedReminder]:
    """`plan_reminders`, or nothing for an item without a deadline."""
    if deadline is None:
        return []
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


def recurring_deadline(year: int, month: int) -> date:
    """The deadline a monthly recurring item (常态化/长期) has in a month: its last day."""
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def effective_deadline(deadline: date | None, recurring: bool, day: date) -> date | None:
    """The deadline an item has on `day`: its own, or a recurring item's end of that month."""
    if deadline is None and recurring:
        return recurring_deadline(day.year, day.month)
    return deadline


def escalated_on(
    deadline: date | None, day: date, *, policy: ReminderPolicy, calendar: WorkCalendar
) -> bool:
    """Whether a reminder on `day` is escalated: the same rule `plan_reminders` applies.

    The `escalate_after`-th working day after the deadline is the first escalated one; only
    that many working days are walked, so a deadline years ago costs no more than last week's.
    """
    if deadline is None or not policy.overdue or policy.escalate_after <= 0 or day <= deadline:
        return False
    return calendar.add_workdays(deadline, policy.escalate_after) <= day
