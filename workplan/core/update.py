"""Planning a progress update: check a request against the rules and say what changes.

The plan is plain data; the store turns it into edits of the registry file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from workplan.core.codes import Status
from workplan.core.labels import Refusal, status_label
from workplan.core.models import Item, Registry
from workplan.core.rules import S, transition_allowed, transition_refusal
from workplan.core.units import combined_status, report_units, unit_states

class UpdateRefused(Refusal):
    """The update breaks a rule; the message says which, in one line.

    forceable: --force would let it through, and the message says so (`reason` leaves that out,
    for callers such as the workbook import that have no --force)."""

    def __init__(self, key: str, /, forceable: bool = False, **fields: object):
        self.forceable = forceable
        super().__init__(key, **fields)

    def reason(self, lang: str = "zh") -> str:
        return super().text(lang)

    def text(self, lang: str = "zh") -> str:
        from workplan.core.labels import t

        return self.reason(lang) + (t("hint.force", lang) if self.forceable else "")


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
        raise UpdateRefused("update.nothing")
    day = req.date or as_of
    if day > as_of:
        raise UpdateRefused("update.date_future", day=day, today=as_of)
    if day < reg.plan.issued:
        raise UpdateRefused("update.date_before_plan", day=day, issued=reg.plan.issued)
    if item.progress and day < item.progress[-1].date:
        raise UpdateRefused("update.date_before_latest", day=day, latest=item.progress[-1].date)

    by = _reporting_unit(reg, item, req.by)
    n = len(item.milestones)
    if req.milestone is not None and not 1 <= req.milestone <= n:
        raise UpdateRefused("update.milestone_range" if n > 1 else "update.milestone_only", id=item.id, count=n)

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
                raise UpdateRefused("update.milestone_done", forceable=True, number=index + 1, id=item.id, done_on=already)
        if not targets:
            raise UpdateRefused("update.all_done", id=item.id)
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
        raise UpdateRefused("update.cancelled", forceable=True, id=item.id)
    refused = next((u for u in units if not transition_allowed(states[u], new_share)), None)
    forced = refused is not None
    if forced and not req.force:
        refusal = transition_refusal(states[refused], new_share)
        if joint:
            raise UpdateRefused("error.about_unit", forceable=True, unit=refused, reason=refusal)
        raise UpdateRefused(refusal.key, forceable=True, **refusal.fields)
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
                raise UpdateRefused("error.option", option="--by", reason=exc) from None
        return org.name
    leads = reg.item_lead_names(item)
    if len(leads) == 1:
        return leads[0]
    raise UpdateRefused("update.several_leads", id=item.id, leads=list(leads))


def _default_note(item: Item, old: Status, new: Status, done_now: list[int]) -> str:
    # The text of a report given without --note: written into the registry, whose data is Chinese
    # whatever --lang is (the reader's language is for the messages about it).
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
