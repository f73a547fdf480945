"""The printable, fill-in workbook: sheet 清单 (or one sheet per lead unit), 汇总, and a hidden record.

Registry text is always written as a string cell (never a formula), with Excel's quote prefix
when it starts with a formula character, so "=1+1" stays text in Excel and LibreOffice alike.
The hidden sheet `_workplan` records what each row held at export; `import` uses it to tell what
people changed, and to notice rows that were moved or deleted.

openpyxl keeps an object per cell, far too slow and large for a big registry (bench/LATEST.md
has the figures), so it only writes the workbook's frame: titles, header rows, styles, widths,
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

from workplan.core.codes import Light, OrgKind, Status
from workplan.core.labels import t
from workplan.core.models import Item, Registry
from workplan.core.query import DEFAULT_WARN_DAYS, item_light, milestone_light, milestone_rows
from workplan.present.text import text_width
from workplan.exports.tables import (COLUMN_BY_KEY, SHEET_COLUMNS, SheetColumn, cell_string, due_milestone, item_row,
                                     own_share, status_choices, status_text)

TITLE_ROW, NOTE_ROW, HEADER_ROW = 1, 2, 3
FIRST_DATA_ROW = HEADER_ROW + 1
META_SHEET = "_workplan"
META_MARK = "workplan export"
META_VERSION = 1
# Faces Chinese offices have (Windows, WPS on UOS/Kylin): 宋体 for text, 黑体 for titles and headers;
# store.config gives the lists and their fallbacks, the project's workplan.toml may change them.
FONT_NAME = "宋体"
HEADING_FONT = "黑体"
FONT_SIZE = 10
GB2312_CHARSET = 134
LINE_HEIGHT = 13  # points per wrapped line at FONT_SIZE, a little generous for CJK glyphs
CJK_UNITS = 1.8  # column-width units one CJK character takes at FONT_SIZE
_FORMULA_CHARS = ("=", "+", "-", "@")
MAX_TEXT = 32767  # Excel's limit on a cell's text; openpyxl cuts longer text to it
ROWS_PER_WRITE = 500

# A4 landscape in points, less the margins _print_setup sets (0.4 in left and right, 0.5 in top,
# 0.6 in bottom); the header and footer print inside the margins.
PRINT_WIDTH = 841.89 - 0.8 * 72
PRINT_HEIGHT = 595.28 - 1.1 * 72
# A column width unit is a digit of the workbook's default font (Calibri 11) and some padding:
# 5.25 pt in Excel and WPS, but 7 pt in LibreOffice where neither Calibri nor Carlito is installed
# (it measures DejaVu Sans instead). The scale is taken for the wider, so that the printed columns
# fit the page width in every one of them: a column pushed onto pages of its own is worse than a
# table printed smaller than Excel could.
POINTS_PER_WIDTH_UNIT = 7.0
NOTE_HEIGHT = 15
SECTION_HEIGHT = LINE_HEIGHT + 6
FILL_AT_MOST = 0.94  # of a page: room for the programs' own rounding of widths and heights

# The light as of the reporting date, as a word: it prints the same in black and white and does not
# change when the file is opened on a later day. Not part of the import's columns (it is derived).
LIGHT_COLUMN = SheetColumn("light", max_width=6)
LIGHT_WORDS = {Light.red: "book.light_red", Light.yellow: "book.light_yellow"}  # catalogue keys
# Printed columns: the import's columns, then 灯号 (the columns people and their macros know keep
# their letters). 时间节点 and 编号 stay in the sheet for sorting and the import but are hidden:
# the measures already print each deadline ("（12月底前）") and 截止日期 the next one, and 编号
# "2024-01" reads as a month.
ITEM_COLUMNS = [*SHEET_COLUMNS, LIGHT_COLUMN]
HIDDEN_KEYS = ("milestones", "id")
MIN_WIDTH = {"progress": 36, "departments": 12, "leads": 10}  # 进展情况 is written in by hand
FILL_IN = "E2EFDA"  # pale green: the columns to fill in (the lights have their own colours)
FILL_IN_HEADER = "C6E0B4"
LIGHT_FILLS = {Light.red: "F8CBAD", Light.yellow: "FFEB9C"}

def build_workbook(reg: Registry, items: Sequence[Item], *, as_of: dt.date, lang: str = "zh",
                   split_by_lead: bool = False, units: Sequence[str] = (), filters_text: str = "",
                   registry_sha256: str = "", target: BinaryIO | None = None, fonts=None, unit: str = "",
                   warn_days: int = DEFAULT_WARN_DAYS) -> bytes | None:
    """Write the .xlsx to `target` (a binary stream), or return it as bytes when there is none.

    With split_by_lead, one sheet per unit (only `units` if given). `unit` (the --lead units) goes
    into the title; `filters_text` describes the other filters in words. `fonts` is a
    store.config.Fonts (default: its lists).
    """
    from openpyxl import Workbook

    plan = plan_title(reg)
    look = _Look(as_of, warn_days, *((fonts.table[0], fonts.table_heading[0]) if fonts is not None else ()))
    wb = Workbook()
    wb.remove(wb.active)
    sheets: list[_ItemSheet] = []
    if split_by_lead:
        for sheet_unit, unit_items in items_by_unit(reg, items).items():
            if units and sheet_unit not in units:
                continue
            title = t("book.unit_title", lang, plan=plan, unit=sheet_unit)
            ws = wb.create_sheet(sheet_name(sheet_unit, wb.sheetnames))
            sheets.append(_item_sheet(ws, reg, unit_items, title=title, lang=lang, filters_text=filters_text,
                                      unit=sheet_unit, look=look))
        if not wb.sheetnames:  # nothing matched: still give the empty list to fill in
            split_by_lead = False
    if not split_by_lead:
        ws = wb.create_sheet(t("book.list_sheet", lang))
        title = t("book.unit_title", lang, plan=plan, unit=unit) if unit else t("book.list_title", lang, plan=plan)
        sheets.append(_item_sheet(ws, reg, items, title=title, lang=lang, filters_text=filters_text,
                                  unit=units[0] if len(units) == 1 else "", look=look))
        # (a workbook exported for one unit, --lead 浙江省局, records it: that unit is the one reporting)
    _summary_sheet(wb.create_sheet(t("book.summary_sheet", lang)), reg, items, as_of=as_of, lang=lang, look=look)
    meta = wb.create_sheet(META_SHEET)
    meta_quoted = _meta_sheet(meta, reg, as_of=as_of, lang=lang, registry_sha256=registry_sha256)
    wb.active = 0
    frame = io.BytesIO()
    wb.save(frame)

    cells = _CellWriter()
    fills = {sheet.ws.path.lstrip("/"): _Fill(sheet.last_ref, lambda sheet=sheet: sheet.rows_xml(cells))
             for sheet in sheets}
    meta_cols = 3 + len(SHEET_COLUMNS)
    meta_last = max(2 + sum(len(sheet.items) for sheet in sheets), 2)
    fills[meta.path.lstrip("/")] = _Fill(f"{_letter(meta_cols)}{meta_last}",
                                         lambda: _meta_rows_xml(sheets, cells, meta_quoted))
    out = io.BytesIO() if target is None else target
    _write_package(frame, out, fills)
    return out.getvalue() if target is None else None


def plan_title(reg: Registry) -> str:
    """The plan's title for a heading: "2024 年" as the document prints it, without the spaces."""
    return re.sub(r"\s+", "", reg.plan.title)


