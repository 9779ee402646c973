"""Every handler of the bot, registered in one place so the order is visible.

Groups run in ascending order and one handler per group answers an update:
  -1  the access gate: updates from chats outside `allowed_chats` stop here;
   0  commands and button presses;
   1  input a command asked for (the plan after a bare /import), which must not shadow
      other group-0 handlers of plain messages;
plus one error handler that logs and tells the admins.
"""

from __future__ import annotations

from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.handlers import access, errors, imports, start
from bot.handlers import help as help_command

GROUP_GATE = -1
GROUP_COMMANDS = 0
GROUP_AWAITED = 1


def register(application: Application) -> None:
    application.add_handler(TypeHandler(object, access.gate), group=GROUP_GATE)
    application.add_handler(CommandHandler("help", help_command.show_help), group=GROUP_COMMANDS)
    application.add_handler(CommandHandler("start", start.start), group=GROUP_COMMANDS)
    application.add_handler(CommandHandler("import", imports.import_command), group=GROUP_COMMANDS)
    application.add_handler(
        MessageHandler(
            filters.Document.ALL & filters.CaptionRegex(r"(?i)^/import(@\w+)?(\s|$)"),
            imports.import_command,
        ),
        group=GROUP_COMMANDS,
    )
    application.add_handler(
        CallbackQueryHandler(imports.import_button, pattern=f"^{imports.CALLBACK_PREFIX}"),
        group=GROUP_COMMANDS,
    )
    application.add_handler(
        MessageHandler(
            (filters.TEXT & ~filters.COMMAND) | filters.Document.ALL, imports.awaited_input
        ),
        group=GROUP_AWAITED,
    )
    application.add_error_handler(errors.on_error)
