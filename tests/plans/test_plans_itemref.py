import pytest

from plans.itemref import ItemRef, parse_item_ref


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", ItemRef(3)),
        ("十", ItemRef(10)),
        ("2020-10#3", ItemRef(3, 2020, 10)),
        ("10月#3", ItemRef(3, None, 10)),
        ("october＃12", ItemRef(12, None, 10)),
    ],
)
def test_item_references_people_type(text, expected):
    assert parse_item_ref(text) == expected


@pytest.mark.parametrize("text", ["", "0", "abc", "3a", "foo#3", "#3"])
def test_what_is_not_an_item_reference(text):
    assert parse_item_ref(text) is None


def test_items_of_a_quarters_and_a_years_plan() -> None:
    assert parse_item_ref("2024Q1#3") == ItemRef(3, 2024, None, 1)
    assert parse_item_ref("一季度#2") == ItemRef(2, None, None, 1)
    assert parse_item_ref("2023#3") == ItemRef(3, 2023, whole_year=True)
    assert parse_item_ref("2023年#三") == ItemRef(3, 2023, whole_year=True)
    assert parse_item_ref("2023#3").names_plan and not parse_item_ref("3").names_plan


def test_a_period_meant_but_invalid_is_told_from_plan_text() -> None:
    from plans.months import looks_like_period, parse_period

    for meant in ("2023-13", "13月", "二〇二三年十三月", "2024Q5", "五季度"):
        assert looks_like_period(meant) and parse_period(meant) is None, meant
    for text in ("一、做好档案工作", "十月份工作计划", "2020年10月12日", "", "做好统计"):
        assert not looks_like_period(text), text
