"""How a progress-collection ask looks when it is long: pure rendering, no bot."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.views.collection import render_round
from bot.views.render import MAX_MESSAGE, plain, visible_length
from jobs.collection import AskedItem, DepartmentAsk, RoundContent
from jobs.entries import MessageContent, PersonRef


def _ask(*departments: DepartmentAsk, locale: str = "zh_CN") -> MessageContent:
    round_ = RoundContent(
        "report", 1, datetime(2020, 10, 23, 8, tzinfo=UTC), date(2020, 10, 23), departments
    )
    return MessageContent(-100, locale, date(2020, 10, 23), (), collection=round_)


def _department(n: int, items: range, title: str = "做好工会信访维稳工作" * 8) -> DepartmentAsk:
    return DepartmentAsk(
        n,
        f"部室{n}",
        tuple(AskedItem(1000 * n + i, i, title, reported=i % 2 == 0) for i in items),
        (PersonRef("张三", 42, mention=True),),
    )


def test_a_long_ask_is_split_between_departments_and_inside_one_too_long_for_a_message():
    small = _department(1, range(1, 4))
    huge = _department(2, range(1, 121))
    parts = render_round(_ask(small, huge))
    assert len(parts) > 2
    for part in parts:
        assert visible_length(plain(part.text)) <= MAX_MESSAGE
        assert part.text.startswith("📝 <b>进展报送</b>") and "已报送 0/2 个部室" in part.text
        assert part.kind == "report" and not part.buttons
    shown = [i for part in parts for i in part.item_ids]
    expected = [i.item_id for d in (small, huge) for i in d.items]
    assert shown == expected, "every item once, in order"
    # The huge department's line heads each message its items go on in.
    assert all("部室2" in part.text for part in parts[1:])
    assert "部室1" in parts[0].text and "部室1" not in parts[1].text
    assert '<a href="tg://user?id=42">张三</a>' in parts[0].text


def test_an_english_chase_names_items_and_leaders():
    round_ = RoundContent(
        "report_chase",
        1,
        datetime(2020, 10, 23, 8, tzinfo=UTC),
        date(2020, 10, 23),
        (_department(3, range(6, 8)),),
        (PersonRef("郭红萍", 7, mention=True),),
    )
    content = MessageContent(-100, "en", date(2020, 10, 23), (), collection=round_)
    (part,) = render_round(content)
    text = plain(part.text)
    assert "have not yet reported the progress asked for on Fri 23/10;" in text
    assert "部室3 (张三): items 6–7" in text
    assert "郭红萍: the departments above have not reported yet." in text
    assert part.item_ids == (3006, 3007) and part.kind == "report_chase"
