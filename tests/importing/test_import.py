"""`workplan import`: the round trip through a workbook edited with openpyxl, and every bad-file case.

Each bad case checks the exact `FILE:sheet!CELL: message` line, exit 1 and that the registry file
is byte-for-byte unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

openpyxl = pytest.importorskip("openpyxl")

from workplan.core.codes import Status
from workplan.store.load import load_registry  # noqa: E402

from conftest import sheet_rows  # noqa: E402

AS_OF = "2024-10-01"
ALL_IDS = [f"2024-{n:02d}" for n in range(1, 37)] + ["2024-36b"] + [f"2024-{n:02d}" for n in range(37, 59)]


ROWS = sheet_rows(ALL_IDS)


def row_of(item_id: str) -> int:
    return ROWS[item_id]


@pytest.fixture
def exported(cli, tmp_path, registry_copy):
    """(workbook path, registry path): a fresh export of a writable registry copy."""
    target = tmp_path / "plan.xlsx"
    r = cli("export", "--xlsx", target, "--data", registry_copy, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    return target, registry_copy


def edit(path: Path, changes: dict[str, object], *, sheet: str = "清单", out: Path | None = None) -> Path:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for ref, value in changes.items():
        ws[ref] = value
    target = out or path.with_name("edited.xlsx")
    wb.save(target)
    return target


def diff_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    import difflib

    removed, added = [], []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0):
        if not line.startswith(("---", "+++", "@@")):
            (removed if line.startswith("-") else added).append(line[1:])
    return removed, added


def run_import(cli, workbook, registry, *args):
    return cli("import", workbook, "--data", registry, "--as-of", AS_OF, *args)


def run_import_en(cli, workbook, registry, *args):
    # The workbook's problems in English; tests/importing/test_messages.py has them in Chinese.
    return run_import(cli, workbook, registry, "--lang", "en", *args)


def assert_refused(result, registry: Path, before: bytes, expected_lines: list[str]):
    assert result.exit_code == 1, result.stderr
    lines = result.stderr.splitlines()
    assert lines[:-1] == expected_lines
    assert lines[-1].endswith("nothing was written")
    assert result.stdout == ""
    assert registry.read_bytes() == before


# -- the round trip ------------------------------------------------------------------------------------

def test_round_trip_dry_run_then_apply(cli, exported):
    workbook, registry = exported
    before = registry.read_text(encoding="utf-8")
    edited = edit(workbook, {
        f"H{row_of('2024-02')}": "推进中",
        f"I{row_of('2024-02')}": "已完成方案起草，正在征求意见",
        f"J{row_of('2024-02')}": dt.date(2024, 9, 20),
        f"H{row_of('2024-18')}": "in_progress",  # a code is accepted as well as the label
    })

    dry = run_import(cli, edited, registry)
    assert dry.exit_code == 0, dry.stderr
    assert dry.stdout.splitlines() == [
        f"2024-02 拓展深化长三角地区“企业码”应用  (清单!{row_of('2024-02')}:{row_of('2024-02')})",
        "  状态: 未启动 → 推进中",
        "  进展情况: （无） → 已完成方案起草，正在征求意见  [2024-09-20 浙江省局]",
        f"2024-18 举办产业计量技术创新揭榜挂帅活动  (清单!{row_of('2024-18')}:{row_of('2024-18')})",
        "  状态: 未启动 → 推进中",
        "  进展情况: （无） → 状态由未启动改为推进中  [2024-10-01 上海市局]",
    ]
    assert "--apply" in dry.stderr
    assert registry.read_text(encoding="utf-8") == before  # a dry run writes nothing

    applied = run_import(cli, edited, registry, "--apply")
    assert applied.exit_code == 0, applied.stderr
    reg = load_registry(registry)
    item = next(i for i in reg.items if i.id == "2024-02")
    assert item.status == Status.in_progress
    assert [(p.date, p.by, p.status, p.text) for p in item.progress] == [
        (dt.date(2024, 9, 20), "浙江省局", Status.in_progress, "已完成方案起草，正在征求意见")]
    item18 = next(i for i in reg.items if i.id == "2024-18")
    assert item18.status == Status.in_progress and len(item18.progress) == 1
    untouched = [i for i in reg.items if i.id not in ("2024-02", "2024-18")]
    assert all(i.status == Status.not_started and not i.progress for i in untouched)

    after = registry.read_text(encoding="utf-8")
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#") or " # " in line]
    assert comments and all(line in after.splitlines() for line in comments)
    removed, added = diff_lines(before, after)  # only the lines of the changed fields
    assert removed == ["    status: not_started"] * 2
    assert added == [
        "    status: in_progress", "    progress:", "      - date: 2024-09-20", "        by: 浙江省局",
        "        status: in_progress", "        text: 已完成方案起草，正在征求意见",
        "    status: in_progress", "    progress:", "      - date: 2024-10-01", "        by: 上海市局",
        "        status: in_progress", "        text: 状态由未启动改为推进中",
    ]
    assert cli("validate", registry).exit_code == 0

    again = run_import(cli, edited, registry, "--apply")  # the same workbook twice records nothing new
    assert again.exit_code == 0 and again.stdout == ""
    assert registry.read_text(encoding="utf-8") == after


def test_status_done_marks_milestones_done(cli, exported):
    workbook, registry = exported
    edited = edit(workbook, {f"H{row_of('2024-18')}": "已完成", f"I{row_of('2024-18')}": "两项活动均已举办",
                             f"J{row_of('2024-18')}": "2024/9/28"})
    r = run_import(cli, edited, registry, "--apply")
    assert r.exit_code == 0, r.stderr
    assert "  时间节点完成: 9月底前 2024-09-30 → 2024-09-28" in r.stdout.splitlines()
    item = next(i for i in load_registry(registry).items if i.id == "2024-18")
    assert item.status == Status.done
    assert [m.done_on for m in item.milestones] == [dt.date(2024, 9, 28)] * 2
    assert cli("validate", registry).exit_code == 0


def test_by_option_and_split_workbook_unit(cli, tmp_path, registry_copy):
    target = tmp_path / "split.xlsx"
    assert cli("export", "--xlsx", target, "--split-by", "lead", "--data", registry_copy, "--as-of", AS_OF).exit_code == 0
    # 2024-01 is led by 三省一市局; on 江苏省局's sheet it is the first row
    edited = edit(target, {"I5": "江苏已完成本地部署"}, sheet="江苏省局")
    r = run_import(cli, edited, registry_copy)
    assert r.exit_code == 0, r.stderr
    assert "[2024-10-01 江苏省局]" in r.stdout
    r = run_import(cli, edited, registry_copy, "--by", "上海市局", "--apply")
    assert "[2024-10-01 上海市局]" in r.stdout
    item = load_registry(registry_copy).items[0]
    assert [(p.by, p.text) for p in item.progress] == [("上海市局", "江苏已完成本地部署")]


def test_split_workbook_sheets_report_each_units_share(cli, tmp_path, registry_copy):
    target = tmp_path / "split.xlsx"
    assert cli("export", "--xlsx", target, "--split-by", "lead", "--data", registry_copy, "--as-of", AS_OF).exit_code == 0
    wb = openpyxl.load_workbook(target)
    wb["上海市局"]["H5"] = "推进中"   # 2024-01 on both sheets: each sheet is its unit's share
    wb["江苏省局"]["H5"] = "延期"
    wb.save(tmp_path / "edited.xlsx")
    r = run_import(cli, tmp_path / "edited.xlsx", registry_copy, "--apply")
    assert r.exit_code == 0, r.stderr
    item = load_registry(registry_copy).items[0]
    assert [(p.by, p.status.value) for p in item.progress] == [("上海市局", "in_progress"), ("江苏省局", "delayed")]
    assert item.status.value == "delayed"


def test_csv_round_trip_undoes_neutralisation(cli, tmp_path, registry_copy):
    text = registry_copy.read_text(encoding="utf-8")
    registry_copy.write_text(text.replace("title: 打造长三角商事登记增值化服务模式", 'title: "=1+1"', 1), encoding="utf-8")
    target = tmp_path / "plan.csv"
    assert cli("export", "--csv", target, "--data", registry_copy, "--as-of", AS_OF).exit_code == 0
    rows = list(csv.reader(io.StringIO(target.read_bytes()[3:].decode("utf-8"), newline="")))
    assert rows[1][1] == "'=1+1"
    rows[1][7] = "推进中"
    rows[1][8] = "=SUM(1)是文字"  # typed by a person; the export neutralises, the import takes it as typed
    rows[1][9] = "2024-09-30"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    target.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    r = run_import(cli, target, registry_copy, "--apply")
    assert r.exit_code == 0, r.stderr
    item = load_registry(registry_copy).items[0]
    assert item.title == "=1+1" and item.status == Status.in_progress
    assert [(p.date, p.text) for p in item.progress] == [(dt.date(2024, 9, 30), "=SUM(1)是文字")]


def test_unchanged_workbook_changes_nothing(cli, exported):
    workbook, registry = exported
    before = registry.read_bytes()
    r = run_import(cli, workbook, registry, "--apply")
    assert r.exit_code == 0 and r.stdout == "" and "没有变化" in r.stderr
    assert registry.read_bytes() == before


def test_registry_change_after_export_is_not_undone(cli, exported):
    """A returned workbook only carries what people changed in it, never the export's old values."""
    workbook, registry = exported
    assert run_import_en(cli, edit(workbook, {f"H{row_of('2024-03')}": "推进中"}, out=workbook.with_name("a.xlsx")),
                      registry, "--apply").exit_code == 0
    # a second copy of the original export, edited elsewhere, comes back later
    second = edit(workbook, {f"I{row_of('2024-04')}": "协议文本已拟定"}, out=workbook.with_name("b.xlsx"))
    r = run_import_en(cli, second, registry, "--apply")
    assert r.exit_code == 0, r.stderr
    reg = load_registry(registry)
    assert next(i for i in reg.items if i.id == "2024-03").status == Status.in_progress
    # but a conflicting status edit on the same item is refused
    third = edit(workbook, {f"H{row_of('2024-03')}": "延期"}, out=workbook.with_name("c.xlsx"))
    before = registry.read_bytes()
    r = run_import_en(cli, third, registry)
    assert_refused(r, registry, before, [
        f"{third}:清单!H{row_of('2024-03')}: 状态 of 2024-03 was changed in the registry since the export "
        "(not started → in progress); re-export before editing it"])


