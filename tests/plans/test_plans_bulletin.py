"""The monthly 通报's counting and text (plans.bulletin): on time, late, overdue, per lead
department, the ranking and its ties, items without lead departments; in both languages."""

from __future__ import annotations

from datetime import date

from bot.views.bulletin import bulletin_phrases
from plans.bulletin import BulletinRow, compose_bulletin, count_bulletin, late, overdue

ZH = bulletin_phrases("zh_CN")
EN = bulletin_phrases("en")
OCT_18, OCT_20, OCT_22, OCT_31 = (date(2020, 10, d) for d in (18, 20, 22, 31))
OCT_25 = date(2020, 10, 25)
TODAY = date(2020, 10, 30)


def row(item_id, deadline, *, done_on=None, department=None, part_done_on=None, seq=None):
    """An item (done when `done_on` is given) or one of its lead parts (done when
    `part_done_on` is given)."""
    return BulletinRow(
        item_id=item_id,
        seq=seq or item_id,
        deadline=deadline,
        item_done=done_on is not None,
        item_done_on=done_on,
        department=department,
        part_done=part_done_on is not None,
        part_done_on=part_done_on,
    )


def figures(group):
    return (group.total, group.on_time, late(group), group.total - group.done, overdue(group))


def test_a_part_done_by_the_deadline_is_on_time_after_it_late_and_open_past_it_overdue():
    rows = [
        # Item 1: both parts on time.
        row(1, OCT_20, done_on=OCT_18, department="组织部", part_done_on=OCT_20),
        row(
            1,
            OCT_20,
            done_on=OCT_18,
            department="办公室",
            part_done_on=OCT_18,
        ),
        # Item 2: 组织部 done late; 办公室 still open past the deadline.
        row(2, OCT_20, department="组织部", part_done_on=OCT_22),
        row(2, OCT_20, department="办公室"),
        # Item 3: open, its deadline (the month's end) not yet reached.
        row(3, OCT_31, department="办公室"),
    ]
    bulletin = count_bulletin(rows, year=2020, month=10, today=TODAY)
    assert figures(bulletin.overall) == (3, 1, 0, 2, 1)
    by_name = {g.name: g for g in bulletin.departments}
    assert figures(by_name["组织部"]) == (2, 1, 1, 0, 0)
    assert figures(by_name["办公室"]) == (3, 1, 0, 2, 1)
    assert bulletin.overdue_departments == ("办公室",)


def test_an_item_done_when_its_last_part_was_counts_late_if_that_was_after_the_deadline():
    rows = [
        row(1, OCT_20, done_on=OCT_25, department="组织部", part_done_on=OCT_20),
        row(
            1,
            OCT_20,
            done_on=OCT_25,
            department="工会",
            part_done_on=OCT_25,
        ),
    ]
    bulletin = count_bulletin(rows, year=2020, month=10, today=TODAY)
    assert figures(bulletin.overall) == (1, 0, 1, 0, 0)
    assert [(g.name, g.on_time) for g in bulletin.departments] == [("组织部", 1), ("工会", 0)]


def test_an_item_without_lead_departments_counts_under_its_own_state_and_for_no_department():
    rows = [
        row(1, OCT_20, done_on=date(2020, 10, 21)),
        row(2, date(2020, 10, 1)),
        row(3, None, done_on=date(2020, 10, 2)),
    ]
    bulletin = count_bulletin(rows, year=2020, month=10, today=TODAY)
    assert figures(bulletin.overall) == (3, 1, 1, 1, 1)
    assert bulletin.departments == ()
    assert bulletin.overdue_departments == ()


def test_an_item_closed_as_a_whole_counts_its_open_parts_done_on_its_day():
    # A /done of the whole item by its leader (or a plan of the release before the parts).
    rows = [row(1, OCT_20, done_on=date(2020, 10, 19), department="组织部")]
    bulletin = count_bulletin(rows, year=2020, month=10, today=TODAY)
    assert figures(bulletin.overall) == (1, 1, 0, 0, 0)
    assert figures(bulletin.departments[0]) == (1, 1, 0, 0, 0)


