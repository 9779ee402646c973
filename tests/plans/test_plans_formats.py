"""Reading .xlsx and .pdf uploads, refusing formats that cannot be read, and .docx details."""

from __future__ import annotations

import io
from datetime import datetime

import docx
import openpyxl
import pytest
from docx.oxml import parse_xml
from fpdf import FPDF

from plans.document import (
    MAX_FILE_BYTES,
    MAX_PACKED_BYTES,
    DocumentProblem,
    DocumentRefused,
    check_upload,
    document_text,
)
from plans.docx_text import docx_to_text
from plans.pdf_text import PdfScanned, PdfTooLong, page_lines, pdf_to_text, unwrap
from plans.xlsx_text import sheet_lines, xlsx_to_text
from tests.support.documents import cjk_font, pdf_bytes, xlsx_bytes


def _xlsx(sheets: list[dict]) -> bytes:
    return xlsx_bytes({"sheets": sheets})


def test_a_merged_cell_fills_its_range_and_a_title_row_is_a_line() -> None:
    data = _xlsx(
        [
            {
                "rows": [
                    ["十一月重点工作任务分解表", "", "", ""],
                    ["序号", "工作任务", "责任领导", "完成时限"],
                    [1, "召开大会", "高启秀", "11月10日"],
                    [2, "走访慰问", "", "11月底"],
                ],
                "merged": ["A1:D1", "C3:C4"],
            }
        ]
    )
    assert xlsx_to_text(data).split("\n") == [
        "十一月重点工作任务分解表",
        "序号\t工作任务\t责任领导\t完成时限",
        "1\t召开大会\t高启秀\t11月10日",
        "2\t走访慰问\t高启秀\t11月底",
    ]


def test_the_sheet_that_looks_like_a_plan_is_read() -> None:
    data = _xlsx(
        [
            {"name": "说明", "rows": [["填报说明：请按月填写"]]},
            {"name": "任务", "rows": [["序号", "工作任务", "责任领导"], [1, "召开大会", "高启秀"]]},
        ]
    )
    text = xlsx_to_text(data)
    assert "召开大会" in text and "填报说明" not in text


def test_without_a_plan_sheet_the_first_sheet_with_text_is_read() -> None:
    data = _xlsx([{"name": "空", "rows": []}, {"name": "Sheet2", "rows": [["十月份工作计划"]]}])
    assert xlsx_to_text(data) == "十月份工作计划"


def test_a_hidden_sheet_is_not_read() -> None:
    plan = [["序号", "工作任务", "责任领导", "完成时限"], [1, "旧任务", "高启秀", "1月"]]
    data = _xlsx(
        [
            {"name": "旧", "rows": plan, "hidden": True},
            {"name": "新", "rows": [["序号", "工作任务", "责任领导"], [1, "新任务", "郭红萍"]]},
        ]
    )
    assert "新任务" in xlsx_to_text(data) and "旧任务" not in xlsx_to_text(data)


def test_cells_read_as_written() -> None:
    book = openpyxl.Workbook()
    book.active.append([3.0, 2.5, datetime(2023, 6, 30), "办公室\n组织部", True])
    buffer = io.BytesIO()
    book.save(buffer)
    assert xlsx_to_text(buffer.getvalue()) == "3\t2.5\t2023-06-30\t办公室；组织部\tTrue"


def test_a_sheet_name_is_the_title_of_a_sheet_without_one() -> None:
    rows = [["序号", "工作任务"], ["1", "召开大会"]]
    assert sheet_lines(rows, "2023年4月计划")[0] == "2023年4月计划"
    assert sheet_lines(rows, "Sheet1")[0] == "序号\t工作任务"
    assert sheet_lines([["四月计划", ""], *rows], "任务")[0] == "四月计划"


def test_an_empty_row_inside_a_table_does_not_split_it() -> None:
    rows = [["序号", "工作任务", ""], ["", "", ""], ["1", "召开大会", ""]]
    assert sheet_lines(rows) == ["序号\t工作任务", "1\t召开大会"]


def _pdf(lines: list[str]) -> bytes:
    return pdf_bytes({"body": lines})


