"""Planning a progress update: check a request against the rules and say what changes.

The plan is plain data; the store turns it into edits of the registry file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from workplan.core.codes import Status
from workplan.core.labels import status_label
from workplan.core.models import Item, Registry
from workplan.core.rules import S, transition_allowed, transition_refusal
from workplan.core.units import combined_status, report_units, unit_states

class UpdateRefused(ValueError):
    """The update breaks a rule; the message says which, in one line."""


@dataclass
class UpdateRequest:
    status: Status | None = None
    note: str | None = None
    by: str | None = None
    date: dt.date | None = None  # default: as_of
    evidence: str | None = None
    milestone: int | None = None  # 1-based
    done: bool = False
    force: bool = False


@dataclass
class UpdatePlan:
    item: Item
    old_status: Status     # the item's
    new_status: Status
    entry: dict
    milestones_done: list[int] = field(default_factory=list)  # 0-based indexes getting done_on
    units: tuple[str, ...] = ()                 # the lead units whose share the report is about
    unit_old: Status | None = None              # their state before and after (joint items)
    unit_new: Status | None = None


def plan_update(reg: Registry, item: Item, req: UpdateRequest, *, as_of: dt.date) -> UpdatePlan:
    """Check an update against the rules and work out what to write; UpdateRefused otherwise.

    `--done` marks milestone `--milestone N` done, or every open milestone without one. Without
    `--status`, the status follows: all milestones done → 已完成; otherwise a not-started item
    that reports a milestone done becomes 推进中. `--status 已完成` marks the open milestones done.
    """
    if req.status is None and not req.note and not req.done:
        raise UpdateRefused("nothing to update: give --status, --note or --done")
    day = req.date or as_of
    if day > as_of:
        raise UpdateRefused(f"date {day} is in the future (today is {as_of}; use --as-of for another day)")
    if day < reg.plan.issued:
        raise UpdateRefused(f"date {day} is before the plan was issued ({reg.plan.issued})")
    if item.progress and day < item.progress[-1].date:
        raise UpdateRefused(f"date {day} is before the item's latest report ({item.progress[-1].date}); reports are kept in date order")

    by = _reporting_unit(reg, item, req.by)
    n = len(item.milestones)
    if req.milestone is not None and not 1 <= req.milestone <= n:
        raise UpdateRefused(f"item {item.id} has {n} milestone{'s' if n > 1 else ''}; --milestone must be 1" + (f" to {n}" if n > 1 else ""))

    # A joint item's report is about the reporting unit's own share (core.units): the transition
    # rules apply to that share, and the item's status is the combination of all the shares.
    states = {s.unit: s.status for s in unit_states(reg, item)}
    units = report_units(reg, item, by)
    joint = len(states) > 1
    if not joint:  # a single lead's share is the item: a status-only change counts too
        states = dict.fromkeys(states, item.status)
    share_only = joint and len(units) < len(states)
    old_share = combined_status(states[u] for u in units)

    done_now: list[int] = []
    if req.done and not (share_only and req.milestone is None):
        targets = [req.milestone - 1] if req.milestone else [i for i, m in enumerate(item.milestones) if m.done_on is None]
        for index in targets:
            already = item.milestones[index].done_on
            if already is not None and not req.force:
                raise UpdateRefused(f"milestone {index + 1} of {item.id} is already done ({already}); use --force to change the date")
        if not targets:
            raise UpdateRefused(f"every milestone of {item.id} is already done")
        done_now = targets

    old = item.status
    new_share = req.status
    if new_share is None:
        done_after = {i for i, m in enumerate(item.milestones) if m.done_on} | set(done_now)
        if req.done and share_only and req.milestone is None:
            new_share = Status.done  # this unit's share is done; the item when every share is
        elif done_now and len(done_after) == n and old_share in (S.not_started, S.in_progress, S.delayed):
            new_share = Status.done
        elif done_now and old_share == S.not_started:
            new_share = Status.in_progress
        else:
            new_share = old_share
    new = combined_status([new_share if u in units else st for u, st in states.items()])
    if new == Status.done:
        done_now = sorted(set(done_now) | {i for i, m in enumerate(item.milestones) if m.done_on is None})
    if done_now and old_share == S.cancelled and not req.force:
        raise UpdateRefused(f"item {item.id} is cancelled (取消); use --force to record a completed milestone")
    refused = next((u for u in units if not transition_allowed(states[u], new_share)), None)
    forced = refused is not None
    if forced and not req.force:
        refusal = transition_refusal(states[refused], new_share)
        raise UpdateRefused(f"{refused}: {refusal}" if joint else refusal)
    if not joint:
        new = new_share  # a single lead's report sets the item's status, as it always has

    text = (req.note or "").strip() or _default_note(item, old_share, new_share, done_now)
    entry: dict = {"date": day, "by": by, "status": new_share.value, "text": text}
    if req.evidence:
        entry["evidence"] = req.evidence.strip()
    if req.milestone is not None:
        entry["milestone"] = req.milestone
    if forced:
        entry["forced"] = True
    return UpdatePlan(item, old, new, entry, done_now, units, old_share, new_share)


def _reporting_unit(reg: Registry, item: Item, by: str | None) -> str:
    if by:
        org = reg.org(by)
        if org is None:
            from workplan.core.query import UnknownName, resolve_org

            try:
                resolve_org(reg, by)
            except UnknownName as exc:
                raise UpdateRefused(f"--by: {exc}") from None
        return org.name
    leads = reg.item_lead_names(item)
    if len(leads) == 1:
        return leads[0]
    raise UpdateRefused(f"item {item.id} has several lead units ({'、'.join(leads)}); say who reports with --by")


def _default_note(item: Item, old: Status, new: Status, done_now: list[int]) -> str:
    parts = []
    if done_now:
        names = "、".join(
            f"时间节点{i + 1}（{item.milestones[i].text}）" if len(item.milestones) > 1 else f"时间节点（{item.milestones[i].text}）"
            for i in done_now
        )
        parts.append(f"{names}已完成")
    if new != old:
        parts.append(f"状态由{status_label(old)}改为{status_label(new)}")
    return "；".join(parts) or f"状态：{status_label(new)}"
