"""Benchmark parse_plan on a generated 1,000-item plan in the reference document's layout.

Run: .venv/bin/python tests/bench/bench_parser.py [--items N] [--repeat N]
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc

from plans.numerals import int_to_cn
from plans.parser import parse_plan
from plans.sample import sample_text

LEADERS = ["高启秀", "郭红萍", "张征军", "董 军", "官庆军"]
DEPARTMENTS = [
    "权益保障部",
    "宣教网络部",
    "基层工作部",
    "经技部",
    "办公室",
    "组织部",
    "区委宣传部（区文明办）",
]
DEADLINES = [
    "十月份",
    "10月底",
    "10月15日前",
    "中旬",
    "11月上旬",
    "10月-11月",
    "长期",
    "年底",
    "2020-10-20",
]
VERBS = ["扎实开展", "筹备好", "做好", "继续推进", "举办", "迎接"]
THINGS = [
    "职工素质大讲堂活动",
    "工会信访维稳工作",
    "档案升级达标评审",
    "“扶贫日”活动",
    "技能对抗赛",
]


def generate_plan(items: int, seed: int = 2020) -> str:
    """The sample's September summary, then a plan with `items` items in sections of 50.

    Sections are headed 一、二、… (Chinese numerals stop at 九十九), items numbered 1. 2. …
    through the document, each with the sample's blank-line-separated field lines; every
    seventh item has sub-steps, every fifth writes its fields inline in brackets.
    """
    rng = random.Random(seed)
    summary = sample_text().split("荆州市总工会十月份工作计划")[0]
    lines = [summary, "荆州市总工会十月份工作计划", ""]
    for n in range(1, items + 1):
        if n % 50 == 1:
            lines += [f"{int_to_cn(n // 50 + 1)}、第{n // 50 + 1}部分工作", ""]
        title = f"{rng.choice(VERBS)} 2020 年{rng.choice(THINGS)}（第{n}项）"
        leaders = "、".join(rng.sample(LEADERS, rng.randint(1, 2)))
        departments = "、".join(rng.sample(DEPARTMENTS, rng.randint(1, 3)))
        deadline = rng.choice(DEADLINES)
        if n % 5 == 0:
            fields = f"责任领导：{leaders}；责任部室：{departments}；完成时限：{deadline}"
            lines += [f"{n}. {title}（{fields}）", ""]
            continue
        lines += [f"{n}. {title}", ""]
        if n % 7 == 0:
            lines += ["（1）10月10日前制定方案；", "", "（2）10月20日前组织实施。", ""]
        lines += [
            f"责任领导：{leaders}",
            "",
            f"责任部室：{departments}",
            "",
            f"完成时限：{deadline}",
            "",
        ]
    return "\n".join(lines)


def measure(items: int = 1000, repeat: int = 7) -> dict[str, float]:
    """`best ms`, `median ms`, `per item µs`, `peak MiB` (traced) of parse_plan."""
    text = generate_plan(items)
    plan = parse_plan(text)
    assert len(plan.items) == items, (len(plan.items), plan.warnings[:5])

    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        parse_plan(text)
        timings.append(time.perf_counter() - start)

    tracemalloc.start()
    parse_plan(text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"input: {items} items, {len(text):,} characters, {text.count(chr(10)):,} lines")
    print(f"parse_plan best of {repeat}: {min(timings) * 1000:.1f} ms")
    print(f"parse_plan median:     {sorted(timings)[len(timings) // 2] * 1000:.1f} ms")
    print(f"per item:              {min(timings) / items * 1e6:.0f} µs")
    print(f"peak traced memory:    {peak / 1024 / 1024:.2f} MB")
    return {
        "best ms": min(timings) * 1000,
        "median ms": sorted(timings)[len(timings) // 2] * 1000,
        "per item µs": min(timings) / items * 1e6,
        "peak MiB": peak / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    measure(args.items, args.repeat)


if __name__ == "__main__":
    main()
