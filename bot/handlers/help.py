"""/help: every command of the table with who may run it and one example, in the chat's
language."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update

from bot.chat.commands import ChatCommand
from bot.chat.replies import chat_locale, reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.views.render import esc


def help_lines(locale: str, commands: Sequence[ChatCommand]) -> list[str]:
    lines = [t(locale, "help.title"), "", t(locale, "help.commands")]
    for command in commands:
        note = command.access_note(locale)
        access = f" {note}" if note else ""
        lines.append(f"/{command.name} — {esc(command.description(locale))}{access}")
        lines.append("    " + t(locale, "help.example", example=esc(command.example(locale))))
    lines += ["", t(locale, "help.footer")]
    return lines


async def show_help(
    update: Update, context: PlanbotContext, commands: Sequence[ChatCommand]
) -> None:
    locale = await chat_locale(context, update.effective_chat.id if update.effective_chat else None)
    await reply_html(update, help_lines(locale, commands))
