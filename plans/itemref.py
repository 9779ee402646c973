"""How people name an item in a command: `3`, `三`, `2020-10#3`, `10月#3`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from plans.months import parse_month
from plans.numerals import cn_to_int


@dataclass(frozen=True, slots=True)
class ItemRef:
    seq: int
    # None: the chat's current plan (this month's, else the latest imported).
    year: int | None = None
    month: int | None = None


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
    month = parse_month(match["month"])
    if month is None:
        return None
    return ItemRef(seq, month[0], month[1])
