"""Returned workbooks and the shares of joint items: a unit's workbook or sheet reports that unit's
share only; one item edited on two units' sheets is each unit's report; one share edited two ways
is refused. Round trips: export → edit with openpyxl → import --apply → the registry re-read."""

from __future__ import annotations

import datetime as dt

import pytest

openpyxl = pytest.importorskip("openpyxl")

from workplan.core.units import unit_states  # noqa: E402
from workplan.store.load import load_registry  # noqa: E402

AS_OF = "2024-10-01"


def cells(path, sheet: str, item_id: str) -> dict[str, str]:
    """The status, progress and date cells (A1 refs) of the item's row on the sheet, by header."""
    ws = openpyxl.load_workbook(path)[sheet]
    for row in ws.iter_rows():
        headers = {c.value: c.column_letter for c in row if isinstance(c.value, str)}
        if "编号" in headers and "状态" in headers:
            break
    else:
        raise AssertionError("no header row")
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == item_id and cell.column_letter == headers["编号"]:
                return {key: f"{headers[name]}{cell.row}" for key, name in
                        (("status", "状态"), ("progress", "进展情况"), ("updated", "更新日期"))}
    raise AssertionError(f"{item_id} is not on {sheet}")


def export(cli, registry, target, *args):
    result = cli("export", "--xlsx", target, "--data", registry, "--as-of", AS_OF, *args)
    assert result.exit_code == 0, result.stderr
    return target


def fill(path, out, edits: dict[str, dict[str, object]]):
    """edits: sheet → {A1 ref: value}."""
    wb = openpyxl.load_workbook(path)
    for sheet, values in edits.items():
        for ref, value in values.items():
            wb[sheet][ref] = value
    wb.save(out)
    return out


def shares(registry, item_id):
    reg = load_registry(registry)
    item = next(i for i in reg.items if i.id == item_id)
    return item, [(s.unit, s.status.value) for s in unit_states(reg, item)]


def apply(cli, workbook, registry, *args):
    return cli("import", workbook, "--data", registry, "--as-of", AS_OF, "--apply", *args)


def test_a_workbook_for_one_unit_credits_that_units_share_only(cli, tmp_path, registry_copy):
    book = export(cli, registry_copy, tmp_path / "浙江.xlsx", "--lead", "浙江省局")
    sheet = openpyxl.load_workbook(book).worksheets[0].title
    group, co_led = cells(book, sheet, "2024-01"), cells(book, sheet, "2024-21")
    edited = fill(book, tmp_path / "浙江-填报.xlsx", {sheet: {
        group["status"]: "已完成", group["progress"]: "浙江：港资企业全程电子化登记上线", group["updated"]: dt.date(2024, 9, 20),
        co_led["status"]: "推进中", co_led["progress"]: "浙江：认证规则起草", co_led["updated"]: dt.date(2024, 9, 21)}})
    result = apply(cli, edited, registry_copy)
    assert result.exit_code == 0, result.stderr
    item, states = shares(registry_copy, "2024-01")
    assert states == [("上海市局", "not_started"), ("江苏省局", "not_started"), ("浙江省局", "done"), ("安徽省局", "not_started")]
    assert (item.status.value, [m.done_on for m in item.milestones]) == ("in_progress", [None])
    assert [(p.date, p.by, p.status.value, p.text) for p in item.progress] == [
        (dt.date(2024, 9, 20), "浙江省局", "done", "浙江：港资企业全程电子化登记上线")]
    item, states = shares(registry_copy, "2024-21")
    assert states == [("上海市局", "not_started"), ("浙江省局", "in_progress")]
    assert [(p.by, p.status.value) for p in item.progress] == [("浙江省局", "in_progress")]

    # 上海市局's workbook, exported after that: its 已完成 on 2024-01 is its own share, too.
    book = export(cli, registry_copy, tmp_path / "上海.xlsx", "--lead", "上海市局")
    sheet = openpyxl.load_workbook(book).worksheets[0].title
    group = cells(book, sheet, "2024-01")
    edited = fill(book, tmp_path / "上海-填报.xlsx", {sheet: {
        group["status"]: "已完成", group["progress"]: "上海：流程梳理完成", group["updated"]: dt.date(2024, 9, 25)}})
    result = apply(cli, edited, registry_copy)
    assert result.exit_code == 0, result.stderr
    item, states = shares(registry_copy, "2024-01")
    assert states == [("上海市局", "done"), ("江苏省局", "not_started"), ("浙江省局", "done"), ("安徽省局", "not_started")]
    assert item.status.value == "in_progress"
    assert cli("validate", registry_copy).exit_code == 0