@dataclass
class _Look:
    """The reporting date the lights are judged on (fixed in the file), and the fonts."""

    as_of: dt.date
    warn_days: int
    font: str = FONT_NAME
    heading: str = HEADING_FONT

    def light(self, item: Item) -> Light:
        return item_light(item, self.as_of, self.warn_days)


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
THEME_PART = "xl/theme/theme1.xml"
_JAPANESE_THEME_FONT = re.compile(rb'<a:font script="Jpan" typeface="[^"]*"/>')
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
            if info.filename == THEME_PART:  # openpyxl's default theme names Japanese East Asian faces
                data = _JAPANESE_THEME_FONT.sub(b"", data)
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
    look: _Look
    styles: list[tuple[str, str]] = field(default_factory=list)  # per column: (plain, quote-prefixed) s="…"
    light_styles: dict[Light, str] = field(default_factory=dict)
    section_style: str = ""
    adjusted_styles: dict[dt.date, str] = field(default_factory=dict)  # original date → 截止日期's style
    heights: dict[int, float] = field(default_factory=dict)  # item row → its height in points

    def layout(self) -> Iterator[tuple[int, str, Any]]:
        """(row number, "section" or "item", section title or item) in sheet order.

        A section row (一、协同联建一流营商环境) comes before the first item of each section, as in an
        official attachment table; the import passes over it. Items stay in printed order: item 58,
        filed under section 五 but printed after the 六 rows, stays there without a second 五 row.
        """
        titles = {s.number: s.title for s in self.reg.sections}
        r, seen = FIRST_DATA_ROW, set()
        for item in self.items:
            if item.section not in seen:
                seen.add(item.section)
                yield r, "section", section_row_text(item.section, titles.get(item.section, ""))
                r += 1
            yield r, "item", item
            r += 1

    @property
    def last_row(self) -> int:
        return max((r for r, _, _ in self.layout()), default=HEADER_ROW) if self.items else HEADER_ROW

    @property
    def last_ref(self) -> str:
        return f"{_letter(len(ITEM_COLUMNS))}{self.last_row}"

    def rows(self) -> Iterator[tuple[int, dict]]:
        """(row number, the item's row): on a unit's sheet, a joint item shows that unit's own share
        (its status, latest report and date, core.units); "adjusted" is the original date of an
        approved new one in 截止日期."""
        words = {light: t(key, self.lang) for light, key in LIGHT_WORDS.items()}
        for r, kind, item in self.layout():
            if kind == "item":
                row = item_row(self.reg, item, self.lang)
                light = self.look.light(item)
                share = own_share(self.reg, item, self.unit) if self.unit else None
                if share is not None:
                    row.update(status=status_text(share.status, self.lang), progress=share.text, updated=share.date)
                    if share.status in (Status.done, Status.cancelled):
                        light = None
                row["light"] = words.get(light)
                milestone = due_milestone(item)
                row["adjusted"] = milestone.due if milestone is not None and milestone.adjusted_due else None
                yield r, row

    def rows_xml(self, cell: _CellWriter) -> Iterator[str]:
        columns = [(_letter(n), c.key, plain, quoted) for n, (c, (plain, quoted)) in
                   enumerate(zip(ITEM_COLUMNS, self.styles), 1)]
        light_letter = _letter(ITEM_COLUMNS.index(LIGHT_COLUMN) + 1)
        by_word = {t(LIGHT_WORDS[light], self.lang): style for light, style in self.light_styles.items()}
        rows = self.rows()
        for r, kind, value in self.layout():
            number = str(r)
            if kind == "section":
                yield (f'<row r="{number}" ht="{_number(SECTION_HEIGHT)}" customHeight="1">'
                       f'{cell("A" + number, value, self.section_style, self.section_style)}</row>')
                continue
            _, row = next(rows)
            cells = []
            for letter, key, plain, quoted in columns:
                if letter == light_letter and row[key]:
                    plain = quoted = by_word[row[key]]
                elif key == "due" and row["adjusted"]:
                    plain = quoted = self.adjusted_styles[row["adjusted"]]
                cells.append(cell(letter + number, row[key], plain, quoted))
            yield "".join([f'<row r="{number}" ht="{_number(self.heights[r])}" customHeight="1">',
                           *cells, "</row>"])


