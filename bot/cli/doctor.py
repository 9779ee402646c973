"""`planbot doctor`: is this installation ready to run? One line per check, with the fix."""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from telegram import Bot
from telegram.error import InvalidToken, TelegramError

from bot.chat.private_reach import reaches_privately
from bot.cli.bot_api import api_bot
from bot.config import Config, ConfigError, find_config, load_config
from bot.logs import redact, secrets_of
from bot.services import make_planner
from storage.db import is_sqlite, normalize_url
from storage.migrate import current_async, head

CALENDAR_DAYS = 60
_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    # Works, but something will not (an admin the error reports cannot reach): ⚠, exit 0.
    warning: bool = False


def _missing_sqlite_file(path: Path) -> Check:
    """A SQLite file that does not exist yet: fine on a fresh install if it can be created
    (planbot run creates and migrates it at start); opening it here would create it empty."""
    folder = path.parent
    if not folder.is_dir():
        return Check(
            "database",
            False,
            f"{path}: the folder {folder} does not exist",
            f"create it (mkdir -p {folder}) or change [database] url",
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        return Check(
            "database",
            False,
            f"{path} does not exist and {folder} is not writable",
            "let the bot's user write there, or change [database] url",
        )
    return Check("database", True, f"{path} will be created at first start")


async def _database(config: Config) -> Check:
    if is_sqlite(config.database.url):
        path = Path(normalize_url(config.database.url).database or "")
        if not await asyncio.to_thread(path.exists):
            return await asyncio.to_thread(_missing_sqlite_file, path)
    try:
        revision = await asyncio.wait_for(current_async(config.database.url), _TIMEOUT)
    except Exception as error:  # any driver error means "not reachable" to the reader
        return Check(
            "database",
            False,
            f"cannot open {config.database.url}: {type(error).__name__}: {error}",
            "check [database] url (or PLANBOT_DATABASE_URL) and that the server runs",
        )
    if revision != head():
        return Check(
            "database",
            False,
            f"schema at {revision or 'nothing'}, newest is {head()}",
            "run `planbot db upgrade` (planbot run also does it at start)",
        )
    return Check("database", True, f"reachable, schema at {revision}")


async def _telegram(config: Config) -> list[Check]:
    if not config.token:
        return [
            Check(
                "token",
                False,
                "no bot token configured",
                "get one from @BotFather and set PLANBOT_TOKEN (or [telegram] token)",
            )
        ]
    bot = api_bot(config)
    try:
        async with bot:
            me = await bot.get_me(read_timeout=_TIMEOUT)
            info = await bot.get_webhook_info(read_timeout=_TIMEOUT)
            admins = await _admins(bot, config.access.admins)
    except InvalidToken:
        return [
            Check("token", False, "Telegram refuses the token", "copy it again from @BotFather")
        ]
    except TelegramError as error:
        return [
            Check(
                "token",
                False,
                f"cannot reach {config.telegram.base_url}: {error}",
                "check the network and [telegram] base_url",
            )
        ]
    checks = [Check("token", True, f"the bot is @{me.username}"), admins]
    if config.telegram.mode == "polling" and info.url:
        checks.append(
            Check(
                "webhook",
                False,
                f"a webhook is set ({info.url}) but mode is polling",
                '`planbot run` in polling mode removes it at start; or set mode = "webhook"',
            )
        )
    else:
        checks.append(
            Check("webhook", True, f"mode {config.telegram.mode}, webhook {info.url or 'none'}")
        )
    return checks


async def _admins(bot: Bot, admins: list[int]) -> Check:
    """Can the bot write to each admin in private? Telegram answers 403 to a chat action for
    a user who never started the bot (or blocked it); error reports to them would be lost."""
    if not admins:
        return Check(
            "admins",
            True,
            "none configured: error reports go nowhere",
            warning=True,
            fix="list the admins' Telegram ids in [access] admins",
        )
    unreachable = [
        str(admin)
        for admin in admins
        if not await reaches_privately(bot, admin, read_timeout=_TIMEOUT)
    ]
    if unreachable:
        return Check(
            "admins",
            True,
            f"{', '.join(unreachable)} never opened a private chat with the bot (or blocked "
            "it): error reports cannot reach them",
            fix="each of them opens the bot in Telegram and presses Start",
            warning=True,
        )
    return Check("admins", True, f"{len(admins)} reachable in private")


def _timezone(config: Config) -> Check:
    now = datetime.now(config.schedule.tz)
    return Check("timezone", True, f"{config.schedule.timezone}, now {now:%Y-%m-%d %H:%M %z}")


def _calendar(config: Config) -> Check:
    calendar = make_planner(config).calendar
    today = datetime.now(config.schedule.tz).date()
    years = sorted({(today + timedelta(days=n)).year for n in range(CALENDAR_DAYS + 1)})
    unknown = [y for y in years if not calendar.covers(y)]
    if unknown:
        return Check(
            "calendar",
            False,
            f"no {config.reminders.country} holidays for {', '.join(map(str, unknown))}: "
            "only weekends would count",
            "upgrade the holidays package, or list the days in [reminders] extra_holidays",
        )
    estimated = [y for y in years if not calendar.has_official_schedule(y)]
    if estimated:
        return Check(
            "calendar",
            True,
            f"next {CALENDAR_DAYS} days covered; {', '.join(map(str, estimated))}: statutory "
            "holidays only, the official make-up working days are not published in this "
            "holidays version yet (upgrade it, or add them to [reminders] extra_workdays)",
        )
    return Check(
        "calendar", True, f"next {CALENDAR_DAYS} days covered ({config.reminders.country})"
    )


def _failed(name: str, error: Exception, fix: str) -> Check:
    """A check that raised: a value it cannot use is a ✗ with the fix, never a traceback."""
    return Check(name, False, f"{type(error).__name__}: {error}", fix)


async def run_checks(config: Config) -> list[Check]:
    try:
        database = await _database(config)
    except Exception as error:
        database = _failed("database", error, "check [database] url (or PLANBOT_DATABASE_URL)")
    checks = [database, *await _telegram(config)]
    for check, fix in (
        (_timezone, "check [schedule] timezone"),
        (_calendar, "check [reminders] country, extra_holidays and extra_workdays"),
    ):
        try:
            checks.append(check(config))
        except Exception as error:
            checks.append(_failed(check.__name__.strip("_"), error, fix))
    return checks


def doctor(config_path: str | None) -> int:
    """Print every check; exit 0 only when all are ok."""
    source = find_config(config_path)
    try:
        config = load_config(config_path)
    except ConfigError as error:
        what = " in ".join(str(part) for part in (error.key, source) if part) or "the setting"
        print(f"✗ config: {error}")
        print(f"    fix: correct {what} and run planbot doctor again")
        return 1
    print(f"✓ config: {source if source is not None else Path('(defaults)')}")
    checks = asyncio.run(run_checks(config))
    for check in checks:
        mark = "✗" if not check.ok else "⚠" if check.warning else "✓"
        print(redact(f"{mark} {check.name}: {check.detail}", secrets_of(config)))
        if (not check.ok or check.warning) and check.fix:
            print(f"    fix: {check.fix}")
    sys.stdout.flush()
    return 0 if all(c.ok for c in checks) else 1
