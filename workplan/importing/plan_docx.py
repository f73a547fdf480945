"""Read a plan from a Word document (.docx), as such documents are usually sent: body paragraphs,
then the attachment as a Word table whose header row is repeated, with section rows
(一、协同联建一流营商环境) merged across all columns and cells holding several paragraphs.
"""

from __future__ import annotations

from pathlib import Path

from workplan.core.labels import Message
from workplan.store.paths import Quoted
from .document import COLUMNS, PlanDocument, ReadError, Row, SectionRow, header_columns, is_seq, section_row
from .plan_zip import read_zip

_NOTE_STARTS = ("注：", "注:", "备注")


def read_docx(path: Path) -> PlanDocument:
    import docx  # python-docx: imported here, so that nothing else pays for it
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    data = read_zip(path, Message("ingest.kind.docx"))
    try:
        import io

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a damaged package
        raise ReadError(Message("ingest.bad_docx", path=path, detail=Quoted(f"{type(exc).__name__}: {exc}"))) from None
    doc = PlanDocument(path)
    columns: dict[str, int] | None = None
    after_table = False
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(element, document).text.strip()
            if not text:
                continue
            if after_table or columns is not None:
                if text.startswith(_NOTE_STARTS):
                    doc.notes.append(text)
                continue
            doc.paragraphs.append(text)
        elif tag == "tbl":
            table = Table(element, document)
            for number, row in enumerate(table.rows, start=1):
                cells, seen = [], set()
                for cell in row.cells:  # a merged cell appears once per column it spans
                    cells.append(cell.text if id(cell._tc) not in seen else "")
                    seen.add(id(cell._tc))
                where = f"table row {number}"
                header = header_columns(cells)
                if header is not None:
                    if columns is not None:
                        doc.headers_repeated += 1
                    columns = header
                    continue
                if columns is None:
                    continue
                _add_row(doc, cells, columns, where)
            after_table = columns is not None
    if columns is None:
        raise ReadError(Message("ingest.no_table_docx", path=path))
    if doc.paragraphs and doc.paragraphs[-1] and "清单" in doc.paragraphs[-1]:
        doc.table_title = doc.paragraphs[-1]
    return doc


def _add_row(doc: PlanDocument, cells: list[str], columns: dict[str, int], where: str) -> None:
    filled = [c.strip() for c in cells if c.strip()]
    if not filled:
        return
    if len(filled) == 1 and (section := section_row(filled[0])):
        doc.rows.append(SectionRow(*section, where))
        return
    if len(filled) == 1 and filled[0].startswith(_NOTE_STARTS):
        doc.notes.append(filled[0])
        return
    fields = {key: cells[i] if i < len(cells) else "" for key, i in columns.items()}
    if is_seq(fields["seq"]):
        doc.rows.append(Row({key: fields.get(key, "").strip() for key in COLUMNS}, where))
        return
    last = next((r for r in reversed(doc.rows) if isinstance(r, Row)), None)
    if last is None:
        raise ReadError(Message("ingest.orphan_row", path=doc.source, where=where))
    for key, value in fields.items():  # a row Word split across a page, continued
        if value.strip():
            last.cells[key] = last.cells[key] + "\n" + value.strip()
    doc.normalised.append(Message("review.row_joined", where=where))
