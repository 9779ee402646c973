"""The `planbot` command as a person runs it."""

import asyncio
import io
import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import date

import pytest

from bot.cli.console import run_console
from bot.cli.main import main
from bot.config import parse_config
from bot.sandbox import Sandbox
from storage.migrate import head

TOKEN = "7356219804:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANBOT_")}
    return {**env, **extra}


def test_run_without_a_token_says_how_to_get_one(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PLANBOT_TOKEN", raising=False)
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "@BotFather" in err and "/newbot" in err and "planbot console --demo" in err


def test_a_broken_config_file_exits_2_naming_file_and_key(tmp_path, capsys):
    path = tmp_path / "planbot.toml"
    path.write_text("[database]\nurl = 5\n", encoding="utf-8")
    assert main(["run", "--config", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"planbot: {path}: [database] url: expected")
    assert len(err.splitlines()) == 1


def test_db_upgrade_creates_the_schema(tmp_path, capsys):
    path = tmp_path / "planbot.toml"
    db_file = tmp_path / "x.db"
    path.write_text(f'[database]\nurl = "sqlite:///{db_file}"\n', encoding="utf-8")
    assert main(["db", "current", "--config", str(path)]) == 0
    assert "(empty database)" in capsys.readouterr().out
    assert main(["db", "upgrade", "--config", str(path)]) == 0
    printed = capsys.readouterr()
    assert printed.out.strip() == head()
    assert printed.err == "", "an interactive command logs only problems"
    assert db_file.exists()


async def test_console_demo_answers_help_in_chinese_and_exits_at_end_of_input():
    out = io.StringIO()
    config = parse_config({}, source="test", env={})
    code = await run_console(config, demo=True, stdin=io.StringIO("/help\n"), stdout=out)
    assert code == 0
    text = out.getvalue()
    assert "> /help" in text
    assert "/plan — 查看某月计划" in text and "例：/help" in text


def test_console_demo_from_a_pipe_as_the_readme_says(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "console", "--demo"],
        input="/help\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=_env(PYTHONPATH=os.getcwd()),
    )
    assert result.returncode == 0, result.stderr
    assert "/plan — 查看某月计划" in result.stdout
    assert not list(tmp_path.iterdir()), "the demo must not leave files behind"


async def test_run_polls_until_sigterm_then_exits_cleanly_without_logging_the_token(tmp_path):
    async with Sandbox(token=TOKEN) as sandbox:
        config = tmp_path / "planbot.toml"
        config.write_text(
            "[telegram]\n"
            f'base_url = "{sandbox.base_url}"\nbase_file_url = "{sandbox.base_file_url}"\n'
            f'[database]\nurl = "sqlite:///{tmp_path / "bot.db"}"\n',
            encoding="utf-8",
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", "--config", str(config),
            "--log-level", "DEBUG",
            stderr=asyncio.subprocess.PIPE,
            env=_env(PLANBOT_TOKEN=TOKEN, PYTHONPATH=os.getcwd()),
        )  # fmt: skip
        # Drain the log as it comes: a full pipe would block the bot mid-start.
        assert process.stderr is not None
        reader = asyncio.create_task(process.stderr.read())
        try:
            await sandbox.wait_until(
                lambda: bool(sandbox.calls_to("getUpdates")), timeout=60, what="polling"
            )
            user = sandbox.add_user("李四")
            group = sandbox.add_chat("supergroup", title="群")
            sandbox.send_text(group, user, "/help")
            replies = await sandbox.wait_for(1, chat=group, timeout=10)
            assert "/plan — 查看某月计划" in replies[0].text
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), timeout=30)
            stderr = await reader
        finally:
            if process.returncode is None:
                process.kill()
    assert process.returncode == 0
    log = stderr.decode()
    assert "planbot started as @" in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    assert (tmp_path / "bot.db").exists(), "the schema is upgraded at start"
    with closing(sqlite3.connect(tmp_path / "bot.db")) as connection:
        seen = connection.execute("SELECT full_name FROM tg_account").fetchall()
    assert seen == [("李四",)], "the newest revision is applied at start: accounts are kept"


@pytest.mark.parametrize(
    ("today", "title", "deadline"),
    [
        (date(2026, 11, 24), "荆州市总工会十一月份工作计划", date(2026, 11, 30)),
        (date(2027, 1, 1), "荆州市总工会一月份工作计划", date(2027, 1, 31)),
    ],
)
async def test_demo_seeds_the_sample_as_this_months_plan_and_binds_leaders(
    db, today, title, deadline
):
    from sqlalchemy import select

    from bot.cli.demo import DEMO_PEOPLE, seed_demo
    from bot.operations.who import Origin
    from bot.services import make_planner
    from storage.models import Item, Person, Plan

    members = {name: (1000 + i, None) for i, name in enumerate(DEMO_PEOPLE)}
    planner = make_planner(parse_config({}, source="test", env={}))
    chat = Origin(-100, "群", "supergroup")
    await seed_demo(db, planner, chat, members, today=today)
    async with db.session() as session:
        plans = (await session.execute(select(Plan.year, Plan.month, Plan.title))).all()
        items = (await session.scalars(select(Item).order_by(Item.seq))).all()
        bound = (
            await session.scalars(select(Person.name).where(Person.tg_user_id.is_not(None)))
        ).all()
    assert [tuple(p) for p in plans] == [(today.year, today.month, title)]
    assert len(items) == 10 and {i.deadline for i in items} == {deadline}
    assert sorted(bound) == sorted(DEMO_PEOPLE)


async def test_console_sends_a_file_and_presses_the_buttons_it_shows():
    from pathlib import Path

    fixture = Path(__file__).parents[1] / "fixtures" / "plan-gbk.txt"
    out = io.StringIO()
    # The imported plan (December 2020) is overdue: with the scheduler on, a reminder with
    # buttons of its own could arrive between the presses, depending on the hour.
    config = parse_config({"reminders": {"scheduler": False}}, source="test", env={})
    script = f"/file {fixture} /import\n!1\n!7\n/as 董军\n/help\n"
    assert await run_console(config, demo=True, stdin=io.StringIO(script), stdout=out) == 0
    text = out.getvalue()
    # Every deadline of the December 2020 plan is past: it may also be kept as an archive.
    assert "[!1 ✅ 确认导入]  [!2 📦 作为存档导入]  [!3 ❌ 取消]" in text
    assert "已导入 2020年12月 计划，共 3 项" in text
    assert "没有第 7 个按钮" in text or "最近的消息没有按钮" in text
    assert "现在以「董军」的身份发言" in text


async def test_console_shows_documents_the_bot_sends(tmp_path):
    out = io.StringIO()
    config = parse_config({}, source="test", env={})
    script = "/export md\n"
    stdin = io.StringIO(script)
    assert await run_console(config, demo=True, stdin=stdin, stdout=out, files=tmp_path) == 0
    assert "📎 " in out.getvalue() and ".md (" in out.getvalue()


def test_the_service_logs_at_info_and_interactive_commands_only_problems():
    from bot.cli.main import _parser

    parser = _parser()
    # Every subcommand shares the parent's options: a default set for one must not leak.
    for argv in (["run"], ["console"], ["import", "x"], ["doctor"], ["backup", "f"]):
        assert parser.parse_args(argv).log_level is None
