"""What every operation needs from the running bot: the database, the reminder planner, the
clock, and the access rules. Built once (bot.services.Services.deps)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from jobs.outbox import ReminderPlanner
from storage.db import Database


@dataclass(frozen=True, slots=True)
class Deps:
    db: Database
    planner: ReminderPlanner
    now: Callable[[], datetime]
    default_locale: str
    # Configured admins: admins everywhere, without asking Telegram.
    admins: Collection[int] = ()
    # `[access] anyone_can_update`: every member may report on every item.
    anyone_can_update: bool = False
    # `[access] confirm_iam`: an /iam for a name with duties waits for an admin's yes.
    confirm_iam: bool = True
    # `[reminders] supervisors`: named in escalated reminders (rebuilt when one is edited).
    supervisors: Sequence[str | int] = ()
    # `[supervision] review`: a department's /done awaits a supervisor's approval (per group:
    # /review on|off, Chat.settings["supervision"]).
    review: bool = False

    def today(self) -> date:
        """Today in the office's time zone: deadlines are the office's dates."""
        return self.now().astimezone(self.planner.tz).date()
