"""Each lead unit's own share of an item: its state follows its own reports.

A joint item (三省一市局, or several lead units) is worked by each of its lead units at once, so
each has a state: the status, date and text of its latest report. The item's status is their
combination (`combined_status`): 已完成 only when every unit is done, 延期 when any unit is delayed.

Whose share a report is about follows from its `by`:
- a lead unit of the item (三省一市局's items: each member) → that unit's share;
- a group whose members lead the item (三省一市局 reporting for all four) → each of those members;
- anyone else (a coordinating office, or the one lead unit of a single-lead item) → every share.

A report that corrects an earlier one (`amends: N`, written by `workplan amend` or `workplan undo`)
sets the state of the shares of that earlier report, whatever the transition rules say: it is how
a mistake is put right. The earlier report stays in the history, marked as corrected.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator

from workplan.core.codes import OrgKind, Status

if TYPE_CHECKING:  # annotations only: a warm query reads plain records, not pydantic models
    from workplan.core.models import Item, ProgressEntry, Registry


@dataclass(frozen=True)
class UnitState:
    unit: str
    status: Status
    date: dt.date | None = None   # of the latest report on this share (None: no report yet)
    text: str | None = None
    index: int | None = None      # 0-based position of that report in item.progress


@dataclass(frozen=True)
class Step:
    """One report as the history walks through it: the shares it is about and their states before."""

    index: int
    entry: ProgressEntry
    units: tuple[str, ...]
    before: dict[str, Status]


def report_units(reg: Registry, item: Item, by: str) -> tuple[str, ...]:
    """The lead units whose share a report by `by` is about (see the module docstring)."""
    units = reg.lead_names_and_units(item)[1]
    org = reg.org(by)
    name = org.name if org is not None else by
    if name in units:
        return (name,)
    if org is not None and org.kind == OrgKind.group:
        members = tuple(u for u in units if u in org.members)
        if members:
            return members
    return units


def walk(reg: Registry, item: Item) -> Iterator[Step]:
    """The item's reports in order, each with the shares it concerns and their states before it."""
    units = reg.lead_names_and_units(item)[1]
    state = {unit: (item.status if not item.progress else Status.not_started) for unit in units}
    for index, entry in enumerate(item.progress):
        if entry.amends is not None and 1 <= entry.amends <= index:
            targets = report_units(reg, item, item.progress[entry.amends - 1].by)
        else:
            targets = report_units(reg, item, entry.by)
        yield Step(index, entry, targets, dict(state))
        for unit in targets:
            state[unit] = entry.status


def unit_states(reg: Registry, item: Item) -> list[UnitState]:
    """Each lead unit's state, in printed order (groups expanded); one entry for a single lead."""
    stored = getattr(item, "shares", None)  # an IndexedItem of the query index carries them
    if stored is not None:
        return list(stored)
    units = reg.lead_names_and_units(item)[1]
    if not item.progress:
        return [UnitState(unit, item.status) for unit in units]
    latest: dict[str, tuple[int, ProgressEntry]] = {}
    for step in walk(reg, item):
        for unit in step.units:
            latest[unit] = (step.index, step.entry)
    states = []
    for unit in units:
        if unit in latest:
            index, entry = latest[unit]
            states.append(UnitState(unit, entry.status, entry.date, entry.text, index))
        else:
            states.append(UnitState(unit, Status.not_started))
    return states


def unit_state(reg: Registry, item: Item, unit: str) -> UnitState | None:
    """One unit's share (canonical name), or None if the unit does not lead the item."""
    return next((s for s in unit_states(reg, item) if s.unit == unit), None)


def combined_status(statuses) -> Status:
    """The item's status from its units' states.

    Cancelled shares are left out unless every share is cancelled; then: all done → 已完成, any
    delayed → 延期, none started → 未启动, otherwise 推进中.
    """
    active = {s for s in statuses if s != Status.cancelled}
    if not active:
        return Status.cancelled
    if active == {Status.done}:
        return Status.done
    if Status.delayed in active:
        return Status.delayed
    if active == {Status.not_started}:
        return Status.not_started
    return Status.in_progress


def status_from_units(reg: Registry, item: Item) -> Status:
    return combined_status(s.status for s in unit_states(reg, item))


def units_record(reg: Registry, item: Item) -> list[dict]:
    """`units` of the JSON record: [{unit, status, date}] in printed order (date null before any report)."""
    return [{"unit": s.unit, "status": s.status.value, "date": s.date.isoformat() if s.date else None}
            for s in unit_states(reg, item)]


# -- a unit's own view of its items (list/due/overdue/upcoming/status --lead X) ----------------------

@dataclass(frozen=True)
class Share:
    """The part of a joint item that the asked units lead: their combined status and latest report.

    `item_status` is the item's own (combined) status, which the share view replaces."""

    units: tuple[str, ...]
    status: Status
    date: dt.date | None
    text: str | None
    item_status: Status

    def record(self) -> dict:
        return {"units": list(self.units), "status": self.status.value,
                "date": self.date.isoformat() if self.date else None, "text": self.text,
                "item_status": self.item_status.value}


def asked_units(reg: Registry, names: Iterable[str]) -> set[str]:
    """The units `--lead` names stand for: a group stands for its members (canonical names)."""
    units: set[str] = set()
    for name in names:
        org = reg.org(name)
        if org is not None and org.kind == OrgKind.group:
            units.update(org.members)
        units.add(org.name if org is not None else name)
    return units


def share(reg: Registry, item: Item, units: set[str]) -> Share | None:
    """The share of `units` in a joint item they lead only part of; None when they lead all of it
    (or none, or it has one lead unit): then the item is their share as it stands."""
    leaders = reg.lead_names_and_units(item)[1]
    if len(leaders) < 2:
        return None
    states = unit_states(reg, item)
    mine = [s for s in states if s.unit in units]
    if not mine or len(mine) == len(leaders):
        return None
    latest = max((s for s in mine if s.date is not None), key=lambda s: (s.date, s.index or 0), default=None)
    # The item's status from all its shares (what validate holds it to), not item.status: a
    # share view given again answers the same.
    item_status = combined_status(s.status for s in states)
    return Share(tuple(s.unit for s in mine), combined_status(s.status for s in mine),
                 latest.date if latest else None, latest.text if latest else None, item_status)


def share_view(item: Item, own: Share):
    """The item as its share's units see it: the same item with the share's status."""
    if hasattr(item, "model_copy"):
        return item.model_copy(update={"status": own.status})
    view = object.__new__(type(item))  # an IndexedItem of the query index: copy its slots
    for name in type(item).__slots__:
        object.__setattr__(view, name, getattr(item, name))
    view.status = own.status
    return view


def share_views(reg: Registry, items: Iterable[Item], names: Iterable[str]) -> tuple[list, dict[str, Share]]:
    """Each item as the units `names` (a `--lead` filter) see it: a joint item they lead only part
    of carries their own share's status, so its light, overdue milestones and status filter follow
    their own reports rather than the other units'. Returns the items and the shares by item id."""
    units = asked_units(reg, names)
    out, shares = [], {}
    for item in items:
        own = share(reg, item, units)
        if own is None:
            out.append(item)
        else:
            shares[item.id] = own
            out.append(share_view(item, own) if own.status != item.status else item)
    return out, shares