# -- bad rows: each is reported as FILE:sheet!CELL and nothing is written ------------------------------

def test_unknown_id(cli, exported):
    workbook, registry = exported
    before = registry.read_bytes()
    edited = edit(workbook, {f"K{row_of('2024-05')}": "2024-99", f"H{row_of('2024-07')}": "推进中"})
    r = run_import_en(cli, edited, registry, "--apply")
    assert_refused(r, registry, before, [
        f"{edited}:清单!K9: unknown 编号 '2024-99'",
        f"{edited}:清单!A9: the row of 2024-05 (row 9 when exported) is missing: rows cannot be deleted; "
        "restore it or re-export",
    ])


def test_unknown_id_suggests_the_written_out_form(cli, exported):
    workbook, registry = exported
    edited = edit(workbook, {"K9": "2024-5", "K45": "2024-36B"})
    r = run_import_en(cli, edited, registry)
    assert r.stderr.splitlines()[:2] == [
        f"{edited}:清单!K9: unknown 编号 '2024-5'; did you mean 2024-05?",
        f"{edited}:清单!K45: unknown 编号 '2024-36B'; did you mean 2024-36b?",
    ]


def test_id_not_matching_title(cli, exported):
    workbook, registry = exported
    before = registry.read_bytes()
    edited = edit(workbook, {"K6": "2024-03", "K7": "2024-02"})  # ids swapped, titles left
    r = run_import_en(cli, edited, registry)
    assert_refused(r, registry, before, [
        f"{edited}:清单!K6: 编号 2024-03 does not match its title: 合作事项 here is that of 2024-02",
        f"{edited}:清单!K7: 编号 2024-02 does not match its title: 合作事项 here is that of 2024-03",
    ])


