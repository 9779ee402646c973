"""Every handler of the bot, registered in one place so the order is visible.

Groups run in ascending order and one handler per group answers an update:
  -1  the access gate: updates from chats outside `allowed_chats` stop here;
   0  commands;
plus one error handler that logs and tells the admins.
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, TypeHandler

from bot.handlers import access, errors, start
from bot.handlers import help as help_command

GROUP_GATE = -1
GROUP_COMMANDS = 0


def register(application: Application) -> None:
    application.add_handler(TypeHandler(object, access.gate), group=GROUP_GATE)
    application.add_handler(CommandHandler("help", help_command.show_help), group=GROUP_COMMANDS)
    application.add_handler(CommandHandler("start", start.start), group=GROUP_COMMANDS)
    application.add_error_handler(errors.on_error)
