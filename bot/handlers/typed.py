"""Commands as typed with a Chinese input method, and commands the bot does not know.

`／done 2`, `、done 1` (the "/" key gives 、 in Chinese mode) and `/Ｄｏｎｅ 2` carry no command
entity, so PTB's CommandHandler never sees them: `typed_command` answers them as the command
they name (behind the command's access rule), for the bot's own commands only — `、好的` and
`、xyz` stay plain text. The handler then reads its arguments with `command_args`, which strips
such a prefix too.

`unknown_command` answers a command addressed to this bot that no handler took: a misspelling
gets "你是不是想用 /plan？" and anything else the short help line, once per chat, sender and
word within MEMORY (see BotData.unknown_commands) so a repeated typo is not answered twice.
A command for another bot (`/plan@otherbot`) is not ours and stays unanswered.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import CommandHandler

from bot.chat.command_words import command_word, suggest_command
from bot.chat.commands import Callback, ChatCommand, guarded
from bot.chat.item_access import incoming
from bot.chat.replies import chat_locale, reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.views.render import esc

# How long a misspelling stays answered for one sender in one chat, and how many are kept.
MEMORY = timedelta(minutes=10)
MEMORY_SIZE = 500
# Slashes that make an unknown word a command addressed to the bot: the ASCII one, and the
# full-width one (、 starts ordinary sentences too, so only known commands count after it).
_UNKNOWN_SLASHES = ("/", "／")


def _command_word(update: Update, context: PlanbotContext) -> tuple[str, str, str] | None:
    """(name, how the message started, the text) of a message starting with a command word
    for this bot (no @name, or ours), however typed; None otherwise. A photo's or a file's
    caption is read as a text is (`/done 3` with a photo: bot/handlers/evidence.py)."""
    message = update.effective_message
    text = message.text or message.caption if message is not None else None
    if not text:
        return None
    read = command_word(text)
    if read is None:
        return None
    name, bot = read
    if bot and bot.lower() != (context.bot.username or "").lower():
        return None
    return name, text.lstrip()[:1], text


def command_of(update: Update, context: PlanbotContext) -> str | None:
    """The name of the command for this bot the message (or caption) starts with, or None."""
    read = _command_word(update, context)
    return read[0] if read is not None else None


def typed_command(commands: Sequence[ChatCommand]) -> Callback:
    """The handler of `／done 2`, `、done 1`, `/Ｄｏｎｅ 2`: the command named, guarded."""
    by_name = {command.name: (command, guarded(command)) for command in commands}

    async def run(update: Update, context: PlanbotContext) -> None:
        read = _command_word(update, context)
        if read is None or read[0] not in by_name:
            return
        command, callback = by_name[read[0]]
        if update.edited_message is not None and not command.on_edit:
            return  # an edit must not report twice, as for the commands PTB routes
        await callback(update, context)

    return run


def unknown_command(commands: Sequence[ChatCommand], commands_group: int) -> Callback:
    """The handler of a command for this bot that is none of `commands`, nor taken by another
    CommandHandler of `commands_group` (one registered outside the table still wins)."""
    names = [command.name for command in commands]
    examples = {command.name: command for command in commands}

    async def run(update: Update, context: PlanbotContext) -> None:
        sent = incoming(update)
        read = _command_word(update, context)
        if sent is None or read is None:
            return
        name, slash, _ = read
        if name in examples or slash not in _UNKNOWN_SLASHES:
            return
        handlers = context.application.handlers.get(commands_group, [])
        if any(isinstance(h, CommandHandler) and h.check_update(update) for h in handlers):
            return
        svc = context.services
        key = (sent.chat.id, sent.user.id, name)
        if not first_in_a_while(context.bot_data.unknown_commands, key, svc.now()):
            return
        locale = await chat_locale(context, sent.chat.id)
        meant = suggest_command(name, names)
        if meant is None:
            line = t(locale, "command.unknown", command=esc(name))
        else:
            example = esc(examples[meant].example(locale))
            line = t(locale, "command.did_you_mean", command=meant, example=example)
        await reply_html(update, line)

    return run


def first_in_a_while(
    memory: dict[tuple[int, int, str], datetime], key: tuple[int, int, str], now: datetime
) -> bool:
    """Whether `key` was not answered within MEMORY before `now`; remembers it if so. The
    memory forgets what is older than MEMORY, and its oldest entries beyond MEMORY_SIZE."""
    for old in [k for k, at in memory.items() if now - at >= MEMORY]:
        del memory[old]
    if key in memory:
        return False
    memory[key] = now
    while len(memory) > MEMORY_SIZE:
        del memory[next(iter(memory))]
    return True
