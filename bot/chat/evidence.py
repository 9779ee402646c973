"""The file a report comes with (佐证材料): read off the Telegram message, nothing downloaded.

A photo or a document whose caption is `/done …` or `/progress …` is evidence of that report;
so is the photo or document a `/done` or `/progress` replies to (someone posts the photo, then
answers it with `/progress 3 60%`). Of a photo Telegram sends several sizes: the largest is
kept. Videos, voice messages, audio and animations are not taken (`OtherMedia`): the answer asks
for a photo or a file, and the command does nothing (a video sent as a file is a document and
is taken). There is no size limit: only Telegram's file_id is kept, and sending a file again
by its file_id has no limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Message

from plans.percent import ProgressReport
from storage.attachments import FileRef
from storage.models import AttachmentKind


@dataclass(frozen=True, slots=True)
class OtherMedia:
    """A message carrying media that is no photo or document (a video, a voice message)."""

    kind: str


# Media a report can come with that is not kept, by the Message attribute that carries it.
# Animation first: Telegram sends a GIF with both `animation` and `document`.
_OTHER_MEDIA = ("animation", "video", "voice", "audio", "video_note", "sticker")


def file_of(message: Message | None) -> FileRef | OtherMedia | None:
    """The photo (its largest size) or document `message` carries; OtherMedia for a video and
    the like; None for a message without a file."""
    if message is None:
        return None
    for kind in _OTHER_MEDIA:
        if getattr(message, kind, None) is not None:
            return OtherMedia(kind)
    if message.photo:
        largest = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
        return FileRef(
            AttachmentKind.PHOTO, largest.file_id, largest.file_unique_id, size=largest.file_size
        )
    document = message.document
    if document is not None:
        return FileRef(
            AttachmentKind.DOCUMENT,
            document.file_id,
            document.file_unique_id,
            name=document.file_name or "",
            size=document.file_size,
            mime_type=document.mime_type or "",
        )
    return None


def evidence_of(message: Message) -> FileRef | None:
    """What a report command `message` brings as evidence: its own file, else the file of the
    user's message it replies to (never one of the bot's: a reminder is no evidence). A video
    and the like is none: its own was refused before the command ran (bot/handlers/evidence.py),
    and a reply to someone's video is a report like any other."""
    own = file_of(message)
    if own is not None:
        return own if isinstance(own, FileRef) else None
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.is_bot:
        return None
    found = file_of(replied)
    return found if isinstance(found, FileRef) else None


def file_report(file: FileRef | None) -> ProgressReport | None:
    """The report a `/progress 3` with a file and no words makes: a note that is the file."""
    return ProgressReport(None, "") if file is not None else None