def test_status_outside_the_allowed_set(cli, exported):
    workbook, registry = exported
    before = registry.read_bytes()
    edited = edit(workbook, {"H5": "完成了", "H6": None})
    r = run_import_en(cli, edited, registry)
    choices = "not started (not_started), in progress (in_progress), done (done), delayed (delayed), cancelled (cancelled)"
    assert_refused(r, registry, before, [
        f"{edited}:清单!H5: 状态 '完成了' is not a status; use one of {choices}",
        f"{edited}:清单!H6: 状态 is empty; choose one of {choices}",
    ])


@pytest.mark.parametrize("value, message", [
    ("下周", "更新日期 '下周' is not a date (write it like 2024-10-08)"),
    ("9月底", "更新日期 '9月底' is not a date (write it like 2024-10-08)"),
    # The column is date-formatted, so a number typed into it is a date, as in Excel (45570 = 2024-10-05).
    (45570, "2024-02: date 2024-10-05 is in the future (today is 2024-10-01; use --as-of for another day)"),
    (True, "更新日期 'True' is not a date (write it like 2024-10-08)"),
    ("2024-02-30", "更新日期 '2024-02-30' is not a date (write it like 2024-10-08)"),
    (dt.date(2030, 1, 1), "2024-02: date 2030-01-01 is in the future (today is 2024-10-01; use --as-of for another day)"),
    (dt.date(2024, 1, 5), "2024-02: date 2024-01-05 is before the plan was issued (2024-03-29)"),
])
def test_date_that_is_not_a_date(cli, exported, value, message):
    workbook, registry = exported
    before = registry.read_bytes()
    edited = edit(workbook, {"I6": "进展", "J6": value})
    r = run_import_en(cli, edited, registry)
    assert_refused(r, registry, before, [f"{edited}:清单!J6: {message}"])


