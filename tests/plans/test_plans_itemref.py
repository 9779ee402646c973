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
