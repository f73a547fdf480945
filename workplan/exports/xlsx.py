"""The printable, fill-in workbook: sheet 清单 (or one sheet per lead unit), 汇总, and a hidden record.

Registry text is always written as a string cell (never a formula), with Excel's quote prefix
when it starts with a formula character, so "=1+1" stays text in Excel and LibreOffice alike.
The hidden sheet `_workplan` records what each row held at export; `import` uses it to tell what
people changed, and to notice rows that were moved or deleted.

openpyxl keeps an object per cell and takes ~30 µs to write one (over a minute and 0.7 GB for
100,000 items), so it only writes the workbook's frame: titles, header rows, styles, widths,
validation, print setup, the summary and the record's header. The item rows and the record's rows
are then streamed into a copy of that package as sheet XML, one row at a time, in the form openpyxl
writes them itself (inline strings, its style records): the same workbook, cell for cell.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Sequence

from workplan.core.models import Item, Registry
from workplan.core.codes import OrgKind, Status
from workplan.present.render import text_width
from workplan.exports.tables import COLUMN_BY_KEY, SHEET_COLUMNS, cell_string, item_row, status_choices, status_text

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
MAX_TEXT = 32767  # Excel's limit on a cell's text; openpyxl cuts longer text to it
ROWS_PER_WRITE = 500

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
                   registry_sha256: str = "", target: BinaryIO | None = None) -> bytes | None:
    """Write the .xlsx to `target` (a binary stream), or return it as bytes when there is none.

    With split_by_lead, one sheet per unit (only `units` if given).
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    sheets: list[_ItemSheet] = []
    if split_by_lead:
        for unit, unit_items in items_by_unit(reg, items).items():
            if units and unit not in units:
                continue
            title = TEXT[lang]["unit_title"].format(plan=reg.plan.title, unit=unit, date=as_of.isoformat())
            ws = wb.create_sheet(sheet_name(unit, wb.sheetnames))
            sheets.append(_item_sheet(ws, reg, unit_items, title=title, lang=lang, filters_text=filters_text,
                                      unit=unit))
        if not wb.sheetnames:  # nothing matched: still give the empty list to fill in
            split_by_lead = False
    if not split_by_lead:
        ws = wb.create_sheet(LIST_SHEET[lang])
        title = TEXT[lang]["list_title"].format(plan=reg.plan.title, date=as_of.isoformat())
        sheets.append(_item_sheet(ws, reg, items, title=title, lang=lang, filters_text=filters_text, unit=""))
    _summary_sheet(wb.create_sheet(SUMMARY_SHEET[lang]), reg, items, as_of=as_of, lang=lang)
    meta = wb.create_sheet(META_SHEET)
    meta_quoted = _meta_sheet(meta, reg, as_of=as_of, lang=lang, registry_sha256=registry_sha256)
    wb.active = 0
    frame = io.BytesIO()
    wb.save(frame)

    cells = _CellWriter()
    fills = {sheet.ws.path.lstrip("/"): _Fill(sheet.last_ref, lambda sheet=sheet: sheet.rows_xml(cells))
             for sheet in sheets}
    meta_cols = 3 + len(SHEET_COLUMNS)
    meta_last = 2 + sum(len(sheet.items) for sheet in sheets)
    fills[meta.path.lstrip("/")] = _Fill(f"{_letter(meta_cols)}{meta_last}",
                                         lambda: _meta_rows_xml(sheets, cells, meta_quoted))
    out = io.BytesIO() if target is None else target
    _write_package(frame, out, fills)
    return out.getvalue() if target is None else None


def lead_units(reg: Registry, items: Sequence[Item]) -> list[str]:
    """Every unit leading one of the items (groups as their members), in the registry's order."""
    return _unit_order(reg, {unit for item in items for unit in reg.expanded_leads(item)})


def _unit_order(reg: Registry, used: Iterable[str]) -> list[str]:
    used = set(used)
    ordered = [o.name for o in reg.organisations if o.kind != OrgKind.group and o.name in used]
    return ordered + sorted(used - set(ordered))


