"""parse_plan: a month's work plan from the text of a document or a chat message."""

from __future__ import annotations

import re
from collections import Counter

from plans.blocks import blocks_of
from plans.deadline import DeadlineKind, read_deadline
from plans.field_warnings import Gaps, field_warnings
from plans.items import Draft, Reading, drafts_of
from plans.labels import Kind
from plans.model import ParsedItem, ParsedPlan
from plans.months import year_of
from plans.names import dedupe, split_names
from plans.outline import build_outline
from plans.scope import find_scope, title_period
from plans.seqs import assign_seqs
from plans.spacing import squeeze

_DOCUMENT_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:\s*年|[-/.]\d{1,2}[-/.]\d{1,2})")
_CN_DOCUMENT_YEAR = re.compile(r"([〇零○一二三四五六七八九]{4})\s*年")
# Said when the document names no period; an importer who names one drops it.
NO_MONTH_WARNING = "没有找到计划月份"
# How much of a line a warning quotes.
_EXCERPT = 24


def parse_plan(text: str, *, year: int | None = None, month: int | None = None) -> ParsedPlan:
    """Find the plan in text and read its items.

    The heading's year and month win; year falls back to the argument, then to the year the
    document mentions most; month falls back to the argument. Without either, a heading that
    names a quarter (2024年第一季度工作计划) makes it that quarter's plan, and one that names a
    year alone (2023年重点工作任务分解) the year's. Never raises: what cannot be
    read becomes a warning, and a text without a plan gives no items. Each item's seq is the
    number written in the document, unique within the plan (plans.seqs).
    """
    scope = find_scope(list(blocks_of(text)))
    plan_year = scope.year or year or _document_year(text)
    plan_month = scope.month or month
    plan = ParsedPlan(plan_year, plan_month, squeeze(scope.title))
    if plan_month is None and (said := title_period(plan.title)) is not None:
        plan.quarter = said.quarter
        plan.whole_year = said.quarter is None
    reading = drafts_of(build_outline(scope.blocks), strict=scope.strict)
    seqs, numbering = assign_seqs(reading.drafts)
    gaps: list[Gaps] = []
    for seq, draft in zip(seqs, reading.drafts, strict=True):
        item, missing = _item(seq, draft, plan_year, plan_month)
        plan.items.append(item)
        gaps.append(missing)
    # Loud and first: what may have put a task under the wrong number or lost it.
    plan.warnings.extend(numbering)
    plan.warnings.extend(_structure_warnings(seqs, reading))
    plan.warnings.extend(dict.fromkeys(reading.table_warnings))
    if not plan.items:
        plan.warnings.append(
            "找到了计划标题，但没有工作事项" if scope.found_heading else "没有找到工作计划"
        )
    else:
        if plan_month is None and plan.quarter is None and not plan.whole_year:
            plan.warnings.append(NO_MONTH_WARNING)
        if plan_year is None:
            plan.warnings.append("没有找到计划年份")
    if scope.skipped_month is not None:
        plan.warnings.append(f"文档中还有{scope.skipped_month}月的计划，没有导入")
    plan.warnings.extend(field_warnings(plan.items, gaps))
    return plan


def _structure_warnings(seqs: list[int], reading: Reading) -> list[str]:
    warnings = []
    for seq, draft in zip(seqs, reading.drafts, strict=True):
        for line in draft.absorbed:
            warnings.append(f"第{seq}项可能包含了另一项：其中一行“{_excerpt(line)}”像是新的一项")
        if draft.doubled:
            labels = "、".join(draft.doubled)
            warnings.append(f"第{seq}项写了两处{labels}，可能包含了另一项")
    for line in reading.headings:
        warnings.append(f"“{_excerpt(line)}”下没有写明责任或时限的事项，当作标题，没有导入")
    return warnings


def _excerpt(line: str) -> str:
    line = squeeze(line)
    return line if len(line) <= _EXCERPT else line[:_EXCERPT] + "…"


def _item(seq: int, draft: Draft, year: int | None, month: int | None) -> tuple[ParsedItem, Gaps]:
    def values(*kinds: Kind) -> list[str]:
        return [f.value for kind in kinds for f in draft.fields if f.kind is kind]

    leaders = dedupe(n for v in values(Kind.LEADERS) for n in split_names(v))
    departments = dedupe(n for v in values(Kind.DEPARTMENTS) for n in split_names(v))
    # A department written both ways leads: its part is required either way.
    partners = [
        n
        for n in dedupe(n for v in values(Kind.PARTNERS) for n in split_names(v))
        if n not in departments
    ]
    deadline_text = next((squeeze(v) for v in values(Kind.DEADLINE) if squeeze(v)), "")
    deadline = read_deadline(deadline_text, year=year, month=month)
    missing = Gaps(
        title=not draft.title,
        leaders=not leaders,
        departments=not departments,
        deadline=deadline.kind is DeadlineKind.EMPTY,
        unreadable_deadline=deadline.kind in (DeadlineKind.UNKNOWN, DeadlineKind.INCOMPLETE),
        incomplete_deadline=deadline.kind is DeadlineKind.INCOMPLETE,
    )
    item = ParsedItem(
        seq=seq,
        title=draft.title,
        leaders=leaders,
        departments=departments,
        partners=partners,
        deadline=deadline.date,
        deadline_text=deadline_text,
        content="\n".join(line.strip() for line in draft.content if line.strip()),
        recurring=deadline.recurring,
    )
    return item, missing


def _document_year(text: str) -> int | None:
    """The year the document mentions most (the later one on a tie), as in "2020 年"."""
    counts = Counter(int(m.group(1)) for m in _DOCUMENT_YEAR.finditer(text))
    counts.update(
        y for m in _CN_DOCUMENT_YEAR.finditer(text) if (y := year_of(m.group(1))) is not None
    )
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], y))