_CN_NUMERALS = "一二三四五六七八九十"


def section_row_text(number: int, title: str) -> str:
    """一、协同联建一流营商环境: a section row's text (the import recognises rows by it)."""
    label = _CN_NUMERALS[number - 1] if 1 <= number <= 10 else str(number)
    return f"{label}、{title}"


def _item_sheet(ws, reg: Registry, items: Sequence[Item], *, title: str, lang: str, filters_text: str,
                unit: str, look: _Look) -> _ItemSheet:
    """Write the sheet's frame with openpyxl; its rows are streamed in later."""
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Border, PatternFill, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    ncols = len(ITEM_COLUMNS)
    last_col = _letter(ncols)
    col = {c.key: _letter(n) for n, c in enumerate(ITEM_COLUMNS, 1)}

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body_font = _font(name=look.font, size=FONT_SIZE)
    fill_here = PatternFill("solid", fgColor=FILL_IN)

    # Title and note: centred across the table without merging (merged cells hinder filtering and
    # copying, and import refuses them).
    set_text(ws.cell(TITLE_ROW, 1), title)
    ws.cell(TITLE_ROW, 1).font = _font(name=look.heading, size=14)
    note = t("book.note", lang, n=len(items), date=_day(look.as_of, lang), warn=look.warn_days)
    if filters_text:
        note += t("book.filters", lang, filters=filters_text)
    set_text(ws.cell(NOTE_ROW, 1), note)
    ws.cell(NOTE_ROW, 1).font = _font(name=look.font, size=FONT_SIZE)
    for c in range(1, ncols + 1):
        ws.cell(TITLE_ROW, c).alignment = Alignment(horizontal="centerContinuous", vertical="center")
        ws.cell(NOTE_ROW, c).alignment = Alignment(horizontal="centerContinuous", vertical="center")
    ws.row_dimensions[TITLE_ROW].height = 24

    for n, column in enumerate(ITEM_COLUMNS, 1):
        cell = ws.cell(HEADER_ROW, n)
        set_text(cell, column.header(lang))
        cell.font = _font(name=look.heading, size=FONT_SIZE)
        cell.fill = PatternFill("solid", fgColor=FILL_IN_HEADER if column.editable else "D9E1F2")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border

    def column_style(column, quoted: bool, light: Light | None = None, number_format: str = "yyyy-mm-dd") -> str:
        # Registered through a cell that is not on the sheet; streamed cells refer to it by number.
        model = Cell(ws)
        model.font = body_font if light is None else _font(name=look.heading, size=FONT_SIZE, bold=True)
        model.border = border
        if light is not None:
            model.fill = PatternFill("solid", fgColor=LIGHT_FILLS[light])
        centred = column.kind in ("int", "date") or column.key in ("status", "id", "light")
        model.alignment = Alignment(vertical="top", wrap_text=column.wrap, horizontal="center" if centred else "left")
        if column.kind == "date":
            model.number_format = number_format
        if column.editable:
            model.fill = fill_here
        if quoted:
            model.quotePrefix = True
        return _style_attr(model.style_id)

    sheet = _ItemSheet(ws, reg, items, lang, unit, widths=[], look=look)
    sheet.styles = [(column_style(c, False), column_style(c, True)) for c in (ITEM_COLUMNS if items else ())]
    sheet.light_styles = {light: column_style(LIGHT_COLUMN, False, light) for light in LIGHT_FILLS}
    section = Cell(ws)
    section.font = _font(name=look.heading, size=FONT_SIZE)
    section.alignment = Alignment(vertical="center")
    sheet.section_style = _style_attr(section.style_id)
    sheet.widths = widths = _column_widths((row for _, row in sheet.rows()), lang)
    # An approved new date in 截止日期 prints marked 调整, the original beside it: the cell keeps
    # the date (sorting, filters and the import read it), its number format adds the words.
    due = COLUMN_BY_KEY["due"]
    wrapped = [(c.key, max(w - 1, 1)) for c, w in zip(ITEM_COLUMNS, widths) if c.wrap]
    adjusted = set()
    for r, row in sheet.rows():
        sheet.heights[r] = _row_height(row, wrapped)
        if row["adjusted"]:
            adjusted.add(row["adjusted"])
    for original in sorted(adjusted):
        mark = t("book.adjusted", lang, date=t("bulletin.day", lang, month=original.month, day=original.day))
        sheet.adjusted_styles[original] = column_style(due, False, number_format=f'yyyy-mm-dd"{mark}"')
        at = ITEM_COLUMNS.index(due)
        widths[at] = max(widths[at], text_width(f"2024-01-01{mark}") + 2)
    for n, (column, width) in enumerate(zip(ITEM_COLUMNS, widths), 1):
        ws.column_dimensions[_letter(n)].width = width
        if column.key in HIDDEN_KEYS:
            ws.column_dimensions[_letter(n)].hidden = True
    header_lines = max(math.ceil(text_width(c.header(lang)) / max(w - 1, 1)) for c, w in zip(ITEM_COLUMNS, widths))
    ws.row_dimensions[HEADER_ROW].height = LINE_HEIGHT * header_lines + 6
    ws.row_dimensions[NOTE_ROW].height = NOTE_HEIGHT

    last_row = sheet.last_row
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{max(last_row, HEADER_ROW)}"
    _print_setup(ws, t("book.footer", lang), title_rows=f"{HEADER_ROW}:{HEADER_ROW}", landscape=True)
    _paginate(ws, sheet, widths)

    if not items:
        return sheet
    # Status drop-down, and a date check on 更新日期; both refuse other input with a message.
    choices = status_choices(lang)
    status_dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=False,
                               showDropDown=False, showErrorMessage=True, showInputMessage=True,
                               errorTitle=COLUMN_BY_KEY["status"].header(lang), promptTitle=COLUMN_BY_KEY["status"].header(lang),
                               error=t("book.status_error", lang, choices=t("word.list_sep", lang).join(choices)),
                               prompt=t("book.status_prompt", lang))
    status_dv.add(f"{col['status']}{FIRST_DATA_ROW}:{col['status']}{last_row}")
    issued = reg.plan.issued
    date_dv = DataValidation(type="date", operator="greaterThanOrEqual",
                             formula1=f"DATE({issued.year},{issued.month},{issued.day})",
                             allow_blank=True, showErrorMessage=True, showInputMessage=True,
                             error=t("book.date_error", lang), prompt=t("book.date_prompt", lang))
    date_dv.add(f"{col['updated']}{FIRST_DATA_ROW}:{col['updated']}{last_row}")
    ws.add_data_validation(status_dv)
    ws.add_data_validation(date_dv)

    return sheet


