"""How the parser decides what is an item: headings, numbering levels, wrapped titles, years."""

from __future__ import annotations

from datetime import date

import pytest

from plans.numerals import int_to_cn
from plans.parser import parse_plan

FIELDS = "责任领导：张三\n责任部室：办公室\n完成时限：10月底"


def titles(text: str, **kwargs: int) -> list[str]:
    return [item.title for item in parse_plan(text, **kwargs).items]


def test_chinese_numbering_past_ten() -> None:
    body = "\n".join(f"{int_to_cn(n)}、第{n}项工作\n{FIELDS}" for n in range(1, 23))
    plan = parse_plan("2020年10月工作计划\n" + body)
    assert [i.seq for i in plan.items] == list(range(1, 23))
    assert plan.items[10].title == "第11项工作"
    assert plan.items[19].title == "第20项工作"
    assert plan.warnings == []


@pytest.mark.parametrize(
    "markers",
    [
        ["（一）", "（二）"],
        ["(一)", "(二)"],
        ["1.", "2."],
        ["1、", "2、"],
        ["1．", "2．"],
        ["(1)", "(2)"],
        ["（1）", "（2）"],
        ["①", "②"],
    ],
)
def test_the_highest_numbering_present_is_the_item_level(markers: list[str]) -> None:
    text = "十月份工作计划\n" + "\n".join(f"{m}任务{n}\n{FIELDS}" for n, m in enumerate(markers, 1))
    assert titles(text, year=2020) == ["任务1", "任务2"]


def test_sub_numbered_lines_belong_to_their_item() -> None:
    text = (
        "十月份工作计划\n"
        "一、开展职工培训\n（一）制定培训方案\n（二）组织报名10月15日前完成\n"
        f"{FIELDS}\n"
        f"二、做好档案工作\n{FIELDS}\n"
    )
    plan = parse_plan(text, year=2020)
    assert [i.title for i in plan.items] == ["开展职工培训", "做好档案工作"]
    assert plan.items[0].content == "（一）制定培训方案\n（二）组织报名10月15日前完成"
    assert plan.items[0].deadline == date(2020, 10, 31)
    assert plan.items[0].leaders == ["张三"]


def test_section_headings_without_fields_number_items_through_the_document() -> None:
    text = (
        "十月份工作要点\n"
        f"一、党建工作\n（一）任务甲\n{FIELDS}\n（二）任务乙\n{FIELDS}\n"
        f"二、业务工作\n（一）任务丙\n{FIELDS}\n"
    )
    plan = parse_plan(text, year=2020)
    assert [(i.seq, i.title) for i in plan.items] == [(1, "任务甲"), (2, "任务乙"), (3, "任务丙")]


def test_items_without_fields_under_a_plan_heading_are_kept_with_warnings() -> None:
    plan = parse_plan("十月份工作计划\n一、任务甲\n二、任务乙\n完成时限：10月15日", year=2020)
    assert [i.title for i in plan.items] == ["任务甲", "任务乙"]
    # What is true of every item is said once (issue 11), what is true of some names them.
    assert plan.warnings == ["没有一项写明责任领导", "没有一项写明责任部室", "第1项没有完成时限"]


def test_title_cleanup() -> None:
    text = "十月份工作计划\n一、 扎实开展 2020 年“扶贫日”活动。 \n" + FIELDS
    assert titles(text, year=2020) == ["扎实开展2020年“扶贫日”活动"]


def test_a_lead_sentence_is_the_title_and_the_rest_is_content() -> None:
    text = "十月份工作计划\n1. 加强理论学习。组织全体干部开展专题学习。\n" + FIELDS
    item = parse_plan(text, year=2020).items[0]
    assert (item.title, item.content) == ("加强理论学习", "组织全体干部开展专题学习。")


def test_a_short_title_does_not_swallow_the_next_line() -> None:
    text = "十月份工作计划\n一、党建工作\n加强理论学习\n" + FIELDS
    item = parse_plan(text, year=2020).items[0]
    assert (item.title, item.content) == ("党建工作", "加强理论学习")


