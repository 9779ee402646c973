"""Evidence (佐证材料) in the chat: a photo or file whose caption is `/done …` or `/progress …`,
and `/item N files`, which sends an item's files again.

PTB's CommandHandler reads no captions: `captioned` answers a photo or a file whose caption
starts with /done or /progress (also typed `／done`, `、done`) as that command, behind the same
access rule; the command reads the caption as its text and the file as its evidence
(bot/chat/evidence.py). A file without such a caption is not answered here: one replying to
our item messages goes the plain-reply way (bot/handlers/plain_replies.py:media_reply), any
other is ordinary chat. A video, a voice message or an animation with such a caption gets one
sentence asking for a photo or a file, and nothing is recorded.

Files go back by Telegram's file_id (sendPhoto / sendDocument), nothing downloaded: at most
the newest MAX_SENT, each captioned with the item, who sent it and when, then a line saying how
many older ones were left out. A file Telegram no longer knows (the bot's token changed, which
changes every file_id) is named in one line instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import filters

from bot.chat.commands import Callback, ChatCommand
from bot.chat.evidence import OtherMedia, file_of
from bot.chat.item_access import failure_line
from bot.chat.replies import chat_locale, reply_html
from bot.context import PlanbotContext
from bot.handlers import typed
from bot.i18n import t
from bot.operations.evidence import item_files
from bot.operations.finding import NoGroup, NoSuchItem
from bot.operations.who import Actor, Origin
from bot.views.evidence import file_caption, file_label, more_line
from bot.views.item import Display, ref_label
from plans.itemref import ItemRef
from storage.models import AttachmentKind

# Messages whose caption may be a report: what is kept, and what is answered why not.
CAPTIONED_MEDIA = (
    filters.PHOTO
    | filters.Document.ALL
    | filters.VIDEO
    | filters.VOICE
    | filters.AUDIO
    | filters.ANIMATION
)
# The commands a file may come with as evidence.
EVIDENCE_COMMANDS = ("done", "progress")
# What after `/item N` asks for its files.
FILES_WORDS = frozenset({"files", "file", "文件", "附件", "材料", "佐证", "佐证材料"})


def wants_files(rest: str) -> bool:
    """Whether what follows `/item N` asks for its files (`/item 3 files`, `/item 3 附件`)."""
    return rest.strip().lower() in FILES_WORDS


def captioned(commands: Sequence[ChatCommand]) -> Callback:
    """The handler of a photo or file whose caption is /done or /progress: that command."""
    run_command = typed.typed_command([c for c in commands if c.name in EVIDENCE_COMMANDS])

    async def run(update: Update, context: PlanbotContext) -> None:
        message = update.effective_message
        if message is None or typed.command_of(update, context) not in EVIDENCE_COMMANDS:
            return
        if isinstance(file_of(message), OtherMedia):
            if update.edited_message is None:
                locale = await chat_locale(context, message.chat_id)
                await reply_html(update, t(locale, "evidence.other_media"))
            return
        await run_command(update, context)

    return run


async def send_item_files(
    update: Update, context: PlanbotContext, origin: Origin, actor: Actor, ref: ItemRef
) -> None:
    """`/item N files`: the item's files sent again, or why there are none."""
    message = update.effective_message
    if message is None:
        return
    svc = context.services
    found = await item_files(svc.deps, origin, actor, ref)
    if isinstance(found, NoGroup | NoSuchItem):
        await reply_html(update, failure_line(found, "item"))
        return
    locale = found.locale
    if not found.files:
        line = t(locale, "evidence.none", item=ref_label(found.item, locale), seq=found.item.seq)
        await reply_html(update, line)
        return
    display = Display(locale, svc.today(), svc.config.schedule.tz)
    lost: list[str] = []
    for index, attachment in enumerate(found.files):
        caption = file_caption(found, index, display)
        try:
            if attachment.kind == AttachmentKind.PHOTO.value:
                await message.reply_photo(
                    attachment.tg_file_id, caption=caption, parse_mode=None, do_quote=False
                )
            else:
                await message.reply_document(
                    attachment.tg_file_id, caption=caption, parse_mode=None, do_quote=False
                )
        except BadRequest:
            # Only this file is lost to us; the others still go.
            number = found.total - len(found.files) + index + 1
            name = file_label(attachment.kind, attachment.file_name, locale)
            lost.append(t(locale, "evidence.unsendable", n=number, file=name))
    tail = lost + more_line(found)
    if tail:
        await reply_html(update, tail)
