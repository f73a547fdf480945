"""What every reader of an issued plan gives back: the body's paragraphs and the rows of the
attachment table (合作事项清单), before anything is interpreted. The draft builder
(workplan.importing.draft) turns this into a registry; the readers (plan_text, plan_docx,
plan_pdf, plan_xlsx) only find paragraphs and cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from workplan.core.labels import Message

# The table's columns, in the registry's order, and the header words that name them.
COLUMNS = ("seq", "title", "measures", "departments", "leads")
HEADER_WORDS = {
    "seq": ("序号",),
    "title": ("合作事项", "事项名称", "工作事项"),
    "measures": ("年度主要举措", "主要举措", "举措及时间节点", "工作举措"),
    "departments": ("责任部门", "责任处室", "责任单位"),
    "leads": ("牵头单位", "牵头部门"),
}
# A note printed under the table (or in a row of its own inside it).
NOTE_STARTS = ("注：", "注:", "备注")
# 一、协同联建一流营商环境 / （一）协同联建一流营商环境: a section row between item rows.
SECTION_ROW = re.compile(r"\s*(?:[（(]\s*([一二三四五六七八九十]+)\s*[)）]|([一二三四五六七八九十]+)\s*[、.．])\s*(\S.*?)\s*")


class ReadError(Exception):
    """A document that cannot be read as a plan: one line naming the file and the problem
    (args[0], a Message)."""

    def text(self, lang: str = "zh") -> str:
        from workplan.core.labels import shown

        return str(shown(self.args[0], lang))

    def __str__(self) -> str:
        return self.text()


@dataclass
class Row:
    """One item row of the table: cells by column key, as printed (line breaks kept)."""

    cells: dict[str, str]
    where: Message | str  # 第 12 行, 表格第 5 行, 第 3 页 (Messages, worded in the reader's language), 清单!A7


@dataclass
class SectionRow:
    number: int
    title: str
    where: Message | str


@dataclass
class PlanDocument:
    source: Path
    paragraphs: list[str] = field(default_factory=list)   # body paragraphs in order, before the table
    rows: list[Row | SectionRow] = field(default_factory=list)
    table_title: str | None = None                        # the title above the table, if any
    notes: list[str] = field(default_factory=list)        # notes printed under the table
    normalised: list[Message] = field(default_factory=list)   # what the reader joined, for the review
    headers_repeated: int = 0


def header_columns(cells: list[str]) -> dict[str, int] | None:
    """Column key → position if `cells` is the table's header row, else None."""
    found: dict[str, int] = {}
    for position, cell in enumerate(cells):
        text = re.sub(r"\s+", "", cell or "")
        for key, words in HEADER_WORDS.items():
            if key not in found and any(word in text for word in words):
                found[key] = position
                break
    return found if {"seq", "title", "measures", "leads"} <= found.keys() else None


def section_row(text: str) -> tuple[int, str] | None:
    """(number, title) if `text` is a section row such as 一、协同联建一流营商环境."""
    from workplan.core.plantext import chinese_number

    match = SECTION_ROW.fullmatch(text or "")
    if not match or "。" in match[3] or len(match[3]) > 40:
        return None
    number = chinese_number(match[1] or match[2])
    return (number, match[3]) if number else None


def is_seq(text: str | None) -> bool:
    return bool(text) and re.fullmatch(r"\s*\d{1,4}\s*", text) is not None


def read_table(doc: PlanDocument, rows: Iterable[tuple[Sequence[str], Message | str]], *,
               joined: Callable[[Row, Message | str], object], spaced: bool = False,
               lone_cell_is_note: bool = False) -> tuple[dict[str, int] | None, list[str]]:
    """Walk the table's rows, each (cells, where), into doc.rows: the header row (each repeat
    counted), section rows, notes, item rows by their 序号, and a row without one joined to the item
    above it (a row a page break cut), recorded in doc.normalised as `joined(item row, where)`.

    spaced: the text came from a page layout, with spaces inside words (a PDF).
    lone_cell_is_note: a row of one cell that is neither an item nor a section is a note (a sheet's
    merged note row), not the rest of the item above.
    Gives the header's columns (None: no header found) and the texts of the rows above it."""
    columns: dict[str, int] | None = None
    above: list[str] = []
    for cells, where in rows:
        cells = [cell or "" for cell in cells]
        header = header_columns(cells)
        if header is not None:
            if columns is not None:
                doc.headers_repeated += 1
            columns = header
            continue
        filled = [c.strip() for c in cells if c.strip()]
        if not filled:
            continue
        if columns is None:
            above.extend(filled)
            continue
        if len(filled) == 1 and (section := section_row(re.sub(r"\s+", "", filled[0]) if spaced else filled[0])):
            doc.rows.append(SectionRow(*section, where))
            continue
        if len(filled) == 1 and (lone_cell_is_note or filled[0].startswith(NOTE_STARTS)) and not is_seq(filled[0]):
            doc.notes.append(filled[0])
            continue
        fields = {key: cells[i] if i < len(cells) else "" for key, i in columns.items()}
        if is_seq(fields["seq"]):
            doc.rows.append(Row({key: fields.get(key, "").strip() for key in COLUMNS}, where))
            continue
        last = next((r for r in reversed(doc.rows) if isinstance(r, Row)), None)
        if last is None:
            raise ReadError(Message("ingest.orphan_row", path=doc.source, where=where))
        for key, value in fields.items():
            if value.strip():
                last.cells[key] = last.cells[key] + "\n" + value.strip()
        doc.normalised.append(joined(last, where))
    return columns, above
