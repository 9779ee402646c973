"""What the storage tests build on: the instant they happen at and a small October plan."""

from __future__ import annotations

from datetime import UTC, date, datetime

from plans.model import ParsedItem, ParsedPlan

# The instant the item-change tests happen at (10:00 in Shanghai).
NOW = datetime(2024, 10, 20, 2, 0, tzinfo=UTC)


def october_plan_with(**overrides: object) -> ParsedPlan:
    """A small plan shaped like the sample document's."""
    items = [
        ParsedItem(
            seq=1,
            title="召开十月份主席办公会",
            leaders=["张三"],
            departments=["办公室"],
            deadline=date(2024, 10, 31),
            deadline_text="十月份",
        ),
        ParsedItem(
            seq=2,
            title="开展职工书屋建设",
            leaders=["李四", "张三"],
            departments=["宣教部"],
            partners=["办公室", "组织部"],
            deadline=date(2024, 10, 15),
            deadline_text="10月15日前",
            content="1. 摸底\n2. 验收",
        ),
        ParsedItem(
            seq=3,
            title="困难职工帮扶",
            leaders=["王五"],
            departments=["保障部"],
            deadline=None,
            deadline_text="全年",
        ),
    ]
    fields: dict[str, object] = {
        "year": 2024,
        "month": 10,
        "title": "2024年10月工作计划",
        "items": items,
    }
    fields.update(overrides)
    return ParsedPlan(**fields)
