"""A private question is about the group where the sender is bound."""

from types import SimpleNamespace

from bot.chat.plan_group import chat_for_update
from storage.chats import get_or_create_chat
from storage.people import bind_person


def _update(chat_id: int, chat_type: str, user_id: int):
    chat = SimpleNamespace(id=chat_id, type=chat_type, title="t", is_forum=False)
    return SimpleNamespace(effective_chat=chat, effective_user=SimpleNamespace(id=user_id))


async def test_group_and_private_scopes(db_session):
    group = await chat_for_update(db_session, _update(-100, "supergroup", 5))
    assert group is not None and group.tg_chat_id == -100
    assert await chat_for_update(db_session, _update(5, "private", 5)) is None
    await bind_person(db_session, group.id, "董军", 5)
    other = await get_or_create_chat(db_session, -200, "other", "supergroup")
    await db_session.flush()
    await bind_person(db_session, other.id, "董军", 6)
    found = await chat_for_update(db_session, _update(5, "private", 5))
    assert found is not None and found.id == group.id
