"""What the plan parser produces: plain data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class ParsedItem:
    """One numbered task of a plan as written in the document."""

    seq: int
    title: str
    leaders: list[str] = field(default_factory=list)
    # The responsible departments (责任部室、牵头单位 …): each one's part must be done.
    departments: list[str] = field(default_factory=list)
    deadline: date | None = None
    # The deadline as written ("十月份", "10月15日前"), kept so people see their own words.
    deadline_text: str = ""
    # Sub-steps and other lines that belong to the item but are not fields.
    content: str = ""
    # The deadline says 长期 / 常态化 / 全年 …: no single date, the task recurs every month.
    recurring: bool = False
    # 配合单位 / 协办单位 and "…配合" in a duty bracket, in document order: informed, not
    # required to finish; never also in `departments`.
    partners: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ParsedPlan:
    """A plan found in a document; year/month are None when the text does not say.

    Most plans are a month's. A quarter's plan (2024年第一季度工作计划) has `quarter` and no
    month; the year's (2023年重点工作任务分解) has `whole_year` and neither. Its items keep their
    own deadlines either way.
    """

    year: int | None
    month: int | None
    title: str
    items: list[ParsedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    quarter: int | None = None
    whole_year: bool = False
