"""`planbot console --demo` on a given day: the sample is that month's plan, so what a new user
sees first is a plan due at the month's end, not a reminder years overdue.

The day is pinned with time-machine (the bot, its scheduler and the demo's seeding all read
the clock); whatever reminder is due that day goes out before the console's banner.
"""

from __future__ import annotations

import io

import pytest

from bot.cli.console import run_console
from bot.config import parse_config
from tests.support.chat import office_time

BANNER = "planbot 控制台："


async def _demo(year: int, month: int, day: int, script: str) -> tuple[str, str]:
    """(what the demo showed before its banner, the rest) when started at 10:00 that day."""
    out = io.StringIO()
    config = parse_config({}, source="test", env={})
    with office_time(year, month, day):
        assert await run_console(config, demo=True, stdin=io.StringIO(script), stdout=out) == 0
    text = out.getvalue()
    return text[: text.index(BANNER)], text[text.index(BANNER) :]


def _answer(text: str, command: str) -> str:
    """The console's output from `> command` up to the next command typed."""
    start = text.index(f"> {command}\n")
    end = text.find("\n> ", start + 1)
    return text[start : end if end != -1 else None]


async def test_on_an_ordinary_day_the_demo_opens_quietly_on_this_months_plan():
    script = "/plan\n/plan october\n/remind\n/summary\n"
    at_start, text = await _demo(2026, 11, 24, script)
    # 2026-11-24 is a Tuesday: the 7-days-before reminder was yesterday, the next is on Friday.
    assert at_start.strip() == ""
    assert "已逾期" not in text and "🔴 1." not in text

    plan = _answer(text, "/plan")
    assert "荆州市总工会十一月份工作计划（2026年11月，共 10 项）" in plan
    assert "✅ 完成 0　🔴 逾期 0　🟡 滞后 0　🔵 临近 10" in plan
    assert plan.count("2026-11-30") == 10 and "2020-10-31" not in text

    # The month before has no plan in the demo: the answer says which months do.
    assert "没有2026年10月的计划。已有计划：2026年11月。" in _answer(text, "/plan october")

    remind = _answer(text, "/remind").split("接下来的提醒\n")[1].splitlines()
    assert remind[:4] == [
        "11月27日 周五 09:00 · 第 1–10 项",  # 3 and 1 day before (Sunday) are one reminder
        "11月30日 周一 09:00 · 第 1–10 项",
        "12月1日 周二 09:00 · 第 1–10 项",
        "12月2日 周三 09:00 · 第 1–10 项",
    ]
    assert remind[4] == "🔴 12月3日 周四 09:00 · 第 1–10 项"  # the 3rd overdue one escalates

    summary = _answer(text, "/summary")
    assert "十一月份工作综述" in summary
    assert summary.count("完成时限：十一月份；尚无进展报告") == 10


@pytest.mark.parametrize(
    ("day", "heading", "deadline", "left"),
    [
        ((2026, 11, 23), "11月23日 周一", "2026-11-30", "还剩 7 天"),
        ((2026, 11, 30), "11月30日 周一", "2026-11-30", "今天到期"),
        # May ends on a Sunday: its due-day reminder comes on the Friday before.
        ((2026, 5, 29), "5月29日 周五", "2026-05-31", "还剩 2 天"),
        ((2026, 12, 31), "12月31日 周四", "2026-12-31", "今天到期"),
    ],
)
async def test_on_a_reminder_day_the_demo_opens_on_that_days_reminder(
    day: tuple[int, int, int], heading: str, deadline: str, left: str
):
    at_start, _ = await _demo(*day, "/help\n")
    assert f"⏰ 工作提醒 · {heading}" in at_start
    assert at_start.count(f"完成时限：{deadline}，{left}") == 10
    assert "逾期" not in at_start and "🔴" not in at_start
