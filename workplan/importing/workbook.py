"""Read 状态, 进展情况 and 更新日期 back from an exported workbook (or its CSV) and check every row.

The file is untrusted: it is checked as a zip (size, number of parts, compression ratio), its XML
is scanned for DOCTYPE and entity declarations and for absurd merged ranges before openpyxl
parses it (with defusedxml underneath). Every row is then checked against the registry and
against the hidden `_workplan` sheet the export wrote, which says what each row held; a change
is what differs from that record, so a returned workbook never undoes a change made in the
registry after the export. Problems are collected, never raised, so one run reports them all.
Nothing here writes: `edits()` turns the changes into writer edits for the command to apply.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workplan.exports.tables import (COLUMN_BY_KEY, EDITABLE_KEYS, SHEET_COLUMNS, cell_string, item_row, own_share,
                                     status_text, unneutralise)
from workplan.core.codes import Status
from workplan.core.labels import Message, shown, t
from workplan.core.models import Item, Registry

MAX_FILE_BYTES = 20 * 2**20  # an export of this plan is ~30 KB
MAX_UNCOMPRESSED_BYTES = 100 * 2**20
MAX_PARTS = 2000
MAX_RATIO = 100  # real sheets compress 5-20×; zip bombs thousands of times
MAX_ROWS = 10_000
MAX_MERGED_CELLS = 100_000  # openpyxl creates one object per merged cell
HEADER_SCAN_ROWS = 10
HEADER_SCAN_COLS = 100
META_SHEET = "_workplan"
META_MARK = "workplan export"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DANGEROUS_XML = [re.compile(p) for p in (rb"<!doctype", rb"<!entity")]
_DANGEROUS_XML16 = [p.encode("utf-16-le") for p in ("<!doctype", "<!entity")]
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Za-z]{1,3})([0-9]{1,7}):([A-Za-z]{1,3})([0-9]{1,7})"')


@dataclass(frozen=True)
class ImportProblem:
    """One problem of a returned workbook, at FILE:SHEET!CELL; the message is a Message."""

    file: str
    sheet: str | None
    ref: str | None
    message: object

    def text(self, lang: str = "zh") -> str:
        where = self.file
        if self.sheet is not None:
            where += f":{_quote_sheet(self.sheet)}!{self.ref or 'A1'}"
        return f"{where}: {shown(self.message, lang)}"

    def __str__(self) -> str:
        return self.text()


def _quote_sheet(name: str) -> str:
    return f"'{name}'" if re.search(r"[\s!:'\-]", name) else name


@dataclass
class ItemChange:
    item_id: str
    title: str
    where: str  # the row as an Excel reference (清单!5:5), for the dry run
    old_status: Status
    plan: Any  # workplan.core.update.UpdatePlan: the status, the progress entry, the milestones marked done
    old_progress: str | None = None

    def key(self) -> tuple:
        entry = self.plan.entry
        return (self.plan.new_status, entry["text"], entry["date"])


@dataclass
class ImportResult:
    changes: list[ItemChange] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)


class _Rejected(Exception):
    """The whole file is unusable; args[0], a Message, is the one problem to report."""


# -- the file as sheets of plain values ----------------------------------------------------------------

@dataclass
class _Sheet:
    name: str
    cells: dict[tuple[int, int], Any]  # (row, col) → value, empty cells left out
    max_row: int
    max_col: int
    formulas: list[str] = field(default_factory=list)  # cell refs
    merged: list[tuple[str, int, int]] = field(default_factory=list)  # (range, min_row, max_row)
    too_big: bool = False


@dataclass
class _Meta:
    lang: str
    rows: dict[tuple[str, str], dict]  # (sheet, id) → {"row": n, "unit": str, key: exported text}
    sheets: list[str]
    plan: str = ""  # the title of the plan exported: the registry's identity


META_HEADER = ["sheet", "row", "unit"] + [c.key for c in SHEET_COLUMNS]


def read_changes(path: Path, reg: Registry, *, today: dt.date, by: str | None = None) -> ImportResult:
    """Every change the file asks for and every problem with it (changes only count without problems)."""
    path = Path(path)
    name = str(path)
    result = ImportResult()
    try:
        data = _read_bytes(path)
        if zipfile.is_zipfile(_buffer(data)):
            sheets, meta = _load_xlsx(data, name)
        elif data.startswith(_OLE_MAGIC):
            raise _Rejected(Message("import.old_xls"))
        elif path.suffix.lower() == ".csv":
            sheets, meta = [_load_csv(data, path, result)], None
        else:
            raise _Rejected(Message("import.not_workbook"))
    except _Rejected as exc:
        result.problems.append(ImportProblem(name, None, None, exc.args[0]))
        return result

    if meta is not None and meta.plan and meta.plan != reg.plan.title:
        result.problems.append(ImportProblem(name, None, None, Message("import.other_registry", plan=meta.plan,
                                                                       this=reg.plan.title)))
        return result
    if meta is None and sheets and path.suffix.lower() != ".csv":
        result.notes.append(Message("import.no_record", path=name, sheet=META_SHEET))
    checker = _Checker(name, reg, meta, today=today, by=by, result=result)
    table_sheets = [s for s in sheets if meta is None or s.name in meta.sheets]
    if meta is not None:
        missing = [s for s in meta.sheets if s not in {sheet.name for sheet in sheets}]
        for sheet_name in missing:
            result.problems.append(ImportProblem(name, sheet_name, "A1", Message("import.sheet_missing")))
    found_table = False
    for sheet in table_sheets:
        found_table |= checker.check_sheet(sheet, required=meta is not None)
    if not found_table and not result.problems:
        result.problems.append(ImportProblem(name, None, None, Message("import.no_table")))
    if meta is not None:
        checker.check_missing_rows()
    changes = checker.planned()
    result.changes = [] if result.problems else changes
    return result


def edits(changes: list[ItemChange]) -> list:
    """The writer's edits for the changes; an item changed by several reports gets its status (and
    a milestone its completion date) written once, as the last of them leaves it."""
    from workplan.store.writer import Edit, update_edits

    planned = [edit for change in changes for edit in update_edits(change.plan)]
    last = {(e.item_id, tuple(e.path)): n for n, e in enumerate(planned) if isinstance(e, Edit)}
    return [e for n, e in enumerate(planned) if not isinstance(e, Edit) or last[(e.item_id, tuple(e.path))] == n]


@dataclass
class _Row:
    """A row that changes an item: where it is, what it asks, and the update planned from it alone."""

    sheet: str
    row: int
    ref: str
    request: Any
    plan: Any

    def key(self) -> tuple:
        entry = self.plan.entry
        return (self.plan.unit_new, self.plan.new_status, entry["text"], entry["date"])


def _after(item: Item, plan) -> Item:
    """The item as the planned update leaves it (the next report on it is planned on this)."""
    from workplan.core.models import ProgressEntry

    day = plan.entry["date"]
    milestones = [m.model_copy(update={"done_on": day}) if i in plan.milestones_done else m
                  for i, m in enumerate(item.milestones)]
    return item.model_copy(update={"progress": [*item.progress, ProgressEntry.model_validate(plan.entry)],
                                   "status": plan.new_status, "milestones": milestones})


def _buffer(data: bytes):
    import io

    return io.BytesIO(data)


def _read_bytes(path: Path) -> bytes:
    from workplan.store.paths import SourceError, read_source

    try:
        return read_source(path, MAX_FILE_BYTES)
    except SourceError as exc:
        message = exc.message
        if exc.over_limit:
            message = Message("import.over_limit", reason=message)
        if message.key == "store.is_folder":
            message = Message("import.folder")
        raise _Rejected(message) from None


# What zipfile raises on a damaged or forged archive (a fuzz test found each): an unknown version
# or method, a broken deflate stream, a truncated part, a name that is not text.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, NotImplementedError,
               RuntimeError, ValueError, KeyError, UnicodeError)


def check_zip(data: bytes) -> None:
    """Refuse zip bombs and XML tricks using the zip directory and a streaming scan, before parsing."""
    try:
        archive = zipfile.ZipFile(_buffer(data))
    except _ZIP_ERRORS as exc:
        raise _Rejected(Message("import.bad_zip", detail=_detail(exc))) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise _Rejected(Message("import.too_many_parts", count=f"{len(infos):,}", limit=f"{MAX_PARTS:,}"))
        total = sum(info.file_size for info in infos)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise _Rejected(Message("import.too_big", size=f"{total:,}", limit=f"{MAX_UNCOMPRESSED_BYTES:,}"))
        for info in infos:
            if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise _Rejected(Message("import.ratio", part=info.filename,
                                        ratio=f"{info.file_size // max(info.compress_size, 1):,}"))
        for info in infos:
            if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                _scan_xml(archive, info)


def _scan_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    tail = b""
    merged_cells = 0
    read = 0
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(1 << 16)
                if not chunk:
                    break
                read += len(chunk)
                if read > info.file_size or read > MAX_UNCOMPRESSED_BYTES:
                    raise _Rejected(Message("import.part_larger", part=info.filename))
                window = (tail + chunk).lower()
                if any(p.search(window) for p in _DANGEROUS_XML) or any(p in window for p in _DANGEROUS_XML16):
                    raise _Rejected(Message("import.doctype", part=info.filename))
                for match in _MERGE_REF.finditer(tail + chunk):
                    if match.end() <= len(tail):
                        continue  # counted with the previous chunk
                    merged_cells += _range_area(match)
                    if merged_cells > MAX_MERGED_CELLS:
                        raise _Rejected(Message("import.merged_many", part=info.filename, limit=f"{MAX_MERGED_CELLS:,}"))
                tail = chunk[-200:]  # long enough for a tag split between chunks
    except _ZIP_ERRORS as exc:
        raise _Rejected(Message("import.damaged_part", part=info.filename, detail=_detail(exc))) from None


def _range_area(match: re.Match) -> int:
    from openpyxl.utils.cell import column_index_from_string

    try:
        c1, c2 = column_index_from_string(match[1].decode().upper()), column_index_from_string(match[3].decode().upper())
    except ValueError:
        return 0
    rows = abs(int(match[4]) - int(match[2])) + 1
    return rows * (abs(c2 - c1) + 1)


def _load_xlsx(data: bytes, name: str) -> tuple[list[_Sheet], _Meta | None]:
    check_zip(data)
    import warnings

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops; not the user's concern
            wb = load_workbook(_buffer(data), data_only=False, keep_vba=False, keep_links=False, rich_text=False)
    except Exception as exc:  # noqa: BLE001 - anything openpyxl raises on a bad file becomes one line
        if _from_defusedxml(exc):
            raise _Rejected(Message("import.entities")) from None
        raise _Rejected(Message("import.unreadable", detail=_detail(exc))) from None
    try:
        meta = _read_meta(wb)
        sheets = [_sheet_of(ws) for ws in wb.worksheets if ws.title != META_SHEET]
    finally:
        wb.close()
    return sheets, meta


def _from_defusedxml(exc: BaseException) -> bool:
    """Whether defusedxml refused the XML (openpyxl wraps its exception in a ValueError)."""
    seen = 0
    while exc is not None and seen < 10:
        if type(exc).__module__.startswith("defusedxml"):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _sheet_of(ws) -> _Sheet:
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    sheet = _Sheet(ws.title, {}, ws.max_row, ws.max_column)
    if ws.max_row > MAX_ROWS:
        sheet.too_big = True
        return sheet
    for (row, col), cell in ws._cells.items():  # only the cells in the file; ws.cell() would create more
        value = cell.value
        if value is None:
            continue
        if cell.data_type == "f" or isinstance(value, (ArrayFormula, DataTableFormula)):
            sheet.formulas.append(cell.coordinate)
        sheet.cells[(row, col)] = value
    for merged in ws.merged_cells.ranges:
        sheet.merged.append((merged.coord, merged.min_row, merged.max_row))
    return sheet


def _read_meta(wb) -> _Meta | None:
    if META_SHEET not in wb.sheetnames:
        return None
    ws = wb[META_SHEET]
    if ws.max_row > MAX_ROWS + 2 or ws.cell(1, 1).value != META_MARK:
        return None
    lang = "en" if ws.cell(1, 3).value == "en" else "zh"
    header = [ws.cell(2, c).value for c in range(1, 4 + len(SHEET_COLUMNS))]
    if header != META_HEADER:
        raise _Rejected(Message("import.record_changed", sheet=META_SHEET))
    plan = ws.cell(1, 6).value
    rows: dict[tuple[str, str], dict] = {}
    sheets: list[str] = []
    for r in range(3, ws.max_row + 1):
        values = [ws.cell(r, c).value for c in range(1, len(header) + 1)]
        record = {str(k): ("" if v is None else v) for k, v in zip(header, values) if k}
        sheet, item_id = str(record.get("sheet", "")), str(record.get("id", ""))
        if not sheet or not item_id:
            continue
        try:
            record["row"] = int(record["row"])
        except (TypeError, ValueError):
            continue
        rows[(sheet, item_id)] = {k: (v if k == "row" else str(v)) for k, v in record.items()}
        if sheet not in sheets:
            sheets.append(sheet)
    if not sheets:
        sheets = [ws_.title for ws_ in wb.worksheets if ws_.title != META_SHEET][:1]
    return _Meta(lang, rows, sheets, plan if isinstance(plan, str) else "")


def _load_csv(data: bytes, path: Path, result: ImportResult) -> _Sheet:
    import csv
    import io

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")  # Excel's "CSV" on Chinese Windows saves in the ANSI code page
            result.notes.append(Message("import.read_as_gbk", path=path))
        except UnicodeDecodeError:
            raise _Rejected(Message("import.csv_encoding")) from None
    if "\x00" in text:
        raise _Rejected(Message("import.csv_nul"))
    cells: dict[tuple[int, int], Any] = {}
    max_row = max_col = 0
    try:
        for r, record in enumerate(csv.reader(io.StringIO(text, newline="")), 1):
            if r > MAX_ROWS:
                raise _Rejected(Message("import.too_many_rows", limit=f"{MAX_ROWS:,}"))
            for c, value in enumerate(record, 1):
                if value != "":
                    cells[(r, c)] = unneutralise(value)
                    max_col = max(max_col, c)
            max_row = r
    except csv.Error as exc:
        raise _Rejected(Message("import.bad_csv", detail=_detail(exc))) from None
    return _Sheet(path.stem, cells, max_row, max_col)


# -- checking ----------------------------------------------------------------------------------------

_HEADERS = {text.strip(): c.key for c in SHEET_COLUMNS for text in (c.zh, c.en)}
_REQUIRED = ["id", "title", "status", "progress", "updated"]


def _ref(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


def _norm(value: Any) -> str:
    return cell_string(value).replace("\r\n", "\n").replace("\r", "\n").strip()


class _Checker:
    def __init__(self, name: str, reg: Registry, meta: _Meta | None, *, today: dt.date, by: str | None,
                 result: ImportResult):
        self.name, self.reg, self.meta, self.today, self.by, self.result = name, reg, meta, today, by, result
        self.items = {item.id: item for item in reg.items}
        self.titles = {item.title: item.id for item in reg.items}
        self.changes: dict[str, list[_Row]] = {}  # item id → the rows that change it, in the order read
        self.seen: set[tuple[str, str]] = set()

    def problem(self, sheet: str, ref: str, message: Message) -> None:
        self.result.problems.append(ImportProblem(self.name, sheet, ref, message))

    def check_sheet(self, sheet: _Sheet, *, required: bool) -> bool:
        """Check one table sheet; False if it holds no table (and is not required to)."""
        if sheet.too_big:
            self.problem(sheet.name, "A1", Message("import.sheet_rows", rows=f"{sheet.max_row:,}", limit=f"{MAX_ROWS:,}"))
            return True
        found = self._header(sheet)
        if found is None:
            if required:
                self.problem(sheet.name, "A1", Message("import.no_header"))
            return False
        header_row, columns, lang = found
        missing = [COLUMN_BY_KEY[k].header(lang) for k in _REQUIRED if k not in columns]
        if missing:
            self.problem(sheet.name, _ref(header_row, 1), Message("import.column_missing", columns=missing))
            return True
        for coord, min_row, max_row in sheet.merged:
            if max_row >= header_row:
                self.problem(sheet.name, coord.split(":")[0], Message("import.merged", cells=coord))
        formula_refs = set()
        for coord in sheet.formulas:
            row = int(re.sub(r"^[A-Z]+", "", coord))
            if row >= header_row:
                formula_refs.add(coord)
                value = sheet.cells.get(_coord_key(coord))
                self.problem(sheet.name, coord, Message("import.formula", formula=repr(str(value)[:40])))
        ids_on_sheet: dict[str, int] = {}
        for row in range(header_row + 1, sheet.max_row + 1):
            values = {key: sheet.cells.get((row, col)) for key, col in columns.items()}
            if all(_norm(v) == "" for v in values.values()) or _is_section_row(values):
                continue
            if any(_ref(row, columns[k]) in formula_refs for k in columns):
                self.seen.add((sheet.name, _norm(values["id"])))  # reported already; not also "missing"
                continue
            self._check_row(sheet, row, columns, values, lang, ids_on_sheet)
        return True

    def _header(self, sheet: _Sheet):
        for row in range(1, min(sheet.max_row, HEADER_SCAN_ROWS) + 1):
            columns: dict[str, int] = {}
            for col in range(1, min(sheet.max_col, HEADER_SCAN_COLS) + 1):
                value = sheet.cells.get((row, col))
                key = _HEADERS.get(str(value).strip()) if isinstance(value, str) else None
                if key and key not in columns:
                    columns[key] = col
            if "id" in columns and "title" in columns:
                lang = "en" if sheet.cells.get((row, columns["id"])) == COLUMN_BY_KEY["id"].en else "zh"
                return row, columns, lang
        return None

    def _baseline(self, sheet: _Sheet, item: Item, lang: str) -> dict | None:
        if self.meta is None:
            row = item_row(self.reg, item, lang)
            return {k: _norm(v) for k, v in row.items()}
        record = self.meta.rows.get((sheet.name, item.id))
        if record is None:
            return None
        return {k: (v if k in ("row", "unit") else _norm(v)) for k, v in record.items()}

    def _check_row(self, sheet: _Sheet, row: int, columns: dict, values: dict, lang: str,
                   ids_on_sheet: dict[str, int]) -> None:
        at = lambda key: _ref(row, columns[key])  # noqa: E731
        item_id = _norm(values["id"])
        id_header = COLUMN_BY_KEY["id"].header(lang)
        if not item_id:
            self.problem(sheet.name, at("id"), Message("import.no_id", header=id_header))
            return
        item = self.items.get(item_id)
        if item is None:
            close = _suggest_id(item_id, self.items)
            self.problem(sheet.name, at("id"), Message("import.unknown_id_suggest" if close else "import.unknown_id",
                                                       header=id_header, id=item_id, suggestion=close or ""))
            return
        if item_id in ids_on_sheet:
            self.problem(sheet.name, at("id"), Message("import.id_twice", id=item_id, row=ids_on_sheet[item_id]))
            return
        ids_on_sheet[item_id] = row
        self.seen.add((sheet.name, item_id))
        base = self._baseline(sheet, item, lang)
        if base is None:
            self.problem(sheet.name, at("id"), Message("import.not_exported_here", id=item_id))
            return

        title = _norm(values["title"])
        if title != base["title"]:
            other = self.titles.get(title)
            if other is not None and other != item_id:
                self.problem(sheet.name, at("id"), Message("import.title_of_other", header=id_header, id=item_id,
                                                           title_header=COLUMN_BY_KEY["title"].header(lang), other=other))
            else:
                self.problem(sheet.name, at("title"), Message("import.title_edited", header=COLUMN_BY_KEY["title"].header(lang),
                                                              exported=_short(base["title"])))
            return
        # Rows are keyed by 编号, so a sorted or filtered sheet imports as it is.
        bad = False
        for key, col in columns.items():
            if key in EDITABLE_KEYS or key in ("id", "title"):
                continue
            if not _same_value(COLUMN_BY_KEY[key], values[key], base.get(key, "")):
                header = COLUMN_BY_KEY[key].header(lang)
                editable = [COLUMN_BY_KEY[k].header(lang) for k in EDITABLE_KEYS]
                self.problem(sheet.name, at(key), Message("import.read_only_cell", header=header,
                                                          exported=_short(base.get(key, "")), editable=editable))
                bad = True
        if bad:
            return
        self._editable(sheet, row, columns, values, lang, item, base)

    def _editable(self, sheet: _Sheet, row: int, columns: dict, values: dict, lang: str, item: Item,
                  base: dict) -> None:
        """Turn the three editable cells into an update, checked by the same rules as `update`."""
        from workplan.core.rules import not_text
        from workplan.core.update import UpdateRefused, UpdateRequest, plan_update

        at = lambda key: _ref(row, columns[key])  # noqa: E731
        header = lambda key: COLUMN_BY_KEY[key].header(lang)  # noqa: E731
        ok = True
        for key in EDITABLE_KEYS:
            bad = not_text(cell_string(values[key]))
            if bad is not None:
                self.problem(sheet.name, at(key), Message("import.control", header=header(key), bad=bad))
                ok = False
        if not ok:
            return

        status_cell = _norm(values["status"])
        new_status: Status | None = None
        if not status_cell:
            self.problem(sheet.name, at("status"), Message("import.status_empty", header=header("status"), choices=_choices()))
            ok = False
        else:
            try:
                chosen = Status.parse(status_cell)
            except ValueError:
                self.problem(sheet.name, at("status"), Message("import.not_status", header=header("status"),
                                                               text=repr(status_cell), choices=_choices()))
                ok = False
            else:
                exported = _parse_status(base.get("status", ""))
                # A unit's sheet shows a joint item's status as that unit's own share (exports.xlsx).
                share = own_share(self.reg, item, base["unit"]) if base.get("unit") else None
                current = share.status if share is not None else item.status
                if chosen != exported:
                    if exported is not None and current not in (exported, chosen):
                        self.problem(sheet.name, at("status"), Message(
                            "import.status_changed_since", header=header("status"), id=item.id,
                            old=Message(f"status.{exported.value}"), new=Message(f"status.{current.value}")))
                        ok = False
                    elif chosen != current:
                        new_status = chosen

        text = _norm(values["progress"])
        text_changed = text != base.get("progress", "")
        already_recorded = text_changed and text and any(entry.text == text for entry in item.progress)
        if already_recorded:
            text_changed = False  # imported before (the same workbook again): not a new report
        if text_changed and not text:
            self.problem(sheet.name, at("progress"), Message("import.progress_cleared", header=header("progress")))
            ok = False

        updated_text = _norm(values["updated"])
        date_changed = (not _same_value(COLUMN_BY_KEY["updated"], values["updated"], base.get("updated", ""))
                        and not already_recorded)
        updated: dt.date | None = None
        if date_changed and updated_text:
            updated = self._date(values["updated"])
            if updated is None:
                self.problem(sheet.name, at("updated"), Message("import.not_date", header=header("updated"),
                                                                text=repr(updated_text)))
                ok = False
        elif date_changed and ok and (text_changed or new_status is not None):
            self.problem(sheet.name, at("updated"), Message("import.date_cleared", header=header("updated")))
            ok = False
        if ok and date_changed and not text_changed and new_status is None:
            self.problem(sheet.name, at("updated"), Message("import.date_alone", header=header("updated"),
                                                            progress=header("progress"), status=header("status")))
            ok = False
        if not ok or (new_status is None and not text_changed):
            return

        # An unchanged 更新日期 still shows the previous report's date: the new report is dated today.
        # The unit reporting: --by, else the unit the workbook was exported for (--lead, --split-by
        # lead), else `update`'s own rule: the item's only lead unit, and --by for several.
        unit = self.by or base.get("unit") or None
        request = UpdateRequest(status=new_status, note=text if text_changed else None, by=unit, date=updated)
        try:
            plan = plan_update(self.reg, item, request, as_of=self.today)
        except UpdateRefused as exc:
            message = Message(exc.key, **exc.fields)  # the reason alone: there is no --force here
            key = "updated" if exc.key.startswith("update.date_") else "status"
            self.problem(sheet.name, at(key), Message("error.about_item", id=item.id, reason=message))
            return
        self.changes.setdefault(item.id, []).append(_Row(sheet.name, row, at("status"), request, plan))

    def planned(self) -> list[ItemChange]:
        """The changes, item by item. An item changed on several sheets (a workbook split by lead
        unit) gets each unit's report on that unit's share, planned in date order, each on the item
        as the reports before it leave it; two rows reporting on the same share two ways are refused."""
        from workplan.core.labels import Message
        from workplan.core.update import UpdateRefused, plan_update

        out: list[ItemChange] = []
        for item_id, rows in self.changes.items():
            item = self.items[item_id]
            kept: list[_Row] = []
            for row in rows:
                clash = next((k for k in kept if set(k.plan.units) & set(row.plan.units)), None)
                if clash is None:
                    kept.append(row)
                elif clash.key() != row.key():
                    self.problem(row.sheet, row.ref, Message(
                        "import.share_two_ways", id=item_id, units=list(dict.fromkeys(clash.plan.units + row.plan.units)),
                        first=f"{_quote_sheet(clash.sheet)}!{clash.row}:{clash.row}", second=f"{_quote_sheet(row.sheet)}!{row.row}:{row.row}"))
            if len(kept) > 1:
                kept.sort(key=lambda r: r.plan.entry["date"])
            for row in kept:
                plan = row.plan
                if row is not kept[0]:
                    try:
                        plan = plan_update(self.reg, item, row.request, as_of=self.today)
                    except UpdateRefused as exc:
                        self.problem(row.sheet, row.ref, Message("error.about_item", id=item.id,
                                                                 reason=Message(exc.key, **exc.fields)))
                        break
                latest = item.progress[-1].text if item.progress else None
                out.append(ItemChange(item.id, item.title, f"{_quote_sheet(row.sheet)}!{row.row}:{row.row}", item.status,
                                      plan, latest))
                item = _after(item, plan)
        return out

    def _date(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date() if value.time() == dt.time() else None
        if isinstance(value, dt.date):
            return value
        if not isinstance(value, str):
            return None
        from workplan.core.dates import DateFormError, parse_date

        text = value.strip()
        if not re.fullmatch(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?", text):
            return None  # only a full day: a progress report is dated, "9月底" is not a report date
        try:
            return parse_date(text, plan_year=self.reg.plan.year, today=self.today)
        except DateFormError:
            return None

    def check_missing_rows(self) -> None:
        for (sheet, item_id), record in sorted(self.meta.rows.items(), key=lambda kv: (kv[0][0], kv[1]["row"])):
            if (sheet, item_id) in self.seen:
                continue
            if any(p.sheet == sheet for p in self.result.problems
                   if getattr(p.message, "key", None) == "import.sheet_missing"):
                continue
            self.problem(sheet, f"A{record['row']}", Message("import.row_missing", id=item_id, row=record["row"]))


_SECTION_ROW = re.compile(r"^[一二三四五六七八九十]+、")


def _is_section_row(values: dict) -> bool:
    """A section row of the export (一、协同联建一流营商环境 in the first column, nothing else)."""
    filled = [v for v in values.values() if _norm(v) != ""]
    return len(filled) == 1 and isinstance(filled[0], str) and _SECTION_ROW.match(filled[0]) is not None


_FULL_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00(?::00)?)?")


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else None
    if isinstance(value, dt.date):
        return value
    match = _FULL_DATE.fullmatch(_norm(value))
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _same_value(column, cell: Any, exported: str) -> bool:
    """Whether a cell still holds what was exported: by value, so a date Excel re-saved as
    2024/12/31 is the 2024-12-31 it was, and 36.0 is 36."""
    text = _norm(cell)
    if text == exported:
        return True
    if column.kind == "date":
        day = _as_date(cell)
        return day is not None and day == _as_date(exported)
    if column.kind == "int":
        try:
            return float(text) == float(exported)
        except ValueError:
            return False
    return False


def _coord_key(coord: str) -> tuple[int, int]:
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

    letters, row = coordinate_from_string(coord)
    return row, column_index_from_string(letters)


def _suggest_id(text: str, ids) -> str | None:
    """The id meant by a differently written one (2024-5, 2024-36B); no guessing between numbers."""
    match = re.fullmatch(r"(\d{4})\s*[-－—_.]\s*0*(\d{1,3})\s*([A-Za-z]?)", text.strip())
    if match:
        candidate = f"{match[1]}-{int(match[2]):02d}{match[3].lower()}"
        if candidate in ids:
            return candidate
    return None


def _parse_status(text: str) -> Status | None:
    try:
        return Status.parse(text) if text else None
    except ValueError:
        return None


def _choices() -> list[Message]:
    return [Message("hint.status_choice", label=Message(f"status.{s.value}"), code=s.value) for s in Status]


def _detail(exc: BaseException) -> Message:
    """A library's own words about a damaged file, on one line (quoted in English messages)."""
    from workplan.store.paths import Quoted

    return Quoted(f"{type(exc).__name__}: {exc}"[:200])


