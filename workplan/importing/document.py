"""What every reader of an issued plan gives back: the body's paragraphs and the rows of the
attachment table (合作事项清单), before anything is interpreted. The draft builder
(workplan.importing.draft) turns this into a registry; the readers (plan_text, plan_docx,
plan_pdf, plan_xlsx) only find paragraphs and cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

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
    where: str  # "line 12", "table 2, row 5", "page 3", "sheet 清单!A7"


@dataclass
class SectionRow:
    number: int
    title: str
    where: str


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
