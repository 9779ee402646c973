"""`planbot summary` and `planbot export`: /summary and /export from a shell.

The database layer and the file formats are imported when a command runs, not when `planbot`
builds its parser.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.config import Config
    from plans.summary import MonthReport

EXIT_REFUSED = 1
EXIT_USAGE = 2
FORMATS = ("docx", "xlsx", "md", "ics")


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    """The `summary` and `export` subcommands, on the `planbot` parser's subparsers."""
    summary = commands.add_parser(
        "summary", parents=[common], help="draft a month's work summary (工作综述)"
    )
    export = commands.add_parser(
        "export", parents=[common], help="export a month's plan as docx, xlsx, md or ics"
    )
    for sub in (summary, export):
        sub.add_argument("--chat", type=int, required=True, help="Telegram chat id of the group")
        sub.add_argument(
            "--month", help="2020-10, 10, 十月, october (default: the group's current plan)"
        )
    summary.add_argument("--format", choices=("text", "docx"), default="text")
    summary.add_argument(
        "-o", "--output", metavar="FILE", help="write here (default: standard output)"
    )
    export.add_argument("--format", choices=FORMATS, required=True)
    export.add_argument(
        "-o", "--output", metavar="FILE", required=True, help="the file to write ('-': stdout)"
    )


def _fail(command: str, message: str, code: int) -> int:
    from bot.views.render import plain

    print(f"planbot {command}: {plain(message)}", file=sys.stderr)
    return code


def _write(output: str, data: bytes) -> None:
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        Path(output).write_bytes(data)


@dataclass(frozen=True, slots=True)
class _Loaded:
    report: MonthReport
    locale: str


async def _load(config: Config, args: argparse.Namespace, now: datetime) -> _Loaded | int:
    """The group's report for the month, or the exit code after saying why not."""
    from bot.exports.common import missing_plan
    from bot.i18n import t
    from bot.operations.deps import Deps
    from bot.operations.month_reports import GroupReport, UnknownGroup, report_of_chat
    from bot.planning import make_planner
    from plans.months import parse_month
    from storage.db import Database
    from storage.migrate import upgrade_async

    command = args.command
    locale: str = config.i18n.locale
    month = None
    if args.month:
        month = parse_month(args.month)
        if month is None:
            sentence = t(locale, "report.bad_month", text=args.month, example="--month 2020-10")
            return _fail(command, sentence, EXIT_USAGE)
    await upgrade_async(config.database.url)
    db = Database.from_url(config.database.url)
    deps = Deps(db, make_planner(config), lambda: now, locale)
    try:
        found = await report_of_chat(deps, args.chat, month)
    finally:
        await db.close()
    if isinstance(found, UnknownGroup):
        return _fail(command, f"no group with Telegram id {args.chat}", EXIT_REFUSED)
    if isinstance(found, GroupReport):
        return _Loaded(found.report, found.locale)
    return _fail(command, missing_plan(found.locale, month, found.have, deps.today()), EXIT_REFUSED)


def run_report(config: Config, args: argparse.Namespace) -> int:
    """Both subcommands: find the group's plan for the month, then print or write it."""
    from bot.exports import make_export
    from bot.exports.common import draft_summary

    if args.command == "summary" and args.format == "docx" and args.output in (None, "-"):
        return _fail(args.command, "--format docx needs -o FILE", EXIT_USAGE)
    now = datetime.now(UTC)
    today = now.astimezone(config.schedule.tz).date()
    loaded = asyncio.run(_load(config, args, now))
    if isinstance(loaded, int):
        return loaded
    report, locale, org = loaded.report, loaded.locale, config.org.name
    if args.command == "summary" and args.format == "text":
        text = draft_summary(report, locale=locale, today=today, org=org).text()
        if args.output in (None, "-"):
            print(text)
        else:
            Path(args.output).write_text(text + "\n", encoding="utf-8")
        return 0
    file = make_export(args.format, report, locale=locale, today=today, now=now, org=org)
    _write(args.output, file.data)
    if args.output != "-":
        print(f"{args.output} ({len(file.data)} bytes)")
    return 0
