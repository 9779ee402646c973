"""Plan tables: headers read by meaning, rows in every encoding offices paste, and refusals."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plans.blocks import blocks_of, table_trouble
from plans.document import document_text
from plans.html_tables import expand_html_tables, html_to_text
from plans.labels import Kind, column_kind
from plans.parser import parse_plan
from plans.tables import Table, TableTrouble, read_table, split_row


def _table(text: str) -> Table:
    tables = [block for block in blocks_of(text) if isinstance(block, Table)]
    assert len(tables) == 1, list(blocks_of(text))
    return tables[0]


def _rows(text: str) -> list[list[str]]:
    return [row.split("|") for row in text.strip().splitlines()]


# -- headers by meaning -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("计划编号", Kind.SEQ),
        ("计划标题", Kind.TITLE),
        ("主要工作", Kind.TITLE),
        ("主要工作内容", Kind.TITLE),
        ("具体工作任务", Kind.TITLE),
        ("任务内容", Kind.TITLE),
        ("预计完成时间", Kind.DEADLINE),
        ("办结时限", Kind.DEADLINE),
        ("起止日期", Kind.DEADLINE),
        ("时间安排", Kind.DEADLINE),
        ("责任部门/人", Kind.DEPARTMENTS),
        ("责任单位（部门）", Kind.DEPARTMENTS),
        ("主办单位", Kind.DEPARTMENTS),
        ("负责部门", Kind.DEPARTMENTS),
        # A .docx header cell of two paragraphs arrives joined by "；".
        ("责任；领导", Kind.LEADERS),
        # The longer word wins: 负责人 inside "项目负责人", not 项目.
        ("项目负责人", Kind.LEADERS),
    ],
)
def test_a_header_cell_is_read_by_the_words_inside_it(cell: str, kind: Kind) -> None:
    assert column_kind(cell) is kind


@pytest.mark.parametrize(
    "cell", ["进展情况", "完成情况", "周次", "张三", "序列化", "", "填报单位：办公室"]
)
def test_cells_naming_no_plan_field_have_no_kind(cell: str) -> None:
    assert column_kind(cell) is None


def test_every_header_word_the_issue_lists_is_understood() -> None:
    words = [
        (Kind.SEQ, "计划编号 编号 序号"),
        (Kind.TITLE, "计划标题 主要工作 重点工作 工作事项 任务内容 具体任务 工作任务 工作内容"),
        (Kind.LEADERS, "责任领导 分管领导 牵头领导 责任人"),
        (Kind.DEPARTMENTS, "责任部门/人 责任处室 承办单位 主办单位 责任单位 牵头单位"),
        (Kind.PARTNERS, "配合单位"),
        (Kind.DEADLINE, "完成时限 完成时间 预计完成时间 截止时间 办结时限 时间节点"),
        (Kind.DEADLINE, "起止日期 时间安排"),
    ]
    for kind, cells in words:
        got = {cell: column_kind(cell) for cell in cells.split()}
        assert got == dict.fromkeys(cells.split(), kind)


def test_columns_not_understood_are_ignored_and_named_in_a_warning() -> None:
    table = read_table(
        _rows("""
序号|工作任务|责任领导|进展情况|完成情况|完成时限
1|修缮屋顶|张三|已招标||10月底
""")
    )
    assert table is not None
    assert table.records == [
        {
            Kind.SEQ: ["1"],
            Kind.TITLE: ["修缮屋顶"],
            Kind.LEADERS: ["张三"],
            Kind.DEADLINE: ["10月底"],
        }
    ]
    assert table.warnings == ["表格的“进展情况”、“完成情况”列不是计划的字段，没有导入"]


def test_a_table_without_a_task_column_takes_its_wordiest_unknown_column_and_says_so() -> None:
    table = read_table(_rows("周次|名称|责任领导|完成时限\n第一周|修缮办公楼屋顶|张三|10月底"))
    assert table is not None
    assert table.records[0][Kind.TITLE] == ["修缮办公楼屋顶"]
    assert table.warnings == [
        "表格没有“工作任务”列，把“名称”列当作工作任务",
        "表格的“周次”列不是计划的字段，没有导入",
    ]


def test_rows_are_numbered_in_order_when_the_table_has_no_number_column() -> None:
    table = read_table(
        _rows("工作内容|负责部门|日期\n开学典礼|政教处|9月1日\n教师节表彰|校办|9月10日")
    )
    assert table is not None and not table.numbered
    assert [r[Kind.SEQ] for r in table.records] == [["1"], ["2"]]


def test_the_number_column_keeps_the_numbers_written() -> None:
    table = read_table(_rows("序号|工作任务|责任领导\n3|修缮屋顶|张三\n7|种树|李四"))
    assert table is not None and table.numbered
    assert [r[Kind.SEQ] for r in table.records] == [["3"], ["7"]]


def test_the_header_may_sit_below_title_rows() -> None:
    rows = _rows("""