def test_rows_in_any_order_import_by_their_id(cli, exported):
    """Sorting 清单 by 截止日期 (as its auto-filter invites) moves every row: rows are keyed by 编号."""
    workbook, registry = exported
    wb = openpyxl.load_workbook(workbook)
    ws = wb["清单"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "序号")
    columns = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value}
    slots = [r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, columns["编号"]).value]
    rows = [[ws.cell(r, c).value for c in range(1, ws.max_column + 1)] for r in slots]
    due, seq = columns["截止日期"] - 1, columns["序号"] - 1
    rows.sort(key=lambda row: (str(row[due]), -row[seq]))  # by due date, then 序号 backwards: nearly every row moves
    for r, row in zip(slots, rows):
        for c, value in enumerate(row, 1):
            ws.cell(r, c).value = value
    moved = next(r for r in slots if ws.cell(r, columns["编号"]).value == "2024-24")
    ws.cell(moved, columns["状态"]).value = "推进中"
    ws.cell(moved, columns["进展情况"]).value = "平台已上线试运行"
    edited = workbook.with_name("sorted.xlsx")
    wb.save(edited)
    r = run_import(cli, edited, registry, "--apply")
    assert r.exit_code == 0, r.stderr
    assert f"2024-24 打造长三角网络交易案件协查交互平台  (清单!{moved}:{moved})" in r.stdout
    assert "平台已上线试运行" in registry.read_text(encoding="utf-8")


def test_row_deleted(cli, exported):
    workbook, registry = exported
    before = registry.read_bytes()
    wb = openpyxl.load_workbook(workbook)
    wb["清单"].delete_rows(68)  # the last row, 2024-58
    edited = workbook.with_name("deleted.xlsx")
    wb.save(edited)
    r = run_import_en(cli, edited, registry)
    assert_refused(r, registry, before, [
        f"{edited}:清单!A68: the row of 2024-58 (row 68 when exported) is missing: rows cannot be deleted; "
        "restore it or re-export"])


