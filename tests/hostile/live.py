"""One running bot for all the examples of a hostile test.

Hypothesis calls a test's body once per example, synchronously. `live_world` starts the bot
(tests/support/harness.py: the real Application polling the sandbox over HTTP, a real database)
in an event loop of its own, and each example runs one coroutine to completion on that loop:
starting a bot and migrating a database per example would cost seconds each, while an example
costs about a tenth of a second. The world is a group with the sample plan (the member bound to
a leader's name), a second group with a plan of its own (ids another group must not reach), an
admin and a stranger, everyone's private chat, a bot message about no item and a reminder-like
message with item buttons.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterator
from contextlib import AsyncExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select
from telegram.ext import Application, CallbackQueryHandler

from bot.handlers import GROUP_COMMANDS
from bot.sandbox import Chat, Message, User
from bot.views.buttons import item_buttons
from storage.models import Chat as ChatRow
from storage.models import Item, Plan
from tests.support.chat import bind, post_about, seed
from tests.support.harness import Harness, running_bot

T = TypeVar("T")

# Hundreds of answers a minute into one chat: Telegram's flood limits (the sandbox's and the
# bot's own limiter) are lifted, they are tested elsewhere (tests/bot/test_ratelimit.py).
_UNLIMITED = {"group_limit": (100_000, 60.0), "private_limit": (100_000, 1.0)}
_NO_LIMITER = {
    "rate_limits": {
        "group_max_rate": 100_000,
        "private_max_rate": 100_000,
        "overall_max_rate": 100_000,
    }
}
# An answer may take a while on a loaded machine: the first /stats imports matplotlib and draws.
SETTLE_SECONDS = 60.0
# A leader of the sample plan (items 10 and others), bound to the member.
LEADER = "董军"


@dataclass
class World:
    bot: Harness
    loop: asyncio.AbstractEventLoop
    group: Chat
    other: Chat
    member: User
    admin: User
    # A member of the group who is bound to no name and is no admin.
    stranger: User
    # The other group's item ids (database row ids), which a press in `group` must not reach.
    other_item_ids: list[int]
    own_item_ids: list[int]
    # A bot message about no item (the answer to /help), and one about items 1 and 2 with the
    # ✅ / 👀 / snooze buttons, as a reminder has.
    plain: Message
    reminder: Message

    def run(self, step: Awaitable[T]) -> T:
        return self.loop.run_until_complete(step)

    def privates(self) -> list[Chat]:
        return [self.bot.sandbox.private_chat(u) for u in (self.member, self.admin)]

    def button_prefixes(self) -> list[str]:
        return button_prefixes(self.bot.application)


def button_prefixes(application: Application) -> list[str]:
    """The callback data prefix of every button handler registered on `application`."""
    return sorted(
        h.pattern.pattern.removeprefix("^")
        for h in application.handlers[GROUP_COMMANDS]
        if isinstance(h, CallbackQueryHandler) and hasattr(h.pattern, "pattern")
    )


@contextmanager
def live_world(tmp_path: Path) -> Iterator[World]:
    loop = asyncio.new_event_loop()
    stack = AsyncExitStack()
    try:
        bot = loop.run_until_complete(
            stack.enter_async_context(
                running_bot(
                    tmp_path,
                    sandbox_options=_UNLIMITED,
                    telegram=_NO_LIMITER,
                    # No reminder goes out by the clock mid-example (at 09:00 every overdue
                    # item is reminded): only the inputs change rows and send messages.
                    reminders={"scheduler": False},
                    # /calendar makes links (token rows) only where people can reach planbot.
                    http={"public_url": "https://plan.example.gov.cn"},
                )
            )
        )
        world = loop.run_until_complete(_build(bot, loop))
        try:
            yield world
        except BaseException as error:
            loop.run_until_complete(stack.__aexit__(type(error), error, error.__traceback__))
            raise
        loop.run_until_complete(stack.aclose())
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


async def _build(bot: Harness, loop: asyncio.AbstractEventLoop) -> World:
    other = bot.sandbox.add_chat("supergroup", title="另一个工作群")
    await seed(bot)
    await seed(bot, other)
    await bind(bot, LEADER, bot.member)
    await bind(bot, LEADER, bot.sandbox.add_user("董军（另一群）"), other)
    async with bot.db.session() as session:
        rows = await session.execute(
            select(ChatRow.tg_chat_id, Item.id, Item.seq)
            .join(Plan, Plan.id == Item.plan_id)
            .join(ChatRow, ChatRow.id == Plan.chat_id)
        )
        by_chat: dict[int, list[tuple[int, int]]] = {}
        for tg_chat_id, item_id, seq in rows.all():
            by_chat.setdefault(tg_chat_id, []).append((item_id, seq))
    own = sorted(by_chat[bot.group.id], key=lambda pair: pair[1])
    plain = (await bot.say("/help"))[-1]
    reminder = await post_about(
        bot, [1, 2], "提醒：第 1、2 项", reply_markup=item_buttons(own[:2], "zh_CN")
    )
    stranger = bot.sandbox.add_user("路人", username="passer")
    # Everyone has written in every chat once: the first message of a chat or a user stores
    # them (chat row, account), which is not what an example's input did.
    for user in (bot.member, bot.admin, stranger):
        await bot.say("/help", user=user, chat=bot.sandbox.private_chat(user))
        await bot.say("/help", user=user)
    return World(
        bot=bot,
        loop=loop,
        group=bot.group,
        other=other,
        member=bot.member,
        admin=bot.admin,
        stranger=stranger,
        other_item_ids=sorted(i for i, _ in by_chat[other.id]),
        own_item_ids=[i for i, _ in own],
        plain=plain,
        reminder=reminder,
    )