def test_pdf_lines_keep_their_order_and_a_wrapped_paragraph_is_joined() -> None:
    long_title = "1.举办全市职工素质大讲堂第十期暨全市工会宣传干部培训班，邀请专家授课" * 2
    text = pdf_to_text(_pdf(["十月份工作计划", long_title + "（责任领导：郭红萍）", "2.第二项"]))
    assert text.split("\n") == ["十月份工作计划", long_title + "（责任领导：郭红萍）", "2.第二项"]


def test_only_a_line_cut_at_the_right_margin_is_joined_to_the_next() -> None:
    wrapped = "1.做好困难职工解困脱困第三方评估抽查迎检工作，逐户核实帮扶台账（责任领"
    ended = "2.做好省级文明单位测评迎检工作，逐户核实帮扶台账资（责任领导：郭红萍）"
    assert len(wrapped) == len(ended)
    page = "\n".join([wrapped, "导：高启秀）", ended, "办公室", "3.短的一行", "不接上"])
    assert unwrap(page_lines(page)) == [
        wrapped + "导：高启秀）",
        ended,
        "办公室",
        "3.短的一行",
        "不接上",
    ]


def test_page_numbers_are_dropped() -> None:
    page = "十月份工作计划\n1.召开大会\n- 1 -\n第 2 页 共 3 页"
    assert [line for line, _ in page_lines(page)] == ["十月份工作计划", "1.召开大会"]


def test_a_pdf_table_keeps_its_rows_and_wrapped_cells() -> None:
    data = pdf_bytes(
        {
            "body": [
                {
                    "table": [
                        ["序号", "工作任务", "责任领导"],
                        ["1", "开展职工技能大赛暨全市工会系统岗位练兵活动", "官庆军"],
                    ]
                }
            ]
        }
    )
    assert pdf_to_text(data).split("\n") == [
        "序号\t工作任务\t责任领导",
        "1\t开展职工技能大赛暨全市工会系统岗位练兵活动\t官庆军",
    ]


def _scanned_pdf(pages: int = 1) -> bytes:
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.rect(20, 20, 100, 60, style="F")  # a picture of a page, no text
    return bytes(pdf.output())


def test_a_pdf_without_a_text_layer_is_refused_with_one_sentence() -> None:
    with pytest.raises(PdfScanned):
        pdf_to_text(_scanned_pdf())
    with pytest.raises(DocumentRefused) as refused:
        document_text("扫描件.pdf", _scanned_pdf())
    assert refused.value.reason is DocumentProblem.PDF_SCANNED


def test_a_pdf_with_too_many_pages_is_refused_before_reading() -> None:
    with pytest.raises(PdfTooLong):
        pdf_to_text(_scanned_pdf(3), max_pages=2)


@pytest.mark.parametrize(
    "data", [b"", b"%PDF-1.4", b"not a pdf at all", b"%PDF-1.7\n" + b"\0" * 999]
)
def test_a_broken_pdf_is_refused(data: bytes) -> None:
    with pytest.raises(DocumentRefused) as refused:
        document_text("plan.pdf", data)
    assert refused.value.reason is DocumentProblem.PDF_BROKEN


def test_a_chinese_pdf_reads_through_the_upload_path() -> None:
    assert cjk_font().exists()
    text = document_text("计划.pdf", _pdf(["荆州市总工会十月份工作计划"]))
    assert text == "荆州市总工会十月份工作计划"


@pytest.mark.parametrize("name", ["计划.doc", "计划.DOC", "任务.wps", "任务.et", "任务.xls"])
def test_old_office_and_wps_files_are_asked_to_be_saved_again(name: str) -> None:
    with pytest.raises(DocumentRefused) as refused:
        check_upload(name, 1000)
    assert refused.value.reason is DocumentProblem.SAVE_AS
    assert refused.value.values == {"suffix": name[name.rindex(".") :].lower()}


def test_size_limits_depend_on_the_format() -> None:
    check_upload("计划.pdf", MAX_PACKED_BYTES)
    check_upload("计划.xlsx", MAX_FILE_BYTES + 1)
    with pytest.raises(DocumentRefused) as refused:
        check_upload("计划.txt", MAX_FILE_BYTES + 1)
    assert refused.value.values == {"mb": 2}
    with pytest.raises(DocumentRefused) as refused:
        check_upload("计划.pdf", MAX_PACKED_BYTES + 1)
    assert refused.value.values == {"mb": 10}


