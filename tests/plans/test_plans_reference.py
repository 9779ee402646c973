"""The reference document: Jingzhou union's September summary followed by its October plan."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from plans.parser import parse_plan
from plans.sample import sample_text, sample_text_for

FIXTURE = Path(__file__).parent.parent / "fixtures" / "jingzhou-2020-09-summary-10-plan.txt"
TITLES = [
    "扎实开展2020年“扶贫日”活动",
    "迎接全总困难职工解脱困第三方评估抽查和2019年帮扶资金、送温暖资金审计工作",
    "筹备好“助力荆楚共创未来”荆州—东莞就业专场活动",
    "筹备好工业制造业工会联合会换届工作",
    "做好工会信访维稳工作",
    "继续开展职工素质大讲堂活动",
    "做好省级文明单位的测评工作",
    "扎实推进基层工会组织建设质效提升行动",
    "举办荆州市职工创新创业大赛和机械制造行业职工技能对抗赛",
    "做好档案升级达标评审和工会统计年报工作",
]


def reference_text() -> str:
    return FIXTURE.read_text(encoding="utf-8")


def test_the_october_plan_has_ten_items_in_order() -> None:
    plan = parse_plan(reference_text())
    assert (plan.year, plan.month, plan.title) == (2020, 10, "荆州市总工会十月份工作计划")
    assert [item.seq for item in plan.items] == list(range(1, 11))
    assert [item.title for item in plan.items] == TITLES
    assert plan.warnings == []


def test_the_october_plan_fields() -> None:
    items = parse_plan(reference_text()).items
    assert items[0].leaders == ["高启秀"]
    assert items[0].departments == ["权益保障部"]
    assert items[3].departments == ["组织部", "工业制造业工会联合会"]
    assert items[5].leaders == ["郭红萍"]
    assert items[8].departments == ["经技部"]
    assert items[9].leaders == ["董军"]  # written "董 军"
    assert items[9].departments == ["办公室"]
    assert {(item.deadline, item.deadline_text) for item in items} == {
        (date(2020, 10, 31), "十月份")
    }
    assert not any(item.recurring or item.content for item in items)


def test_the_september_summary_alone_has_no_items() -> None:
    text = reference_text()
    summary = text[: text.index("荆州市总工会十月份工作计划")]
    plan = parse_plan(summary)
    assert plan.items == []
    assert plan.warnings == ["没有找到工作计划"]


def test_the_packaged_sample_is_the_reference_document() -> None:
    assert sample_text() == reference_text()
    assert len(parse_plan(sample_text()).items) == 10


@pytest.mark.parametrize(
    ("month", "word", "summary", "deadline"),
    [
        (11, "十一月份", "十月份", date(2026, 11, 30)),
        (12, "十二月份", "十一月份", date(2026, 12, 31)),
        (1, "一月份", "十二月份", date(2026, 1, 31)),
        (2, "二月份", "一月份", date(2026, 2, 28)),
        (10, "十月份", "九月份", date(2026, 10, 31)),
    ],
)
def test_the_sample_moved_to_another_month_is_that_months_plan(
    month: int, word: str, summary: str, deadline: date
) -> None:
    text = sample_text_for(month)
    plan = parse_plan(text, year=2026)
    assert (plan.year, plan.month, plan.title) == (2026, month, f"荆州市总工会{word}工作计划")
    assert [item.title for item in plan.items] == TITLES
    assert {(item.deadline, item.deadline_text) for item in plan.items} == {(deadline, word)}
    assert plan.warnings == []
    # The summary before it is of the month before, its dates moved along.
    assert f"荆州市总工会{summary}工作综述" in text
    assert text.count(f"{(month - 2) % 12 + 1}月24日") == 2  # the sample's "9月24日" twice


def test_the_sample_moved_to_october_is_the_sample() -> None:
    assert sample_text_for(10) == sample_text()


def test_a_title_wrapped_over_a_blank_line_is_joined() -> None:
    # The summary's section 二 is wrapped "…助" / blank / "学金发放仪式"; read as a plan,
    # the two lines make one title.
    text = reference_text()
    summary = text[: text.index("荆州市总工会十月份工作计划")]
    plan = parse_plan(summary.replace("九月份工作综述", "九月份工作计划"))
    assert plan.items[1].title == "圆满举行2020年“爱心成就梦想·金秋助学活动”助学金发放仪式"
    assert plan.items[1].content.startswith("9月8日，2020年")
