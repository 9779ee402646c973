"""`planbot import FILE`: the same import as /import, from a shell."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from telegram.error import BadRequest, Forbidden, TelegramError

from bot.cli.bot_api import api_bot
from bot.config import Config
from bot.i18n import t
from bot.operations.imports import ImportRefused, import_plan, parse_for_import_async
from bot.operations.who import Origin
from bot.services import make_planner
from bot.views.imports import change_lines, heading_line, item_lines, refusal_html, result_line
from bot.views.render import plain
from plans.document import DocumentRefused, document_text
from plans.model import ParsedPlan
from storage.chats import get_chat, group_chats
from storage.db import Database
from storage.migrate import upgrade_async

EXIT_REFUSED = 1
EXIT_USAGE = 2


def plan_json(parsed: ParsedPlan) -> dict[str, object]:
    return {
        "year": parsed.year,
        "month": parsed.month,
        # A quarter's plan has its quarter (1–4) and no month; the year's plan has whole_year.
        "quarter": parsed.quarter,
        "whole_year": parsed.whole_year,
        "title": parsed.title,
        "items": [
            {
                "seq": item.seq,
                "title": item.title,
                "leaders": list(item.leaders),
                "departments": list(item.departments),
                "partners": list(item.partners),
                "deadline": item.deadline.isoformat() if item.deadline else None,
                "deadline_text": item.deadline_text,
            }
            for item in parsed.items
        ],
        "warnings": list(parsed.warnings),
    }


async def confirmed_chat(config: Config, db: Database, tg_chat_id: int) -> Origin | None:
    """The chat to store a plan for: one the database knows, or one Telegram confirms the bot
    is in (a plan is often imported before anyone wrote in the group). Anything else is a
    mistyped id that would make a group nobody sees: say so, list the known groups, None."""
    async with db.session() as session:
        known = await get_chat(session, tg_chat_id)
        if known is not None:
            return Origin(known.tg_chat_id, known.title, known.type, known.is_forum)
        groups = [(g.tg_chat_id, g.title) for g in await group_chats(session)]
    if not config.token:
        why = "there is no bot token to ask Telegram (set PLANBOT_TOKEN)"
    else:
        try:
            async with api_bot(config) as bot:
                found = await bot.get_chat(tg_chat_id)
            return Origin(found.id, found.title or "", found.type, bool(found.is_forum))
        except (BadRequest, Forbidden) as error:
            why = f"Telegram does not let the bot see it ({error.message})"
        except TelegramError as error:
            why = f"Telegram could not be asked ({error.message})"
    print(
        f"planbot import: no group with Telegram id {tg_chat_id}: the database does not know "
        f"it and {why}",
        file=sys.stderr,
    )
    if groups:
        print("groups planbot knows:", file=sys.stderr)
        for group_id, title in groups:
            print(f"  {group_id}  {title}", file=sys.stderr)
    print(
        "an admin sees a group's id with /id in that group; --new-chat imports for this id anyway",
        file=sys.stderr,
    )
    return None


async def run_import(config: Config, args: argparse.Namespace) -> int:
    locale = config.i18n.locale
    path = Path(args.file)
    if not args.dry_run and args.chat is None:
        print(
            "planbot import: --chat ID is required to store a plan (or use --dry-run)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        data = await asyncio.to_thread(path.read_bytes)
    except OSError as error:
        print(f"planbot import: {path}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    today = datetime.now(config.schedule.tz).date()
    try:
        text = await asyncio.to_thread(document_text, path.name, data)
        parsed = await parse_for_import_async(text, today=today, year=args.year, month=args.month)
    except DocumentRefused as refused:
        reason = f"import.refused.{refused.reason.value}"
        print(plain(t(locale, reason, **refused.values)), file=sys.stderr)
        return EXIT_REFUSED
    except ImportRefused as refused:
        print(plain(refusal_html(locale, refused)), file=sys.stderr)
        return EXIT_REFUSED
    if args.dry_run and args.json:
        print(json.dumps(plan_json(parsed), ensure_ascii=False, indent=2))
        return 0
    if args.dry_run and not args.json:
        # What was found first: a wrong title or period is the mistake to see before the items.
        print(plain(heading_line(parsed, locale)))
    if args.dry_run and args.chat is None:
        for item in parsed.items:
            print("\n".join(plain(line) for line in item_lines(item, locale)))
        for warning in parsed.warnings:
            print(f"⚠️ {warning}")
        return 0

    await upgrade_async(config.database.url)
    db = Database.from_url(config.database.url)
    try:
        chat: Origin | None = Origin(args.chat)
        if not args.dry_run and not args.new_chat:
            chat = await confirmed_chat(config, db, args.chat)
        if chat is None:
            return EXIT_REFUSED
        outcome = await import_plan(
            db, make_planner(config), chat, parsed, text, dry_run=args.dry_run
        )
    finally:
        await db.close()
    if args.json:
        print(json.dumps(plan_json(parsed) | {"outcome": asdict(outcome)}, ensure_ascii=False))
    else:
        for line in change_lines(outcome, locale):
            print(plain(line))
        if not args.dry_run:
            print(plain(result_line(outcome, locale)))
    return 0
