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
from workplan.core.labels import Message, Refusal
from workplan.core.models import Item, ProgressEntry, Registry
from workplan.core.units import combined_status, report_units, walk


class CorrectionRefused(Refusal):
    """The correction breaks a rule; the message (a catalogue key) says which, in one line."""


@dataclass
class Correction:
    item: Item
    entry: dict | None                                      # the report to append (None: none)
    status: Status                                          # the item's status afterwards
    milestone_fields: list[tuple[int, str, object]] = field(default_factory=list)  # (0-based, field, value)


def _target(reg: Registry, item: Item, number: int | None, by: str | None) -> tuple[int, str]:
    """(0-based index, reporting unit) of the report to correct: `number`, or `by`'s latest."""
    if not item.progress:
        raise CorrectionRefused("correct.no_reports", id=item.id)
    if by is not None:
        org = reg.org(by)
        if org is None:
            raise CorrectionRefused("error.option", option="--by",
                                    reason=Message("error.unknown_name", kind=Message("kind.unit"), text=by))
        by = org.name
    if number is None:
        candidates = [j for j, e in enumerate(item.progress) if by is None or _unit(reg, e.by) == by]
        if not candidates:
            raise CorrectionRefused("correct.no_report_by", unit=by, id=item.id)
        index = candidates[-1]
    else:
        if not 1 <= number <= len(item.progress):
            raise CorrectionRefused("correct.entry_range", id=item.id, count=len(item.progress))
        index = number - 1
    reporter = _unit(reg, item.progress[index].by)
    if by is not None and by != reporter:
        raise CorrectionRefused("correct.other_unit", n=index + 1, id=item.id, reporter=reporter, unit=by)
    shares = set(report_units(reg, item, item.progress[index].by))
    later = [j for j, e in enumerate(item.progress) if j > index and shares & set(_shares(reg, item, j))]
    if later:
        raise CorrectionRefused("correct.not_latest", n=index + 1, id=item.id, latest=later[-1] + 1)
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
        raise CorrectionRefused("correct.nothing")
    index, reporter = _target(reg, item, number, by)
    wrong = item.progress[index]
    if day < wrong.date:
        raise CorrectionRefused("correct.before_report", day=day, date=wrong.date)
    if item.progress and day < item.progress[-1].date:
        raise CorrectionRefused("update.date_before_latest", day=day, latest=item.progress[-1].date)
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
        raise CorrectionRefused("update.date_before_latest", day=day, latest=item.progress[-1].date)
    step = next(s for s in walk(reg, item) if s.index == index)
    before = combined_status(step.before[unit] for unit in step.units)
    # The text of the report written into the registry: registry data, in Chinese whatever --lang is.
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
            raise CorrectionRefused("correct.which_milestone", id=item.id, count=n)
        milestone = 1
    if not 1 <= milestone <= n:
        raise CorrectionRefused("update.milestone_range" if n > 1 else "update.milestone_only", id=item.id, count=n)
    target = item.milestones[milestone - 1]
    if target.done_on is not None:
        raise CorrectionRefused("update.milestone_done", number=milestone, id=item.id, done_on=target.done_on)
    if new_due <= target.due:
        raise CorrectionRefused("correct.not_later", due=new_due, original=target.due)
    if approved_on > today:
        raise CorrectionRefused("correct.approved_future", day=approved_on, today=today)
    if approved_on < reg.plan.issued:
        raise CorrectionRefused("correct.approved_early", day=approved_on, issued=reg.plan.issued)
    if not approved_by.strip():
        raise CorrectionRefused("correct.approver")
    index = milestone - 1
    fields = [(index, "adjusted_due", new_due), (index, "adjusted_by", approved_by.strip()),
              (index, "adjusted_on", approved_on), (index, "adjust_reason", (reason or "").strip() or None)]
    return Correction(item, None, item.status, fields)
