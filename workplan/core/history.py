"""The progress history: the log of reports, and the registry as it stood on a given day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from workplan.core.codes import Status
from workplan.core.models import Item, ProgressEntry, Registry

@dataclass(frozen=True)
class LogRow:
    item: Item
    index: int  # position in item.progress
    entry: ProgressEntry


def log_rows(items: Iterable[Item], *, since: dt.date | None = None, until: dt.date | None = None) -> list[LogRow]:
    """Progress entries, newest first; on one day the later-recorded first, then in item order."""
    rows = [
        LogRow(item, j, entry)
        for n, item in enumerate(items)
        for j, entry in enumerate(item.progress)
        if (since is None or entry.date >= since) and (until is None or entry.date <= until)
    ]
    order = {id(row.item): n for n, row in enumerate(rows)}
    rows.sort(key=lambda r: (-r.entry.date.toordinal(), order[id(r.item)], -r.index))
    return rows


def registry_as_of(reg: Registry, as_of: dt.date) -> Registry:
    """The registry as known on `as_of`: later reports and completions are left out.

    The status is the one of the last report up to that day (未启动 if every report is later);
    an item without reports keeps its status. A done item's milestones without done_on take the
    date of the report that completed it, so everything downstream can count milestones.
    """
    items = []
    for item in reg.items:
        progress = [p for p in item.progress if p.date <= as_of]
        if not item.progress or len(progress) == len(item.progress):
            status = item.status
        elif not progress:
            status = Status.not_started
        elif len(reg.lead_names_and_units(item)[1]) > 1:
            # A joint item's status combines its units' shares, each as its own reports left it.
            from workplan.core.units import status_from_units

            status = status_from_units(reg, item.model_copy(update={"progress": progress}))
        else:
            status = progress[-1].status
        completed = next((p.date for p in reversed(progress) if p.status == Status.done), None)
        milestones = []
        for m in item.milestones:
            done_on = m.done_on if m.done_on and m.done_on <= as_of else None
            if done_on is None and status == Status.done and completed is not None:
                done_on = completed
            milestones.append(m if done_on == m.done_on else m.model_copy(update={"done_on": done_on}))
        items.append(item.model_copy(update={"progress": progress, "status": status, "milestones": milestones}))
    return reg.model_copy(update={"items": items})
