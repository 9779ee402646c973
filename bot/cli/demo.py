"""The console demo's world: the sample plan as this month's, its leaders bound to chat members."""

from __future__ import annotations

from datetime import date

from bot.operations.imports import import_plan, parse_for_import
from bot.operations.who import Origin
from jobs.outbox import ReminderPlanner
from plans.sample import sample_text_for
from storage.chats import get_or_create_chat
from storage.db import Database
from storage.people import bind_person
from storage.rows import row_id

# The sample plan's leaders; each gets a chat member of the same name, bound to it.
DEMO_PEOPLE = ("高启秀", "郭红萍", "张征军", "董军")


async def seed_demo(
    db: Database,
    planner: ReminderPlanner,
    chat: Origin,
    members: dict[str, tuple[int, str | None]],
    today: date,
) -> None:
    """Import the sample plan the way /import does, then bind `members` (name → user id).

    The sample is October 2020's; imported as written, every item would be years overdue and
    the demo would open on an escalated reminder. Re-dated to `today`'s month (title and
    deadlines alike), the items are due at this month's end and reminders, markers and the
    summary show what the office would see on a day like today.
    """
    text = sample_text_for(today.month)
    # The headings name no year and the text mentions 2020 most: say which year is meant.
    parsed = parse_for_import(text, today=today, year=today.year, month=today.month)
    await import_plan(db, planner, chat, parsed, text)
    async with db.session() as session:
        row = await get_or_create_chat(session, chat.tg_chat_id)
        for name, (user_id, username) in members.items():
            await bind_person(session, row_id(row), name, user_id, username)
