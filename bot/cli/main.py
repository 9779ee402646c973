"""The `planbot` command: run, console, db."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.remind import add_parser as add_remind_parser
from bot.cli.report import add_parsers as add_report_parsers
from bot.logs import redact, secrets_of, setup_logging

# The config pulls in pydantic and the database layer, each subcommand its own world (PTB, the
# exporters, Alembic): they are imported when a command runs, so `planbot --help` stays quick
# (tests/bot/test_lean_imports.py).
if TYPE_CHECKING:
    from bot.config import Config

EXIT_FAILED = 1
EXIT_USAGE = 2
log = logging.getLogger(__name__)
# Interactive commands log only problems; the service logs what it does. The console's
# terminal is a chat transcript: operators' warnings (a holidays year not yet published) have
# no place in it, only errors do.
_QUIET = {"import", "summary", "export", "db", "backup", "restore"}
_LEVELS = {"console": "ERROR"} | dict.fromkeys(_QUIET, "WARNING")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planbot",
        description="A Telegram bot that keeps a work group's monthly plan and its deadlines.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="FILE", help="config file (default: ./planbot.toml)")
    common.add_argument("--log-format", choices=("text", "json"), default="text")
    # No default here: the parent's actions are shared by every subcommand, so a per-command
    # default set on one would change all of them (see _QUIET).
    common.add_argument("--log-level", default=None, type=str.upper)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", parents=[common], help="run the bot against Telegram")
    run.add_argument(
        "--drop-webhook",
        action="store_true",
        help="webhook mode: remove Telegram's webhook on the way out (polling removes it at start)",
    )

    console = commands.add_parser(
        "console", parents=[common], help="try the bot in this terminal, no token needed"
    )
    console.add_argument(
        "--demo", action="store_true", help="fresh temporary database with the sample plan"
    )
    console.add_argument(
        "--files",
        metavar="DIR",
        type=Path,
        help="where files the bot sends are saved (default: ./planbot-console-files)",
    )

    imp = commands.add_parser(
        "import", parents=[common], help="import a plan document (.txt, .md, .docx)"
    )
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--chat", type=int, help="Telegram chat id the plan belongs to")
    imp.add_argument("--year", type=int, help="the plan's year, if the document does not say")
    imp.add_argument("--month", type=int, choices=range(1, 13), metavar="M", help="its month")
    imp.add_argument(
        "--new-chat",
        action="store_true",
        help="store the plan for --chat even if neither the database nor Telegram knows it",
    )
    imp.add_argument("--dry-run", action="store_true", help="parse and show, write nothing")
    imp.add_argument("--json", action="store_true", help="print the parsed plan as JSON")
    add_report_parsers(commands, common)
    add_remind_parser(commands, common)

    commands.add_parser("doctor", parents=[common], help="check that everything is ready to run")

    backup = commands.add_parser(
        "backup", parents=[common], help="copy the SQLite database to FILE (safe while running)"
    )
    backup.add_argument("file", metavar="FILE")
    restore = commands.add_parser(
        "restore", parents=[common], help="replace the SQLite database with the backup FILE"
    )
    restore.add_argument("file", metavar="FILE")
    restore.add_argument("--force", action="store_true", help="overwrite a database with data")

    db = commands.add_parser("db", help="database schema")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", parents=[common], help="migrate the schema to the newest")
    db_commands.add_parser("current", parents=[common], help="print the schema revision")
    return parser


def _run(config: Config, *, drop_webhook: bool = False) -> int:
    from bot.i18n import t

    if not config.token:
        print(t(config.i18n.locale, "run.no_token"), file=sys.stderr)
        return EXIT_USAGE
    from bot.cli.lean import import_telegram

    import_telegram()
    from bot.cli.run import serve

    asyncio.run(serve(config, drop_webhook=drop_webhook))
    return 0


def _db(config: Config, action: str) -> int:
    from storage.migrate import current, upgrade

    if action == "upgrade":
        upgrade(config.database.url)
    print(current(config.database.url) or "(empty database)")
    return 0


def _backup(config: Config, args: argparse.Namespace) -> int:
    from storage.backup import BackupError, backup, restore

    try:
        if args.command == "backup":
            size = backup(config.database.url, Path(args.file))
            print(f"backed up to {args.file} ({size} bytes)")
        else:
            restore(config.database.url, Path(args.file), force=args.force)
            print(f"restored from {args.file}")
    except BackupError as error:
        print(f"planbot {args.command}: {error}", file=sys.stderr)
        return 1
    return 0


def one_line(error: BaseException) -> str:
    """What went wrong, as one line for the person at the terminal."""
    if isinstance(error, OSError) and error.filename is not None:
        path = Path(str(error.filename))
        if isinstance(error, FileNotFoundError) and not path.parent.is_dir():
            return f"{path}: the folder {path.parent} does not exist"
        return f"{path}: {error.strerror or error}"
    text = " ".join(str(error).split())
    return text or type(error).__name__


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _command(args)
    except Exception as error:
        # The one place a failure becomes a line, whichever command: no traceback reaches the
        # operator (it is logged at DEBUG, for `--log-level DEBUG`).
        log.debug("planbot %s failed", args.command, exc_info=True)
        # Redacted like every log line: an error may quote a URL with the token in it.
        print(f"planbot {args.command}: {redact(one_line(error))}", file=sys.stderr)
        return EXIT_FAILED


def _command(args: argparse.Namespace) -> int:
    if args.command != "run":
        return _dispatch(args)
    # Loading the bot makes about 230,000 objects the cyclic collector tracks, nearly all of
    # them living as long as the process, and it would walk them again and again while they
    # pile up (0.1-0.2 s of the start's CPU): off until the bot polls, then one collection and
    # a freeze (bot/cli/run.py:collect_once_receiving).
    gc.disable()
    try:
        return _dispatch(args)
    finally:
        gc.enable()  # also when the start failed before polling


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "doctor":
        # The doctor reports a broken config itself, as one of its checks.
        from bot.cli.doctor import doctor

        setup_logging(level="ERROR")
        return doctor(args.config)
    from bot.config import ConfigError, load_config

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"planbot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    level = args.log_level or _LEVELS.get(args.command, "INFO")
    setup_logging(level=level, fmt=args.log_format, secrets=secrets_of(config))
    if args.command == "run":
        return _run(config, drop_webhook=args.drop_webhook)
    if args.command == "import":
        from bot.cli.import_file import run_import

        return asyncio.run(run_import(config, args))
    if args.command == "remind":
        from bot.cli.remind import run_remind

        return run_remind(config, args)
    if args.command in ("summary", "export"):
        from bot.cli.report import run_report

        return run_report(config, args)
    if args.command in ("backup", "restore"):
        return _backup(config, args)
    if args.command == "console":
        from bot.cli.console import FILES_FOLDER, run_console

        files = args.files or FILES_FOLDER
        return asyncio.run(run_console(config, demo=args.demo, files=files))
    return _db(config, args.db_command)


if __name__ == "__main__":
    sys.exit(main())
