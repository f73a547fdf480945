"""What a bulletin (工作动态) reports for a period: completions, what falls due, what is late."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from workplan.core.board import LIGHT_ORDER, lights_by_item
from workplan.core.history import LogRow, log_rows, registry_as_of
from workplan.core.codes import Light, Status
from workplan.core.models import Registry
from workplan.core.query import DEFAULT_WARN_DAYS, MilestoneRow, milestone_light

@dataclass
class SectionProgress:
    number: int
    label: str
    title: str
    items: int
    milestones: int
    done: int
    overdue: int
    due_soon: int

    @property
    def percent(self) -> str:
        return percent_text(self.done, self.milestones)


def percent_text(part: int, whole: int) -> str:
    """A rate with one decimal, as reports print it: 1 of 8 is 12.5%, not 12% or 13%."""
    return f"{100 * part / whole:.1f}%" if whole else "—"


@dataclass
class Bulletin:
    plan_title: str
    doc_number: str
    period: str            # as typed, e.g. 2024-09
    start: dt.date
    end: dt.date
    next_start: dt.date
    next_end: dt.date
    as_of: dt.date
    warn_days: int
    items: int
    milestones: int
    milestones_done: int
    statuses: dict[Status, int]
    lights: dict[Light, int]
    completed: list[MilestoneRow]                 # done within the period (up to as_of)
    unfinished: list[MilestoneRow]                # due within the period, still open on as_of
    due_next: list[MilestoneRow]                  # falling due next period, open on as_of
    overdue: list[MilestoneRow]                   # past due and open on as_of
    overdue_by_unit: list[tuple[str, list[MilestoneRow]]]  # each milestone once, under one unit
    sections: list[SectionProgress]
    notes: list[LogRow]                           # reported within the period, oldest first
    leads: dict[str, list[str]]                   # item id → lead names
    filtered: bool = False
    unit: str = ""                                # the bureau of a per-bureau issue (--lead)
    issue: int | None = None                      # 第N期


def share_of(view: Registry, item, wanted: set[str]):
    """A joint item as the bureaus in `wanted` see it (core.units.share_view): their own share's
    status, and, once their share is done, its milestones done on the day they reported it."""
    from workplan.core.units import share, share_view

    own = share(view, item, wanted)
    if own is None:
        return item
    seen = share_view(item, own)
    if own.status == Status.done and own.date is not None:
        milestones = [m if m.done_on else m.model_copy(update={"done_on": own.date}) for m in item.milestones]
        seen = seen.model_copy(update={"milestones": milestones})
    return seen


def _about(view: Registry, row: LogRow, wanted: list[str]) -> bool:
    """Whether a report concerns one of the bureaus' shares (a joint item's other units' reports do not)."""
    from workplan.core.units import report_units

    if len(view.lead_names_and_units(row.item)[1]) < 2:
        return True
    return bool(set(report_units(view, row.item, row.entry.by)) & set(wanted))


def period_kind(start: dt.date, end: dt.date) -> str:
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    return {1: "month", 3: "quarter", 12: "year"}.get(months, "span")


def next_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    from workplan.core.dates import end_of_month

    months = (end.year - start.year) * 12 + end.month - start.month + 1
    first = end + dt.timedelta(days=1)
    last_month = first.month + months - 1
    year = first.year + (last_month - 1) // 12
    return first, end_of_month(year, (last_month - 1) % 12 + 1)


def default_as_of(end: dt.date, today: dt.date) -> dt.date:
    """A bulletin describes the end of its period, unless the period is not over yet."""
    return min(end, today)


def bulletin(reg: Registry, period: str, start: dt.date, end: dt.date, as_of: dt.date,
             warn_days: int = DEFAULT_WARN_DAYS, item_filter=None, units: Iterable[str] = ()) -> Bulletin:
    """Everything the bulletin shows, computed on the registry as it stood on `as_of`.

    `units` (canonical names, as --lead resolves them) makes it a per-bureau issue: it is named
    after them, and an overdue item is listed under the first of them that leads it.
    """
    from workplan.core.query import milestone_rows

    view = registry_as_of(reg, as_of)
    units = list(units)
    wanted = [m for name in units for m in ((view.org(name).members if view.org(name) else None) or [name])]
    items = [i for i in view.items if item_filter is None or item_filter(view, i)]
    if wanted:  # a per-bureau issue counts the bureau's own share of each joint item
        items = [share_of(view, i, set(wanted)) for i in items]
    rows = milestone_rows(items)
    last_day = min(end, as_of)
    next_start, next_end = next_period(start, end)
    completed = sorted((r for r in rows if r.milestone.done_on and start <= r.milestone.done_on <= last_day),
                       key=lambda r: (r.milestone.done_on, r.item.seq, r.index))
    live = lambda r: not r.is_done() and r.item.status != Status.cancelled  # noqa: E731
    unfinished = sorted((r for r in rows if start <= r.due <= end and live(r)), key=lambda r: (r.due, r.item.seq, r.index))
    due_next = sorted((r for r in rows if next_start <= r.due <= next_end and not r.is_done()),
                      key=lambda r: (r.due, r.item.seq, r.index))
    late = sorted((r for r in rows if r.due < as_of and live(r)), key=lambda r: (r.due, r.item.seq, r.index))
    by_unit: dict[str, list[MilestoneRow]] = {}
    for row in late:
        # A joint item is one overdue item: it is listed once, under the bureau the issue is for,
        # else under its first lead unit, and its co-leads are named beside it.
        expanded = view.expanded_leads(row.item)
        unit = next((u for u in wanted if u in expanded), None) or view.item_lead_names(row.item)[0]
        by_unit.setdefault(unit, []).append(row)
    order = [o.name for o in view.organisations]
    overdue_by_unit = sorted(by_unit.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))

    sections = []
    for section in view.sections:
        mine = [i for i in items if i.section == section.number]
        if not mine:
            continue
        srows = milestone_rows(mine)
        lights = [milestone_light(r, as_of, warn_days) for r in srows]
        sections.append(SectionProgress(
            section.number, section.label, section.title, len(mine), len(srows),
            sum(1 for r in srows if r.is_done()), lights.count(Light.red), lights.count(Light.yellow),
        ))
    notes = sorted((r for r in log_rows(items, since=start, until=last_day) if not wanted or _about(view, r, wanted)),
                   key=lambda r: (r.entry.date, r.item.seq, r.index))
    item_lights = lights_by_item(items, as_of, warn_days)
    return Bulletin(
        plan_title=view.plan.title, doc_number=view.plan.doc_number, period=period, start=start, end=end,
        next_start=next_start, next_end=next_end, as_of=as_of, warn_days=warn_days,
        items=len(items), milestones=len(rows), milestones_done=sum(1 for r in rows if r.is_done()),
        statuses={s: sum(1 for i in items if i.status == s) for s in Status},
        lights={light: sum(1 for v in item_lights.values() if v == light) for light in [*LIGHT_ORDER, Light.none]},
        completed=completed, unfinished=unfinished, due_next=due_next, overdue=late,
        overdue_by_unit=overdue_by_unit, sections=sections, notes=notes,
        leads={i.id: view.item_lead_names(i) for i in items}, unit="、".join(units),
    )
