"""Evidence (佐证材料) in the exports, on both databases: the xlsx updates sheet names each
update's files in its own column, and the docx names each item's files under a heading after
the table, with who sent them and the day; a month without files has neither."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from bot.exports import make_export
from storage.attachments import FileRef, attach
from storage.chats import get_or_create_chat
from storage.db import Database
from storage.models import AttachmentKind, Item, ItemEvent
from storage.reports import month_report, plan_for_month
from tests.support.reports import SHANGHAI, seed_october

TODAY = date(2020, 11, 3)
NOW = datetime(2020, 11, 3, 2, 0, tzinfo=UTC)


async def _report(db: Database, *, with_files: bool):
    async with db.session() as session:
        await seed_october(session, -1001)
        await session.commit()
        if with_files:
            done = await session.scalar(
                select(ItemEvent)
                .join(Item, Item.id == ItemEvent.item_id)
                .where(Item.seq == 1, ItemEvent.kind == "done")
            )
            attach(session, done, FileRef(AttachmentKind.PHOTO, "AgAC1"))
            pdf = FileRef(AttachmentKind.DOCUMENT, "BQAC2", name="活动总结.pdf", size=9)
            attach(session, done, pdf)
            await session.commit()
        chat = await get_or_create_chat(session, -1001)
        plan = await plan_for_month(session, chat.id, (None, 10), TODAY)
        return await month_report(session, chat, plan, SHANGHAI)


def _export(report, fmt: str, locale: str = "zh_CN") -> bytes:
    return make_export(fmt, report, locale=locale, today=TODAY, now=NOW, org="总工会").data


async def test_xlsx_lists_each_updates_files(db):
    report = await _report(db, with_files=True)
    sheet = load_workbook(io.BytesIO(_export(report, "xlsx")))["进展记录"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "佐证材料"
    with_files = [(row[0], row[3], row[-1]) for row in rows[1:] if row[-1]]
    assert with_files == [(1, "完成", "照片、活动总结.pdf")]

    english = load_workbook(io.BytesIO(_export(report, "xlsx", "en")))
    (listed,) = [
        row[-1]
        for row in english.worksheets[1].iter_rows(values_only=True)
        if row[0] == 1 and row[-1]
    ]
    assert listed == "photo, 活动总结.pdf"


async def test_docx_names_the_files_under_their_item(db):
    report = await _report(db, with_files=True)
    paragraphs = [p.text for p in Document(io.BytesIO(_export(report, "docx"))).paragraphs]
    start = paragraphs.index("佐证材料")
    assert paragraphs[start + 1 :] == [
        "1. 扎实开展2020年“扶贫日”活动：照片（高启秀，10月17日）、活动总结.pdf（高启秀，10月17日）"
    ]
    english = [p.text for p in Document(io.BytesIO(_export(report, "docx", "en"))).paragraphs]
    assert english[english.index("Evidence") + 1].endswith(
        ": photo (高启秀, 10/17), 活动总结.pdf (高启秀, 10/17)"
    )


async def test_a_month_without_files_has_no_evidence_block(db):
    report = await _report(db, with_files=False)
    paragraphs = [p.text for p in Document(io.BytesIO(_export(report, "docx"))).paragraphs]
    assert "佐证材料" not in paragraphs
    sheet = load_workbook(io.BytesIO(_export(report, "xlsx")))["进展记录"]
    assert all(row[-1] is None for row in list(sheet.iter_rows(values_only=True))[1:])
