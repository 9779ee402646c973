"""Issue 11: items keep the number written in the document, whatever numbering style it uses.

A plan numbered 3, 5, 7 keeps 3, 5, 7 (`/done 5` means the document's item 5); titles starting
with a digit stay items; numbering styles that change within one list are one list when the
numbers run on; field-less intro sections are headings; paragraph items give a short title;
warnings about numbering come first and say what is wrong.
"""

from __future__ import annotations

from datetime import date

import pytest

from plans.model import ParsedPlan
from plans.parser import parse_plan

HEAD = "2023年3月工作计划\n"
FIELDS = "（责任领导：王强；责任单位：办公室；完成时限：3月底）"


def plan_of(text: str) -> ParsedPlan:
    return parse_plan(text, year=2023)


def numbered(plan: ParsedPlan) -> list[tuple[int, str]]:
    return [(item.seq, item.title) for item in plan.items]


# 1. Numbers as written ---------------------------------------------------------------------


def test_a_plan_numbered_3_5_7_keeps_its_numbers_and_names_the_gaps() -> None:
    plan = plan_of(HEAD + "".join(f"{n}. 任务{n}{FIELDS}\n" for n in (3, 5, 7)))
    assert numbered(plan) == [(3, "任务3"), (5, "任务5"), (7, "任务7")]
    assert plan.warnings == [
        "编号不连续：第一项编为第3项，缺第1、2项",
        "编号不连续：第3项之后是第5项，缺第4项",
        "编号不连续：第5项之后是第7项，缺第6项",
    ]


def test_a_lost_item_does_not_shift_the_later_numbers() -> None:
    text = HEAD + "".join(f"{n}、任务{n}{FIELDS}\n" for n in (1, 2, 3, 4, 6, 7))
    plan = plan_of(text)
    assert numbered(plan)[3:] == [(4, "任务4"), (6, "任务6"), (7, "任务7")]
    assert plan.warnings == ["编号不连续：第4项之后是第6项，缺第5项"]


@pytest.mark.parametrize(
    ("marker", "number"),
    [("十二、", 12), ("（三）", 3), ("12.", 12), ("(8)", 8), ("⑦", 7), ("20、", 20)],
)
def test_the_number_is_read_from_any_style(marker: str, number: int) -> None:
    plan = plan_of(HEAD + f"{marker}任务{FIELDS}")
    assert numbered(plan) == [(number, "任务")]


def test_a_repeated_number_takes_the_next_free_one_and_says_so() -> None:
    text = HEAD + "".join(f"{n}. 任务{t}{FIELDS}\n" for n, t in [(1, "甲"), (2, "乙"), (2, "丙")])
    text += f"3. 任务丁{FIELDS}\n"
    plan = plan_of(text)
    # 3 is the document's own item 3, so the repeat takes 4, the first number nobody wrote.
    assert numbered(plan) == [(1, "任务甲"), (2, "任务乙"), (4, "任务丙"), (3, "任务丁")]
    assert plan.warnings[0] == "第2项编号重复：“任务乙”和“任务丙”都编为2，后者按第4项导入"


def test_a_repeat_next_to_a_gap_fills_the_gap() -> None:
    text = HEAD + "".join(
        f"{n}. 任务{n}{t}{FIELDS}\n" for n, t in [(1, ""), (2, ""), (2, "乙"), (4, "")]
    )
    plan = plan_of(text)
    assert [item.seq for item in plan.items] == [1, 2, 3, 4]
    assert "第2项编号重复：“任务2”和“任务2乙”都编为2，后者按第3项导入" in plan.warnings


def test_items_numbered_through_sections_keep_the_document_numbers() -> None:
    text = (
        HEAD
        + f"一、党建工作\n1. 任务甲{FIELDS}\n2. 任务乙{FIELDS}\n"
        + f"二、业务工作\n3. 任务丙{FIELDS}\n5. 任务丁{FIELDS}\n"
    )
    plan = plan_of(text)
    assert numbered(plan) == [(1, "任务甲"), (2, "任务乙"), (3, "任务丙"), (5, "任务丁")]
    assert plan.warnings == ["编号不连续：第3项之后是第5项，缺第4项"]