# -- printed pages --------------------------------------------------------------------------------

def _paginate(ws, sheet: _ItemSheet, widths: Sequence[float]) -> None:
    """A fixed print scale and manual page breaks, so that a section row (一、…) never ends a page.

    Excel ignores manual breaks on a sheet set to "fit to N pages", so the sheet is printed at the
    scale that fits its visible columns to the page width instead, and the breaks are computed from
    the row heights, which are fixed (customHeight): a page ends before a section row that would not
    have its first item below it on the same page. Pages are filled to FILL_AT_MOST so that
    LibreOffice, Excel and WPS never need a break of their own before ours.
    """
    from openpyxl.worksheet.pagebreak import Break
    from openpyxl.worksheet.properties import PageSetupProperties

    visible = sum(w for c, w in zip(ITEM_COLUMNS, widths) if c.key not in HIDDEN_KEYS)
    scale = max(10, min(100, math.floor(100 * PRINT_WIDTH * 0.98 / (visible * POINTS_PER_WIDTH_UNIT))))
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
    ws.page_setup.scale = scale
    room = PRINT_HEIGHT * FILL_AT_MOST * 100 / scale  # a page's height in the sheet's own points
    header = ws.row_dimensions[HEADER_ROW].height
    rows = [(r, kind, SECTION_HEIGHT if kind == "section" else sheet.heights[r]) for r, kind, _ in sheet.layout()]
    for row in page_breaks(rows, first=ws.row_dimensions[TITLE_ROW].height + NOTE_HEIGHT + header, later=header,
                           room=room):
        ws.row_breaks.append(Break(id=row))


