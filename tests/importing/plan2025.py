"""A 2025 plan the parser was not tuned to, written as the documents are circulated: a Word file
(python-docx), its PDF (LibreOffice), the attachment table as a workbook (openpyxl) and as text
extracted with wrapped cells. Other deadline forms than the seed's, units the seed never names,
rows with no deadline at all. The tests state the expected results literally.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

TITLE = "长三角市场监管一体化发展 2025 年工作要点"
DOC_NUMBER = "沪市监综〔2025〕3号"
PREAMBLE = ("为深入贯彻落实长三角一体化发展战略，扎实推进 2025 年长三角市场监管一体化工作，根据长三角区域合作办公室年度工作安排，"
            "制定本工作要点。")
GUIDING = ("坚持以高质量发展为主题，聚焦一体化和高质量两个关键词，在系统集成上下功夫，在堵点痛点上求突破，"
           "为长三角地区在中国式现代化中走在前列贡献市场监管力量。")
SECTIONS = [("一", "协同优化一流营商环境"), ("二", "共同提升质量标准水平"), ("三", "强化药品安全监管协作")]
TASKS = [
    (1, "推进经营主体登记便利化", "推进经营主体登记便利化。统一登记材料规范，推进经营主体跨省迁移登记全程网办，"
        "共建长三角信用修复协同机制，实现信用修复结果互认。"),
    (1, "强化知识产权协同保护", "强化知识产权协同保护。建立知识产权纠纷快速处理协作机制，发布一批典型案例，"
        "推进数据知识产权登记证书互认，常态化开展跨区域联合执法。"),
    (2, "提升标准计量协同水平", "提升标准计量协同水平。发布实施一批区域统一地方标准，组织开展区域计量比对，"
        "建设质量基础设施“一站式”服务站点，试点开展 CCC 免办产品跨区域后续监管。"),
    (2, "助力有机产品品牌建设", "助力有机产品品牌建设。发布《长三角有机产品网络经营规范》团体标准，净化有机产品网络销售环境。"),
    (3, "深化药品监管协作", "深化药品监管协作。推进药品跨省委托生产监管协作，签署协同监管备忘录，举办长三角化妆品监管论坛，"
        "开展“一地六县”药品安全应急演练。"),
]
SAFEGUARDS = [("一", "加强组织协调", "发挥联席会议作用，统筹协调实施年度工作任务。"),
              ("二", "抓好督促落实", "完善工作推进和督办机制，按季度通报进展。")]
HEADER = ["序号", "合作事项", "年度主要举措及时间节点", "责任部门", "牵头单位"]
# (section, 序号, 合作事项, 举措, 责任部门, 牵头单位) as printed; half-width brackets where the
# document has them.
ROWS = [
    (1, "1", "推进经营主体跨省迁移登记全程网办", "统一登记材料规范，实现经营主体跨省迁移登记全程网办。（6月底前）",
     "登记注册条线", "三省一市局"),
    (1, "2", "建立知识产权纠纷快速处理协作机制", "建立长三角知识产权纠纷快速处理协作机制(上半年)；发布一批典型案例。（年底前）",
     "知识产权保护条线、上海市知识产权局", "上海市知识产权局"),
    (1, "3", "共建长三角信用修复协同机制", "一季度启动信用修复结果互认，三季度末前覆盖三省一市。",
     "信用监管条线", "浙江省局"),
    (1, "4", "常态化开展跨区域联合执法", "长期坚持，持续推进跨区域联合执法协作。", "执法稽查条线", "江苏省局"),
    (1, "5", "推进数据知识产权登记证书互认", "持续推进。", "知识产权相关条线", "浙江省局、上海市知识产权局"),
    (2, "6", "发布实施区域统一地方标准", "发布实施长三角区域统一地方标准10项以上（2025年11月15日前）。", "标准化条线", "三省一市局"),
    (2, "7", "建设质量基础设施“一站式”服务站点", "建设质量基础设施“一站式”服务站点20个（第二批）。（10月20日前）",
     "质量发展条线、南京市局", "江苏省局、南京市局"),
    (2, "8", "组织开展区域计量比对", "组织开展长三角区域计量比对。（三季度末）", "计量条线、江苏省计量科学研究院", "江苏省局"),
    (2, "9", "加强 CCC 免办产品后续监管", "试点开展 CCC 免办产品跨区域后续监管。（12月底前）", "认证认可检验检测条线", "浙江省局"),
    (2, "10", "发布长三角有机产品网络经营规范", "发布《长三角有机产品网络经营规范》（暂定名）团体标准。（二季度）",
     "认证认可检验检测条线", "上海市局"),
    (3, "11", "推进药品跨省委托生产监管协作", "签署长三角药品跨省委托生产协同监管备忘录。（拟于2025年11月底前发布）",
     "药品监管条线", "江苏省药监局、安徽省药监局"),
    (3, "12", "举办长三角化妆品监管论坛", "举办长三角化妆品监管论坛。（9月底前）（拟于2025年长三角市场监管联席会议上签约）",
     "化妆品监管条线", "安徽省药监局"),
    (3, "13", "开展“一地六县”药品安全应急演练", "开展“一地六县”药品安全突发事件应急演练。(下半年)", "郎溪县局、广德市局",
     "安徽省局"),
]
NOTE = "注：牵头单位负责组织协调，责任部门按职责分工推进。"


def body_paragraphs() -> list[str]:
    """The 2025 body as issued, one string per paragraph (headings included)."""
    out = ["上海市市场监督管理局文件", DOC_NUMBER, f"关于印发{TITLE.replace(' 年', ' 年 ')}的通知",
           "上海市、江苏省、浙江省、安徽省市场监管局有关处（室、局）：",
           f"现将《{TITLE}》印发给你们，请认真抓好落实。",
           "长三角市场监管联席会议", "(上海市市场监督管理局代章)", "2025 年 3 月 28 日",
           TITLE, PREAMBLE, "一、指导思想", GUIDING, "二、主要任务"]
    number = 0
    for index, (label, title) in enumerate(SECTIONS, start=1):
        out.append(f"（{label}）{title}")
        for section, _, text in TASKS:
            if section == index:
                number += 1
                out.append(f"{number}. {text}")
    out.append("三、组织保障")
    out += [f"（{label}）{title}。{text}" for label, title, text in SAFEGUARDS]
    out += ["附件：长三角市场监管一体化发展 2025 年度工作合作事项清单"]
    return out


TABLE_TITLE = "长三角市场监管一体化发展 2025 年度工作合作事项清单"


@dataclass
class PlanText:
    """A plan as printed: body paragraphs, section titles, table rows (as ROWS), note, table title."""

    body: list[str] = field(default_factory=body_paragraphs)
    sections: list[tuple[str, str]] = field(default_factory=lambda: list(SECTIONS))
    rows: list[tuple] = field(default_factory=lambda: list(ROWS))
    note: str = NOTE
    table_title: str = TABLE_TITLE


PLAN_2025 = PlanText()


def write_docx(path: Path, plan: PlanText = PLAN_2025) -> Path:
    """The plan as a Word document: body paragraphs, then the attachment as a table with a repeated
    header row, merged section rows and cells of several paragraphs."""
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(12)
    style.font.name = "Noto Serif CJK SC"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    for text in plan.body:
        paragraph = document.add_paragraph(text)
        if len(text) > 30:
            paragraph.paragraph_format.first_line_indent = Pt(24)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("附件")
    document.add_paragraph(plan.table_title)
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADER):
        cell.text = text
    header_props = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_props.append(repeat)
    current = None
    for section, seq, title, measures, departments, leads in plan.rows:
        if section != current:
            current = section
            row = table.add_row()
            merged = row.cells[0].merge(row.cells[4])
            merged.text = f"{plan.sections[section - 1][0]}、{plan.sections[section - 1][1]}"
        row = table.add_row().cells
        row[0].text, row[1].text = seq, title
        # Several paragraphs in one cell: each deadline's measure, each lead unit.
        parts = re.split(r"(?<=[)）])(?=[^（(）)])", measures)  # a new paragraph after each deadline
        row[2].text = parts[0]
        for part in parts[1:]:
            row[2].add_paragraph(part)
        row[3].text = departments
        units = leads.split("、")
        row[4].text = units[0]
        for unit in units[1:]:
            row[4].add_paragraph(unit)
    widths = [Pt(30), Pt(110), Pt(200), Pt(90), Pt(80)]
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width
    document.add_paragraph(plan.note)
    document.save(path)
    return path


def write_xlsx(path: Path, plan: PlanText = PLAN_2025) -> Path:
    """The attachment table alone: a merged title row, the header, cells with embedded line breaks,
    and a note row under the table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    book = Workbook()
    sheet = book.active
    sheet.title = "合作事项清单"
    sheet.append([plan.table_title])
    sheet.merge_cells("A1:E1")
    sheet.append(HEADER)
    for _, seq, title, measures, departments, leads in plan.rows:
        sheet.append([int(seq), title, measures.replace("；", "；\n"), departments.replace("、", "、\n"),
                      leads.replace("、", "\n")])
    last = sheet.max_row + 1
    sheet.cell(last, 1, plan.note)
    sheet.merge_cells(start_row=last, start_column=1, end_row=last, end_column=5)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.save(path)
    return path


