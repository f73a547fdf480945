"""What changed between two versions of an item, in plan terms, and who may change what.

`item_changes` is what `workplan diff` lists: items added or removed, status changes (each lead
unit's share of a joint item too), new reports, corrections, completions, deadline changes and
other edits. `share_refusals` is what `workplan check-change` refuses: in a progress change a unit
may only add its own reports on the items it leads and complete or re-date their milestones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from workplan.core.models import Item, Registry
from workplan.core.units import unit_states

KINDS = ("added", "removed", "status", "unit_status", "report", "correction", "completed", "reopened",
         "deadline", "adjusted", "edited", "plan")


@dataclass(frozen=True)
class Change:
    kind: str                      # one of KINDS
    item_id: str | None
    seq: int | None = None
    title: str | None = None
    unit: str | None = None        # unit_status; report, correction: the reporting unit
    field: str | None = None       # edited: the field; completed, deadline, adjusted: "milestones[N]"
    old: Any = None
    new: Any = None
    date: dt.date | None = None    # report, correction: its date
    text: str | None = None        # report, correction: its text

    def record(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, dt.date):
                return value.isoformat()
            return getattr(value, "value", value)

        return {"kind": self.kind, "id": self.item_id, "seq": self.seq, "title": self.title, "unit": self.unit,
                "field": self.field, "old": plain(self.old), "new": plain(self.new), "date": plain(self.date),
                "text": self.text}


_SHARE_FIELDS = ("done_on", "adjusted_due", "adjusted_by", "adjusted_on", "adjust_reason")


def item_changes(old_reg: Registry, old: Item | None, new_reg: Registry, new: Item | None) -> list[Change]:
    """The plan-level changes from `old` to `new` (either may be None: added or removed)."""
    if old is None and new is None:
        return []
    ref = new or old
    base = dict(item_id=ref.id, seq=ref.seq, title=ref.title)
    if old is None:
        return [Change("added", **base, new=new.status)]
    if new is None:
        return [Change("removed", **base, old=old.status)]
    changes: list[Change] = []
    if old.status != new.status:
        changes.append(Change("status", **base, old=old.status, new=new.status))
    before = {s.unit: s.status for s in unit_states(old_reg, old)}
    after = unit_states(new_reg, new)
    if len(after) > 1:
        for state in after:
            if before.get(state.unit) != state.status:
                changes.append(Change("unit_status", **base, unit=state.unit, old=before.get(state.unit), new=state.status))
    added = added_indexes(old.progress, new.progress)
    if added is None:  # reports were rewritten or removed, not only added: show the history's change
        shared = _common_prefix(old.progress, new.progress)
        for entry in old.progress[shared:]:
            # The report as one line of the registry's text (also the JSON "old"): data, in Chinese.
            changes.append(Change("edited", **base, field="progress", old=f"{entry.date} {entry.by}：{entry.text}"))
        added = list(range(shared, len(new.progress)))
    for entry in (new.progress[j] for j in added):
        kind = "correction" if entry.amends is not None else "report"
        changes.append(Change(kind, **base, unit=entry.by, new=entry.status, date=entry.date, text=entry.text,
                              field=f"progress[{entry.amends}]" if entry.amends else None))
    for index in range(max(len(old.milestones), len(new.milestones))):
        where = f"milestones[{index + 1}]"
        if index >= len(old.milestones) or index >= len(new.milestones):
            changes.append(Change("edited", **base, field="milestones",
                                  old=len(old.milestones), new=len(new.milestones)))
            break
        m_old, m_new = old.milestones[index], new.milestones[index]
        if m_old.done_on != m_new.done_on:
            kind = "completed" if m_new.done_on is not None else "reopened"
            changes.append(Change(kind, **base, field=where, old=m_old.done_on, new=m_new.done_on))
        if m_old.due != m_new.due:
            changes.append(Change("deadline", **base, field=where, old=m_old.due, new=m_new.due))
        if m_old.adjusted_due != m_new.adjusted_due:
            changes.append(Change("adjusted", **base, field=where, old=m_old.effective_due, new=m_new.effective_due,
                                  unit=m_new.adjusted_by, text=m_new.adjust_reason))
        for name in type(m_old).model_fields:
            if name not in _SHARE_FIELDS and name != "due" and getattr(m_old, name) != getattr(m_new, name):
                changes.append(Change("edited", **base, field=f"{where}.{name}", old=getattr(m_old, name),
                                      new=getattr(m_new, name)))
    for name in type(old).model_fields:
        if name in ("status", "progress", "milestones"):
            continue
        if getattr(old, name) != getattr(new, name):
            changes.append(Change("edited", **base, field=name, old=_shown(getattr(old, name)),
                                  new=_shown(getattr(new, name))))
    return changes


def _shown(value: Any) -> Any:
    return "、".join(value) if isinstance(value, list) else value


def added_indexes(old: list, new: list) -> list[int] | None:
    """Positions in `new` of the reports `old` lacks, if `new` keeps every report of `old` in order
    (reports merged from another branch may sit between them, in date order); None otherwise."""
    matched, added = 0, []
    for j, entry in enumerate(new):
        if matched < len(old) and entry == old[matched]:
            matched += 1
        else:
            added.append(j)
    return added if matched == len(old) else None


def _common_prefix(a: list, b: list) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


# -- who may change what ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Refusal:
    """One thing a unit's progress change may not do: `key` names the words in core.labels."""

    item_id: str | None
    path: tuple                    # where in the item (for the line number); () = the item itself
    key: str
    fields: dict


