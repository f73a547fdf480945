"""The exported workbook opened by a real spreadsheet program: LibreOffice, headless.

Converts it to PDF (pages exist, A4 landscape, the header repeated on every page, the footer's page
numbers) and to CSV (the 59 rows with the Chinese text intact and "=1+1" as literal text), and
saves it again as .xlsx to check that `import` still accepts a workbook LibreOffice has written.
Skipped without LibreOffice, failed instead when WORKPLAN_REQUIRE_REAL_CLIENTS=1.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess

import pytest

from conftest import require_client

pytestmark = [pytest.mark.real_client, pytest.mark.slow]


ALL_IDS = [f"2024-{n:02d}" for n in range(1, 37)] + ["2024-36b"] + [f"2024-{n:02d}" for n in range(37, 59)]
# UTF-8 (76), comma, double quotes, first line 1: LibreOffice's own default would be the locale's code page
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1"


def soffice(binary, tmp_path, source, fmt, outdir):
    profile = tmp_path / "lo-profile"  # a private profile: no clash with a running LibreOffice
    outdir.mkdir(exist_ok=True)
    result = subprocess.run(
        [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", fmt,
         "--outdir", str(outdir), str(source)],
        capture_output=True, text=True, encoding="utf-8", timeout=300)
    produced = outdir / (source.stem + "." + fmt.split(":")[0])
    assert produced.exists(), f"LibreOffice produced nothing: {result.stdout} {result.stderr}"
    return produced


@pytest.fixture
def workbook(cli, tmp_path, registry_copy):
    text = registry_copy.read_text(encoding="utf-8")
    text = text.replace("title: 打造长三角商事登记增值化服务模式", 'title: "=1+1"', 1)
    text = text.replace("title: 拓展深化长三角地区“企业码”应用", 'title: "@SUM(A1)"', 1)
    registry_copy.write_text(text, encoding="utf-8")
    target = tmp_path / "plan.xlsx"
    r = cli("export", "--xlsx", target, "--data", registry_copy, "--as-of", "2024-10-01")
    assert r.exit_code == 0, r.stderr
    return target


def test_pdf(workbook, tmp_path):
    binary = require_client("LibreOffice", "soffice", "libreoffice")
    pdf = soffice(binary, tmp_path, workbook, "pdf", tmp_path / "pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, encoding="utf-8", timeout=60).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])
        width, height = map(float, re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.M).groups())
        assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    else:
        pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    # 59 rows fitted to the page width take several pages, plus the 汇总 sheet
    assert pages >= 2
    if shutil.which("pdftotext"):
        texts = [subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                                capture_output=True, text=True, encoding="utf-8", timeout=60).stdout for page in range(1, pages + 1)]
        for page, text in enumerate(texts[:-1], 1):
            assert "合作事项" in text and "进展情况" in text, f"header row missing on page {page}"
            # each sheet numbers its own pages: the list 1 … n-1, the one-page 汇总 1
            assert re.search(rf"清单\s*第\s*{page}\s*页", text), f"footer missing on page {page}"
        assert re.search(r"汇总\s*第\s*1\s*页", texts[-1])
        assert "共" not in "".join(re.findall(r"第\s*\d+\s*页.{0,6}", "".join(texts)))
        first = texts[0]
        assert "长三角市场监管一体化发展2024年工作要点合作事项清单" in first and "=1+1" in first
        assert "一、协同联建一流营商环境" in first  # the section row
        assert "2024-01" not in first  # 编号 is hidden: "2024-01" would read as January


def test_csv(workbook, tmp_path):
    binary = require_client("LibreOffice", "soffice", "libreoffice")
    produced = soffice(binary, tmp_path, workbook, CSV_FILTER, tmp_path / "csv")
    rows = list(csv.reader(produced.read_text(encoding="utf-8-sig").splitlines(keepends=True)))
    header_at = next(i for i, row in enumerate(rows) if row[:2] == ["序号", "合作事项"])
    assert rows[header_at][10:12] == ["编号", "灯号"]
    items = [row for row in rows[header_at + 1:] if len(row) > 10 and row[10]]
    sections = [row[0] for row in rows[header_at + 1:] if any(row) and not (len(row) > 10 and row[10])]
    assert sections == ["一、协同联建一流营商环境", "二、共同维护公平竞争市场秩序", "三、强化质量支撑标准引领",
                        "四、助力特色产业高质量发展", "五、强化一体化监管服务能力", "六、推进毗邻区域能域市场监管一体化"]
    assert [row[10] for row in items] == ALL_IDS
    by_id = {row[10]: row for row in items}
    assert by_id["2024-01"][1] == "=1+1"          # literal text, not 2
    assert by_id["2024-02"][1] == "@SUM(A1)"
    assert by_id["2024-03"][1] == "开展经营主体发展情况分析"
    assert by_id["2024-06"][3] == "浙江、安徽知识产权相关条线；嘉善县局"
    assert by_id["2024-18"][5] == "2024-09-30"    # a date cell, shown in the exported format
    assert by_id["2024-18"][6] == "9月底前 2024-09-30\n12月底前 2024-12-31"
    assert by_id["2024-37"][4] == "上海市药监局" and by_id["2024-37"][7] == "未启动"
    # the light as of the export's reporting date (2024-10-01), as a word
    assert {i for i, row in by_id.items() if row[11] == "逾期"} == {"2024-09", "2024-11", "2024-18", "2024-25", "2024-54"}


def test_workbook_saved_by_libreoffice_imports_cleanly(workbook, tmp_path, cli, registry_copy):
    binary = require_client("LibreOffice", "soffice", "libreoffice")
    saved = soffice(binary, tmp_path, workbook, "xlsx", tmp_path / "resaved")
    before = registry_copy.read_bytes()
    r = cli("import", saved, "--data", registry_copy, "--as-of", "2024-10-01")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "" and "没有变化" in r.stderr
    assert registry_copy.read_bytes() == before


def test_two_documents_that_would_make_one_pdf_are_refused_in_the_readers_language(cli, tmp_path):
    require_client("LibreOffice", "soffice", "libreoffice")
    args = ("export", "--xlsx", str(tmp_path / "a.xlsx"), "--docx", str(tmp_path / "a.docx"), "--pdf")
    pdf = tmp_path / "a.pdf"
    zh, en = cli(*args), cli(*args, "--lang", "en")
    assert (zh.exit_code, zh.stderr) == (2, f"workplan: 错误：--pdf：{tmp_path / 'a.xlsx'}、{tmp_path / 'a.docx'} "
                                            f"会生成同一个 PDF 文件 {pdf}；请为它们取不同的文件名\n")
    assert (en.exit_code, en.stderr) == (2, f"workplan: error: --pdf: {tmp_path / 'a.xlsx'}, {tmp_path / 'a.docx'} "
                                            f"would all become {pdf}; give them different names\n")
    assert not list(tmp_path.iterdir())
