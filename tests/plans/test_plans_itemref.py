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


# -- issue 13/14: items as typed, several at once, glued to the note ----------------------------

from plans.itemref import MAX_REFS, ItemRefs, RefProblem, RefRefusal, split_item_refs  # noqa: E402


def seqs(found: ItemRefs | RefRefusal) -> tuple[list[int], str]:
    assert isinstance(found, ItemRefs), found
    return [ref.seq for ref in found.refs], found.rest


@pytest.mark.parametrize(
    ("args", "items", "rest"),
    [
        ("3", [3], ""),
        ("３", [3], ""),
        ("十二", [12], ""),
        ("第3项", [3], ""),
        ("第 3 项 已完成", [3], "已完成"),
        ("3号", [3], ""),
        ("#3", [3], ""),
        ("＃3", [3], ""),
        ("第三项", [3], ""),
        ("3已报送材料", [3], "已报送材料"),
        ("5：已完成", [5], "已完成"),
        ("1。", [1], ""),
        ("4，已完成", [4], "已完成"),
        ("3 已报送，请查收", [3], "已报送，请查收"),
        ("1,2,3", [1, 2, 3], ""),
        ("1，2，3 已完成", [1, 2, 3], "已完成"),
        ("1、2", [1, 2], ""),
        ("1和2", [1, 2], ""),
        ("1-3", [1, 2, 3], ""),
        ("1～3", [1, 2, 3], ""),
        ("1~3", [1, 2, 3], ""),
        ("1至3", [1, 2, 3], ""),
        ("一至三", [1, 2, 3], ""),
        ("1-3已完成", [1, 2, 3], "已完成"),
        ("1,3-4", [1, 3, 4], ""),
        ("2 5", [2, 5], ""),
        ("1 2 3 已完成", [1, 2, 3], "已完成"),
        ("2,2,1", [2, 1], ""),
        ("3 2个单位已完成", [3], "2个单位已完成"),
        ("4 60%已完成初稿", [4], "60%已完成初稿"),
        ("3-已完成", [3], "已完成"),
        ("1-50", list(range(1, 51)), ""),
    ],
)
def test_items_as_people_type_them(args: str, items: list[int], rest: str) -> None:
    assert seqs(split_item_refs(args)) == (items, rest)


@pytest.mark.parametrize(
    ("args", "items", "rest"),
    [
        ("10 75", [10], "75"),  # /progress: a bare number after the item is the percentage
        ("4 1-15", [4], "1-15"),  # /extend: a date
        ("4 下周五", [4], "下周五"),
        ("1,2 50%", [1, 2], "50%"),
        ("10 -5%", [10], "-5%"),  # a minus sign is the rest's, to be refused as -5%
    ],
)
def test_without_spaced_lists_a_number_after_a_space_is_the_rest(
    args: str, items: list[int], rest: str
) -> None:
    assert seqs(split_item_refs(args, spaced=False)) == (items, rest)


def test_a_plan_named_first_applies_to_every_item() -> None:
    found = split_item_refs("10月#1-2 好")
    assert isinstance(found, ItemRefs)
    assert found.refs == (ItemRef(1, None, 10), ItemRef(2, None, 10)) and found.rest == "好"
    assert split_item_refs("2020-10#3") == ItemRefs((ItemRef(3, 2020, 10),), "")
    assert split_item_refs("2024Q1#3") == ItemRefs((ItemRef(3, 2024, None, 1),), "")
    assert split_item_refs("2023#3") == ItemRefs((ItemRef(3, 2023, whole_year=True),), "")


@pytest.mark.parametrize(
    ("args", "problem", "quoted"),
    [
        ("", RefProblem.NO_REF, ""),
        ("   ", RefProblem.NO_REF, ""),
        ("60%已完成", RefProblem.NO_REF, "60%已完成"),
        ("90%", RefProblem.NO_REF, "90%"),
        ("十二月", RefProblem.NO_REF, "十二月"),
        ("三季度工作", RefProblem.NO_REF, "三季度工作"),
        ("一般性工作", RefProblem.NO_REF, "一般性工作"),
        ("2个单位", RefProblem.NO_REF, "2个单位"),
        ("1/15", RefProblem.NO_REF, "1/15"),
        ("3.5", RefProblem.NO_REF, "3.5"),
        ("foo#3", RefProblem.NO_REF, "foo#3"),
        ("²", RefProblem.NO_REF, "²"),
        ("①", RefProblem.NO_REF, "①"),
        ("٣", RefProblem.NO_REF, "٣"),
        ("\x00", RefProblem.NO_REF, "\x00"),
        ("😀 3", RefProblem.NO_REF, "😀"),
        ("0", RefProblem.OUT_OF_RANGE, "0"),
        ("10000", RefProblem.OUT_OF_RANGE, "10000"),
        ("9223372036854775808", RefProblem.OUT_OF_RANGE, "9223372036854775808"),
        ("2147483648 已完成", RefProblem.OUT_OF_RANGE, "2147483648"),
        ("1," + "9" * 5000, RefProblem.OUT_OF_RANGE, "9" * 5000),
        ("5-3", RefProblem.BACKWARDS, "5-3"),
        ("1-51", RefProblem.TOO_MANY, "1-51"),
        ("1-9999", RefProblem.TOO_MANY, "1-9999"),
    ],
)
def test_what_names_no_items_is_refused_not_guessed(
    args: str, problem: RefProblem, quoted: str
) -> None:
    assert split_item_refs(args) == RefRefusal(problem, quoted)


def test_a_list_longer_than_the_cap_is_refused() -> None:
    many = ",".join(str(n) for n in range(1, MAX_REFS + 2))
    found = split_item_refs(many)
    assert isinstance(found, RefRefusal) and found.problem is RefProblem.TOO_MANY
    assert seqs(split_item_refs(",".join(str(n) for n in range(1, MAX_REFS + 1))))[0] == list(
        range(1, MAX_REFS + 1)
    )


@pytest.mark.parametrize("text", ["３", "１２", "一百零五"])
def test_a_whole_word_reference_reads_full_width_digits_and_hundreds(text: str) -> None:
    assert parse_item_ref(text) == ItemRef(
        int(text) if text.isascii() else {"３": 3, "１２": 12, "一百零五": 105}[text]
    )


@pytest.mark.parametrize("text", ["9223372036854775808", "10000", "²", "①", "1²", "一二"])
def test_a_whole_word_reference_refuses_what_no_lookup_could_find(text: str) -> None:
    assert parse_item_ref(text) is None
