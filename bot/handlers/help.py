"""/help in the chat's language: members get the everyday commands, each with an example;
`/help all` (`/help 全部`) and admins get every command of the table with who may run it.

Who may run a command is shown from the command table (`ChatCommand.access_in`, per kind of
chat), the same rule `guarded` enforces, so /help cannot claim a rule the bot does not apply.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update
from telegram.constants import ChatType

from bot.chat.commands import ChatCommand
from bot.chat.item_access import command_args, may_administer
from bot.chat.permissions import is_admin
from bot.chat.plan_group import chat_for_update
from bot.chat.replies import chat_locale, reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.views.render import esc

# What asks for every command after /help, in either language.
ALL_WORDS = frozenset({"all", "全部", "所有", "全部命令", "所有命令"})


def help_lines(
    locale: str,
    commands: Sequence[ChatCommand],
    *,
    everything: bool = True,
    private: bool = False,
) -> list[str]:
    """Every command with its access note and example; or (`everything` False) the everyday
    ones and a line saying how to see the rest. `private`: as a private chat's /help, where
    a command may do another thing or be open to more people (/board)."""
    shown = list(commands) if everything else [c for c in commands if c.everyday]
    heading = "help.commands" if everything else "help.everyday"
    lines = [t(locale, "help.title"), "", t(locale, heading)]
    for command in shown:
        note = command.access_note(locale, private=private)
        access = f" {note}" if note else ""
        described = command.description(locale, private=private)
        lines.append(f"/{command.name} — {esc(described)}{access}")
        lines.append("    " + t(locale, "help.example", example=esc(command.example(locale))))
    lines.append("")
    if everything:
        lines.append(t(locale, "help.footer"))
    else:
        lines.append(t(locale, "help.more", count=len(commands) - len(shown)))
    return lines


def asks_for_everything(args: str) -> bool:
    return args.strip().lower() in ALL_WORDS


async def _administers(update: Update, context: PlanbotContext) -> bool:
    """A configured admin, an admin of this group, or (in private) of the group the sender is
    bound in: they get every command without asking."""
    tg_chat, user = update.effective_chat, update.effective_user
    if tg_chat is None or user is None:
        return False
    if tg_chat.type != ChatType.PRIVATE:
        return await is_admin(context, tg_chat.id, tg_chat.type, user.id)
    if context.services.is_admin(user.id):
        return True
    async with context.services.db.session() as session:
        group = await chat_for_update(session, update)
    return group is not None and await may_administer(context, group, user.id)


async def show_help(
    update: Update, context: PlanbotContext, commands: Sequence[ChatCommand]
) -> None:
    tg_chat = update.effective_chat
    locale = await chat_locale(context, tg_chat.id if tg_chat else None)
    message = update.effective_message
    args = command_args(message.text if message else None)
    everything = asks_for_everything(args) or await _administers(update, context)
    private = tg_chat is not None and tg_chat.type == ChatType.PRIVATE
    await reply_html(update, help_lines(locale, commands, everything=everything, private=private))