def page_breaks(rows: Sequence[tuple[int, str, float]], *, first: float, later: float, room: float) -> list[int]:
    """The rows after which a page ends: `rows` are (row number, "section" or "item", height), `first`
    and `later` the height above the rows on the first page and on the others (titles, the
    repeated header), `room` a page's height. A section row goes to the next page with its first item."""
    breaks, used, top = [], first, first
    for n, (r, kind, height) in enumerate(rows):
        need = height + (rows[n + 1][2] if kind == "section" and n + 1 < len(rows) else 0)
        if used + need > room and used > top:  # (a row taller than a page has a page of its own)
            breaks.append(r - 1)
            used = top = later
        used += height
    return breaks


def _column_widths(rows: Iterable[dict], lang: str) -> list[float]:
    """Widths in Excel's character units, from the widest line of each column, capped."""
    longest = {c.key: 0 for c in ITEM_COLUMNS}
    below_cap = [(c.key, c.max_width) for c in ITEM_COLUMNS]
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
    for column in ITEM_COLUMNS:
        header = text_width(column.header(lang))
        width = min(max(longest[column.key], header if not column.wrap else min(header, column.max_width)),
                    column.max_width)
        widths.append(max(width, 4, MIN_WIDTH.get(column.key, 0)) + 2)
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


def _font(**style):
    """A font of the workbook's Chinese text: charset 134 (GB2312) tells a program without the face
    to substitute a Chinese one, with Chinese glyph forms, not a Japanese one."""
    from openpyxl.styles import Font

    return Font(charset=GB2312_CHARSET, **style)


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
    # Each sheet numbers its own pages from 1, under its own name (汇总　第 1 页).
    ws.page_setup.firstPageNumber = 1
    ws.page_setup.useFirstPageNumber = True
    ws.oddFooter.center.text = footer
    ws.oddFooter.center.size = 9
    ws.evenFooter.center.text = footer


# -- 汇总 --------------------------------------------------------------------------------------------