def items_by_unit(reg: Registry, items: Sequence[Item]) -> dict[str, list[Item]]:
    """Each lead unit's items (groups as their members), units in lead_units order, in one pass."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        for unit in reg.expanded_leads(item):
            groups.setdefault(unit, []).append(item)
    return {unit: groups[unit] for unit in _unit_order(reg, groups)}


def sheet_name(name: str, taken: Sequence[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\ ."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'") or "sheet"
    candidate, n = cleaned[:31], 2
    while candidate.lower() in {t.lower() for t in taken} or candidate == META_SHEET:
        suffix = f" ({n})"
        candidate, n = cleaned[:31 - len(suffix)] + suffix, n + 1
    return candidate


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


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


class _CellWriter:
    """One streamed cell as sheet XML, written as openpyxl writes the cells set_value fills."""

    def __init__(self) -> None:
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.utils.datetime import to_excel

        self._clean = lambda text: _NOT_XML.sub("", ILLEGAL_CHARACTERS_RE.sub("", text))
        self._to_excel = to_excel
        self._serials: dict[dt.date, str] = {}

    def __call__(self, ref: str, value: Any, style: str, quoted: str) -> str:
        """`style` and `quoted` are the ` s="n"` attributes for plain text and for text with a quote prefix."""
        if type(value) is str:
            text = value if len(value) <= MAX_TEXT else value[:MAX_TEXT]
            special = _SPECIAL.search(text) is not None  # illegal characters or ones to escape
            if special:
                text = self._clean(text)
            if not text:
                return f'<c r="{ref}"{style} t="inlineStr"/>'
            if text.startswith(_FORMULA_CHARS):
                style = quoted
            stripped = text.strip()
            open_t = '<t xml:space="preserve">' if stripped and stripped != text else "<t>"
            if special:
                text = _escape(text)
            return f'<c r="{ref}"{style} t="inlineStr"><is>{open_t}{text}</t></is></c>'
        if value is None:
            return f'<c r="{ref}"{style} t="n"/>' if style else ""
        if isinstance(value, str):
            return self(ref, str(value), style, quoted)
        if isinstance(value, bool):
            return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, dt.date):  # the column's style carries the date format
            serial = self._serials.get(value)
            if serial is None:
                serial = self._serials[value] = _number(self._to_excel(value))
            return f'<c r="{ref}"{style} t="n"><v>{serial}</v></c>'
        return f'<c r="{ref}"{style} t="n"><v>{_number(value)}</v></c>'


_SPECIAL = re.compile("[\000-\010\013\014\016-\037&<>\ufffe\uffff\ud800-\udfff]")
# Characters XML 1.0 does not allow at all, which openpyxl's list (C0 controls) leaves in: a sheet
# holding one is not well-formed and cannot be opened or imported again.
_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")


def _escape(text: str) -> str:
    """Element text escaped as ElementTree (openpyxl's writer) escapes it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _number(value: float) -> str:
    return "" if math.isnan(value) or math.isinf(value) else "%.16g" % value  # openpyxl's safe_string


def _style_attr(style_id: int) -> str:
    return f' s="{style_id}"' if style_id else ""  # openpyxl leaves the default style out


# -- streaming into the package -------------------------------------------------------------------------

@dataclass
class _Fill:
    """Rows to stream into one sheet of the frame, after the rows openpyxl wrote."""

    last_ref: str  # bottom-right cell of the filled sheet, for its <dimension>
    rows: Callable[[], Iterator[str]]


_DIMENSION = re.compile(r'<dimension ref="[^"]*"')
_EMPTY_SHEET_DATA = re.compile(r"<sheetData\s*/>")


def _write_package(frame: io.BytesIO, target: BinaryIO, fills: dict[str, _Fill]) -> None:
    """Copy the frame's parts to `target` as a new zip, streaming the rows into the filled sheets."""
    with zipfile.ZipFile(frame) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        missing = set(fills) - set(source.namelist())
        if missing:  # openpyxl named its parts differently: never write a workbook without its rows
            raise RuntimeError(f"workbook parts not found: {sorted(missing)}")
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            data = source.read(info)
            fill = fills.get(info.filename)
            if fill is None:
                package.writestr(entry, data)
                continue
            xml = _DIMENSION.sub(f'<dimension ref="A1:{fill.last_ref}"', data.decode("utf-8"), count=1)
            xml = _EMPTY_SHEET_DATA.sub("<sheetData></sheetData>", xml, count=1)
            head, tail = xml.split("</sheetData>", 1)
            with package.open(entry, "w") as stream, _Compressor(stream) as out:
                out.write(head)
                batch: list[str] = []
                for row in fill.rows():
                    batch.append(row)
                    if len(batch) >= ROWS_PER_WRITE:
                        out.write("".join(batch))
                        batch.clear()
                out.write("".join(batch) + "</sheetData>" + tail)


class _Compressor:
    """Writes text to a zip entry on a second thread, so compressing overlaps building the rows.

    zlib and file writes release the GIL; a short queue bounds the memory held in flight.
    """

    def __init__(self, stream: BinaryIO) -> None:
        import queue
        import threading

        self._stream = stream
        self._queue: queue.Queue = queue.Queue(maxsize=8)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="xlsx-deflate", daemon=True)

    def __enter__(self) -> _Compressor:
        self._thread.start()
        return self

    def write(self, text: str) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(text)

    def _run(self) -> None:
        while (text := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._stream.write(text.encode("utf-8"))
                except BaseException as exc:  # noqa: BLE001 - handed to the building thread
                    self._error = exc

    def __exit__(self, *exc_info) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None and exc_info[0] is None:
            raise self._error


# -- the item sheet -------------------------------------------------------------------------------

@dataclass
class _ItemSheet:
    ws: Any
    reg: Registry
    items: Sequence[Item]
    lang: str
    unit: str
    widths: list[float]
    styles: list[tuple[str, str]] = field(default_factory=list)  # per column: (plain, quote-prefixed) s="…"

    @property
    def last_ref(self) -> str:
        return f"{_letter(len(SHEET_COLUMNS))}{HEADER_ROW + len(self.items)}"

    def rows(self) -> Iterator[tuple[int, dict]]:
        for r, item in enumerate(self.items, FIRST_DATA_ROW):
            yield r, item_row(self.reg, item, self.lang)

    def rows_xml(self, cell: _CellWriter) -> Iterator[str]:
        columns = [(_letter(n), c.key, plain, quoted) for n, (c, (plain, quoted)) in
                   enumerate(zip(SHEET_COLUMNS, self.styles), 1)]
        wrapped = [(c.key, max(w - 1, 1)) for c, w in zip(SHEET_COLUMNS, self.widths) if c.wrap]
        for r, row in self.rows():
            number = str(r)
            yield "".join([f'<row r="{number}" ht="{_number(_row_height(row, wrapped))}" customHeight="1">',
                           *[cell(letter + number, row[key], plain, quoted) for letter, key, plain, quoted in columns],
                           "</row>"])


def _item_sheet(ws, reg: Registry, items: Sequence[Item], *, title: str, lang: str, filters_text: str,
                unit: str) -> _ItemSheet:
    """Write the sheet's frame with openpyxl; its rows are streamed in later."""
    from openpyxl.cell.cell import Cell
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    words = TEXT[lang]
    ncols = len(SHEET_COLUMNS)
    last_col = _letter(ncols)
    col = {c.key: _letter(n) for n, c in enumerate(SHEET_COLUMNS, 1)}
    last_row = HEADER_ROW + len(items)

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body_font = Font(name=FONT_NAME, size=FONT_SIZE)
    fill_here = PatternFill("solid", fgColor="FFF9DB")

    # Title and note: centred across the table without merging (merged cells hinder filtering and
    # copying, and import refuses them).
    set_text(ws.cell(TITLE_ROW, 1), title)
    ws.cell(TITLE_ROW, 1).font = Font(name=FONT_NAME, size=14, bold=True)
    note = words["note"].format(n=len(items))
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

    def column_style(column, quoted: bool) -> str:
        # Registered through a cell that is not on the sheet; streamed cells refer to it by number.
        model = Cell(ws)
        model.font = body_font
        model.border = border
        centred = column.kind in ("int", "date") or column.key in ("status", "id")
        model.alignment = Alignment(vertical="top", wrap_text=column.wrap, horizontal="center" if centred else "left")
        if column.kind == "date":
            model.number_format = "yyyy-mm-dd"
        if column.editable:
            model.fill = fill_here
        if quoted:
            model.quotePrefix = True
        return _style_attr(model.style_id)

    sheet = _ItemSheet(ws, reg, items, lang, unit, widths=[])
    sheet.styles = [(column_style(c, False), column_style(c, True)) for c in (SHEET_COLUMNS if items else ())]
    sheet.widths = widths = _column_widths((row for _, row in sheet.rows()), lang)
    for n, width in enumerate(widths, 1):
        ws.column_dimensions[_letter(n)].width = width
    header_lines = max(math.ceil(text_width(c.header(lang)) / max(w - 1, 1)) for c, w in zip(SHEET_COLUMNS, widths))
    ws.row_dimensions[HEADER_ROW].height = LINE_HEIGHT * header_lines + 6

    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{max(last_row, HEADER_ROW)}"
    _print_setup(ws, words["footer"], title_rows=f"{HEADER_ROW}:{HEADER_ROW}", landscape=True)

    if not items:
        return sheet
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
    return sheet


def _column_widths(rows: Iterable[dict], lang: str) -> list[float]:
    """Widths in Excel's character units, from the widest line of each column, capped."""
    longest = {c.key: 0 for c in SHEET_COLUMNS}
    below_cap = [(c.key, c.max_width) for c in SHEET_COLUMNS]
    for row in rows:
        capped = False
        for key, cap in below_cap:
            text = cell_string(row[key])
            if not text:
                continue
            for line in text.split("\n"):
                # A line's display width is between its length and twice that: most lines need no count.
                if 2 * len(line) <= longest[key]:
                    continue
                width = len(line) if len(line) >= cap else text_width(line)
                longest[key] = max(longest[key], width)
            capped |= longest[key] >= cap
        if capped:  # a column at its cap keeps it whatever the other rows hold
            below_cap = [(key, cap) for key, cap in below_cap if longest[key] < cap]
    widths = []
    for column in SHEET_COLUMNS:
        header = text_width(column.header(lang))
        width = min(max(longest[column.key], header if not column.wrap else min(header, column.max_width)),
                    column.max_width)
        widths.append(max(width, 4) + 2)
    return widths


def _row_height(row: dict, wrapped: Sequence[tuple[str, int]]) -> float:
    """Enough points for the wrapped text: Excel does not grow rows written by a program.

    `wrapped` holds the wrapping columns as (key, usable width); the other columns take one line.
    """
    lines = 1
    for key, usable in wrapped:
        text = row[key]
        if type(text) is not str:
            text = cell_string(text)
        if not text:
            continue
        count = 0
        for part in text.split("\n"):
            # The counts at one unit per character and at CJK_UNITS per character (_print_width with
            # no or all characters wide) bound the count: only when they differ are characters counted.
            n = len(part)
            fewest = math.ceil(n / usable)
            if fewest != math.ceil(n * CJK_UNITS / usable):
                fewest = math.ceil(_print_width(part) / usable)
            count += fewest or 1
        lines = max(lines, count)
    # Line breaks fall before closing punctuation (，。）), so wrapped CJK text often needs one line
    # more than its width suggests; a spare half line keeps the last line from being clipped.
    spare = LINE_HEIGHT / 2 if lines > 1 else 0
    return LINE_HEIGHT * lines + 4 + spare


def _print_width(text: str) -> float:
    wide = text_width(text) - len(text)  # count of wide characters
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
    counts: dict[str, Counter] = {}
    for item in items:
        for unit in reg.expanded_leads(item):
            counts.setdefault(unit, Counter())[item.status] += 1
    by_unit = {unit: counts[unit] for unit in _unit_order(reg, counts)}
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

    ws.column_dimensions["A"].width = max(text_width(words["all_items"]), 14) + 2
    for letter in "BCDEFG":
        ws.column_dimensions[letter].width = 10
    _print_setup(ws, words["footer"], title_rows=None, landscape=False)


# -- the hidden record --------------------------------------------------------------------------------

def _meta_sheet(ws, reg: Registry, *, as_of: dt.date, lang: str, registry_sha256: str) -> str:
    """The record's two header rows; a row per exported row is streamed in after them.

    Returns the style attribute of a quote-prefixed record cell.
    """
    from openpyxl.cell.cell import Cell

    ws.sheet_state = "veryHidden"  # not listed under Unhide in Excel: it is not for people
    header = [META_MARK, META_VERSION, lang, as_of.isoformat(), registry_sha256, reg.plan.title]
    for c, value in enumerate(header, 1):
        set_value(ws.cell(1, c), value)
    for c, value in enumerate(["sheet", "row", "unit"] + [col.key for col in SHEET_COLUMNS], 1):
        set_text(ws.cell(2, c), value)
    model = Cell(ws)
    model.quotePrefix = True
    return _style_attr(model.style_id)


def _meta_rows_xml(sheets: Sequence[_ItemSheet], cell: _CellWriter, quoted: str) -> Iterator[str]:
    """Each exported row as the record holds it: sheet, row, unit and every column as text."""
    letters = [_letter(n) for n in range(1, 4 + len(SHEET_COLUMNS))]
    keys = [c.key for c in SHEET_COLUMNS]
    r = 2
    for sheet in sheets:
        for row_number, row in sheet.rows():
            r += 1
            number = str(r)
            values = [sheet.ws.title, row_number, sheet.unit,
                      *[value if type(value) is str else cell_string(value) for value in map(row.__getitem__, keys)]]
            yield "".join([f'<row r="{number}">',
                           *[cell(letter + number, value, "", quoted) for letter, value in zip(letters, values)],
                           "</row>"])
