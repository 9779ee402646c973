"""The dispatcher: claim what is due, tell each chat once, record what went out.

One pass, chat by chat in parts (a small first part, so the first message leaves at once):
1. claim the part's due reminder and digest rows (jobs.claims) and commit, so no other
   dispatcher sends them;
2. decide, per Telegram chat, what it is told (jobs.entries): the plan's group gets every item
   due there and, when a digest is due too, the rest of the digest in the same message; a
   department with its own chat gets its items there as well;
3. hand each chat's content to the notifier (the bot renders and sends it; this package never
   imports telegram), the groups first and the department chats only for items that reached
   the group;
4. record each message as soon as it is out — its id and items (so replies and buttons map
   back to them), its rows marked sent — in its own short transaction, before this instance
   sends any other: the notifier holds the `Recording.gate` from just before a message leaves
   until it is recorded. An instance killed mid-pass therefore has at most one message out
   and not recorded, however slow or locked the database is (another instance sends that one
   again when the lease runs out); a record that fails is tried again, and nothing else is
   sent until it succeeds. Then what a chat did not get goes back to pending with a back-off,
   or is failed.
While one part is being sent at Telegram's pace, the next is claimed and prepared. At the end
the admins are told, once, about rows that failed for good. No session is open while the
notifier talks to Telegram.

`stop()` (a shutdown) lets the messages in flight finish and be recorded; whatever was
claimed and not yet sent goes back to pending at once, for the next pass or another instance.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from jobs import collection
from jobs.claims import (
    LEASE,
    STOPPED,
    Claim,
    ClaimedDigest,
    ClaimedReminder,
    Retry,
    claim_due,
    due_chats,
    in_parts,
    mark_cancelled,
    mark_sent,
    release,
)
from jobs.digests import BULLETIN, MONTH_POST, WEEKLY, month_items, weekly_items
from jobs.entries import (
    ItemFacts,
    MessageContent,
    Section,
    chat_people,
    entry_for,
    load_facts,
    plan_order,
    resolve_supervisors,
    urgency_order,
)
from jobs.outbox import ReminderPlanner, chat_policy
from storage.bulletin import plan_bulletin
from storage.chats import get_chat, migrate_chat
from storage.db import Database, is_transient
from storage.messages import SentMessage, record_messages
from storage.models import Chat, Digest, Plan, Reminder
from storage.plans import get_plan
from storage.rows import pk, row_id

log = logging.getLogger("jobs.dispatcher")

ITEM_DONE = "the item was done before its reminder went out"
# Reminders per part of a pass (whole chats): a small first part, so sending starts at once.
FIRST_PART = 200
PART = 1000
NOTHING_TO_SAY = "no plan or no open items to show"
# A record the database could not take now is tried again after these many seconds, doubling.
RECORD_RETRY_FIRST = 0.2
RECORD_RETRY_CAP = 5.0


@dataclass(frozen=True, slots=True)
class SentPart:
    """One Telegram message that went out: its id and the items it lists, in order."""

    message_id: int
    item_ids: tuple[int, ...]
    # "reminder" when it carries reminders, else "digest" or "plan" (the month's plan).
    kind: str


@dataclass(slots=True)
class DeliveryResult:
    """What the notifier achieved for one chat: the parts sent, and why it stopped if it did."""

    parts: list[SentPart] = field(default_factory=list)
    failure: Retry | None = None
    # Telegram moved the group to a supergroup with this id.
    migrated_to: int | None = None


@dataclass(frozen=True, slots=True)
class Recording:
    """How a notifier hands back each message it sends, so that this instance never has more
    than one message out and not recorded.

    `gate` is taken just before a message leaves (after any wait for Telegram's windows) and
    given back once `record(part)` has returned; `record` returns only when the message is in
    the database, however long that takes."""

    gate: asyncio.Lock
    record: Callable[[SentPart], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class FailureNote:
    tg_chat_id: int
    items: tuple[tuple[int, str], ...]  # (seq, title)
    error: str


class Notifier(Protocol):
    """The bot's side: render content, send it, say what happened. Never raises for Telegram."""

    async def deliver(
        self, content: MessageContent, *, stopped: asyncio.Event, recording: Recording
    ) -> DeliveryResult:
        """Send the content's messages one by one, each under `recording.gate` and handed to
        `recording.record` before the gate opens; before each (and while one waits for
        Telegram's windows), give up with `STOPPED` as the failure once `stopped` is set: the
        instance is shutting down."""
        ...

    async def report_failures(self, failures: Sequence[FailureNote]) -> None: ...


@dataclass(slots=True)
class PassReport:
    claimed: int = 0
    messages: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    superseded: int = 0
    cancelled: int = 0
    digests: int = 0

    def __str__(self) -> str:
        return (
            f"{self.claimed} claimed, {self.messages} messages, {self.sent} reminders sent, "
            f"{self.digests} digests, {self.retried} to retry, {self.failed} failed, "
            f"{self.superseded} superseded, {self.cancelled} cancelled"
        )


@dataclass(slots=True)
class _Job:
    """One chat's content and the outbox rows it carries."""

    content: MessageContent
    chat_id: int | None = None  # our Chat.id, for a plan's group
    reminders: dict[int, ClaimedReminder] = field(default_factory=dict)  # by item id
    digests: list[ClaimedDigest] = field(default_factory=list)
    delivery: DeliveryResult | None = None


@dataclass(slots=True)
class _DispatchPlan:
    groups: list[_Job] = field(default_factory=list)
    departments: list[_Job] = field(default_factory=list)
    cancelled_reminders: list[int] = field(default_factory=list)
    cancelled_digests: list[int] = field(default_factory=list)
    facts: dict[int, ItemFacts] = field(default_factory=dict)
    # Progress collection: a department's own chat is asked once the group's ask is out.
    round_chats: list[tuple[_Job, _Job]] = field(default_factory=list)


class Dispatcher:
    def __init__(
        self,
        db: Database,
        planner: ReminderPlanner,
        notifier: Notifier,
        *,
        supervisors: Sequence[str | int] = (),
        default_locale: str = "zh_CN",
        max_attempts: int = 5,
        lease: float = LEASE.total_seconds(),
        retry_base: float = 30.0,
        retry_cap: float = 30 * 60.0,
        concurrency: int = 12,
        on_pass: Callable[[datetime, PassReport], None] | None = None,
    ) -> None:
        self.db = db
        # Told after every pass (the bot's /metrics shows when the last one ran).
        self.on_pass = on_pass
        self.planner = planner
        self.notifier = notifier
        self.supervisors = tuple(supervisors)
        self.default_locale = default_locale
        self.max_attempts = max_attempts
        self.lease = timedelta(seconds=lease)
        self.retry_base = retry_base
        self.retry_cap = retry_cap
        self._slots = asyncio.Semaphore(concurrency)
        # One pass at a time in this process; other processes are kept apart by the claims.
        self._lock = asyncio.Lock()
        # Department chats already reported as unreachable this run.
        self._told: set[int] = set()
        # One of the pass's own transactions at a time: they overlap in time (one part is
        # recorded while the next is prepared), and on SQLite they would queue on the file's
        # write lock instead, in no particular order.
        self._writing = asyncio.Lock()
        # Held by the notifier from just before a message leaves until it is recorded.
        self._unrecorded = asyncio.Lock()
        # Set by stop(); sends waiting for Telegram's windows watch it and give up at once.
        self._stopped = asyncio.Event()

    def stop(self) -> None:
        """Shutting down: no new claims, no new messages; those in flight finish."""
        self._stopped.set()

    def stopping(self) -> bool:
        return self._stopped.is_set()

    @contextlib.asynccontextmanager
    async def _session(self) -> AsyncIterator[AsyncSession]:
        async with self._writing, self.db.session() as session:
            yield session

    # --- the pass -------------------------------------------------------------------------

    async def dispatch(self, now: datetime) -> PassReport:
        async with self._lock:
            report = await self._pass(now)
        if self.on_pass is not None:
            self.on_pass(now, report)
        return report

    async def _pass(self, now: datetime) -> PassReport:
        report = PassReport()
        async with self._session() as session:
            due = await due_chats(session, now)
        if not due:
            return report
        # Chat by chat, in parts: while one part is sent (at Telegram's pace) the next is
        # claimed and prepared and the last one recorded, so a large pass costs little
        # more than the sending itself.
        notes: list[FailureNote] = []
        sending: list[asyncio.Task[None]] = []
        for chats in in_parts(due, FIRST_PART, PART):
            if self.stopping():
                break
            # Claimed and committed before anything is sent: from then on no other
            # dispatcher takes these rows.
            async with self._session() as session:
                claim = await claim_due(session, now, lease=self.lease, chat_ids=chats)
                report.superseded += claim.superseded
                report.claimed += len(claim.reminders) + len(claim.digests)
                if not claim:
                    continue  # another dispatcher took these chats
                plan = await self._compose(session, claim, now)
                await mark_cancelled(session, Reminder, plan.cancelled_reminders, ITEM_DONE)
                await mark_cancelled(session, Digest, plan.cancelled_digests, NOTHING_TO_SAY)
            report.cancelled += len(plan.cancelled_reminders) + len(plan.cancelled_digests)
            sending.append(asyncio.create_task(self._send(plan, now, report, notes)))
            await asyncio.sleep(0)  # let its first messages go before preparing more
        for failed in await asyncio.gather(*sending, return_exceptions=True):
            if isinstance(failed, BaseException):
                # Its rows stay claimed; the lease runs out and a later pass sends them.
                log.error("a part of the reminder pass failed", exc_info=failed)
        if notes:
            try:
                await self.notifier.report_failures(notes)
            except Exception:
                log.exception("could not tell the admins about %d failures", len(notes))
        log.info("reminder pass at %s: %s", now.isoformat(timespec="seconds"), report)
        return report

    async def _send(
        self, plan: _DispatchPlan, now: datetime, report: PassReport, notes: list[FailureNote]
    ) -> None:
        """Deliver one part's messages, each chat's recorded as soon as it is out."""
        await self._deliver_all(plan.groups, plan, now, report, notes)
        reached = {
            item_id
            for job in plan.groups
            for part in (job.delivery.parts if job.delivery else [])
            for item_id in part.item_ids
            if item_id in job.reminders
        }
        departments = [j for j in (_only(job, reached) for job in plan.departments) if j]
        await self._deliver_all(departments, plan, now, report, notes)
        rounds = [
            own
            for group, own in plan.round_chats
            if group.delivery is not None and group.delivery.failure is None
        ]
        await self._deliver_all(rounds, plan, now, report, notes)

    async def preview(self, now: datetime) -> list[MessageContent]:
        """What a pass at `now` would send, writing nothing (for `planbot remind --dry-run`)."""
        async with self.db.sessionmaker() as session:
            claim = await claim_due(session, now, lease=self.lease, lock=False)
            plan = await self._compose(session, claim, now)
            await session.rollback()
        return [job.content for job in [*plan.groups, *plan.departments]]

    # --- deciding what each chat is told --------------------------------------------------

    async def _compose(self, session: AsyncSession, claim: Claim, now: datetime) -> _DispatchPlan:
        planner = self.planner
        today = now.astimezone(planner.tz).date()
        out = _DispatchPlan()
        rows = {r.item_id: r for r in claim.reminders}
        facts = await load_facts(session, rows, acks_since=now)
        for item_id, row in rows.items():
            if item_id not in facts or facts[item_id].done:
                out.cancelled_reminders.append(row.id)
                facts.pop(item_id, None)

        # The month's bulletin is a message of its own (_bulletin_jobs), not a digest section;
        # so are progress collection's asks and chases (jobs/collection.py).
        bulletins = [d for d in claim.digests if d.kind == BULLETIN]
        await self._compose_rounds(
            session, [d for d in claim.digests if d.kind in collection.KINDS], out
        )
        digests: dict[int, list[ClaimedDigest]] = {}
        for d in claim.digests:
            if d.kind != BULLETIN and d.kind not in collection.KINDS:
                digests.setdefault(d.chat_id, []).append(d)
        tails: dict[int, tuple[str, Plan, list[int]]] = {}
        for chat_id, due in digests.items():
            tail = await self._tail(session, chat_id, due, today)
            if tail is not None:
                tails[chat_id] = tail
        tail_ids = {i for _, _, ids in tails.values() for i in ids} - facts.keys()
        tail_facts = await load_facts(session, tail_ids) if tail_ids else {}

        chat_ids = {f.chat_id for f in facts.values()} | digests.keys()
        chats = {
            row_id(c): c
            for c in await session.scalars(select(Chat).where(pk(Chat.id).in_(chat_ids)))
        }
        people = await chat_people(session, chat_ids) if self.supervisors else {}

        by_chat: dict[int, list[ItemFacts]] = {}
        for f in facts.values():
            by_chat.setdefault(f.chat_id, []).append(f)
        for chat_id in sorted(chat_ids):
            # Building a chat's entries is pure work; between chats the sends of earlier
            # parts get the event loop, so their answers are read (and counted) on time.
            await asyncio.sleep(0)
            chat = chats[chat_id]
            policy = chat_policy(planner.defaults, chat.settings)
            supervisors = resolve_supervisors(self.supervisors, people.get(chat_id, []))
            own = by_chat.get(chat_id, [])
            entries = sorted(
                (
                    entry_for(
                        f,
                        as_of=today,
                        target=chat.tg_chat_id,
                        policy=policy,
                        calendar=planner.calendar,
                        escalated=rows[f.item_id].escalated,
                        supervisors=supervisors,
                    )
                    for f in own
                ),
                key=plan_order,
            )
            sections = [Section("reminders", tuple(entries))] if entries else []
            tail = tails.get(chat_id)
            if tail is not None:
                kind, tail_plan, ids = tail
                listed = {e.item_id for e in entries}
                rest = [
                    entry_for(
                        tail_facts.get(i) or facts[i],
                        as_of=today,
                        target=chat.tg_chat_id,
                        policy=policy,
                        calendar=planner.calendar,
                        reminder=False,
                    )
                    for i in ids
                    if i not in listed and (i in tail_facts or i in facts)
                ]
                rest.sort(key=urgency_order if kind == "weekly" else plan_order)
                if rest:
                    sections.append(
                        Section(
                            kind,  # type: ignore[arg-type]
                            tuple(rest),
                            tail_plan.year,
                            tail_plan.month,
                            tail_plan.quarter,
                        )
                    )
            if not sections:
                out.cancelled_digests += [d.id for d in digests.get(chat_id, [])]
                continue
            out.groups.append(
                _Job(
                    MessageContent(
                        chat.tg_chat_id,
                        chat.locale or self.default_locale,
                        today,
                        tuple(sections),
                    ),
                    chat_id=chat_id,
                    reminders={f.item_id: rows[f.item_id] for f in own},
                    digests=digests.get(chat_id, []),
                )
            )
        out.departments = await self._department_jobs(session, facts, chats, rows, today)
        out.facts = facts | tail_facts
        if bulletins:
            await self._bulletin_jobs(session, bulletins, today, out)
        return out

    async def _bulletin_jobs(
        self, session: AsyncSession, due: list[ClaimedDigest], today: date, out: _DispatchPlan
    ) -> None:
        """The month-end 通报 of each chat with one due: its month's plan (the month of the
        day it was planned for) counted as of `today`; nothing to say without a plan or items."""
        for d in due:
            chat = await session.get(Chat, d.chat_id)
            day = d.fire_at.astimezone(self.planner.tz).date()
            plan = await get_plan(session, d.chat_id, day.year, day.month) if chat else None
            if chat is None or plan is None or plan.archived:
                out.cancelled_digests.append(d.id)
                continue
            bulletin = await plan_bulletin(session, plan, self.planner.tz, today)
            if bulletin.empty:
                out.cancelled_digests.append(d.id)
                continue
            locale = chat.locale or self.default_locale
            content = MessageContent(chat.tg_chat_id, locale, today, (), bulletin=bulletin)
            out.groups.append(_Job(content, chat_id=d.chat_id, digests=[d]))

    async def _compose_rounds(
        self, session: AsyncSession, due: list[ClaimedDigest], out: _DispatchPlan
    ) -> None:
        """Progress collection's asks and chases (jobs/collection.py): a job per chat told,
        the group's carrying the outbox row."""
        for d in sorted(due, key=lambda d: (d.chat_id, d.fire_at)):
            chat = await session.get(Chat, d.chat_id)
            contents = (
                await collection.compose(
                    session,
                    chat,
                    d.kind,
                    d.fire_at,
                    tz=self.planner.tz,
                    default_locale=self.default_locale,
                )
                if chat is not None
                else []
            )
            if not contents:
                out.cancelled_digests.append(d.id)
                continue
            group = _Job(contents[0], chat_id=d.chat_id, digests=[d])
            out.groups.append(group)
            out.round_chats += [(group, _Job(content)) for content in contents[1:]]

    async def _tail(
        self, session: AsyncSession, chat_id: int, due: list[ClaimedDigest], today: date
    ) -> tuple[str, Plan, list[int]] | None:
        """The digest part of a chat's message: the month's plan, else the weekly overview."""
        kinds = {d.kind: d for d in due}
        if MONTH_POST in kinds:
            day = kinds[MONTH_POST].fire_at.astimezone(self.planner.tz).date()
            plan, ids = await month_items(session, chat_id, day.year, day.month)
            if plan is not None and ids:
                return "month", plan, ids
        if WEEKLY in kinds:
            plan, ids = await weekly_items(session, chat_id, today)
            if plan is not None and ids:
                return "weekly", plan, ids
        return None

    async def _department_jobs(
        self,
        session: AsyncSession,
        facts: dict[int, ItemFacts],
        chats: dict[int, Chat],
        rows: dict[int, ClaimedReminder],
        today: date,
    ) -> list[_Job]:
        targets: dict[int, list[ItemFacts]] = {}
        names: dict[int, list[str]] = {}
        for f in facts.values():
            # A department whose part is done, or a partner, is not reminded in its own chat.
            for d in f.owing():
                if d.tg_chat_id is not None and d.tg_chat_id != f.tg_chat_id:
                    if f not in targets.setdefault(d.tg_chat_id, []):
                        targets[d.tg_chat_id].append(f)
                    if d.name not in names.setdefault(d.tg_chat_id, []):
                        names[d.tg_chat_id].append(d.name)
        jobs = []
        for tg_chat_id, items in sorted(targets.items()):
            known = await get_chat(session, tg_chat_id)
            entries = sorted(
                (
                    entry_for(
                        f,
                        as_of=today,
                        target=tg_chat_id,
                        policy=chat_policy(self.planner.defaults, chats[f.chat_id].settings),
                        calendar=self.planner.calendar,
                        escalated=rows[f.item_id].escalated,
                    )
                    for f in items
                ),
                key=plan_order,
            )
            locale = (known.locale if known else None) or self.default_locale
            content = MessageContent(
                tg_chat_id,
                locale,
                today,
                (Section("reminders", tuple(entries)),),
                department="、".join(names[tg_chat_id]),
            )
            jobs.append(_Job(content))
        return jobs

    # --- sending --------------------------------------------------------------------------

    async def _deliver_all(
        self,
        jobs: list[_Job],
        plan: _DispatchPlan,
        now: datetime,
        report: PassReport,
        notes: list[FailureNote],
    ) -> None:
        async def one(job: _Job) -> None:
            async with self._slots:
                job.delivery = await self._deliver(job, now, report)
                if job.delivery.migrated_to is not None and job.chat_id is not None:
                    job.delivery = await self._follow_migration(
                        job, job.delivery.migrated_to, now, report
                    )
            note = await self._record(job, plan.facts, now, report)
            if note is not None:
                notes.append(note)

        await asyncio.gather(*(one(job) for job in jobs))

    async def _deliver(self, job: _Job, now: datetime, report: PassReport) -> DeliveryResult:
        if self.stopping():
            return DeliveryResult(failure=STOPPED)

        async def record(part: SentPart) -> None:
            await self._record_sent(job, part, now, report)

        recording = Recording(self._unrecorded, record)
        try:
            return await self.notifier.deliver(
                job.content, stopped=self._stopped, recording=recording
            )
        except Exception as exc:  # a rendering bug must not lose the rows
            log.exception("notifier failed for chat %s", job.content.tg_chat_id)
            return DeliveryResult(failure=Retry(f"{type(exc).__name__}: {exc}"))

    async def _follow_migration(
        self, job: _Job, new_id: int, now: datetime, report: PassReport
    ) -> DeliveryResult:
        """A group that became a supergroup: move our chat to the new id and send again."""
        async with self._session() as session:
            await migrate_chat(session, job.content.tg_chat_id, new_id)
        log.info("chat %s moved to %s; sending there", job.content.tg_chat_id, new_id)
        job.content = replace(job.content, tg_chat_id=new_id)
        return await self._deliver(job, now, report)

    # --- recording ------------------------------------------------------------------------

    async def _record_sent(
        self, job: _Job, part: SentPart, now: datetime, report: PassReport
    ) -> None:
        """One message that went out: its id and items, its rows sent — the chat's digests
        too, pointing at its latest message. Tried until the database takes it: while this
        waits, the notifier sends nothing else."""
        tg_chat_id = job.content.tg_chat_id
        sent: dict[int, tuple[int | None, int | None]] = {
            row.id: (tg_chat_id, part.message_id)
            for item_id in part.item_ids
            if (row := job.reminders.get(item_id)) is not None
        }
        digests: dict[int, tuple[int | None, int | None]] = {
            d.id: (None, part.message_id) for d in job.digests
        }
        wait = RECORD_RETRY_FIRST
        tries = 0
        while True:
            tries += 1
            try:
                async with self._session() as session:
                    message = SentMessage(tg_chat_id, part.message_id, part.item_ids, part.kind)
                    await record_messages(session, [message], at=now)
                    await mark_sent(session, Reminder, sent)
                    await mark_sent(session, Digest, digests)
                    if job.content.collection is not None:
                        await collection.record_round_message(
                            session,
                            job.content.collection,
                            tg_chat_id,
                            part.message_id,
                            part.item_ids,
                            now,
                        )
                break
            except Exception as error:
                if not is_transient(error):
                    raise
                log.warning(
                    "message %s to chat %s is sent but not yet recorded (%s): sending waits",
                    part.message_id,
                    tg_chat_id,
                    f"{type(error).__name__}: {error}".splitlines()[0],
                )
                await asyncio.sleep(wait)
                wait = min(wait * 2, RECORD_RETRY_CAP)
        if tries > 1:
            log.info("message %s to chat %s recorded; sending goes on", part.message_id, tg_chat_id)
        report.messages += 1
        report.sent += len(sent)

    async def _record(
        self, job: _Job, facts: dict[int, ItemFacts], now: datetime, report: PassReport
    ) -> FailureNote | None:
        """What became of one chat's rows once its messages are out and recorded; a note for
        the admins when some are lost."""
        delivery = job.delivery or DeliveryResult(failure=Retry("not sent"))
        failure = delivery.failure or Retry("not sent")
        tg_chat_id = job.content.tg_chat_id
        reached = {i for part in delivery.parts for i in part.item_ids}
        async with self._session() as session:
            unsent = {r.id: r.attempts for i, r in job.reminders.items() if i not in reached}
            failed = set(await self._release(session, Reminder, unsent, failure, now))
            report.retried += len(unsent) - len(failed)
            report.failed += len(failed)
            lost = [i for i, r in job.reminders.items() if r.id in failed]

            if job.digests and delivery.failure is None and delivery.parts:
                report.digests += len(job.digests)
            elif job.digests:
                # Not all of it went out: the digest goes again (marked sent by a first part).
                rows = {d.id: d.attempts for d in job.digests}
                if await self._release(session, Digest, rows, failure, now):
                    lost += [i for i in job.content.item_ids if i not in job.reminders]

        if job.chat_id is None and delivery.failure not in (None, STOPPED):
            # A department's chat has no rows of its own to fail: tell the admins the first
            # time it refuses, not at every reminder.
            if tg_chat_id not in self._told:
                self._told.add(tg_chat_id)
                lost = list(job.content.item_ids)
        return self._note(tg_chat_id, lost, facts, failure) if lost else None

    async def _release(
        self,
        session: AsyncSession,
        model: type[Reminder] | type[Digest],
        rows: dict[int, int],
        failure: Retry,
        now: datetime,
    ) -> list[int]:
        if not rows:
            return []
        return await release(
            session,
            model,
            rows,
            failure,
            now=now,
            max_attempts=self.max_attempts,
            base=self.retry_base,
            cap=self.retry_cap,
        )

    @staticmethod
    def _note(
        tg_chat_id: int, item_ids: list[int], facts: dict[int, ItemFacts], failure: Retry
    ) -> FailureNote:
        items = tuple(sorted((facts[i].seq, facts[i].title) for i in item_ids if i in facts))
        return FailureNote(tg_chat_id, items, failure.error)


def _only(job: _Job, item_ids: set[int]) -> _Job | None:
    """A department chat's job keeping just the items whose reminder reached the group."""
    sections = []
    for section in job.content.sections:
        entries = tuple(e for e in section.entries if e.item_id in item_ids)
        if entries:
            sections.append(replace(section, entries=entries))
    if not sections:
        return None
    return replace(job, content=replace(job.content, sections=tuple(sections)))
