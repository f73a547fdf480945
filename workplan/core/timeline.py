"""The plan year as a chart: the months it spans, and where on it each item runs and falls due.

A month is SLOT cells (early, middle and late in the month). Each cell of an item's row is one of
the marks below or a light's code; how a mark is drawn is the presentation's business.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from workplan.core.board import LIGHT_ORDER
from workplan.core.codes import Light
from workplan.core.models import Item, Registry
from workplan.core.query import DEFAULT_WARN_DAYS, MilestoneRow, milestone_light

SLOT = 3
EMPTY, SPAN, TODAY = "", "span", "today"  # a cell's mark when it holds no milestone


def timeline_range(reg: Registry, items: Iterable[Item]) -> tuple[dt.date, dt.date]:
    """The plan year, widened to whole months to take in any milestone outside it (by the date it
    is held to: an approved new date counts)."""
    start, end = dt.date(reg.plan.year, 1, 1), dt.date(reg.plan.year, 12, 31)
    for item in items:
        for m in item.milestones:
            for due in {m.due, m.effective_due}:
                start = min(start, due.replace(day=1))
                if due > end:
                    following = dt.date(due.year + (due.month == 12), due.month % 12 + 1, 1)
                    end = following - dt.timedelta(days=1)
    return start, end


def months_between(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass
class ChartRow:
    item: Item
    cells: list[str]  # SLOT cells a month: EMPTY, SPAN, TODAY or a Light's value
    lights: list[Light]  # one per milestone, in the item's order


@dataclass
class Chart:
    months: list[tuple[int, int]]
    today: int | None  # the as-of date's cell, None when it is off the chart
    groups: list[tuple[str, list[ChartRow]]]
    counts: dict[Light, int]  # milestones by light

    @property
    def cells(self) -> int:
        return SLOT * len(self.months)


def chart(reg: Registry, items: list[Item], as_of: dt.date, *, group_by: str = "section",
          warn_days: int = DEFAULT_WARN_DAYS) -> Chart:
    """Every item's row of the chart, grouped (by section or by lead unit); a bar runs from the
    plan's issue to the item's last deadline, a milestone's light sits in its third of its month."""
    months = months_between(*timeline_range(reg, items))
    first = {ym: i * SLOT for i, ym in enumerate(months)}

    def cell(day: dt.date) -> int | None:
        base = first.get((day.year, day.month))
        return None if base is None else base + (0 if day.day <= 10 else 1 if day.day <= 20 else 2)

    width = SLOT * len(months)
    today = cell(as_of)
    issued = cell(reg.plan.issued) or 0
    counts = {light: 0 for light in LIGHT_ORDER}
    groups = []
    for label, group in item_groups(reg, items, group_by):
        rows = []
        for item in group:
            marks = [EMPTY] * width
            held = [MilestoneRow(item, i, m) for i, m in enumerate(item.milestones)]
            last = max((row.due for row in held), default=None)  # no deadline: no bar
            for p in range(issued, first[(last.year, last.month)] + 1 if last else issued):
                marks[p] = SPAN
            if today is not None:
                marks[today] = TODAY
            taken: set[int] = set()
            lights = []
            for row in held:
                light = milestone_light(row, as_of, warn_days)
                counts[light] = counts.get(light, 0) + 1
                lights.append(light)
                base = first[(row.due.year, row.due.month)]
                # Two milestones in one month take two of its cells, the middle one first.
                spot = next((base + o for o in (1, 2, 0) if base + o not in taken), base + 1)
                taken.add(spot)
                marks[spot] = light.value
            rows.append(ChartRow(item, marks, lights))
        groups.append((label, rows))
    return Chart(months, today, groups, counts)


def item_groups(reg: Registry, items: list[Item], by: str) -> list[tuple[str, list[Item]]]:
    """(label, items) in display order: sections in plan order, lead units by number of items."""
    groups: dict[str, list[Item]] = {}
    labels: dict[str, str] = {}
    for item in items:
        if by == "lead":
            key = label = "、".join(reg.item_lead_names(item))
        else:
            section = reg.section(item.section)
            key = f"{item.section:04d}"
            label = f"{section.label}{section.title}" if section else str(item.section)
        groups.setdefault(key, []).append(item)
        labels[key] = label
    keys = sorted(groups, key=(lambda k: -len(groups[k])) if by == "lead" else None)
    return [(labels[k], groups[k]) for k in keys]
