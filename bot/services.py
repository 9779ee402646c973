"""What handlers need from the outside world, wired once into `application.bot_data.services`
(handlers read it as `context.services`: see bot/context.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from bot.chat.seen_accounts import SeenCache
from bot.config import Config
from bot.operations.deps import Deps
from bot.tracking import ChatOrderedUpdateProcessor
from bot.web.metrics import Counters
from jobs.calendar import WorkCalendar
from jobs.outbox import ReminderPlanner
from jobs.parse import parse_time
from jobs.policy import ReminderPolicy
from storage.db import Database


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    config: Config
    db: Database
    updates: ChatOrderedUpdateProcessor
    planner: ReminderPlanner
    # One clock for the whole bot, so tests move time in one place (time-machine patches it).
    now: Callable[[], datetime] = field(default=_utcnow)
    # Chats outside allowed_chats already told so, to say it once per run.
    told_not_allowed: set[int] = field(default_factory=set)
    counters: Counters = field(default_factory=Counters)
    # Accounts the watcher already wrote to the database, so it need not on every message.
    seen: SeenCache = field(default_factory=SeenCache)
    # Set by the reminder scheduler once it runs; /healthz reports it.
    scheduler_running: Callable[[], bool] = field(default=lambda: False)

    @property
    def deps(self) -> Deps:
        """What the operations (bot/operations) need of this bot."""
        return Deps(
            db=self.db,
            planner=self.planner,
            now=self.now,
            default_locale=self.config.i18n.locale,
            admins=frozenset(self.config.access.admins),
            anyone_can_update=self.config.access.anyone_can_update,
            supervisors=tuple(self.config.reminders.supervisors),
        )

    def today(self) -> date:
        """Today in the office's time zone: deadlines are the office's dates."""
        return self.now().astimezone(self.config.schedule.tz).date()

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.config.access.admins


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
    )
    calendar = WorkCalendar(
        r.country,
        extra_holidays=r.extra_holidays,
        extra_workdays=r.extra_workdays,
        workdays_only=r.workdays_only,
    )
    return ReminderPlanner(defaults=defaults, calendar=calendar, tz=config.schedule.tz)
