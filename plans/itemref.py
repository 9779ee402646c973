"""How people name an item in a command: `3`, `三`, `2020-10#3`, `10月#3`; of a quarter's or a
year's plan: `2024Q1#3`, `一季度#3`, `2023#3`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from plans.months import parse_period
from plans.numerals import cn_to_int


@dataclass(frozen=True, slots=True)
class ItemRef:
    seq: int
    # None: the chat's current plan (this month's, else the latest imported).
    year: int | None = None
    month: int | None = None
    # A quarter's plan (month None); or, with neither, `whole_year`: the year's plan.
    quarter: int | None = None
    whole_year: bool = False

    @property
    def names_plan(self) -> bool:
        """Whether it names a plan rather than meaning the current one."""
        return self.month is not None or self.quarter is not None or self.whole_year


_REF = re.compile(r"^(?:(?P<month>[^#＃]+)[#＃])?(?P<seq>[0-9]+|[〇零一二两三四五六七八九十百]+)$")


def parse_item_ref(text: str) -> ItemRef | None:
    """The item a command argument names, or None when it names none."""
    match = _REF.match(text.strip())
    if match is None:
        return None
    raw_seq = match["seq"]
    seq = int(raw_seq) if raw_seq.isdigit() else cn_to_int(raw_seq)
    if seq is None or seq < 1:
        return None
    if match["month"] is None:
        return ItemRef(seq)
    period = parse_period(match["month"])
    if period is None:
        return None
    if period.month is None and period.quarter is None:
        return ItemRef(seq, period.year, whole_year=True)
    return ItemRef(seq, period.year, period.month, period.quarter)