def test_one_item_on_two_units_sheets_is_each_units_report(cli, tmp_path, registry_copy):
    book = export(cli, registry_copy, tmp_path / "split.xlsx", "--split-by", "lead")
    shanghai, jiangsu = cells(book, "上海市局", "2024-01"), cells(book, "江苏省局", "2024-01")
    edited = fill(book, tmp_path / "edited.xlsx", {
        "上海市局": {shanghai["status"]: "推进中", shanghai["progress"]: "上海：流程梳理", shanghai["updated"]: dt.date(2024, 9, 20)},
        "江苏省局": {jiangsu["status"]: "延期", jiangsu["progress"]: "江苏：系统改造延后", jiangsu["updated"]: dt.date(2024, 9, 10)}})
    dry = cli("import", edited, "--data", registry_copy, "--as-of", AS_OF)
    assert dry.exit_code == 0, dry.stderr
    assert "[2024-09-10 江苏省局]" in dry.stdout and "[2024-09-20 上海市局]" in dry.stdout
    result = apply(cli, edited, registry_copy)
    assert result.exit_code == 0, result.stderr
    item, states = shares(registry_copy, "2024-01")
    # One history in date order: 江苏's earlier report first, whatever the sheets' order.
    assert [(p.date, p.by, p.status.value, p.text) for p in item.progress] == [
        (dt.date(2024, 9, 10), "江苏省局", "delayed", "江苏：系统改造延后"),
        (dt.date(2024, 9, 20), "上海市局", "in_progress", "上海：流程梳理")]
    assert states == [("上海市局", "in_progress"), ("江苏省局", "delayed"), ("浙江省局", "not_started"), ("安徽省局", "not_started")]
    assert item.status.value == "delayed"
    assert cli("validate", registry_copy).exit_code == 0


def test_every_unit_completing_its_share_on_its_sheet_completes_the_item(cli, tmp_path, registry_copy):
    book = export(cli, registry_copy, tmp_path / "split.xlsx", "--split-by", "lead")
    edits = {}
    for n, unit in enumerate(["上海市局", "浙江省局"]):  # 2024-21's two lead units
        at = cells(book, unit, "2024-21")
        edits[unit] = {at["status"]: "已完成", at["progress"]: f"{unit[:2]}：完成", at["updated"]: dt.date(2024, 9, 20 + n)}
    result = apply(cli, fill(book, tmp_path / "edited.xlsx", edits), registry_copy)
    assert result.exit_code == 0, result.stderr
    item, states = shares(registry_copy, "2024-21")
    assert states == [("上海市局", "done"), ("浙江省局", "done")]
    assert (item.status.value, [m.done_on for m in item.milestones]) == ("done", [dt.date(2024, 9, 21)])
    assert cli("validate", registry_copy).exit_code == 0


def test_one_share_edited_two_ways_is_refused_naming_both_rows(cli, tmp_path, registry_copy):
    book = export(cli, registry_copy, tmp_path / "split.xlsx", "--split-by", "lead")
    shanghai, jiangsu = cells(book, "上海市局", "2024-01"), cells(book, "江苏省局", "2024-01")
    edited = fill(book, tmp_path / "edited.xlsx", {"上海市局": {shanghai["status"]: "推进中"},
                                                   "江苏省局": {jiangsu["status"]: "延期"}})
    before = registry_copy.read_bytes()
    # --by makes both sheets 上海市局's report: one share, two values.
    result = apply(cli, edited, registry_copy, "--by", "上海市局")
    assert result.exit_code == 1
    row = shanghai["status"][1:]
    assert result.stderr.splitlines()[0] == (
        f"{edited}:江苏省局!{jiangsu['status']}: 2024-01 中 上海市局 的份额两处填写不一致："
        f"上海市局!{row}:{row} 与 江苏省局!{row}:{row}；请改为一致")
    assert registry_copy.read_bytes() == before
    # The same values on both sheets are one report, not a clash.
    same = fill(book, tmp_path / "same.xlsx", {"上海市局": {shanghai["status"]: "推进中"},
                                               "江苏省局": {jiangsu["status"]: "推进中"}})
    result = apply(cli, same, registry_copy, "--by", "上海市局")
    assert result.exit_code == 0, result.stderr
    item, states = shares(registry_copy, "2024-01")
    assert [(p.by, p.status.value) for p in item.progress] == [("上海市局", "in_progress")]
