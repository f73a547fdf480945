"""Putting a mistake right, and approved new deadlines, as a 督办 ledger has them.

Nothing is rewritten: a correction is a new report that names the one it corrects (`amends: N`),
so the history shows both. `plan_amend` replaces what report N said (status, text, evidence);
`plan_undo` withdraws it (`withdraws: true`): the shares it was about go back to the state they had
before it, and a milestone it completed is open again. Only a unit's latest report on its share can
be corrected, so the state after the correction is the one the person means.

`plan_adjust` records an approved new date for a milestone (调整后时限), who approved it, when and
why; lights and overdue follow the new date and the printed deadline stays.

Each returns plain data; the store turns it into edits of the registry file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from workplan.core.codes import Status
from workplan.core.models import Item, ProgressEntry, Registry
from workplan.core.units import combined_status, report_units, walk


class CorrectionRefused(ValueError):
    """The correction breaks a rule; the message says which, in one line."""


@dataclass
class Correction:
    item: Item
    entry: dict | None                                      # the report to append (None: none)
    status: Status                                          # the item's status afterwards
    milestone_fields: list[tuple[int, str, object]] = field(default_factory=list)  # (0-based, field, value)


def _target(reg: Registry, item: Item, number: int | None, by: str | None) -> tuple[int, str]:
    """(0-based index, reporting unit) of the report to correct: `number`, or `by`'s latest."""
    if not item.progress:
        raise CorrectionRefused(f"item {item.id} has no progress reports to correct")
    if by is not None:
        org = reg.org(by)
        if org is None:
            raise CorrectionRefused(f"--by: unknown unit {by!r}")
        by = org.name
    if number is None:
        candidates = [j for j, e in enumerate(item.progress) if by is None or _unit(reg, e.by) == by]
        if not candidates:
            raise CorrectionRefused(f"{by} has no report on item {item.id}")
        index = candidates[-1]
    else:
        if not 1 <= number <= len(item.progress):
            raise CorrectionRefused(f"item {item.id} has {len(item.progress)} reports; --entry must be 1 to {len(item.progress)}")
        index = number - 1
    reporter = _unit(reg, item.progress[index].by)
    if by is not None and by != reporter:
        raise CorrectionRefused(f"report {index + 1} of {item.id} was made by {reporter}, not {by}: only its unit corrects it")
    shares = set(report_units(reg, item, item.progress[index].by))
    later = [j for j, e in enumerate(item.progress) if j > index and shares & set(_shares(reg, item, j))]
    if later:
        raise CorrectionRefused(f"report {index + 1} of {item.id} is not the latest on its share (report {later[-1] + 1} is); "
                                "correct the latest one")
    return index, reporter


def _unit(reg: Registry, name: str) -> str:
    org = reg.org(name)
    return org.name if org else name


def _shares(reg: Registry, item: Item, index: int) -> tuple[str, ...]:
    entry = item.progress[index]
    if entry.amends is not None and 1 <= entry.amends <= index:
        return report_units(reg, item, item.progress[entry.amends - 1].by)
    return report_units(reg, item, entry.by)


def _status_after(reg: Registry, item: Item, entry: dict) -> Status:
    progress = [*item.progress, ProgressEntry.model_validate(entry)]
    trial = item.model_copy(update={"progress": progress})
    states: dict[str, Status] = {}
    for step in walk(reg, trial):
        for unit in step.units:
            states[unit] = step.entry.status
    units = reg.lead_names_and_units(item)[1]
    return combined_status(states.get(unit, Status.not_started) for unit in units)


