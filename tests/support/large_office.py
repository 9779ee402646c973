"""A large office, built fast: many groups with a plan of 500 items each, every item with a bound
leader, a department, and the reminders the planner would have materialised for it (sent before
`now`, pending after).

The benchmarks (tests/bench, through tests/bench/cache.py, which keeps built copies) and the
query-plan test (tests/storage/test_storage_query_plans.py) share it; it is the one way they
build data. With `due_at`, every item instead has one reminder due at that moment (a burst).
Items and their links go in through Core executemany; the reminder rows — about 30 per item,
millions at 100,000 items — are planned once per distinct deadline into a scratch table and
copied to every item with that deadline by one INSERT … SELECT, so the database does the bulk of
the work and the values are stored exactly as planbot stores them (the same column types).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import insert, select

from bot.config import parse_config
from bot.services import make_planner
from jobs.policy import ReminderPolicy, plan_reminders
from storage.db import Database
from storage.models import (
    Chat,
    Department,
    DepartmentMember,
    Item,
    ItemDepartment,
    ItemLeader,
    Person,
    Plan,
    Reminder,
)
from storage.rows import pk
from storage.types import UTCDateTime

SHANGHAI = ZoneInfo("Asia/Shanghai")
TITLES = [
    "扎实开展2020年“扶贫日”活动",
    "迎接全总困难职工解脱困第三方评估抽查和2019年帮扶资金、送温暖资金审计工作",
    "筹备好“助力荆楚共创未来”荆州—东莞就业专场活动",
    "做好工会信访维稳工作",
    "继续开展职工素质大讲堂活动",
    "举办荆州市职工创新创业大赛和机械制造行业职工技能对抗赛",
]
LEADERS = ["高启秀", "郭红萍", "张征军", "董军", "官庆军"]
DEPARTMENTS = ["权益保障部", "宣教网络部", "基层工作部", "经技部", "办公室", "组织部"]
# Groups of 500 items: a large plan, the worst case for /plan and a reminder pass.
PER_CHAT = 500
# Deadlines spread over six months around today: some long overdue, most still ahead.
DEADLINE_SPREAD = (-60, 120)
# Telegram user id of leader k (0–4) of the n-th group: 10_000 + 10·n + k.
FIRST_USER = 10_000

# Where the reminders of one deadline are planned before being copied to its items.
_planned = sa.Table(
    "large_office_planned",
    sa.MetaData(),
    sa.Column("deadline", sa.Date, nullable=False),
    sa.Column("kind", sa.String, nullable=False),
    sa.Column("fire_at", UTCDateTime, nullable=False),
    sa.Column("state", sa.String, nullable=False),
    sa.Column("escalated", sa.Boolean, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)


@dataclass(frozen=True, slots=True)
class Office:
    items: int
    reminders: int
    # Telegram ids of the groups, in order (the first ones are those the caller passed).
    tg_chat_ids: list[int]


def deadline_of(n: int, today: date) -> date:
    low, high = DEADLINE_SPREAD
    return today + timedelta(days=n % (high - low) + low)


async def build_office(
    db: Database,
    items: int,
    now: datetime,
    *,
    tg_chat_ids: list[int] | None = None,
    per_chat: int = PER_CHAT,
    due_at: datetime | None = None,
) -> Office:
    """`items` items in groups of `per_chat`, in this month's plan of each group (in
    Shanghai); the first groups get `tg_chat_ids` (e.g. sandbox chats), the rest made-up ids.
    Reminders: as planned a month ago (sent before `now`, pending after), or with `due_at`
    one pending reminder per item due then (the reminder burst)."""
    today = now.astimezone(SHANGHAI).date()
    chat_count = math.ceil(items / per_chat)
    given = list(tg_chat_ids or [])
    tg_ids = given[:chat_count] + [-2_000_000 - n for n in range(len(given), chat_count)]
    async with db.session() as session:
        await session.execute(
            insert(Chat), [{"tg_chat_id": c, "title": "", "type": "supergroup"} for c in tg_ids]
        )
        chat_ids = list(await session.scalars(select(pk(Chat.id)).order_by(pk(Chat.id))))
        await session.execute(
            insert(Plan),
            [{"chat_id": c, "year": today.year, "month": today.month} for c in chat_ids],
        )
        plan_ids = list(await session.scalars(select(pk(Plan.id)).order_by(pk(Plan.id))))
        await session.execute(
            insert(Person),
            [
                {"chat_id": c, "name": name, "tg_user_id": FIRST_USER + 10 * n + k}
                for n, c in enumerate(chat_ids)
                for k, name in enumerate(LEADERS)
            ],
        )
        await session.execute(
            insert(Department),
            [{"chat_id": c, "name": name} for c in chat_ids for name in DEPARTMENTS],
        )
        people = list(await session.scalars(select(pk(Person.id)).order_by(pk(Person.id))))
        departments = list(
            await session.scalars(select(pk(Department.id)).order_by(pk(Department.id)))
        )
        await session.execute(
            insert(DepartmentMember),
            [
                {"department_id": d, "person_id": people[i // len(DEPARTMENTS) * len(LEADERS)]}
                for i, d in enumerate(departments)
            ],
        )
        await session.execute(
            insert(Item),
            [
                {
                    "plan_id": plan_ids[n // per_chat],
                    "seq": n % per_chat + 1,
                    "title": TITLES[n % len(TITLES)],
                    "deadline": deadline_of(n, today),
                }
                for n in range(items)
            ],
        )
        item_ids = list(await session.scalars(select(pk(Item.id)).order_by(pk(Item.id))))
        await session.execute(
            insert(ItemLeader),
            [
                {"item_id": i, "person_id": people[n // per_chat * len(LEADERS) + n % len(LEADERS)]}
                for n, i in enumerate(item_ids)
            ],
        )
        await session.execute(
            insert(ItemDepartment),
            [
                {
                    "item_id": i,
                    "department_id": departments[
                        n // per_chat * len(DEPARTMENTS) + n % len(DEPARTMENTS)
                    ],
                }
                for n, i in enumerate(item_ids)
            ],
        )
    if due_at is not None:
        reminders = await _due_at(db, due_at, now)
    else:
        reminders = await _plan_reminders(db, now, today, min(items, DEADLINE_SPREAD[1] * 2))
    return Office(items, reminders, tg_ids)


async def _due_at(db: Database, due_at: datetime, now: datetime) -> int:
    """One pending reminder per item, due at `due_at`."""
    reminder = Reminder.__table__  # type: ignore[attr-defined]
    columns = ["item_id", "kind", "fire_at", "state", "escalated", "attempts"]
    async with db.session() as session:
        await session.execute(
            insert(reminder).from_select(
                [*columns, "created_at", "updated_at"],
                select(
                    pk(Item.id),
                    sa.literal("due"),
                    sa.literal(due_at, UTCDateTime),
                    sa.literal("pending"),
                    sa.false(),
                    sa.literal(0),
                    sa.literal(now, UTCDateTime),
                    sa.literal(now, UTCDateTime),
                ),
            )
        )
        total = await session.scalar(select(sa.func.count()).select_from(reminder))
    return int(total or 0)


async def _plan_reminders(db: Database, now: datetime, today: date, deadlines: int) -> int:
    policy = ReminderPolicy()
    calendar = make_planner(parse_config({}, source="large office", env={})).calendar
    rows = []
    for deadline in {deadline_of(n, today) for n in range(deadlines)}:
        # As if planned a month ago with a 90-day horizon: a history of sent rows, and the
        # overdue ones still ahead.
        for planned in plan_reminders(
            deadline,
            policy=policy,
            calendar=calendar,
            tz=SHANGHAI,
            today=today - timedelta(days=30),
            horizon_days=90,
        ):
            sent = planned.fire_at <= now
            rows.append(
                {
                    "deadline": deadline,
                    "kind": planned.kind,
                    "fire_at": planned.fire_at,
                    "state": "sent" if sent else "pending",
                    "escalated": planned.escalated,
                    "created_at": now,
                }
            )
    reminder = Reminder.__table__  # type: ignore[attr-defined]
    async with db.session() as session:
        connection = await session.connection()
        await connection.run_sync(_planned.create)
        await session.execute(insert(_planned), rows)
        copy = insert(reminder).from_select(
            [
                "item_id",
                "kind",
                "fire_at",
                "state",
                "escalated",
                "attempts",
                "created_at",
                "updated_at",
            ],
            select(
                pk(Item.id),
                _planned.c.kind,
                _planned.c.fire_at,
                _planned.c.state,
                _planned.c.escalated,
                sa.literal(0),
                _planned.c.created_at,
                _planned.c.created_at,
            ).join(_planned, _planned.c.deadline == Item.deadline),
        )
        await session.execute(copy)
        await connection.run_sync(_planned.drop)
        total = await session.scalar(select(sa.func.count()).select_from(reminder))
    return int(total or 0)
