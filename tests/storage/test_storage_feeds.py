"""Calendar feeds' reads and the feed builder (issue 17), on SQLite and PostgreSQL: which items
each scope shows, the feed parsed back with `icalendar`, a deadline change round-tripped
(same UID, SEQUENCE up), and the version a 304 compares moving with every change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bot.exports.ics import calendar_ics
from plans.model import ParsedItem
from storage.access_tokens import link_token, reset_token, server_secret
from storage.chats import get_or_create_chat
from storage.departments import add_member, get_or_create_department
from storage.feeds import FeedScope, ScopeKind, feed_entries, feed_version, polled_feed_version
from storage.item_changes import Author, EditField, add_note, edit_item
from storage.models import AccessKind, Plan
from storage.parts import mark_part_done
from storage.people import bind_person
from storage.plans import save_parsed_plan
from tests.support.storage import NOW, october_plan_with

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2024, 10, 20)
CLERK = Author(tg_user_id=None, name="张三")


async def _two_groups(db_session, chat):
    """`chat` has the October plan (items 1–3); a second group has 2 items. 小王 (22) is in
    `chat`'s 办公室 (lead of item 1, partner of item 2) and leads item 2 of the second group;
    张三 leads items 1 and 2 of `chat` and is bound to nobody."""
    first = await save_parsed_plan(db_session, chat.id, october_plan_with(), "x")
    other = await get_or_create_chat(db_session, -100999, title="宣教部群", type="supergroup")
    second = await save_parsed_plan(
        db_session,
        other.id,
        october_plan_with(
            items=[
                ParsedItem(
                    seq=1,
                    title="另一群的事",
                    leaders=["赵六"],
                    departments=["宣教部"],
                    deadline=date(2024, 10, 25),
                ),
                ParsedItem(
                    seq=2,
                    title="小王在另一群牵头",
                    leaders=["小王"],
                    departments=["宣教部"],
                    deadline=date(2024, 10, 28),
                ),
            ]
        ),
        "x",
    )
    person = await bind_person(db_session, chat.id, "小王", 22)
    office = await get_or_create_department(db_session, chat.id, "办公室")
    await add_member(db_session, office.id, person.id)
    await bind_person(db_session, other.id, "小王", 22)
    await db_session.commit()
    return first.added, second.added, other, office


def _titles(entries) -> list[str]:
    return [e.item.title for e in entries]


async def test_each_scope_shows_its_items_with_a_deadline(db_session, chat):
    (one, two, _), (_, theirs), other, office = await _two_groups(db_session, chat)

    group = await feed_entries(db_session, FeedScope(ScopeKind.GROUP, chat.id), SHANGHAI)
    # Item 3 has no deadline (全年); nearest deadline first.
    assert _titles(group) == ["开展职工书屋建设", "召开十月份主席办公会"]
    assert {e.tg_chat_id for e in group} == {chat.tg_chat_id}

    # 小王: item 1 through 办公室 (a lead), not item 2 (办公室 only a partner there), and the
    # item they lead in the other group.
    person = await feed_entries(db_session, FeedScope(ScopeKind.PERSON, 22), SHANGHAI)
    assert [(e.tg_chat_id, e.item.id) for e in person] == [
        (other.tg_chat_id, theirs),
        (chat.tg_chat_id, one),
    ]
    # Someone bound nowhere has an empty calendar.
    assert await feed_entries(db_session, FeedScope(ScopeKind.PERSON, 99), SHANGHAI) == []

    department = await feed_entries(
        db_session, FeedScope(ScopeKind.DEPARTMENT, office.id), SHANGHAI
    )
    assert [e.item.id for e in department] == [one]
    assert two not in [e.item.id for e in department]


async def test_an_archived_plan_is_left_out(db_session, chat):
    await _two_groups(db_session, chat)
    plan = await db_session.get(Plan, 1)
    plan.archived = True
    await db_session.commit()
    scope = FeedScope(ScopeKind.GROUP, plan.chat_id)
    assert await feed_entries(db_session, scope, SHANGHAI) == []
    assert (await feed_version(db_session, scope)).items == 0


def _events(body: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(body)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


async def _feed(db_session, scope: FeedScope, locale: str = "zh_CN") -> bytes:
    entries = await feed_entries(db_session, scope, SHANGHAI)
    return calendar_ics(entries, name="日历", locale=locale, today=TODAY, now=NOW, live=True)


async def test_a_moved_deadline_keeps_its_uid_and_bumps_sequence(db_session, chat):
    (one, _, _), *_ = await _two_groups(db_session, chat)
    scope = FeedScope(ScopeKind.GROUP, chat.id)
    before_version = await feed_version(db_session, scope)
    body = await _feed(db_session, scope)
    calendar = Calendar.from_ical(body)
    assert str(calendar["x-wr-calname"]) == "日历"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in body
    assert b"X-PUBLISHED-TTL:PT1H" in body
    uid = f"planbot-{chat.tg_chat_id}-item-{one}@planbot"
    before = _events(body)[uid]
    assert before.decoded("dtstart") == date(2024, 10, 31)
    assert "责任部室：办公室" in str(before["description"])
    assert "完成情况：未完成" in str(before["description"])

    later = NOW + timedelta(hours=1)
    change = await edit_item(
        db_session, one, EditField.DEADLINE, "2024-11-08", CLERK, later, today=TODAY
    )
    assert change.applied
    await db_session.commit()

    after = _events(await _feed(db_session, scope))[uid]
    assert after.decoded("dtstart") == date(2024, 11, 8)
    assert int(after["sequence"]) > int(before["sequence"])
    assert after.decoded("last-modified") == later.replace(microsecond=0)
    assert (await feed_version(db_session, scope)).key() != before_version.key()


async def test_status_progress_and_parts_are_in_the_description(db_session, chat):
    result = await save_parsed_plan(
        db_session,
        chat.id,
        october_plan_with(
            items=[
                ParsedItem(
                    seq=1,
                    title="两个部门牵头",
                    leaders=["张三"],
                    departments=["组织部", "工联会"],
                    partners=["办公室"],
                    deadline=date(2024, 10, 18),
                ),
            ]
        ),
        "x",
    )
    (item_id,) = result.added
    departments = await get_or_create_department(db_session, chat.id, "组织部")
    await mark_part_done(db_session, item_id, departments.id, CLERK, NOW)
    await db_session.commit()
    scope = FeedScope(ScopeKind.GROUP, chat.id)
    (event,) = _events(await _feed(db_session, scope)).values()
    description = str(event["description"])
    assert "组织部（已完成）、工联会（未完成）｜配合：办公室" in description, description
    assert "逾期2天未完成" in description, description
    (english,) = _events(await _feed(db_session, scope, "en")).values()
    assert "Departments: 组织部 (done), 工联会 (open) | partners: 办公室" in str(
        english["description"]
    ), english["description"]


async def test_the_version_moves_with_a_note(db_session, chat):
    (one, _, _), *_ = await _two_groups(db_session, chat)
    scope = FeedScope(ScopeKind.PERSON, 22)
    first = await feed_version(db_session, scope)
    assert first.items == 2
    await add_note(db_session, one, CLERK, "已起草", datetime(2024, 10, 20, 3, tzinfo=UTC))
    await db_session.commit()
    second = await feed_version(db_session, scope)
    assert second.key() != first.key()
    # The note's own instant may be older than the item's row (an import's clock): the
    # history's newest id is what moved.
    assert (second.last_event or 0) > (first.last_event or 0)
    assert second.last_change is not None
    (entry,) = [e for e in await feed_entries(db_session, scope, SHANGHAI) if e.item.id == one]
    assert entry.reported and entry.changes == 1


async def test_text_with_separators_and_long_lines_reads_back_as_written(db_session, chat):
    title = "检查，落实；反斜杠\\与换行\n" + "长标题" * 40 + "🟣 emoji"
    await save_parsed_plan(
        db_session,
        chat.id,
        october_plan_with(
            items=[
                ParsedItem(
                    seq=1,
                    title=title,
                    leaders=["张三"],
                    departments=["办公室"],
                    deadline=date(2024, 10, 18),
                )
            ]
        ),
        "x",
    )
    await db_session.commit()
    body = await _feed(db_session, FeedScope(ScopeKind.GROUP, chat.id))
    assert all(len(line) <= 75 for line in body.split(b"\r\n")), "folded at 75 octets"
    (event,) = _events(body).values()
    assert str(event["summary"]) == f"1. {title}"
    assert event.decoded("dtend") == date(2024, 10, 19)


async def test_a_polled_version_reads_as_the_sessions_and_says_when_the_link_died(db, chat):
    """storage.polled_reads reads the version statement straight through the driver on SQLite
    (a session's path on PostgreSQL): the same figures as a session's read, instants included,
    and `live` false once the link is revoked."""
    async with db.session() as session:
        await _two_groups(session, chat)
        key = await server_secret(session, None)
        token = await link_token(session, AccessKind.ICS, secret=key, now=NOW, tg_user_id=22)
    scope = FeedScope(ScopeKind.PERSON, 22)
    async with db.reading() as session:
        read = await feed_version(session, scope)
    polled = await polled_feed_version(db, scope, token)
    assert polled.live and polled.key() == read.key() and polled.items == 2
    assert polled.last_change == read.last_change and polled.last_change is not None
    assert polled.last_change.tzinfo is not None
    async with db.session() as session:
        await reset_token(session, AccessKind.ICS, secret=key, now=NOW, tg_user_id=22)
    assert not (await polled_feed_version(db, scope, token)).live
    assert (await polled_feed_version(db, scope, "x" * 43)).live is False
