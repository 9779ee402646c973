"""What handlers need from the outside world, wired once into `application.bot_data.services`
(handlers read it as `context.services`: see bot/context.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from bot.chat.seen_accounts import SeenCache
from bot.config import Config
from bot.operations.deps import Deps

# make_planner lives in bot/planning.py (no PTB there, for cron); callers still find it here.
from bot.planning import make_planner as make_planner
from bot.tracking import ChatOrderedUpdateProcessor
from bot.web.metrics import Counters
from jobs.outbox import ReminderPlanner
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
            confirm_iam=self.config.access.confirm_iam,
            supervisors=tuple(self.config.reminders.supervisors),
            review=self.config.supervision.review,
        )

    def today(self) -> date:
        """Today in the office's time zone: deadlines are the office's dates."""
        return self.now().astimezone(self.config.schedule.tz).date()

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.config.access.admins
