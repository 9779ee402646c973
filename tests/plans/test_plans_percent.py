"""Issue 13: percentages in digits and words, and the note after them (plans/percent.py)."""

from __future__ import annotations

import re

import pytest

from plans.percent import BadPercent, ProgressReport, read_progress


@pytest.mark.parametrize(
    ("text", "percent", "note"),
    [
        ("60%", 60, ""),
        ("６０％", 60, ""),
        ("60 %", 60, ""),
        ("60% 初稿已完成", 60, "初稿已完成"),
        ("60%已完成初稿", 60, "已完成初稿"),
        ("60%，待审", 60, "待审"),
        ("进度60%", 60, ""),
        ("进度：60%，待审", 60, "待审"),
        ("进度 60", 60, ""),
        ("完成60%", 60, ""),
        ("已完成60%", 60, ""),
        ("六成", 60, ""),
        ("完成六成", 60, ""),
        ("十成", 100, ""),
        ("百分之五十", 50, ""),
        ("百分之百", 100, ""),
        ("一半", 50, ""),
        ("已完成一半 剩余下周", 50, "剩余下周"),
        ("75", 75, ""),
        ("75 初稿", 75, "初稿"),
        ("0", 0, ""),
        ("100%", 100, ""),
        ("60.4%", 60, ""),
    ],
)
def test_percentages_people_write(text: str, percent: int, note: str) -> None:
    assert read_progress(text) == ProgressReport(percent, note)


@pytest.mark.parametrize(
    "text",
    [
        "等待局领导审批",
        "已完成初稿",
        "2个单位已完成",
        "完成60",
        "成果显著",
        "²%",
        "①",
        "٣٠%",
        "\x00",
        "😀",
        "1e5%",
    ],
)
def test_other_text_is_a_note(text: str) -> None:
    assert read_progress(text) == ProgressReport(None, text)


@pytest.mark.parametrize("text", ["过半", "已过半", "完成大半", "大部分已完成", "基本完成"])
def test_much_of_it_in_words_is_a_note_flagged_vague(text: str) -> None:
    assert read_progress(text) == ProgressReport(None, text, vague=True)


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("150%", "150%"),
        ("-5%", "-5%"),
        ("+5%", "+5%"),
        ("100.5%", "100.5%"),
        ("9223372036854775808%", "9223372036854775808%"),
        ("百分之一百五十", "百分之一百五十"),
        ("101", "101%"),
    ],
)
def test_out_of_range_is_refused_with_what_was_typed(text: str, quoted: str) -> None:
    assert read_progress(text) == BadPercent(quoted)


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_nothing_after_the_item_is_none(text: str) -> None:
    assert read_progress(text) is None


# The regex /progress used before: the new reader must agree with it wherever it read a number.
_OLD_WITH_SIGN = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*[%％](.*)", re.DOTALL)
_OLD_BARE = re.compile(r"([+-]?\d+(?:\.\d+)?)(?:\s+(.*))?", re.DOTALL)


@pytest.mark.parametrize(
    "text",
    [
        "60% 初稿已完成",
        "75",
        "等待局领导审批",
        "150%",
        "-5%",
        "60%已完成初稿",
        "2个单位",
        "40% 已开筹备会",
    ],
)
def test_the_old_progress_forms_read_as_before(text: str) -> None:
    match = _OLD_WITH_SIGN.fullmatch(text) or _OLD_BARE.fullmatch(text)
    found = read_progress(text)
    if match is None:
        assert found == ProgressReport(None, text)
    elif not 0 <= float(match.group(1)) <= 100:
        assert found == BadPercent(f"{match.group(1)}%")
    else:
        assert found == ProgressReport(round(float(match.group(1))), (match.group(2) or "").strip())
