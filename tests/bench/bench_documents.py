"""Benchmark reading uploads: a 50,000-paragraph .docx, a 2,000-row .xlsx and a long PDF.

Each document is generated (the plan layout of bench_parser, or a 任务分解表 for the sheet),
then read through the upload path, plans.document.document_text, best of N; then read once
more under tracemalloc for the peak Python memory. Parsing the text is bench_parser's job.

Run: .venv/bin/python tests/bench/bench_documents.py [--paragraphs 50000] [--rows 2000]
     [--pdf-lines 3000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable

from plans.document import document_text
from tests.bench.bench_parser import DEADLINES, DEPARTMENTS, LEADERS, THINGS, VERBS, generate_plan
from tests.support.documents import long_docx, pdf_bytes, xlsx_bytes


def plan_lines(count: int) -> list[str]:
    """`count` lines of bench_parser's generated plan, blank ones included (Word documents
    have empty paragraphs too), the plan repeated as often as needed."""
    lines = generate_plan(1000).split("\n")
    return (lines * (count // len(lines) + 1))[:count]


def task_sheet(rows: int) -> bytes:
    """A 任务分解表: a merged title row, a header, `rows` tasks, a leader merged over each five."""
    table: list[list[object]] = [
        ["荆州市总工会2020年10月重点工作任务分解表", *[""] * 7],
        ["序号", "工作任务", "具体措施", "责任领导", "责任部室", "配合单位", "完成时限", "备注"],
    ]
    merged = ["A1:H1"]
    for n in range(1, rows + 1):
        leader = LEADERS[n // 5 % len(LEADERS)] if n % 5 == 1 else ""
        table.append(
            [
                n,
                f"{VERBS[n % len(VERBS)]}{THINGS[n % len(THINGS)]}（第{n}项）",
                "制定方案，组织实施，及时总结报送。",
                leader,
                DEPARTMENTS[n % len(DEPARTMENTS)],
                DEPARTMENTS[(n + 3) % len(DEPARTMENTS)],
                DEADLINES[n % len(DEADLINES)],
                "",
            ]
        )
        if n % 5 == 1 and n + 4 <= rows:
            merged.append(f"D{n + 2}:D{n + 6}")
    return xlsx_bytes({"sheets": [{"name": "任务分解", "rows": table, "merged": merged}]})


def measure(
    name: str, filename: str, data: bytes, repeat: int, unit: str, count: int
) -> dict[str, float]:
    text = document_text(filename, data)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        document_text(filename, data)
        timings.append(time.perf_counter() - start)
    tracemalloc.start()
    document_text(filename, data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    best = min(timings)
    print(f"{name}: {count:,} {unit}, {len(data) / 1024:,.0f} KB file, {len(text):,} characters")
    median = sorted(timings)[repeat // 2]
    print(f"  best of {repeat}: {best * 1000:,.0f} ms   median: {median * 1000:,.0f} ms")
    print(f"  per {unit[:-1]}: {best / count * 1e6:,.1f} µs   peak memory: {peak / 2**20:,.1f} MB")
    return {"best ms": best * 1000, "median ms": median * 1000, "peak MiB": peak / 2**20}


def timed(label: str, build: Callable[[], bytes]) -> bytes:
    start = time.perf_counter()
    data = build()
    print(f"(built {label} in {time.perf_counter() - start:.1f} s)")
    return data


def measure_all(
    paragraphs: int = 50_000, rows: int = 2_000, pdf_lines: int = 3_000, repeat: int = 5
) -> dict[str, dict[str, float]]:
    """Each document's `best ms`, `median ms`, `peak MiB`, by its suffix."""
    lines = plan_lines(max(paragraphs, pdf_lines))
    # Every paragraph names a style, as Word writes them: the lookup that used to be slow.
    docx = timed("docx", lambda: long_docx(lines[:paragraphs], style="ListParagraph"))
    xlsx = timed("xlsx", lambda: task_sheet(rows))
    pdf = timed("pdf", lambda: pdf_bytes({"body": lines[:pdf_lines]}))
    return {
        ".docx": measure(".docx", "plan.docx", docx, repeat, "paragraphs", paragraphs),
        ".xlsx": measure(".xlsx", "plan.xlsx", xlsx, repeat, "rows", rows),
        ".pdf": measure(".pdf", "plan.pdf", pdf, repeat, "lines", pdf_lines),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--paragraphs", type=int, default=50_000)
    parser.add_argument("--rows", type=int, default=2_000)
    parser.add_argument("--pdf-lines", type=int, default=3_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    measure_all(args.paragraphs, args.rows, args.pdf_lines, args.repeat)


if __name__ == "__main__":
    main()
