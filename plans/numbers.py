"""The one number parser for command arguments and button (callback) data.

What counts as a number someone typed:

- ASCII digits `0-9` and full-width digits `０-９` (a Chinese input method gives those);
- Chinese numerals 〇..九十九 as plans/numerals.py reads them (十二, 两, 二十一), and hundreds
  (一百, 两百, 一百零五, 一百二十) for item numbers beyond 99.

Everything else is refused: superscripts (`²`), circled digits (`①`), other scripts' digits
(`٣`), signs, decimals, spaces inside. `str.isdigit()` and `str.isdecimal()` accept some of
those and `int()` then raises or reads a digit nobody typed, so nothing here uses them, and a
long digit run is refused by its length before `int()` is called (Python refuses to convert
more than 4300 digits, and no number we take has more than 16).

Out-of-range values are refused here, before any database query: an item number is 1..9999, a
database row id 1..2_147_483_647 (PostgreSQL's int4 and SQLite both hold it), a Telegram chat
or user id within ±(2**52) (the range Telegram documents for ids).
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum

from plans.numerals import DIGITS, TEN, cn_to_int

ITEM_SEQ_MAX = 9999
ROW_ID_MAX = 2_147_483_647
TELEGRAM_ID_MAX = 2**52

ASCII_DIGITS = frozenset("0123456789")
WIDE_DIGITS = frozenset("０１２３４５６７８９")
_MAX_DIGITS = 16
_HUNDRED = "百"


class NumberProblem(StrEnum):
    """Why a text is not the number asked for."""

    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"
    OUT_OF_RANGE = "out_of_range"


# Full-width ASCII forms (！..～) and the ideographic space as their ASCII selves: what a Chinese
# input method types for 3, #, %, letters. One character for one, so positions still match; not
# NFKC, which would also turn ² and ① into digits nobody typed.
_NARROW = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def narrow(text: str) -> str:
    """`text` with full-width ASCII forms and the ideographic space in ASCII ("＃３" → "#3"),
    character for character; unlike NFKC it leaves ², ① and the like alone."""
    return text.translate(_NARROW)


def read_digits(text: str) -> int | None:
    """An ASCII or full-width digit run ("42", "４２"), else None; no Chinese numerals."""
    if not text or len(text) > _MAX_DIGITS:
        return None
    ascii_text = narrow(text)
    if any(ch not in ASCII_DIGITS for ch in ascii_text):
        return None
    return int(ascii_text)


def read_number(text: str) -> int | None:
    """A whole number as typed: digits (ASCII or full-width) or a Chinese numeral up to 九百九十九.

    Surrounding whitespace is ignored; anything else (signs, decimals, ², ①) gives None.
    """
    text = text.strip()
    if not text:
        return None
    digits = read_digits(text)
    if digits is not None:
        return digits
    if len(text) > _MAX_DIGITS or any(
        ch not in DIGITS and ch not in (TEN, _HUNDRED) for ch in text
    ):
        # cn_to_int would also read other scripts' digits; only numeral characters go to it.
        return None
    if _HUNDRED in text:
        return _hundreds(text)
    if len(text) > 1 and TEN not in text:
        # cn_to_int reads 二〇二〇 digit by digit (years in headings); typed as a number, 三两
        # is "a few", not 32.
        return None
    return cn_to_int(text)


def _hundreds(text: str) -> int | None:
    """一百, 两百, 一百零五, 一百二十, 九百九十九 (a bare 百 is 100)."""
    head, _, tail = text.partition(_HUNDRED)
    if len(head) > 1 or _HUNDRED in tail:
        return None
    count = DIGITS.get(head) if head else 1
    if not count:
        return None
    if not tail:
        return count * 100
    if tail[0] in "零〇" and len(tail) == 2:
        units = DIGITS.get(tail[1])
        return count * 100 + units if units else None
    # The tens must be written out: 一百二十, 一百一十 (一百十 is not how numbers are written).
    if len(tail) >= 2 and tail[1] == TEN and tail[0] in DIGITS:
        rest = cn_to_int(tail)
        return count * 100 + rest if rest is not None else None
    return None


def has_foreign_digits(text: str) -> bool:
    """Whether `text` holds a digit other than 0-9 and ０-９ (², ①, ٣): text that NFKC or int()
    would read as a number nobody typed."""
    return any(
        unicodedata.digit(ch, None) is not None and ch not in ASCII_DIGITS and ch not in WIDE_DIGITS
        for ch in text
    )


def read_count(text: str, *, low: int, high: int) -> int | NumberProblem:
    """The number `text` names if it lies in low..high, else why not."""
    if not text.strip():
        return NumberProblem.EMPTY
    value = read_number(text)
    if value is None:
        # A digit run too long to read is a number, just not one we take.
        stripped = narrow(text.strip())
        if stripped and all(ch in ASCII_DIGITS for ch in stripped):
            return NumberProblem.OUT_OF_RANGE
        return NumberProblem.NOT_A_NUMBER
    return value if low <= value <= high else NumberProblem.OUT_OF_RANGE


def parse_count(text: str, *, low: int, high: int) -> int | None:
    """The number `text` names if it lies in low..high, else None."""
    value = read_count(text, low=low, high=high)
    return value if isinstance(value, int) else None


def parse_seq(text: str) -> int | None:
    """An item number (1..9999) as typed: 3, ３, 十二, 一百零五."""
    return parse_count(text, low=1, high=ITEM_SEQ_MAX)


def parse_row_id(text: str) -> int | None:
    """A database row id from button data or a command: ASCII or full-width digits only,
    1..2_147_483_647; None otherwise."""
    value = read_digits(text.strip())
    return value if value is not None and 1 <= value <= ROW_ID_MAX else None


def parse_telegram_id(text: str) -> int | None:
    """A Telegram chat or user id ("-1001234567890", "12345"): an optional minus sign, digits,
    not 0, within ±2**52; None otherwise."""
    text = text.strip()
    sign = -1 if text[:1] in ("-", "－") else 1
    value = read_digits(text[1:] if sign < 0 else text)
    if value is None or not 1 <= value <= TELEGRAM_ID_MAX:
        return None
    return sign * value
