"""The query index: each item's fields that filters, traffic lights, counts and table columns read.

A large registry spends most of a query turning cached JSON into models. `list`, `due`,
`overdue`, `upcoming` and `stats` in table, CSV or Markdown read only ids, titles, units,
departments, section, task, status and deadlines; the cache stores those in one compact line, and
these commands get IndexedItem objects instead of models. They carry the same attribute names as
Item, so the same query functions run on them; the rest (measures, progress, the milestones'
measures and events) is absent, and asking for it raises AttributeError instead of answering
wrongly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .models import Status

_STATUS = {status.value: status for status in Status}


class IndexedMilestone:
    __slots__ = ("due", "text", "done_on")

    def __init__(self, due: dt.date, text: str, done_on: dt.date | None) -> None:
        self.due, self.text, self.done_on = due, text, done_on

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IndexedMilestone) and (self.due, self.text, self.done_on) == (
            other.due, other.text, other.done_on)


class IndexedItem:
    __slots__ = ("id", "seq", "title", "section", "task", "status", "leads", "departments", "departments_text",
                 "milestones")

    @property
    def departments_display(self) -> str:
        return self.departments_text or "、".join(self.departments)


def index_row(item: Any) -> list:
    """An item's query fields as a JSON-ready list (written with the cache entry)."""
    return [item.id, item.seq, item.title, item.section, item.task, item.status.value, item.leads, item.departments,
            item.departments_text,
            [[m.due.isoformat(), m.text, m.done_on.isoformat() if m.done_on else None] for m in item.milestones]]


def indexed_items(rows: list, date: Any = dt.date.fromisoformat) -> list[IndexedItem]:
    """IndexedItems from the rows index_row wrote; `date` turns an ISO text into a date (it may share them)."""
    items = []
    new = IndexedItem.__new__
    for (item_id, seq, title, section, task, status, leads, departments, departments_text, milestones) in rows:
        item = new(IndexedItem)
        item.id, item.seq, item.title, item.section, item.task = item_id, seq, title, section, task
        item.status, item.leads, item.departments = _STATUS[status], leads, departments
        item.departments_text = departments_text
        item.milestones = [IndexedMilestone(date(due), text, date(done_on) if done_on else None)
                           for due, text, done_on in milestones]
        items.append(item)
    return items