def test_departments_rank_by_on_time_rate_then_more_items_then_name():
    rows = [
        # 乙 and 甲: 1 of 1 on time (100%); 丙: 2 of 2 (100%, more items: first).
        row(1, OCT_20, department="乙", part_done_on=OCT_20),
        row(2, OCT_20, department="甲", part_done_on=OCT_20),
        row(3, OCT_20, department="丙", part_done_on=OCT_20),
        row(4, OCT_20, department="丙", part_done_on=OCT_20),
        # 丁: 1 of 2 (50%).
        row(5, OCT_20, department="丁", part_done_on=OCT_20),
        row(6, OCT_20, department="丁"),
        # 戊: nothing due yet (no rate): after every department with a rate.
        row(7, OCT_31, department="戊"),
    ]
    bulletin = count_bulletin(rows, year=2020, month=10, today=TODAY)
    assert [g.name for g in bulletin.departments] == ["丙", "乙", "甲", "丁", "戊"]


def test_the_bulletin_in_chinese_reads_like_the_offices():
    rows = [
        row(1, OCT_20, done_on=OCT_20, department="组织部", part_done_on=OCT_20),
        row(2, OCT_20, department="办公室", part_done_on=OCT_22),
        row(2, OCT_20, department="组织部"),
        row(3, OCT_31, department="办公室"),
        row(4, date(2020, 10, 9)),
    ]
    text = compose_bulletin(count_bulletin(rows, year=2020, month=10, today=TODAY), ZH)
    assert text.title == "关于2020年10月重点工作完成情况的通报"
    assert text.blocks == (
        (
            "paragraph",
            "2020年10月共安排重点工作4项。截至10月30日，按时完成1项，逾期完成0项，"
            "未完成3项（其中已逾期2项）。",
        ),
        ("heading", "各责任部室完成情况（按按时完成率排序）："),
        (
            "entry",
            "1. 组织部：牵头2项，按时完成1项，逾期完成0项，未完成1项（其中已逾期1项），"
            "按时完成率50%。",
        ),
        (
            "entry",
            "2. 办公室：牵头2项，按时完成0项，逾期完成1项，未完成1项（其中已逾期0项），"
            "按时完成率0%。",
        ),
        ("paragraph", "以下部门存在逾期事项：组织部。请相关部门说明原因，抓紧办理。"),
        ("paragraph", "请各部门对照计划，抓紧推进未完成事项，确保按时办结。"),
    )


def test_the_bulletin_in_english_has_the_same_structure():
    rows = [
        row(1, OCT_20, done_on=OCT_20, department="Office", part_done_on=OCT_20),
        row(2, OCT_31, department="Office"),
    ]
    text = compose_bulletin(count_bulletin(rows, year=2020, month=10, today=TODAY), EN)
    assert text.title == "Bulletin on the key work of October 2020"
    assert [kind for kind, _ in text.blocks] == [
        "paragraph",
        "heading",
        "entry",
        "paragraph",
        "paragraph",
    ]
    assert text.blocks[0][1] == (
        "October 2020: 2 items planned. As of 30 October: 1 done on time, 0 done late, "
        "1 not done (0 of them overdue)."
    )
    assert text.blocks[2][1] == (
        "1. Office: leads 2, 1 on time, 0 late, 1 not done (0 overdue); on-time rate 100%."
    )
    assert text.blocks[3][1] == "No item of the month is open past its deadline."


def test_no_departments_and_no_items_each_say_so_in_one_sentence():
    alone = compose_bulletin(count_bulletin([row(1, OCT_31)], year=2020, month=10, today=TODAY), ZH)
    assert ("paragraph", "本月事项均未列明责任部室。") in alone.blocks
    empty = compose_bulletin(count_bulletin([], year=2020, month=10, today=TODAY), EN)
    assert empty.blocks == (
        ("paragraph", "The plan for October 2020 has no items: there is nothing to report."),
    )
