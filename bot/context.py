"""The typed context every handler receives, and the Application's typed `bot_data`.

PTB hands each callback a `CallbackContext`; ours (`PlanbotContext`, registered through
`ContextTypes` in `bot.app.build_application`) adds `context.services` so that no handler reaches
into a string-keyed `bot_data` dict. `BotData` is what the Application keeps for all handlers:
the services wired once at build time, the reminder runtime once it starts, whether updates
flow yet and the menu's background task, the cache of group administrators, the reminders
Telegram would not edit, and the unknown commands answered lately.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeAlias

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

if TYPE_CHECKING:
    from bot.delivery.reminders import ReminderRuntime
    from bot.services import Services


class BotData:
    """The Application's shared state (PTB creates it with no arguments at build time)."""

    def __init__(self) -> None:
        self._services: Services | None = None
        # Started in post_init (bot.delivery.reminders); None before, and in tools not starting it.
        self.reminders: ReminderRuntime | None = None
        # Set when updates start to flow to this instance: its first getUpdates went out, or
        # its webhook is registered. Work that must not hold up the first poll waits for it.
        self.receiving = asyncio.Event()
        # Making Telegram's "/" menu match the command table, started with the Application
        # (bot.app.settle_menu); None before, and in tools that do not start the Application.
        self.menu: asyncio.Task[None] | None = None
        # (tg chat id, tg user id) → until when Telegram's "administrator" answer holds.
        self.admin_cache: dict[tuple[int, int], datetime] = {}
        # (tg chat id, message id) of reminders Telegram refused to edit (bot.chat.reminder_edits).
        self.unedited_reminders: set[tuple[int, int]] = set()
        # (tg chat id, tg user id, command word) → when an unknown command was last answered
        # (bot.handlers.typed), so a repeated typo is answered once; bounded there.
        self.unknown_commands: dict[tuple[int, int, str], datetime] = {}

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("the Application's services are not wired: use build_application")
        return self._services

    @services.setter
    def services(self, value: Services) -> None:
        self._services = value


class PlanbotContext(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]):
    """The context of every planbot callback."""

    @property
    def services(self) -> Services:
        return self.bot_data.services


PlanbotApp: TypeAlias = Application[
    ExtBot[Any], PlanbotContext, dict[Any, Any], dict[Any, Any], BotData, Any
]

CONTEXT_TYPES = ContextTypes(context=PlanbotContext, bot_data=BotData)
