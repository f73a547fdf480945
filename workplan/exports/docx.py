"""Word documents an office sends as they are: the bulletin 《长三角市场监管工作动态》 and the
合作事项清单 as the attachment of an official document.

Layout after GB/T 9704-2012 (党政机关公文格式): A4, margins 37/35/28/26 mm (top, bottom, left,
right), body in 仿宋 3号 (16 pt), headings 一、 in 黑体 and （一） in 楷体, the title in 小标宋, page
numbers "— 1 —" in 4号 below the text (odd pages right, even pages left, one character in). The
bulletin's masthead is red, with the issuing office left and the date right above a red rule, and
the 报/送/发 block closes it.

Every look lives in named paragraph styles (WP Body, WP Heading 1 …), so an office can restyle a
document in Word without touching code; fonts, masthead and recipients come from the project's
workplan.toml (store.config). The body is written as WordprocessingML text straight into the
document part: python-docx's object per paragraph and cell is far too slow for a large plan.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import BinaryIO, Iterable, Sequence
from xml.sax.saxutils import escape

from workplan.core.bulletin import Bulletin, percent_text
from workplan.core.models import Item, Registry
from workplan.core.query import MilestoneRow
from workplan.core.labels import light_label, status_label as label, t
from workplan.exports.bulletin import (Masthead, cn_date, column_headers, days_late, deadline_text, issue_label,
                                       leads_text, period_label, standing)
from workplan.exports.tables import COLUMN_BY_KEY

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RED = "C00000"
PT_PER_MM = 72 / 25.4

# GB/T 9704 sizes in points: 初号 42, 小初 36, 一号 26, 二号 22, 三号 16, 四号 14, 小四 12, 五号 10.5.
SIZE_MASTHEAD = 36
SIZE_TITLE = 22
SIZE_BODY = 16
SIZE_PAGE_NUMBER = 14
SIZE_TABLE = 12
SIZE_LIST_TABLE = 10.5

_CN_DIGITS = "零一二三四五六七八九"
LIST_COLUMNS = ("seq", "title", "measures", "departments", "leads")  # the five printed columns


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (for 一、 and （一） headings)."""
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


# -- WordprocessingML as text ---------------------------------------------------------------------

_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _t(text: str) -> str:
    """A text run's content: escaped, control characters dropped, line breaks as <w:br/>."""
    parts = escape(_ILLEGAL_XML.sub("", text)).split("\n")
    return '</w:t><w:br/><w:t xml:space="preserve">'.join(parts)


def _run(text: str, *, bold: bool = False, color: str | None = None) -> str:
    props = ("<w:b/><w:bCs/>" if bold else "") + (f'<w:color w:val="{color}"/>' if color else "")
    return (f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}"
            f'<w:t xml:space="preserve">{_t(text)}</w:t></w:r>')


def _para(style: str, *runs: str, extra: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra}</w:pPr>{"".join(runs)}</w:p>'


def _p(style: str, text: str, **run) -> str:
    return _para(style, _run(text, **run))


def _cell(width_twips: int, paragraphs: str, *, span: int = 1, shade: str | None = None) -> str:
    props = f'<w:tcW w:w="{width_twips}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if shade:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>"


def _row(cells: str, *, header: bool = False) -> str:
    # cantSplit keeps a row on one page; tblHeader repeats the header row on every page
    return f'<w:tr><w:trPr><w:cantSplit/>{"<w:tblHeader/>" if header else ""}</w:trPr>{cells}</w:tr>'


