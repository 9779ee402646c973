"""Every handler of the bot, registered in one place so the order is visible.

Groups run in ascending order and one handler per group answers an update:
  -1  the access gate: updates from chats outside `allowed_chats` stop here;
   0  commands and button presses;
   1  input a command asked for (the plan after a bare /import), which must not shadow
      other group-0 handlers of plain messages;
   5  watching: remembers the accounts (@usernames) of everyone seen in the database, for
      `/bind @user`; runs for every update that got past the gate, whatever answered it;
plus one error handler that logs and tells the admins. Commands and buttons are tables
(COMMAND_ROUTES, BUTTON_ROUTES): within group 0 each update matches at most one of them, so
their order there does not matter.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
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
from bot.views.buttons import ACK, DONE, ITEM_PREFIX, SNOOZE
from bot.views.item import DELETE_PREFIX

GROUP_GATE = -1
GROUP_COMMANDS = 0
GROUP_AWAITED = 1
GROUP_WATCH = 5

Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


@dataclass(frozen=True, slots=True)
class CommandRoute:
    callback: Callback
    group: int = GROUP_COMMANDS
    # Also run for an edited message; never for a command that changes something, since an
    # edit must not report twice.
    on_edit: bool = False


COMMAND_ROUTES: dict[str, CommandRoute] = {
    "help": CommandRoute(help_command.show_help, on_edit=True),
    "start": CommandRoute(start.start, on_edit=True),
    "import": CommandRoute(imports.import_command, on_edit=True),
    "iam": CommandRoute(people.iam),
    "bind": CommandRoute(people.bind),
    "unbind": CommandRoute(people.unbind),
    "people": CommandRoute(people.people),
    "dept": CommandRoute(departments.dept),
    "lang": CommandRoute(lang.lang),
    "extend": CommandRoute(extend.extend),
    "summary": CommandRoute(reports.summary_command, on_edit=True),
    "export": CommandRoute(reports.export_command, on_edit=True),
    "stats": CommandRoute(reports.stats_command, on_edit=True),
    "plan": CommandRoute(plan.plan_command),
    "mine": CommandRoute(mine.mine_command),
    "done": CommandRoute(done.done_command),
    "progress": CommandRoute(progress.progress_command),
    "item": CommandRoute(item.item_command),
    "undo": CommandRoute(undo.undo_command),
    "add": CommandRoute(manage.add_command),
    "edit": CommandRoute(manage.edit_command),
    "delete": CommandRoute(manage.delete_command),
    "reopen": CommandRoute(manage.reopen_command),
    "remind": CommandRoute(reminders.remind_command),
    "ack": CommandRoute(reminders.ack_command),
}

# Buttons, by the prefix of their callback data.
BUTTON_ROUTES: dict[str, Callback] = {
    imports.CALLBACK_PREFIX: imports.import_button,
    people.IAM_PREFIX: people.iam_button,
    extend.EXT_PREFIX: extend.extend_button,
    f"{ITEM_PREFIX}{DONE}:": done.done_button,
    f"{ITEM_PREFIX}{ACK}:": reminders.ack_button,
    f"{ITEM_PREFIX}{SNOOZE}:": reminders.snooze_button,
    DELETE_PREFIX: manage.delete_button,
}


def register(application: Application) -> None:
    application.add_handler(TypeHandler(object, access.gate), group=GROUP_GATE)
    for name, route in COMMAND_ROUTES.items():
        only = None if route.on_edit else filters.UpdateType.MESSAGE
        application.add_handler(CommandHandler(name, route.callback, filters=only), route.group)
    application.add_handler(
        MessageHandler(
            filters.Document.ALL & filters.CaptionRegex(r"(?i)^/import(@\w+)?(\s|$)"),
            imports.import_command,
        ),
        group=GROUP_COMMANDS,
    )
    for prefix, callback in BUTTON_ROUTES.items():
        application.add_handler(
            CallbackQueryHandler(callback, pattern=f"^{prefix}"), group=GROUP_COMMANDS
        )
    application.add_handler(
        MessageHandler(
            (filters.TEXT & ~filters.COMMAND) | filters.Document.ALL, imports.awaited_input
        ),
        group=GROUP_AWAITED,
    )
    application.add_handler(TypeHandler(Update, people.remember_users), group=GROUP_WATCH)
    application.add_error_handler(errors.on_error)