def test_row_added(cli, exported):
    workbook, registry = exported
    before = registry.read_bytes()
    edited = edit(workbook, {"B69": "新增事项", "H69": "未启动"})
    r = run_import_en(cli, edited, registry)
    assert_refused(r, registry, before, [
        f"{edited}:清单!K69: row has no 编号: rows cannot be added here (new items go into the registry)"])


@pytest.mark.parametrize("ref, value, message", [
    ("B5", "打造长三角商事登记服务模式", "合作事项 is not editable (exported as '打造长三角商事登记增值化服务模式')"),
    ("E5", "上海市局", "牵头单位 is not editable (exported as '三省一市局'); only 状态, 进展情况, 更新日期 are read"),
    ("F5", dt.date(2024, 11, 30), "截止日期 is not editable (exported as '2024-12-31'); only 状态, 进展情况, 更新日期 are read"),
    ("A5", 2, "序号 is not editable (exported as '1'); only 状态, 进展情况, 更新日期 are read"),
])
def test_edit_to_a_column_that_is_not_editable(cli, exported, ref, value, message):
    workbook, registry = exported
    before = registry.read_bytes()
    edited = edit(workbook, {ref: value, "H6": "推进中"})  # a good edit elsewhere is not written either
    r = run_import_en(cli, edited, registry, "--apply")
    assert_refused(r, registry, before, [f"{edited}:清单!{ref}: {message}"])


def test_progress_cleared_and_date_without_progress(cli, registry_copy, tmp_path):
    # give 2024-02 a report first, then export
    first = tmp_path / "first.xlsx"
    assert cli("export", "--xlsx", first, "--data", registry_copy, "--as-of", AS_OF).exit_code == 0
    assert run_import_en(cli, edit(first, {"I6": "第一次报送", "J6": dt.date(2024, 9, 1)}), registry_copy,
                      "--apply").exit_code == 0
    second = tmp_path / "second.xlsx"
    assert cli("export", "--xlsx", second, "--data", registry_copy, "--as-of", AS_OF).exit_code == 0
    assert openpyxl.load_workbook(second)["清单"]["I6"].value == "第一次报送"
    before = registry_copy.read_bytes()
    edited = edit(second, {"I6": None, "J7": dt.date(2024, 9, 2)})
    r = run_import_en(cli, edited, registry_copy)
    assert_refused(r, registry_copy, before, [
        f"{edited}:清单!I6: 进展情况 was cleared: reports already made are kept; write the new progress instead",
        f"{edited}:清单!J7: 更新日期 changed but neither 进展情况 nor 状态 did: write the progress this date belongs to",
    ])


def test_status_transition_rules_apply(cli, registry_copy, tmp_path):
    first = tmp_path / "first.xlsx"
    assert cli("export", "--xlsx", first, "--data", registry_copy, "--as-of", AS_OF).exit_code == 0
    assert run_import_en(cli, edit(first, {"H6": "已完成", "I6": "已完成"}), registry_copy, "--apply").exit_code == 0
    second = tmp_path / "second.xlsx"
    assert cli("export", "--xlsx", second, "--data", registry_copy, "--as-of", AS_OF).exit_code == 0
    before = registry_copy.read_bytes()
    edited = edit(second, {"H6": "推进中"})
    r = run_import_en(cli, edited, registry_copy)
    assert_refused(r, registry_copy, before, [
        f"{edited}:清单!H6: 2024-02: status cannot change from done (done) to in progress (in_progress); allowed: no other status"])


# -- untrusted files -------------------------------------------------------------------------------------

def test_not_a_zip(cli, tmp_path, registry_copy):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("序号,合作事项\n", encoding="utf-8")
    before = registry_copy.read_bytes()
    r = run_import_en(cli, bad, registry_copy)
    assert_refused(r, registry_copy, before, [f"{bad}: not an Excel .xlsx workbook (not a zip file) nor a .csv file"])


