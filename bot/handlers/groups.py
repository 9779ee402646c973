"""The buttons asking which group a private command is about (bot/chat/group_choice.py): a
press runs the command it answers, behind the command's own access rule, in the group
pressed."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update

from bot.chat.chosen_group import in_group
from bot.chat.commands import Callback, ChatCommand, guarded
from bot.chat.group_choice import pressed_group
from bot.context import PlanbotContext


def group_button(commands: Sequence[ChatCommand]) -> Callback:
    """The handler of a group button (`grp:<chat row id>`) under the question about one of
    `commands`."""
    by_name = {command.name: guarded(command) for command in commands if command.one_group}

    async def run(update: Update, context: PlanbotContext) -> None:
        pressed = await pressed_group(update, context, by_name)
        if pressed is None:
            return
        with in_group(pressed.group):
            await by_name[pressed.command](pressed.update, context)

    return run