def test_a_broken_xlsx_is_refused() -> None:
    with pytest.raises(DocumentRefused) as refused:
        document_text("plan.xlsx", b"PK\x03\x04broken")
    assert refused.value.reason is DocumentProblem.XLSX_BROKEN


def test_an_xlsx_that_unpacks_too_large_is_refused_before_unpacking() -> None:
    from tests.plans.test_plans_files import _huge_zip

    with pytest.raises(DocumentRefused) as refused:
        document_text("bomb.xlsx", _huge_zip(21 * 1024 * 1024))
    assert refused.value.reason is DocumentProblem.XLSX_TOO_LARGE


def _docx_with_body_xml(xml: str) -> bytes:
    document = docx.Document()
    document.element.body.insert(0, parse_xml(xml))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_docx_text_inside_content_controls_links_and_insertions_is_read() -> None:
    data = _docx_with_body_xml(
        f"<w:sdt {_W}><w:sdtContent><w:p>"
        "<w:r><w:t>1.召开</w:t></w:r>"
        "<w:hyperlink><w:r><w:t>职工代表</w:t></w:r></w:hyperlink>"
        "<w:ins><w:r><w:t>大会</w:t></w:r></w:ins>"
        "<w:del><w:r><w:delText>删掉的字</w:delText></w:r></w:del>"
        '<w:r><w:br w:type="page"/><w:t>（责任领导：高启秀）</w:t></w:r>'
        "</w:p></w:sdtContent></w:sdt>"
    )
    assert docx_to_text(data).split("\n")[0] == "1.召开职工代表大会（责任领导：高启秀）"


def test_a_plan_printed_to_pdf_parses_as_its_text_does() -> None:
    from plans.parser import parse_plan
    from tests.bench.bench_parser import generate_plan

    # The sample's summary (long justified paragraphs), then 30 items in the sample's layout,
    # every fifth with its fields in brackets long enough to wrap.
    lines = generate_plan(30).split("\n")
    expected = parse_plan("\n".join(lines))
    got = parse_plan(pdf_to_text(_pdf(lines)))

    def items(plan):  # a space where a line wrapped may go: compare titles without spaces
        return [
            (i.seq, i.title.replace(" ", ""), i.leaders, i.departments, i.deadline)
            for i in plan.items
        ]

    assert len(expected.items) == 30
    assert items(got) == items(expected)


@pytest.mark.parametrize(("user_password", "readable"), [("", True), ("secret", False)])
def test_a_pdf_needs_no_password_to_be_read(user_password: str, readable: bool) -> None:
    from fpdf.enums import EncryptionMethod

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("cjk", fname=str(cjk_font()))
    pdf.set_font("cjk", size=12)
    pdf.cell(text="荆州市总工会十月份工作计划")
    # Government sites post PDFs with an owner password (no editing) and AES encryption.
    pdf.set_encryption(
        owner_password="owner",
        user_password=user_password,
        encryption_method=EncryptionMethod.AES_128,
    )
    data = bytes(pdf.output())
    if readable:
        assert document_text("通知.pdf", data) == "荆州市总工会十月份工作计划"
    else:
        with pytest.raises(DocumentRefused) as refused:
            document_text("通知.pdf", data)
        assert refused.value.reason is DocumentProblem.PDF_BROKEN


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".pdf"])
def test_a_cut_or_damaged_file_is_refused_never_raised(suffix: str) -> None:
    from pathlib import Path

    from tests.support.documents import build

    corpus = Path(__file__).parents[1] / "fixtures" / "plans"
    name, data = build(next(corpus.glob(f"*{suffix}.json")))
    damaged = [data[:cut] for cut in range(0, len(data), max(1, len(data) // 23))]
    damaged += [data[:200] + bytes(range(256)) + data[456:], data.replace(b"\x00", b"\x01")]
    for sample in damaged:
        try:
            document_text(name, sample)
        except DocumentRefused:
            pass
