"""A notifier that records instead of sending, and the sample office for dispatcher tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from jobs.calendar import WorkCalendar
from jobs.claims import STOPPED, Retry
from jobs.dispatcher import DeliveryResult, Dispatcher, FailureNote, Recording, SentPart
from jobs.entries import MessageContent
from jobs.outbox import ReminderPlanner
from jobs.policy import ReminderPolicy
from plans.parser import parse_plan
from plans.sample import sample_text
from storage.chats import get_or_create_chat
from storage.db import Database
from storage.plans import save_parsed_plan

SHANGHAI = ZoneInfo("Asia/Shanghai")
GROUP = -1001
CALENDAR = WorkCalendar("CN")


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """An instant in the office's zone."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def planner(**policy: object) -> ReminderPlanner:
    return ReminderPlanner(ReminderPolicy(**policy), CALENDAR, SHANGHAI)  # type: ignore[arg-type]


@dataclass
class Recorder:
    """A Notifier: keeps every content, answers from `script` (Retry = that failure) first."""

    script: list[Retry | int] = field(default_factory=list)
    delivered: list[MessageContent] = field(default_factory=list)
    attempts: list[MessageContent] = field(default_factory=list)
    reports: list[list[FailureNote]] = field(default_factory=list)
    migrate: dict[int, int] = field(default_factory=dict)
    next_id: int = 500
    # Called with the number of the delivery while it is "in flight" (1 for the first).
    during: Callable[[int], object] | None = None

    async def deliver(
        self, content: MessageContent, *, stopped: asyncio.Event, recording: Recording
    ) -> DeliveryResult:
        if stopped.is_set():
            return DeliveryResult(failure=STOPPED)
        self.attempts.append(content)
        if self.during is not None:
            self.during(len(self.attempts))
        if content.tg_chat_id in self.migrate:
            new = self.migrate.pop(content.tg_chat_id)
            return DeliveryResult(failure=Retry("migrated"), migrated_to=new)
        if self.script:
            step = self.script.pop(0)
            if isinstance(step, Retry):
                return DeliveryResult(failure=step)
        async with recording.gate:
            self.delivered.append(content)
            self.next_id += 1
            if content.bulletin is not None:
                kind = "bulletin"
            else:
                kind = "reminder" if content.sections[0].kind == "reminders" else "digest"
            part = SentPart(self.next_id, tuple(content.item_ids), kind)
            await recording.record(part)
        return DeliveryResult([part])

    async def report_failures(self, failures: Sequence[FailureNote]) -> None:
        self.reports.append(list(failures))

    def items(self, chat: int = GROUP) -> list[list[int]]:
        """The item seqs of each content delivered to `chat`, per section."""
        return [
            [e.seq for s in c.sections for e in s.entries]
            for c in self.delivered
            if c.tg_chat_id == chat
        ]


async def sample_office(
    db: Database, plan: ReminderPlanner, now: datetime, *, tg_chat_id: int = GROUP
) -> list[int]:
    """The sample October 2020 plan in a group, its reminders planned at `now`; item ids."""
    async with db.session() as session:
        chat = await get_or_create_chat(session, tg_chat_id, "群", "supergroup")
        await session.flush()
        result = await save_parsed_plan(session, chat.id, parse_plan(sample_text()), "x")
        ids = list(result.added)
        await plan.replan(session, ids, now=now)
    return ids


def dispatcher(db: Database, plan: ReminderPlanner, notifier: Recorder, **kw: object) -> Dispatcher:
    return Dispatcher(db, plan, notifier, **kw)  # type: ignore[arg-type]


def local_day(instant: datetime) -> date:
    return instant.astimezone(SHANGHAI).date()
