"""The permission table's rule, and the command table reading it (no bot needed)."""

import pytest

from bot.chat.commands import Access, ChatCommand, access_of
from bot.handlers import COMMANDS
from bot.operations.policy import ADMINS, RULES, Action, Role, allows, decide


async def _nothing(update, context) -> None:
    return None


def test_the_command_table_takes_each_commands_access_from_its_action():
    acting = {c.name: c for c in COMMANDS if c.action is not None}
    # /remind, /lang and /dept also only show: their handlers check the action.
    assert {c.action for c in acting.values()} == set(Action) - {
        Action.SNOOZE,  # a button
        Action.EXTEND_DECISION,  # a button
        Action.REVIEW,  # a button, and /return: supervisors are no role of the table
        Action.REMIND_SETTINGS,
        Action.LANG,
        Action.DEPT_MEMBERS,
        Action.DEPT_CHAT,
        Action.LINK_RESET,  # /board reset and /calendar reset: both also show a link
    }
    for command in acting.values():
        assert command.action is not None
        assert command.access is access_of(command.action), command.name
    assert acting["delete"].access is Access.ADMINS
    assert acting["unbind"].access is Access.ADMINS_OR_SELF
    assert acting["done"].access is Access.ANYONE and acting["ack"].access is Access.ANYONE


def test_a_command_with_an_action_takes_no_access_of_its_own():
    with pytest.raises(ValueError, match="comes from its action"):
        ChatCommand("x", _nothing, Action.ADD, access=Access.ADMINS)


def test_the_group_admin_is_asked_about_only_when_the_answer_decides():
    # A leader reports without Telegram being asked; an outsider's report needs the answer.
    assert decide(Action.DONE, {Role.LEADER}, None) is True
    assert decide(Action.DONE, {Role.MEMBER}, None) is None
    assert decide(Action.DONE, {Role.MEMBER}, True) is True
    assert decide(Action.DONE, {Role.MEMBER}, False) is False
    # Being an admin decides nothing about an acknowledgement: not asked, and refused.
    assert decide(Action.ACK, {Role.MEMBER}, None) is False
    assert decide(Action.ACK, {Role.CONFIGURED_ADMIN}, True) is False
    assert decide(Action.DONE, {Role.UNBOUND}, None, anyone_can_update=True) is True


def test_bound_and_unbound_members_have_the_same_rights_where_no_item_is_named():
    # What lets an action that names no item treat everyone as UNBOUND (policy.base_roles).
    for action in Action:
        assert allows(action, {Role.MEMBER}) == allows(action, {Role.UNBOUND}), action


def test_the_configured_and_the_groups_admins_have_the_same_rights():
    for action, rule in RULES.items():
        assert (Role.CONFIGURED_ADMIN in rule.roles) == (Role.GROUP_ADMIN in rule.roles), action
        assert not (rule.roles & ADMINS) or rule.roles & ADMINS == ADMINS
