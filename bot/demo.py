"""The console demo's world: the sample October plan and its leaders bound to chat members."""

from __future__ import annotations

from bot.sandbox import Chat, User
from plans.parser import parse_plan
from plans.sample import sample_text
from storage.chats import get_or_create_chat
from storage.db import Database
from storage.people import bind_person
from storage.plans import save_parsed_plan

# The sample plan's leaders; each gets a chat member of the same name, bound to it.
DEMO_PEOPLE = ("高启秀", "郭红萍", "张征军", "董军")


async def seed_demo(db: Database, chat: Chat, members: dict[str, User]) -> None:
    text = sample_text()
    async with db.session() as session:
        row = await get_or_create_chat(
            session, chat.id, title=chat.title or "", type=chat.type, is_forum=chat.is_forum
        )
        await save_parsed_plan(session, row.id, parse_plan(text), text)
        for name, user in members.items():
            await bind_person(session, row.id, name, user.id, user.username)
