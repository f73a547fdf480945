"""The printable, fill-in workbook: sheet 清单 (or one sheet per lead unit), 汇总, and a hidden record.

Registry text is always written as a string cell (never a formula), with Excel's quote prefix
when it starts with a formula character, so "=1+1" stays text in Excel and LibreOffice alike.
The hidden sheet `_workplan` records what each row held at export; `import` uses it to tell what
people changed, and to notice rows that were moved or deleted.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections import Counter
from copy import copy
from typing import Any, Sequence

from ..models import Item, OrgKind, Registry, Status
from .tables import COLUMN_BY_KEY, SHEET_COLUMNS, cell_string, display_width, item_row, status_choices, status_text

TITLE_ROW, NOTE_ROW, HEADER_ROW = 1, 2, 3
FIRST_DATA_ROW = HEADER_ROW + 1
META_SHEET = "_workplan"
META_MARK = "workplan export"
META_VERSION = 1
SUMMARY_SHEET = {"zh": "汇总", "en": "Summary"}
LIST_SHEET = {"zh": "清单", "en": "Items"}
FONT_NAME = "等线"  # the default CJK font of current Office; LibreOffice substitutes its own
FONT_SIZE = 10
LINE_HEIGHT = 13  # points per wrapped line at FONT_SIZE, a little generous for CJK glyphs
CJK_UNITS = 1.8  # column-width units one CJK character takes at FONT_SIZE
_FORMULA_CHARS = ("=", "+", "-", "@")

TEXT = {
    "zh": {
        "list_title": "{plan} · 合作事项清单（导出日期：{date}）",
        "unit_title": "{plan} · 合作事项清单 · {unit}（导出日期：{date}）",
        "note": "共 {n} 项。请填写黄色列：状态（下拉选择）、进展情况、更新日期；其他列请勿修改。",
        "filters": "　筛选：{filters}",
        "footer": "第 &P 页 / 共 &N 页",
        "summary_title": "{plan} · 汇总（导出日期：{date}）",
        "by_lead": "按牵头单位和状态统计（事项数；联合牵头的事项计入每个成员单位）",
        "lead": "牵头单位",
        "total": "合计",
        "all_items": "全部事项（不重复计数）",
        "by_month": "按截止月份统计（时间节点数）",
        "month": "月份",
        "milestones": "时间节点",
        "done": "已完成",
        "open": "未完成",
        "status_prompt": "请从下拉列表选择",
        "status_error": "状态只能是：{choices}",
        "date_prompt": "填写日期，如 2024-10-08",
        "date_error": "请输入日期（不早于计划印发日期）",
    },
    "en": {
        "list_title": "{plan} · cooperation items (exported {date})",
        "unit_title": "{plan} · cooperation items · {unit} (exported {date})",
        "note": "{n} items. Fill in the yellow columns: Status (drop-down), Progress, Updated; "
                "leave the other columns as they are.",
        "filters": "  Filters: {filters}",
        "footer": "Page &P of &N",
        "summary_title": "{plan} · summary (exported {date})",
        "by_lead": "Items by lead unit and status (joint items count for each member)",
        "lead": "Lead unit",
        "total": "Total",
        "all_items": "All items (each counted once)",
        "by_month": "Milestones by month due",
        "month": "Month",
        "milestones": "Milestones",
        "done": "Done",
        "open": "Open",
        "status_prompt": "Choose from the list",
        "status_error": "Status must be one of: {choices}",
        "date_prompt": "A date, e.g. 2024-10-08",
        "date_error": "Enter a date (not before the plan was issued)",
    },
}


def build_workbook(reg: Registry, items: Sequence[Item], *, as_of: dt.date, lang: str = "zh",
                   split_by_lead: bool = False, units: Sequence[str] = (), filters_text: str = "",
                   registry_sha256: str = "") -> bytes:
    """The workbook as .xlsx bytes; with split_by_lead, one sheet per unit (only `units` if given)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    meta_rows: list[list[Any]] = []
    if split_by_lead:
        for unit in lead_units(reg, items):
            if units and unit not in units:
                continue
            unit_items = [i for i in items if unit in reg.expanded_leads(i)]
            title = TEXT[lang]["unit_title"].format(plan=reg.plan.title, unit=unit, date=as_of.isoformat())
            ws = wb.create_sheet(sheet_name(unit, wb.sheetnames))
            _item_sheet(ws, reg, unit_items, title=title, as_of=as_of, lang=lang, filters_text=filters_text,
                        meta_rows=meta_rows, unit=unit)
        if not wb.sheetnames:  # nothing matched: still give the empty list to fill in
            split_by_lead = False
    if not split_by_lead:
        ws = wb.create_sheet(LIST_SHEET[lang])
        title = TEXT[lang]["list_title"].format(plan=reg.plan.title, date=as_of.isoformat())
        _item_sheet(ws, reg, items, title=title, as_of=as_of, lang=lang, filters_text=filters_text,
                    meta_rows=meta_rows, unit="")
    _summary_sheet(wb.create_sheet(SUMMARY_SHEET[lang]), reg, items, as_of=as_of, lang=lang)
    _meta_sheet(wb.create_sheet(META_SHEET), reg, as_of=as_of, lang=lang, rows=meta_rows,
                registry_sha256=registry_sha256)
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def lead_units(reg: Registry, items: Sequence[Item]) -> list[str]:
    """Every unit leading one of the items (groups as their members), in the registry's order."""
    used = {unit for item in items for unit in reg.expanded_leads(item)}
    ordered = [o.name for o in reg.organisations if o.kind != OrgKind.group and o.name in used]
    return ordered + sorted(used - set(ordered))


