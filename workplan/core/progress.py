"""Progress tracking rules and data: status transitions, update planning, the log, lights, bulletins.

Pure functions over a loaded registry; "today" is always passed in. Writing goes through
workplan.store.writer; rendering lives in workplan.exports.bulletin and the commands.

Status transitions (from → allowed to). A report may always repeat the current status (a note).
Anything else needs `--force`, and is then recorded with `forced: true` on the progress entry so
that the history stays valid:

    未启动 not_started  → 推进中, 延期, 已完成, 取消
    推进中 in_progress  → 延期, 已完成, 取消
    延期   delayed      → 推进中, 已完成, 取消
    已完成 done         → (nothing: reopening needs --force)
    取消   cancelled    → (nothing: reviving needs --force)

Nothing goes back to 未启动 without --force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable

from workplan.core.models import STATUS_LABELS, STATUS_LABELS_EN, Item, ProgressEntry, Registry, Status
from workplan.core.query import DEFAULT_WARN_DAYS, LIGHT_LABELS, LIGHT_LABELS_EN, Light, MilestoneRow, item_light, milestone_light

S = Status
ALLOWED_TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.not_started: frozenset({S.not_started, S.in_progress, S.delayed, S.done, S.cancelled}),
    S.in_progress: frozenset({S.in_progress, S.delayed, S.done, S.cancelled}),
    S.delayed: frozenset({S.delayed, S.in_progress, S.done, S.cancelled}),
    S.done: frozenset({S.done}),
    S.cancelled: frozenset({S.cancelled}),
}


def transition_allowed(old: Status, new: Status) -> bool:
    return new in ALLOWED_TRANSITIONS[old]


def label(status: Status, lang: str = "zh") -> str:
    return STATUS_LABELS_EN[status] if lang == "en" else STATUS_LABELS[status]


def transition_refusal(old: Status, new: Status) -> str:
    allowed = [s for s in Status if s in ALLOWED_TRANSITIONS[old] and s != old]
    to = "、".join(f"{STATUS_LABELS[s]} ({s.value})" for s in allowed) or "no other status"
    return (f"status cannot change from {STATUS_LABELS[old]} ({old.value}) to {STATUS_LABELS[new]} ({new.value}); "
            f"allowed: {to}; use --force to override (recorded in the history)")


# -- validation rules for the registry (called from registry.cross_check) ------------------------

def check_history(reg: Registry, today: dt.date | None = None) -> Iterable[tuple[tuple, str, None]]:
    """Progress rules spanning fields: order, transitions, milestone numbers, completion.

    A report or completion dated after today is a typo, never a plan: it is refused.
    """
    today = today or dt.date.today()
    for i, item in enumerate(reg.items):
        status = Status.not_started
        previous: dt.date | None = None
        for j, entry in enumerate(item.progress):
            loc = ("items", i, "progress", j)
            if previous is not None and entry.date < previous:
                yield loc + ("date",), f"report dated {entry.date} is before the previous report ({previous}); the history is in date order", None
            previous = entry.date
            if entry.date > today:
                yield loc + ("date",), f"report dated {entry.date}, in the future (today is {today})", None
            if entry.milestone is not None and entry.milestone > len(item.milestones):
                yield loc + ("milestone",), f"no milestone {entry.milestone}: the item has {len(item.milestones)}", None
            if not entry.forced and not transition_allowed(status, entry.status):
                yield loc + ("status",), transition_refusal(status, entry.status), None
            status = entry.status
        if item.progress and not transition_allowed(status, item.status):
            yield ("items", i, "status"), (
                f"status {item.status.value} does not follow the last progress report ({status.value}); "
                "add a progress entry for the change"
            ), None
        if item.status == Status.done and not completion_date(item):
            yield ("items", i, "status"), (
                "a done item needs a completion date: done_on on every milestone, or a progress report with status done"
            ), None
        for j, milestone in enumerate(item.milestones):
            if milestone.done_on is not None and milestone.done_on < reg.plan.issued:
                yield ("items", i, "milestones", j, "done_on"), (
                    f"completed {milestone.done_on}, before the plan was issued ({reg.plan.issued})"
                ), None
            if milestone.done_on is not None and milestone.done_on > today:
                yield ("items", i, "milestones", j, "done_on"), (
                    f"completed {milestone.done_on}, in the future (today is {today})"
                ), None


def completion_date(item: Item) -> dt.date | None:
    """When the item was completed: its last report with status done, else its last milestone done."""
    done_reports = [p.date for p in item.progress if p.status == Status.done]
    if done_reports:
        return done_reports[-1]
    if item.milestones and all(m.done_on for m in item.milestones):
        return max(m.done_on for m in item.milestones)
    return None


# -- planning an update -----------------------------------------------------------------------------

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
    old_status: Status
    new_status: Status
    entry: dict
    milestones_done: list[int] = field(default_factory=list)  # 0-based indexes getting done_on

    def edits(self):
        from workplan.store.writer import AppendProgress, Edit

        edits = [Edit(self.item.id, ("milestones", i, "done_on"), self.entry["date"]) for i in self.milestones_done]
        if self.new_status != self.item.status:
            edits.append(Edit(self.item.id, ("status",), self.new_status.value))
        edits.append(AppendProgress(self.item.id, self.entry))
        return edits


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

    done_now: list[int] = []
    if req.done:
        targets = [req.milestone - 1] if req.milestone else [i for i, m in enumerate(item.milestones) if m.done_on is None]
        for index in targets:
            already = item.milestones[index].done_on
            if already is not None and not req.force:
                raise UpdateRefused(f"milestone {index + 1} of {item.id} is already done ({already}); use --force to change the date")
        if not targets:
            raise UpdateRefused(f"every milestone of {item.id} is already done")
        done_now = targets

    old = item.status
    new = req.status
    if new is None:
        done_after = {i for i, m in enumerate(item.milestones) if m.done_on} | set(done_now)
        if done_now and len(done_after) == n and old in (S.not_started, S.in_progress, S.delayed):
            new = Status.done
        elif done_now and old == S.not_started:
            new = Status.in_progress
        else:
            new = old
    if new == Status.done:
        done_now = sorted(set(done_now) | {i for i, m in enumerate(item.milestones) if m.done_on is None})
    if done_now and old == S.cancelled and not req.force:
        raise UpdateRefused(f"item {item.id} is cancelled (取消); use --force to record a completed milestone")
    forced = not transition_allowed(old, new)
    if forced and not req.force:
        raise UpdateRefused(transition_refusal(old, new))

    text = (req.note or "").strip() or _default_note(item, old, new, done_now)
    entry: dict = {"date": day, "by": by, "status": new.value, "text": text}
    if req.evidence:
        entry["evidence"] = req.evidence.strip()
    if req.milestone is not None:
        entry["milestone"] = req.milestone
    if forced:
        entry["forced"] = True
    return UpdatePlan(item, old, new, entry, done_now)


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
        parts.append(f"状态由{STATUS_LABELS[old]}改为{STATUS_LABELS[new]}")
    return "；".join(parts) or f"状态：{STATUS_LABELS[new]}"


# -- the log ------------------------------------------------------------------------------------------

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


def log_record(reg: Registry, row: LogRow) -> dict:
    """A progress entry as the documented JSON object of `workplan log`."""
    entry = row.entry
    return {
        "date": entry.date.isoformat(),
        "id": row.item.id,
        "seq": row.item.seq,
        "title": row.item.title,
        "by": entry.by,
        "status": entry.status.value,
        "text": entry.text,
        "evidence": entry.evidence,
        "milestone": entry.milestone,
        "forced": entry.forced,
    }


# -- the registry as it stood on a day --------------------------------------------------------------

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
        else:
            status = progress[-1].status if progress else Status.not_started
        completed = next((p.date for p in reversed(progress) if p.status == Status.done), None)
        milestones = []
        for m in item.milestones:
            done_on = m.done_on if m.done_on and m.done_on <= as_of else None
            if done_on is None and status == Status.done and completed is not None:
                done_on = completed
            milestones.append(m if done_on == m.done_on else m.model_copy(update={"done_on": done_on}))
        items.append(item.model_copy(update={"progress": progress, "status": status, "milestones": milestones}))
    return reg.model_copy(update={"items": items})


# -- lights -------------------------------------------------------------------------------------------

def light_label(light: Light, lang: str = "zh") -> str:
    return LIGHT_LABELS_EN[light] if lang == "en" else LIGHT_LABELS[light]


LIGHT_ORDER = [Light.red, Light.yellow, Light.green, Light.done, Light.cancelled]


def lights_by_item(items: Iterable[Item], as_of: dt.date, warn_days: int = DEFAULT_WARN_DAYS) -> dict[str, Light]:
    """item id → light; for a `light` column in list/due/exports (see LIGHT_COLUMN)."""
    return {item.id: item_light(item, as_of, warn_days) for item in items}


def light_column(lang: str = "zh"):
    """A render.Column for records carrying "light" (a Light code): how list/due/exports add 灯号."""
    from workplan.present.render import Column

    return Column("light", "灯号", "Light", lambda r: light_label(Light(r["light"]), lang))


@dataclass
class BoardRow:
    unit: str
    counts: dict[Light, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class StatusBoard:
    as_of: dt.date
    warn_days: int
    rows: list[BoardRow]
    lights: dict[str, Light]          # item id → light
    attention: list[tuple[Item, Light, MilestoneRow]]  # red then yellow items, with their worst milestone


def status_board(reg: Registry, items: list[Item], as_of: dt.date, warn_days: int = DEFAULT_WARN_DAYS,
                 units: list[str] | None = None) -> StatusBoard:
    """Lights per lead unit (a group's items count for each member), and the red and yellow items.

    `units` limits the rows (canonical names; a group stands for its members); rows follow the
    registry's order of organisations and only units leading at least one item appear.
    """
    lights = lights_by_item(items, as_of, warn_days)
    wanted: set[str] | None = None
    if units:
        wanted = set()
        for name in units:
            org = reg.org(name)
            wanted.update(org.members if org is not None and org.members else [name])
    counts: dict[str, dict[Light, int]] = {}
    for item in items:
        for unit in reg.expanded_leads(item):
            if wanted is None or unit in wanted:
                counts.setdefault(unit, {light: 0 for light in LIGHT_ORDER})[lights[item.id]] += 1
    order = [o.name for o in reg.organisations]
    rows = [BoardRow(unit, counts[unit]) for unit in sorted(counts, key=lambda u: order.index(u) if u in order else len(order))]
    attention = []
    for light in (Light.red, Light.yellow):
        for item in items:
            if lights[item.id] == light:
                worst = min(
                    (MilestoneRow(item, i, m) for i, m in enumerate(item.milestones)
                     if milestone_light(MilestoneRow(item, i, m), as_of, warn_days) == light),
                    key=lambda r: r.due,
                )
                attention.append((item, light, worst))
    return StatusBoard(as_of, warn_days, rows, lights, attention)


# -- bulletin data ------------------------------------------------------------------------------------

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
    def percent(self) -> int:
        return round(100 * self.done / self.milestones) if self.milestones else 0


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
    due_next: list[MilestoneRow]                  # falling due next period, open on as_of
    overdue: list[MilestoneRow]                   # past due and open on as_of
    overdue_by_unit: list[tuple[str, list[MilestoneRow]]]
    sections: list[SectionProgress]
    notes: list[LogRow]                           # reported within the period, oldest first
    leads: dict[str, list[str]]                   # item id → lead names
    filtered: bool = False


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
             warn_days: int = DEFAULT_WARN_DAYS, item_filter=None) -> Bulletin:
    """Everything the bulletin shows, computed on the registry as it stood on `as_of`."""
    from workplan.core.query import milestone_rows

    view = registry_as_of(reg, as_of)
    items = [i for i in view.items if item_filter is None or item_filter(view, i)]
    rows = milestone_rows(items)
    last_day = min(end, as_of)
    next_start, next_end = next_period(start, end)
    completed = sorted((r for r in rows if r.milestone.done_on and start <= r.milestone.done_on <= last_day),
                       key=lambda r: (r.milestone.done_on, r.item.seq, r.index))
    due_next = sorted((r for r in rows if next_start <= r.due <= next_end and not r.is_done()),
                      key=lambda r: (r.due, r.item.seq, r.index))
    late = sorted((r for r in rows if r.due < as_of and not r.is_done() and r.item.status != Status.cancelled),
                  key=lambda r: (r.due, r.item.seq, r.index))
    by_unit: dict[str, list[MilestoneRow]] = {}
    for row in late:
        for unit in view.expanded_leads(row.item):
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
    notes = sorted(log_rows(items, since=start, until=last_day), key=lambda r: (r.entry.date, r.item.seq, r.index))
    item_lights = lights_by_item(items, as_of, warn_days)
    return Bulletin(
        plan_title=view.plan.title, doc_number=view.plan.doc_number, period=period, start=start, end=end,
        next_start=next_start, next_end=next_end, as_of=as_of, warn_days=warn_days,
        items=len(items), milestones=len(rows), milestones_done=sum(1 for r in rows if r.is_done()),
        statuses={s: sum(1 for i in items if i.status == s) for s in Status},
        lights={light: sum(1 for v in item_lights.values() if v == light) for light in LIGHT_ORDER},
        completed=completed, due_next=due_next, overdue=late, overdue_by_unit=overdue_by_unit,
        sections=sections, notes=notes, leads={i.id: view.item_lead_names(i) for i in items},
    )
