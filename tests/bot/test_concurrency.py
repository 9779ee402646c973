"""Updates of different chats are handled side by side, each chat's in the order they came:
a group waiting out Telegram's flood limit holds no other group, and `/done` then `/undo` sent
back to back still happen in that order."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage.models import Item
from tests.support.chat import bind, item_row, seed
from tests.support.harness import Harness, running_bot

# A group may have 3 messages in 10 s here (Telegram: 20 a minute): the 4th waits for the window.
SMALL_GROUP_WINDOW = {"group_max_rate": 3, "group_time_period": 10.0}


def _push(bot: Harness, chat, text: str, user=None) -> None:
    """Send without waiting for the answer, as a busy group does."""
    bot.sandbox.send_text(chat, user or bot.member, text)
    bot.pushed += 1


async def test_a_group_at_its_flood_limit_does_not_hold_another_group(tmp_path):
    async with running_bot(tmp_path, telegram={"rate_limits": SMALL_GROUP_WINDOW}) as bot:
        busy = bot.group
        other = bot.sandbox.add_chat("supergroup", title="另一个群")
        for _ in range(4):
            _push(bot, busy, "/start")
        # The first three answers fill the busy group's window; its fourth waits about 10 s.
        await bot.sandbox.wait_until(lambda: len(bot.sandbox.sent(busy)) == 3, timeout=10)
        _push(bot, other, "/start")
        await bot.sandbox.wait_until(lambda: len(bot.sandbox.sent(other)) == 1, timeout=9)
        # The other group was answered while the busy one still waits for its window.
        assert len(bot.sandbox.sent(busy)) == 3
        await bot.settle(timeout=20)
        assert len(bot.sandbox.sent(busy)) == 4


async def test_one_chats_updates_are_handled_in_the_order_they_came(tmp_path):
    async with running_bot(tmp_path) as bot:
        await seed(bot)
        await bind(bot, "董军", bot.member)
        other = bot.sandbox.add_chat("supergroup", title="另一个群")
        # Back to back, interleaved with another chat's commands: done, then undo, then progress.
        for text in ("/done 10", "/undo", "/progress 10 40%"):
            _push(bot, bot.group, text)
            _push(bot, other, "/help")
        for seq in range(1, 6):
            _push(bot, bot.group, f"/item {seq}")
        await bot.settle(timeout=30)
        answers = [m.text or "" for m in bot.sandbox.sent(bot.group)]
        assert answers[0].startswith("✅")
        assert answers[1].startswith("↩️ 已撤销")
        assert "40%" in answers[2]
        # /item answers name their items in the order they were asked for.
        titles = [(await item_row(bot, seq)).title for seq in range(1, 6)]
        assert [next(t for t in titles if t in a) for a in answers[3:8]] == titles
        row = await item_row(bot, 10)
        assert (row.status, row.progress) == ("open", 40)
        assert len(bot.sandbox.sent(other)) == 3


@pytest.mark.parametrize("concurrency", [1, 4])
async def test_the_bound_on_concurrency_is_the_configured_one(tmp_path, concurrency):
    async with running_bot(tmp_path, telegram={"concurrent_updates": concurrency}) as bot:
        assert bot.updates.concurrency == concurrency
        chats = [bot.sandbox.add_chat("supergroup", title=f"群{n}") for n in range(6)]
        for chat in chats:
            _push(bot, chat, "/start")
        await bot.settle(timeout=30)
        assert all(len(bot.sandbox.sent(chat)) == 1 for chat in chats)
        assert bot.updates.chats_in_flight == 0


async def test_many_chats_writing_at_once_all_get_their_change(tmp_path):
    """Sixteen groups' `/done` arrive together and run side by side: on SQLite the writers
    queue for the write lock (BEGIN IMMEDIATE, busy_timeout) and nobody is told "busy"."""
    async with running_bot(tmp_path) as bot:
        groups = [bot.sandbox.add_chat("supergroup", title=f"工作群{n}") for n in range(16)]
        for group in groups:
            await seed(bot, group)
            await bind(bot, "董军", bot.member, group)
        for group in groups:
            _push(bot, group, "/done 10 已报送")
        await bot.settle(timeout=60)
        answers = [bot.sandbox.sent(group) for group in groups]
        assert all(len(a) == 1 and (a[0].text or "").startswith("✅") for a in answers), answers
        async with bot.db.session() as session:
            done = await session.scalar(
                select(func.count()).where(Item.seq == 10, Item.status == "done")
            )
        assert done == len(groups)
