"""`planbot backup` of a live database, then `planbot restore`, compared."""

import asyncio
import sqlite3

import pytest

from bot.cli.main import main
from plans.sample import sample_text
from tests.support.harness import running_bot


def _config(tmp_path, db_file) -> str:
    path = tmp_path / f"{db_file.stem}.toml"
    path.write_text(f'[database]\nurl = "sqlite:///{db_file}"\n', encoding="utf-8")
    return str(path)


def _titles(db_file) -> list[str]:
    with sqlite3.connect(db_file) as connection:
        return [r[0] for r in connection.execute("SELECT title FROM item ORDER BY id")]


@pytest.mark.sqlite_only("it backs up and restores the SQLite file")
async def test_backup_while_running_then_restore(tmp_path, capsys):
    live = tmp_path / "bot.sqlite3"
    backup_file = tmp_path / "backup.db"
    async with running_bot(tmp_path) as bot:
        preview = await bot.say("/import " + sample_text(), user=bot.admin)
        bot.sandbox.press_button(preview[-1], bot.admin, preview[-1].buttons[0]["callback_data"])
        bot.pushed += 1
        await bot.settle()
        # The bot keeps serving while the backup runs in a thread.
        code, replies = await asyncio.gather(
            asyncio.to_thread(
                main, ["backup", str(backup_file), "--config", _config(tmp_path, live)]
            ),
            bot.say("/help"),
        )
        assert code == 0 and replies
        assert "backed up to" in capsys.readouterr().out

        refused = main(["restore", str(backup_file), "--config", _config(tmp_path, live)])
        assert refused == 1
        assert "--force" in capsys.readouterr().err

    assert main(["backup", str(backup_file), "--config", _config(tmp_path, live)]) == 1
    assert "already exists" in capsys.readouterr().err

    fresh = tmp_path / "restored.sqlite3"
    assert main(["restore", str(backup_file), "--config", _config(tmp_path, fresh)]) == 0
    assert _titles(fresh) == _titles(live) and len(_titles(fresh)) == 10
    with sqlite3.connect(fresh) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    with sqlite3.connect(live) as connection:
        connection.execute("DELETE FROM item")
    assert _titles(live) == []
    assert main(["restore", str(backup_file), "--force", "--config", _config(tmp_path, live)]) == 0
    assert len(_titles(live)) == 10


def test_postgres_is_pointed_to_pg_dump(tmp_path, capsys):
    config = tmp_path / "pg.toml"
    config.write_text('[database]\nurl = "postgresql://u@h/db"\n', encoding="utf-8")
    assert main(["backup", str(tmp_path / "x"), "--config", str(config)]) == 1
    assert "pg_dump" in capsys.readouterr().err
