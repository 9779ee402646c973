"""What goes wrong at the command line is said in one line naming the problem, never a
traceback; doctor names config values it cannot use, and a fresh install is ready."""

from pathlib import Path

import pytest

from bot.cli.main import main

FIXTURES = Path(__file__).parents[1] / "fixtures"
SAMPLE = FIXTURES / "jingzhou-2020-09-summary-10-plan.txt"


def _config(tmp_path: Path, db: str = "p.db", extra: str = "") -> str:
    path = tmp_path / "planbot.toml"
    path.write_text(f'[database]\nurl = "sqlite:///{tmp_path / db}"\n{extra}', encoding="utf-8")
    return str(path)


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_export_into_a_missing_folder_names_the_folder(tmp_path, capsys):
    config = _config(tmp_path)
    assert main(["import", str(SAMPLE), "--chat", "-1001", "--new-chat", "--config", config]) == 0
    capsys.readouterr()
    target = tmp_path / "nowhere" / "plan.md"
    args = ["export", "--chat", "-1001", "--format", "md", "-o", str(target), "--config", config]
    assert main(args) == 1
    line = _one_line(capsys.readouterr().err)
    assert line == f"planbot export: {target}: the folder {target.parent} does not exist"


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_backup_and_restore_refuse_in_one_line(tmp_path, capsys, command):
    config = _config(tmp_path)
    assert main(["db", "upgrade", "--config", config]) == 0
    capsys.readouterr()
    if command == "backup":
        target = tmp_path / "nowhere" / "backup.db"
        assert main(["backup", str(target), "--config", config]) == 1
        expected = f"planbot backup: the folder {target.parent} does not exist; create it first"
    else:
        target = tmp_path / "notes.db"
        target.write_text("not a database at all, just some notes\n" * 50, encoding="utf-8")
        assert main(["restore", str(target), "--config", _config(tmp_path, "fresh.db")]) == 1
        expected = f"planbot restore: {target} is not a SQLite database"
    assert _one_line(capsys.readouterr().err).startswith(expected)


@pytest.mark.parametrize(
    ("extra", "url", "key", "says"),
    [
        ("[reminders]\ndays_before = [-1]\n", "sqlite:///{}", "[reminders] days_before",
         "whole days from 0 to 90 before the deadline"),
        ("", "sqlite+aiosqlit:///{}", "[database] url",
         "use sqlite+aiosqlite:// (or just sqlite://)"),
        ('[reminders]\ncountry = "XX"\n', "sqlite:///{}", "[reminders] country",
         'a country code the holidays package knows, such as "CN"'),
    ],
)  # fmt: skip
def test_a_value_planbot_cannot_use_is_one_line_and_a_doctor_cross(
    tmp_path, capsys, monkeypatch, extra, url, key, says
):
    monkeypatch.delenv("PLANBOT_DATABASE_URL", raising=False)
    path = tmp_path / "planbot.toml"
    path.write_text(
        f'[database]\nurl = "{url.format(tmp_path / "p.db")}"\n{extra}', encoding="utf-8"
    )
    assert main(["db", "upgrade", "--config", str(path)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert line.startswith(f"planbot: {path}: {key}: expected") and says in line

    assert main(["doctor", "--config", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"✗ config: {path}: {key}: expected") and says in out
    assert f"    fix: correct {key} in {path} and run planbot doctor again" in out
    assert "Traceback" not in out


def test_doctor_on_a_fresh_install_expects_the_database_to_be_created(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.delenv("PLANBOT_TOKEN", raising=False)
    monkeypatch.delenv("PLANBOT_DATABASE_URL", raising=False)
    db_file = tmp_path / "planbot.db"
    main(["doctor", "--config", _config(tmp_path, "planbot.db")])
    out = capsys.readouterr().out
    assert f"✓ database: {db_file} will be created at first start" in out
    assert not db_file.exists(), "the doctor must not create the database"

    main(["doctor", "--config", _config(tmp_path, "nowhere/planbot.db")])
    out = capsys.readouterr().out
    folder = tmp_path / "nowhere"
    assert f"✗ database: {folder / 'planbot.db'}: the folder {folder} does not exist" in out
    assert f"fix: create it (mkdir -p {folder})" in out
