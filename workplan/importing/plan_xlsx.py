"""Read a plan's attachment table alone from a workbook (.xlsx): a merged title row above the
header, cells with embedded line breaks, section rows merged across the columns, a note row
under the table. A table alone has no document number, issuer or date (see ingest's options).
"""

from __future__ import annotations

import io
from pathlib import Path

from workplan.core.labels import Message
from workplan.store.paths import Quoted
from .document import COLUMNS, PlanDocument, ReadError, Row, SectionRow, header_columns, is_seq, section_row
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
    columns = None
    before: list[str] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_text(v) for v in values]
        where = f"{sheet.title}!A{number}"
        header = header_columns(cells)
        if header is not None:
            if columns is not None:
                doc.headers_repeated += 1
            columns = header
            continue
        filled = [c for c in cells if c]
        if not filled:
            continue
        if columns is None:
            before.extend(filled)
            continue
        fields = {key: cells[i] if i < len(cells) else "" for key, i in columns.items()}
        if is_seq(fields["seq"]):
            doc.rows.append(Row({key: fields.get(key, "") for key in COLUMNS}, where))
        elif len(filled) == 1 and (section := section_row(filled[0])):
            doc.rows.append(SectionRow(*section, where))
        elif len(filled) == 1:
            doc.notes.append(filled[0])  # a note under the table (注：…)
        else:
            last = next((r for r in reversed(doc.rows) if isinstance(r, Row)), None)
            if last is None:
                raise ReadError(Message("ingest.orphan_row", path=path, where=where))
            for key, value in fields.items():
                if value:
                    last.cells[key] += "\n" + value
            doc.normalised.append(Message("review.xlsx_row_joined", where=where))
    if columns is None:
        return None
    doc.table_title = next((text for text in before if "清单" in text), before[0] if before else None)
    return doc
