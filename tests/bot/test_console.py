"""`planbot console` shows what a Telegram client would: the files the bot sends (saved to a
folder), the pop-up a button press gets, message numbers to reply to; it reopens a database
it used before; and operators' log lines stay out of the transcript."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from bot.cli.console import run_console
from bot.cli.main import main
from bot.config import parse_config
from tests.support.chat import office_time

FIXTURES = Path(__file__).parents[1] / "fixtures"


async def _demo_on_a_reminder_day(script: str, files: Path) -> str:
    """The demo on 2026-11-23, when the 7-days-before reminder (message 1) opens it."""
    out = io.StringIO()
    config = parse_config({}, source="test", env={})
    with office_time(2026, 11, 23):
        code = await run_console(
            config, demo=True, stdin=io.StringIO(script), stdout=out, files=files
        )
    assert code == 0
    return out.getvalue()


async def test_files_the_bot_sends_are_saved_and_their_path_printed(tmp_path):
    files = tmp_path / "received"
    text = await _demo_on_a_reminder_day("/export md\n/export md\n/stats\n", files)
    exported = files / "2026年11月工作计划.md"
    again = files / "2026年11月工作计划-1.md"
    chart = next(files.glob("photo-*.png"))
    assert f"已保存到 {exported}" in text and f"已保存到 {again}" in text
    assert f"已保存到 {chart}" in text
    assert "扎实开展2020年“扶贫日”活动" in exported.read_text(encoding="utf-8")
    assert chart.read_bytes().startswith(b"\x89PNG")


async def test_a_press_shows_its_pop_up_and_a_reply_goes_to_the_numbered_message(tmp_path):
    text = await _demo_on_a_reminder_day("!1\n>1 /done 2\n>99 /done 3\n", tmp_path)
    # The reminder is message 1 and says so; its first button is item 1's ✅.
    assert "── planbot #1 ──\n⏰ 工作提醒 · 11月23日 周一" in text
    assert "> !1\n💬 弹出提示：已登记完成" in text
    # A reply to the reminder: /done 2 there means its second item.
    assert "✅ 第 2 项「迎接全总困难职工解脱困" in text
    assert "没有第 99 条消息。" in text and "第 3 项" not in text


async def test_a_second_session_on_the_same_database_goes_on_where_the_first_stopped(tmp_path):
    config = parse_config(
        {
            "database": {"url": f"sqlite:///{tmp_path / 'console.db'}"},
            "reminders": {"scheduler": False},
        },
        source="test",
        env={},
    )
    sample = FIXTURES / "jingzhou-2020-09-summary-10-plan.txt"
    first = io.StringIO()
    # Each /plan answer is recorded under its message id (a reply to it names its items).
    plans = "/plan october\n" * 3
    script = f"/file {sample} /import\n!1\n{plans}"
    assert await run_console(config, demo=False, stdin=io.StringIO(script), stdout=first) == 0
    assert "已导入 2020年10月 计划" in first.getvalue()
    again = io.StringIO()
    stdin = io.StringIO(f"收到\n{plans}/done 1\n")
    assert await run_console(config, demo=False, stdin=stdin, stdout=again) == 0
    text = again.getvalue()
    assert "出错" not in text, text
    assert text.count("荆州市总工会十月份工作计划") == 3 and "✅ 第 1 项" in text


def test_operators_warnings_stay_out_of_the_transcript(tmp_path, capsys, monkeypatch):
    # 2030 is years beyond what the holidays package has published: the calendar warns.
    monkeypatch.setattr(sys, "stdin", io.StringIO("/plan\n"))
    with office_time(2030, 12, 20):
        assert main(["console", "--demo", "--files", str(tmp_path)]) == 0
    printed = capsys.readouterr()
    assert "荆州市总工会十二月份工作计划（2030年12月" in printed.out
    assert printed.err == ""
    assert "holidays" not in printed.out and "WARNING" not in printed.out


def test_at_a_terminal_lines_can_be_edited_and_recalled(tmp_path):
    """Through a real terminal (a pty): ↑ brings back the line typed before, as readline does."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "console", "--demo"],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.getcwd(), "TERM": "dumb"},
        close_fds=True,
    )
    os.close(terminal)
    seen = b""

    def read_until(needle: bytes, count: int = 1, timeout: float = 60) -> None:
        nonlocal seen
        deadline = time.monotonic() + timeout
        while seen.count(needle) < count:
            assert time.monotonic() < deadline, seen.decode(errors="replace")
            ready, _, _ = select.select([controller], [], [], 0.5)
            if ready:
                try:
                    seen += os.read(controller, 65536)
                except OSError:  # the process closed the terminal
                    break

    help_line = "显示常用命令".encode()
    try:
        read_until(b"/quit")  # the banner
        os.write(controller, b"/help\r")
        read_until(help_line)
        # ↑ and Enter: the line typed before, sent again.
        os.write(controller, b"\x1b[A\r")
        read_until(help_line, count=2)
        os.write(controller, b"/quit\r")
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    assert seen.count(help_line) == 2
