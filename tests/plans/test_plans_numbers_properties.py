"""Generated plans: whatever numbering styles, separators and spaces, the numbers written come back.

A plan is a list of items numbered upwards with gaps; each item's marker is drawn from every
style offices type (一、 （一） 1. 1、 1． (1) ①, separators with or without a space before them)
and its title may start with digits (2021年度…, 5G…, 12345热线…). The style may change only where
the numbers run on (4 after 3): across a gap a change of style is a new sub-list, as a reader
would take it too.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plans.numerals import int_to_cn
from plans.parser import parse_plan

TITLES = [
    "整理档案资料",
    "2021年度考核总结",
    "5G基站建设协调",
    "12345热线整改",
    "3月份例会筹备",
    "开展安全生产大检查",
    "推进“一网通办”改革",
    "召开党组（扩大）会议",
    "10个重点项目开工",
    "做好防汛物资储备",
    "三项制度改革",
    # Would read as a summary or plan heading if the number in front were not seen.
    "2021年度工作总结",
    "2024年工作计划编制",
]
SPACES = ["", " ", "\u3000"]
FIELD_FORMS = [
    "（责任领导：王强；责任单位：办公室；完成时限：3月底）",
    "\n责任领导：王强\n责任部室：办公室\n完成时限：3月20日",
    " 责任人：王强 责任单位：办公室 完成时限：3月15日前",
]


@dataclass(frozen=True)
class Style:
    name: str
    max_value: int

    def write(self, value: int, sep: str, space: str) -> str:
        match self.name:
            case "chinese":
                return f"{int_to_cn(value)}{space}{sep}"
            case "chinese_paren":
                return f"（{int_to_cn(value)}）" if sep == "、" else f"({int_to_cn(value)})"
            case "arabic":
                return f"{value}{space}{sep}"
            case "arabic_paren":
                return f"（{value}）" if sep == "、" else f"({space}{value}{space})"
            case _:
                return chr(0x2460 + value - 1)


STYLES = [
    Style("chinese", 99),
    Style("chinese_paren", 99),
    Style("arabic", 999),
    Style("arabic_paren", 999),
    Style("circled", 20),
]
SEPARATORS = {"chinese": ["、", "．", ".", "，"], "arabic": ["、", "．", ".", "，"]}


@st.composite
def plans(draw: st.DrawFn) -> tuple[str, list[tuple[int, str]]]:
    count = draw(st.integers(min_value=1, max_value=12))
    steps = draw(st.lists(st.sampled_from([1, 1, 1, 2, 3]), min_size=count, max_size=count))
    start = draw(st.integers(min_value=1, max_value=4))
    numbers = [start + sum(steps[1 : n + 1]) for n in range(count)]
    styles = [s for s in STYLES if s.max_value >= numbers[-1]]
    lines = ["2023年3月工作计划"]
    expected = []
    style: Style | None = None
    arabic_seen = False
    previous = 0
    for number in numbers:
        runs_on = number == previous + 1
        if style is None or runs_on:
            style = draw(st.sampled_from(styles))  # a new style only where the numbers run on
        title = draw(st.sampled_from(TITLES))
        space, gap = draw(st.sampled_from(SPACES)), draw(st.sampled_from(SPACES))
        sep = draw(st.sampled_from(SEPARATORS.get(style.name, ["、", "."])))
        if style.name == "arabic":
            # "2.2021年度" and "5，…" are items only where the list expects them: the number
            # after the previous one, in a list already written in this style.
            tentative = sep == "，" or (sep == "." and not gap and title[0].isdecimal())
            if tentative and not (runs_on and arabic_seen):
                sep = "、"
        marker = style.write(number, sep, space)
        lines.append(f"{marker}{gap}{title}{draw(st.sampled_from(FIELD_FORMS))}")
        expected.append((number, title))
        arabic_seen = arabic_seen or style.name == "arabic"
        previous = number
    return "\n".join(lines), expected


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(case=plans())
def test_generated_plans_round_trip_their_numbers_and_titles(
    case: tuple[str, list[tuple[int, str]]],
) -> None:
    text, expected = case
    plan = parse_plan(text)
    assert [(item.seq, item.title) for item in plan.items] == expected, text
    assert all(item.departments == ["办公室"] for item in plan.items)


PIECES = [
    "2023年3月工作计划",
    "1.",
    "2.2021年度",
    "3.5G",
    "4 .",
    "5，",
    "五、",
    "（6）",
    "⑦",
    "十二、",
    "（一）",
    "一、总体目标",
    "保障措施",
    "（牵头单位：",
    "配合单位：",
    "责任单位：",
    "完成时限：",
    "3月底",
    "。",
    "）",
    "\n",
    " ",
    "| 序号 | 工作任务 | 责任单位 |\n|---|---|---|\n",
    "| （三） | 任务 | 办公室 |\n",
    "| 12. | 任务 | 办公室 |\n",
]
pieced = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=50).map("".join)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(), pieced))
def test_any_text_parses_with_unique_numbers(text: str) -> None:
    plan = parse_plan(text, year=2023, month=3)
    seqs = [item.seq for item in plan.items]
    assert len(set(seqs)) == len(seqs)
    assert all(seq >= 1 for seq in seqs)
    assert all(isinstance(w, str) and w for w in plan.warnings)
