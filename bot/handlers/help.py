"""/help: every command with one example, in the chat's language."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.chat.commands import COMMANDS
from bot.chat.replies import chat_locale, reply_html
from bot.i18n import t
from bot.views.render import esc


def help_lines(locale: str) -> list[str]:
    lines = [t(locale, "help.title"), "", t(locale, "help.commands")]
    for command in COMMANDS:
        admin = f" {t(locale, 'help.admin')}" if command.admin else ""
        lines.append(f"/{command.name} — {esc(command.description(locale))}{admin}")
        lines.append("    " + t(locale, "help.example", example=esc(command.example(locale))))
    lines += ["", t(locale, "help.footer")]
    return lines


async def show_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    locale = await chat_locale(context, update.effective_chat.id if update.effective_chat else None)
    await reply_html(update, help_lines(locale))
