"""parse_plan: a month's work plan from the text of a document or a chat message."""

from __future__ import annotations

import re
from collections import Counter

from plans.blocks import blocks_of
from plans.deadline import DeadlineKind, read_deadline
from plans.items import Draft, drafts_of
from plans.labels import Kind
from plans.model import ParsedItem, ParsedPlan
from plans.months import year_of
from plans.names import dedupe, split_names
from plans.outline import build_outline
from plans.scope import find_scope
from plans.spacing import squeeze

_DOCUMENT_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:\s*年|[-/.]\d{1,2}[-/.]\d{1,2})")
_CN_DOCUMENT_YEAR = re.compile(r"([〇零○一二三四五六七八九]{4})\s*年")


def parse_plan(text: str, *, year: int | None = None, month: int | None = None) -> ParsedPlan:
    """Find the plan in text and read its items.

    The heading's year and month win; year falls back to the argument, then to the year the
    document mentions most; month falls back to the argument. Never raises: what cannot be
    read becomes a warning, and a text without a plan gives no items.
    """
    scope = find_scope(list(blocks_of(text)))
    plan_year = scope.year or year or _document_year(text)
    plan_month = scope.month or month
    plan = ParsedPlan(plan_year, plan_month, squeeze(scope.title))
    drafts = drafts_of(build_outline(scope.blocks), strict=scope.strict)
    item_warnings: list[str] = []
    for seq, draft in enumerate(drafts, start=1):
        item, warnings = _item(seq, draft, plan_year, plan_month)
        plan.items.append(item)
        item_warnings.extend(warnings)
    if not plan.items:
        plan.warnings.append(
            "找到了计划标题，但没有工作事项" if scope.found_heading else "没有找到工作计划"
        )
    else:
        if plan_month is None:
            plan.warnings.append("没有找到计划月份")
        if plan_year is None:
            plan.warnings.append("没有找到计划年份")
    if scope.skipped_month is not None:
        plan.warnings.append(f"文档中还有{scope.skipped_month}月的计划，没有导入")
    plan.warnings.extend(item_warnings)
    return plan


def _item(
    seq: int, draft: Draft, year: int | None, month: int | None
) -> tuple[ParsedItem, list[str]]:
    def values(*kinds: Kind) -> list[str]:
        return [f.value for kind in kinds for f in draft.fields if f.kind is kind]

    leaders = dedupe(n for v in values(Kind.LEADERS) for n in split_names(v))
    departments = dedupe(n for v in values(Kind.DEPARTMENTS, Kind.PARTNERS) for n in split_names(v))
    deadline_text = next((squeeze(v) for v in values(Kind.DEADLINE) if squeeze(v)), "")
    deadline = read_deadline(deadline_text, year=year, month=month)
    warnings = []
    if not draft.title:
        warnings.append(f"第{seq}项没有标题")
    if not leaders:
        warnings.append(f"第{seq}项没有责任领导")
    if not departments:
        warnings.append(f"第{seq}项没有责任部室")
    match deadline.kind:
        case DeadlineKind.EMPTY:
            warnings.append(f"第{seq}项没有完成时限")
        case DeadlineKind.UNKNOWN:
            warnings.append(f"第{seq}项的完成时限“{deadline_text}”无法识别")
        case DeadlineKind.INCOMPLETE:
            warnings.append(f"第{seq}项的完成时限“{deadline_text}”缺少计划的年份或月份")
    item = ParsedItem(
        seq=seq,
        title=draft.title,
        leaders=leaders,
        departments=departments,
        deadline=deadline.date,
        deadline_text=deadline_text,
        content="\n".join(line.strip() for line in draft.content if line.strip()),
        recurring=deadline.recurring,
    )
    return item, warnings


def _document_year(text: str) -> int | None:
    """The year the document mentions most (the later one on a tie), as in "2020 年"."""
    counts = Counter(int(m.group(1)) for m in _DOCUMENT_YEAR.finditer(text))
    counts.update(
        y for m in _CN_DOCUMENT_YEAR.finditer(text) if (y := year_of(m.group(1))) is not None
    )
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], y))
