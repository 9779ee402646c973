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
