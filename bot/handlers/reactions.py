"""A 👍 / 👌 / ✅ reaction to a reminder by someone who answers for its items: 已确认, the same
acknowledgement as the 👀 button (bot/operations/responses.py:acknowledge, its permission and
history), and the same edit of the reminder.

A reaction is silent: whatever it was (another emoji, a removal, someone not responsible, a
message that is no reminder, an item already done), the bot says nothing — an answer in the
group to every reaction would be noise. Telegram sends these updates only when the bot
administers the group and asks for "message_reaction" by name (bot/app.py asks for every type).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import ReactionType, ReactionTypeEmoji, Update

from bot.chat.acting import act, actor_of, origin_of
from bot.chat.reminder_edits import update_reminders
from bot.context import PlanbotContext
from bot.operations.finding import OnMessage
from bot.operations.responses import Acked, AckOutcome, acknowledge

log = logging.getLogger(__name__)

# The reactions that mean "seen": thumbs up, OK, check mark (with and without the emoji
# variation selector some clients add).
ACK_EMOJI = frozenset({"👍", "👌", "✅", "✔️", "✔"})
# The messages whose reactions count: what the reminder scheduler sends.
REMINDER_KINDS = frozenset({"reminder", "digest"})


def added_ack(old: Sequence[ReactionType], new: Sequence[ReactionType]) -> bool:
    """Whether the change adds a reaction meaning "seen" (one that was set already, or a
    removal, is no new answer)."""
    before = {r.emoji for r in old if isinstance(r, ReactionTypeEmoji)}
    return any(
        isinstance(r, ReactionTypeEmoji) and r.emoji in ACK_EMOJI and r.emoji not in before
        for r in new
    )


async def on_reaction(update: Update, context: PlanbotContext) -> None:
    reaction = update.message_reaction
    # An anonymous admin reacts as the group (actor_chat, no user): nobody to count it for.
    if reaction is None or reaction.user is None or reaction.user.is_bot:
        return
    if not added_ack(reaction.old_reaction, reaction.new_reaction):
        return
    origin = origin_of(reaction.chat)
    actor = actor_of(context, reaction.user, origin)
    deps = context.services.deps
    target = OnMessage(reaction.chat.id, reaction.message_id, kinds=REMINDER_KINDS)
    result = await act(context, actor, lambda a: acknowledge(deps, origin, a, target))
    if isinstance(result, Acked) and result.outcome is AckOutcome.RECORDED:
        log.info(
            "reaction by %s confirmed items %s",
            reaction.user.id,
            [i.seq for i in result.recorded],
        )
        await update_reminders(context, result.reminders)
