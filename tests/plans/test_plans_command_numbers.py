"""Issue 14: one number parser for command arguments and button data (plans/numbers.py)."""

from __future__ import annotations

import pytest

from plans.numbers import (
    ITEM_SEQ_MAX,
    ROW_ID_MAX,
    NumberProblem,
    has_foreign_digits,
    narrow,
    parse_count,
    parse_row_id,
    parse_seq,
    parse_telegram_id,
    read_count,
    read_number,
)

HOSTILE = [
    "",
    " ",
    "²",
    "①",
    "٣",
    "三²",
    "-3",
    "+3",
    "3.5",
    "3 4",
    "\x00",
    "3\x00",
    "😀",
    "Ⅻ",
    "0x10",
    "1e3",
    "十十",
    "百百",
    "三两",
]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3", 3),
        ("３", 3),
        ("  12 ", 12),
        ("１２", 12),
        ("十二", 12),
        ("两", 2),
        ("二十一", 21),
        ("九十九", 99),
        ("百", 100),
        ("一百", 100),
        ("两百", 200),
        ("一百零五", 105),
        ("一百二十", 120),
        ("一百一十一", 111),
        ("九百九十九", 999),
        ("0", 0),
        ("007", 7),
    ],
)
def test_numbers_people_type(text: str, value: int) -> None:
    assert read_number(text) == value


@pytest.mark.parametrize(
    "text", [*HOSTILE, "一百十", "一千", "百零", "一百零", "9" * 17, "9" * 5000, "一二", "二〇二〇"]
)
def test_everything_else_is_refused_without_raising(text: str) -> None:
    assert read_number(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5", 5),
        ("五", 5),
        ("0", NumberProblem.OUT_OF_RANGE),
        ("11", NumberProblem.OUT_OF_RANGE),
        ("9223372036854775808", NumberProblem.OUT_OF_RANGE),
        ("9" * 5000, NumberProblem.OUT_OF_RANGE),
        ("", NumberProblem.EMPTY),
        ("   ", NumberProblem.EMPTY),
        ("²", NumberProblem.NOT_A_NUMBER),
        ("abc", NumberProblem.NOT_A_NUMBER),
        ("-1", NumberProblem.NOT_A_NUMBER),
    ],
)
def test_a_count_says_why_it_is_refused(text: str, expected: int | NumberProblem) -> None:
    assert read_count(text, low=1, high=10) == expected
    assert parse_count(text, low=1, high=10) == (expected if isinstance(expected, int) else None)


def test_item_numbers_stop_at_the_cap() -> None:
    assert parse_seq(str(ITEM_SEQ_MAX)) == ITEM_SEQ_MAX
    assert parse_seq(str(ITEM_SEQ_MAX + 1)) is None
    assert parse_seq("0") is None
    assert parse_seq("十二") == 12


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", 1),
        ("４２", 42),
        (str(ROW_ID_MAX), ROW_ID_MAX),
        (str(ROW_ID_MAX + 1), None),  # 2147483648: beyond PostgreSQL int4
        ("9223372036854775808", None),
        ("0", None),
        ("十二", None),  # ids are never typed in words
        *[(text, None) for text in HOSTILE],
    ],
)
def test_row_ids_fit_both_databases(text: str, value: int | None) -> None:
    assert parse_row_id(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12345", 12345),
        ("-1001234567890", -1001234567890),
        ("－100123", -100123),
        ("0", None),
        ("-", None),
        ("--5", None),
        ("-²", None),
        (str(2**52 + 1), None),
        ("9223372036854775808", None),
        ("", None),
    ],
)
def test_telegram_ids_may_be_negative(text: str, value: int | None) -> None:
    assert parse_telegram_id(text) == value


def test_full_width_forms_narrow_character_for_character() -> None:
    assert narrow("＃３，６０％　ｄｏｎｅ") == "#3,60% done"
    assert narrow("已完成。") == "已完成。"  # CJK punctuation is not a full-width form
    assert narrow("²①٣") == "²①٣"


def test_foreign_digits_are_spotted() -> None:
    assert has_foreign_digits("²号") and has_foreign_digits("第①项") and has_foreign_digits("٣")
    assert not has_foreign_digits("3号 ３ 十二 abc")