def test_sections_that_restart_at_one_are_numbered_in_order_and_gaps_named_by_section() -> None:
    text = (
        HEAD
        + f"一、党建工作\n（一）任务甲{FIELDS}\n（三）任务乙{FIELDS}\n"
        + f"二、业务工作\n（一）任务丙{FIELDS}\n"
    )
    plan = plan_of(text)
    assert numbered(plan) == [(1, "任务甲"), (2, "任务乙"), (3, "任务丙")]
    assert plan.warnings == ["“党建工作”中编号不连续：（一）之后是（三）"]


def test_a_table_takes_its_numbers_from_the_number_column() -> None:
    text = (
        HEAD
        + "| 序号 | 工作任务 | 责任单位 | 完成时限 |\n|---|---|---|---|\n"
        + "| 3 | 任务甲 | 办公室 | 3月底 |\n| 4. | 任务乙 | 办公室 | 3月底 |\n"
        + "| （六） | 任务丙 | 办公室 | 3月底 |\n"
    )
    plan = plan_of(text)
    assert numbered(plan) == [(3, "任务甲"), (4, "任务乙"), (6, "任务丙")]
    assert "编号不连续：第4项之后是第6项，缺第5项" in plan.warnings


def test_a_table_without_numbers_is_numbered_in_row_order() -> None:
    text = (
        HEAD
        + "| 工作任务 | 责任单位 | 完成时限 |\n|---|---|---|\n"
        + "| 任务甲 | 办公室 | 3月底 |\n| 任务乙 | 办公室 | 3月底 |\n"
    )
    assert numbered(plan_of(text)) == [(1, "任务甲"), (2, "任务乙")]


def test_unnumbered_items_are_numbered_in_order() -> None:
    text = "任务甲\n责任单位：办公室\n完成时限：3月底\n任务乙（责任单位：财务科；完成时限：3月底）"
    plan = parse_plan(text, year=2023, month=3)
    assert numbered(plan) == [(1, "任务甲"), (2, "任务乙")]


# 2. Titles that start with a digit ----------------------------------------------------------


def test_titles_starting_with_a_digit_are_items_of_their_own() -> None:
    text = (
        HEAD
        + "1.整理档案（责任单位：办公室；完成时限：3月底）\n"
        + "2.2021年度考核总结（责任单位：人事科；完成时限：3月底）\n"
        + "3.5G基站建设协调（责任单位：信息科；完成时限：3月15日）\n"
        + "4.12345热线整改（责任单位：督查室；完成时限：3月20日）\n"
    )
    plan = plan_of(text)
    assert [(i.seq, i.title, i.departments) for i in plan.items] == [
        (1, "整理档案", ["办公室"]),
        (2, "2021年度考核总结", ["人事科"]),
        (3, "5G基站建设协调", ["信息科"]),
        (4, "12345热线整改", ["督查室"]),
    ]
    assert [i.deadline for i in plan.items][2:] == [date(2023, 3, 15), date(2023, 3, 20)]
    assert plan.warnings == ["没有一项写明责任领导"]


def test_a_first_item_starting_with_a_digit_opens_the_list_when_2_follows() -> None:
    text = HEAD + f"1.2022年度总结{FIELDS}\n2.3月份例会{FIELDS}\n"
    assert numbered(plan_of(text)) == [(1, "2022年度总结"), (2, "3月份例会")]


def test_a_date_inside_an_item_is_still_content() -> None:
    text = HEAD + f"1. 组织培训{FIELDS}\n3.15前报送名单\n2. 开展检查{FIELDS}\n"
    plan = plan_of(text)
    assert numbered(plan) == [(1, "组织培训"), (2, "开展检查")]
    assert plan.items[0].content == "3.15前报送名单"
    assert not any("包含了另一项" in warning for warning in plan.warnings)


