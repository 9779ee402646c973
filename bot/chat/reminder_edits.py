"""Reminders edited in place after a change to their items: done (✅, its buttons gone),
snoozed (⏰ and the day), reopened or undone (open again), confirmed (已确认). The operation
rebuilt them inside its unit of work; the handler calls `update_reminders` after answering.

One attempt per message and change, never an answer in the chat: a message Telegram refuses to
edit (deleted, too old, the bot no longer in the chat) is logged once and left alone from then
on; a network failure costs only that edit (the next change to an item there tries again).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram.error import BadRequest, Forbidden, TelegramError

from bot.context import PlanbotContext
from bot.delivery.notifier import edit_in_place
from jobs.acks import RebuiltReminder

log = logging.getLogger(__name__)

# Refused messages remembered (this process only); past this the memory starts again, which
# costs one more refused edit per message at worst.
MAX_REMEMBERED = 1000


async def update_reminders(context: PlanbotContext, reminders: Sequence[RebuiltReminder]) -> None:
    """Edit each reminder into what it reads now, skipping those Telegram will not edit."""
    refused = context.bot_data.unedited_reminders
    for content, message_id in reminders:
        where = (content.tg_chat_id, message_id)
        if where in refused:
            continue
        try:
            await edit_in_place(context.bot, content, message_id)
        except (BadRequest, Forbidden) as exc:
            # No later change makes Telegram accept it: log it this once and stop trying.
            log.info("reminder %s/%s left as it was: %s", *where, exc)
            if len(refused) >= MAX_REMEMBERED:
                refused.clear()
            refused.add(where)
        except TelegramError as exc:
            log.warning("reminder %s/%s not updated: %s", *where, exc)