def summary_counts(reg: Registry, items: Sequence[Item], look: _Look
                   ) -> tuple[dict[str, Counter], dict[int, tuple[int, int, int]]]:
    """(unit → Counter of statuses and "overdue" items, month → (milestones, done, overdue)).

    Overdue as of the reporting date; months with no milestone due are left out.
    """
    counts: dict[str, Counter] = {}
    for item in items:
        late = look.light(item) == Light.red
        for unit in reg.expanded_leads(item):
            # a joint item counts for each unit as that unit's own share stands
            share = own_share(reg, item, unit)
            status = share.status if share is not None else item.status
            tally = counts.setdefault(unit, Counter())
            tally[status] += 1
            tally["overdue"] += late and status not in (Status.done, Status.cancelled)
    by_unit = {unit: counts[unit] for unit in _unit_order(reg, counts)}
    months: dict[int, list[int]] = {}
    for row in milestone_rows(items):
        if row.due.year != reg.plan.year:
            continue
        tally = months.setdefault(row.due.month, [0, 0, 0])
        tally[0] += 1
        tally[1] += row.is_done()
        tally[2] += milestone_light(row, look.as_of, look.warn_days) == Light.red
    return by_unit, {m: tuple(months[m]) for m in sorted(months)}


def _day(day: dt.date, lang: str) -> str:
    return t("bulletin.full_day", lang, year=day.year, month=day.month, day=day.day)


def _summary_sheet(ws, reg: Registry, items: Sequence[Item], *, as_of: dt.date, lang: str, look: _Look) -> None:
    from openpyxl.styles import Alignment, Border, PatternFill, Side

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    heading = _font(name=look.heading, size=FONT_SIZE)
    body = _font(name=look.font, size=FONT_SIZE)
    head_fill = PatternFill("solid", fgColor="D9E1F2")
    by_unit, by_month = summary_counts(reg, items, look)
    statuses = list(Status)

    def table_row(r: int, values: list, *, header: bool = False) -> None:
        for c, value in enumerate(values, 1):
            cell = ws.cell(r, c)
            set_value(cell, value)
            cell.font = heading if header else body
            cell.border = border
            cell.alignment = Alignment(horizontal="left" if c == 1 else "center", vertical="center", wrap_text=True)
            if header:
                cell.fill = head_fill
            if isinstance(value, float):
                cell.number_format = "0.0%"  # 完成率: 1 of 8 prints 12.5%

    def rate(done: int, total: int) -> float | None:
        return done / total if total else None

    set_text(ws.cell(1, 1), t("book.summary_title", lang, plan=plan_title(reg)))
    ws.cell(1, 1).font = _font(name=look.heading, size=14)
    set_text(ws.cell(2, 1), t("book.summary_note", lang, date=_day(as_of, lang)))
    ws.cell(2, 1).font = body
    set_text(ws.cell(3, 1), t("book.by_lead", lang))
    ws.cell(3, 1).font = heading
    r = 4
    table_row(r, [t("book.lead", lang)] + [status_text(s, lang) for s in statuses]
              + [t("book.total", lang), t("book.overdue", lang), t("book.rate", lang)], header=True)
    for unit, counts in by_unit.items():
        r += 1
        total = sum(counts[s] for s in statuses)
        table_row(r, [unit] + [counts[s] for s in statuses] + [total, counts["overdue"], rate(counts[Status.done], total)])
    r += 1
    totals = Counter(item.status for item in items)
    overdue_items = sum(1 for item in items if look.light(item) == Light.red)
    table_row(r, [t("book.all_items", lang)] + [totals[s] for s in statuses]
              + [len(items), overdue_items, rate(totals[Status.done], len(items))], header=True)

    r += 2
    set_text(ws.cell(r, 1), t("book.by_month", lang))
    ws.cell(r, 1).font = heading
    r += 1
    table_row(r, [t("book.month", lang), t("book.milestones", lang), t("book.done", lang), t("book.open", lang), t("book.overdue", lang), t("book.rate", lang)],
              header=True)
    for month, (count, done, late) in by_month.items():
        r += 1
        label = t("word.year_month", lang, year=reg.plan.year, month=month)
        table_row(r, [label, count, done, count - done, late, rate(done, count)])
    r += 1
    count, done, late = (sum(v[i] for v in by_month.values()) for i in range(3))
    table_row(r, [t("book.total", lang), count, done, count - done, late, rate(done, count)], header=True)

    ws.column_dimensions["A"].width = max(text_width(t("book.all_items", lang)), 14) + 2
    for letter in "BCDEFGHI":
        ws.column_dimensions[letter].width = 9
    _print_setup(ws, t("book.footer", lang), title_rows=None, landscape=False)


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