# 3. Mixed numbering in one list -------------------------------------------------------------


def test_separators_and_styles_changing_within_one_list() -> None:
    markers = ["1.", "2、", "3．", "4 .", "5，", "六、", "（7）", "8 、", "⑨", "(十)"]
    text = HEAD + "".join(f"{m}任务{n}{FIELDS}\n" for n, m in enumerate(markers, 1))
    plan = plan_of(text)
    assert numbered(plan) == [(n, f"任务{n}") for n in range(1, 11)]
    assert plan.warnings == []


def test_sub_steps_in_another_style_still_belong_to_their_item() -> None:
    text = HEAD + f"1. 任务甲{FIELDS}\n（1）第一步\n（2）第二步\n2. 任务乙{FIELDS}\n"
    plan = plan_of(text)
    assert numbered(plan) == [(1, "任务甲"), (2, "任务乙")]
    assert plan.items[0].content == "（1）第一步\n（2）第二步"


# 4. Headings are not items ------------------------------------------------------------------


def test_an_intro_section_without_fields_does_not_turn_sub_headings_into_items() -> None:
    text = (
        HEAD
        + "一、总体目标\n1. 全年完成目标一。\n2. 全年完成目标二。\n"
        + f"二、重点任务\n（一）党建工作\n1. 加强理论学习{FIELDS}\n2. 开展主题党日{FIELDS}\n"
        + f"（二）业务工作\n3. 推进项目建设{FIELDS}\n"
        + f"三、保障措施\n（一）加强领导{FIELDS}\n"
    )
    plan = plan_of(text)
    assert [i.title for i in plan.items] == [
        "加强理论学习",
        "开展主题党日",
        "推进项目建设",
        "加强领导",
    ]
    assert plan.warnings == ["“一、总体目标”下没有写明责任或时限的事项，当作标题，没有导入"]


# 5. Paragraph items -------------------------------------------------------------------------


def test_paragraph_items_give_a_short_title_content_and_the_bracket_fields() -> None:
    text = (
        "关于2023年3月重点工作的实施意见\n"
        "1.加快推进产业园建设。围绕主导产业完善园区基础设施，3月底前完成道路硬化。"
        "（牵头单位：市发改委，配合单位：市财政局、市住建局）\n"
        "2.深化营商环境改革。推行“一网通办”。\n（责任单位：市政务服务局；完成时限：3月20日）\n"
        "3.强化安全生产监管，开展重点行业领域隐患排查整治，确保不发生较大以上生产安全事故，"
        "全面落实企业主体责任。"
        "（责任单位：市应急管理局；完成时限：3月31日）。\n"
    )
    plan = plan_of(text)
    assert plan.title == "关于2023年3月重点工作的实施意见"
    got = [(i.seq, i.title, i.departments, i.deadline, i.content) for i in plan.items]
    assert got == [
        (
            1,
            "加快推进产业园建设",
            ["市发改委"],
            None,
            "围绕主导产业完善园区基础设施，3月底前完成道路硬化。",
        ),
        (2, "深化营商环境改革", ["市政务服务局"], date(2023, 3, 20), "推行“一网通办”。"),
        (
            3,
            "强化安全生产监管",
            ["市应急管理局"],
            date(2023, 3, 31),
            "开展重点行业领域隐患排查整治，确保不发生较大以上生产安全事故，全面落实企业主体责任。",
        ),
    ]
    assert [i.partners for i in plan.items] == [["市财政局", "市住建局"], [], []]


# 6. Warnings that help ----------------------------------------------------------------------


def test_numbering_warnings_come_first_and_common_gaps_are_one_line() -> None:
    body = "".join(f"{n}. 任务{n}（责任单位：办公室；完成时限：3月底）\n" for n in range(1, 45))
    plan = plan_of(HEAD + body.replace("30. 任务30", "32. 任务30"))
    assert plan.warnings == [
        "编号不连续：第29项之后是第32项，缺第30项",
        "编号顺序颠倒：第32项之后是第31项",
        "第32项编号重复：“任务30”和“任务32”都编为32，后者按第45项导入",
        "没有一项写明责任领导",
    ]


