"""read_table: the one walk over a plan table's rows that the Word, PDF and workbook readers share."""

from __future__ import annotations

from pathlib import Path

import pytest

from workplan.core.labels import Message
from workplan.importing.document import PlanDocument, ReadError, Row, SectionRow, read_table

HEADER = ["序号", "合作事项", "年度主要举措及时间节点", "责任部门", "牵头单位"]


def joined(row, where):
    return Message("review.page_row_joined", seq=row.cells["seq"], where=where)


def rows(*cells_list):
    return [(cells, f"row {n}") for n, cells in enumerate(cells_list, start=1)]


def test_header_sections_items_continuations_and_notes():
    doc = PlanDocument(Path("2026.docx"))
    columns, above = read_table(doc, rows(
        ["2026年合作事项清单", "", "", "", ""],
        HEADER,
        ["一、优化营商环境", "", "", "", ""],
        ["1", "推进登记便利化", "拟于6月底前", "登记处", "上海市局"],
        ["", "", "完成试点。", "", "江苏省局"],        # the rest of row 1, cut by a page break
        HEADER,                                          # the header repeated on the next page
        [" 2 ", "深化标准协作", "年底前", "标准处", "浙江省局"],
        ["注：本表由联席会议办公室汇总。", "", "", "", ""],
    ), joined=joined)
    assert columns == {"seq": 0, "title": 1, "measures": 2, "departments": 3, "leads": 4}
    assert above == ["2026年合作事项清单"] and doc.headers_repeated == 1
    assert [type(r) for r in doc.rows] == [SectionRow, Row, Row]
    assert (doc.rows[0].number, doc.rows[0].title, doc.rows[0].where) == (1, "优化营商环境", "row 3")
    assert doc.rows[1].cells == {"seq": "1", "title": "推进登记便利化", "measures": "拟于6月底前\n完成试点。",
                                 "departments": "登记处", "leads": "上海市局\n江苏省局"}
    assert doc.rows[2].cells["seq"] == "2" and doc.rows[2].where == "row 7"
    assert doc.notes == ["注：本表由联席会议办公室汇总。"]
    assert [m.text() for m in doc.normalised] == [joined(doc.rows[1], "row 5").text()]


def test_spaced_text_of_a_page_layout_and_a_sheets_lone_note_cell():
    doc = PlanDocument(Path("2026.pdf"))
    read_table(doc, rows(HEADER, ["二 、 强化 质量 支撑", None, None, None, None], ["3", "x", "年底前", "d", "u"]),
               joined=joined, spaced=True)
    assert [(r.number, r.title) for r in doc.rows if isinstance(r, SectionRow)] == [(2, "强化质量支撑")]
    sheet = PlanDocument(Path("2026.xlsx"))
    read_table(sheet, rows(HEADER, ["3", "x", "年底前", "d", "u"], ["联系人：张三", "", "", "", ""]),
               joined=joined, lone_cell_is_note=True)
    assert sheet.notes == ["联系人：张三"] and sheet.rows[0].cells["measures"] == "年底前"
    word = PlanDocument(Path("2026.docx"))  # the same row in a Word table goes on in the item above
    read_table(word, rows(HEADER, ["3", "x", "年底前", "d", "u"], ["联系人：张三", "", "", "", ""]), joined=joined)
    assert word.notes == [] and word.rows[0].cells["seq"] == "3\n联系人：张三"


def test_no_header_and_a_continuation_with_no_item_above():
    doc = PlanDocument(Path("2026.docx"))
    assert read_table(doc, rows(["甲", "乙"], ["1", "x"]), joined=joined) == (None, ["甲", "乙", "1", "x"])
    assert doc.rows == []
    with pytest.raises(ReadError) as refused:
        read_table(PlanDocument(Path("2026.docx")), rows(HEADER, ["", "续行", "", "", ""]), joined=joined)
    assert refused.value.args[0].key == "ingest.orphan_row" and refused.value.args[0].fields["where"] == "row 2"
