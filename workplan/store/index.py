"""The query index: what filters, traffic lights, counts and table columns read, without pydantic.

A large registry spends most of a query turning cached JSON into models, and a small one
importing pydantic. `list`, `due`, `overdue`, `upcoming` and `stats` in table, CSV or Markdown read
only the plan, sections, tasks and organisations and each item's ids, titles, units, departments,
section, task, status and deadlines; the cache stores those in one compact line, and these commands
get an IndexedRegistry: plain records with the models' field names and the same lookups
(workplan.core.lookups), and IndexedItems, which carry the same attribute names as Item, so the
same query functions run on them. The rest (measures, progress, the milestones' measures and
events) is absent, and asking for it raises AttributeError instead of answering wrongly.

Every value is checked against its type as it is read (workplan.store.typed), as the cache checks
the models.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import typing
from typing import Any, Callable

from workplan.core.codes import OrgKind, Status
from workplan.core.lookups import RegistryLookups
from workplan.core.units import UnitState, unit_states
from workplan.store import typed

_STATUS = {status.value: status for status in Status}


class IndexedMilestone:
    __slots__ = ("due", "text", "done_on", "adjusted_due")

    def __init__(self, due: dt.date, text: str, done_on: dt.date | None, adjusted_due: dt.date | None = None) -> None:
        self.due, self.text, self.done_on, self.adjusted_due = due, text, done_on, adjusted_due


class IndexedItem:
    __slots__ = ("id", "seq", "title", "section", "task", "status", "leads", "departments", "departments_text",
                 "milestones", "shares")

    @property
    def departments_display(self) -> str:
        return self.departments_text or "、".join(self.departments)


# The registry's records as plain data: the field names and types of workplan.core.models, field for
# field (tests/store/test_index.py holds them to it).

@dataclasses.dataclass(slots=True)
class IndexedSafeguard:
    label: str
    title: str
    text: str


@dataclasses.dataclass(slots=True)
class IndexedPlan:
    title: str
    doc_number: str
    issuer: str
    issuer_seal: str | None
    issued: dt.date
    year: int
    preamble: str | None
    guiding_principles: str | None
    safeguards: list[IndexedSafeguard]


@dataclasses.dataclass(slots=True)
class IndexedSection:
    number: int
    label: str
    title: str
    note: str | None


@dataclasses.dataclass(slots=True)
class IndexedTask:
    number: int
    section: int
    title: str
    text: str


@dataclasses.dataclass(slots=True)
class IndexedOrganisation:
    name: str
    full_name: str | None
    kind: OrgKind
    province: str | None
    aliases: list[str]
    members: list[str]
    note: str | None


@dataclasses.dataclass
class IndexedRegistry(RegistryLookups):
    """The registry as the query index holds it; `items` are IndexedItems."""

    version: int
    plan: IndexedPlan
    sections: list[IndexedSection]
    tasks: list[IndexedTask]
    organisations: list[IndexedOrganisation]
    items: list[IndexedItem] = dataclasses.field(default_factory=list, repr=False)


@functools.cache
def record(cls: type) -> Callable[[Any], Any]:
    """A function making the plain record `cls` from its fields as JSON, each value checked."""
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"cannot read {cls!r} back from the cache")
    hints = typing.get_type_hints(cls)
    fields = [(f.name, typed.converter(hints[f.name], record)) for f in dataclasses.fields(cls) if f.name != "items"]
    names = {name for name, _ in fields}

    def build(data: Any) -> Any:
        if type(data) is not dict or data.keys() != names:
            raise TypeError(f"cached {cls.__name__} has other fields")
        return cls(*[convert(data[name]) for name, convert in fields])

    return build


def build_index(registry) -> dict:
    """The registry's query fields as JSON-ready data, written with the cache entry.

    The plan, sections, tasks and organisations are written whole. Dates, lead lists and department
    lists repeat across thousands of items: each is written once in a table and referred to by its
    position, which also makes reading it back cheaper.
    """
    items = registry.items
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
        shares = None
        if len(registry.lead_names_and_units(item)[1]) > 1:  # each lead unit's share (core/units.py)
            shares = []
            for state in unit_states(registry, item):
                shares += [state.unit, state.status.value, day(state.date)]
        rows.append([item.id, item.seq, item.title, item.section, item.task, item.status.value,
                     ref("lead_sets", tuple(item.leads), list(item.leads)),
                     ref("dept_sets", tuple(item.departments), list(item.departments)),
                     item.departments_text, milestones, shares])
    return ({"registry": registry.model_dump(mode="json", exclude={"items"})}
            | {name: [value for _, value in positions.values()] for name, positions in tables.items()}
            | {"items": rows})


def indexed_registry(index: dict) -> IndexedRegistry:
    """The IndexedRegistry that build_index wrote; TypeError, KeyError or ValueError if any value
    is not of its field's type."""
    registry = record(IndexedRegistry)(index["registry"])
    registry.items = indexed_items(index)
    return registry


def indexed_items(index: dict) -> list[IndexedItem]:
    """IndexedItems from what build_index wrote (lists and dates shared between items).

    Every value is checked against the type of the Item field it stands for, as the cache checks
    the items themselves; anything else raises TypeError, KeyError or ValueError."""
    dates = [typed.date(text) for text in _list(index["dates"])] + [None]  # position -1: no date
    lead_sets = [_texts(names) for names in _list(index["lead_sets"])]
    dept_sets = [_texts(names) for names in _list(index["dept_sets"])]
    new, milestone = IndexedItem.__new__, IndexedMilestone
    items = []
    for item_id, seq, title, section, task, status, leads, departments, departments_text, flat, shares in _list(index["items"]):
        if not (type(item_id) is str and type(seq) is int and type(title) is str and type(section) is int
                and (task is None or type(task) is int) and type(leads) is int and type(departments) is int
                and (departments_text is None or type(departments_text) is str) and type(flat) is list
                and len(flat) % 4 == 0 and (shares is None or (type(shares) is list and len(shares) % 3 == 0))):
            raise TypeError(f"cached index row of the wrong types: {item_id!r}")
        item = new(IndexedItem)
        item.id, item.seq, item.title, item.section, item.task = item_id, seq, title, section, task
        item.status, item.leads, item.departments = _STATUS[status], lead_sets[leads], dept_sets[departments]
        item.departments_text = departments_text
        item.milestones = [milestone(_due(dates, flat[k]), _text(flat[k + 1]), _done(dates, flat[k + 2]),
                                     _done(dates, flat[k + 3]))
                           for k in range(0, len(flat), 4)]
        item.shares = None if shares is None else [
            UnitState(_text(shares[k]), _STATUS[shares[k + 1]], _done(dates, shares[k + 2]))
            for k in range(0, len(shares), 3)]
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


def _due(dates: list, ref) -> dt.date:
    if type(ref) is not int or ref < 0:  # a milestone always has a due date
        raise TypeError("cached index due date is no date")
    return dates[ref]


def _done(dates: list, ref) -> dt.date | None:
    if type(ref) is not int or ref < -1:
        raise TypeError("cached index done date is no date")
    return dates[ref]
