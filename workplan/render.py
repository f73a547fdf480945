"""The one place that turns results into a table, JSON, CSV, Markdown or YAML.

Commands build records (dicts in the documented JSON shape) and choose columns; renderers only
format. Registry text is never parsed as rich markup.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from .models import STATUS_LABELS, STATUS_LABELS_EN, Item, Registry, Status
from .query import MilestoneRow, is_joint

# -- records: the JSON contract -------------------------------------------------------------------


def milestone_record(milestone) -> dict[str, Any]:
    record = {"due": milestone.due.isoformat(), "text": milestone.text}
    for key in ("measure", "event", "event_text"):
        if getattr(milestone, key):
            record[key] = getattr(milestone, key)
    record["tentative"] = milestone.tentative
    record["done_on"] = milestone.done_on.isoformat() if milestone.done_on else None
    return record


def item_record(reg: Registry, item: Item) -> dict[str, Any]:
    """An item as the documented JSON object (`list`, `search`, `show`)."""
    return {
        "id": item.id,
        "seq": item.seq,
        "title": item.title,
        "measures": item.measures,
        "section": item.section,
        "task": item.task,
        "departments": list(item.departments),
        "leads": reg.item_lead_names(item),
        "lead_units": reg.expanded_leads(item),
        "joint": is_joint(reg, item),
        "milestones": [milestone_record(m) for m in item.milestones],
        "status": item.status.value,
        "progress": [
            {k: (v.isoformat() if isinstance(v, dt.date) else v.value if isinstance(v, Status) else v)
             for k, v in entry.model_dump(exclude_none=True).items()}
            for entry in item.progress
        ],
    }


def milestone_row_record(reg: Registry, row: MilestoneRow, as_of: dt.date) -> dict[str, Any]:
    """A milestone row as the documented JSON object (`due`, `overdue`, `upcoming`)."""
    return {
        "id": row.item.id,
        "seq": row.item.seq,
        "title": row.item.title,
        "leads": reg.item_lead_names(row.item),
        "milestone": row.index + 1,
        "milestones": len(row.item.milestones),
        "due": row.due.isoformat(),
        "text": row.milestone.text,
        "measure": row.milestone.measure or row.item.measures,
        "days_left": row.days_left(as_of),
        "status": row.item.status.value,
        "done": row.is_done(),
    }


# -- columns --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    cell: Callable[[dict], str]
    wrap: bool = False
    max_width: int | None = None

    def header(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


def status_label(code: str, lang: str) -> str:
    status = Status(code)
    return STATUS_LABELS_EN[status] if lang == "en" else STATUS_LABELS[status]


def leads_cell(record: dict) -> str:
    text = "、".join(record["leads"])
    return text + (" ⁺" if record.get("joint") else "")


def _join(values: Iterable[str]) -> str:
    return "、".join(values)


ITEM_COLUMNS: dict[str, Column] = {
    c.key: c
    for c in [
        Column("seq", "序号", "No.", lambda r: str(r["seq"])),
        Column("id", "编号", "ID", lambda r: r["id"]),
        Column("title", "合作事项", "Item", lambda r: r["title"], wrap=True, max_width=40),
        Column("measures", "年度主要举措及时间节点", "Measures and deadlines", lambda r: r["measures"], wrap=True, max_width=60),
        Column("departments", "责任部门", "Responsible", lambda r: _join(r["departments"]), wrap=True, max_width=24),
        Column("leads", "牵头单位", "Lead", leads_cell, wrap=True, max_width=20),
        Column("due", "时间节点", "Due", lambda r: "\n".join(m["due"] for m in r["milestones"])),
        Column("section", "部分", "Section", lambda r: str(r["section"])),
        Column("task", "主要任务", "Task", lambda r: "" if r["task"] is None else str(r["task"])),
        Column("status", "状态", "Status", lambda r: r["status"]),
    ]
}
DEFAULT_ITEM_COLUMNS = ["seq", "title", "leads", "departments", "due", "status"]

MILESTONE_COLUMNS: dict[str, Column] = {
    c.key: c
    for c in [
        Column("due", "截止日期", "Due", lambda r: r["due"]),
        Column("days_left", "剩余天数", "Days left", lambda r: str(r["days_left"])),
        Column("seq", "序号", "No.", lambda r: str(r["seq"])),
        Column("id", "编号", "ID", lambda r: r["id"]),
        Column("title", "合作事项", "Item", lambda r: r["title"], wrap=True, max_width=36),
        Column("text", "时间节点", "Deadline", lambda r: r["text"] + (f" ({r['milestone']}/{r['milestones']})" if r["milestones"] > 1 else "")),
        Column("leads", "牵头单位", "Lead", lambda r: _join(r["leads"]), wrap=True, max_width=20),
        Column("status", "状态", "Status", lambda r: r["status"]),
    ]
}
DEFAULT_MILESTONE_COLUMNS = ["due", "days_left", "seq", "title", "text", "leads", "status"]


def cell_text(column: Column, record: dict, lang: str) -> str:
    value = column.cell(record)
    if column.key == "status":
        return status_label(value, lang)
    return value


# -- formats --------------------------------------------------------------------------------------


def to_json(records: Any) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def to_yaml(records: Any) -> str:
    import yaml

    return yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=1000)


def to_csv(records: Sequence[dict], columns: Sequence[Column], lang: str) -> str:
    """UTF-8 CSV text; the caller writes it with a BOM so Excel reads the Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header(lang) for c in columns])
    for record in records:
        writer.writerow([cell_text(c, record, lang) for c in columns])
    return buffer.getvalue()


def to_markdown(records: Sequence[dict], columns: Sequence[Column], lang: str) -> str:
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")

    lines = ["| " + " | ".join(esc(c.header(lang)) for c in columns) + " |",
             "|" + "|".join("---" for _ in columns) + "|"]
    for record in records:
        lines.append("| " + " | ".join(esc(cell_text(c, record, lang)) for c in columns) + " |")
    return "\n".join(lines) + "\n"


def rich_table(records: Sequence[dict], columns: Sequence[Column], lang: str, *, title: str | None = None):
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, show_lines=True, header_style="bold")
    for column in columns:
        table.add_column(column.header(lang), overflow="fold", max_width=column.max_width,
                         no_wrap=not column.wrap)
    for record in records:
        table.add_row(*(Text(cell_text(c, record, lang)) for c in columns))
    return table
