"""Who a message pings and who has confirmed: pure decisions on loaded facts."""

from __future__ import annotations

from datetime import UTC, date, datetime

from jobs.entries import (
    Ack,
    DepartmentFacts,
    ItemFacts,
    PersonRef,
    ack_state,
    entry_for,
    resolve_supervisors,
)
from jobs.policy import ReminderPolicy
from tests.support.dispatch import CALENDAR

GROUP, OWN = -100, -200


def _facts(*, department_chat: int | None = None, acks=(), window=True) -> ItemFacts:
    return ItemFacts(
        item_id=1,
        plan_id=1,
        plan_year=2020,
        plan_month=10,
        chat_id=1,
        tg_chat_id=GROUP,
        seq=3,
        title="t",
        deadline=date(2020, 10, 31),
        deadline_text="十月份",
        recurring=False,
        done=False,
        progress=0,
        leaders=(PersonRef("高启秀", 11), PersonRef("郭红萍")),
        departments=(
            DepartmentFacts("权益保障部", department_chat, (PersonRef("小王", 21),)),
            DepartmentFacts("办公室", None, (PersonRef("小李", 22), PersonRef("老张"))),
        ),
        acks=list(acks),
        ack_window=window,
    )


def _pinged(entry) -> list[str]:
    people = [*entry.leaders, *(p for d in entry.departments for p in d.people)]
    return [p.name for p in people if p.mention]


def _entry(facts, day=date(2020, 10, 30), target=GROUP, **kw):
    return entry_for(
        facts, as_of=day, target=target, policy=ReminderPolicy(), calendar=CALENDAR, **kw
    )


def test_in_the_group_bound_leaders_and_members_are_pinged_unbound_only_named():
    entry = _entry(_facts())
    assert _pinged(entry) == ["高启秀", "小王", "小李"]
    assert entry.days_left == 1 and not entry.escalated


def test_a_department_with_its_own_chat_is_pinged_there_and_spares_the_leaders():
    facts = _facts(department_chat=OWN)
    assert _pinged(_entry(facts)) == ["小李"]
    assert _pinged(_entry(facts, target=OWN)) == ["小王"]


def test_escalation_pings_the_leaders_everywhere_and_supervisors_in_the_group():
    facts = _facts(department_chat=OWN)
    supervisors = resolve_supervisors(["官庆军", 77], [PersonRef("官庆军", 99)])
    day = date(2020, 11, 4)  # the third working day after Saturday 10-31
    group = _entry(facts, day=day, supervisors=supervisors)
    own = _entry(facts, day=day, target=OWN, supervisors=supervisors)
    assert group.escalated and own.escalated
    assert _pinged(group) == ["高启秀", "小李"] and _pinged(own) == ["高启秀", "小王"]
    assert [(p.name, p.tg_user_id) for p in group.supervisors] == [("官庆军", 99), ("", 77)]
    assert own.supervisors == ()
    assert not _entry(facts, day=date(2020, 11, 3)).escalated


def test_a_digest_line_pings_nobody():
    assert _pinged(_entry(_facts(), reminder=False)) == []


def test_confirmed_and_waiting_count_each_account_once():
    now = datetime(2020, 10, 30, 2, tzinfo=UTC)
    facts = _facts(acks=[Ack(21, "王", now), Ack(5, "管理员", now)])
    state = ack_state(facts)
    assert state is not None
    assert state.confirmed == ("小王", "管理员")
    assert state.waiting == ("高启秀", "郭红萍", "小李", "老张")
    assert ack_state(_facts(window=False)) is None
