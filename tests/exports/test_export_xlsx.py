"""`workplan export --xlsx`: the workbook reopened with openpyxl — cells, print settings, validation,
conditional formats, the summary, per-unit sheets and formula-safe text."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zipfile

import pytest

openpyxl = pytest.importorskip("openpyxl")

from conftest import REGISTRY, ROOT, sheet_rows  # noqa: E402

ALL_IDS = [f"2024-{n:02d}" for n in range(1, 37)] + ["2024-36b"] + [f"2024-{n:02d}" for n in range(37, 59)]
HEADER_ZH = ["序号", "合作事项", "年度主要举措及时间节点", "责任部门", "牵头单位", "截止日期", "时间节点", "状态",
             "进展情况", "更新日期", "编号", "灯号"]
ROWS = sheet_rows(ALL_IDS)
SECTION_ROWS = {4: "一、协同联建一流营商环境", 12: "二、共同维护公平竞争市场秩序", 16: "三、强化质量支撑标准引领",
                30: "四、助力特色产业高质量发展", 39: "五、强化一体化监管服务能力", 60: "六、推进毗邻区域能域市场监管一体化"}
# Items 江苏省局 leads: the six 三省一市局 items, 2024-14 alone and 2024-56 with 安徽省局.
JIANGSU_IDS = ["2024-01", "2024-10", "2024-13", "2024-14", "2024-15", "2024-16", "2024-56", "2024-57"]
PLAN_TITLE = "长三角市场监管一体化发展2024年工作要点"


def export(cli, tmp_path, *args, name="out.xlsx"):
    target = tmp_path / name
    result = cli("export", "--xlsx", target, "--as-of", "2024-10-01", *args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    return openpyxl.load_workbook(target), target


def item_rows(ws, first=4):
    """The rows holding items (a section row has no 编号)."""
    return [r for r in range(first, ws.max_row + 1) if ws[f"K{r}"].value is not None]


def column(ws, letter, first=4):
    return [ws[f"{letter}{r}"].value for r in item_rows(ws, first)]


@pytest.fixture
def workbook(cli, tmp_path):
    wb, _ = export(cli, tmp_path, "--data", REGISTRY)
    return wb


def test_sheets_title_and_header(workbook):
    assert workbook.sheetnames == ["清单", "汇总", "_workplan"]
    assert workbook["_workplan"].sheet_state == "veryHidden"
    ws = workbook["清单"]
    # the plan's title without the PDF's spaces, no export date in it
    assert ws["A1"].value == f"{PLAN_TITLE}合作事项清单"
    assert ws["A2"].value == ("共 59 项，统计截至 2024年10月1日；灯号：逾期、临期（15 天内到期）。"
                              "请填写绿色列：状态（下拉选择）、进展情况、更新日期；其他列请勿修改。")
    # 黑体 for the title and headers, 宋体 for text
    assert ws["A1"].font.name == "黑体" and ws["A2"].font.name == "宋体"
    assert [c.value for c in ws[3]] == HEADER_ZH
    assert all(c.font.name == "黑体" for c in ws[3])
    # 时间节点 and 编号 are kept for the import but not printed
    assert [c for c in "ABCDEFGHIJKL" if ws.column_dimensions[c].hidden] == ["G", "K"]


def test_rows_are_the_attachment_table(workbook):
    ws = workbook["清单"]
    assert ws.max_row == 3 + 59 + 6
    assert column(ws, "K") == ALL_IDS
    assert [ROWS[i] for i in ALL_IDS] == item_rows(ws)
    # a section row before each section, as in the attachment table: its title in A, nothing else
    assert {r: ws[f"A{r}"].value for r in range(4, ws.max_row + 1) if ws[f"K{r}"].value is None} == SECTION_ROWS
    assert all(ws.cell(r, c).value is None for r in SECTION_ROWS for c in range(2, 13))
    assert ws["A4"].font.name == "黑体"
    seqs = column(ws, "A")
    assert seqs[:3] == [1, 2, 3] and seqs.count(36) == 2 and seqs[-1] == 58
    row = ROWS["2024-06"]
    assert ws[f"B{row}"].value == "实施长三角知识产权赋能高质量发展共同行动"
    assert ws[f"D{row}"].value == "浙江、安徽知识产权相关条线；嘉善县局"  # departments_text as printed
    assert ws[f"E{row}"].value == "浙江省局"
    assert ws[f"H{row}"].value == "未启动"
    assert ws[f"I{row}"].value is None and ws[f"J{row}"].value is None
    # the alias as printed (上海药监局) is shown by its canonical name
    assert ws[f"E{ROWS['2024-37']}"].value == "上海市药监局"
    assert ws[f"E{ROWS['2024-52']}"].value == "浙江省局、嘉兴市局"


def test_due_dates_are_date_cells_and_item_18_shows_both_milestones(workbook):
    ws = workbook["清单"]
    for r in item_rows(ws):
        cell = ws[f"F{r}"]
        assert isinstance(cell.value, dt.datetime) and cell.number_format == "yyyy-mm-dd"
    row = ROWS["2024-18"]
    assert ws[f"F{row}"].value == dt.datetime(2024, 9, 30)  # the earliest open milestone
    assert ws[f"G{row}"].value == "9月底前 2024-09-30\n12月底前 2024-12-31"
    row1 = ROWS["2024-01"]
    assert ws[f"F{row1}"].value == dt.datetime(2024, 12, 31)
    assert ws[f"G{row1}"].value == "12月底前 2024-12-31"


def test_print_settings(workbook):
    ws = workbook["清单"]
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:L68"
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    # the list prints at a fixed scale (its page breaks, see below); 汇总 is fitted to the page width
    assert ws.sheet_properties.pageSetUpPr.fitToPage is False and int(ws.page_setup.scale) == 61
    assert ws.oddFooter.center.text == "&A　第 &P 页"
    summary = workbook["汇总"]
    assert int(summary.page_setup.paperSize) == 9 and summary.oddFooter.center.text == "&A　第 &P 页"
    assert int(summary.page_setup.fitToWidth) == 1 and int(summary.page_setup.fitToHeight) == 0
    assert summary.sheet_properties.pageSetUpPr.fitToPage is True
    # each sheet numbers its pages from 1
    for sheet in (ws, summary):
        assert sheet.page_setup.useFirstPageNumber and int(sheet.page_setup.firstPageNumber) == 1


def test_wrapping_and_cjk_column_widths(workbook):
    ws = workbook["清单"]
    assert ws["C5"].alignment.wrap_text and ws["B5"].alignment.wrap_text and ws["I5"].alignment.wrap_text
    widths = {c: ws.column_dimensions[c].width for c in "ABCDEFGHIJK"}
    # 序号 holds two digits, 截止日期 ten characters, 编号 eight; CJK text columns are wider and capped
    assert widths["A"] == 6
    assert widths["F"] == 12  # max(10 for "2024-12-31", 8 for 截止日期 at 2 per CJK char) + 2
    assert widths["K"] == 10  # "2024-36b"
    assert widths["C"] > widths["B"] > widths["A"]
    assert widths["I"] == 38  # 进展情况 is written in by hand: wide even when empty
    # a long wrapped row is taller than a one-line row
    tall = ws.row_dimensions[ROWS["2024-06"]].height
    short = ws.row_dimensions[ROWS["2024-12"]].height
    assert tall > short > 0


def test_display_width_counts_east_asian_wide_as_two():
    from workplan.present.text import text_width as display_width  # the width the sheet columns are sized by

    assert display_width("abc") == 3
    assert display_width("浙江省局") == 8
    assert display_width("（12月底前）") == 2 + 2 + 2 * 3 + 2  # full-width brackets are wide too
    assert display_width("“浙江”") == 1 + 4 + 1  # curly quotes are ambiguous width: narrow
    assert display_width("한글ｱ") == 4 + 1  # Hangul wide, half-width katakana narrow
    assert display_width("😀𠀀〇") == 6  # wide outside the large CJK blocks and the Basic Multilingual Plane
    assert display_width("A·B—C…") == 6


def test_status_drop_down_and_date_check(workbook):
    ws = workbook["清单"]
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert set(validations) == {"H4:H68", "J4:J68"}
    status = validations["H4:H68"]
    assert status.type == "list" and status.formula1 == '"未启动,推进中,已完成,延期,取消"'
    assert status.showErrorMessage
    assert validations["J4:J68"].type == "date"


def test_lights_are_words_fixed_at_the_reporting_date(cli, tmp_path):
    """灯号 says 逾期/临期 as of --as-of, whatever day the file is opened: no TODAY() anywhere."""
    wb, target = export(cli, tmp_path, "--data", REGISTRY)  # as of 2024-10-01
    ws = wb["清单"]
    assert list(ws.conditional_formatting) == []
    lights = {ws[f"K{r}"].value: ws[f"L{r}"].value for r in item_rows(ws)}
    # due 2024-08-31 (item 11) and 2024-09-30 (9, 18, 25, 54): late on 1 October; none due by 10-16
    assert {i: v for i, v in lights.items() if v} == {i: "逾期" for i in ("2024-09", "2024-11", "2024-18", "2024-25", "2024-54")}
    red = ws[f"L{ROWS['2024-11']}"]
    assert red.font.b and red.fill.fgColor.rgb == "00F8CBAD"
    wb, _ = export(cli, tmp_path, "--data", REGISTRY, "--as-of", "2024-10-20", name="later.xlsx")
    ws = wb["清单"]
    lights = {ws[f"K{r}"].value: ws[f"L{r}"].value for r in item_rows(ws)}
    assert lights["2024-24"] == "临期" and lights["2024-53"] == "临期"  # due 10-31, within 15 days
    assert ws[f"L{ROWS['2024-24']}"].fill.fgColor.rgb == "00FFEB9C"
    with zipfile.ZipFile(target) as archive:
        assert all(b"TODAY()" not in archive.read(name) for name in archive.namelist())


def test_summary_counts(workbook):
    ws = workbook["汇总"]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=1, max_row=ws.max_row)]
    assert values[0][0] == f"{PLAN_TITLE}合作事项汇总" and values[1][0] == "统计截至 2024年10月1日"
    header_at = next(i for i, row in enumerate(values) if row[0] == "牵头单位")
    assert values[header_at][:9] == ["牵头单位", "未启动", "推进中", "已完成", "延期", "取消", "合计", "逾期", "完成率"]
    by_unit, late = {}, {}
    for row in values[header_at + 1:]:
        if row[0] == "全部事项（不重复计数）":
            assert row[1:9] == [59, 0, 0, 0, 0, 59, 5, 0]
            break
        by_unit[row[0]], late[row[0]] = row[6], row[7]
    assert late == {"上海市局": 2, "江苏省局": 0, "浙江省局": 3, "安徽省局": 0, "上海市药监局": 0,
                    "浙江省药监局": 0, "嘉兴市局": 1}
    # counted by hand from the leads column (三省一市局 counts for each of its four members)
    assert by_unit == {"上海市局": 21, "江苏省局": 8, "浙江省局": 37, "安徽省局": 11, "上海市药监局": 3,
                       "浙江省药监局": 3, "嘉兴市局": 2}
    month_at = next(i for i, row in enumerate(values) if row[0] == "月份")
    assert values[month_at][:6] == ["月份", "时间节点", "已完成", "未完成", "逾期", "完成率"]
    # months with nothing due are left out; the overdue column counts as of the reporting date
    months = {row[0]: row[1:6] for row in values[month_at + 1:month_at + 6]}
    assert months == {"2024年8月": [1, 0, 1, 1, 0], "2024年9月": [4, 0, 4, 4, 0], "2024年10月": [2, 0, 2, 0, 0],
                      "2024年11月": [6, 0, 6, 0, 0], "2024年12月": [47, 0, 47, 0, 0]}
    assert values[month_at + 6][:6] == ["合计", 60, 0, 60, 5, 0]
    assert ws.cell(month_at + 7, 6).number_format == "0.0%"


def test_filters_apply(cli, tmp_path):
    wb, _ = export(cli, tmp_path, "--data", REGISTRY, "--lead", "江苏省局")
    ws = wb["清单"]
    assert column(ws, "K") == JIANGSU_IDS
    # the unit is in the title; no command-line flag anywhere
    assert ws["A1"].value == f"{PLAN_TITLE}合作事项清单（江苏省局）"
    assert "--" not in ws["A2"].value and "筛选" not in ws["A2"].value
    assert ws.auto_filter.ref == f"A3:L{ws.max_row}"
    wb, _ = export(cli, tmp_path, "--data", REGISTRY, "--lead", "江苏省局", "--status", "未启动", name="s.xlsx")
    assert wb["清单"]["A2"].value.endswith("　筛选条件：状态：未启动")


def test_split_by_lead(cli, tmp_path):
    wb, _ = export(cli, tmp_path, "--data", REGISTRY, "--split-by", "lead")
    assert wb.sheetnames == ["上海市局", "江苏省局", "浙江省局", "安徽省局", "上海市药监局", "浙江省药监局", "嘉兴市局",
                             "汇总", "_workplan"]
    assert column(wb["江苏省局"], "K") == JIANGSU_IDS
    assert column(wb["嘉兴市局"], "K") == ["2024-52", "2024-54"]
    assert column(wb["上海市药监局"], "K") == ["2024-30", "2024-31", "2024-37"]
    assert len(column(wb["浙江省局"], "K")) == 37
    ws = wb["江苏省局"]
    assert ws["A1"].value == f"{PLAN_TITLE}合作事项清单（江苏省局）"
    assert ws.print_title_rows == "$3:$3" and ws.freeze_panes == "A4"
    assert ws.oddFooter.center.text == "&A　第 &P 页"


def test_split_by_lead_with_a_lead_filter(cli, tmp_path):
    wb, _ = export(cli, tmp_path, "--data", REGISTRY, "--split-by", "lead", "--lead", "江苏省局", "--lead", "嘉兴市局")
    assert wb.sheetnames == ["江苏省局", "嘉兴市局", "汇总", "_workplan"]
    assert column(wb["江苏省局"], "K") == JIANGSU_IDS
    wb, _ = export(cli, tmp_path, "--data", REGISTRY, "--split-by", "lead", "--lead", "三省一市局", name="g.xlsx")
    assert wb.sheetnames == ["上海市局", "江苏省局", "浙江省局", "安徽省局", "汇总", "_workplan"]


def test_english(cli, tmp_path):
    wb, _ = export(cli, tmp_path, "--data", REGISTRY, "--lang", "en")
    assert wb.sheetnames == ["Items", "Summary", "_workplan"]
    ws = wb["Items"]
    assert [c.value for c in ws[3]][:2] == ["No.", "Item"]
    assert ws["H5"].value == "not started"
    dv = next(dv for dv in ws.data_validations.dataValidation if dv.type == "list")
    assert dv.formula1 == '"not started,in progress,done,delayed,cancelled"'
    assert ws.oddFooter.center.text == "&A, page &P"


def edited_copy(registry_copy, replacements):
    """The registry copy with each (old, new) text replaced once."""
    text = registry_copy.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    registry_copy.write_text(text, encoding="utf-8")
    return registry_copy


@pytest.fixture
def formula_registry(registry_copy):
    """A registry copy whose first titles look like formulas."""
    return edited_copy(registry_copy, [("title: 打造长三角商事登记增值化服务模式", 'title: "=1+1"'),
                                       ("title: 拓展深化长三角地区“企业码”应用", 'title: "@SUM(A1)"'),
                                       ("title: 开展经营主体发展情况分析", 'title: "+86 热线"'),
                                       ("measures: 签订共建", "measures: -签订共建")])


def test_formula_like_text_stays_text(cli, tmp_path, formula_registry):
    wb, target = export(cli, tmp_path, "--data", formula_registry)
    ws = wb["清单"]
    expected = {"B5": "=1+1", "B6": "@SUM(A1)", "B7": "+86 热线"}
    for ref, value in expected.items():
        assert ws[ref].value == value and ws[ref].data_type == "s", ref
        assert ws[ref].quotePrefix, ref
    assert ws["C8"].value.startswith("-签订共建") and ws["C8"].data_type == "s"
    # and in the file itself: no formula element anywhere in the item sheet
    with zipfile.ZipFile(target) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_xlsx_to_stdout(tmp_path):
    """'-' writes the workbook's bytes to stdout (through a real process: the bytes must be intact)."""
    out = subprocess.run([sys.executable, "-m", "workplan", "export", "--xlsx", "-", "--data", str(REGISTRY),
                          "--lead", "江苏省局"], capture_output=True, cwd=tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr.decode()
    target = tmp_path / "piped.xlsx"
    target.write_bytes(out.stdout)
    assert column(openpyxl.load_workbook(target)["清单"], "K") == JIANGSU_IDS


def test_empty_result_still_gives_a_workbook(cli, tmp_path):
    wb, _ = export(cli, tmp_path, "--data", REGISTRY, "--status", "已完成")
    ws = wb["清单"]
    assert ws.max_row == 3 and [c.value for c in ws[3]] == HEADER_ZH


def test_workbook_written_atomically_and_replaces(cli, tmp_path):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    assert cli("export", "--xlsx", target, "--data", REGISTRY).exit_code == 0
    assert zipfile.is_zipfile(target)
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]  # no temporary file left


