"""Read a plan from a PDF with a text layer (pdfplumber).

The body's lines are joined into paragraphs again: a line that stops short of the right margin,
or a next line that is indented or starts a heading, ends a paragraph. The attachment table is
found from its ruling lines on every page; its header row repeats on each page, and a row the
page break cut in two goes on, without a 序号, at the top of the next page. pdfplumber was
measured against pdfminer.six on a PDF that LibreOffice made from a .docx (bench/run.py): both
spend most of the time reading the pages' characters, and pdfplumber also finds the table cells.
"""

from __future__ import annotations

import re
from pathlib import Path

from workplan.core.labels import Message
from workplan.store.paths import Quoted, os_reason
from .document import NOTE_STARTS, PlanDocument, ReadError, read_table

MAX_PDF_BYTES = 50 * 2**20
MAX_PAGES = 300
_PAGE_NUMBER = re.compile(r"[-—–\s]*\d{1,3}[-—–\s]*|第\s*\d+\s*页.*")
_STARTS_PARAGRAPH = re.compile(r"([一二三四五六七八九十]+、|[（(]\s*[一二三四五六七八九十]+\s*[)）]|\d{1,3}\s*[.．、]|附件)")


def read_pdf(path: Path) -> PlanDocument:
    import pdfplumber  # imported here: only ingest of a PDF pays for it

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadError(Message("store.cannot_read_path", path=path, reason=os_reason(exc))) from None
    if size > MAX_PDF_BYTES:
        raise ReadError(Message("ingest.too_big", path=path, size=f"{size:,}", limit=f"{MAX_PDF_BYTES:,}"))
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many kinds for a damaged or encrypted file
        raise ReadError(Message("ingest.bad_pdf", path=path, detail=Quoted(type(exc).__name__))) from None
    doc = PlanDocument(path)
    with pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise ReadError(Message("ingest.pages", path=path, count=len(pdf.pages)))
        lines: list[dict] = []   # body lines, page by page
        table_rows: list[tuple[list, str]] = []
        characters = 0
        for number, page in enumerate(pdf.pages, start=1):
            characters += len(page.chars)
            tables = page.find_tables()
            boxes = [table.bbox for table in tables]
            rest = page.filter(lambda obj: not any(_inside(obj, box) for box in boxes)) if boxes else page
            page_lines = [line for line in rest.extract_text_lines(return_chars=True)
                          if not _PAGE_NUMBER.fullmatch(line["text"].strip())]
            if table_rows or tables:
                top = min(box[1] for box in boxes) if boxes else None
                lines += [line for line in page_lines if top is not None and line["bottom"] <= top and not table_rows]
                doc.notes += [line["text"].strip() for line in page_lines
                              if line["text"].strip().startswith(NOTE_STARTS)]
            else:
                lines += page_lines
            for table in tables:
                table_rows += [(row, Message("where.page", n=number)) for row in table.extract()]
    if not characters:
        raise ReadError(Message("ingest.no_text_layer", path=path))
    doc.paragraphs = _paragraphs(lines)
    _table(doc, table_rows)
    if doc.paragraphs and "清单" in doc.paragraphs[-1]:
        doc.table_title = doc.paragraphs[-1]
    return doc


def _inside(obj: dict, box: tuple) -> bool:
    x0, top, x1, bottom = box
    return obj["x0"] >= x0 - 1 and obj["x1"] <= x1 + 1 and obj["top"] >= top - 1 and obj["bottom"] <= bottom + 1


def _paragraphs(lines: list[dict]) -> list[str]:
    if not lines:
        return []
    left = min(line["x0"] for line in lines)
    right = max(line["x1"] for line in lines)
    paragraphs: list[str] = []
    current = ""
    for index, line in enumerate(lines):
        text = line["text"].strip()
        size = line["chars"][0]["size"] if line.get("chars") else 10
        current += text if not current or not (current[-1].isascii() and text[:1].isascii()) else " " + text
        following = lines[index + 1] if index + 1 < len(lines) else None
        ends = (following is None or line["x1"] < right - 1.5 * size
                or following["x0"] > left + size * 0.8
                or _STARTS_PARAGRAPH.match(following["text"].strip()))
        if ends:
            paragraphs.append(current)
            current = ""
    return paragraphs


def _table(doc: PlanDocument, rows: list[tuple[list, str]]) -> None:
    columns, _ = read_table(doc, rows, spaced=True, joined=lambda row, where: Message(
        "review.page_row_joined", seq=row.cells["seq"], where=where))
    if columns is None:
        raise ReadError(Message("ingest.no_table_pdf", path=doc.source))
