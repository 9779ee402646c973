"""An actor's roles (bot/operations/policy.py) as the database knows them, and the check every
operation makes with them: may the actor do `action` (to these items)?

The group's Telegram administrators are not in the database: `Actor.admin` carries what
Telegram said (None: not asked), and `decide` answers None when only that answer decides, for
the operation to return NeedsAdmin (bot/chat/acting.py asks and runs it again).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from bot.operations.deps import Deps
from bot.operations.policy import Action, Role, base_roles, decide, tells_members_apart
from bot.operations.who import Actor
from storage.items import responsibilities
from storage.models import Item, Plan
from storage.people import find_person_by_tg_user
from storage.rows import row_id


def known_roles(deps: Deps, actor: Actor) -> frozenset[Role]:
    """The roles of an action that names no item, known without asking Telegram."""
    return base_roles(actor.tg_user_id in deps.admins)


def may(deps: Deps, actor: Actor, action: Action) -> bool | None:
    """Whether the actor may do an action that names no item; None: ask Telegram."""
    return decide(action, known_roles(deps, actor), actor.admin)


async def item_roles(
    session: AsyncSession,
    deps: Deps,
    actor: Actor,
    items: Sequence[Item],
    *,
    bound_matters: bool = True,
) -> dict[int, frozenset[Role]]:
    """Per item (by row id), the actor's roles known without asking Telegram. Without
    `bound_matters` someone neither responsible nor an admin is taken as UNBOUND without
    asking the database whether they are bound (for a rule that does not tell them apart)."""
    ids = [row_id(i) for i in items]
    found = await responsibilities(session, ids)
    base = known_roles(deps, actor)
    roles: dict[int, frozenset[Role]] = {}
    # Whether the actor is bound in a chat, asked once per chat (`/done 1-50` names one plan).
    bound_in: dict[int, bool] = {}
    for item in items:
        who = found[row_id(item)]
        mine = set(base) - {Role.UNBOUND}
        if actor.tg_user_id in who.leaders:
            mine.add(Role.LEADER)
        if actor.tg_user_id in who.members:
            mine.add(Role.DEPARTMENT_MEMBER)
        if mine & {Role.LEADER, Role.DEPARTMENT_MEMBER}:
            pass
        elif not bound_matters:
            mine.add(Role.UNBOUND)
        else:
            plan = await session.get(Plan, item.plan_id)  # item.plan may not be loaded
            chat_id = plan.chat_id if plan is not None else 0
            if chat_id not in bound_in:
                person = await find_person_by_tg_user(session, chat_id, actor.tg_user_id)
                bound_in[chat_id] = person is not None
            mine.add(Role.MEMBER if bound_in[chat_id] else Role.UNBOUND)
        roles[row_id(item)] = frozenset(mine)
    return roles


async def may_do(
    session: AsyncSession, deps: Deps, actor: Actor, action: Action, items: Sequence[Item]
) -> dict[int, bool] | None:
    """Per item, whether the actor may do `action` to it; None when for some item only
    whether they administer the group decides, and nobody has asked Telegram yet."""
    # Roles only add rights: what the actor may as an admin alone (or anyone may) needs no
    # read of who answers for the items.
    admin_only = known_roles(deps, actor) - {Role.UNBOUND}
    if decide(action, admin_only, actor.admin, anyone_can_update=deps.anyone_can_update):
        return {row_id(item): True for item in items}
    answers: dict[int, bool] = {}
    roles_of = await item_roles(
        session, deps, actor, items, bound_matters=tells_members_apart(action)
    )
    for item_id, roles in roles_of.items():
        answer = decide(action, roles, actor.admin, anyone_can_update=deps.anyone_can_update)
        if answer is None:
            return None
        answers[item_id] = answer
    return answers