def test_export_does_not_load_openpyxl_for_help_and_list():
    code = ("import sys, workplan.cli.commands\n"
            "from workplan.cli.app import app\n"
            "assert 'openpyxl' not in sys.modules, 'openpyxl imported at start-up'\n"
            "assert 'sqlite3' not in sys.modules, 'sqlite3 imported at start-up'\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr


# -- the streamed rows: the cells openpyxl would write, for any text and any number of rows ------------

@pytest.fixture
def awkward_registry(registry_copy):
    """A registry copy whose first titles need escaping, keep spaces, break lines or leave the BMP (a control
    character cannot be in a registry at all: tests/core/test_rules_content.py)."""
    return edited_copy(registry_copy, [("title: 打造长三角商事登记增值化服务模式", 'title: "A&B <合作> 协议"'),
                                       ("title: 拓展深化长三角地区“企业码”应用", 'title: "  前后有空格  "'),
                                       ("title: 开展经营主体发展情况分析", 'title: "第一行\\n第二行"'),
                                       ("title: 建立市场监管部门“信用长三角”协同监管机制", 'title: "表情😀字符"')])


def test_awkward_text_is_kept(cli, tmp_path, awkward_registry):
    wb, target = export(cli, tmp_path, "--data", awkward_registry)
    expected = ["A&B <合作> 协议", "  前后有空格  ", "第一行\n第二行", "表情😀字符"]
    assert [wb["清单"][f"B{r}"].value for r in range(5, 9)] == expected
    assert [wb["_workplan"][f"E{r}"].value for r in range(3, 7)] == expected
    assert all(wb["清单"][f"B{r}"].data_type == "s" and not wb["清单"][f"B{r}"].quotePrefix for r in range(5, 9))
    r = cli("import", target, "--data", awkward_registry, "--as-of", "2024-10-01")
    assert r.exit_code == 0, r.stderr
    assert "没有变化" in r.stderr


# horizontal alignment, wrap, number format and fill of each data column (fill-in columns pale green,
# apart from the lights' red and yellow)
COLUMN_STYLES = {"A": ("center", None, "General", None), "B": ("left", True, "General", None),
                 "C": ("left", True, "General", None), "D": ("left", True, "General", None),
                 "E": ("left", True, "General", None), "F": ("center", None, "yyyy-mm-dd", None),
                 "G": ("left", True, "General", None), "H": ("center", None, "General", "00E2EFDA"),
                 "I": ("left", True, "General", "00E2EFDA"), "J": ("center", None, "yyyy-mm-dd", "00E2EFDA"),
                 "K": ("center", None, "General", None), "L": ("center", None, "General", None)}


def data_cell_style(cell):
    fill = cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None
    return (cell.alignment.horizontal, cell.alignment.wrap_text, cell.number_format, fill)


def test_every_data_cell_has_its_columns_style(cli, tmp_path, formula_registry):
    wb, _ = export(cli, tmp_path, "--data", formula_registry)
    ws = wb["清单"]
    for r in item_rows(ws):
        for letter, style in COLUMN_STYLES.items():
            cell = ws[f"{letter}{r}"]
            if letter == "L" and cell.value:
                continue  # a light has its own fill (test_lights_are_words_fixed_at_the_reporting_date)
            assert data_cell_style(cell) == style, cell.coordinate
            assert cell.alignment.vertical == "top" and (cell.font.name, cell.font.sz, cell.font.b) == ("宋体", 10, False)
            sides = (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom)
            assert {side.style for side in sides} == {"thin"}
    # the quote prefix is the only difference a formula-like text makes
    assert ws["B5"].quotePrefix and data_cell_style(ws["B5"]) == COLUMN_STYLES["B"]


def test_row_heights_and_widths_unchanged(workbook):
    """Pinned to what the cell-by-cell writer produced: the streamed sheet must print the same."""
    ws = workbook["清单"]
    assert {c: ws.column_dimensions[c].width for c in "ABCDEFGHIJKL"} == {
        "A": 6, "B": 24, "C": 44, "D": 16, "E": 14, "F": 12, "G": 20, "H": 8, "I": 38, "J": 10, "K": 10, "L": 6}
    heights = {ws[f"K{r}"].value: ws.row_dimensions[r].height for r in item_rows(ws)}
    assert {i: heights[i] for i in ["2024-06", "2024-12", "2024-18", "2024-36b"]} == {
        "2024-06": 127.5, "2024-12": 49.5, "2024-18": 62.5, "2024-36b": 62.5}
    assert sorted(set(heights.values())) == [36.5, 49.5, 62.5, 75.5, 88.5, 101.5, 127.5]
    assert ws.row_dimensions[1].height == 24 and ws.row_dimensions[3].height == 19


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """700 synthetic items (bench/generate.py): progress reports, every status, joint leads; more rows
    than the writer sends in one batch (500)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    return generate.write(700, tmp_path_factory.mktemp("generated") / "items.yaml", seed=7)


def expected_cells(reg, item):
    from workplan.core.query import Light, item_light
    from workplan.exports.tables import SHEET_COLUMNS, item_row

    row = item_row(reg, item, "zh")
    values = [row[c.key] for c in SHEET_COLUMNS]
    light = {Light.red: "逾期", Light.yellow: "临期"}.get(item_light(item, dt.date(2024, 10, 1), 15))
    return [dt.datetime.combine(v, dt.time()) if isinstance(v, dt.date) else v for v in values] + [light]


def layout_rows(reg):
    """(row, item) as the sheet lays them out: a section row before each change of section."""
    r, seen = 4, set()
    for item in reg.items:
        if item.section not in seen:
            seen.add(item.section)
            r += 1
        yield r, item
        r += 1

@pytest.mark.slow

def test_large_registry_rows_record_and_round_trip(cli, tmp_path, generated):
    from workplan.exports.tables import SHEET_COLUMNS, cell_string, item_row
    from workplan.store.load import load_registry

    reg = load_registry(generated)
    wb, target = export(cli, tmp_path, "--data", generated)
    ws, meta = wb["清单"], wb["_workplan"]
    layout = list(layout_rows(reg))
    last = layout[-1][0]
    assert ws.max_row == last and meta.max_row == 2 + 700 and last > 3 + 700
    assert ws.auto_filter.ref == f"A3:L{last}"
    assert {str(dv.sqref) for dv in ws.data_validations.dataValidation} == {f"H4:H{last}", f"J4:J{last}"}
    for n, (r, item) in enumerate(layout, 3):
        assert [c.value for c in ws[r]] == expected_cells(reg, item), r
        row = item_row(reg, item, "zh")
        texts = [cell_string(row[c.key]) or None for c in SHEET_COLUMNS]  # an empty text cell reads back as None
        assert [c.value for c in meta[n]] == ["清单", r, None] + texts
        assert ws.row_dimensions[r].height >= 17
    rows = [r for r, _ in layout]
    assert {data_cell_style(ws[f"{letter}{r}"]) for letter in "IJ" for r in rows} == {
        COLUMN_STYLES["I"], COLUMN_STYLES["J"]}
    assert any(ws[f"J{r}"].value is not None for r in rows)  # progress dates are written too

    r = cli("import", target, "--data", generated, "--as-of", "2024-10-01")
    assert r.exit_code == 0 and "没有变化" in r.stderr, r.stderr
    row = next(r for r in rows if ws[f"H{r}"].value == "未启动")
    ws[f"H{row}"] = "推进中"
    ws[f"I{row}"] = "已启动"
    wb.save(tmp_path / "edited.xlsx")
    by = ws[f"E{row}"].value.split("、")[0]  # a joint item's report names its unit, as `update` asks
    r = cli("import", tmp_path / "edited.xlsx", "--data", generated, "--as-of", "2024-10-01", "--by", by)
    assert r.exit_code == 0, r.stderr
    assert ws[f"K{row}"].value in r.stdout and "将有 1 项事项变化" in r.stderr

@pytest.mark.slow

def test_large_registry_split_by_lead(cli, tmp_path, generated):
    from workplan.store.load import load_registry

    reg = load_registry(generated)
    wb, target = export(cli, tmp_path, "--data", generated, "--split-by", "lead")
    units = wb.sheetnames[:-2]
    assert wb.sheetnames[-2:] == ["汇总", "_workplan"]
    total = 0
    for unit in units:
        expected = [i.id for i in reg.items if unit in reg.expanded_leads(i)]
        assert column(wb[unit], "K") == expected, unit
        total += len(expected)
    assert wb["_workplan"].max_row == 2 + total
    r = cli("import", target, "--data", generated, "--as-of", "2024-10-01")
    assert r.exit_code == 0 and "没有变化" in r.stderr, r.stderr


def test_build_workbook_streams_or_returns_bytes(registry):
    import io

    from workplan.exports.xlsx import build_workbook

    stream = io.BytesIO()
    assert build_workbook(registry, registry.items, as_of=dt.date(2024, 10, 1), target=stream) is None
    data = build_workbook(registry, registry.items, as_of=dt.date(2024, 10, 1))
    for payload in (stream.getvalue(), data):
        wb = openpyxl.load_workbook(io.BytesIO(payload))
        assert column(wb["清单"], "K") == ALL_IDS


# -- each unit's own share on joint items, approved new dates (issue 15's reporting, on paper) -------

def test_split_workbook_shows_each_units_share(cli, tmp_path, two_units_reported):
    wb, _ = export(cli, tmp_path, "--data", two_units_reported, "--split-by", "lead")
    rows = {name: next([c.value for c in row] for row in wb[name].iter_rows(min_row=4) if row[10].value == "2024-01")
            for name in ("上海市局", "浙江省局", "江苏省局", "安徽省局")}
    # 状态, 进展情况, 更新日期 (H, I, J) are the unit's own; 灯号 (L)
    assert rows["上海市局"][7:10] == ["已完成", "上海：已完成流程梳理", dt.datetime(2024, 6, 30)]
    assert rows["浙江省局"][7:10] == ["推进中", "浙江：推进港资企业全程电子化登记", dt.datetime(2024, 6, 28)]
    assert rows["江苏省局"][7:10] == rows["安徽省局"][7:10] == ["未启动", None, None]
    summary = {row[0].value: [c.value for c in row[1:8]] for row in wb["汇总"].iter_rows(min_row=5, max_row=12)}
    # 未启动 推进中 已完成 延期 取消 合计 逾期, each unit counting its own share of 2024-01;
    # overdue on 10-01: 9 (上海); 11, 25, 54 (浙江, 54 with 嘉兴) — not 18, moved to 11-30
    assert summary["上海市局"] == [20, 0, 1, 0, 0, 21, 1]
    assert summary["浙江省局"] == [36, 1, 0, 0, 0, 37, 3]
    assert summary["江苏省局"] == [8, 0, 0, 0, 0, 8, 0]
    assert summary["全部事项（不重复计数）"] == [58, 1, 0, 0, 0, 59, 4]  # 2024-01 itself is 推进中


def test_adjusted_deadline_is_marked_with_the_original(cli, tmp_path, two_units_reported):
    wb, target = export(cli, tmp_path, "--data", two_units_reported)
    ws = wb["清单"]
    (r,) = [r for r in item_rows(ws) if ws[f"K{r}"].value == "2024-18"]
    # the cell keeps the approved date (sorting, filters, import); its format prints 调整 and the original
    assert ws[f"F{r}"].value == dt.datetime(2024, 11, 30)
    assert ws[f"F{r}"].number_format == 'yyyy-mm-dd"（调整，原 9月30日）"'
    others = {ws[f"F{n}"].number_format for n in item_rows(ws) if n != r}
    assert others == {"yyyy-mm-dd"}
    assert ws.column_dimensions["F"].width >= 28  # wide enough to print it (no ####)
    before = two_units_reported.read_bytes()
    result = cli("import", target, "--data", two_units_reported, "--as-of", "2024-10-01", "--apply")
    assert result.exit_code == 0, result.stderr
    assert two_units_reported.read_bytes() == before  # the untouched workbook changes nothing


def test_a_units_sheet_reports_its_own_share(cli, tmp_path, two_units_reported):
    """On 江苏省局's sheet 2024-01 shows 江苏's share (未启动, while the item is 推进中 and 上海's share
    已完成): a report written there is 江苏's, and 上海's sheet, untouched, is no conflict."""
    from workplan.store.load import load_registry

    wb, target = export(cli, tmp_path, "--data", two_units_reported, "--split-by", "lead")
    ws = wb["江苏省局"]
    (r,) = [r for r in item_rows(ws) if ws[f"K{r}"].value == "2024-01"]
    ws[f"H{r}"], ws[f"I{r}"], ws[f"J{r}"] = "推进中", "江苏：已对接登记系统", dt.date(2024, 9, 20)
    wb.save(target)
    result = cli("import", target, "--data", two_units_reported, "--as-of", "2024-10-01", "--apply")
    assert result.exit_code == 0, result.stderr
    item = next(i for i in load_registry(two_units_reported).items if i.id == "2024-01")
    latest = item.progress[-1]
    assert (latest.by, latest.status.value, latest.text, latest.date) == (
        "江苏省局", "in_progress", "江苏：已对接登记系统", dt.date(2024, 9, 20))
    assert len(item.progress) == 3 and item.status.value == "in_progress"


# -- printed pages: a section row never ends a page ----------------------------------------------------

def test_page_breaks_keep_a_section_row_with_its_first_item():
    from workplan.exports.xlsx import page_breaks

    rows = [(4, "section", 19), (5, "item", 100), (6, "item", 100), (7, "section", 19), (8, "item", 100), (9, "item", 50)]
    # 7 (一、…) fits at the foot of page 1, its first item does not: both go to page 2
    assert page_breaks(rows, first=50, later=20, room=300) == [6]
    assert page_breaks(rows, first=50, later=20, room=1000) == []
    # a row taller than a page gets a page of its own, and the next row the next page
    assert page_breaks([(4, "item", 500), (5, "item", 10)], first=50, later=20, room=300) == [4]


def test_workbook_prints_at_a_fixed_scale_with_its_own_breaks(workbook):
    ws = workbook["清单"]
    # Excel ignores manual breaks on a sheet set to fit to pages: a scale is set instead
    assert ws.sheet_properties.pageSetUpPr.fitToPage is False
    assert 10 <= ws.page_setup.scale <= 100
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks and breaks == sorted(breaks)
    sections = {r for r in range(4, ws.max_row + 1) if ws[f"K{r}"].value is None}
    assert len(sections) == 6
    assert not [b for b in breaks if b in sections]  # no page ends with a section row