市住建局|市住建局|市住建局
2023年12月重点工作安排表||
（2023年11月30日）||
填报单位：办公室||填报时间：11月30日
制表人：王五||
具体工作任务|分管领导|预计完成时间
冬季安全生产大检查|刘志强|12月15日
""")
    table = read_table(rows)
    assert table is not None
    assert table.caption == [
        "市住建局",
        "2023年12月重点工作安排表",
        "（2023年11月30日）",
        "填报单位：办公室 填报时间：11月30日",
        "制表人：王五",
    ]
    assert table.records[0][Kind.TITLE] == ["冬季安全生产大检查"]


def test_a_header_repeated_on_a_later_page_is_not_a_task() -> None:
    table = read_table(
        _rows("序号|工作任务|责任领导\n1|修缮屋顶|张三\n序号|工作任务|责任领导\n2|种树|李四")
    )
    assert table is not None
    assert [r[Kind.TITLE] for r in table.records] == [["修缮屋顶"], ["种树"]]


def test_a_task_merged_over_two_rows_is_one_task_with_both_rows_measures() -> None:
    table = read_table(
        _rows("""
序号|重点任务|具体措施|责任单位
1|优化营商环境|清理涉企收费|价格科
1|优化营商环境|压缩审批时限|审批股
2|项目建设|调度重点项目|项目办
""")
    )
    assert table is not None
    assert table.records[0] == {
        Kind.SEQ: ["1"],
        Kind.TITLE: ["优化营商环境"],
        Kind.CONTENT: ["清理涉企收费", "压缩审批时限"],
        Kind.DEPARTMENTS: ["价格科", "审批股"],
    }
    assert len(table.records) == 2


def test_the_same_task_in_two_weeks_is_two_tasks() -> None:
    table = read_table(
        _rows("工作内容|负责部门|日期\n升旗仪式|政教处|9月4日\n升旗仪式|政教处|9月11日")
    )
    assert table is not None
    assert [(r[Kind.SEQ], r[Kind.DEADLINE]) for r in table.records] == [
        (["1"], ["9月4日"]),
        (["2"], ["9月11日"]),
    ]


def test_a_section_row_after_its_numeral_is_a_heading_not_a_task() -> None:
    table = read_table(
        _rows("序号|工作任务|责任领导|完成时限\n二|营商环境|营商环境|营商环境\n3|种树|李四|3月")
    )
    assert table is not None
    assert [r[Kind.TITLE] for r in table.records] == [["种树"]]


# -- encodings ----------------------------------------------------------------------------


def test_pipe_rows_without_the_outer_pipes_are_table_rows() -> None:
    assert split_row("序号 | 工作任务 | 责任领导") == ["序号", "工作任务", "责任领导"]
    assert split_row("1 | 修缮屋顶 | 张三 |") == ["1", "修缮屋顶", "张三"]
    assert split_row("一、做好档案工作") is None


def test_a_line_with_a_pipe_that_is_no_table_stays_a_line() -> None:
    blocks = list(blocks_of("十月份工作计划\n一、开展安全检查 | 重点是消防\n责任领导：张三"))
    assert blocks == ["十月份工作计划", "一、开展安全检查 | 重点是消防", "责任领导：张三"]


def test_a_raw_html_table_in_text_fills_merged_cells() -> None:
    text = expand_html_tables(
        "前言\n<TABLE><tr><td colspan=3>标题</td></tr>"
        "<tr><th>序号<th>工作任务<th>分管领导"
        "<tr><td>1<td>修缮屋顶<td rowspan=2>刘志强"
        "<tr><td>2<td>种树</table>\n后记"
    )
    assert text.splitlines() == [
        "前言",
        "",
        "标题\t标题\t标题",
        "序号\t工作任务\t分管领导",
        "1\t修缮屋顶\t刘志强",
        "2\t种树\t刘志强",
        "",
        "后记",
    ]


def test_an_html_cell_merged_down_in_the_first_column_fills_the_rows_below() -> None:
    rows = html_to_text(
        "<table><tr><td rowspan=3>第一周</td><td>报到</td></tr>"
        "<tr><td>开学典礼</td></tr><tr><td>军训</td></tr></table>"
    ).splitlines()
    assert rows == ["第一周\t报到", "第一周\t开学典礼", "第一周\t军训"]


def test_html_paragraphs_lists_and_nested_tables() -> None:
    text = html_to_text(
        "<html><head><style>p{}</style><script>var a='<p>x</p>';</script></head><body>"
        "<h1>十月份工作计划</h1><ol><li>做好档案工作</li><li>召开会议</li></ol>"
        "<table><tr><td>部门</td><td><p>办公室</p><p>组织部</p></td></tr>"
        "<tr><td>配合</td><td><table><tr><td>工会</td><td>团委</td></tr></table></td></tr>"
        "<tr><td>&nbsp;</td><td>备注&nbsp;</td></tr>"
        "</table><p>荆州&amp;市</p></body></html>"
    )
    assert text.splitlines() == [
        "十月份工作计划",
        "1.做好档案工作",
        "2.召开会议",
        "",
        "部门\t办公室；组织部",
        "配合\t工会；团委",
        "\t备注",
        "",
        "荆州&市",
    ]


def test_broken_html_never_raises() -> None:
    for html in [
        "<table><tr><td rowspan=999999999 colspan=-1>x",
        "<![if !supportLists]>1.",
        "</td></tr>",
    ]:
        assert isinstance(html_to_text(html), str)
        assert isinstance(expand_html_tables("<table>" + html), str)


def test_an_htm_file_is_read_as_a_plan() -> None:
    data = (
        "<html><body><p>2023年12月工作计划</p><table>"
        "<tr><td>序号</td><td>工作任务</td><td>责任领导</td><td>完成时限</td></tr>"
        "<tr><td>1</td><td>修缮屋顶</td><td>张三</td><td>12月底</td></tr></table></body></html>"
    ).encode("gb18030")
    plan = parse_plan(document_text("计划.HTM", data))
    assert [(i.title, i.leaders) for i in plan.items] == [("修缮屋顶", ["张三"])]


# -- refusal ------------------------------------------------------------------------------


def test_a_table_with_an_unknown_header_says_which_header_it_found() -> None:
    text = "十月份工作计划\n\n| 工作 | 谁 | 何时 |\n|---|---|---|\n| 修缮屋顶 | 张三 | 10月 |\n"
    assert parse_plan(text).items == []
    assert table_trouble(text) == TableTrouble(("工作", "谁", "何时"))


def test_the_header_named_skips_a_title_row() -> None:
    text = "标题\t标题\t标题\n工作\t谁\t何时\n修缮屋顶\t张三\t10月\n"
    assert table_trouble(text) == TableTrouble(("工作", "谁", "何时"))


@pytest.mark.parametrize(
    "text",
    [
        "十月份工作计划\n一、修缮屋顶\n责任领导：张三",
        "| 序号 | 工作任务 | 责任领导 |\n| 1 | 修缮屋顶 | 张三 |",
        "a | b\n",  # one row is a line with a pipe, not a table
        "",
    ],
)
def test_no_table_trouble_without_an_unreadable_table(text: str) -> None:
    assert table_trouble(text) is None


# -- never raises -------------------------------------------------------------------------

_CELLS = st.one_of(
    st.sampled_from(
        ["序号", "工作任务", "责任领导", "责任部门/人", "预计完成时间", "进展情况", "1", "二",
         "修缮屋顶", "张三", "10月底", "", " ", "---", ":-:", "<br>", "\\|", "；"]
    ),
    st.text(max_size=6),
)  # fmt: skip
_SEPARATORS = st.sampled_from(["|", " | ", "\t", "｜", "  "])
_row = st.tuples(
    st.booleans(), st.lists(_CELLS, min_size=1, max_size=7), _SEPARATORS, st.booleans()
).map(lambda r: ("|" if r[0] else "") + r[2].join(r[1]) + ("|" if r[3] else ""))
_HTML = st.sampled_from(
    ["<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th>", "<td rowspan=2>",
     "<td colspan=3>", "<td rowspan=0 colspan=99999>", "<br>", "<p>", "<ol>", "<li>",
     "<![if !supportLists]>", "<!--", "-->", "<script>", "&nbsp;", "&#0;", "<"]
)  # fmt: skip
table_like = st.lists(
    st.one_of(_row, _HTML, st.sampled_from(["2023年10月工作计划", "", "一、修缮屋顶"])),
    max_size=25,
).map("\n".join)
html_like = st.lists(st.one_of(_HTML, _CELLS), max_size=40).map("".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(table_like, html_like))
def test_any_table_like_text_parses_without_an_exception(text: str) -> None:
    plan = parse_plan(text)
    assert all(isinstance(w, str) and w for w in plan.warnings)
    trouble = table_trouble(text)
    assert trouble is None or len(trouble.header) >= 2
    # The same text uploaded as an .html page.
    page = parse_plan(html_to_text(text))
    assert all(isinstance(w, str) and w for w in page.warnings)


def test_a_docx_table_with_a_title_row_and_a_leader_merged_down_two_rows() -> None:
    import io

    import docx

    document = docx.Document()
    table = document.add_table(rows=5, cols=4)
    table.cell(0, 0).merge(table.cell(0, 3)).text = "2023年10月重点工作任务分解表"
    rows = [
        ["序号", "具体工作任务", "分管领导", "预计完成时间"],
        ["1", "修缮屋顶", "张三", "10月底"],
        ["2", "种树", "", "10月20日"],
        ["3", "开会", "李四", "10月9日"],
    ]
    for row, texts in zip(table.rows[1:], rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    table.cell(2, 2).merge(table.cell(3, 2))
    buffer = io.BytesIO()
    document.save(buffer)
    plan = parse_plan(document_text("计划.docx", buffer.getvalue()))
    assert (plan.year, plan.month, plan.title) == (2023, 10, "2023年10月重点工作任务分解表")
    assert [(i.title, i.leaders) for i in plan.items] == [
        ("修缮屋顶", ["张三"]),
        ("种树", ["张三"]),
        ("开会", ["李四"]),
    ]
