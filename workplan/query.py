"""Filtering, date windows and counting as pure functions over a loaded registry.

Nothing here prints or reads the clock: "today" is always passed in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from difflib import get_close_matches
from enum import Enum
from typing import Iterable

from .models import Item, Milestone, OrgKind, Registry, Status


class UnknownName(ValueError):
    """A unit, status, section or task the registry does not know; carries suggestions."""

    def __init__(self, kind: str, text: str, suggestions: list[str]):
        self.kind, self.text, self.suggestions = kind, text, suggestions
        message = f"unknown {kind} {text!r}"
        if suggestions:
            message += f"; did you mean {', '.join(suggestions)}?"
        super().__init__(message)


def resolve_org(reg: Registry, text: str) -> str:
    """Canonical name of a unit given by name or alias; UnknownName with suggestions otherwise."""
    org = reg.org(text)
    if org is not None:
        return org.name
    names = reg.org_names()
    close = get_close_matches(text, names, n=3, cutoff=0.4)
    close += [n for n in names if text and (text in n or n in text) and n not in close]
    raise UnknownName("unit", text, close[:4])


def resolve_province(reg: Registry, text: str) -> str:
    provinces = sorted({o.province for o in reg.organisations if o.province})
    for province in provinces:
        if text.rstrip("省市") == province:
            return province
    raise UnknownName("province", text, get_close_matches(text, provinces, n=3, cutoff=0.3) or provinces)


def resolve_status(text: str) -> Status:
    try:
        return Status.parse(text)
    except ValueError:
        from .models import STATUS_LABELS

        choices = [f"{label} ({s.value})" for s, label in STATUS_LABELS.items()]
        raise UnknownName("status", text, choices) from None


def resolve_section(reg: Registry, text: str) -> int:
    """A section by number (3), Chinese numeral label (三 or （三）) or title words."""
    cleaned = text.strip().strip("（）()")
    numerals = "一二三四五六七八九十"
    if cleaned.isdigit() and reg.section(int(cleaned)):
        return int(cleaned)
    if cleaned in numerals and reg.section(numerals.index(cleaned) + 1):
        return numerals.index(cleaned) + 1
    for section in reg.sections:
        if cleaned and cleaned in section.title:
            return section.number
    raise UnknownName("section", text, [f"{s.number} {s.title}" for s in reg.sections])


def resolve_task(reg: Registry, text: str) -> int:
    if text.strip().isdigit() and reg.task(int(text)):
        return int(text)
    for task in reg.tasks:
        if text.strip() and text.strip() in task.title:
            return task.number
    raise UnknownName("task", text, [str(t.number) for t in reg.tasks][:0] or ["a number from 1 to %d" % len(reg.tasks)])


@dataclass
class Filters:
    """The shared item filters. Values are already resolved (canonical names, numbers, statuses).

    Different filters combine with AND; repeated values of one filter mean any of them.
    """

    leads: list[str] = field(default_factory=list)
    direct: bool = False
    orgs: list[str] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    depts: list[str] = field(default_factory=list)
    sections: list[int] = field(default_factory=list)
    tasks: list[int] = field(default_factory=list)
    statuses: list[Status] = field(default_factory=list)
    text: str | None = None
    due_before: dt.date | None = None
    due_after: dt.date | None = None

    def matches(self, reg: Registry, item: Item) -> bool:
        if self.leads and not any(leads_item(reg, item, lead, direct=self.direct) for lead in self.leads):
            return False
        if self.orgs and not any(involves(reg, item, org) for org in self.orgs):
            return False
        if self.provinces and not (set(self.provinces) & item_provinces(reg, item)):
            return False
        if self.depts and not any(d in dept for d in self.depts for dept in item.departments):
            return False
        if self.sections and item.section not in self.sections:
            return False
        if self.tasks and item.task not in self.tasks:
            return False
        if self.statuses and item.status not in self.statuses:
            return False
        if self.text and not contains_text(item, self.text):
            return False
        if (self.due_before or self.due_after) and not any(
            in_window(m.due, before=self.due_before, after=self.due_after) for m in item.milestones
        ):
            return False
        return True


def filter_items(reg: Registry, filters: Filters) -> list[Item]:
    return [item for item in reg.items if filters.matches(reg, item)]


def leads_item(reg: Registry, item: Item, unit: str, *, direct: bool = False) -> bool:
    """Whether `unit` leads the item: named itself, or (unless direct) through a group it is in."""
    names = reg.item_lead_names(item)
    if unit in names:
        return True
    if direct:
        return False
    return any(unit in (reg.org(name).members if reg.org(name) else ()) for name in names)


def department_orgs(reg: Registry, item: Item) -> list[str]:
    """Responsible-department entries that name an organisation, by canonical name."""
    return [reg.org(d).name for d in item.departments if reg.org(d) is not None]


def involves(reg: Registry, item: Item, unit: str) -> bool:
    """The unit in any role: lead (directly or through a group) or responsible department."""
    return leads_item(reg, item, unit) or unit in department_orgs(reg, item)


def item_provinces(reg: Registry, item: Item) -> set[str]:
    provinces = set()
    for name in reg.expanded_leads(item) + department_orgs(reg, item):
        org = reg.org(name)
        if org is not None and org.province:
            provinces.add(org.province)
    return provinces


def is_joint(reg: Registry, item: Item) -> bool:
    """Led by more than one unit, counting a group as its members."""
    return len(reg.expanded_leads(item)) > 1


def contains_text(item: Item, query: str) -> bool:
    needle = query.casefold()
    return any(needle in hay.casefold() for hay in (item.title, item.measures, *item.departments))


def in_window(day: dt.date, *, before: dt.date | None = None, after: dt.date | None = None) -> bool:
    """Inclusive on both ends."""
    return (before is None or day <= before) and (after is None or day >= after)


@dataclass(frozen=True)
class MilestoneRow:
    """One milestone of one item, the unit of `due`, `overdue` and `upcoming`."""

    item: Item
    index: int  # 0-based position in item.milestones
    milestone: Milestone

    @property
    def due(self) -> dt.date:
        return self.milestone.due

    def days_left(self, as_of: dt.date) -> int:
        return (self.milestone.due - as_of).days

    def is_done(self) -> bool:
        return self.milestone.done_on is not None or self.item.status in (Status.done, Status.cancelled)


def milestone_rows(items: Iterable[Item]) -> list[MilestoneRow]:
    return [MilestoneRow(item, i, m) for item in items for i, m in enumerate(item.milestones)]


def due_between(items: Iterable[Item], *, before: dt.date | None, after: dt.date | None) -> list[MilestoneRow]:
    rows = [r for r in milestone_rows(items) if in_window(r.due, before=before, after=after)]
    return sorted(rows, key=lambda r: r.due)


def overdue(items: Iterable[Item], *, as_of: dt.date) -> list[MilestoneRow]:
    """Milestones past due (strictly before as_of) and not done; most overdue first."""
    rows = [r for r in milestone_rows(items) if r.due < as_of and not r.is_done()]
    return sorted(rows, key=lambda r: r.due)


def upcoming(items: Iterable[Item], *, as_of: dt.date, within: dt.timedelta) -> list[MilestoneRow]:
    rows = [r for r in milestone_rows(items) if as_of <= r.due <= as_of + within and not r.is_done()]
    return sorted(rows, key=lambda r: r.due)


def find_items(reg: Registry, key: str) -> list[Item]:
    """Items by id (2024-36b) or by printed 序号 (36 gives both rows that carry it)."""
    key = key.strip()
    by_id = [item for item in reg.items if item.id == key]
    if by_id:
        return by_id
    if key.isdigit():
        return [item for item in reg.items if item.seq == int(key)]
    return []


def group_counts(reg: Registry) -> dict[str, int]:
    return {o.name: len(o.members) for o in reg.organisations if o.kind == OrgKind.group}


# -- traffic lights (红黄绿灯) ----------------------------------------------------------------------

DEFAULT_WARN_DAYS = 15


class Light(str, Enum):
    red = "red"          # past due and not done
    yellow = "yellow"    # due within the warning window
    green = "green"      # on track
    done = "done"
    cancelled = "cancelled"


LIGHT_LABELS = {Light.red: "红灯", Light.yellow: "黄灯", Light.green: "绿灯", Light.done: "已完成", Light.cancelled: "已取消"}
LIGHT_LABELS_EN = {Light.red: "overdue", Light.yellow: "due soon", Light.green: "on track", Light.done: "done",
                   Light.cancelled: "cancelled"}


def milestone_light(row: MilestoneRow, as_of: dt.date, warn_days: int = DEFAULT_WARN_DAYS) -> Light:
    if row.item.status == Status.cancelled:
        return Light.cancelled
    if row.is_done():
        return Light.done
    if row.due < as_of:
        return Light.red
    if (row.due - as_of).days <= warn_days:
        return Light.yellow
    return Light.green


def item_light(item: Item, as_of: dt.date, warn_days: int = DEFAULT_WARN_DAYS) -> Light:
    """The worst light among the item's milestones (red before yellow before green)."""
    lights = {milestone_light(MilestoneRow(item, i, m), as_of, warn_days) for i, m in enumerate(item.milestones)}
    for light in (Light.cancelled, Light.red, Light.yellow, Light.green):
        if light in lights:
            return light
    return Light.done
