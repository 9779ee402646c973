"""In a private chat, which of the sender's groups a command is about.

Someone bound in one group (or none) is unaffected: their private commands act on that group
(`finding.group_of`). Someone bound in several is never given one picked for them:

- a command that names a group first (`/done 办公室 2`, `/plan 财务 october`;
  bot/chat/group_names.py) runs in that group, without the name;
- a command replying to one of our messages about items runs in those items' group;
- any other is answered with a question, one button per group, as a reply to the command: the
  press runs that command (read off the message the question replies to, so nothing waits in
  the database and a restart loses nothing) in the group pressed;
- a first word that can only have been meant as a group's name and is none of theirs
  (`/done 人事 2`) gets one sentence naming their groups, with an example.

The group chosen travels beside the update while the command runs (bot/chat/chosen_group.py)
and the answers name it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from telegram import Message, Update
from telegram.constants import ChatType, ParseMode

from bot.chat.chosen_group import ChosenGroup, chosen_group
from bot.chat.command_words import command_word
from bot.chat.group_names import name_group, unknown_group_name
from bot.chat.item_access import command_args, incoming
from bot.chat.replies import chat_locale, reply_html
from bot.context import PlanbotContext
from bot.delivery.edits import edit
from bot.i18n import t
from bot.views.groups import group_keyboard
from bot.views.render import esc, quoted
from storage.chats import bound_groups
from storage.messages import groups_of_message
from storage.models import Chat
from storage.rows import row_id

if TYPE_CHECKING:
    # Only a type here: bot/chat/presses.py imports the command table, which imports this.
    from bot.chat.presses import Press


@dataclass(frozen=True, slots=True)
class Proceed:
    """Run the command: `update` (without a group's name in its text) in `group`, or as it
    came when there is nothing to choose (`group` None)."""

    update: Update
    group: ChosenGroup | None = None


@dataclass(frozen=True, slots=True)
class Pressed:
    """A group button pressed: the command it answers, as an update, and the group."""

    command: str
    update: Update
    group: ChosenGroup


def _chosen(context: PlanbotContext, chat: Chat) -> ChosenGroup:
    return ChosenGroup(
        chat.tg_chat_id, chat.title, chat.locale or context.services.config.i18n.locale
    )


def command_name(text: str | None) -> str:
    """The command word of a message ("/done@planbot 2" → "done"); "" for no command."""
    read = command_word(text or "")
    return read[0] if read else ""


async def choose_group(update: Update, context: PlanbotContext) -> Proceed | None:
    """How to run a command about one group's plan; None after asking which group, or after
    saying that the group named is none of the sender's."""
    sent = incoming(update)
    if sent is None or sent.chat.type != ChatType.PRIVATE or chosen_group() is not None:
        return Proceed(update)
    svc = context.services
    replied = sent.message.reply_to_message
    # Read-only (on SQLite no wait for the write lock): every private command about a plan
    # passes here, reads among them.
    async with svc.db.reading() as session:
        groups = await bound_groups(session, sent.user.id)
        if len(groups) < 2:
            return Proceed(update)
        if replied is not None:
            ours = await groups_of_message(session, sent.chat.id, replied.message_id)
            replied_about = [g for g in groups if row_id(g) in ours]
            if len(replied_about) == 1:
                return Proceed(update, _chosen(context, replied_about[0]))
        # Read after the session: its rollback must not expire them.
        session.expunge_all()
    name = command_name(sent.words)
    args = command_args(sent.words)
    named = _named(groups, args)
    if named is not None:
        group, rest = named
        return Proceed(_with_args(update, sent.message, name, rest), _chosen(context, group))
    locale = await chat_locale(context, sent.chat.id)
    word = unknown_group_name(args)
    if word is not None:
        rest = args.split(None, 1)[1]
        titles = t(locale, "list.sep").join(esc(g.title) for g in groups)
        example = _example(name, groups[0], rest)
        line = t(locale, "groups.unknown", name=quoted(word), groups=titles, example=example)
        await reply_html(update, line)
        return None
    keyboard = group_keyboard([(row_id(g), g.title) for g in groups])
    line = t(locale, "groups.which", n=len(groups), example=_example(name, groups[0], args))
    await reply_html(update, line, reply_markup=keyboard, quote=True)
    return None


def _named(groups: Sequence[Chat], args: str) -> tuple[Chat, str] | None:
    named = name_group([g.title for g in groups], args)
    return None if named is None else (groups[named.index], named.rest)


def _example(name: str, group: Chat, args: str) -> str:
    """The command with the group's name first (without its spaces: one word), escaped."""
    title = "".join(group.title.split())
    return quoted(f"/{name} {title} {args}".strip(), limit=60)


def _with_args(update: Update, message: Message, name: str, args: str) -> Update:
    """The update with its message reading `/name args` (the group's name taken out)."""
    text = f"/{name} {args}".strip()
    data = message.to_dict()
    # A photo's or a file's caption is its text (evidence, bot/handlers/evidence.py).
    field = "text" if message.text is not None else "caption"
    data[field] = text
    data["entities" if field == "text" else "caption_entities"] = [
        {"type": "bot_command", "offset": 0, "length": len(name) + 1}
    ]
    rewritten = Message.de_json(data, message.get_bot())
    if update.edited_message is not None:
        return Update(update.update_id, edited_message=rewritten)
    return Update(update.update_id, message=rewritten)


async def pressed_group(
    context: PlanbotContext, press: Press[int], commands: Collection[str]
) -> Pressed | None:
    """The command a group button (its data: the chat row id) answers and the group pressed,
    once the presser is the command's sender and still bound there; None after answering a
    press that does nothing. The question then reads which group was chosen and loses its
    buttons: a second press finds it answered."""
    locale = await chat_locale(context, press.tg_chat.id)
    question = press.query.message if isinstance(press.query.message, Message) else None
    if question is None or press.tg_chat.type != ChatType.PRIVATE:
        await press.refuse(t(locale, "groups.gone"))
        return None
    command = question.reply_to_message
    if command is None or command.from_user is None or command.from_user.id != press.user.id:
        await press.refuse(t(locale, "groups.gone"))
        return None
    name = command_name(command.text or command.caption)
    if name not in commands:
        await press.refuse(t(locale, "groups.gone"))
        return None
    async with context.services.db.session() as session:
        groups = await bound_groups(session, press.user.id)
    group = next((g for g in groups if row_id(g) == press.data), None)
    if group is None:
        await press.refuse(t(locale, "groups.not_bound"))
        return None
    if not await edit(
        press.query.edit_message_text(
            t(locale, "groups.chosen", title=esc(group.title)), parse_mode=ParseMode.HTML
        )
    ):
        await press.answer()  # answered already: a second tap of the same question
        return None
    await press.answer()
    return Pressed(name, Update(press.update.update_id, message=command), _chosen(context, group))
