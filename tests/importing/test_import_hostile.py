"""Import as people really use a workbook, and as a hostile one would: one line per problem, no
traceback, the registry byte-identical whenever anything is refused."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

AS_OF = "2024-10-15"


@pytest.fixture
def exported(cli, tmp_path, registry_copy):
    target = tmp_path / "plan.xlsx"
    r = cli("export", "--xlsx", target, "--data", registry_copy, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    return target, registry_copy


def refused(cli, workbook, registry, *args) -> list[str]:
    before = registry.read_bytes()
    r = cli("import", workbook, "--data", registry, "--as-of", AS_OF, "--apply", "--lang", "en", *args)
    assert r.exit_code == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert registry.read_bytes() == before
    lines = r.stderr.splitlines()
    assert lines[-1].endswith("nothing was written")
    return lines[:-1]


def test_a_workbook_of_another_registry_is_named_in_one_line(cli, tmp_path, exported):
    workbook, registry = exported
    other = tmp_path / "other.yaml"
    other.write_text(registry.read_text(encoding="utf-8").replace(
        "  title: 长三角市场监管一体化发展 2024 年工作要点", "  title: 长三角市场监管一体化发展 2025 年工作要点", 1),
        encoding="utf-8")
    assert refused(cli, workbook, other) == [
        f"{workbook}: exported from another registry (plan 《长三角市场监管一体化发展 2024 年工作要点》), not from this "
        "one (《长三角市场监管一体化发展 2025 年工作要点》): import it with --plan pointing at the registry it came from"]


def test_a_tampered_hidden_sheet_is_refused(cli, exported):
    workbook, registry = exported
    wb = openpyxl.load_workbook(workbook)
    wb["_workplan"]["B2"] = "line"  # the header cell "row" renamed
    wb.save(workbook)
    assert refused(cli, workbook, registry) == [
        f"{workbook}: the hidden sheet _workplan, the export's record of every row, was changed; export the "
        "workbook again and fill in the new one"]


def test_a_damaged_deflate_stream_is_refused(cli, exported):
    workbook, registry = exported
    data = bytearray(workbook.read_bytes())
    with zipfile.ZipFile(workbook) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for n in range(start + 40, start + 80):  # inside the compressed data; the directory is left intact
        data[n] ^= 0x5A
    workbook.write_bytes(bytes(data))
    problems = refused(cli, workbook, registry)
    assert len(problems) == 1
    assert problems[0].startswith(f"{workbook}: part xl/worksheets/sheet1.xml cannot be unpacked (damaged): ")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_is_not_a_workbook(cli, registry_copy, device):
    assert refused(cli, device, registry_copy) == [f"{device}: is a device, not a file"]


def test_a_csv_resaved_by_excel_on_zh_cn_still_imports(cli, tmp_path, registry_copy):
    import csv
    import datetime as dt
    import io

    plan = tmp_path / "plan.csv"
    assert cli("export", "--csv", plan, "--data", registry_copy, "--as-of", AS_OF).exit_code == 0
    rows = list(csv.reader(io.StringIO(plan.read_bytes().decode("utf-8-sig"), newline="")))
    for row in rows[1:]:
        day = dt.date.fromisoformat(row[5])
        row[5] = f"{day.year}/{day.month}/{day.day}"  # the date column as Excel on zh-CN saves it
        if row[10] == "2024-24":
            row[7], row[8] = "推进中", "平台已上线试运行"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    plan.write_bytes(buffer.getvalue().encode("gb18030"))  # and saved in the ANSI code page
    r = cli("import", plan, "--data", registry_copy, "--as-of", AS_OF, "--apply")
    assert r.exit_code == 0, r.stderr
    assert "平台已上线试运行" in registry_copy.read_text(encoding="utf-8")


def test_control_characters_in_a_cell_are_refused_per_cell(cli, tmp_path, registry_copy):
    plan = tmp_path / "plan.csv"
    assert cli("export", "--csv", plan, "--data", registry_copy, "--as-of", AS_OF).exit_code == 0
    lines = plan.read_bytes().decode("utf-8-sig").split("\r\n")
    row = next(n for n, line in enumerate(lines) if line.endswith(",2024-24"))
    cells = lines[row].split(",")
    cells[8] = "已完成\x1b[2J\x1b]0;pwned\x07"
    lines[row] = ",".join(cells)
    plan.write_bytes(("\ufeff" + "\r\n".join(lines)).encode("utf-8"))
    problems = refused(cli, plan, registry_copy)
    assert problems == [f"{plan}:plan!I{row + 1}: 进展情况 holds U+001B (ESC, a terminal escape) at character 4: a "
                        "control character (a terminal escape …) cannot go into the registry; remove it"]


def fill(workbook, item_id: str, status: str, text: str) -> None:
    wb = openpyxl.load_workbook(workbook)
    ws = wb.worksheets[0]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 11).value == item_id)
    ws.cell(row, 8).value, ws.cell(row, 9).value = status, text
    wb.save(workbook)


def test_a_workbook_exported_for_one_unit_reports_as_that_unit(cli, tmp_path, registry_copy):
    workbook = tmp_path / "浙江.xlsx"
    assert cli("export", "--xlsx", workbook, "--lead", "浙江省局", "--data", registry_copy, "--as-of", AS_OF).exit_code == 0
    fill(workbook, "2024-21", "推进中", "浙江部分已启动")  # co-led by several units
    r = cli("import", workbook, "--data", registry_copy, "--as-of", AS_OF, "--apply")
    assert r.exit_code == 0, r.stderr
    text = registry_copy.read_text(encoding="utf-8")
    assert "by: 浙江省局" in text.split("  - id: 2024-21\n")[1].split("  - id: 2024-22\n")[0]


def test_a_joint_item_from_a_workbook_for_everyone_needs_by(cli, tmp_path, exported):
    workbook, registry = exported
    fill(workbook, "2024-21", "推进中", "已启动")
    problems = refused(cli, workbook, registry)
    assert len(problems) == 1 and problems[0].startswith(f"{workbook}:清单!H")
    assert problems[0].endswith("2024-21: item 2024-21 has several lead units (" + problems[0].split("(", 1)[1].split(")")[0]
                                + "); say who reports with --by")
    r = cli("import", workbook, "--data", registry, "--as-of", AS_OF, "--apply", "--by", "江苏省局")
    assert r.exit_code == 0, r.stderr


def test_import_refuses_the_shipped_copy_outside_a_project(cli, tmp_path, exported, monkeypatch):
    workbook, _ = exported
    monkeypatch.chdir(tmp_path)
    r = cli("import", workbook, "--as-of", AS_OF, "--apply")
    assert r.exit_code == 1
    assert r.stderr.startswith("workplan: 错误：这里没有自己的登记表（没有 --plan、没有 $WORKPLAN_DATA、没有 "
                               "./data/items.yaml）：随 workplan 安装的副本（")
    assert r.stderr.endswith("）是只读的；请运行 workplan init 把它复制为 ./data/items.yaml，再更新那一份\n")
    r = cli("import", workbook, "--as-of", AS_OF, "--apply", "--lang", "en")
    assert r.stderr.startswith("workplan: error: no registry of your own here (no --plan, no $WORKPLAN_DATA, no "
                               "./data/items.yaml): the copy shipped with workplan (")
    assert r.stderr.endswith(") is read-only; run `workplan init` to copy it to ./data/items.yaml, then update that\n")


def test_update_refuses_the_shipped_copy_outside_a_project(cli, tmp_path, monkeypatch):
    from conftest import REGISTRY

    before = REGISTRY.read_bytes()
    monkeypatch.chdir(tmp_path)
    r = cli("update", "24", "--note", "x", "--as-of", AS_OF)
    assert r.exit_code == 1 and "请运行 workplan init" in r.stderr and r.stderr.count("\n") == 1
    assert REGISTRY.read_bytes() == before
