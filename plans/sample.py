"""The reference document shipped as package data: a September summary and an October plan."""

from __future__ import annotations

import re
from importlib.resources import files

from plans.numerals import cn_to_int, int_to_cn

SAMPLE_NAME = "jingzhou-2020-10.txt"
# The month the sample's plan is for; its summary is of the month before.
SAMPLE_MONTH = 10

# A month as the sample writes it: "十月份", "九月份" in headings and deadlines, "9月24日",
# "7月底" in the summary's text. The look-behind keeps a match from starting inside a longer
# number ("12月" is not "2月").
_MONTH_MENTION = re.compile(
    r"(?<![\d一二三四五六七八九十])(\d{1,2}|十[一二]?|[一二三四五六七八九])月"
)


def sample_text() -> str:
    return (files("plans") / "data" / SAMPLE_NAME).read_text(encoding="utf-8")


def sample_text_for(month: int) -> str:
    """The sample as the office would have written it for `month`: every month it mentions
    moved by the same number of months, so the plan (its title and its 十月份 deadlines) is for
    `month` and the summary before it is of the month before.

    The document names no year of its own in the headings; whoever imports it says which.
    The sample's days (24 at most) exist in every month, so no date becomes invalid.
    """
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1..12")
    shift = month - SAMPLE_MONTH

    def moved(match: re.Match[str]) -> str:
        written = match.group(1)
        number = cn_to_int(written)
        if number is None:  # the pattern only matches numerals; keep anything else as written
            return match.group(0)
        new = (number - 1 + shift) % 12 + 1
        word = str(new) if written.isdecimal() else int_to_cn(new)
        return f"{word}月"

    return _MONTH_MENTION.sub(moved, sample_text())