def write_wrapped_text(path: Path, plan: PlanText = PLAN_2025) -> Path:
    """The text as extracted from a PDF: paragraphs broken at page ends, table cells wrapped onto
    continuation lines (only the measures, or every column in its own tab field), the header
    repeated at a page break in the middle of a row, and a lead unit split as 上海市知识产权 / 局."""
    body = plan.body
    lines: list[str] = []
    for text in body:
        if text.startswith("1. "):  # a page break inside the first key task
            lines += [text[:30], "", text[30:], ""]
        else:
            lines += [text, ""]
    lines += ["附件", "", plan.table_title, "", "\t".join(HEADER)]
    for _, seq, title, measures, departments, leads in plan.rows:
        if seq == "1":  # only the measures continue, as plain text
            lines += ["\t".join([seq, title, measures[:14], departments, leads]), measures[14:]]
        elif seq == "2":  # every column continues in its own field; the lead unit is split
            lines += ["\t".join([seq, title[:8], measures[:20], departments[:9], leads[:-1]]),
                      "\t".join(["", title[8:], measures[20:], departments[9:], leads[-1:]])]
        elif seq == "7":  # a page break in the middle of the row, with the header repeated
            lines += ["\t".join([seq, title[:6], measures[:12], departments, leads]), "", "\t".join(HEADER),
                      "\t".join(["", title[6:], measures[12:], "", ""])]
        else:
            lines.append("\t".join([seq, title, measures, departments, leads]))
    lines += ["", plan.note, ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_pdf(docx: Path, folder: Path, soffice: str) -> Path:
    """The Word document printed to PDF by LibreOffice, as a bureau would circulate it."""
    import subprocess

    profile = folder / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(docx)], check=True, capture_output=True, timeout=180)
    return folder / (docx.stem + ".pdf")