def test_a_numbered_line_naming_a_plan_is_an_item_not_a_heading() -> None:
    text = f"十月份工作计划\n一、制定十一月份工作计划\n{FIELDS}\n二、做好档案工作\n{FIELDS}"
    assert titles(text, year=2020) == ["制定十一月份工作计划", "做好档案工作"]


def test_a_summary_after_the_plan_is_not_part_of_it() -> None:
    text = (
        f"十月份工作计划\n一、任务甲\n{FIELDS}\n九月份工作总结\n一、完成了某事\n二、完成了另一件事"
    )
    assert titles(text, year=2020) == ["任务甲"]


def test_a_second_plan_for_another_month_is_left_out_with_a_warning() -> None:
    text = f"十月份工作计划\n一、任务甲\n{FIELDS}\n十一月份工作计划\n一、任务乙\n{FIELDS}"
    plan = parse_plan(text, year=2020)
    assert [i.title for i in plan.items] == ["任务甲"]
    assert "文档中还有11月的计划，没有导入" in plan.warnings


def test_heading_year_and_month_beat_the_arguments() -> None:
    plan = parse_plan(f"2021年3月工作计划\n一、任务\n{FIELDS}", year=2020, month=10)
    assert (plan.year, plan.month) == (2021, 3)


def test_year_argument_beats_the_document_and_the_month_argument_fills_in() -> None:
    text = f"2019年度回顾后，制定本工作计划\n一、任务\n{FIELDS}"
    assert (parse_plan(text).year, parse_plan(text).month) == (2019, None)
    assert (parse_plan(text, year=2020, month=10).year, parse_plan(text, month=10).month) == (
        2020,
        10,
    )


def test_document_year_is_the_one_mentioned_most() -> None:
    text = "十月份工作计划\n一、总结 2019 年经验，推进 2020 年工作，迎接 2020 年检查\n" + FIELDS
    plan = parse_plan(text)
    assert plan.year == 2020
    assert plan.items[0].deadline == date(2020, 10, 31)


def test_unknown_year_and_month_are_reported() -> None:
    plan = parse_plan("工作计划\n一、任务\n" + FIELDS)
    assert (plan.year, plan.month) == (None, None)
    assert plan.warnings[:2] == ["没有找到计划月份", "没有找到计划年份"]


def test_a_december_plan_reaches_into_january() -> None:
    plan = parse_plan(
        "2020年12月工作计划\n一、任务\n责任领导：张三\n责任部室：办公室\n完成时限：1月底"
    )
    assert plan.items[0].deadline == date(2021, 1, 31)


def test_fields_all_on_one_line_without_brackets() -> None:
    text = "十月份工作计划\n1. 做好档案工作 责任人：董 军 责任单位：办公室；完成时限：10月15日"
    item = parse_plan(text, year=2020).items[0]
    assert (item.title, item.leaders, item.departments, item.deadline) == (
        "做好档案工作",
        ["董军"],
        ["办公室"],
        date(2020, 10, 15),
    )


def test_numbered_text_without_fields_and_without_heading_is_not_a_plan() -> None:
    plan = parse_plan("一、今天天气很好\n二、我们去开会\n三、会议很成功")
    assert plan.items == []


def test_markdown_decoration_is_ignored() -> None:
    text = "## 十月份工作计划\n\n**1. 做好档案工作**\n\n- 责任领导：董军\n"
    # "- 责任领导" is a bullet line; the field still belongs to item 1.
    plan = parse_plan(text, year=2020)
    assert [i.title for i in plan.items] == ["做好档案工作"]


def test_windows_line_endings_and_bom() -> None:
    text = "\ufeff十月份工作计划\r\n一、任务\r\n" + FIELDS.replace("\n", "\r\n")
    plan = parse_plan(text, year=2020)
    assert [(i.title, i.leaders) for i in plan.items] == [("任务", ["张三"])]


