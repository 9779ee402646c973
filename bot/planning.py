"""The reminder planner a configuration describes. Apart from bot/services.py (which loads PTB)
so that `planbot remind` can roll the reminder window from cron without loading Telegram code."""

from __future__ import annotations

from bot.config import Config
from jobs.calendar import WorkCalendar
from jobs.outbox import ReminderPlanner
from jobs.parse import parse_time
from jobs.policy import ReminderPolicy


def make_planner(config: Config) -> ReminderPlanner:
    """The reminder planner for the configured policy, calendar and zone."""
    r = config.reminders
    defaults = ReminderPolicy(
        remind_at=parse_time(r.remind_at),
        days_before=tuple(r.days_before),
        overdue=r.overdue,
        escalate_after=r.escalate_after,
        digest=r.digest,
        month_post=r.month_post,
        bulletin=r.bulletin,
        report=r.report,
        report_chase=r.report_chase,
    )
    calendar = WorkCalendar(
        r.country,
        extra_holidays=r.extra_holidays,
        extra_workdays=r.extra_workdays,
        workdays_only=r.workdays_only,
    )
    return ReminderPlanner(defaults=defaults, calendar=calendar, tz=config.schedule.tz)
