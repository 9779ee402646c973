"""Evidence (佐证材料) as the chat shows it: the line under a report that kept a file, the list
on /item, the caption of a file sent again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import t
from bot.operations.evidence import MAX_SENT, ItemFiles, will_attach
from bot.views.item import Display
from bot.views.render import esc
from storage.attachments import FileRef
from storage.item_changes import ItemChange
from storage.models import Attachment, AttachmentKind, Item

_UNITS = ("B", "KB", "MB", "GB")


def size_label(size: int | None) -> str:
    """`35 KB`, `1.2 MB`; "" when Telegram did not say."""
    if size is None:
        return ""
    value, unit = float(size), 0
    while value >= 1024 and unit < len(_UNITS) - 1:
        value, unit = value / 1024, unit + 1
    shown = f"{value:.0f}" if unit == 0 or value >= 10 else f"{value:.1f}"
    return f"{shown} {_UNITS[unit]}"


def file_label(kind: str, name: str, locale: str) -> str:
    """What a file is called (escaped): its name, or 照片 for a photo, which has none."""
    if name:
        return esc(name)
    return t(locale, "evidence.photo") if kind == AttachmentKind.PHOTO.value else esc(kind)


def attached_lines(change: ItemChange, file: FileRef | None, locale: str) -> list[str]:
    """Under a report's answer: the file it kept, when it kept one."""
    if file is None or not will_attach(change, file):
        return []
    return [t(locale, "evidence.attached", file=file_label(file.kind.value, file.name, locale))]


def which_line(locale: str, items: Sequence[Item], command: str) -> str:
    """A report with a file on a message listing several items: the number must be named (the
    "which one?" buttons would keep the words but could not keep the file)."""
    return t(locale, "evidence.which", n=len(items), command=command, seq=items[0].seq)


def undone_files_lines(count: int, locale: str) -> list[str]:
    """Under /undo's answer: the files of the undone report went with it."""
    return [t(locale, "evidence.undone", n=count)] if count else []


def _when(instant: datetime, tz: ZoneInfo) -> str:
    return instant.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def attachment_lines(
    attachments: Sequence[Attachment], display: Display, ref_text: str
) -> list[str]:
    """/item's list of the item's files (nothing when it has none); `ref_text` is how the
    item was named, for the `/item … files` hint."""
    if not attachments:
        return []
    locale = display.locale
    lines = ["", t(locale, "evidence.heading", n=len(attachments), ref=esc(ref_text))]
    for a in attachments:
        size = size_label(a.size)
        lines.append(
            t(
                locale,
                "evidence.entry",
                when=_when(a.created_at, display.tz),
                who=esc(a.author_name) or t(locale, "items.bot"),
                file=file_label(a.kind, a.file_name, locale),
                size=t(locale, "evidence.size", size=size) if size else "",
            )
        )
    return lines


def file_caption(found: ItemFiles, index: int, display: Display) -> str:
    """The caption of the `index`-th (0-based) file `/item N files` sends, as plain text."""
    a = found.files[index]
    first = found.total - len(found.files)  # the older ones left out come first in numbering
    return t(
        display.locale,
        "evidence.caption",
        seq=found.item.seq,
        n=first + index + 1,
        total=found.total,
        who=a.author_name or t(display.locale, "items.bot"),
        when=_when(a.created_at, display.tz),
    )


def more_line(found: ItemFiles) -> list[str]:
    """After the files sent: how many older ones were left out, if any."""
    left = found.total - len(found.files)
    return [t(found.locale, "evidence.more", n=left, max=MAX_SENT)] if left > 0 else []
