"""The dispatcher with a recording notifier: what each chat is told, and what becomes of rows."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from jobs.claims import Retry
from jobs.outbox import SETTINGS_KEY
from storage.chats import get_chat, get_or_create_chat
from storage.departments import add_member, get_department
from storage.messages import items_for_message
from storage.models import Digest, Item, ItemStatus, Plan, Reminder, ReminderState
from storage.people import bind_person
from tests.support.dispatch import (
    GROUP,
    Recorder,
    at,
    dispatcher,
    local_day,
    planner,
    sample_office,
)

ALL = list(range(1, 11))


async def _rows(db, state: str | None = None) -> list[Reminder]:
    async with db.session() as session:
        query = select(Reminder).order_by(Reminder.fire_at, Reminder.item_id)
        if state is not None:
            query = query.where(Reminder.state == state)
        return list(await session.scalars(query))


async def test_one_message_per_chat_listing_every_item_due_there(db):
    plan, notifier = planner(), Recorder()
    await sample_office(db, plan, at(2020, 10, 20, 10))
    await sample_office(db, plan, at(2020, 10, 20, 10), tg_chat_id=-2002)
    d = dispatcher(db, plan, notifier)

    report = await d.dispatch(at(2020, 10, 23))
    assert sorted(c.tg_chat_id for c in notifier.delivered) == [-2002, GROUP]
    assert notifier.items() == [ALL] and notifier.items(-2002) == [ALL]
    assert report.sent == 20 and report.messages == 2
    content = notifier.delivered[0]
    assert content.as_of == date(2020, 10, 23)
    assert {e.days_left for s in content.sections for e in s.entries} == {8}

    # The message maps back to its items, and the rows say which message carried them.
    sent = [r for r in await _rows(db, ReminderState.SENT.value)]
    assert len(sent) == 20 and {r.tg_chat_id for r in sent} == {GROUP, -2002}
    group_rows = [r for r in sent if r.tg_chat_id == GROUP]
    async with db.session() as session:
        items = await items_for_message(session, GROUP, group_rows[0].tg_message_id)
    assert [i.seq for i in items] == ALL

    assert (await d.dispatch(at(2020, 10, 23, 9, 1))).claimed == 0
    assert len(notifier.delivered) == 2


async def test_a_stop_lets_the_message_in_flight_finish_and_gives_the_rest_back(db):
    plan, notifier = planner(), Recorder()
    for chat in (GROUP, -2002, -2003):
        await sample_office(db, plan, at(2020, 10, 20, 10), tg_chat_id=chat)
    d = dispatcher(db, plan, notifier)
    # SIGTERM arrives while the second chat's message is on its way.
    notifier.during = lambda n: d.stop() if n == 2 else None

    report = await d.dispatch(at(2020, 10, 23))
    assert len(notifier.delivered) == 2 and report.sent == 20 and report.failed == 0
    due = [r for r in await _rows(db) if r.fire_at <= at(2020, 10, 23)]
    assert sorted(r.state for r in due) == ["pending"] * 10 + ["sent"] * 20
    given_back = [r for r in due if r.state == ReminderState.PENDING.value]
    assert all(r.attempts == 0 for r in given_back), "a stop is not a failed attempt"
    assert not notifier.reports, "nobody is told about a stop"
    stopped_chat = ({GROUP, -2002, -2003} - {c.tg_chat_id for c in notifier.delivered}).pop()

    # Another instance's pass a moment later sends the rest at once (no lease to wait out),
    # and nothing twice.
    report = await dispatcher(db, plan, notifier).dispatch(
        at(2020, 10, 23, 9, 0) + timedelta(seconds=5)
    )
    assert report.sent == 10
    assert [c.tg_chat_id for c in notifier.delivered[2:]] == [stopped_chat]
    assert notifier.items(stopped_chat) == [ALL]


async def test_nothing_goes_out_early_and_a_late_pass_sends_it_once(db):
    plan, notifier = planner(), Recorder()
    await sample_office(db, plan, at(2020, 10, 20, 10))
    d = dispatcher(db, plan, notifier)
    assert (await d.dispatch(at(2020, 10, 23, 8, 59))).claimed == 0
    await d.dispatch(at(2020, 10, 24, 12))  # down all Friday: Saturday noon sends it, late
    await d.dispatch(at(2020, 10, 25, 12))
    assert [c.as_of for c in notifier.delivered] == [date(2020, 10, 24)]


async def test_after_an_outage_only_the_newest_reminder_per_item_goes_out(db):
    plan, notifier = planner(), Recorder()
    # Planned on 10-22: its 14-day window reaches 11-04, the day the bot is back.
    await sample_office(db, plan, at(2020, 10, 22, 10))
    d = dispatcher(db, plan, notifier)

    report = await d.dispatch(at(2020, 11, 4, 10))
    assert notifier.items() == [ALL]
    assert report.superseded == 50  # 10-23, 10-28, 10-30, 11-02, 11-03 for ten items
    entries = notifier.delivered[0].sections[0].entries
    assert all(e.escalated and e.days_left == -4 for e in entries)
    sent = await _rows(db, ReminderState.SENT.value)
    assert {local_day(r.fire_at) for r in sent} == {date(2020, 11, 4)}
    assert (await d.dispatch(at(2020, 11, 4, 10, 5))).claimed == 0
    assert len(notifier.delivered) == 1


async def test_a_done_item_stops_appearing(db):
    plan, notifier = planner(), Recorder()
    ids = await sample_office(db, plan, at(2020, 10, 20, 10))
    d = dispatcher(db, plan, notifier)
    await d.dispatch(at(2020, 10, 23))
    async with db.session() as session:
        item = await session.get(Item, ids[2])
        item.status = ItemStatus.DONE.value
        await plan.cancel(session, [ids[2]])
        # Done in a race after its row was planned and without the cancel: still not reminded.
        other = await session.get(Item, ids[3])
        other.status = ItemStatus.DONE.value
    report = await d.dispatch(at(2020, 10, 28))
    assert notifier.items()[-1] == [1, 2, 5, 6, 7, 8, 9, 10]
    assert report.cancelled == 1


async def test_a_transient_failure_backs_off_and_then_goes_out_once(db):
    plan = planner()
    notifier = Recorder(script=[Retry("NetworkError: Bad Gateway")])
    await sample_office(db, plan, at(2020, 10, 20, 10))
    d = dispatcher(db, plan, notifier, retry_base=30.0)

    report = await d.dispatch(at(2020, 10, 23))
    assert report.retried == 10 and notifier.delivered == []
    pending = await _rows(db, ReminderState.PENDING.value)
    first = [r for r in pending if local_day(r.fire_at) == date(2020, 10, 23)]
    assert len(first) == 10 and {r.attempts for r in first} == {1}
    assert {r.claimed_until for r in first} == {at(2020, 10, 23, 9, 0) + timedelta(seconds=30)}

    assert (await d.dispatch(at(2020, 10, 23, 9, 0) + timedelta(seconds=20))).claimed == 0
    report = await d.dispatch(at(2020, 10, 23, 9, 1))
    assert report.sent == 10 and notifier.items() == [ALL]


async def test_a_429_waits_what_telegram_says_and_costs_no_attempt(db):
    plan = planner()
    notifier = Recorder(script=[Retry("RetryAfter", retry_after=7)] * 3)
    await sample_office(db, plan, at(2020, 10, 20, 10))
    d = dispatcher(db, plan, notifier, max_attempts=2)
    moment = at(2020, 10, 23)
    for _ in range(3):
        await d.dispatch(moment)
        moment += timedelta(seconds=7)
    await d.dispatch(moment)
    assert notifier.items() == [ALL] and notifier.reports == []
    assert {r.attempts for r in await _rows(db, ReminderState.SENT.value)} == {0}


async def test_out_of_attempts_the_rows_fail_and_the_admins_are_told_once(db):
    plan = planner()
    notifier = Recorder(script=[Retry("TimedOut")] * 10)
    await sample_office(db, plan, at(2020, 10, 20, 10))
    d = dispatcher(db, plan, notifier, max_attempts=3, retry_base=1.0)
    moment = at(2020, 10, 23)
    for _ in range(5):
        await d.dispatch(moment)
        moment += timedelta(minutes=1)
    failed = await _rows(db, ReminderState.FAILED.value)
    assert len(failed) == 10 and {r.attempts for r in failed} == {3}
    assert {r.last_error for r in failed} == {"TimedOut"}
    assert len(notifier.attempts) == 3
    assert len(notifier.reports) == 1
    (note,) = notifier.reports[0]
    assert note.tg_chat_id == GROUP and [seq for seq, _ in note.items] == ALL


async def test_a_refusal_fails_at_once(db):
    plan = planner()
    notifier = Recorder(script=[Retry("Forbidden: bot was kicked", permanent=True)])
    await sample_office(db, plan, at(2020, 10, 20, 10))
    await dispatcher(db, plan, notifier).dispatch(at(2020, 10, 23))
    assert len(await _rows(db, ReminderState.FAILED.value)) == 10
    assert len(notifier.reports) == 1


async def test_a_group_that_became_a_supergroup_is_followed(db):
    plan = planner()
    notifier = Recorder(migrate={GROUP: -1009999})
    await sample_office(db, plan, at(2020, 10, 20, 10))
    await dispatcher(db, plan, notifier).dispatch(at(2020, 10, 23))
    assert notifier.items(-1009999) == [ALL]
    async with db.session() as session:
        assert await get_chat(session, -1009999) is not None
    sent = await _rows(db, ReminderState.SENT.value)
    assert {r.tg_chat_id for r in sent} == {-1009999}


async def _departments(db) -> dict[str, int]:
    """权益保障部 gets its own chat and two bound members; the leader 高启秀 is bound."""
    async with db.session() as session:
        chat = await get_or_create_chat(session, GROUP)
        leader = await bind_person(session, chat.id, "高启秀", 11)
        a = await bind_person(session, chat.id, "小王", 21)
        b = await bind_person(session, chat.id, "小李", 22)
        department = await get_department(session, chat.id, "权益保障部")
        department.tg_chat_id = -3003
        for person in (a, b):
            await add_member(session, department.id, person.id)
        office = await get_department(session, chat.id, "办公室")
        await add_member(session, office.id, b.id)
    return {"leader": leader.tg_user_id, "a": 21, "b": 22}


async def test_a_department_with_its_own_chat_gets_its_items_there_too(db):
    plan, notifier = planner(), Recorder()
    await sample_office(db, plan, at(2020, 10, 20, 10))
    await _departments(db)
    await dispatcher(db, plan, notifier).dispatch(at(2020, 10, 23))
    assert notifier.items() == [ALL]
    assert notifier.items(-3003) == [[1, 2, 3, 5]]

    group = {e.seq: e for e in notifier.delivered[0].sections[0].entries}
    # In the group the department is reminded in its own chat, so nobody is pinged for item 1;
    # item 10's department (办公室) has no chat: its member is pinged in the group.
    assert not any(p.mention for p in group[1].leaders)
    assert not any(p.mention for d in group[1].departments for p in d.people)
    assert [p.name for d in group[10].departments for p in d.people if p.mention] == ["小李"]
    department = notifier.delivered[1]
    assert department.department == "权益保障部"
    first = department.sections[0].entries[0]
    assert [p.name for d in first.departments for p in d.people if p.mention] == ["小王", "小李"]
    assert not any(p.mention for p in first.leaders)


async def test_escalated_reminders_ping_leaders_and_supervisors(db):
    plan, notifier = planner(), Recorder()
    await sample_office(db, plan, at(2020, 10, 22, 10))  # its window reaches 11-04
    await _departments(db)
    async with db.session() as session:
        chat = await get_or_create_chat(session, GROUP)
        await bind_person(session, chat.id, "官庆军", 99)
    d = dispatcher(db, plan, notifier, supervisors=["官 庆军", 77])
    await d.dispatch(at(2020, 11, 3))  # the second overdue day: not yet escalated
    await d.dispatch(at(2020, 11, 4))
    before, after = notifier.delivered[0], notifier.delivered[2]
    assert not before.sections[0].entries[0].escalated
    first = after.sections[0].entries[0]
    assert first.escalated
    assert [(p.name, p.tg_user_id, p.mention) for p in first.leaders] == [("高启秀", 11, True)]
    assert [(p.name, p.tg_user_id) for p in first.supervisors] == [("官庆军", 99), ("", 77)]
    in_department = notifier.delivered[3].sections[0].entries[0]
    assert in_department.escalated and in_department.supervisors == ()
    assert in_department.leaders[0].mention


async def test_a_digest_and_reminders_due_together_are_one_message_without_repeats(db):
    plan, notifier = planner(), Recorder()
    ids = await sample_office(db, plan, at(2020, 10, 20, 10))
    async with db.session() as session:
        for item_id in ids[5:]:
            (await session.get(Item, item_id)).snoozed_until = date(2020, 11, 3)
        await plan.replan(session, ids, now=at(2020, 10, 20, 10))
        chat = await get_or_create_chat(session, GROUP)
        session.add(Digest(chat_id=chat.id, kind="weekly", fire_at=at(2020, 11, 2)))
        session.add(Digest(chat_id=chat.id, kind="month_post", fire_at=at(2020, 11, 2)))
    d = dispatcher(db, plan, notifier)
    for day in (23, 28, 30):
        await d.dispatch(at(2020, 10, day))
    report = await d.dispatch(at(2020, 11, 2))
    (content,) = [c for c in notifier.delivered if c.as_of == date(2020, 11, 2)]
    kinds = [(s.kind, [e.seq for e in s.entries]) for s in content.sections]
    # No November plan: the month post has nothing to post and the weekly digest carries on.
    assert kinds == [("reminders", [1, 2, 3, 4, 5]), ("weekly", [6, 7, 8, 9, 10])]
    assert report.digests == 2
    async with db.session() as session:
        states = set(await session.scalars(select(Digest.state)))
    assert states == {ReminderState.SENT.value}


async def test_a_digest_alone_lists_the_open_items_overdue_first(db):
    plan, notifier = planner(), Recorder()
    ids = await sample_office(db, plan, at(2020, 10, 20, 10))
    async with db.session() as session:
        (await session.get(Item, ids[0])).status = ItemStatus.DONE.value
        (await session.get(Item, ids[1])).deadline = date(2020, 10, 20)
        chat = await get_or_create_chat(session, GROUP)
        session.add(Digest(chat_id=chat.id, kind="weekly", fire_at=at(2020, 10, 26)))
    d = dispatcher(db, plan, notifier)
    await d.dispatch(at(2020, 10, 23))
    await d.dispatch(at(2020, 10, 26))
    content = notifier.delivered[-1]
    (section,) = content.sections
    assert section.kind == "weekly" and (section.plan_year, section.plan_month) == (2020, 10)
    assert [e.seq for e in section.entries] == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert [e.marker for e in section.entries][:2] == ["overdue", "near"]


async def test_a_chat_with_reminders_off_gets_none(db):
    plan, notifier = planner(), Recorder()
    ids = await sample_office(db, plan, at(2020, 10, 20, 10))
    async with db.session() as session:
        chat = await get_or_create_chat(session, GROUP)
        chat.settings = {SETTINGS_KEY: {"enabled": False}}
        await session.flush()
        await plan.replan(session, ids, now=at(2020, 10, 20, 10))
    await dispatcher(db, plan, notifier).dispatch(at(2020, 10, 23))
    assert notifier.delivered == []


async def test_preview_claims_nothing(db):
    plan, notifier = planner(), Recorder()
    await sample_office(db, plan, at(2020, 10, 20, 10))
    d = dispatcher(db, plan, notifier)
    contents = await d.preview(at(2020, 10, 23))
    assert [[e.seq for e in c.sections[0].entries] for c in contents] == [ALL]
    assert len(await _rows(db, ReminderState.CLAIMED.value)) == 0
    assert (await d.dispatch(at(2020, 10, 23))).sent == 10


async def test_a_monthly_recurring_item_is_reminded_each_month(db):
    from jobs.upkeep import upkeep

    plan, notifier = planner(), Recorder()
    ids = await sample_office(db, plan, at(2020, 10, 20, 10))
    async with db.session() as session:
        item = await session.get(Item, ids[0])
        item.deadline, item.recurring = None, True
        await plan.replan(session, [ids[0]], now=at(2020, 10, 20, 10))
    await upkeep(db, plan, now=at(2020, 11, 2, 0, 5))  # the daily upkeep in November
    async with db.session() as session:
        rows = await session.scalars(
            select(Reminder.fire_at).where(
                Reminder.item_id == ids[0], Reminder.state == ReminderState.PENDING.value
            )
        )
        days = sorted(local_day(r) for r in rows)
    assert days == [date(2020, 11, 23), date(2020, 11, 27), date(2020, 11, 30)]
    await dispatcher(db, plan, notifier).dispatch(at(2020, 11, 23))
    (entry,) = [e for c in notifier.delivered for e in c.sections[0].entries if e.seq == 1]
    assert entry.deadline == date(2020, 11, 30) and entry.days_left == 7


async def test_the_months_plan_is_posted_on_its_first_working_day(db):
    plan, notifier = planner(), Recorder()
    await sample_office(db, plan, at(2020, 10, 20, 10))
    async with db.session() as session:
        chat = await get_or_create_chat(session, GROUP)
        november = Plan(chat_id=chat.id, year=2020, month=11, title="十一月份工作计划")
        session.add(november)
        await session.flush()
        for seq in (1, 2):
            title, deadline = f"十一月{seq}", date(2020, 11, 30)
            session.add(Item(plan_id=november.id, seq=seq, title=title, deadline=deadline))
        session.add(Digest(chat_id=chat.id, kind="month_post", fire_at=at(2020, 11, 2)))
        session.add(Digest(chat_id=chat.id, kind="weekly", fire_at=at(2020, 11, 2)))
    d = dispatcher(db, plan, notifier)
    for day in (23, 28, 30):
        await d.dispatch(at(2020, 10, day))
    await d.dispatch(at(2020, 11, 2))
    content = notifier.delivered[-1]
    sections = [(s.kind, s.plan_month, [e.seq for e in s.entries]) for s in content.sections]
    # October's overdue reminders first, then November's plan; the weekly digest (whose
    # current plan is November's) adds nothing the month post has not listed.
    assert sections == [("reminders", None, ALL), ("month", 11, [1, 2])]
