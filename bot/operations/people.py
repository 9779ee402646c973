"""Which Telegram account is which name in the plans: the rules for taking, binding and
unbinding a name, each in one unit of work.

- `/iam 姓名`: a name nobody is bound to is the sender's at once, unless it has duties (it leads
  an item of one of the group's plans, or is a member of a department: binding it gives the
  right to report on items), which waits for an admin's yes while `[access] confirm_iam` is on
  (not for an admin: they may /bind anyway); a name someone else holds always waits (the caller
  asks with buttons). A name no plan or department names yet has no duties and is bound at
  once, so people can bind before the plan arrives; a plan imported later that names it gives
  its holder that item, which is why the admins are told of every binding (the caller names
  them in the group) and can /unbind a wrong one.
- `/bind`: an admin binds an account to a name, replacing whoever held it.
- `/unbind`: admins, or the person bound to that name.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.operations.deps import Deps
from bot.operations.finding import Group, NeedsAdmin, group_of, needs_admin
from bot.operations.policy import Action
from bot.operations.roles import may
from bot.operations.who import Actor, Origin
from storage.accounts import get_account
from storage.people import bind_person, get_person, has_duties, unbind_person
from storage.rows import row_id


@dataclass(frozen=True, slots=True)
class Account:
    """A Telegram user as far as the bot knows them."""

    id: int
    full_name: str = ""
    username: str | None = None
    is_bot: bool = False


async def holder_of(session: AsyncSession, tg_user_id: int, username: str | None) -> Holder:
    """Whoever holds a name now, as the caller will name them."""
    seen = await get_account(session, tg_user_id)
    return Holder(tg_user_id, username, seen.full_name if seen else None)


@dataclass(frozen=True, slots=True)
class Holder:
    tg_user_id: int
    username: str | None
    full_name: str | None


class Taking(StrEnum):
    TAKEN = "taken"
    # The sender is that name already.
    ALREADY = "already"
    # Someone else holds it: an admin must say yes.
    HELD = "held"
    # Nobody holds it, but it has duties (leads an item, in a department): an admin must say
    # yes (`[access] confirm_iam`).
    DUTIES = "duties"


@dataclass(frozen=True, slots=True)
class NameTaking:
    locale: str
    outcome: Taking
    # The plans had no such name before: a new person was made.
    new_name: bool = False
    holder: Holder | None = None


async def take_name(
    deps: Deps, origin: Origin, actor: Actor, account: Account, name: str
) -> NameTaking | NeedsAdmin:
    """`/iam name` in a group: bind the sender unless someone else holds the name or, with
    `[access] confirm_iam`, the name has duties."""
    async with deps.db.session() as session:
        group = await _group(session, deps, origin, actor)
        person = await get_person(session, group.chat_id, name)
        if person is not None and person.tg_user_id == account.id:
            person.username = account.username
            return NameTaking(group.locale, Taking.ALREADY)
        if person is not None and person.tg_user_id is not None:
            holder = await holder_of(session, person.tg_user_id, person.username)
            return NameTaking(group.locale, Taking.HELD, holder=holder)
        if deps.confirm_iam and person is not None and await has_duties(session, row_id(person)):
            # Whoever may /bind may bind themselves at once: they would confirm it themselves.
            allowed = may(deps, actor, Action.BIND)
            if allowed is None:
                return needs_admin(group)
            if not allowed:
                return NameTaking(group.locale, Taking.DUTIES)
        await bind_person(session, group.chat_id, name, account.id, account.username)
        return NameTaking(group.locale, Taking.TAKEN, new_name=person is None)


async def bind_name(
    deps: Deps, origin: Origin, actor: Actor, account: Account, name: str
) -> Holder | None:
    """Bind `account` to `name` in the group (an admin's /bind, or an admin's yes to an /iam);
    whoever held the name before, when it was someone else."""
    async with deps.db.session() as session:
        group = await _group(session, deps, origin, actor)
        person = await get_person(session, group.chat_id, name)
        holder = None
        if person is not None and person.tg_user_id not in (None, account.id):
            holder = await holder_of(session, person.tg_user_id, person.username)
        await bind_person(session, group.chat_id, name, account.id, account.username)
        return holder


class Unbinding(StrEnum):
    DONE = "done"
    UNKNOWN = "unknown"
    NOT_BOUND = "not_bound"
    ADMINS_ONLY = "admins_only"


async def unbind_name(
    deps: Deps, origin: Origin, actor: Actor, name: str
) -> Unbinding | NeedsAdmin:
    """`/unbind name`: admins, or the person bound to it."""
    async with deps.db.session() as session:
        group = await _group(session, deps, origin, actor)
        person = await get_person(session, group.chat_id, name)
        if person is None:
            return Unbinding.UNKNOWN
        if person.tg_user_id is None:
            return Unbinding.NOT_BOUND
        if person.tg_user_id != actor.tg_user_id:  # one's own name: anyone (self_too)
            allowed = may(deps, actor, Action.UNBIND)
            if not allowed:
                return needs_admin(group) if allowed is None else Unbinding.ADMINS_ONLY
        await unbind_person(session, group.chat_id, name)
        return Unbinding.DONE


async def _group(session: AsyncSession, deps: Deps, origin: Origin, actor: Actor) -> Group:
    """The group these commands run in: they run only in groups (the caller says so in a
    private chat before calling)."""
    if origin.private:
        raise ValueError("names are taken and bound in a group, not in a private chat")
    group = await group_of(session, deps, origin, actor)
    if not isinstance(group, Group):  # a group origin always has its group
        raise ValueError("no group for a group chat")
    return group
