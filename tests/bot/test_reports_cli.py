"""`planbot summary` and `planbot export` from a shell."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from docx import Document
from icalendar import Calendar
from openpyxl import load_workbook

from bot.cli.main import main
from storage.chats import get_chat
from storage.db import Database
from storage.migrate import upgrade_async
from tests.support.reports import seed_october

GROUP = -1001234


def _seed(url: str, locale: str | None = None) -> None:
    async def seed() -> None:
        await upgrade_async(url)
        db = Database.from_url(url)
        try:
            async with db.session() as session:
                await seed_october(session, GROUP)
                (await get_chat(session, GROUP)).locale = locale
        finally:
            await db.close()

    asyncio.run(seed())


@pytest.fixture
def config(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    path = tmp_path / "planbot.toml"
    path.write_text(f'[database]\nurl = "{url}"\n[org]\nname = "荆州市总工会"\n', encoding="utf-8")
    _seed(f"sqlite+aiosqlite:///{tmp_path / 'p.db'}")
    return str(path)


def run(*args: str) -> int:
    with time_machine.travel(datetime(2020, 11, 3, 2, 0, tzinfo=UTC), tick=True):
        return main(list(args))


def test_summary_prints_the_draft(config, capsys):
    assert run("summary", "--chat", str(GROUP), "--month", "2020-10", "--config", config) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "荆州市总工会十月份工作综述\n\n一、扎实开展2020年“扶贫日”活动\n\n10月8日，"
    )
    assert "（四）筹备好工业制造业工会联合会换届工作。" in out and "已逾期3天" in out


def test_summary_as_docx(config, tmp_path, capsys):
    target = tmp_path / "综述.docx"
    args = ["summary", "--chat", str(GROUP), "--format", "docx", "-o", str(target)]
    assert run(*args, "--config", config) == 0
    assert str(target) in capsys.readouterr().out
    document = Document(str(target))
    assert document.paragraphs[0].text == "荆州市总工会十月份工作综述"
    assert len(document.tables[0].rows) == 11


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "md", "ics"])
def test_export_writes_each_format(config, tmp_path, fmt):
    target = tmp_path / f"plan.{fmt}"
    args = ["export", "--chat", str(GROUP), "--month", "10", "--format", fmt, "-o", str(target)]
    assert run(*args, "--config", config) == 0
    data = target.read_bytes()
    if fmt == "docx":
        assert Document(io.BytesIO(data)).tables[0].rows[4].cells[1].text.startswith("筹备好工业")
    elif fmt == "xlsx":
        assert load_workbook(io.BytesIO(data))["工作计划"]["C11"].value == "董军"
    elif fmt == "md":
        assert "| 10 | 做好档案升级达标评审和工会统计年报工作 | 董军 | 办公室 |" in data.decode()
    else:
        assert len(Calendar.from_ical(data).walk("VEVENT")) == 10


def test_export_to_standard_output(config, capfdbinary):
    args = ["export", "--chat", str(GROUP), "--format", "md", "-o", "-", "--config", config]
    assert run(*args) == 0
    assert capfdbinary.readouterr().out.decode("utf-8").startswith("# 荆州市总工会十月份工作综述")


def test_a_chat_in_english_gets_english(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'en.db'}"
    path = tmp_path / "en.toml"
    path.write_text(f'[database]\nurl = "{url}"\n', encoding="utf-8")
    _seed(f"sqlite+aiosqlite:///{tmp_path / 'en.db'}", locale="en")
    assert run("summary", "--chat", str(GROUP), "--config", str(path)) == 0
    assert capsys.readouterr().out.startswith("Work summary, October 2020\n\n1. ")


def test_refusals_say_why_in_one_line(config, capsys):
    assert run("summary", "--chat", "-5", "--config", config) == 1
    assert capsys.readouterr().err == "planbot summary: no group with Telegram id -5\n"
    assert run("summary", "--chat", str(GROUP), "--month", "2021-03", "--config", config) == 1
    err = capsys.readouterr().err
    assert err == "planbot summary: 本群没有 2021年3月 的工作计划。已有：2020年10月。\n"
    bad_month = ["export", "--chat", str(GROUP), "--month", "13月", "--format", "md", "-o", "-"]
    assert run(*bad_month, "--config", config) == 2
    assert "看不懂月份“13月”" in capsys.readouterr().err
    assert run("summary", "--chat", str(GROUP), "--format", "docx", "--config", config) == 2
    assert capsys.readouterr().err == "planbot summary: --format docx needs -o FILE\n"


def test_export_needs_a_format_and_a_file(config, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--chat", str(GROUP), "--format", "pdf", "-o", "x", "--config", config])
    assert exit_info.value.code == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err