def _short(text: str, limit: int = 30) -> str:
    text = text.replace("\n", " ")
    return repr(text if len(text) <= limit else text[:limit] + "…")


# -- output -------------------------------------------------------------------------------------------

def describe(changes: list[ItemChange], lang: str = "zh") -> str:
    """The dry run: per item, old → new."""
    words = [t(key, lang) for key in ("import.dry.status", "import.dry.progress", "word.absent", "import.dry.milestone")]
    lines = []
    for change in changes:
        plan = change.plan
        lines.append(f"{change.item_id} {_one_line(change.title)}  ({_one_line(change.where)})")
        if plan.new_status != change.old_status:
            lines.append(f"  {words[0]}: {status_text(change.old_status, lang)} → {status_text(plan.new_status, lang)}")
        entry = plan.entry
        old = change.old_progress if change.old_progress is not None else words[2]
        lines.append(f"  {words[1]}: {_one_line(old)} → {_one_line(entry['text'])}  "
                     f"[{entry['date'].isoformat()} {entry['by']}]")
        for index in plan.milestones_done:
            milestone = plan.item.milestones[index]
            lines.append(f"  {words[3]}: {milestone.text} {milestone.due.isoformat()} → {entry['date'].isoformat()}")
    return "\n".join(lines) + ("\n" if lines else "")


def _one_line(text: str) -> str:
    from workplan.present.text import visible

    return visible(text.replace("\n", " / "))
