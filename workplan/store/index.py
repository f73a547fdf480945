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

from workplan.core.codes import Status

_STATUS = {status.value: status for status in Status}


class IndexedMilestone:
    __slots__ = ("due", "text", "done_on")

    def __init__(self, due: dt.date, text: str, done_on: dt.date | None) -> None:
        self.due, self.text, self.done_on = due, text, done_on


class IndexedItem:
    __slots__ = ("id", "seq", "title", "section", "task", "status", "leads", "departments", "departments_text",
                 "milestones")

    @property
    def departments_display(self) -> str:
        return self.departments_text or "、".join(self.departments)


def build_index(items: list) -> dict:
    """The items' query fields as JSON-ready data, written with the cache entry.

    Dates, lead lists and department lists repeat across thousands of items: each is written once
    in a table and referred to by its position, which also makes reading it back cheaper.
    """
    tables: dict[str, dict] = {"dates": {}, "lead_sets": {}, "dept_sets": {}}

    def ref(table: str, key, value) -> int:
        positions = tables[table]
        if key not in positions:
            positions[key] = (len(positions), value)
        return positions[key][0]

    def day(value: dt.date | None) -> int:
        return -1 if value is None else ref("dates", value, value.isoformat())

    rows = []
    for item in items:
        milestones = []
        for m in item.milestones:
            milestones += [day(m.due), m.text, day(m.done_on)]
        rows.append([item.id, item.seq, item.title, item.section, item.task, item.status.value,
                     ref("lead_sets", tuple(item.leads), list(item.leads)),
                     ref("dept_sets", tuple(item.departments), list(item.departments)),
                     item.departments_text, milestones])
    return {name: [value for _, value in positions.values()] for name, positions in tables.items()} | {"items": rows}


def indexed_items(index: dict) -> list[IndexedItem]:
    """IndexedItems from what build_index wrote (lists and dates shared between items)."""
    dates = [dt.date.fromisoformat(text) for text in index["dates"]] + [None]  # position -1: no date
    lead_sets, dept_sets = index["lead_sets"], index["dept_sets"]
    new, milestone = IndexedItem.__new__, IndexedMilestone
    items = []
    for item_id, seq, title, section, task, status, leads, departments, departments_text, flat in index["items"]:
        item = new(IndexedItem)
        item.id, item.seq, item.title, item.section, item.task = item_id, seq, title, section, task
        item.status, item.leads, item.departments = _STATUS[status], lead_sets[leads], dept_sets[departments]
        item.departments_text = departments_text
        item.milestones = [milestone(dates[flat[k]], flat[k + 1], dates[flat[k + 2]]) for k in range(0, len(flat), 3)]
        items.append(item)
    return items
