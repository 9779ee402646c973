"""The plan corpus: documents in the layouts offices write, each with the parse it must give.

Every `tests/fixtures/plans/NAME.expected.json` names a case; its document is the other file
called `NAME.*` beside it. Text documents (.txt .md .html …) are read as bytes through the same
path an upload takes (plans.document.document_text). A document kept as a recipe
(`NAME.xlsx.json`, `NAME.docx.json`, `NAME.pdf.json` …) is built into the real file first by
tests.support.documents.build, so the repository holds no binary blobs.

The expected JSON:
    {"parse": {"year": 2023},            # optional: what the CLI's --year/--month would say
     "year": 2020, "month": 10,           # the plan's period as read
     "quarter": 1 | "whole_year": true,   # optional: a quarter's or the year's plan (month null)
     "title": "...",                      # optional
     "items": [{"seq": 3, "title": "...", "leaders": [...], "departments": [...],
                "partners": [...] (the 配合 departments; required when there are any),
                "deadline": "2020-10-31" | null, "content": "..." (optional)}],
     "warnings": ["..."],                 # optional: each must appear (as a substring) in one
     "no_warnings": true}                 # optional: the parse gives no warning at all
Every item is compared field by field, in order; a missing or extra item fails.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from plans.document import document_text
from plans.model import ParsedItem, ParsedPlan
from plans.parser import parse_plan

CORPUS = Path(__file__).parent.parent / "fixtures" / "plans"
_EXPECTED = ".expected.json"


def _cases() -> list[Path]:
    return sorted(CORPUS.glob(f"*{_EXPECTED}"))


def _document(expected: Path) -> tuple[str, bytes]:
    name = expected.name.removesuffix(_EXPECTED)
    sources = [p for p in CORPUS.glob(f"{name}.*") if p.name != expected.name]
    assert len(sources) == 1, f"{name}: expected one document beside it, found {sources}"
    source = sources[0]
    recipe = source.name.removeprefix(name + ".")
    if recipe.count(".") == 1 and recipe.endswith(".json"):
        from tests.support.documents import build

        return build(source)
    return source.name, source.read_bytes()


def parse_case(expected_path: Path) -> tuple[ParsedPlan, dict[str, Any]]:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    filename, data = _document(expected_path)
    text = document_text(filename, data)
    return parse_plan(text, **expected.get("parse", {})), expected


def _item_json(item: ParsedItem, keys: set[str]) -> dict[str, Any]:
    got: dict[str, Any] = {
        "seq": item.seq,
        "title": item.title,
        "leaders": item.leaders,
        "departments": item.departments,
        "deadline": item.deadline.isoformat() if item.deadline else None,
    }
    if "content" in keys:
        got["content"] = item.content
    # Listed where the document names 配合 departments (or the case says there are none).
    if "partners" in keys or item.partners:
        got["partners"] = item.partners
    return got


@pytest.mark.parametrize("expected_path", _cases(), ids=lambda p: p.name.removesuffix(_EXPECTED))
def test_corpus_document(expected_path: Path) -> None:
    plan, expected = parse_case(expected_path)
    assert (plan.year, plan.month) == (expected["year"], expected["month"])
    assert plan.quarter == expected.get("quarter")
    assert plan.whole_year == expected.get("whole_year", False)
    if "title" in expected:
        assert plan.title == expected["title"]
    want = expected["items"]
    got = [_item_json(item, set(w)) for item, w in zip(plan.items, want, strict=False)]
    for n, (g, w) in enumerate(zip(got, want, strict=False)):
        assert g == w, f"item {n + 1} of {expected_path.name}"
    assert len(plan.items) == len(want), [i.title for i in plan.items]
    for warning in expected.get("warnings", []):
        assert any(warning in w for w in plan.warnings), (warning, plan.warnings)
    if expected.get("no_warnings"):
        assert plan.warnings == []


def test_corpus_is_large_enough() -> None:
    # The issue asks for at least 25 documents in different layouts.
    assert len(_cases()) >= 25
