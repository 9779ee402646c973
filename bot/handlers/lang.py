"""/lang: the chat's language. In a group only admins change it; in private, anyone."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.chat.item_access import command_args, incoming
from bot.chat.permissions import may_in_chat
from bot.chat.replies import chat_locale, reply_html
from bot.context import PlanbotContext
from bot.i18n import Locale, t
from bot.operations.policy import Action
from bot.views.render import quoted
from storage.chats import get_or_create_chat

# What people type for each language, lower-cased; "zh-…"/"en-…" codes are accepted too.
_WORDS: dict[str, Locale] = {
    "zh": "zh_CN",
    "cn": "zh_CN",
    "中文": "zh_CN",
    "汉语": "zh_CN",
    "简体中文": "zh_CN",
    "chinese": "zh_CN",
    "en": "en",
    "english": "en",
    "英文": "en",
    "英语": "en",
}


def parse_language(text: str) -> Locale | None:
    """The locale a /lang argument names, or None when it names none we speak."""
    word = text.strip().lower().replace("-", "_")
    if word in _WORDS:
        return _WORDS[word]
    code, _, _region = word.partition("_")
    return _WORDS.get(code) if code in ("zh", "en") else None


async def lang(update: Update, context: PlanbotContext) -> None:
    sent = incoming(update)
    if sent is None:
        return
    message, user, tg_chat = sent.message, sent.user, sent.chat
    locale = await chat_locale(context, tg_chat.id)
    argument = command_args(message.text)
    if not argument:
        language = t(locale, f"lang.name.{locale}")
        await reply_html(update, t(locale, "lang.current", language=language))
        return
    chosen = parse_language(argument)
    if chosen is None:
        await reply_html(update, t(locale, "lang.unknown", value=quoted(argument)))
        return
    # The table's proviso: in a private chat one's own language is one's own business.
    if tg_chat.type != ChatType.PRIVATE and not await may_in_chat(
        context, Action.LANG, tg_chat.id, tg_chat.type, user.id
    ):
        await reply_html(update, t(locale, "lang.admins_only"))
        return
    async with context.services.db.session() as session:
        chat = await get_or_create_chat(
            session,
            tg_chat.id,
            title=tg_chat.title or tg_chat.full_name or "",
            type=tg_chat.type,
            is_forum=bool(tg_chat.is_forum),
        )
        chat.locale = chosen
    await reply_html(update, t(chosen, "lang.set"))
