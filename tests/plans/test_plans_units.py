"""Numerals, numbering markers, labels, names and months: the small vocabularies of a plan."""

from __future__ import annotations

import pytest

from plans.labels import FIELD_LABELS, Kind, column_kind, split_fields
from plans.months import parse_month
from plans.names import normalise_name, split_names
from plans.numbering import Style, read_marker
from plans.numerals import cn_to_int, int_to_cn


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("一", 1),
        ("九", 9),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("二十一", 21),
        ("九十九", 99),
        ("〇", 0),
        ("零", 0),
        ("两", 2),
        ("二〇二〇", 2020),
        ("１２", 12),
    ],
)
def test_chinese_numerals_read(written: str, value: int) -> None:
    assert cn_to_int(written) == value


@pytest.mark.parametrize("written", ["", "百", "十十", "〇十", "二十〇", "一百", "abc", "十二三"])
def test_not_numerals_give_none(written: str) -> None:
    assert cn_to_int(written) is None


def test_every_number_to_99_round_trips() -> None:
    for value in range(100):
        assert cn_to_int(int_to_cn(value)) == value
    assert [int_to_cn(v) for v in (10, 11, 20, 99)] == ["十", "十一", "二十", "九十九"]


@pytest.mark.parametrize(
    ("line", "style", "value", "rest"),
    [
        ("一、扎实开展活动", Style.CHINESE, 1, "扎实开展活动"),
        ("十一、第十一项", Style.CHINESE, 11, "第十一项"),
        ("二十、第二十项", Style.CHINESE, 20, "第二十项"),
        ("（一）全角括号", Style.CHINESE_PAREN, 1, "全角括号"),
        ("(三) 半角括号", Style.CHINESE_PAREN, 3, "半角括号"),
        ("1. 点号", Style.ARABIC, 1, "点号"),
        ("2、顿号", Style.ARABIC, 2, "顿号"),
        ("3．全角点", Style.ARABIC, 3, "全角点"),
        ("(1) 半角", Style.ARABIC_PAREN, 1, "半角"),
        ("（12）全角", Style.ARABIC_PAREN, 12, "全角"),
        ("①圈码", Style.CIRCLED, 1, "圈码"),
        ("⑩ 圈码十", Style.CIRCLED, 10, "圈码十"),
    ],
)
def test_numbering_markers(line: str, style: Style, value: int, rest: str) -> None:
    marker = read_marker(line)
    assert marker is not None
    assert (marker.style, marker.value, marker.rest) == (style, value, rest)


@pytest.mark.parametrize(
    "line", ["一是开展专题党课", "10.15前完成", "2020年“扶贫日”活动", "12.5万元", "第一、"]
)
def test_lines_that_only_look_numbered(line: str) -> None:
    assert read_marker(line) is None


@pytest.mark.parametrize(
    ("label", "kind"), [(label, kind) for kind, labels in FIELD_LABELS.items() for label in labels]
)
@pytest.mark.parametrize("colon", ["：", ":"])
def test_every_label_synonym_on_its_own_line(label: str, kind: Kind, colon: str) -> None:
    split = split_fields(f"{label}{colon}某某")
    assert [(f.kind, f.value) for f in split.fields] == [(kind, "某某")]


def test_several_fields_in_one_bracket_keep_bracketed_values_whole() -> None:
    split = split_fields(
        "做好档案工作（责任领导：董军；责任部室：区委宣传部（区文明办）；完成时限：10月底）。"
    )
    assert split.text == "做好档案工作。"
    assert [(f.kind, f.value) for f in split.fields] == [
        (Kind.LEADERS, "董军"),
        (Kind.DEPARTMENTS, "区委宣传部（区文明办）"),
        (Kind.DEADLINE, "10月底"),
    ]


def test_fields_separated_by_spaces_and_commas() -> None:
    split = split_fields("开展培训 分管领导：张三，李四 牵头单位：组织部，时限：中旬")
    assert [(f.kind, f.value) for f in split.fields] == [
        (Kind.LEADERS, "张三，李四"),
        (Kind.DEPARTMENTS, "组织部"),
        (Kind.DEADLINE, "中旬"),
    ]


def test_a_label_word_without_colon_is_just_text() -> None:
    assert split_fields("召开各部室负责人会议").fields == ()


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("序号", Kind.SEQ),
        ("序  号", Kind.SEQ),
        ("工作任务", Kind.TITLE),
        ("工作内容", Kind.TITLE),
        ("任务", Kind.TITLE),
        ("工作事项", Kind.TITLE),
        ("责任领导", Kind.LEADERS),
        ("配合单位", Kind.PARTNERS),
        ("完成时限（时间节点）", Kind.DEADLINE),
        ("张三", None),
    ],
)
def test_table_header_cells(cell: str, kind: Kind | None) -> None:
    assert column_kind(cell) == kind


@pytest.mark.parametrize(
    ("written", "name"),
    [("董 军", "董军"), ("董\u3000军", "董军"), ("\u3000董军 ", "董军"), ("董\u00a0军。", "董军")],
)
def test_names_lose_their_padding(written: str, name: str) -> None:
    assert normalise_name(written) == name


def test_name_lists_split_on_list_separators_only() -> None:
    assert split_names("组织部、工业制造业工会联合会") == ["组织部", "工业制造业工会联合会"]
    assert split_names("张三，李四,王五；赵六;钱七/孙八") == [
        "张三",
        "李四",
        "王五",
        "赵六",
        "钱七",
        "孙八",
    ]
    assert split_names("权益保障和法律工作部") == ["权益保障和法律工作部"]
    assert split_names("组织部及宣传部") == ["组织部及宣传部"]


def test_name_lists_keep_brackets_and_drop_duplicates() -> None:
    assert split_names("区委宣传部（区文明办、区网信办）、组织部、董 军、董军") == [
        "区委宣传部（区文明办、区网信办）",
        "组织部",
        "董军",
    ]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("october", (None, 10)),
        ("Oct", (None, 10)),
        ("sept", (None, 9)),
        ("10", (None, 10)),
        ("十月", (None, 10)),
        ("10月", (None, 10)),
        ("十月份", (None, 10)),
        ("十二月", (None, 12)),
        ("2020-10", (2020, 10)),
        ("2020/10", (2020, 10)),
        ("2020年10月", (2020, 10)),
        ("二〇二〇年十月", (2020, 10)),
        ("oct 2020", (2020, 10)),
        (" １０月 ", (None, 10)),
    ],
)
def test_month_arguments(typed: str, expected: tuple[int | None, int]) -> None:
    assert parse_month(typed) == expected


@pytest.mark.parametrize("typed", ["", "13", "0", "十三月", "octember", "2020-13", "next"])
def test_not_a_month(typed: str) -> None:
    assert parse_month(typed) is None
