"""Evidence (佐证材料) in the exports: the files of an update as one cell, and the docx block that
names each item's files under it. Plain text: no HTML in a workbook or a document."""

from __future__ import annotations

from collections.abc import Sequence

from bot.exports.common import names
from bot.i18n import t
from plans.summary import ReportFile, ReportItem


def file_words(files: Sequence[ReportFile], locale: str) -> str:
    """`照片、纪要.pdf`: each file by its name, a photo (no name) as 照片."""
    return names(tuple(f.name or t(locale, "evidence.photo") for f in files), locale)


def item_files_lines(items: Sequence[ReportItem], locale: str) -> list[str]:
    """For the docx: one line per item that has files, naming them with who sent them and
    the day: `3. 召开职代会：照片（张三，10月20日）、纪要.pdf（李四，10月21日）`."""
    lines = []
    for item in items:
        sent = [
            t(
                locale,
                "export.evidence.file",
                file=file_words([f], locale),
                author=u.author or t(locale, "items.bot"),
                month=u.day.month,
                day=u.day.day,
            )
            for u in item.updates
            for f in u.files
        ]
        if sent:
            listed = t(locale, "list.sep").join(sent)
            lines.append(
                t(locale, "export.evidence.item", seq=item.seq, title=item.title, files=listed)
            )
    return lines
