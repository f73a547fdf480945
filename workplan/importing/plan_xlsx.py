"""Read a plan's attachment table alone from a workbook (.xlsx): a merged title row above the
header, cells with embedded line breaks, section rows merged across the columns, a note row
under the table. A table alone has no document number, issuer or date (see ingest's options).
"""

from __future__ import annotations

import io
from pathlib import Path

from workplan.core.labels import Message
from workplan.store.paths import Quoted
from .document import PlanDocument, ReadError, read_table
from .plan_zip import read_zip

MAX_ROWS = 10_000


def read_xlsx(path: Path) -> PlanDocument:
    from openpyxl import load_workbook  # imported here: only ingest of a workbook needs it

    data = read_zip(path, Message("ingest.kind.xlsx"))
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a damaged workbook
        raise ReadError(Message("ingest.bad_xlsx", path=path, detail=Quoted(f"{type(exc).__name__}: {exc}"))) from None
    for sheet in book.worksheets:
        if sheet.max_row > MAX_ROWS:
            raise ReadError(Message("ingest.sheet_rows", path=path, sheet=sheet.title, rows=f"{sheet.max_row:,}"))
        doc = _read_sheet(sheet, path)
        if doc is not None:
            return doc
    raise ReadError(Message("ingest.no_table_xlsx", path=path))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_sheet(sheet, path: Path) -> PlanDocument | None:
    doc = PlanDocument(path)
    rows = (([_text(v) for v in values], f"{sheet.title}!A{number}")
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1))
    columns, above = read_table(doc, rows, lone_cell_is_note=True,
                                joined=lambda row, where: Message("review.xlsx_row_joined", where=where))
    if columns is None:
        return None
    doc.table_title = next((text for text in above if "清单" in text), above[0] if above else None)
    return doc
