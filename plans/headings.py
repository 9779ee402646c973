"""Document headings that start a plan (…工作计划) or a summary (…工作综述)."""

from __future__ import annotations

from enum import StrEnum

from plans.labels import has_label
from plans.numbering import read_marker

PLAN_WORDS = (
    "重点工作安排",
    "工作计划",
    "工作要点",
    "任务分解",
    "工作安排",
    "任务清单",
    # Notices that hand out tasks one paragraph each.
    "实施意见",
    "实施方案",
    "任务分工",
    "责任分工",
    "督办事项",
    "督办清单",
)
SUMMARY_WORDS = ("工作综述", "工作总结", "工作小结", "工作汇报", "完成情况", "综述", "总结", "小结")

# A heading is a short line; anything longer is a sentence that merely mentions a plan.
_MAX_HEADING = 50
# Room after the keyword for "（讨论稿）", "表", "》的通知".
_MAX_PLAN_TAIL = 12
_MAX_SUMMARY_TAIL = 6
_SENTENCE_MARKS = "。；;！!？?，,"


class Heading(StrEnum):
    PLAN = "plan"
    SUMMARY = "summary"


def heading_kind(line: str) -> Heading | None:
    """PLAN for "荆州市总工会十月份工作计划", SUMMARY for "…九月份工作综述", else None.

    Numbered lines are never headings: "五、制定十一月份工作计划" is an item, and so is
    "7.2021年度工作总结" (a number that may be one, read in context later).
    """
    text = line.strip().rstrip("：:")
    if not text or len(text) > _MAX_HEADING or has_label(text):
        return None
    if read_marker(text, tentative=True):
        return None
    if any(mark in text for mark in _SENTENCE_MARKS):
        return None
    if _tail_after(text, PLAN_WORDS, _MAX_PLAN_TAIL):
        return Heading.PLAN
    if _tail_after(text, SUMMARY_WORDS, _MAX_SUMMARY_TAIL):
        return Heading.SUMMARY
    return None


def _tail_after(text: str, words: tuple[str, ...], limit: int) -> bool:
    for word in words:
        at = text.rfind(word)
        if at >= 0 and len(text) - at - len(word) <= limit:
            return True
    return False