@pytest.mark.parametrize("label", ["责任领导", "分管领导", "牵头领导", "责任人", "负责人"])
def test_leader_labels(label: str) -> None:
    plan = parse_plan(f"十月份工作计划\n1. 任务（{label}：董 军、张三）", year=2020)
    assert plan.items[0].leaders == ["董军", "张三"]


@pytest.mark.parametrize("label", ["责任部室", "责任部门", "责任单位", "牵头单位", "牵头部门"])
@pytest.mark.parametrize("partner_label", ["配合单位", "配合部门"])
def test_department_labels_with_partners_after_the_lead(label: str, partner_label: str) -> None:
    text = f"十月份工作计划\n1. 任务\n{partner_label}：宣传部\n{label}：办公室、组织部"
    item = parse_plan(text, year=2020).items[0]
    assert (item.departments, item.partners) == (["办公室", "组织部"], ["宣传部"])


@pytest.mark.parametrize("label", ["完成时限", "完成时间", "时间节点", "时限"])
def test_deadline_labels(label: str) -> None:
    item = parse_plan(f"十月份工作计划\n1. 任务\n{label}:10月15日前", year=2020).items[0]
    assert (item.deadline, item.deadline_text) == (date(2020, 10, 15), "10月15日前")


def test_unnumbered_items_in_a_chat_message() -> None:
    text = (
        "做好档案工作\n责任领导：董军\n完成时限：月底\n开展培训（责任领导：张三；完成时限：中旬）"
    )
    plan = parse_plan(text, year=2020, month=10)
    assert [(i.title, i.leaders, i.deadline) for i in plan.items] == [
        ("做好档案工作", ["董军"], date(2020, 10, 31)),
        ("开展培训", ["张三"], date(2020, 10, 20)),
    ]


def test_a_markdown_table_with_a_section_row_and_line_breaks() -> None:
    text = (
        "十月份工作计划\n\n"
        "| 序号 | 工作内容 | 责任领导 | 责任单位 | 完成时限 |\n"
        "|---|---|---|---|---|\n"
        "| 一、党建工作 | | | | |\n"
        "| 1 | 召开理论学习中心组会议 | 官庆军 | 办公室<br>组织部 | 10月中旬 |\n"
    )
    plan = parse_plan(text, year=2020)
    assert [(i.seq, i.title, i.departments, i.deadline) for i in plan.items] == [
        (1, "召开理论学习中心组会议", ["办公室", "组织部"], date(2020, 10, 20)),
    ]


def test_a_department_written_as_lead_and_partner_leads() -> None:
    text = "十月份工作计划\n1. 任务（责任部室：办公室；配合单位：办公室、组织部）"
    item = parse_plan(text, year=2020).items[0]
    assert (item.departments, item.partners) == (["办公室"], ["组织部"])


def test_an_item_naming_only_partners_keeps_its_sections_lead() -> None:
    text = (
        "十月份工作计划\n一、组织工作（责任部室：组织部；配合单位：办公室）\n"
        "1. 任务甲（责任领导：张三；完成时限：10月底）\n"
        "2. 任务乙（责任领导：张三；配合单位：宣教部；完成时限：10月底）\n"
        "3. 任务丙（责任领导：张三；责任部室：经技部；完成时限：10月底）\n"
    )
    got = [(i.departments, i.partners) for i in parse_plan(text, year=2020).items]
    assert got == [
        (["组织部"], ["办公室"]),
        # Its own partners replace the section's; the section's lead still leads.
        (["组织部"], ["宣教部"]),
        # Its own lead replaces the section's, and the section's partners with it.
        (["经技部"], []),
    ]


def test_an_item_with_partners_and_no_responsible_department_is_warned_about() -> None:
    text = "十月份工作计划\n1. 任务（责任领导：张三；配合单位：办公室；完成时限：10月底）"
    plan = parse_plan(text, year=2020)
    assert (plan.items[0].departments, plan.items[0].partners) == ([], ["办公室"])
    assert plan.warnings == ["第1项没有责任部室"]
