"""Read a plan from a Word document (.docx), as such documents are usually sent: body paragraphs,
then the attachment as a Word table whose header row is repeated, with section rows
(一、协同联建一流营商环境) merged across all columns and cells holding several paragraphs.
"""

from __future__ import annotations

from pathlib import Path

from workplan.core.labels import Message
from workplan.store.paths import Quoted
from .document import NOTE_STARTS, PlanDocument, ReadError, header_columns, read_table
from .plan_zip import read_zip


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
    table_rows: list[tuple[list[str], str]] = []
    in_table = False
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(element, document).text.strip()
            if not text:
                continue
            if in_table:  # under the table only its notes count, in their place among its rows
                if text.startswith(NOTE_STARTS):
                    table_rows.append(([text], "paragraph"))
                continue
            doc.paragraphs.append(text)
        elif tag == "tbl":
            for number, row in enumerate(Table(element, document).rows, start=1):
                cells, seen = [], set()
                for cell in row.cells:  # a merged cell appears once per column it spans
                    cells.append(cell.text if id(cell._tc) not in seen else "")
                    seen.add(id(cell._tc))
                in_table = in_table or header_columns(cells) is not None
                table_rows.append((cells, Message("where.table_row", n=number)))
    columns, _ = read_table(doc, table_rows, joined=lambda row, where: Message("review.row_joined", where=where))
    if columns is None:
        raise ReadError(Message("ingest.no_table_docx", path=path))
    if doc.paragraphs and doc.paragraphs[-1] and "清单" in doc.paragraphs[-1]:
        doc.table_title = doc.paragraphs[-1]
    return doc

