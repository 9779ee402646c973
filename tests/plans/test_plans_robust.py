"""Whatever people paste, parse_plan answers with a plan (possibly empty) and never raises."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plans.deadline import read_deadline
from plans.months import parse_month
from plans.parser import parse_plan

# Pieces of real plans, so that generated text reaches the parser's deeper paths.
PIECES = [
    "十月份工作计划",
    "工作综述",
    "一、",
    "十一、",
    "（一）",
    "(1)",
    "1.",
    "1、",
    "①",
    "- ",
    "责任领导：",
    "责任部室：",
    "配合单位：",
    "完成时限：",
    "时限:",
    "董 军",
    "区委宣传部（区文明办）",
    "、",
    "；",
    "（",
    "）",
    "10月",
    "十月份",
    "15日前",
    "中旬",
    "2020年",
    "第四季度",
    "-",
    "长期",
    "|",
    "\t",
    "\n",
    "\n\n",
    " ",
    "\u3000",
    "。",
    "序号",
    "工作任务",
    "|---|",
    "9999年12月31日",
    "0000-00-00",
    "2月30日",
]
plan_like = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=60).map(
    "".join
)
years = st.one_of(st.none(), st.integers(min_value=1, max_value=9999))
months = st.one_of(st.none(), st.integers(min_value=1, max_value=12))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(), plan_like), year=years, month=months)
def test_parse_plan_never_raises(text: str, year: int | None, month: int | None) -> None:
    plan = parse_plan(text, year=year, month=month)
    # Numbers as written (issue 11): unique within the plan and positive, not a running count.
    seqs = [item.seq for item in plan.items]
    assert len(set(seqs)) == len(seqs) and all(seq >= 1 for seq in seqs)
    assert all(isinstance(w, str) and w for w in plan.warnings)


@settings(max_examples=300)
@given(text=st.one_of(st.text(max_size=30), plan_like), year=years, month=months)
def test_deadline_grammar_never_raises(text: str, year: int | None, month: int | None) -> None:
    deadline = read_deadline(text, year=year, month=month)
    assert deadline.date is None or deadline.kind == "date"


@given(text=st.text(max_size=20))
def test_month_argument_never_raises(text: str) -> None:
    result = parse_month(text)
    assert result is None or 1 <= result[1] <= 12


def test_texts_without_a_plan_give_no_items() -> None:
    for text in [
        "",
        "   \n\n",
        "大家好，明天下午开会。",
        "一、今天\n二、明天",
        "| a | b |\n|---|---|",
    ]:
        assert parse_plan(text).items == []
