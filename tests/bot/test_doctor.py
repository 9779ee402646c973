"""`planbot doctor` on a good installation and on broken ones."""

import asyncio

import pytest

from bot.cli.main import main
from bot.sandbox import Sandbox
from storage.migrate import upgrade_async

TOKEN = "7356219804:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def _write(tmp_path, sandbox, db_file, *, extra="") -> str:
    path = tmp_path / "planbot.toml"
    path.write_text(
        "[telegram]\n"
        f'base_url = "{sandbox.base_url}"\n'
        f'[database]\nurl = "sqlite:///{db_file}"\n' + extra,
        encoding="utf-8",
    )
    return str(path)


@pytest.fixture
def doctor(monkeypatch, capsys):
    async def run(config: str, token: str | None) -> tuple[int, str]:
        if token is None:
            monkeypatch.delenv("PLANBOT_TOKEN", raising=False)
        else:
            monkeypatch.setenv("PLANBOT_TOKEN", token)
        # In a thread: the sandbox it talks to runs in this test's event loop.
        code = await asyncio.to_thread(main, ["doctor", "--config", config])
        return code, capsys.readouterr().out

    return run


async def test_a_ready_installation_is_all_ok(tmp_path, doctor):
    db_file = tmp_path / "p.db"
    await upgrade_async(f"sqlite:///{db_file}")
    async with Sandbox(token=TOKEN) as sandbox:
        code, out = await doctor(_write(tmp_path, sandbox, db_file), TOKEN)
    assert code == 0, out
    assert "✓ token: the bot is @planbot_bot" in out
    assert "✓ database: reachable" in out and "✗" not in out
    assert TOKEN not in out


async def test_wrong_token_and_old_schema_are_each_named(tmp_path, doctor):
    db_file = tmp_path / "p.db"
    async with Sandbox(token=TOKEN) as sandbox:
        config = _write(tmp_path, sandbox, db_file)
        code, out = await doctor(config, "7356219804:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsXX")
        assert code == 1
        assert "✗ token: Telegram refuses the token" in out
        # A fresh install: the file is created at the first start (see test_cli_errors).
        assert f"✓ database: {db_file} will be created at first start" in out
        assert not db_file.exists(), "the doctor must not create the database"

        await upgrade_async(f"sqlite:///{db_file}", "0001")
        code, out = await doctor(config, TOKEN)
        assert code == 1 and "✗ database: schema at 0001, newest is" in out


async def test_no_token_and_a_broken_file(tmp_path, doctor):
    db_file = tmp_path / "p.db"
    await upgrade_async(f"sqlite:///{db_file}")
    async with Sandbox(token=TOKEN) as sandbox:
        code, out = await doctor(_write(tmp_path, sandbox, db_file), None)
        assert code == 1 and "✗ token: no bot token configured" in out and "@BotFather" in out
        broken = _write(tmp_path, sandbox, db_file, extra='[schedule]\ntimezone = "Mars/Base"\n')
        code, out = await doctor(broken, TOKEN)
    assert code == 1
    assert out.startswith("✗ config: ") and "[schedule] timezone" in out


async def test_an_admin_who_never_opened_the_bot_is_warned_of(tmp_path, doctor):
    db_file = tmp_path / "p.db"
    await upgrade_async(f"sqlite:///{db_file}")
    async with Sandbox(token=TOKEN) as sandbox:
        started = sandbox.add_user("管理员")
        sandbox.private_chat(started)
        never = sandbox.add_user("副管理员")
        admins = f"[access]\nadmins = [{started.id}, {never.id}]\n"
        code, out = await doctor(_write(tmp_path, sandbox, db_file, extra=admins), TOKEN)
        assert code == 0, out  # a warning: the bot runs, the reports to him are lost
        assert (
            f"⚠ admins: {never.id} never opened a private chat with the bot (or blocked it): "
            "error reports cannot reach them\n    fix: each of them opens the bot in Telegram "
            "and presses Start"
        ) in out
        sandbox.private_chat(never)
        code, out = await doctor(_write(tmp_path, sandbox, db_file, extra=admins), TOKEN)
        assert code == 0 and "✓ admins: 2 reachable in private" in out and "⚠" not in out
