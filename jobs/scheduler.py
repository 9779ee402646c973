"""APScheduler wiring: wake the dispatcher at the next fire time, sweep every minute, roll daily.

The database outbox is the truth; the scheduler only decides when to look at it. Its state is
derived and rebuilt at every start, so it lives in APScheduler's in-memory job store with
explicit ids (`replace_existing=True`) and nothing is pickled. Three jobs:
- `reminders.next`: a date job armed for the earliest pending `fire_at`, re-armed after every
  pass, so a reminder goes out on the second;
- `reminders.sweep`: every minute, for what the timer cannot know about — rows in back-off,
  claims whose lease ran out, rows another process added;
- `reminders.upkeep`: daily just after midnight, rolls the overdue window and plans digests;
  `reminders.rebuild` does the same once, right after the start, after a pass that sends what
  fell due while the bot was down. The start does not wait for it.
Misfires never drop a run (`misfire_grace_time=None`, coalesced to one): a reminder that fell
due during a pause goes out late rather than never. Passes run one at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, time

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_SUBMITTED,
    JobExecutionEvent,
    JobSubmissionEvent,
)
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from jobs.claims import next_fire_at
from jobs.dispatcher import Dispatcher
from jobs.upkeep import upkeep
from storage.db import is_transient

log = logging.getLogger("jobs.scheduler")

NEXT = "reminders.next"
SWEEP = "reminders.sweep"
UPKEEP = "reminders.upkeep"
REBUILD = "reminders.rebuild"
SWEEP_SECONDS = 60
UPKEEP_AT = time(0, 5)
# How long a stop waits for a pass in flight before cancelling it (its claims then expire).
STOP_WAIT_SECONDS = 30.0


class ReminderScheduler:
    def __init__(
        self,
        dispatcher: Dispatcher,
        *,
        clock: Callable[[], datetime],
        sweep_seconds: float = SWEEP_SECONDS,
        upkeep_at: time = UPKEEP_AT,
    ) -> None:
        self.dispatcher = dispatcher
        self.db = dispatcher.db
        self.planner = dispatcher.planner
        self.clock = clock
        self.sweep_seconds = sweep_seconds
        self.upkeep_at = upkeep_at
        self._scheduler = AsyncIOScheduler(
            timezone=self.planner.tz,
            jobstores={"default": MemoryJobStore()},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        self._scheduler.add_listener(
            self._on_event, EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED | EVENT_JOB_ERROR
        )
        self._lock = asyncio.Lock()
        # Jobs submitted and not finished; `_idle` is set when there are none.
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._stopping = False
        # Set once the rebuild that start() schedules has run (whether it planned anything):
        # what fell due while down has gone out and the outbox matches the database, which is
        # what the console and the tests wait for (the bot itself does not).
        self.rebuilt = asyncio.Event()

    # --- life cycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Run, without waiting for anything: the bot takes updates at once.

        The rebuild (`reminders.rebuild`) runs in the background right after: first a pass
        that sends what fell due while we were down (the newest reminder per item, once), then
        the upkeep that tops the outbox up. Both take their time on a large database, and
        neither holds the event loop for long (short transactions, yielding in between), so
        polling and commands go on meanwhile. `rebuilt` is set when both are done.
        """
        self._scheduler.start()
        self._scheduler.add_job(
            self._sweep,
            IntervalTrigger(seconds=self.sweep_seconds, timezone=self.planner.tz),
            id=SWEEP,
            replace_existing=True,
        )
        self._scheduler.add_job(
            self._upkeep,
            CronTrigger(
                hour=self.upkeep_at.hour, minute=self.upkeep_at.minute, timezone=self.planner.tz
            ),
            id=UPKEEP,
            replace_existing=True,
        )
        self._scheduler.add_job(
            self._rebuild, DateTrigger(self.clock()), id=REBUILD, replace_existing=True
        )
        log.info("reminder scheduler started; rebuilding the outbox in the background")

    async def stop(self) -> None:
        if not self._scheduler.running:
            return
        self._stopping = True
        # A pass in flight sends no new message and gives back what it claimed; the messages
        # already on their way finish and are recorded. Then let every job finish (new ones
        # return at once now): cancelling a pass between send and record would send its
        # reminders again once the claims expire, and a job left running would outlive the
        # database it uses. Holding the lock instead would leave jobs queued behind it hanging
        # past shutdown.
        self.dispatcher.stop()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), STOP_WAIT_SECONDS)
        self._scheduler.shutdown(wait=False)
        await asyncio.sleep(0)  # AsyncIOScheduler shuts down in a loop callback

    @property
    def running(self) -> bool:
        return self._scheduler.running and not self._stopping

    # --- arming ---------------------------------------------------------------------------

    async def arm(self) -> datetime | None:
        """Point `reminders.next` at the earliest pending fire time (none: no such job)."""
        async with self.db.session() as session:
            at = await next_fire_at(session, self.clock())
        if at is None:
            with contextlib.suppress(Exception):
                self._scheduler.remove_job(NEXT)
            return None
        self._scheduler.add_job(self._fire, DateTrigger(at), id=NEXT, replace_existing=True)
        return at

    def next_run_time(self, job_id: str) -> datetime | None:
        job = self._scheduler.get_job(job_id)
        return None if job is None else job.next_run_time

    # --- the jobs -------------------------------------------------------------------------

    async def _fire(self) -> None:
        await self._guarded(self._dispatch)

    async def _sweep(self) -> None:
        await self._guarded(self._dispatch)

    async def _rebuild(self) -> None:
        # The backlog first: the upkeep re-plans from today on, and would drop a reminder that
        # fell due while we were down before it went out.
        await self._guarded(self._dispatch)
        await self._upkeep()

    async def _upkeep(self) -> None:
        if self._stopping:
            self.rebuilt.set()
            return
        try:
            await upkeep(
                self.db,
                self.planner,
                now=self.clock(),
                guard=self._lock,
                stopping=lambda: self._stopping,
            )
        except Exception as error:
            _log_failure("reminder upkeep failed", error)
        finally:
            self.rebuilt.set()
        if self._scheduler.running and not self._stopping:
            await self.arm()

    async def _dispatch(self) -> None:
        await self.dispatcher.dispatch(self.clock())

    async def _guarded(self, work: Callable[[], Awaitable[None]]) -> None:
        if self._stopping:
            return
        async with self._lock:
            try:
                await work()
            except Exception as error:
                # The next sweep tries again; the outbox rows are still there.
                _log_failure("reminder job failed", error)
        if self._scheduler.running and not self._stopping:
            try:
                await self.arm()
            except Exception as error:
                # The next sweep arms it again: a database away for a moment is one line.
                _log_failure("could not arm the next reminder", error)

    # --- driving it by hand (tests that move the clock) ---------------------

    async def run_pending(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Run the jobs due by the wall clock now and wait until they are done.

        What the loop's timer does when a fire time arrives; tests call it after moving the
        clock with time-machine, since the timer itself counts real seconds.
        """
        self._scheduler.wakeup()
        await asyncio.sleep(0)  # wakeup runs in a loop callback and submits the due jobs
        await asyncio.wait_for(self._idle.wait(), timeout)

    def _on_event(self, event: JobSubmissionEvent | JobExecutionEvent) -> None:
        if event.code == EVENT_JOB_SUBMITTED:
            self._running += 1
            self._idle.clear()
            return
        self._running -= 1
        if self._running <= 0:
            self._running = 0
            self._idle.set()


def _log_failure(what: str, error: Exception) -> None:
    """A database that is away for a moment (a restart, connections ended, SQLite locked) is
    one WARNING line: the job runs again and nothing is lost. Anything else is a bug to see
    with its traceback."""
    if is_transient(error):
        log.warning("%s: the database could not answer (%s)", what, type(error).__name__)
    else:
        log.exception(what)
