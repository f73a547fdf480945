"""Read a plan from plain text, as copied or extracted from the issued PDF (the seed is one).

Paragraphs are separated by blank lines; the attachment table is tab separated, one row per line
from its header on. Real extractions wrap long cells: a line with no 序号 continues the row above
it, either as plain text (the measures go on) or as tab fields (each column goes on in its own
field); a page break repeats the header in the middle of a row. Continued text is joined the way
Chinese is written, without a space (上海市知识产权 / 局 → 上海市知识产权局).
"""

from __future__ import annotations

from pathlib import Path

from workplan.core.plantext import join_lines

from workplan.core.labels import Message
from .document import COLUMNS, NOTE_STARTS, PlanDocument, ReadError, Row, SectionRow, header_columns, is_seq, section_row


def read_text(path: Path) -> PlanDocument:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(Message("ingest.not_utf8", path=path, byte=exc.start)) from None
    return parse_text(text, path)


def parse_text(text: str, path: Path) -> PlanDocument:
    doc = PlanDocument(path)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    columns: dict[str, int] | None = None
    block: list[str] = []
    current: Row | None = None
    continued: set[int] = set()  # rows that were continued, for the review

    def end_block() -> None:
        if block:
            doc.paragraphs.append(join_lines("\n".join(block)))
            block.clear()

    for number, line in enumerate(lines, start=1):
        cells = line.split("\t")
        if columns is None:
            header = header_columns(cells) if len(cells) > 1 else None
            if header is None:
                if line.strip():
                    block.append(line)
                else:
                    end_block()
                continue
            end_block()
            columns = header
            continue
        if not line.strip():
            continue
        if header_columns(cells) == columns:
            doc.headers_repeated += 1
            continue
        fields = {key: cells[i] if i < len(cells) else "" for key, i in columns.items()}
        if is_seq(fields["seq"]):
            current = Row({key: fields.get(key, "").strip() for key in COLUMNS}, Message("where.line", n=number))
            doc.rows.append(current)
            continue
        filled = [value for value in cells if value.strip()]
        if len(filled) == 1 and (section := section_row(filled[0])):
            doc.rows.append(SectionRow(*section, Message("where.line", n=number)))
            current = None
            continue
        if len(filled) == 1 and filled[0].strip().startswith(NOTE_STARTS):
            doc.notes.append(filled[0].strip())
            continue
        if current is None:
            raise ReadError(Message("ingest.orphan_line", path=path, line=number))
        # A continuation line: tab fields go on column by column; plain text goes on in the measures.
        pieces = fields.items() if len(cells) > 1 else [("measures", line)]
        for key, value in pieces:
            if value.strip():
                current.cells[key] = join_lines(current.cells[key] + "\n" + value)
        continued.add(id(current))
    end_block()
    if columns is None:
        raise ReadError(Message("ingest.no_table_text", path=path))
    joined = [row.cells["seq"] for row in doc.rows if isinstance(row, Row) and id(row) in continued]
    if joined:
        doc.normalised.append(Message("review.lines_joined", seqs=", ".join(joined)))
    return doc
