"""Warnings about fields the items leave out, one line per kind of gap rather than per item.

A plan of 44 items without a 责任领导 column gets "没有一项写明责任领导", not 44 lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from plans.model import ParsedItem

# A warning names at most this many items, then says how many in all.
_NAMED_AT_MOST = 10


@dataclass(frozen=True, slots=True)
class Gaps:
    """What one item leaves out or writes in a way that cannot be read."""

    title: bool = False
    leaders: bool = False
    departments: bool = False
    deadline: bool = False
    # The deadline is written but gives no date (尽快), or needs the plan's month (月底).
    unreadable_deadline: bool = False
    incomplete_deadline: bool = False


_MISSING: tuple[tuple[Callable[[Gaps], bool], str, str], ...] = (
    (lambda g: g.title, "没有一项有标题", "没有标题"),
    (lambda g: g.leaders, "没有一项写明责任领导", "没有责任领导"),
    (lambda g: g.departments, "没有一项写明责任部室", "没有责任部室"),
    (lambda g: g.deadline, "没有一项写明完成时限", "没有完成时限"),
)


def field_warnings(items: Sequence[ParsedItem], gaps: Sequence[Gaps]) -> list[str]:
    """One line per missing field (all items or the ones named), then per unreadable deadline."""
    warnings = []
    for missing, of_all, of_some in _MISSING:
        seqs = [item.seq for item, gap in zip(items, gaps, strict=True) if missing(gap)]
        if not seqs:
            continue
        if len(seqs) == len(items) >= 2:
            warnings.append(of_all)
        else:
            warnings.append(f"第{item_refs(seqs)}项{of_some}")
    by_text: dict[tuple[bool, str], list[int]] = {}
    for item, gap in zip(items, gaps, strict=True):
        if gap.unreadable_deadline:
            by_text.setdefault((gap.incomplete_deadline, item.deadline_text), []).append(item.seq)
    for (incomplete, text), seqs in by_text.items():
        why = "缺少计划的年份或月份" if incomplete else "无法识别"
        warnings.append(f"第{item_refs(seqs)}项的完成时限“{text}”{why}")
    return warnings


def item_refs(seqs: Sequence[int]) -> str:
    """ "1、3、5", or "1、2、…、10等12" when there are many."""
    named = "、".join(map(str, seqs[:_NAMED_AT_MOST]))
    return named if len(seqs) <= _NAMED_AT_MOST else f"{named}等{len(seqs)}"
