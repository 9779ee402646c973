"""The sandbox's files as Telegram has them for evidence: a user's photo in several sizes
(smallest first, each its own file_id), a video as a video, captions with their command entity,
and a file sent again by file_id only as the kind it is."""

from __future__ import annotations

import pytest
from telegram import Bot, Update
from telegram.error import BadRequest

from bot.sandbox import Sandbox, User

ROOMY = {"private_limit": (100, 1.0), "group_limit": (100, 1.0), "overall_limit": (100, 1.0)}
pytestmark = pytest.mark.sandbox(**ROOMY)


@pytest.fixture
def alice(sandbox: Sandbox) -> User:
    """A user who opened a private chat with the bot."""
    user = sandbox.add_user("Alice")
    sandbox.private_chat(user)
    return user


async def test_a_users_photo_comes_in_sizes_and_goes_back_only_as_a_photo(
    sandbox: Sandbox, sandbox_bot: Bot, alice: User
) -> None:
    sent = sandbox.send_photo(alice, alice, b"\xff\xd8\xff" * 100, caption="/done 3 ok")
    update = Update.de_json(sandbox.pending_updates[0], sandbox_bot)
    assert update.message is not None
    sizes = update.message.photo
    assert [(p.width, p.height) for p in sizes] == [(80, 60), (320, 240), (1280, 960)]
    assert len({p.file_id for p in sizes}) == 3
    assert sizes[-1].file_id == sent.photo_file.file_id
    assert sizes[0].file_size < sizes[1].file_size < sizes[2].file_size
    assert update.message.caption == "/done 3 ok"
    assert [e.type for e in update.message.caption_entities] == ["bot_command"]

    again = await sandbox_bot.send_photo(alice.id, sizes[-1].file_id)
    assert again.photo[-1].file_id == sizes[-1].file_id
    with pytest.raises(BadRequest, match=r"(?i)type of file mismatch"):
        await sandbox_bot.send_document(alice.id, sizes[-1].file_id)


async def test_a_document_goes_back_only_as_a_document_and_a_video_is_a_video(
    sandbox: Sandbox, sandbox_bot: Bot, alice: User
) -> None:
    document = sandbox.send_document(alice, alice, "纪要.pdf", b"%PDF", caption="/progress 3")
    sandbox.send_video(alice, alice, b"mp4", caption="/done 3")
    first, second = (Update.de_json(u, sandbox_bot) for u in sandbox.pending_updates)
    assert [e.type for e in first.message.caption_entities] == ["bot_command"]
    assert second.message.video is not None and second.message.document is None
    assert second.message.caption == "/done 3"

    again = await sandbox_bot.send_document(alice.id, document.document.file_id)
    assert again.document.file_name == "纪要.pdf"
    with pytest.raises(BadRequest, match=r"(?i)type of file mismatch"):
        await sandbox_bot.send_photo(alice.id, document.document.file_id)
