"""/calendar [部门] [reset]: a link to subscribe to deadlines in a calendar app (issue 17).

In a group: the group's plans; in a private chat: the items the sender answers for across the
groups they are bound in; with a department's name (as /plan's filter reads it): that
department's lead items. `reset` (重置) revokes the link and makes a new one: the group's
admins for a group's or a department's link, anyone for their own.
"""

from __future__ import annotations

from telegram import Update

from bot.chat.acting import act, actor_of, origin_of
from bot.chat.item_access import command_args, failure_line, incoming
from bot.chat.replies import chat_locale, reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.operations.feeds import CalendarLink, CalendarRefusal, calendar_link
from bot.operations.finding import NoGroup
from bot.views.calendar import link_lines, refusal_line

RESET_WORDS = frozenset({"reset", "重置"})


def read_arguments(text: str) -> tuple[str, bool]:
    """(department, reset): "reset" may come first or last (`/calendar 办公室 reset`)."""
    words = text.split()
    reset = False
    if words and words[-1].lower() in RESET_WORDS:
        reset, words = True, words[:-1]
    elif words and words[0].lower() in RESET_WORDS:
        reset, words = True, words[1:]
    return " ".join(words), reset


async def calendar_command(update: Update, context: PlanbotContext) -> None:
    sent = incoming(update)
    if sent is None:
        return
    svc = context.services
    http = svc.config.http
    if not http.public_url:
        locale = await chat_locale(context, sent.chat.id)
        await reply_html(update, t(locale, "calendar.no_public_url"))
        return
    department, reset = read_arguments(command_args(sent.message.text))
    origin = origin_of(sent.chat)
    deps = svc.deps
    secret = http.token_secret.get_secret_value()
    answer = await act(
        context,
        actor_of(context, sent.user, origin),
        lambda actor: calendar_link(
            deps, origin, actor, department=department, reset=reset, token_secret=secret
        ),
    )
    if isinstance(answer, NoGroup):
        await reply_html(update, failure_line(answer, "calendar"))
    elif isinstance(answer, CalendarRefusal):
        await reply_html(update, refusal_line(answer, department))
    elif isinstance(answer, CalendarLink):
        await reply_html(update, link_lines(answer, http.public_url))
    else:  # act() asks Telegram once; a second NeedsAdmin it raises on
        await reply_html(
            update, t(await chat_locale(context, sent.chat.id), "calendar.admins_only")
        )
