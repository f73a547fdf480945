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
    __slots__ = ("due", "text", "done_on", "adjusted_due")

    def __init__(self, due: dt.date, text: str, done_on: dt.date | None, adjusted_due: dt.date | None = None) -> None:
        self.due, self.text, self.done_on, self.adjusted_due = due, text, done_on, adjusted_due


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
            milestones += [day(m.due), m.text, day(m.done_on), day(m.adjusted_due)]
        rows.append([item.id, item.seq, item.title, item.section, item.task, item.status.value,
                     ref("lead_sets", tuple(item.leads), list(item.leads)),
                     ref("dept_sets", tuple(item.departments), list(item.departments)),
                     item.departments_text, milestones])
    return {name: [value for _, value in positions.values()] for name, positions in tables.items()} | {"items": rows}


def indexed_items(index: dict) -> list[IndexedItem]:
    """IndexedItems from what build_index wrote (lists and dates shared between items).

    Every value is checked against the type of the Item field it stands for, as the cache checks
    the items themselves; anything else raises TypeError, KeyError or ValueError."""
    dates = [_date(text) for text in _list(index["dates"])] + [None]  # position -1: no date
    lead_sets = [_texts(names) for names in _list(index["lead_sets"])]
    dept_sets = [_texts(names) for names in _list(index["dept_sets"])]
    new, milestone = IndexedItem.__new__, IndexedMilestone
    items = []
    for item_id, seq, title, section, task, status, leads, departments, departments_text, flat in _list(index["items"]):
        if not (type(item_id) is str and type(seq) is int and type(title) is str and type(section) is int
                and (task is None or type(task) is int) and type(leads) is int and type(departments) is int
                and (departments_text is None or type(departments_text) is str) and type(flat) is list
                and len(flat) % 4 == 0):
            raise TypeError(f"cached index row of the wrong types: {item_id!r}")
        item = new(IndexedItem)
        item.id, item.seq, item.title, item.section, item.task = item_id, seq, title, section, task
        item.status, item.leads, item.departments = _STATUS[status], lead_sets[leads], dept_sets[departments]
        item.departments_text = departments_text
        item.milestones = [milestone(_due(dates, flat[k]), _text(flat[k + 1]), _done(dates, flat[k + 2]),
                                     _done(dates, flat[k + 3]))
                           for k in range(0, len(flat), 4)]
        items.append(item)
    return items


def _list(value) -> list:
    if type(value) is not list:
        raise TypeError("cached index value is not a list")
    return value


def _text(value) -> str:
    if type(value) is not str:
        raise TypeError("cached index text is not a string")
    return value


def _texts(values) -> list[str]:
    for value in _list(values):
        _text(value)
    return values


def _date(value) -> dt.date:
    return dt.date.fromisoformat(_text(value))


def _due(dates: list, ref) -> dt.date:
    if type(ref) is not int or ref < 0:  # a milestone always has a due date
        raise TypeError("cached index due date is no date")
    return dates[ref]


def _done(dates: list, ref) -> dt.date | None:
    if type(ref) is not int or ref < -1:
        raise TypeError("cached index done date is no date")
    return dates[ref]
