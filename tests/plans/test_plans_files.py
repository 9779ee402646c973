"""Uploaded files: text encodings, .docx extraction and its size guard."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from plans.decode import decode_text
from plans.docx_text import (
    docx_to_text,
)
from plans.ooxml import (
    MAX_UNCOMPRESSED_BYTES,
    ArchiveError,
    ArchiveTooLarge,
    check_archive_size,
)

TEXT = "荆州市总工会十月份工作计划\n责任领导：董军"


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-be"]
)
def test_decode_common_encodings(encoding: str) -> None:
    data = TEXT.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert decode_text(data) == TEXT


def test_decode_characters_only_gb18030_has() -> None:
    text = "䶮𠀀€荆州"  # outside GBK: a CJK extension, a supplementary-plane ideograph, the euro
    assert decode_text(text.encode("gb18030")) == text


def test_decode_truncated_utf8_stays_utf8() -> None:
    data = TEXT.encode("utf-8")[:-1]
    assert decode_text(data).startswith("荆州市总工会十月份工作计划\n责任领导：董")


def test_decode_never_raises_on_junk() -> None:
    assert isinstance(decode_text(bytes(range(256))), str)


def _huge_zip(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


def test_a_docx_that_unpacks_past_20_mb_is_refused_before_unpacking() -> None:
    data = _huge_zip(MAX_UNCOMPRESSED_BYTES + 1024 * 1024)
    assert len(data) < 200_000  # small upload, big expansion
    with pytest.raises(ArchiveTooLarge) as caught:
        docx_to_text(data)
    assert caught.value.size > MAX_UNCOMPRESSED_BYTES
    assert "20 MB" in str(caught.value)


def test_the_size_limit_counts_every_member() -> None:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("十月份工作计划")
    document.save(buffer)
    data = buffer.getvalue()
    check_archive_size(data, ".docx")  # a normal document passes
    with pytest.raises(ArchiveTooLarge):
        docx_to_text(data, limit=10_000)
    assert docx_to_text(data).strip() == "十月份工作计划"


@pytest.mark.parametrize("data", [b"", b"plain text", b"PK\x03\x04broken"])
def test_not_a_docx(data: bytes) -> None:
    with pytest.raises(ArchiveError):
        docx_to_text(data)


def test_a_zip_that_is_not_a_word_document() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ArchiveError):
        docx_to_text(buffer.getvalue())


def test_docx_chinese_list_numbering_is_rendered() -> None:
    document = docx.Document()
    numbering = document.part.numbering_part.element
    # Point the "List Number" definition at Chinese counting with "一、" as Word does for
    # a Chinese numbered list.
    style = document.styles["List Number"]
    num_id = style.element.pPr.numPr.numId.val
    num = numbering.num_having_numId(num_id)
    abstract_id = num.abstractNumId.val
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for abstract in numbering.findall(f"{ns}abstractNum"):
        if abstract.get(f"{ns}abstractNumId") == str(abstract_id):
            level = abstract.find(f"{ns}lvl")
            level.find(f"{ns}numFmt").set(f"{ns}val", "chineseCounting")
            level.find(f"{ns}lvlText").set(f"{ns}val", "%1、")
    for title in ("第一项", "第二项"):
        document.add_paragraph(title, style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    assert docx_to_text(buffer.getvalue()).split("\n") == ["一、 第一项", "二、 第二项"]