def test_old_xls(cli, tmp_path, registry_copy):
    bad = tmp_path / "old.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    r = run_import_en(cli, bad, registry_copy)
    assert r.exit_code == 1 and "save it as an Excel .xlsx workbook" in r.stderr


def test_missing_file(cli, tmp_path, registry_copy):
    r = run_import_en(cli, tmp_path / "nope.xlsx", registry_copy)
    assert r.exit_code == 1 and f"{tmp_path / 'nope.xlsx'}: no such file" in r.stderr


def test_zip_that_is_not_a_workbook(cli, tmp_path, registry_copy):
    bad = tmp_path / "other.xlsx"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("hello.txt", "hi")
    r = run_import_en(cli, bad, registry_copy)
    assert r.exit_code == 1
    assert r.stderr.startswith(f"{bad}: cannot be read as an Excel workbook")
    assert "Traceback" not in r.stderr


def test_zip_bomb(cli, tmp_path, registry_copy):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 2**20))
    assert bomb.stat().st_size < 100_000
    before = registry_copy.read_bytes()
    r = run_import_en(cli, bomb, registry_copy)
    with zipfile.ZipFile(bomb) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    ratio = info.file_size // info.compress_size
    assert ratio > 500
    assert_refused(r, registry_copy, before, [
        f"{bomb}: part xl/worksheets/sheet1.xml is compressed {ratio:,} times: refused as a possible zip bomb"])


def test_zip_bomb_by_total_size(cli, tmp_path, registry_copy, monkeypatch):
    from workplan.importing import workbook as importer

    monkeypatch.setattr(importer, "MAX_UNCOMPRESSED_BYTES", 10_000)
    workbook = tmp_path / "plan.xlsx"
    assert cli("export", "--xlsx", workbook, "--data", registry_copy).exit_code == 0
    r = run_import_en(cli, workbook, registry_copy)
    assert r.exit_code == 1
    assert "refused as a possible zip bomb" in r.stderr and "over 10,000" in r.stderr


def test_oversized_file(cli, exported, monkeypatch):
    from workplan.importing import workbook as importer

    workbook, registry = exported
    monkeypatch.setattr(importer, "MAX_FILE_BYTES", 1000)
    r = run_import_en(cli, workbook, registry)
    size = workbook.stat().st_size
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == f"{workbook}: file is {size:,} bytes, over the 1,000-byte limit for an import"


def _rewrite_part(source: Path, target: Path, name: str, change) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info.filename, change(data) if info.filename == name else data)
    return target


BILLION_LAUGHS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                  b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')


def _with_entities(data: bytes) -> bytes:
    body = data.split(b"?>", 1)[1].lstrip() if data.startswith(b"<?xml") else data
    assert b"<t>" in body
    return BILLION_LAUGHS + body.replace(b"<t>", b"<t>&c;", 1)


def test_xml_entities_are_refused(cli, exported):
    workbook, registry = exported
    evil = _rewrite_part(workbook, workbook.with_name("evil.xlsx"), "xl/worksheets/sheet1.xml", _with_entities)
    before = registry.read_bytes()
    r = run_import_en(cli, evil, registry)
    assert_refused(r, registry, before, [
        f"{evil}: part xl/worksheets/sheet1.xml contains an XML DOCTYPE or ENTITY declaration, which Excel never writes: "
        "refused"])


def test_xml_entities_refused_by_defusedxml_too(cli, exported, monkeypatch):
    """Without our own scan, openpyxl's parser (defusedxml underneath) still refuses the entities."""
    from workplan.importing import workbook as importer

    pytest.importorskip("defusedxml")
    monkeypatch.setattr(importer, "_scan_xml", lambda archive, info: None)
    workbook, registry = exported
    evil = _rewrite_part(workbook, workbook.with_name("evil.xlsx"), "xl/worksheets/sheet1.xml", _with_entities)
    r = run_import_en(cli, evil, registry)
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == f"{evil}: XML entity declarations are not allowed in a workbook: refused"