def test_an_item_that_may_have_swallowed_the_next_is_named() -> None:
    text = HEAD + f"1. 任务甲{FIELDS}\n2. 任务乙\n4，任务丁\n{FIELDS}\n3. 任务丙{FIELDS}\n"
    plan = plan_of(text)
    assert numbered(plan) == [(1, "任务甲"), (2, "任务乙"), (3, "任务丙")]
    assert plan.warnings[0] == "第2项可能包含了另一项：其中一行“4，任务丁”像是新的一项"


def test_two_field_blocks_in_one_item_are_named() -> None:
    text = HEAD + "1. 任务甲\n责任单位：办公室\n任务乙\n责任单位：财务科\n完成时限：3月底\n"
    plan = plan_of(text)
    assert plan.warnings[0] == "第1项写了两处责任单位，可能包含了另一项"


def test_items_missing_a_field_are_named_in_one_line() -> None:
    text = HEAD + "".join(
        f"{n}. 任务{n}（责任单位：办公室{'；责任领导：王强' if n % 2 else ''}）\n"
        for n in range(1, 6)
    )
    plan = plan_of(text)
    assert plan.warnings == ["第2、4项没有责任领导", "没有一项写明完成时限"]


def test_a_closing_bracket_of_duties_names_the_departments() -> None:
    text = (
        "2023年3月优化营商环境工作要点\n"
        "1.实施行政许可事项清单管理。3月底前公布市、县两级清单。"
        "（市政府办公室、市审改办牵头，市级各有关部门按职责分工负责）\n"
        "2.深化相对集中行政许可权改革。公布划转目录。（市行政审批服务局牵头，市司法局配合）\n"
        "3.推进“证照分离”改革全覆盖（市市场监管局负责）。\n"
        "4.做好政务服务（2023年底前）。\n"
    )
    plan = plan_of(text)
    # 牵头 and 负责 lead; 配合 and 按职责分工负责 are partners.
    assert [(i.seq, i.title, i.departments, i.partners) for i in plan.items] == [
        (1, "实施行政许可事项清单管理", ["市政府办公室", "市审改办"], ["市级各有关部门"]),
        (2, "深化相对集中行政许可权改革", ["市行政审批服务局"], ["市司法局"]),
        (3, "推进“证照分离”改革全覆盖", ["市市场监管局"], []),
        # A bracket that names no duty is part of the title.
        (4, "做好政务服务（2023年底前）", [], []),
    ]
    assert plan.items[0].content == "3月底前公布市、县两级清单。"


def test_a_table_whose_numbers_restart_under_section_rows_is_numbered_in_order() -> None:
    text = (
        HEAD
        + "| 序号 | 工作任务 | 责任单位 | 完成时限 |\n|---|---|---|---|\n"
        + "| 一、党建工作 | | | |\n"
        + "| 1 | 任务甲 | 办公室 | 3月底 |\n| 2 | 任务乙 | 办公室 | 3月底 |\n"
        + "| 二、业务工作 | | | |\n| 1 | 任务丙 | 办公室 | 3月底 |\n"
    )
    plan = plan_of(text)
    assert numbered(plan) == [(1, "任务甲"), (2, "任务乙"), (3, "任务丙")]
    assert plan.warnings == ["没有一项写明责任领导"]


def test_a_date_on_its_own_line_where_the_next_number_is_due_stays_a_date() -> None:
    text = HEAD + "9. 完成年度报表\n10.15前完成\n" + FIELDS + "\n10. 开展检查" + FIELDS
    plan = plan_of(text)
    assert numbered(plan) == [(9, "完成年度报表"), (10, "开展检查")]
    assert plan.items[0].content == "10.15前完成"