def plan_amend(reg: Registry, item: Item, *, number: int | None, by: str | None, day: dt.date,
               status: Status | None = None, text: str | None = None, evidence: str | None = None) -> Correction:
    """Correct what report N (default: `by`'s latest) said; the original stays, marked corrected."""
    if status is None and not text and evidence is None:
        raise CorrectionRefused("nothing to correct: give --status, --note or --evidence")
    index, reporter = _target(reg, item, number, by)
    wrong = item.progress[index]
    if day < wrong.date:
        raise CorrectionRefused(f"date {day} is before the report it corrects ({wrong.date})")
    if item.progress and day < item.progress[-1].date:
        raise CorrectionRefused(f"date {day} is before the item's latest report ({item.progress[-1].date}); reports are kept in date order")
    entry: dict = {"date": day, "by": reporter, "status": (status or wrong.status).value,
                   "text": (text or "").strip() or wrong.text, "amends": index + 1}
    if evidence is not None or wrong.evidence:
        entry["evidence"] = (evidence if evidence is not None else wrong.evidence) or None
    if wrong.milestone is not None:
        entry["milestone"] = wrong.milestone
    after = _status_after(reg, item, entry)
    fields = _reopened(item, wrong) if after != Status.done and wrong.status == Status.done else []
    if after == Status.done:
        fields = [(i, "done_on", day) for i, m in enumerate(item.milestones) if m.done_on is None]
    return Correction(item, entry, after, fields)


def plan_undo(reg: Registry, item: Item, *, number: int | None, by: str | None, day: dt.date,
              reason: str | None = None) -> Correction:
    """Withdraw report N (default: `by`'s latest): its shares go back to their state before it."""
    index, reporter = _target(reg, item, number, by)
    wrong = item.progress[index]
    if item.progress and day < item.progress[-1].date:
        raise CorrectionRefused(f"date {day} is before the item's latest report ({item.progress[-1].date}); reports are kept in date order")
    step = next(s for s in walk(reg, item) if s.index == index)
    before = combined_status(step.before[unit] for unit in step.units)
    note = f"撤回第 {index + 1} 条记录（{wrong.date} {wrong.text}）" + (f"：{reason.strip()}" if reason and reason.strip() else "")
    entry = {"date": day, "by": reporter, "status": before.value, "text": note, "amends": index + 1, "withdraws": True}
    after = _status_after(reg, item, entry)
    return Correction(item, entry, after, _reopened(item, wrong) if after != Status.done else [])


def _reopened(item: Item, wrong: ProgressEntry) -> list[tuple[int, str, object]]:
    """The milestones the wrong report completed (done on its date), open again."""
    if wrong.milestone is not None:
        targets = [wrong.milestone - 1]
    elif wrong.status == Status.done:
        targets = list(range(len(item.milestones)))
    else:
        return []
    return [(i, "done_on", None) for i in targets
            if i < len(item.milestones) and item.milestones[i].done_on == wrong.date]


def plan_adjust(reg: Registry, item: Item, *, milestone: int | None, new_due: dt.date, approved_by: str,
                approved_on: dt.date, reason: str | None, today: dt.date) -> Correction:
    """An approved new date for milestone N (the only one if the item has one)."""
    n = len(item.milestones)
    if milestone is None:
        if n > 1:
            raise CorrectionRefused(f"item {item.id} has {n} milestones: say which with --milestone")
        milestone = 1
    if not 1 <= milestone <= n:
        raise CorrectionRefused(f"item {item.id} has {n} milestone{'s' if n > 1 else ''}; --milestone must be 1" + (f" to {n}" if n > 1 else ""))
    target = item.milestones[milestone - 1]
    if target.done_on is not None:
        raise CorrectionRefused(f"milestone {milestone} of {item.id} is already done ({target.done_on})")
    if new_due <= target.due:
        raise CorrectionRefused(f"the new date {new_due} is not after the original deadline {target.due}")
    if approved_on > today:
        raise CorrectionRefused(f"approval date {approved_on} is in the future (today is {today})")
    if approved_on < reg.plan.issued:
        raise CorrectionRefused(f"approval date {approved_on} is before the plan was issued ({reg.plan.issued})")
    if not approved_by.strip():
        raise CorrectionRefused("--approved-by: say who approved the new date")
    index = milestone - 1
    fields = [(index, "adjusted_due", new_due), (index, "adjusted_by", approved_by.strip()),
              (index, "adjusted_on", approved_on), (index, "adjust_reason", (reason or "").strip() or None)]
    return Correction(item, None, item.status, fields)
