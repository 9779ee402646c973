"""Every handler of the bot, registered in one place so the order is visible.

Groups run in ascending order and one handler per group answers an update:
  -1  the access gate: updates from chats outside `allowed_chats` stop here;
   0  commands (also as typed with a Chinese input method: `／done 2`, `、done 1`) and
      button presses (bot/chat/presses.py), the last of them answering any press no button
      prefix claimed;
   1  input a command asked for (the plan after a bare /import), which must not shadow
      other group-0 handlers of plain messages;
   2  plain replies to our item messages (已完成, 60%, 收到): in a group of their own so that
      no handler of plain messages elsewhere shadows them, nor they it;
   4  unknown commands for this bot (`/paln`): "did you mean /plan?" or the short help line;
      real commands were answered in group 0, and this handler leaves their words alone;
   5  watching: remembers the accounts (@usernames) of everyone seen in the database, for
      `/bind @user`; runs for every update that got past the gate, whatever answered it;
   6  progress collection: the asks listing an item reported on in the update, edited to
      show who has reported (bot/handlers/collection.py); also for every update;
plus one error handler that logs and tells the admins. Commands and buttons are tables
(COMMANDS, BUTTON_ROUTES): within group 0 each update matches at most one of them, so their
order there does not matter. COMMANDS is also what /help and Telegram's "/" menu list, and says
who may run each command: `guarded` refuses everyone else before the handler runs.
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    MessageReactionHandler,
    TypeHandler,
    filters,
)

from bot.chat import presses
from bot.chat.command_words import INPUT_METHOD_SLASHES
from bot.chat.commands import Access, AdminOf, Callback, ChatCommand, guarded
from bot.context import PlanbotContext
from bot.handlers import (
    access,
    board,
    bulletin,
    calendar,
    chat_id,
    collection,
    departments,
    done,
    errors,
    evidence,
    extend,
    groups,
    imports,
    item,
    lang,
    manage,
    mine,
    people,
    plain_replies,
    plan,
    progress,
    reactions,
    reminders,
    reports,
    review,
    start,
    typed,
    undo,
)
from bot.handlers import help as help_command
from bot.operations.policy import Action
from bot.views.buttons import ACK, DONE, GROUP_PREFIX, ITEM_PREFIX, SNOOZE
from bot.views.item import DELETE_PREFIX
from bot.views.review import REVIEW_PREFIX

GROUP_GATE = -1
GROUP_COMMANDS = 0
# Every plain message asks the database whether its sender owes a ↩️'s reason, so this is a
# group of its own: the handler passes the message on (to the awaited /import and the rest)
# when they owe none.
GROUP_REASONS = 1
GROUP_AWAITED = 2
GROUP_REPLIES = 3
GROUP_UNKNOWN = 4
GROUP_WATCH = 5
GROUP_ROUNDS = 6


async def _help(update: Update, context: PlanbotContext) -> None:
    await help_command.show_help(update, context, COMMANDS)


# Every command, in the order of /help and of the menu: what people need most first. Each
# entry is registered with PTB behind its access rule (`guarded`), listed by /help (by the
# members' short /help when `everyday`), and put in Telegram's "/" menu when `in_menu`.
COMMANDS: tuple[ChatCommand, ...] = (
    ChatCommand("help", _help, on_edit=True, one_group=False),
    ChatCommand("start", start.start, on_edit=True, one_group=False),
    ChatCommand("plan", plan.plan_command, everyday=True),
    ChatCommand("mine", mine.mine_command, everyday=True, one_group=False),
    ChatCommand("done", done.done_command, Action.DONE, everyday=True),
    ChatCommand("progress", progress.progress_command, Action.PROGRESS, everyday=True),
    ChatCommand("item", item.item_command),
    ChatCommand("undo", undo.undo_command, Action.UNDO, everyday=True),
    ChatCommand(
        "import",
        imports.import_command,
        Action.IMPORT,
        admin_of=AdminOf.THIS_CHAT,
        refusal="import.admins_only",
        on_edit=True,
        one_group=False,
    ),
    ChatCommand("summary", reports.summary_command, on_edit=True),
    ChatCommand("export", reports.export_command, on_edit=True),
    ChatCommand("stats", reports.stats_command, on_edit=True),
    # The monthly 通报 (issue 16 §5).
    ChatCommand("bulletin", bulletin.bulletin_command, on_edit=True),
    ChatCommand("calendar", calendar.calendar_command, one_group=False),
    ChatCommand("iam", people.iam, Action.IAM, everyday=True, one_group=False),
    ChatCommand("people", people.people),
    ChatCommand("extend", extend.extend, Action.EXTEND_REQUEST, everyday=True),
    ChatCommand("ack", reminders.ack_command, Action.ACK, everyday=True),
    # Viewing is for anyone; changing the settings is for admins (checked by the handler).
    ChatCommand("remind", reminders.remind_command),
    ChatCommand("dept", departments.dept, in_menu=False),
    ChatCommand("lang", lang.lang, in_menu=False, one_group=False),
    # The group's web board link (issue 17); in a private chat the Mini App opens it instead.
    ChatCommand(
        "board",
        board.board_command,
        access=Access.ADMINS,
        # In a group its admins; in private anyone bound somewhere (the Mini App shows only
        # their own groups): the handler answers there.
        private_access=Access.ANYONE,
        private_description=True,
        admin_of=AdminOf.GROUP,
        refusal="board.admins_only",
        in_menu=False,
        one_group=False,
    ),
    ChatCommand(
        "id",
        chat_id.id_command,
        access=Access.ADMINS,
        admin_of=AdminOf.THIS_CHAT,
        in_menu=False,
        one_group=False,
    ),
    ChatCommand(
        "bind",
        people.bind,
        Action.BIND,
        admin_of=AdminOf.GROUP,
        refusal="bind.admins_only",
        in_menu=False,
        one_group=False,
    ),
    ChatCommand("unbind", people.unbind, Action.UNBIND, in_menu=False),
    ChatCommand("add", manage.add_command, Action.ADD, in_menu=False),
    ChatCommand("edit", manage.edit_command, Action.EDIT, in_menu=False),
    ChatCommand("delete", manage.delete_command, Action.DELETE, in_menu=False),
    ChatCommand("reopen", manage.reopen_command, Action.REOPEN, in_menu=False),
    # Completion review (issue 16 §3): viewing /review is for anyone, switching for admins;
    # /return for supervisors and admins (supervisors are no role of the table: both checked
    # by the operation).
    ChatCommand("review", review.review_command, in_menu=False),
    ChatCommand("return", review.return_command, in_menu=False),
)
_BY_NAME = {command.name: command for command in COMMANDS}
# A message that may start with a command word: a slash (ASCII, full-width, or the 、 a Chinese
# input method types for it) and a Latin letter, ASCII or full-width.
TYPED_COMMAND = rf"^\s*[/{INPUT_METHOD_SLASHES}][A-Za-zＡ-Ｚａ-ｚ]"

# Buttons, by the prefix of their callback data.
BUTTON_ROUTES: dict[str, Callback] = {
    imports.CALLBACK_PREFIX: imports.import_button,
    people.IAM_PREFIX: people.iam_button,
    extend.EXT_PREFIX: extend.extend_button,
    f"{ITEM_PREFIX}{DONE}:": done.done_button,
    f"{ITEM_PREFIX}{ACK}:": reminders.ack_button,
    f"{ITEM_PREFIX}{SNOOZE}:": reminders.snooze_button,
    DELETE_PREFIX: manage.delete_button,
    plain_replies.CONFIRM_PREFIX: plain_replies.confirm_button,
    GROUP_PREFIX: groups.group_button(COMMANDS),
    REVIEW_PREFIX: review.review_button,
}


def register(application: Application) -> None:
    application.add_handler(TypeHandler(object, access.gate), group=GROUP_GATE)
    for command in COMMANDS:
        only = None if command.on_edit else filters.UpdateType.MESSAGE
        application.add_handler(
            CommandHandler(command.name, guarded(command), filters=only), GROUP_COMMANDS
        )
    application.add_handler(
        MessageHandler(
            filters.Document.ALL & filters.CaptionRegex(r"(?i)^/import(@\w+)?(\s|$)"),
            guarded(_BY_NAME["import"]),
        ),
        group=GROUP_COMMANDS,
    )
    # The same commands typed with a Chinese input method's slash (`／done 2`, `、done 1`) or
    # full-width letters carry no command entity: dispatched by name, behind the same guard.
    application.add_handler(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & filters.Regex(TYPED_COMMAND),
            typed.typed_command(COMMANDS),
        ),
        group=GROUP_COMMANDS,
    )
    # Evidence: a photo or file whose caption is /done or /progress (however typed) is that
    # command with the file attached; PTB's CommandHandler reads no captions. Videos and voice
    # messages with such a caption are answered why not (bot/handlers/evidence.py).
    application.add_handler(
        MessageHandler(
            evidence.CAPTIONED_MEDIA & filters.CaptionRegex(TYPED_COMMAND),
            evidence.captioned(COMMANDS),
        ),
        group=GROUP_COMMANDS,
    )
    # Commands this bot does not know (`/paln`, `/xyz`), in a later group: real commands win.
    application.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.TEXT & filters.Regex(TYPED_COMMAND),
            typed.unknown_command(COMMANDS, GROUP_COMMANDS),
        ),
        group=GROUP_UNKNOWN,
    )
    for prefix, callback in BUTTON_ROUTES.items():
        application.add_handler(
            CallbackQueryHandler(callback, pattern=f"^{re.escape(prefix)}"), group=GROUP_COMMANDS
        )
    # Last in group 0, so it gets only the presses no prefix above claimed: data we never
    # made, and game or inline presses without data. Each is answered ("no longer works").
    application.add_handler(CallbackQueryHandler(presses.unknown_press), group=GROUP_COMMANDS)
    # 👍 / 👌 / ✅ on a reminder: 已确认, as its 👀 button (silent otherwise).
    application.add_handler(
        MessageReactionHandler(
            reactions.on_reaction,
            message_reaction_types=MessageReactionHandler.MESSAGE_REACTION_UPDATED,
        ),
        group=GROUP_COMMANDS,
    )
    # The reason for a ↩️ 退回, from the one who pressed it (not an edit, nor a command typed
    # with an input method's slash); before the awaited /import, which it stops when it is one.
    application.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE
            & filters.TEXT
            & ~filters.COMMAND
            & ~filters.Regex(TYPED_COMMAND),
            review.awaited_reason,
        ),
        group=GROUP_REASONS,
    )
    application.add_handler(
        MessageHandler(
            (filters.TEXT & ~filters.COMMAND & ~filters.Regex(TYPED_COMMAND))
            | filters.Document.ALL,
            imports.awaited_input,
        ),
        group=GROUP_AWAITED,
    )
    # Plain replies to our item messages, and the button confirming what they meant.
    application.add_handler(
        MessageHandler(
            filters.REPLY & filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE,
            plain_replies.plain_reply,
        ),
        group=GROUP_REPLIES,
    )
    # Captions (issue 16 §4): a photo or file replying to our item messages, its caption read
    # as a plain reply with the file kept as the report's evidence; no caption, one sentence.
    application.add_handler(
        MessageHandler(
            filters.REPLY & (filters.PHOTO | filters.Document.ALL) & filters.UpdateType.MESSAGE,
            plain_replies.media_reply,
        ),
        group=GROUP_REPLIES,
    )
    application.add_handler(TypeHandler(Update, people.remember_users), group=GROUP_WATCH)
    application.add_handler(TypeHandler(Update, collection.edit_answered_asks), group=GROUP_ROUNDS)
    application.add_error_handler(errors.on_error)
