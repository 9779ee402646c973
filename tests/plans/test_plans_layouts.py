"""Plans written in other layouts, as the office or its members might send them."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx
import pytest

from plans.decode import decode_text
from plans.docx_text import docx_to_text
from plans.model import ParsedPlan
from plans.parser import parse_plan

FIXTURES = Path(__file__).parent.parent / "fixtures"


def parse_fixture(name: str, **kwargs: int) -> ParsedPlan:
    return parse_plan(decode_text((FIXTURES / name).read_bytes()), **kwargs)


def test_inline_bracket_fields_with_mixed_deadlines() -> None:
    plan = parse_fixture("plan-inline-brackets.txt")
    assert (plan.year, plan.month) == (2020, 11)
    got = [(i.title, i.leaders, i.departments, i.deadline) for i in plan.items]
    assert got == [
        ("做好档案升级达标评审工作", ["董军"], ["办公室"], date(2020, 11, 30)),
        ("开展职工素质大讲堂活动", ["郭红萍"], ["宣教网络部"], date(2020, 11, 15)),
        # 牵头单位：组织部；配合部门：工业制造业工会联合会 — the partner is only informed.
        ("筹备工业制造业工会联合会换届", ["高启秀"], ["组织部"], date(2020, 11, 20)),
        ("推进困难职工帮扶", ["高启秀", "张征军"], ["权益保障和法律工作部"], date(2020, 11, 20)),
        ("做好工会统计年报工作", ["董军"], ["办公室"], date(2020, 12, 10)),
        ("开展安全生产月活动", ["张征军"], ["经技部"], None),
        ("召开季度工作会议", ["官庆军"], ["办公室", "组织部"], date(2020, 11, 25)),
        ("迎接省级文明单位测评", ["郭红萍"], ["区委宣传部（区文明办）"], None),
        ("谋划明年工作要点", ["官庆军"], ["办公室"], date(2020, 12, 31)),
    ]
    assert [i.recurring for i in plan.items] == [False] * 5 + [True] + [False] * 3
    assert plan.items[7].deadline_text == "尽快"
    assert plan.warnings == ["第8项的完成时限“尽快”无法识别"]


def test_markdown_table_in_a_december_plan() -> None:
    plan = parse_fixture("plan-markdown-table.md")
    assert (plan.year, plan.month, plan.title) == (2020, 12, "2020年12月重点工作安排")
    assert [i.title for i in plan.items] == [
        "召开全委会",
        "做好元旦春节送温暖",
        "年度考核",
        "推进劳模创新工作室建设",
        "职工书屋建设",
    ]
    # The 配合单位 column: partners, after the 责任部室 column's lead.
    assert plan.items[0].departments == ["办公室"]
    assert plan.items[0].partners == ["组织部", "宣教网络部"]
    assert plan.items[1].partners == []
    assert [i.deadline for i in plan.items] == [
        date(2020, 12, 31),
        date(2021, 1, 31),  # "1月底" in a December plan
        date(2020, 12, 31),
        date(2020, 12, 31),
        None,
    ]
    assert plan.items[4].recurring
    assert plan.warnings == []


def test_tab_separated_table_takes_the_year_from_the_document() -> None:
    plan = parse_fixture("plan-tab-separated.txt")
    assert (plan.year, plan.month, plan.title) == (2020, 10, "十月份工作任务分解表")
    assert [(i.seq, i.title, i.leaders, i.departments, i.deadline) for i in plan.items] == [
        (1, "举办职工创新创业大赛", ["张征军"], ["经技部"], date(2020, 11, 30)),
        (2, "职工网络宣讲比赛", ["郭红萍"], ["宣教网络部"], date(2020, 11, 10)),
        (3, "工会信访维稳", ["高启秀"], ["权益保障部"], date(2020, 10, 31)),
        (4, "报送统计年报", ["董军"], ["办公室"], date(2020, 10, 10)),
        (5, "走访慰问劳模", ["高启秀"], ["权益保障部"], date(2020, 10, 10)),
    ]


def test_section_headings_with_sub_steps_and_partners() -> None:
    plan = parse_fixture("plan-sections.txt")
    assert (plan.year, plan.month) == (2021, 1)
    assert [i.seq for i in plan.items] == [1, 2, 3, 4]
    first, second, third, fourth = plan.items
    assert first.title == "开展党史学习教育动员部署"
    # 分管领导 on the section heading covers the items that name no leader of their own.
    assert first.leaders == ["官庆军"]
    assert first.departments == ["组织部"]
    assert first.partners == ["办公室", "宣教网络部"]
    # The sub-steps' dates (1月10日, 1月20日) are content, not the deadline.
    assert (first.deadline, first.deadline_text) == (date(2021, 1, 31), "1月底")
    assert first.content == "（1）1月10日前制定实施方案；\n（2）1月20日前召开动员大会。"
    # A title wrapped onto the next line (across a blank line) is joined.
    assert second.title == (
        "落实全面从严治党主体责任，组织召开年度党风廉政建设工作会议并签订目标责任书"
    )
    assert (second.leaders, second.deadline) == (["董军"], date(2021, 1, 31))
    # Fields written after the sub-steps still belong to the item.
    assert third.title == "做好元旦春节期间困难职工送温暖活动"
    assert third.leaders == ["高启秀"]
    assert (third.departments, third.partners) == (["权益保障部"], ["各产业工会"])
    assert third.deadline is None
    assert "（2）1月15日前发放慰问金。" in third.content
    assert "责任领导" not in third.content
    assert fourth.recurring
    assert plan.warnings == ["第3项的完成时限“春节前”无法识别"]


def test_gbk_encoded_file() -> None:
    data = (FIXTURES / "plan-gbk.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the fixture really is GBK
    plan = parse_plan(decode_text(data))
    assert (plan.year, plan.month, plan.title) == (2020, 12, "二〇二〇年十二月工作计划")
    assert [(i.title, i.leaders, i.departments, i.deadline) for i in plan.items] == [
        ("做好年终总结和明年工作谋划", ["官庆军"], ["办公室"], date(2021, 1, 31)),
        ("开展元旦春节送温暖活动", ["高启秀"], ["权益保障部"], date(2020, 12, 25)),
        ("完成工会经费审计整改", ["董军"], ["财务部"], date(2020, 12, 20)),
    ]


def test_chat_message_without_heading_uses_the_given_month() -> None:
    plan = parse_fixture("plan-chat-paste.txt", year=2020, month=10)
    assert (plan.year, plan.month, plan.title) == (2020, 10, "")
    assert [(i.title, i.leaders, i.departments, i.deadline) for i in plan.items] == [
        ("修订工会经费管理办法", ["董军"], ["财务部"], date(2020, 10, 31)),
        ("组织职工运动会", ["郭红萍", "张征军"], ["宣教网络部", "基层工作部"], date(2020, 11, 30)),
        ("慰问一线职工", ["高启秀"], [], None),
    ]
    assert plan.warnings == ["第3项没有责任部室", "第3项没有完成时限"]


def test_chat_message_without_any_month_says_so() -> None:
    plan = parse_fixture("plan-chat-paste.txt")
    assert plan.month is None
    assert plan.items[0].deadline is None
    assert "没有找到计划月份" in plan.warnings
    assert "第1项的完成时限“月底”缺少计划的年份或月份" in plan.warnings


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("荆州市总工会")
    document.add_paragraph("2020年11月工作计划")
    document.add_paragraph("以下为本月重点工作。")
    table = document.add_table(rows=4, cols=5)
    rows = [
        ["序号", "工作任务", "责任领导", "责任部室", "完成时限"],
        ["一、党建工作", "一、党建工作", "一、党建工作", "一、党建工作", "一、党建工作"],
        ["1", "做好档案工作", "董 军", "办公室", "11月底"],
        ["2", "开展职工培训", "高启秀", "组织部", "11月15日前"],
    ]
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    # A second department typed as a new paragraph inside the cell.
    table.rows[3].cells[3].add_paragraph("工业制造业工会联合会")
    document.add_paragraph("落实工会经费审计整改", style="List Number")
    document.add_paragraph("责任领导：张征军")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_with_a_table_and_word_numbering(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(_docx_bytes())
    plan = parse_plan(docx_to_text(path.read_bytes()))
    assert (plan.year, plan.month, plan.title) == (2020, 11, "2020年11月工作计划")
    assert [(i.title, i.leaders, i.departments, i.deadline) for i in plan.items] == [
        ("做好档案工作", ["董军"], ["办公室"], date(2020, 11, 30)),
        ("开展职工培训", ["高启秀"], ["组织部", "工业制造业工会联合会"], date(2020, 11, 15)),
        # Word's automatic "1." is not in the paragraph text; docx_text puts it back.
        ("落实工会经费审计整改", ["张征军"], [], None),
    ]
