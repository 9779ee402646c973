"""Who may do what: the one table of every action that changes something, and the rule that
reads it. Pure: no database, no Telegram.

The operations (finding.may_change, responses, editing, people …), the command table's access
marks (`bot/chat/commands.py`: which commands `guarded` refuses before their handler runs, and
what /help says), the admins-only settings commands and the README's permission matrix all
read `RULES`; `tests/bot/test_permission_matrix.py` drives every cell through the running bot
and checks the README against it.

An actor's roles are relative to the item acted on (its leader, a member of its departments)
and to the group (its Telegram administrators, the configured admins); an action that names no
item has no leader or department member.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    CONFIGURED_ADMIN = "configured admin"  # `[access] admins`: an admin in every group
    GROUP_ADMIN = "group's Telegram admin"  # an administrator of the group, as Telegram says
    LEADER = "item's leader"  # bound to a name the item lists as 责任领导
    DEPARTMENT_MEMBER = "department member"  # a member of one of the item's 责任部室
    MEMBER = "other bound member"  # bound to a name, not responsible for the item
    UNBOUND = "unbound member"  # bound to no name in the group


ADMINS = frozenset({Role.CONFIGURED_ADMIN, Role.GROUP_ADMIN})
RESPONSIBLE = frozenset({Role.LEADER, Role.DEPARTMENT_MEMBER})
EVERYONE = frozenset(Role)


class Action(StrEnum):
    DONE = "done"
    PROGRESS = "progress"
    UNDO = "undo"
    REOPEN = "reopen"
    ADD = "add"
    EDIT = "edit"
    DELETE = "delete"
    ACK = "ack"
    SNOOZE = "snooze"
    EXTEND_REQUEST = "extend request"
    EXTEND_DECISION = "extend decision"
    # Completion review (issue 16 §3): ✅ 销号 / ↩️ 退回 a department's done claim.
    REVIEW = "review decision"
    IAM = "iam"
    BIND = "bind"
    UNBIND = "unbind"
    DEPT_MEMBERS = "dept add/remove"
    DEPT_CHAT = "dept chat"
    IMPORT = "import"
    REMIND_SETTINGS = "remind settings"
    LANG = "lang change"
    # /board reset and /calendar reset (issue 17): revoke a link and make the next one.
    LINK_RESET = "link reset"


@dataclass(frozen=True, slots=True)
class Rule:
    roles: frozenset[Role]
    # `[access] anyone_can_update = true` opens it to every member of the group.
    opened_by_anyone_can_update: bool = False
    # Besides the roles: the person the action is about may too (`/unbind` of one's own name).
    self_too: bool = False
    # What else limits it, in words (the README and /help show it).
    proviso: str = ""


RULES: dict[Action, Rule] = {
    # A member of the item's 配合 (assisting) departments only is informed, not responsible
    # (bot/operations/reports.py `_parts` refuses them; issue 16 §1).
    Action.DONE: Rule(
        ADMINS | RESPONSIBLE,
        opened_by_anyone_can_update=True,
        proviso="not members of its 配合 departments only",
    ),
    Action.PROGRESS: Rule(
        ADMINS | RESPONSIBLE,
        opened_by_anyone_can_update=True,
        proviso="members of its 配合 departments only: notes",
    ),
    # Everyone may take back a change; only their own, so nobody else's work is undone.
    Action.UNDO: Rule(EVERYONE, proviso="only their own last change"),
    Action.REOPEN: Rule(ADMINS),
    Action.ADD: Rule(ADMINS),
    Action.EDIT: Rule(ADMINS),
    Action.DELETE: Rule(ADMINS),
    # "The responsible person saw it": an admin's word would turn 未确认 into 已确认 for
    # someone who never saw the reminder, so not even admins.
    Action.ACK: Rule(RESPONSIBLE),
    Action.SNOOZE: Rule(ADMINS | RESPONSIBLE),
    Action.EXTEND_REQUEST: Rule(ADMINS | RESPONSIBLE, opened_by_anyone_can_update=True),
    Action.EXTEND_DECISION: Rule(
        ADMINS | {Role.LEADER}, proviso="never on their own request; supervisors too"
    ),
    Action.REVIEW: Rule(ADMINS, proviso="supervisors too"),
    Action.IAM: Rule(
        EVERYONE,
        proviso="in the group; a name with duties, a leader's or a department member's, or "
        "one someone else holds waits for an admin's yes",
    ),
    Action.BIND: Rule(ADMINS),
    Action.UNBIND: Rule(ADMINS, self_too=True),
    Action.DEPT_MEMBERS: Rule(ADMINS),
    Action.DEPT_CHAT: Rule(ADMINS, proviso="of both groups"),
    Action.IMPORT: Rule(ADMINS),
    Action.REMIND_SETTINGS: Rule(ADMINS),
    Action.LANG: Rule(ADMINS, proviso="in a private chat anyone"),
    # A group's or a department's link is followed by every subscriber: revoking it is the
    # admins'. A person's own calendar link (/calendar reset in private) is theirs alone:
    # `self_too`, which bot/operations/feeds.py applies by not asking for that one.
    Action.LINK_RESET: Rule(ADMINS, self_too=True, proviso="their own calendar link"),
}


def base_roles(configured_admin: bool) -> frozenset[Role]:
    """The roles of an action that names no item, known without asking Telegram: a configured
    admin's, and UNBOUND, the least every member has (no such action's rule tells bound and
    unbound members apart; tests/bot/test_permission_matrix.py checks it)."""
    return frozenset({Role.CONFIGURED_ADMIN, Role.UNBOUND} if configured_admin else {Role.UNBOUND})


def tells_members_apart(action: Action) -> bool:
    """Whether the rule treats a member bound to a name (MEMBER) otherwise than one bound to
    none (UNBOUND): only then is it worth a query to tell which the actor is."""
    roles = RULES[action].roles
    return (Role.MEMBER in roles) != (Role.UNBOUND in roles)


def allows(action: Action, roles: Collection[Role], *, anyone_can_update: bool = False) -> bool:
    """Whether someone with `roles` may (the rule's proviso and `self_too` aside)."""
    rule = RULES[action]
    return bool(rule.roles.intersection(roles)) or (
        anyone_can_update and rule.opened_by_anyone_can_update
    )


def decide(
    action: Action,
    roles: Collection[Role],
    group_admin: bool | None,
    *,
    anyone_can_update: bool = False,
) -> bool | None:
    """`allows`, for roles known without asking Telegram (`roles` without GROUP_ADMIN) and
    what Telegram said of the group's administrators (`group_admin`; None: not asked). None
    when only that answer decides: the caller asks Telegram and decides again."""
    if allows(action, roles, anyone_can_update=anyone_can_update):
        return True
    if Role.GROUP_ADMIN not in RULES[action].roles:
        return False
    return None if group_admin is None else group_admin


def admins_only(action: Action) -> bool:
    """No role but the admins may (the command table refuses the rest before the handler)."""
    return RULES[action].roles <= ADMINS


# --- in words: the README's matrix and its command table's "who" column ----------------------

_GROUPS: tuple[tuple[frozenset[Role], str], ...] = (
    (EVERYONE, "anyone"),
    (RESPONSIBLE, "the item's leaders, its departments' members"),
    (frozenset({Role.LEADER}), "the item's leaders"),
    (ADMINS, "admins"),
)


def who(action: Action) -> str:
    """Who may, in the README's words ("the item's leaders, its departments' members, admins")."""
    rule = RULES[action]
    left, parts = set(rule.roles), []
    for roles, words in _GROUPS:
        if roles <= left:
            parts.append(words)
            left -= roles
    if left:  # a role no phrase above covers alone
        parts += sorted(role.value for role in left)
    text = ", ".join(parts)
    if rule.self_too:
        text += ", or the person themselves"
    if rule.proviso:
        text += f" ({rule.proviso})"
    return text


def matrix() -> list[str]:
    """The README's permission matrix, a Markdown table: ✓ may, · may not, one column per
    role, one for what `anyone_can_update = true` opens, and the provisos."""
    roles = list(Role)
    lines = [
        "| action | " + " | ".join(r.value for r in roles) + " | anyone_can_update | also |",
        "| --- |" + " :-: |" * (len(roles) + 1) + " --- |",
    ]
    for action, rule in RULES.items():
        cells = ["✓" if r in rule.roles else "·" for r in roles]
        opened = "everyone" if rule.opened_by_anyone_can_update else "no change"
        also = "; ".join(
            ([] if not rule.self_too else ["the person themselves"])
            + ([rule.proviso] if rule.proviso else [])
        )
        lines.append(f"| {action.value} | " + " | ".join(cells) + f" | {opened} | {also} |")
    return lines


if __name__ == "__main__":  # the README's matrix: python -m bot.operations.policy
    print("\n".join(matrix()))
