from __future__ import annotations

from datetime import time

import pytest

from jobs.parse import (
    DigestSpec,
    format_digest,
    parse_days,
    parse_digest,
    parse_escalate,
    parse_switch,
    parse_time,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08:30", time(8, 30)),
        ("8:30", time(8, 30)),
        (" 9:05 ", time(9, 5)),
        ("０８：３０", time(8, 30)),  # full-width, as a Chinese input method types it
        ("8：30", time(8, 30)),
        ("23:59", time(23, 59)),
        ("0:00", time(0, 0)),
        ("8点", time(8, 0)),
        ("8点30", time(8, 30)),
        ("8点30分", time(8, 30)),
        ("8点半", time(8, 30)),
        ("上午9点", time(9, 0)),
        ("下午3点", time(15, 0)),
        ("晚上8点半", time(20, 30)),
    ],
)
def test_parse_time_accepts(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("24:00", "hours go 0-23"),
        ("8:60", "minutes 0-59"),
        ("0830", "e.g. 08:30"),
        ("8.30", "e.g. 08:30"),
        ("", "e.g. 08:30"),
        ("morning", "e.g. 08:30"),
        ("8:3", "e.g. 08:30"),
    ],
)
def test_parse_time_rejects(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as excinfo:
        parse_time(text)
    assert repr(text) in str(excinfo.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 2 0", (5, 2, 0)),
        ("0 2 5", (5, 2, 0)),
        ("7,3,1,0", (7, 3, 1, 0)),
        ("7，3，1", (7, 3, 1)),
        ("7、3、1、0", (7, 3, 1, 0)),
        ("３ ０", (3, 0)),
        ("5天 2天", (5, 2)),
        ("3 3 1", (3, 1)),
        ("0", (0,)),
        ("90", (90,)),
        ("off", ()),
        ("关闭", ()),
    ],
)
def test_parse_days_accepts(text: str, expected: tuple[int, ...]) -> None:
    assert parse_days(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no days given"),
        ("   ", "no days given"),
        ("5 -1", "cannot be negative: -1"),
        ("five", "not a number of days: 'five'"),
        ("3 x 1", "not a number of days: 'x'"),
        ("1.5", "not a number of days"),
        ("91", "too early; at most 90"),
    ],
)
def test_parse_days_rejects(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_days(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon 09:00", DigestSpec(0, time(9, 0))),
        ("Monday 9:00", DigestSpec(0, time(9, 0))),
        ("fri 17:30", DigestSpec(4, time(17, 30))),
        ("周一 09:00", DigestSpec(0, time(9, 0))),
        ("周一09:00", DigestSpec(0, time(9, 0))),
        ("每周五 下午5点", DigestSpec(4, time(17, 0))),
        ("星期日 8:00", DigestSpec(6, time(8, 0))),
        ("星期天 8:00", DigestSpec(6, time(8, 0))),
        ("礼拜三 10:15", DigestSpec(2, time(10, 15))),
        ("周二", DigestSpec(1, time(9, 0))),
        ("tue", DigestSpec(1, time(9, 0))),
    ],
)
def test_parse_digest_accepts(text: str, expected: DigestSpec) -> None:
    assert parse_digest(text) == expected


@pytest.mark.parametrize("text", ["off", "OFF", "关闭", "关", "无"])
def test_parse_digest_off(text: str) -> None:
    assert parse_digest(text) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("someday 09:00", "e.g. mon 09:00 or 周一 09:00"),
        ("09:00", "e.g. mon 09:00"),
        ("周八 09:00", "e.g. mon 09:00"),
        ("", "e.g. mon 09:00"),
        ("mon 25:00", "hours go 0-23"),
        ("mon noon", "e.g. mon 09:00"),
    ],
)
def test_parse_digest_rejects(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_digest(text)


def test_digest_text_round_trips() -> None:
    for text in ("mon 09:00", "sun 18:45", "off"):
        assert format_digest(parse_digest(text)) == text
    assert format_digest(parse_digest("周三 8点半")) == "wed 08:30"


def test_digest_spec_rejects_a_weekday_out_of_range() -> None:
    with pytest.raises(ValueError, match="weekday"):
        DigestSpec(7)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", 3),
        (" 1 ", 1),
        ("３", 3),
        ("第3个工作日", 3),
        ("第 5 次", 5),
        ("2天", 2),
        ("60", 60),
        ("0", 0),
        ("off", 0),
        ("never", 0),
        ("不升级", 0),
        ("关闭", 0),
    ],
)
def test_parse_escalate_accepts(text: str, expected: int) -> None:
    assert parse_escalate(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "e.g. 3, or 0 for never"),
        ("soon", "not a number of working days overdue: 'soon'"),
        ("-1", "e.g. 3"),
        ("1.5", "e.g. 3"),
        ("3 4", "e.g. 3"),
        ("61", "too late; at most 60"),
    ],
)
def test_parse_escalate_rejects(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_escalate(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("on", True), ("ON", True), ("开启", True), ("打开", True), ("off", False), ("关闭", False)],
)
def test_parse_switch(text: str, expected: bool) -> None:
    assert parse_switch(text) is expected


@pytest.mark.parametrize("text", ["", "maybe", "1", "on off"])
def test_parse_switch_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="write on or off"):
        parse_switch(text)