def share_refusals(old_reg: Registry, old: Item | None, new_reg: Registry, new: Item | None, unit: str) -> list[Refusal]:
    """What in the change from `old` to `new` is not `unit`'s own share (canonical unit name)."""
    if old is None or new is None:
        ref = new or old
        return [Refusal(ref.id, (), "check.added" if old is None else "check.removed", {"unit": unit})]
    leads = old_reg.lead_names_and_units(old)[1]
    if unit not in leads:
        return [Refusal(new.id, (), "check.not_lead", {"unit": unit, "leads": list(leads)})]
    refusals = []
    added = added_indexes(old.progress, new.progress)
    if added is None:
        shared = _common_prefix(old.progress, new.progress)
        refusals.append(Refusal(new.id, ("progress", shared), "check.history_rewritten", {"n": shared + 1}))
        added = list(range(shared, len(new.progress)))
    for j in added:
        entry = new.progress[j]
        by = new_reg.org(entry.by)
        if (by.name if by else entry.by) != unit:
            refusals.append(Refusal(new.id, ("progress", j, "by"), "check.other_reporter", {"unit": unit, "by": entry.by}))
        elif entry.amends is not None and 1 <= entry.amends <= len(new.progress):
            target = new_reg.org(new.progress[entry.amends - 1].by)
            if (target.name if target else None) != unit:
                refusals.append(Refusal(new.id, ("progress", j, "amends"), "check.other_correction",
                                        {"unit": unit, "n": entry.amends}))
    if len(old.milestones) != len(new.milestones):
        refusals.append(Refusal(new.id, ("milestones",), "check.field", {"field": "milestones", "unit": unit}))
    else:
        for index, (m_old, m_new) in enumerate(zip(old.milestones, new.milestones)):
            for name in type(m_old).model_fields:
                if name not in _SHARE_FIELDS and getattr(m_old, name) != getattr(m_new, name):
                    refusals.append(Refusal(new.id, ("milestones", index, name), "check.field",
                                            {"field": f"milestones[{index + 1}].{name}", "unit": unit}))
    for name in type(old).model_fields:
        if name not in ("status", "progress", "milestones") and getattr(old, name) != getattr(new, name):
            refusals.append(Refusal(new.id, (name,), "check.field", {"field": name, "unit": unit}))
    return refusals