def _table(widths_mm: Sequence[float], header: Sequence[str], rows: Iterable[str]) -> str:
    """A bordered table with a repeated header row; `rows` are ready <w:tr> elements."""
    twips = [round(w * 56.6929) for w in widths_mm]
    border = "".join(f'<w:{side} w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
                     for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
    head = _row("".join(_cell(w, _p("WPTableHead", h)) for w, h in zip(twips, header)), header=True)
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblBorders>{border}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            f'<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{head}{''.join(rows)}</w:tbl>")


def _twips(widths_mm: Sequence[float]) -> list[int]:
    return [round(w * 56.6929) for w in widths_mm]


# -- the document frame ---------------------------------------------------------------------------

@dataclass
class Page:
    width_mm: float
    height_mm: float
    top: float
    bottom: float
    left: float
    right: float

    @property
    def text_width_mm(self) -> float:
        return self.width_mm - self.left - self.right

    @property
    def text_height_mm(self) -> float:
        return self.height_mm - self.top - self.bottom


PORTRAIT = Page(210, 297, top=37, bottom=35, left=28, right=26)  # GB/T 9704: 版心 156 × 225 mm
LANDSCAPE = Page(297, 210, top=28, bottom=26, left=37, right=35)   # the same margins, turned


def _new_document(page: Page, fonts, *, line_pitch: float, landscape: bool):
    """A python-docx document with the page set up and the named styles defined."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(page.width_mm), Mm(page.height_mm)
    section.top_margin, section.bottom_margin = Mm(page.top), Mm(page.bottom)
    section.left_margin, section.right_margin = Mm(page.left), Mm(page.right)
    section.header_distance = Mm(15)
    # The page number's top edge sits 7 mm below the text block (GB/T 9704 7.5).
    section.footer_distance = Mm(max(page.bottom - 7 - SIZE_PAGE_NUMBER / PT_PER_MM - 1, 5))
    _define_styles(doc, fonts, line_pitch)
    _page_numbers(doc)
    core = doc.core_properties
    core.author = core.last_modified_by = "workplan"
    core.created = core.modified = dt.datetime(2000, 1, 1)  # the same input gives the same file
    core.revision = 1
    return doc


def _define_styles(doc, fonts, line_pitch: float) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    def fonts_of(style, face: str) -> None:
        rpr = style if getattr(style, "tag", None) == qn("w:rPr") else style.element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.insert(0, rfonts)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), face)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = rpr.makeelement(qn("w:lang"), {})
            rpr.append(lang)
        # zh-CN: a program substituting a missing face picks Chinese glyph forms, not Japanese ones
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")

    # The document's defaults (python-docx's template: theme fonts, East Asian language en-US, and
    # ja-JP for the theme's East Asian faces) are Chinese too: text outside the named styles, such
    # as a field's result, is then set in a Chinese face.
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts_of(defaults, fonts.body[0])
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    fonts_of(normal, fonts.body[0])
    normal.font.size = Pt(SIZE_BODY)
    pf = normal.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(line_pitch)
    pf.widow_control = True

    def add(name: str, face: str, size: float, *, align=None, indent: float = 0, bold: bool = False,
            color: str | None = None, keep_next: bool = False, pitch: float | None = None):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        fonts_of(style, face)
        style.font.size = Pt(size)
        style.font.bold = bold
        if color:
            style.font.color.rgb = RGBColor.from_string(color)
        f = style.paragraph_format
        if align is not None:
            f.alignment = align
        f.first_line_indent = Pt(indent) if indent else None
        f.keep_with_next = keep_next
        if pitch is not None:
            f.line_spacing = Pt(pitch)
        return style

    two = 2 * SIZE_BODY  # 首行缩进两字
    add("WP Masthead", fonts.title[0], SIZE_MASTHEAD, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED,
        pitch=SIZE_MASTHEAD * 1.5)
    add("WP Issue", fonts.body[0], SIZE_BODY, align=WD_ALIGN_PARAGRAPH.CENTER)
    add("WP Office", fonts.body[0], SIZE_BODY)
    add("WP Title", fonts.title[0], SIZE_TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, keep_next=True,
        pitch=max(line_pitch, SIZE_TITLE * 1.4))
    add("WP Heading 1", fonts.heading[0], SIZE_BODY, indent=two, keep_next=True)
    add("WP Heading 2", fonts.subheading[0], SIZE_BODY, indent=two, keep_next=True)
    add("WP Body", fonts.body[0], SIZE_BODY, indent=two, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    add("WP Note", fonts.body[0], SIZE_BODY, indent=two)
    add("WP Table", fonts.table[0], SIZE_TABLE, pitch=SIZE_TABLE * 1.3)
    add("WP Table Centre", fonts.table[0], SIZE_TABLE, align=WD_ALIGN_PARAGRAPH.CENTER, pitch=SIZE_TABLE * 1.3)
    add("WP Table Head", fonts.table_heading[0], SIZE_TABLE, align=WD_ALIGN_PARAGRAPH.CENTER,
        pitch=SIZE_TABLE * 1.3, keep_next=True)
    add("WP List Table", fonts.table[0], SIZE_LIST_TABLE, pitch=SIZE_LIST_TABLE * 1.35)
    add("WP List Centre", fonts.table[0], SIZE_LIST_TABLE, align=WD_ALIGN_PARAGRAPH.CENTER,
        pitch=SIZE_LIST_TABLE * 1.35)
    add("WP List Section", fonts.table_heading[0], SIZE_LIST_TABLE, pitch=SIZE_LIST_TABLE * 1.35, keep_next=True)
    add("WP Attachment", fonts.heading[0], SIZE_BODY)
    add("WP Recipients", fonts.body[0], SIZE_PAGE_NUMBER, pitch=SIZE_PAGE_NUMBER * 1.6)
    page_number = add("WP Page Number", fonts.table[0], SIZE_PAGE_NUMBER, pitch=SIZE_PAGE_NUMBER * 1.2)
    page_number.font.name = "宋体"  # GB/T 9704: 4号半角宋体阿拉伯数字


# Table cell styles' ids, as python-docx derives them from the names above (spaces removed).
_STYLE_ID = {name: name.replace(" ", "") for name in (
    "WP Masthead", "WP Issue", "WP Office", "WP Title", "WP Heading 1", "WP Heading 2", "WP Body", "WP Note",
    "WP Table", "WP Table Centre", "WP Table Head", "WP List Table", "WP List Centre", "WP List Section",
    "WP Attachment", "WP Recipients", "WP Page Number")}


def _page_numbers(doc) -> None:
    """"— 1 —" from a PAGE field: odd pages at the right, even pages at the left, one character in."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.shared import Pt

    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    field = (f'<w:p xmlns:w="{W_NS}"><w:pPr><w:pStyle w:val="WPPageNumber"/></w:pPr>'
             '<w:r><w:t xml:space="preserve">— </w:t></w:r>'
             '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
             '<w:r><w:t>1</w:t></w:r>'
             '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
             '<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p>')
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        for old in list(footer._element):
            footer._element.remove(old)
        footer._element.append(parse_xml(field))
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = Pt(SIZE_PAGE_NUMBER)
        else:
            paragraph.paragraph_format.left_indent = Pt(SIZE_PAGE_NUMBER)


def _save(doc, target: BinaryIO, body_xml: str, fonts) -> None:
    """Save the document with `body_xml` as its body, before the section properties.

    The body goes into the saved package's document part as text: parsing it into a separate
    tree and moving that into python-docx's document costs lxml a walk over everything moved for
    each element (it grows with the square of a large table), while the text is written once. The parts
    python-docx's template declares Japanese (its theme's and font table's ＭＳ 明朝) say Chinese.
    """
    import io
    import zipfile

    body = doc.element.body
    for old in list(body):  # the template's empty paragraph
        if old is not body.sectPr:
            body.remove(old)
    frame = io.BytesIO()
    doc.save(frame)
    with zipfile.ZipFile(frame) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == DOCUMENT_PART:
                xml = data.decode("utf-8")
                at = xml.rindex("<w:sectPr")
                data = (xml[:at] + body_xml + xml[at:]).encode("utf-8")
            elif info.filename == THEME_PART:
                data = _chinese_theme(data.decode("utf-8")).encode("utf-8")
            elif info.filename == FONT_TABLE_PART:
                data = _chinese_font_table(data.decode("utf-8"), fonts).encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            package.writestr(entry, data)


DOCUMENT_PART = "word/document.xml"
THEME_PART = "word/theme/theme1.xml"
FONT_TABLE_PART = "word/fontTable.xml"
_JAPANESE_FONTS = re.compile(r'<w:font w:name="ＭＳ (?:明朝|ゴシック)">.*?</w:font>', re.S)


def _chinese_theme(xml: str) -> str:
    """The theme without the template's Japanese faces (its Chinese ones, script Hans, stay)."""
    return re.sub(r'<a:font script="Jpan" typeface="[^"]*"/>', "", xml)


def _chinese_font_table(xml: str, fonts) -> str:
    """Each face the styles name, as a Chinese (GB2312, charset 86) font with its fallbacks as
    alternative names, so a program without it substitutes a Chinese face, not a Japanese one."""
    xml = _JAPANESE_FONTS.sub("", xml)
    present = set(re.findall(r'<w:font w:name="([^"]*)"', xml))
    lists: dict[str, list[str]] = {}
    for faces in [*fonts.model_dump().values(), ["宋体", "SimSun"]]:  # 宋体: the page numbers
        if faces[0] not in present:
            lists.setdefault(faces[0], faces[1:])
    entries = "".join(
        f'<w:font w:name="{_attr(name)}">' + (f'<w:altName w:val="{_attr(",".join(alt))}"/>' if alt else "")
        + '<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
        for name, alt in lists.items())
    return xml.replace("</w:fonts>", entries + "</w:fonts>")


def _attr(text: str) -> str:
    return escape(text, {'"': "&quot;"})


# -- the bulletin ---------------------------------------------------------------------------------

def _border(side: str, *, color: str, eighths: int, space: int = 1) -> str:
    return f'<w:pBdr><w:{side} w:val="single" w:sz="{eighths}" w:space="{space}" w:color="{color}"/></w:pBdr>'


def _tab_right(twips: int) -> str:
    return f'<w:tabs><w:tab w:val="right" w:pos="{twips}"/></w:tabs>'


def _section_order(b: Bulletin) -> dict[int, tuple[str, str]]:
    return {s.number: (s.label, s.title) for s in b.sections}


def _grouped_by_section(b: Bulletin, rows) -> list[tuple[str, list]]:
    """(（三）强化质量支撑标准引领, rows) in the plan's order of sections."""
    titles = _section_order(b)
    groups: dict[int, list] = {}
    for row in rows:
        groups.setdefault(row.item.section, []).append(row)
    return [(f"{titles[n][0]}{titles[n][1]}" if n in titles else str(n), groups[n]) for n in sorted(groups)]


def _grouped_by_unit(b: Bulletin, rows: Sequence[MilestoneRow], order: Sequence[str]) -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for row in rows:
        unit = b.leads[row.item.id][0]
        if b.unit:
            unit = next((u for u in b.unit.split("、") if u in b.leads[row.item.id]), unit)
        groups.setdefault(unit, []).append(row)
    rank = {name: n for n, name in enumerate(order)}
    return sorted(groups.items(), key=lambda kv: rank.get(kv[0], len(rank)))


def _sub_heading(n: int, heading: str, lang: str) -> str:
    """（一）上海市局 in Chinese, (1) 上海市局 in English."""
    return t("bulletin.doc.sub_heading", lang, n=cn_number(n) if lang == "zh" else n, heading=heading)


def _numbered(style_heading: str, groups: list[tuple[str, list]], entry, lang: str, *,
              own_labels: bool = False) -> list[str]:
    """（一）group headings and 1. entries below each; entry(row) gives the entry's text."""
    out = []
    for n, (heading, rows) in enumerate(groups, 1):
        out.append(_p(style_heading, heading if own_labels else _sub_heading(n, heading, lang)))
        out += [_p("WPBody", t("bulletin.doc.entry", lang, n=i, text=entry(row))) for i, row in enumerate(rows, 1)]
    return out


def bulletin_document(b: Bulletin, head: Masthead, target: BinaryIO, *, lang: str = "zh",
                      unit_order: Sequence[str] = ()) -> None:
    """Write the bulletin as .docx to `target`."""
    from workplan.core.board import LIGHT_ORDER

    page = PORTRAIT
    pitch = page.text_height_mm * PT_PER_MM / head.lines_per_page
    doc = _new_document(page, head.fonts, line_pitch=pitch, landscape=False)
    day = lambda d: cn_date(d, lang)  # noqa: E731
    width = round(page.text_width_mm * 56.6929)
    period = period_label(b.start, b.end, lang)
    scope = t("bulletin.doc.scope_unit", lang, unit=b.unit) if b.unit else t("bulletin.doc.scope_all", lang)

    out = [_p("WPMasthead", head.title)]
    out.append(_p("WPIssue", issue_label(b, lang) or period))
    out.append(_para("WPOffice", _run(head.office), "<w:r><w:tab/></w:r>", _run(cn_date(b.as_of, lang, year=True)),
                     extra=_tab_right(width) + _border("bottom", color=RED, eighths=18, space=4)))
    out.append(_p("WPOffice", ""))
    out.append(_p("WPTitle", t("bulletin.doc.title", lang, period=period, scope=scope)))
    out.append(_p("WPOffice", ""))

    # 一、总体情况
    sep = t("word.comma", lang)
    statuses = sep.join(t("bulletin.doc.count", lang, label=label(s, lang), n=n) for s, n in b.statuses.items() if n) or "0"
    lights = sep.join(t("bulletin.doc.count", lang, label=light_label(x, lang), n=b.lights[x])
                      for x in LIGHT_ORDER if b.lights[x]) or "0"
    late = sum(1 for r in b.completed if days_late(r))
    out.append(_p("WPHeading1", t("bulletin.summary", lang)))
    out.append(_p("WPBody", t("bulletin.doc.overview", lang, as_of=day(b.as_of),
                              scope=scope if b.unit else t("bulletin.doc.scope_plan", lang), items=b.items,
                              milestones=b.milestones, done=b.milestones_done,
                              rate=percent_text(b.milestones_done, b.milestones))
                  + t("bulletin.doc.statuses", lang, parts=statuses) + t("bulletin.doc.lights", lang, parts=lights, warn=b.warn_days)))
    out.append(_p("WPBody", t("bulletin.doc.period", lang,
        completed=len(b.completed), late_part=t("bulletin.doc.late_part", lang, late=late) if late else "",
        unfinished=len(b.unfinished), overdue=len(b.overdue), next=period_label(b.next_start, b.next_end, lang),
        due_next=len(b.due_next), notes=len(b.notes))))

    def leads(row, first=""):
        return leads_text(b, row, first)

    def late_text(row) -> str:
        return t("bulletin.doc.late", lang, days=days_late(row)) if days_late(row) else ""

    # 二、本期完成: by section of the plan
    out.append(_p("WPHeading1", t("bulletin.completed", lang)))
    if b.completed:
        out += _numbered("WPHeading2", _grouped_by_section(b, b.completed), lambda r: t(
            "bulletin.doc.completed", lang, title=r.item.title, leads=leads(r), deadline=deadline_text(r, lang),
            done=day(r.milestone.done_on), late=late_text(r)), lang, own_labels=True)
    else:
        out.append(_p("WPBody", t("bulletin.doc.none_completed", lang)))

    # 三、本期应完成未完成: by lead unit
    out.append(_p("WPHeading1", t("bulletin.unfinished", lang)))
    if b.unfinished:
        out += _numbered("WPHeading2", _grouped_by_unit(b, b.unfinished, unit_order), lambda r: t(
            "bulletin.doc.unfinished", lang, title=r.item.title, leads=leads(r), deadline=deadline_text(r, lang),
            due=day(r.due), status=label(r.item.status, lang), standing=standing(r, b.as_of, lang)), lang)
    else:
        out.append(_p("WPBody", t("bulletin.doc.none_unfinished", lang)))

    # 四、下期到期: a list to act on reads best as a table
    out.append(_p("WPHeading1", t("bulletin.due_next", lang, period=period_label(b.next_start, b.next_end, lang))))
    if b.due_next:
        widths = [22, 12, 70, 30, 22]
        tw = _twips(widths)
        rows = (_row(_cell(tw[0], _p("WPTableCentre", day(r.due))) + _cell(tw[1], _p("WPTableCentre", str(r.item.seq)))
                     + _cell(tw[2], _p("WPTable", r.item.title)) + _cell(tw[3], _p("WPTable", leads(r)))
                     + _cell(tw[4], _p("WPTableCentre", label(r.item.status, lang)))) for r in b.due_next)
        out.append(_table(widths, column_headers(lang, "due", "seq", "item", "lead", "status"), rows))
        out.append(_p("WPNote", ""))
    else:
        out.append(_p("WPBody", t("bulletin.doc.none_due_next", lang)))

    # 五、逾期事项: by the unit the item is listed under (a joint item once)
    out.append(_p("WPHeading1", t("bulletin.overdue", lang)))
    if b.overdue_by_unit:
        def overdue_entry(unit):
            def entry(r):
                others = [u for u in b.leads[r.item.id] if u != unit]
                return t("bulletin.doc.overdue", lang, title=r.item.title, due=day(r.due), status=label(r.item.status, lang),
                         lateness=standing(r, b.as_of, lang),
                         joint=t("bulletin.doc.joint", lang, others="、".join(others)) if others else "")
            return entry
        for n, (unit, rows) in enumerate(b.overdue_by_unit, 1):
            out.append(_p("WPHeading2", _sub_heading(n, unit, lang)))
            out += [_p("WPBody", t("bulletin.doc.entry", lang, n=i, text=overdue_entry(unit)(r)))
                    for i, r in enumerate(rows, 1)]
    else:
        out.append(_p("WPBody", t("bulletin.doc.none_overdue", lang)))

    # 六、分领域进展: figures side by side read best as a table
    out.append(_p("WPHeading1", t("bulletin.sections", lang)))
    widths = [62, 16, 20, 18, 20, 10, 10]
    tw = _twips(widths)
    section_rows = []
    for s in b.sections:
        values = [str(s.items), str(s.milestones), str(s.done), s.percent, str(s.overdue), str(s.due_soon)]
        section_rows.append(_row(_cell(tw[0], _p("WPTable", f"{s.label}{s.title}"))
                                 + "".join(_cell(x, _p("WPTableCentre", v)) for x, v in zip(tw[1:], values))))
    totals = [str(sum(s.items for s in b.sections)), str(sum(s.milestones for s in b.sections)),
              str(sum(s.done for s in b.sections)),
              percent_text(sum(s.done for s in b.sections), sum(s.milestones for s in b.sections)),
              str(sum(s.overdue for s in b.sections)), str(sum(s.due_soon for s in b.sections))]
    section_rows.append(_row(_cell(tw[0], _p("WPTableCentre", t("bulletin.col.total", lang)))
                             + "".join(_cell(x, _p("WPTableCentre", v)) for x, v in zip(tw[1:], totals))))
    out.append(_table(widths, column_headers(lang, "section", "items", "milestones", "done", "rate", "red", "yellow"),
                      section_rows))
    out.append(_p("WPNote", ""))

    # 七、本期进展情况: by section of the plan
    out.append(_p("WPHeading1", t("bulletin.notes", lang)))
    if b.notes:
        def note_entry(row):
            e = row.entry
            milestone = (t("bulletin.doc.note_milestone", lang, n=e.milestone)
                         if e.milestone and len(row.item.milestones) > 1 else "")
            text = e.text.rstrip("。.") + t("word.full_stop", lang)
            return t("bulletin.doc.note", lang, title=row.item.title, milestone=milestone, date=day(e.date), by=e.by,
                     status=label(e.status, lang), text=text,
                     evidence=t("bulletin.doc.evidence", lang, evidence=e.evidence) if e.evidence else "")
        out += _numbered("WPHeading2", _grouped_by_section(b, b.notes), note_entry, lang, own_labels=True)
    else:
        out.append(_p("WPBody", t("bulletin.doc.none_notes", lang)))

    # 报/送/发: between rules, after the text (GB/T 9704 版记)
    if head.recipients:
        out.append(_p("WPOffice", ""))
        last = len(head.recipients) - 1
        for n, (key, names) in enumerate(head.recipients):
            borders = ""
            if n == 0:
                borders += '<w:top w:val="single" w:sz="8" w:space="1" w:color="000000"/>'
            borders += f'<w:bottom w:val="single" w:sz="{8 if n == last else 4}" w:space="1" w:color="000000"/>'
            hang = 2 * SIZE_PAGE_NUMBER * 20  # 回行时与冒号后的首字对齐
            indent = (f'<w:ind w:left="{hang + SIZE_PAGE_NUMBER * 20}" w:right="{SIZE_PAGE_NUMBER * 20}" '
                      f'w:hanging="{hang}"/>')
            out.append(_para("WPRecipients", _run(t("bulletin.recipient", lang, key=key, names=names)),
                             extra=f"<w:keepNext/><w:pBdr>{borders}</w:pBdr>{indent}"))
    _save(doc, target, "".join(out), head.fonts)


# -- the 合作事项清单 as an attachment -------------------------------------------------------------

def list_document(reg: Registry, items: Sequence[Item], target: BinaryIO, *, fonts, lang: str = "zh",
                  unit: str = "", progress: bool = False, lines_per_page: int = 28) -> None:
    """Write the 合作事项清单 as a landscape .docx table, a section row (一、…) before each section."""
    page = LANDSCAPE
    pitch = page.text_height_mm * PT_PER_MM / max(lines_per_page - 6, 15)  # landscape: fewer, longer lines
    doc = _new_document(page, fonts, line_pitch=pitch, landscape=True)
    plan_title = reg.plan.title.replace(" ", "")
    widths = [11, 38, 98, 42, 36] if not progress else [11, 34, 78, 34, 30, 38]
    tw = _twips(widths)
    header = [COLUMN_BY_KEY[key].header(lang) for key in LIST_COLUMNS + (("progress",) if progress else ())]
    sections = {s.number: s for s in reg.sections}
    span = len(widths)

    def rows():
        # A section row the first time a section appears: item 58, filed under 五 but printed after
        # the 六 rows, stays there as in the plan (the workbook does the same).
        seen = set()
        for item in items:
            if item.section not in seen:
                seen.add(current := item.section)
                s = sections.get(current)
                text = t("doclist.section", lang, n=cn_number(current) if lang == "zh" else current,
                         title=s.title) if s else str(current)
                yield _row(_cell(sum(tw), _p("WPListSection", text), span=span, shade="F2F2F2"))
            departments = item.departments_display
            cells = [_cell(tw[0], _p("WPListCentre", str(item.seq))), _cell(tw[1], _p("WPListTable", item.title)),
                     _cell(tw[2], _p("WPListTable", item.measures)), _cell(tw[3], _p("WPListTable", departments)),
                     _cell(tw[4], _p("WPListCentre", "、".join(reg.item_lead_names(item))))]
            if progress:
                latest = item.progress[-1] if item.progress else None
                text = t("doclist.progress", lang, date=cn_date(latest.date, lang), text=latest.text) if latest else ""
                cells.append(_cell(tw[5], _p("WPListTable", text)))
            yield _row("".join(cells))

    body = [_p("WPAttachment", t("doclist.attachment", lang)),
            _p("WPTitle", t("doclist.title", lang, plan=plan_title)),
            *([_p("WPTitle", t("doclist.unit", lang, unit=unit))] if unit else []),  # the unit on a line of its own
            _p("WPOffice", ""),
            _table(widths, header, rows()),
            _p("WPNote", "")]
    _save(doc, target, "".join(body), fonts)
