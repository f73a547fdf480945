"""`workplan export --xlsx`: the workbook reopened with openpyxl — cells, print settings, validation,
conditional formats, the summary, per-unit sheets and formula-safe text."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zipfile

import pytest

openpyxl = pytest.importorskip("openpyxl")

from conftest import REGISTRY, ROOT  # noqa: E402

ALL_IDS = [f"2024-{n:02d}" for n in range(1, 37)] + ["2024-36b"] + [f"2024-{n:02d}" for n in range(37, 59)]
HEADER_ZH = ["序号", "合作事项", "年度主要举措及时间节点", "责任部门", "牵头单位", "截止日期", "时间节点", "状态",
             "进展情况", "更新日期", "编号"]
# Items 江苏省局 leads: the six 三省一市局 items, 2024-14 alone and 2024-56 with 安徽省局.
JIANGSU_IDS = ["2024-01", "2024-10", "2024-13", "2024-14", "2024-15", "2024-16", "2024-56", "2024-57"]
PLAN_TITLE = "长三角市场监管一体化发展 2024 年工作要点"


def export(cli, tmp_path, *args, name="out.xlsx"):
    target = tmp_path / name
    result = cli("export", "--xlsx", target, "--as-of", "2024-10-01", *args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    return openpyxl.load_workbook(target), target


def column(ws, letter, first=4):
    return [ws[f"{letter}{r}"].value for r in range(first, ws.max_row + 1)]


@pytest.fixture
def workbook(cli, tmp_path):
    wb, _ = export(cli, tmp_path, "--data", REGISTRY)
    return wb


def test_sheets_title_and_header(workbook):
    assert workbook.sheetnames == ["清单", "汇总", "_workplan"]
    assert workbook["_workplan"].sheet_state == "veryHidden"
    ws = workbook["清单"]
    assert ws["A1"].value == f"{PLAN_TITLE} · 合作事项清单（导出日期：2024-10-01）"
    assert ws["A1"].font.b
    assert [c.value for c in ws[3]] == HEADER_ZH
    assert all(c.font.b for c in ws[3])


def test_rows_are_the_attachment_table(workbook):
    ws = workbook["清单"]
    assert ws.max_row == 3 + 59
    assert column(ws, "K") == ALL_IDS
    seqs = column(ws, "A")
    assert seqs[:3] == [1, 2, 3] and seqs.count(36) == 2 and seqs[-1] == 58
    row = ALL_IDS.index("2024-06") + 4
    assert ws[f"B{row}"].value == "实施长三角知识产权赋能高质量发展共同行动"
    assert ws[f"D{row}"].value == "浙江、安徽知识产权相关条线；嘉善县局"  # departments_text as printed
    assert ws[f"E{row}"].value == "浙江省局"
    assert ws[f"H{row}"].value == "未启动"
    assert ws[f"I{row}"].value is None and ws[f"J{row}"].value is None
    # the alias as printed (上海药监局) is shown by its canonical name
    assert ws[f"E{ALL_IDS.index('2024-37') + 4}"].value == "上海市药监局"
    assert ws[f"E{ALL_IDS.index('2024-52') + 4}"].value == "浙江省局、嘉兴市局"


def test_due_dates_are_date_cells_and_item_18_shows_both_milestones(workbook):
    ws = workbook["清单"]
    for r in range(4, ws.max_row + 1):
        cell = ws[f"F{r}"]
        assert isinstance(cell.value, dt.datetime) and cell.number_format == "yyyy-mm-dd"
    row = ALL_IDS.index("2024-18") + 4
    assert ws[f"F{row}"].value == dt.datetime(2024, 9, 30)  # the earliest open milestone
    assert ws[f"G{row}"].value == "9月底前 2024-09-30\n12月底前 2024-12-31"
    row1 = ALL_IDS.index("2024-01") + 4
    assert ws[f"F{row1}"].value == dt.datetime(2024, 12, 31)
    assert ws[f"G{row1}"].value == "12月底前 2024-12-31"


def test_print_settings(workbook):
    ws = workbook["清单"]
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:K62"
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.oddFooter.center.text == "第 &P 页 / 共 &N 页"
    summary = workbook["汇总"]
    assert int(summary.page_setup.paperSize) == 9 and summary.oddFooter.center.text == "第 &P 页 / 共 &N 页"


def test_wrapping_and_cjk_column_widths(workbook):
    ws = workbook["清单"]
    assert ws["C4"].alignment.wrap_text and ws["B4"].alignment.wrap_text and ws["I4"].alignment.wrap_text
    widths = {c: ws.column_dimensions[c].width for c in "ABCDEFGHIJK"}
    # 序号 holds two digits, 截止日期 ten characters, 编号 eight; CJK text columns are wider and capped
    assert widths["A"] == 6
    assert widths["F"] == 12  # max(10 for "2024-12-31", 8 for 截止日期 at 2 per CJK char) + 2
    assert widths["K"] == 10  # "2024-36b"
    assert widths["C"] > widths["B"] > widths["A"]
    # a long wrapped row is taller than a one-line row
    tall = ws.row_dimensions[ALL_IDS.index("2024-06") + 4].height
    short = ws.row_dimensions[ALL_IDS.index("2024-12") + 4].height
    assert tall > short > 0


def test_display_width_counts_east_asian_wide_as_two():
    from workplan.present.render import text_width as display_width  # the width the sheet columns are sized by

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
    assert set(validations) == {"H4:H62", "J4:J62"}
    status = validations["H4:H62"]
    assert status.type == "list" and status.formula1 == '"未启动,推进中,已完成,延期,取消"'
    assert status.showErrorMessage
    assert validations["J4:J62"].type == "date"


def test_overdue_highlight_is_conditional_on_today(workbook):
    ws = workbook["清单"]
    rules = [(str(cf.sqref), rule) for cf in ws.conditional_formatting for rule in cf.rules]
    assert [sqref for sqref, _ in rules] == ["A4:K62", "A4:K62"]
    overdue = rules[0][1].formula[0]
    assert overdue == 'AND($F4<>"",NOT(OR($H4="已完成",$H4="done",$H4="取消",$H4="cancelled")),$F4<TODAY())'
    assert rules[0][1].dxf.fill is not None
    assert "TODAY()" in rules[1][1].formula[0]
    # nothing is coloured statically: a static fill would go stale
    assert ws["A4"].fill.fgColor.rgb in ("00000000", None)


def test_summary_counts(workbook):
    ws = workbook["汇总"]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=1, max_row=ws.max_row)]
    assert values[0][0] == f"{PLAN_TITLE} · 汇总（导出日期：2024-10-01）"
    header_at = next(i for i, row in enumerate(values) if row[0] == "牵头单位")
    assert values[header_at][:7] == ["牵头单位", "未启动", "推进中", "已完成", "延期", "取消", "合计"]
    by_unit = {}
    for row in values[header_at + 1:]:
        if row[0] == "全部事项（不重复计数）":
            assert row[1:7] == [59, 0, 0, 0, 0, 59]
            break
        by_unit[row[0]] = row[6]
    # counted by hand from the leads column (三省一市局 counts for each of its four members)
    assert by_unit == {"上海市局": 21, "江苏省局": 8, "浙江省局": 37, "安徽省局": 11, "上海市药监局": 3,
                       "浙江省药监局": 3, "嘉兴市局": 2}
    month_at = next(i for i, row in enumerate(values) if row[0] == "月份")
    months = {row[0]: row[1] for row in values[month_at + 1:month_at + 13]}
    assert months == {f"2024-{m:02d}": n for m, n in
                      zip(range(1, 13), [0, 0, 0, 0, 0, 0, 0, 1, 4, 2, 6, 47])}
    assert values[month_at + 13][:4] == ["合计", 60, 0, 60]


def test_filters_apply(cli, tmp_path):
    wb, _ = export(cli, tmp_path, "--data", REGISTRY, "--lead", "江苏省局")
    ws = wb["清单"]
    assert column(ws, "K") == JIANGSU_IDS
    assert "--lead 江苏省局" in ws["A2"].value
    assert ws.auto_filter.ref == "A3:K11"


def test_split_by_lead(cli, tmp_path):
    wb, _ = export(cli, tmp_path, "--data", REGISTRY, "--split-by", "lead")
    assert wb.sheetnames == ["上海市局", "江苏省局", "浙江省局", "安徽省局", "上海市药监局", "浙江省药监局", "嘉兴市局",
                             "汇总", "_workplan"]
    assert column(wb["江苏省局"], "K") == JIANGSU_IDS
    assert column(wb["嘉兴市局"], "K") == ["2024-52", "2024-54"]
    assert column(wb["上海市药监局"], "K") == ["2024-30", "2024-31", "2024-37"]
    assert len(column(wb["浙江省局"], "K")) == 37
    ws = wb["江苏省局"]
    assert ws["A1"].value == f"{PLAN_TITLE} · 合作事项清单 · 江苏省局（导出日期：2024-10-01）"
    assert ws.print_title_rows == "$3:$3" and ws.freeze_panes == "A4"
    assert ws.oddFooter.center.text == "第 &P 页 / 共 &N 页"


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
    assert ws["H4"].value == "not started"
    dv = next(dv for dv in ws.data_validations.dataValidation if dv.type == "list")
    assert dv.formula1 == '"not started,in progress,done,delayed,cancelled"'
    assert ws.oddFooter.center.text == "Page &P of &N"


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
    expected = {"B4": "=1+1", "B5": "@SUM(A1)", "B6": "+86 热线"}
    for ref, value in expected.items():
        assert ws[ref].value == value and ws[ref].data_type == "s", ref
        assert ws[ref].quotePrefix, ref
    assert ws["C7"].value.startswith("-签订共建") and ws["C7"].data_type == "s"
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
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr


# -- the streamed rows: the cells openpyxl would write, for any text and any number of rows ------------

@pytest.fixture
def awkward_registry(registry_copy):
    """A registry copy whose first titles need escaping, keep spaces, break lines or hold a control character."""
    return edited_copy(registry_copy, [("title: 打造长三角商事登记增值化服务模式", 'title: "A&B <合作> 协议"'),
                                       ("title: 拓展深化长三角地区“企业码”应用", 'title: "  前后有空格  "'),
                                       ("title: 开展经营主体发展情况分析", 'title: "第一行\\n第二行"'),
                                       ("title: 建立市场监管部门“信用长三角”协同监管机制", 'title: "响铃\\a字符"')])


def test_awkward_text_is_kept(cli, tmp_path, awkward_registry):
    wb, target = export(cli, tmp_path, "--data", awkward_registry)
    expected = ["A&B <合作> 协议", "  前后有空格  ", "第一行\n第二行", "响铃字符"]  # xlsx cannot hold \a
    assert [wb["清单"][f"B{r}"].value for r in range(4, 8)] == expected
    assert [wb["_workplan"][f"E{r}"].value for r in range(3, 7)] == expected
    assert all(wb["清单"][f"B{r}"].data_type == "s" and not wb["清单"][f"B{r}"].quotePrefix for r in range(4, 8))
    r = cli("import", target, "--data", awkward_registry, "--as-of", "2024-10-01")
    assert r.exit_code == 0, r.stderr
    assert "no changes" in r.stderr


# horizontal alignment, wrap, number format and fill of each data column (fill-in columns are yellow)
COLUMN_STYLES = {"A": ("center", None, "General", None), "B": ("left", True, "General", None),
                 "C": ("left", True, "General", None), "D": ("left", True, "General", None),
                 "E": ("left", True, "General", None), "F": ("center", None, "yyyy-mm-dd", None),
                 "G": ("left", True, "General", None), "H": ("center", None, "General", "00FFF9DB"),
                 "I": ("left", True, "General", "00FFF9DB"), "J": ("center", None, "yyyy-mm-dd", "00FFF9DB"),
                 "K": ("center", None, "General", None)}


def data_cell_style(cell):
    fill = cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None
    return (cell.alignment.horizontal, cell.alignment.wrap_text, cell.number_format, fill)


def test_every_data_cell_has_its_columns_style(cli, tmp_path, formula_registry):
    wb, _ = export(cli, tmp_path, "--data", formula_registry)
    ws = wb["清单"]
    for r in range(4, ws.max_row + 1):
        for letter, style in COLUMN_STYLES.items():
            cell = ws[f"{letter}{r}"]
            assert data_cell_style(cell) == style, cell.coordinate
            assert cell.alignment.vertical == "top" and (cell.font.name, cell.font.sz, cell.font.b) == ("等线", 10, False)
            sides = (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom)
            assert {side.style for side in sides} == {"thin"}
    # the quote prefix is the only difference a formula-like text makes
    assert ws["B4"].quotePrefix and data_cell_style(ws["B4"]) == COLUMN_STYLES["B"]


def test_row_heights_and_widths_unchanged(workbook):
    """Pinned to what the cell-by-cell writer produced: the streamed sheet must print the same."""
    ws = workbook["清单"]
    assert {c: ws.column_dimensions[c].width for c in "ABCDEFGHIJK"} == {
        "A": 6, "B": 24, "C": 44, "D": 16, "E": 14, "F": 12, "G": 20, "H": 8, "I": 10, "J": 10, "K": 10}
    heights = {ws[f"K{r}"].value: ws.row_dimensions[r].height for r in range(4, ws.max_row + 1)}
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
    from workplan.exports.tables import SHEET_COLUMNS, item_row

    row = item_row(reg, item, "zh")
    values = [row[c.key] for c in SHEET_COLUMNS]
    return [dt.datetime.combine(v, dt.time()) if isinstance(v, dt.date) else v for v in values]

@pytest.mark.slow

def test_large_registry_rows_record_and_round_trip(cli, tmp_path, generated):
    from workplan.exports.tables import SHEET_COLUMNS, cell_string, item_row
    from workplan.store.load import load_registry

    reg = load_registry(generated)
    wb, target = export(cli, tmp_path, "--data", generated)
    ws, meta = wb["清单"], wb["_workplan"]
    assert ws.max_row == 3 + 700 and meta.max_row == 2 + 700
    assert ws.auto_filter.ref == "A3:K703"
    assert {str(dv.sqref) for dv in ws.data_validations.dataValidation} == {"H4:H703", "J4:J703"}
    for r, item in enumerate(reg.items, 4):
        assert [c.value for c in ws[r]] == expected_cells(reg, item), r
        row = item_row(reg, item, "zh")
        texts = [cell_string(row[c.key]) or None for c in SHEET_COLUMNS]  # an empty text cell reads back as None
        assert [c.value for c in meta[r - 1]] == ["清单", r, None] + texts
        assert ws.row_dimensions[r].height >= 17
    assert {data_cell_style(ws[f"{letter}{r}"]) for letter in "IJ" for r in range(4, 704)} == {
        COLUMN_STYLES["I"], COLUMN_STYLES["J"]}
    assert any(ws[f"J{r}"].value is not None for r in range(4, 704))  # progress dates are written too

    r = cli("import", target, "--data", generated, "--as-of", "2024-10-01")
    assert r.exit_code == 0 and "no changes" in r.stderr, r.stderr
    row = next(r for r in range(4, 704) if ws[f"H{r}"].value == "未启动")
    ws[f"H{row}"] = "推进中"
    ws[f"I{row}"] = "已启动"
    wb.save(tmp_path / "edited.xlsx")
    r = cli("import", tmp_path / "edited.xlsx", "--data", generated, "--as-of", "2024-10-01")
    assert r.exit_code == 0, r.stderr
    assert ws[f"K{row}"].value in r.stdout and "1 item(s) would change" in r.stderr

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
    assert r.exit_code == 0 and "no changes" in r.stderr, r.stderr


def test_build_workbook_streams_or_returns_bytes(registry):
    import io

    from workplan.exports.xlsx import build_workbook

    stream = io.BytesIO()
    assert build_workbook(registry, registry.items, as_of=dt.date(2024, 10, 1), target=stream) is None
    data = build_workbook(registry, registry.items, as_of=dt.date(2024, 10, 1))
    for payload in (stream.getvalue(), data):
        wb = openpyxl.load_workbook(io.BytesIO(payload))
        assert column(wb["清单"], "K") == ALL_IDS
