"""Where the plan is in a document: after its heading, outside any summary, one month only;
and which period its heading names (a month, a quarter, or a year alone)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from plans.headings import Heading, heading_kind
from plans.labels import starts_with_label
from plans.months import Period, find_quarter, find_year_month
from plans.numbering import read_marker
from plans.tables import Table

# A heading-less chat message may open with a short line naming the month: "10月重点工作".
_MAX_UNMARKED_TITLE = 40
_MAX_LINES_BEFORE_TITLE = 5


@dataclass(slots=True)
class PlanScope:
    blocks: list[str | Table] = field(default_factory=list)
    title: str = ""
    year: int | None = None
    month: int | None = None
    # No plan heading: the whole text is searched, but only entries with fields count.
    strict: bool = False
    found_heading: bool = False
    # The month of a second plan in the same document, left out of this one.
    skipped_month: int | None = None


def find_scope(blocks: Sequence[str | Table]) -> PlanScope:
    kinds = [heading_kind(b) if isinstance(b, str) else None for b in blocks]
    if Heading.PLAN not in kinds:
        title = _unmarked_title(blocks)
        year, month = find_year_month(title)
        return PlanScope(list(blocks), title, year, month, strict=True)
    scope = PlanScope(found_heading=True)
    inside = False
    for block, kind in zip(blocks, kinds, strict=True):
        if kind is Heading.SUMMARY:
            inside = False
        elif kind is Heading.PLAN and isinstance(block, str):
            year, month = find_year_month(block)
            if month is not None and scope.month is not None and month != scope.month:
                scope.skipped_month = month
                break
            inside = True
            scope.title = scope.title or block.rstrip("：:")
            scope.year = scope.year or year
            scope.month = scope.month or month
        elif inside:
            scope.blocks.append(block)
    return scope


def _unmarked_title(blocks: Sequence[str | Table]) -> str:
    for block in blocks[:_MAX_LINES_BEFORE_TITLE]:
        if isinstance(block, Table) or read_marker(block) or starts_with_label(block):
            break
        text = block.rstrip("：:")
        if heading_kind(text) is Heading.SUMMARY:
            continue
        if len(text) <= _MAX_UNMARKED_TITLE and not text.endswith("。"):
            if find_year_month(text)[1] is not None:
                return text
    return ""


def title_period(title: str) -> Period | None:
    """The period a plan's heading names: its month ("十月份工作计划"), else its quarter
    ("2024年第一季度工作计划"), else its year alone ("2023年重点工作任务分解" is the year's
    plan); None when it names none of them."""
    year, month = find_year_month(title)
    if month is not None:
        return Period(year, month)
    if (quarter := find_quarter(title)) is not None:
        return Period(year, quarter=quarter)
    return Period(year) if year is not None else None
