"""Hostile uploads are refused with one sentence, cheaply: a zip whose headers lie about its
size, XML bombs and external entities, files that are not what their name says."""

from __future__ import annotations

from pathlib import Path

import pytest

from plans.document import MAX_FILE_BYTES, DocumentProblem, DocumentRefused, document_text
from plans.ooxml import MAX_UNCOMPRESSED_BYTES, ArchiveError, ArchiveTooLarge, check_archive_size
from tests.support.hostile_files import (
    BILLION_LAUGHS,
    MB,
    docx_with_doctype,
    lying_zip,
    refuse_in_child,
    xlsx_with_doctype,
)

EXTERNAL_ENTITY = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize(
    ("suffix", "broken"),
    [(".docx", DocumentProblem.DOCX_BROKEN), (".xlsx", DocumentProblem.XLSX_BROKEN)],
)
def test_a_zip_whose_headers_lie_is_refused_after_reading_a_little(
    suffix: str, broken: DocumentProblem, tmp_path: Path
) -> None:
    # 400 MB inside, the headers (local and central) say 2 KB: 888 MiB of RSS before.
    data = lying_zip(suffix, 400 * MB, 2048)
    assert len(data) < 1 * MB
    result = refuse_in_child("bomb" + suffix, data, tmp_path)
    assert result["refused"] == broken.value
    # Inflated in 64 KB steps and stopped at the first step past the declared 2 KB.
    assert 2048 < result["unpacked"] <= 2048 + 200 * 1024, result
    # Python, plans/ and the 400 KB upload: far below the 400 MB the member holds.
    assert result["peak_mib"] < 150


def test_the_limit_counts_bytes_inflated_not_header_sizes() -> None:
    # Headers that say 1 MB over a member of 30 MB: refused before 20 MB + one step is read.
    with pytest.raises(ArchiveError) as caught:
        check_archive_size(lying_zip(".docx", 30 * MB, 1 * MB), ".docx")
    assert caught.value.unpacked <= 1 * MB + 200 * 1024
    # Honest headers over the limit are refused before anything is inflated.
    with pytest.raises(ArchiveTooLarge) as too_large:
        check_archive_size(lying_zip(".docx", 1 * MB, 21 * MB), ".docx")
    assert too_large.value.unpacked == 0
    assert check_archive_size(lying_zip(".docx", MB, MB), ".docx") > MB
    assert MAX_UNCOMPRESSED_BYTES == 20 * MB


@pytest.mark.parametrize(
    ("name", "build", "broken"),
    [
        ("plan.docx", docx_with_doctype, DocumentProblem.DOCX_BROKEN),
        ("plan.xlsx", xlsx_with_doctype, DocumentProblem.XLSX_BROKEN),
    ],
)
def test_a_billion_laughs_is_refused(name, build, broken) -> None:
    assert document_text(name, build("", "十月份工作计划")) == "十月份工作计划"
    with pytest.raises(DocumentRefused) as refused:
        document_text(name, build(BILLION_LAUGHS, "&lol9;"))
    assert refused.value.reason is broken


@pytest.mark.parametrize(
    ("name", "build"), [("plan.docx", docx_with_doctype), ("plan.xlsx", xlsx_with_doctype)]
)
def test_an_external_entity_is_never_read(name, build) -> None:
    try:
        text = document_text(name, build(EXTERNAL_ENTITY, "计划&xxe;"))
    except DocumentRefused:
        return
    assert "root:" not in text


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("plan.docx", b"plain text, not a zip", DocumentProblem.DOCX_BROKEN),
        ("plan.xlsx", b"PK\x03\x04broken", DocumentProblem.XLSX_BROKEN),
        ("plan.txt", b"x" * (3 * MB), DocumentProblem.TOO_LARGE),
        ("plan.txt", b"", DocumentProblem.EMPTY),
        ("plan.docx", b"", DocumentProblem.DOCX_BROKEN),
    ],
)
def test_files_that_are_not_what_they_say_are_refused(name, data, reason) -> None:
    with pytest.raises(DocumentRefused) as refused:
        document_text(name, data)
    assert refused.value.reason is reason
    assert MAX_FILE_BYTES < 3 * MB


def test_a_binary_txt_reads_as_text_and_never_raises() -> None:
    # Read (never raised); the plan reader then finds no items in it.
    from plans.parser import parse_plan

    text = document_text("plan.txt", bytes(range(256)) * 100)
    assert parse_plan(text).items == []