def test_huge_merged_range_is_refused_before_parsing(cli, exported):
    """openpyxl would create a cell object for each merged cell: 17 billion here, a hang."""
    workbook, registry = exported

    def merge_everything(data: bytes) -> bytes:
        return data.replace(b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A70:XFD1048576"/>'
                                              b"</mergeCells>", 1)

    evil = _rewrite_part(workbook, workbook.with_name("merged.xlsx"), "xl/worksheets/sheet1.xml", merge_everything)
    r = run_import_en(cli, evil, registry)
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (f"{evil}: part xl/worksheets/sheet1.xml merges more than 100,000 cells: "
                                        "unmerge the cells and save again")


def test_merged_cells(cli, exported):
    workbook, registry = exported
    before = registry.read_bytes()
    wb = openpyxl.load_workbook(workbook)
    wb["清单"].merge_cells("I6:J6")
    edited = workbook.with_name("merged.xlsx")
    wb.save(edited)
    r = run_import_en(cli, edited, registry)
    assert_refused(r, registry, before, [
        f"{edited}:清单!I6: merged cells I6:J6: unmerge them, the import reads one value per cell"])


def test_formula_cells(cli, exported):
    workbook, registry = exported
    before = registry.read_bytes()
    edited = edit(workbook, {"H6": '="已完成"', "J7": "=TODAY()"})
    r = run_import_en(cli, edited, registry)
    assert_refused(r, registry, before, [
        f"{edited}:清单!H6: formula '=\"已完成\"': type the value itself, not a formula",
        f"{edited}:清单!J7: formula '=TODAY()': type the value itself, not a formula",
    ])


def test_sheet_renamed(cli, exported):
    workbook, registry = exported
    wb = openpyxl.load_workbook(workbook)
    wb["清单"].title = "浙江"
    edited = workbook.with_name("renamed.xlsx")
    wb.save(edited)
    r = run_import_en(cli, edited, registry)
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (f"{edited}:清单!A1: sheet is missing (renamed or deleted?); "
                                        "keep the sheets as exported")


def test_workbook_without_export_record(cli, exported):
    """A table copied into a new workbook: compared with the registry, with a note."""
    workbook, registry = exported
    wb = openpyxl.load_workbook(workbook)
    del wb["_workplan"]
    wb["清单"]["H5"] = "推进中"
    edited = workbook.with_name("copied.xlsx")
    wb.save(edited)
    r = run_import_en(cli, edited, registry)
    assert r.exit_code == 0, r.stderr
    assert "no export record" in r.stderr
    assert r.stdout.splitlines()[1] == "  status: not started → in progress"


def test_no_traceback_on_garbage(cli, tmp_path, registry_copy):
    for n, payload in enumerate([b"", b"PK\x03\x04garbage", bytes(range(256)) * 10]):
        bad = tmp_path / f"g{n}.xlsx"
        bad.write_bytes(payload)
        r = run_import(cli, bad, registry_copy)
        assert r.exit_code == 1 and "Traceback" not in r.stderr
        assert r.stderr.startswith(f"{bad}: ")


def test_a_units_sheet_updates_that_units_share_only(cli, tmp_path, registry_copy):
    """On a --split-by lead workbook, 江苏省局's sheet reports 江苏省局's share of joint item 2024-01."""
    from workplan.core.units import unit_states

    target = tmp_path / "split.xlsx"
    assert cli("export", "--xlsx", target, "--split-by", "lead", "--data", registry_copy, "--as-of", AS_OF).exit_code == 0
    edited = edit(target, {"H5": "已完成", "I5": "江苏已完成本地部署"}, sheet="江苏省局")
    r = run_import(cli, edited, registry_copy, "--apply")
    assert r.exit_code == 0, r.stderr
    reg = load_registry(registry_copy)
    item = reg.items[0]
    assert [(s.unit, s.status.value) for s in unit_states(reg, item)] == [
        ("上海市局", "not_started"), ("江苏省局", "done"), ("浙江省局", "not_started"), ("安徽省局", "not_started")]
    assert item.status.value == "in_progress"
    assert [m.done_on for m in item.milestones] == [None]  # the item is done when every share is
