"""Building the PTB Application: the one place where the bot is wired together."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from telegram import Bot, BotCommand, MenuButton, MenuButtonDefault, Update
from telegram.ext import ApplicationBuilder, Updater

from bot import handlers
from bot.config import Config
from bot.connection import Connection, connect
from bot.context import CONTEXT_TYPES, PlanbotApp
from bot.delivery.reminders import start_reminders, stop_reminders
from bot.i18n import LOCALES
from bot.services import Services, make_planner
from bot.tracking import ChatOrderedUpdateProcessor
from bot.views.mini_app import app_menu_button, app_url
from storage.db import Database

if TYPE_CHECKING:
    from bot.web.server import WebServer

log = logging.getLogger(__name__)

# Telegram shows a menu in the user's app language; these are the codes it sends for ours.
_MENU_LANGUAGES = {"zh_CN": "zh", "en": "en"}


def menu_commands(locale: str) -> list[BotCommand]:
    return [BotCommand(c.name, c.description(locale)) for c in handlers.COMMANDS if c.in_menu]


def menus(default_locale: str) -> list[tuple[str | None, list[BotCommand]]]:
    """(language code, commands) of each "/" menu Telegram should show: no language code for
    users whose language we do not speak (the office's default), then one per language."""
    return [(None, menu_commands(default_locale))] + [
        (_MENU_LANGUAGES[locale], menu_commands(locale)) for locale in LOCALES
    ]


def _pairs(commands: Sequence[BotCommand]) -> list[tuple[str, str]]:
    return [(c.command, c.description) for c in commands]


async def settle_menu(bot: Bot, default_locale: str) -> None:
    """Make Telegram's "/" menus those of the command table, writing only the ones that differ:
    Telegram keeps a menu across restarts, so a start with the same commands reads and writes
    nothing. A failure is one WARNING line, never a crash: the menus stay as they were and the
    next start tries again."""
    try:
        for language, commands in menus(default_locale):
            shown = await bot.get_my_commands(language_code=language)
            if _pairs(shown) != _pairs(commands):
                await bot.set_my_commands(commands, language_code=language)
    # Anything at all: the menu is a convenience, and this task has nobody to report to.
    except Exception as error:
        log.warning("could not update the command menu: %s: %s", type(error).__name__, error)


def wanted_menu_button(config: Config) -> MenuButton:
    """The bot's menu button in private chats: the board's Mini App when `[http] public_url`
    is a public HTTPS address (Telegram opens no other), else Telegram's default (the "/"
    list)."""
    url = app_url(config.http.public_url)
    if url is None:
        if config.http.public_url:
            # An operator who set an address expects the Mini App: say why there is none.
            log.info(
                "no Mini App menu button: [http] public_url is not a public https address "
                "(Telegram opens no other as a Mini App); the board is still served there"
            )
        return MenuButtonDefault()
    return app_menu_button(config.i18n.locale, url)


def _same_button(shown: MenuButton, wanted: MenuButton) -> bool:
    # The bot's default button reads back as "commands" until one is set: the same as
    # "default" to a user, so neither is written over the other.
    plain = ("commands", "default")
    if shown.type in plain and wanted.type in plain:
        return True
    return shown == wanted


async def settle_menu_button(bot: Bot, wanted: MenuButton) -> None:
    """Make the bot's default menu button `wanted`, writing only when it differs (Telegram
    keeps it across restarts). A failure is one WARNING line, as for the "/" menu."""
    try:
        shown = await bot.get_chat_menu_button()
        if not _same_button(shown, wanted):
            await bot.set_chat_menu_button(menu_button=wanted)
    except Exception as error:  # a convenience, with nobody to report to: as settle_menu
        log.warning("could not update the menu button: %s: %s", type(error).__name__, error)


async def _settle_menu_once_receiving(application: PlanbotApp) -> None:
    # After the first getUpdates (or the webhook) so the menu never holds up taking updates.
    await application.bot_data.receiving.wait()
    config = application.bot_data.services.config
    await settle_menu(application.bot, config.i18n.locale)
    await settle_menu_button(application.bot, wanted_menu_button(config))


async def _post_init(application: PlanbotApp) -> None:
    log.info("planbot started as @%s", application.bot.username)
    # The scheduler's backlog pass and rebuild run in the background: polling starts at once.
    await start_reminders(application)


async def _post_stop(application: PlanbotApp) -> None:
    # While the bot can still send: a pass in flight finishes its message and records it.
    await stop_reminders(application)


async def _post_shutdown(application: PlanbotApp) -> None:
    await application.bot_data.services.db.close()


def build_application(
    config: Config, *, db: Database | None = None, connection: Connection | None = None
) -> PlanbotApp:
    """The Application for `config`; the database is opened here (unless given) and closed at
    shutdown. `connection`: the bot and updater already made (and perhaps polling) by
    `bot.connection.connect`; a new one otherwise."""
    connection = connection if connection is not None else connect(config)
    updates = ChatOrderedUpdateProcessor(config.telegram.concurrent_updates)
    application = (
        ApplicationBuilder()
        .updater(connection.updater)
        .context_types(CONTEXT_TYPES)
        .concurrent_updates(updates)
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data.receiving = connection.receiving
    application.bot_data.services = Services(
        config=config,
        db=db if db is not None else Database.from_url(config.database.url),
        updates=updates,
        planner=make_planner(config),
    )
    handlers.register(application)
    return application


@asynccontextmanager
async def started(application: PlanbotApp) -> AsyncIterator[None]:
    """initialize, post_init, start … stop, post_stop, shutdown, post_shutdown: what
    run_polling and run_webhook do around their loop, for callers that own the event loop
    themselves."""
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        data = application.bot_data
        data.menu = asyncio.create_task(_settle_menu_once_receiving(application), name="menu")
        try:
            yield
        finally:
            # An instance that never polled (another one holds the polling lock) never set it.
            data.menu.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await data.menu
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


def updater_of(application: PlanbotApp) -> Updater:
    """The application's Updater, which polls. `build_application` always makes one (PTB's
    builder does unless told not to), so this fails only for an application built otherwise."""
    if application.updater is None:
        raise ValueError("this Application was built without an Updater: it cannot poll")
    return application.updater


@asynccontextmanager
async def polling(application: PlanbotApp, *, poll_timeout: int = 10) -> AsyncIterator[None]:
    """Run `application` with long polling inside the caller's event loop (the console, the
    tests and `planbot run` in polling mode)."""
    async with started(application):
        await updater_of(application).start_polling(
            poll_interval=0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
        )
        yield


@asynccontextmanager
async def webhook(application: PlanbotApp, config: Config) -> AsyncIterator[WebServer]:
    """Serve Telegram's webhook (and /healthz, /metrics) and register it with Telegram."""
    # Here, not at the top: a polling bot without `[http] port` serves no page, and the web
    # server brings the board's templates (Jinja2) with it.
    from bot.web.server import WebServer

    hook = config.telegram.webhook
    secret = hook.secret_token.get_secret_value()
    async with started(application):
        web = WebServer(application, webhook_path=hook.url_path, secret=secret)
        web.start(hook.listen, hook.port)
        try:
            await application.bot.set_webhook(
                url=f"{hook.public_url.rstrip('/')}/{hook.url_path.strip('/')}",
                secret_token=secret,
                allowed_updates=Update.ALL_TYPES,
            )
            application.bot_data.receiving.set()
            yield web
        finally:
            await web.stop()
