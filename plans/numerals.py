"""Chinese numerals as written in plans: 一..九十九, 〇/零, 两, and years like 二〇二〇."""

from __future__ import annotations

DIGITS: dict[str, int] = {
    "〇": 0,
    "零": 0,
    "○": 0,  # a circle often typed for 〇 in years
    "Ｏ": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
TEN = "十"
NUMERAL_CHARS = "".join(DIGITS) + TEN

_WRITTEN = "〇一二三四五六七八九"


def cn_to_int(text: str) -> int | None:
    """Read 一..九十九 (十, 十一, 二十, 二十一), a single 〇/零, or a digit run such as 二〇二〇.

    Arabic digits (including full-width ones) are accepted too, because people mix them freely.
    Anything else gives None rather than a guess.
    """
    text = text.strip()
    if not text:
        return None
    if text.isdecimal():
        return int(text) if len(text) <= 9 else None
    if any(ch not in DIGITS and ch != TEN for ch in text):
        return None
    if TEN not in text:
        # 二〇二〇 reads digit by digit; a lone 一..九 is just itself.
        value = 0
        for ch in text:
            value = value * 10 + DIGITS[ch]
        return value
    tens_part, _, units_part = text.partition(TEN)
    if TEN in units_part or len(tens_part) > 1 or len(units_part) > 1:
        return None
    tens = DIGITS[tens_part] if tens_part else 1
    units = DIGITS[units_part] if units_part else 0
    if tens == 0 or (units_part and units == 0):
        # 〇十 and 十〇 are not how anyone writes a number.
        return None
    return tens * 10 + units


def int_to_cn(value: int) -> str:
    """0..99 the way a heading writes it: 〇, 九, 十, 十一, 二十, 九十九."""
    if not 0 <= value <= 99:
        raise ValueError(f"{value} is outside 0..99")
    if value < 10:
        return _WRITTEN[value]
    tens, units = divmod(value, 10)
    head = "" if tens == 1 else _WRITTEN[tens]
    tail = "" if units == 0 else _WRITTEN[units]
    return f"{head}{TEN}{tail}"
