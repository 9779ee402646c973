"""Every handler of the bot, registered in one place so the order is visible.

Groups run in ascending order and one handler per group answers an update:
  -1  the access gate: updates from chats outside `allowed_chats` stop here;
   0  commands and button presses;
   1  input a command asked for (the plan after a bare /import), which must not shadow
      other group-0 handlers of plain messages;
   5  watching: remembers the @usernames of everyone seen, for `/bind @user`; runs for
      every update that got past the gate, whatever answered it;
plus one error handler that logs and tells the admins.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.handlers import (
    access,
    departments,
    done,
    errors,
    extend,
    imports,
    item,
    lang,
    manage,
    mine,
    people,
    plan,
    progress,
    reminders,
    reports,
    start,
    undo,
)
from bot.handlers import help as help_command

GROUP_GATE = -1
GROUP_COMMANDS = 0
GROUP_AWAITED = 1
GROUP_WATCH = 5


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
    for name, callback in (
        ("iam", people.iam),
        ("bind", people.bind),
        ("unbind", people.unbind),
        ("people", people.people),
        ("dept", departments.dept),
        ("lang", lang.lang),
        ("extend", extend.extend),
    ):
        application.add_handler(
            CommandHandler(name, callback, filters=filters.UpdateType.MESSAGE),
            group=GROUP_COMMANDS,
        )
    application.add_handler(
        CallbackQueryHandler(people.iam_button, pattern=f"^{people.IAM_PREFIX}"),
        group=GROUP_COMMANDS,
    )
    application.add_handler(
        CallbackQueryHandler(extend.extend_button, pattern=f"^{extend.EXT_PREFIX}"),
        group=GROUP_COMMANDS,
    )
    for name, callback in (
        ("summary", reports.summary_command),
        ("export", reports.export_command),
        ("stats", reports.stats_command),
    ):
        application.add_handler(CommandHandler(name, callback), group=GROUP_COMMANDS)
    # The item commands; edited messages are not re-run (an edit must not report twice).
    for name, callback in (
        ("plan", plan.plan_command),
        ("mine", mine.mine_command),
        ("done", done.done_command),
        ("progress", progress.progress_command),
        ("item", item.item_command),
        ("undo", undo.undo_command),
        ("add", manage.add_command),
        ("edit", manage.edit_command),
        ("delete", manage.delete_command),
        ("reopen", manage.reopen_command),
    ):
        application.add_handler(
            CommandHandler(name, callback, filters=filters.UpdateType.MESSAGE),
            group=GROUP_COMMANDS,
        )
    application.add_handler(
        CallbackQueryHandler(done.done_button, pattern="^it:done:"), group=GROUP_COMMANDS
    )
    # Reminders: /remind, /ack and the 👀 / ⏰ buttons under a reminder.
    application.add_handler(
        CommandHandler("remind", reminders.remind_command, filters=filters.UpdateType.MESSAGE),
        group=GROUP_COMMANDS,
    )
    application.add_handler(
        CommandHandler("ack", reminders.ack_command, filters=filters.UpdateType.MESSAGE),
        group=GROUP_COMMANDS,
    )
    application.add_handler(
        CallbackQueryHandler(reminders.ack_button, pattern="^it:ack:"), group=GROUP_COMMANDS
    )
    application.add_handler(
        CallbackQueryHandler(reminders.snooze_button, pattern="^it:snz:"), group=GROUP_COMMANDS
    )
    application.add_handler(
        CallbackQueryHandler(manage.delete_button, pattern="^itdel:"), group=GROUP_COMMANDS
    )
    application.add_handler(
        MessageHandler(
            (filters.TEXT & ~filters.COMMAND) | filters.Document.ALL, imports.awaited_input
        ),
        group=GROUP_AWAITED,
    )
    application.add_handler(TypeHandler(Update, people.remember_users), group=GROUP_WATCH)
    application.add_error_handler(errors.on_error)