def sheet_name(name: str, taken: Sequence[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\ ."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'") or "sheet"
    candidate, n = cleaned[:31], 2
    while candidate.lower() in {t.lower() for t in taken} or candidate == META_SHEET:
        suffix = f" ({n})"
        candidate, n = cleaned[:31 - len(suffix)] + suffix, n + 1
    return candidate


# -- cells ------------------------------------------------------------------------------------------

def clean_text(text: str) -> str:
    """Text without the control characters the xlsx format cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", text)


def set_text(cell, text: str) -> None:
    """Put text in a cell as a string, never a formula."""
    text = clean_text(text)
    cell.value = text
    cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    if text.startswith(_FORMULA_CHARS):
        cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell


def set_value(cell, value: Any) -> None:
    if value is None:
        cell.value = None
    elif isinstance(value, str):
        set_text(cell, value)
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    else:
        cell.value = value


# -- the item sheet -------------------------------------------------------------------------------

def _item_sheet(ws, reg: Registry, items: Sequence[Item], *, title: str, as_of: dt.date, lang: str,
                filters_text: str, meta_rows: list, unit: str) -> None:
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    words = TEXT[lang]
    ncols = len(SHEET_COLUMNS)
    last_col = get_column_letter(ncols)
    col = {c.key: get_column_letter(n) for n, c in enumerate(SHEET_COLUMNS, 1)}
    rows = [item_row(reg, item, lang) for item in items]
    last_row = HEADER_ROW + len(rows)

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body_font = Font(name=FONT_NAME, size=FONT_SIZE)
    fill_here = PatternFill("solid", fgColor="FFF9DB")

    # Title and note: centred across the table without merging (merged cells hinder filtering and
    # copying, and import refuses them).
    set_text(ws.cell(TITLE_ROW, 1), title)
    ws.cell(TITLE_ROW, 1).font = Font(name=FONT_NAME, size=14, bold=True)
    note = words["note"].format(n=len(rows))
    if filters_text:
        note += words["filters"].format(filters=filters_text)
    set_text(ws.cell(NOTE_ROW, 1), note)
    ws.cell(NOTE_ROW, 1).font = Font(name=FONT_NAME, size=FONT_SIZE, italic=True)
    for c in range(1, ncols + 1):
        ws.cell(TITLE_ROW, c).alignment = Alignment(horizontal="centerContinuous", vertical="center")
        ws.cell(NOTE_ROW, c).alignment = Alignment(horizontal="centerContinuous", vertical="center")
    ws.row_dimensions[TITLE_ROW].height = 24

    for n, column in enumerate(SHEET_COLUMNS, 1):
        cell = ws.cell(HEADER_ROW, n)
        set_text(cell, column.header(lang))
        cell.font = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
        cell.fill = PatternFill("solid", fgColor="FFE699" if column.editable else "D9E1F2")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border

    # Each column's style is built once and copied: setting font, border … cell by cell costs
    # openpyxl a style lookup per attribute, which dominated large exports.
    column_styles = []
    for n, column in enumerate(SHEET_COLUMNS if rows else (), 1):
        model = ws.cell(FIRST_DATA_ROW, n)
        model.font = body_font
        model.border = border
        centred = column.kind in ("int", "date") or column.key in ("status", "id")
        model.alignment = Alignment(vertical="top", wrap_text=column.wrap, horizontal="center" if centred else "left")
        if column.kind == "date":
            model.number_format = "yyyy-mm-dd"
        if column.editable:
            model.fill = fill_here
        column_styles.append(copy(model._style))
    for r, row in enumerate(rows, FIRST_DATA_ROW):
        for n, column in enumerate(SHEET_COLUMNS, 1):
            cell = ws.cell(r, n)
            cell._style = copy(column_styles[n - 1])
            set_value(cell, row[column.key])
        meta_rows.append([ws.title, r, unit] + [cell_string(row[c.key]) for c in SHEET_COLUMNS])

    widths = _column_widths(rows, lang)
    for n, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(n)].width = width
    for r, row in enumerate(rows, FIRST_DATA_ROW):
        ws.row_dimensions[r].height = _row_height(row, widths)
    header_lines = max(math.ceil(display_width(c.header(lang)) / max(w - 1, 1)) for c, w in zip(SHEET_COLUMNS, widths))
    ws.row_dimensions[HEADER_ROW].height = LINE_HEIGHT * header_lines + 6

    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1).coordinate
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{max(last_row, HEADER_ROW)}"
    _print_setup(ws, words["footer"], title_rows=f"{HEADER_ROW}:{HEADER_ROW}", landscape=True)

    if not rows:
        return
    # Status drop-down, and a date check on 更新日期; both refuse other input with a message.
    choices = status_choices(lang)
    status_dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=False,
                               showDropDown=False, showErrorMessage=True, showInputMessage=True,
                               errorTitle=COLUMN_BY_KEY["status"].header(lang), promptTitle=COLUMN_BY_KEY["status"].header(lang),
                               error=words["status_error"].format(choices="、".join(choices)),
                               prompt=words["status_prompt"])
    status_dv.add(f"{col['status']}{FIRST_DATA_ROW}:{col['status']}{last_row}")
    issued = reg.plan.issued
    date_dv = DataValidation(type="date", operator="greaterThanOrEqual",
                             formula1=f"DATE({issued.year},{issued.month},{issued.day})",
                             allow_blank=True, showErrorMessage=True, showInputMessage=True,
                             error=words["date_error"], prompt=words["date_prompt"])
    date_dv.add(f"{col['updated']}{FIRST_DATA_ROW}:{col['updated']}{last_row}")
    ws.add_data_validation(status_dv)
    ws.add_data_validation(date_dv)

    # Overdue and due-soon rows, judged against TODAY() when the file is opened, so the colours
    # stay right as days pass; a done or cancelled status (typed in either language) clears them.
    due, status = f"${col['due']}{FIRST_DATA_ROW}", f"${col['status']}{FIRST_DATA_ROW}"
    closed = ",".join(f'{status}="{label}"' for s in (Status.done, Status.cancelled)
                      for label in dict.fromkeys((status_text(s, "zh"), status_text(s, "en"), s.value)))
    still_open = f'{due}<>"",NOT(OR({closed}))'
    data_range = f"A{FIRST_DATA_ROW}:{last_col}{last_row}"
    ws.conditional_formatting.add(data_range, FormulaRule(
        formula=[f"AND({still_open},{due}<TODAY())"], stopIfTrue=True,
        fill=PatternFill("solid", fgColor="F8CBAD", bgColor="F8CBAD"), font=Font(color="9C0006")))
    ws.conditional_formatting.add(data_range, FormulaRule(
        formula=[f"AND({still_open},{due}>=TODAY(),{due}-TODAY()<=15)"], stopIfTrue=True,
        fill=PatternFill("solid", fgColor="FFEB9C", bgColor="FFEB9C")))


def _column_widths(rows: Sequence[dict], lang: str) -> list[float]:
    """Widths in Excel's character units, from the widest line of each column, capped."""
    widths = []
    for column in SHEET_COLUMNS:
        header = display_width(column.header(lang))
        longest = max((display_width(line) for row in rows for line in cell_string(row[column.key]).split("\n")),
                      default=0)
        width = min(max(longest, header if not column.wrap else min(header, column.max_width)), column.max_width)
        widths.append(max(width, 4) + 2)
    return widths


def _row_height(row: dict, widths: Sequence[float]) -> float:
    """Enough points for the wrapped text: Excel does not grow rows written by a program."""
    lines = 1
    for column, width in zip(SHEET_COLUMNS, widths):
        text = cell_string(row[column.key])
        if not text:
            continue
        usable = max(width - 1, 1)
        count = sum(max(1, math.ceil(_print_width(part) / usable)) for part in text.split("\n"))
        lines = max(lines, count if column.wrap else 1)
    # Line breaks fall before closing punctuation (，。）), so wrapped CJK text often needs one line
    # more than its width suggests; a spare half line keeps the last line from being clipped.
    spare = LINE_HEIGHT / 2 if lines > 1 else 0
    return LINE_HEIGHT * lines + 4 + spare


def _print_width(text: str) -> float:
    wide = display_width(text) - len(text)  # count of wide characters
    return (len(text) - wide) + wide * CJK_UNITS


def _print_setup(ws, footer: str, *, title_rows: str | None, landscape: bool) -> None:
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = footer
    ws.oddFooter.center.size = 9
    ws.evenFooter.center.text = footer


# -- 汇总 --------------------------------------------------------------------------------------------

def summary_counts(reg: Registry, items: Sequence[Item]) -> tuple[dict[str, Counter], dict[int, tuple[int, int]]]:
    """(unit → Counter of statuses, month → (milestones, of which done)) for the summary sheet."""
    by_unit: dict[str, Counter] = {unit: Counter() for unit in lead_units(reg, items)}
    for item in items:
        for unit in reg.expanded_leads(item):
            by_unit[unit][item.status] += 1
    months: dict[int, list[int]] = {m: [0, 0] for m in range(1, 13)}
    for item in items:
        for milestone in item.milestones:
            if milestone.due.year != reg.plan.year:
                continue
            months[milestone.due.month][0] += 1
            if milestone.done_on is not None or item.status in (Status.done, Status.cancelled):
                months[milestone.due.month][1] += 1
    return by_unit, {m: (v[0], v[1]) for m, v in months.items()}


def _summary_sheet(ws, reg: Registry, items: Sequence[Item], *, as_of: dt.date, lang: str) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    words = TEXT[lang]
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
    body = Font(name=FONT_NAME, size=FONT_SIZE)
    head_fill = PatternFill("solid", fgColor="D9E1F2")
    by_unit, by_month = summary_counts(reg, items)
    statuses = list(Status)

    def table_row(r: int, values: list, *, header: bool = False) -> None:
        for c, value in enumerate(values, 1):
            cell = ws.cell(r, c)
            set_value(cell, value)
            cell.font = bold if header else body
            cell.border = border
            cell.alignment = Alignment(horizontal="left" if c == 1 else "center", vertical="center", wrap_text=True)
            if header:
                cell.fill = head_fill

    set_text(ws.cell(1, 1), words["summary_title"].format(plan=reg.plan.title, date=as_of.isoformat()))
    ws.cell(1, 1).font = Font(name=FONT_NAME, size=14, bold=True)
    set_text(ws.cell(3, 1), words["by_lead"])
    ws.cell(3, 1).font = bold
    r = 4
    table_row(r, [words["lead"]] + [status_text(s, lang) for s in statuses] + [words["total"]], header=True)
    for unit, counts in by_unit.items():
        r += 1
        table_row(r, [unit] + [counts[s] for s in statuses] + [sum(counts.values())])
    r += 1
    totals = Counter(item.status for item in items)
    table_row(r, [words["all_items"]] + [totals[s] for s in statuses] + [len(items)], header=True)

    r += 2
    set_text(ws.cell(r, 1), words["by_month"])
    ws.cell(r, 1).font = bold
    r += 1
    table_row(r, [words["month"], words["milestones"], words["done"], words["open"]], header=True)
    for month, (count, done) in by_month.items():
        r += 1
        table_row(r, [f"{reg.plan.year}-{month:02d}", count, done, count - done])
    r += 1
    table_row(r, [words["total"], sum(v[0] for v in by_month.values()), sum(v[1] for v in by_month.values()),
                  sum(v[0] - v[1] for v in by_month.values())], header=True)

    ws.column_dimensions["A"].width = max(display_width(words["all_items"]), 14) + 2
    for letter in "BCDEFG":
        ws.column_dimensions[letter].width = 10
    _print_setup(ws, words["footer"], title_rows=None, landscape=False)


# -- the hidden record --------------------------------------------------------------------------------

def _meta_sheet(ws, reg: Registry, *, as_of: dt.date, lang: str, rows: list, registry_sha256: str) -> None:
    ws.sheet_state = "veryHidden"  # not listed under Unhide in Excel: it is not for people
    header = [META_MARK, META_VERSION, lang, as_of.isoformat(), registry_sha256, reg.plan.title]
    for c, value in enumerate(header, 1):
        set_value(ws.cell(1, c), value)
    for c, value in enumerate(["sheet", "row", "unit"] + [col.key for col in SHEET_COLUMNS], 1):
        set_text(ws.cell(2, c), value)
    for r, values in enumerate(rows, 3):
        for c, value in enumerate(values, 1):
            set_value(ws.cell(r, c), value if isinstance(value, int) else str(value))
