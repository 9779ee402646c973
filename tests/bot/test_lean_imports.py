"""A lean start: each way of running planbot loads only what it needs.

`planbot --help` and the every-minute `planbot remind` stay quick, and the polling bot does not
carry the file formats (python-docx, openpyxl, matplotlib, icalendar, pypdf) or Alembic in its
memory until a command needs them. Each case runs in a fresh interpreter and reads its
`sys.modules`; tests/bench/bench_lean_start.py measures the time and memory this saves.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from alembic.script import ScriptDirectory

from storage.migrate import alembic_config, current_async, head, upgrade_async
from tests.support.processes import TOKEN

# Loaded by the commands that read or write those files, never at start.
FILE_FORMATS = {"docx", "lxml", "openpyxl", "matplotlib", "icalendar", "pypdf"}
MARK = "modules:"


def _modules(code: str, *, env: dict[str, str] | None = None) -> tuple[set[str], str]:
    """The modules and top-level packages loaded after running `code` in a fresh interpreter;
    its output."""
    script = (
        textwrap.dedent(code)
        + f"\nimport sys, json\nprint({MARK!r} + json.dumps(sorted(sys.modules)))\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PLANBOT_")}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**clean, "PYTHONPATH": os.getcwd(), **(env or {})},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out, _, listed = done.stdout.rpartition(MARK)
    names = set(json.loads(listed))
    return names | {name.split(".")[0] for name in names}, out


def test_help_loads_no_subcommand():
    loaded, out = _modules(
        """
        from bot.cli.main import main
        try:
            main(["--help"])
        except SystemExit:
            pass
        """
    )
    assert "remind" in out and "export" in out
    heavy = FILE_FORMATS | {"alembic", "tornado", "telegram", "sqlalchemy", "pydantic", "holidays"}
    assert not loaded & heavy


def test_the_polling_bot_starts_without_file_formats_or_alembic(tmp_path):
    # PTB's Updater imports tornado itself whenever it is installed (its webhook extra), so
    # tornado cannot be left out of a polling bot; everything planbot loads is.
    loaded, _ = _modules(
        f"""
        from bot.cli.lean import import_telegram
        import_telegram()  # as `planbot run` does before loading the bot
        import bot.cli.run
        from bot.app import build_application
        from bot.config import parse_config
        config = parse_config(
            {{"telegram": {{"token": {TOKEN!r}}},
             "database": {{"url": "sqlite+aiosqlite:///{tmp_path / "bot.db"}"}}}},
            source="test", env={{}},
        )
        build_application(config)
        """
    )
    assert "telegram" in loaded and "bot" in loaded
    assert not loaded & (FILE_FORMATS | {"alembic"})
    # No page to serve without `[http] port`: the web server and the board's templates wait.
    assert not loaded & {"jinja2", "bot.web.server", "bot.web.board"}
    # PTB's Telegram Passport support, which planbot never uses (8 MiB).
    assert "cryptography" not in loaded
    # The working-day calendar: China's holidays, not the package's ~250 countries (8 MiB).
    assert "holidays" in loaded and "holidays.countries" not in loaded


async def test_planbot_run_polls_before_it_loads_the_bot():
    """What `planbot run` loads before its first getUpdates (bot/cli/run.py: configuration,
    PTB, the database layer, the connection): the handlers, the tables, the scheduler and the
    calendar come after, while that getUpdates is out (about half the start's CPU)."""
    loaded, _ = _modules(
        """
        from bot.cli.main import main
        from bot.config import parse_config
        from bot.cli.lean import import_telegram
        import_telegram()
        import bot.cli.run
        """
    )
    assert {"telegram", "sqlalchemy", "pydantic", "bot.connection"} <= loaded
    later = {"bot.app", "bot.handlers", "bot.services", "sqlmodel", "storage.models"}
    assert not loaded & (later | {"jobs.outbox", "jobs.scheduler", "holidays"})


def test_pypdf_still_opens_encrypted_pdfs_once_the_bot_is_loaded():
    """cryptography is hidden from PTB only while PTB loads: pypdf, importing later, uses it
    for owner-password PDFs (AES), which its fallback cannot open."""
    _, out = _modules(
        """
        from bot.cli.lean import import_telegram
        import_telegram()
        import bot.cli.run
        from pypdf._crypt_providers import crypt_provider
        print(crypt_provider[0])
        """
    )
    assert out.strip() == "cryptography"


async def test_a_database_at_head_is_not_migrated_again(database_url):
    check = f"""
        import asyncio
        from storage.migrate import upgrade_async
        asyncio.run(upgrade_async({database_url!r}))
        """
    loaded, _ = _modules(check)
    assert "alembic" in loaded, "an empty database is migrated"
    assert await current_async(database_url) == head()
    loaded, _ = _modules(check)
    assert "alembic" not in loaded, "at head: one SELECT, no Alembic"
    await upgrade_async(database_url)
    assert await current_async(database_url) == head()


def test_the_newest_revision_is_alembics():
    assert [head()] == ScriptDirectory.from_config(alembic_config()).get_heads()


def test_remind_with_nothing_due_answers_without_telegram(tmp_path: Path):
    """Cron runs `planbot remind` every minute: with nothing due it answers from the database
    alone (no PTB, no getMe), so Telegram being unreachable does not matter."""
    config = tmp_path / "planbot.toml"
    config.write_text(
        '[telegram]\nbase_url = "http://127.0.0.1:9/bot"\n'
        f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "bot.db"}"\n',
        encoding="utf-8",
    )
    loaded, out = _modules(
        f"""
        from bot.cli.main import main
        assert main(["remind", "--config", {str(config)!r}]) == 0
        """,
        env={"PLANBOT_TOKEN": TOKEN},
    )
    assert out == "现在没有到期的提醒。\n"
    # (Alembic is: the database was new and got its tables.)
    assert not loaded & (FILE_FORMATS | {"telegram"})
