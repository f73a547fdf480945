"""Several plans at once: one view over many registries, and unfinished work carried into the next year.

Pure: registries in, plain data out. Finding the plan files is the store's job
(workplan.store.plans); writing the carried items is the writer's.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from workplan.core.codes import OrgKind, Status
from workplan.core.labels import Message, Refusal, status_label, t

if TYPE_CHECKING:  # annotations only: `--plan all` on a warm query combines plain records
    from workplan.core.models import Item, Organisation, Registry


class PlanConflict(Exception):
    """Plans that cannot be read as one: the same item id in two of them."""


class CarryOverRefused(Refusal):
    """The carry-over cannot be planned as asked; the message (a catalogue key) says why in one line."""


# -- one view over several plans ---------------------------------------------------------------------

def combine(plans: Sequence[tuple[str, Registry]]) -> Registry:
    """One registry holding every plan's items (in the order given), for queries across years.

    Organisations are merged by name (a later plan adds only names and aliases not yet known);
    sections and tasks are the latest plan's, then numbers only older plans have. Every item
    keeps its own plan: `plan_of(combined, item)` gives the registry it came from, for the titles
    of its section and key task. Item ids must be unique across the plans (the year prefix).
    """
    if len(plans) == 1:
        return plans[0][1]
    registries = [reg for _, reg in plans]
    seen: dict[str, str] = {}
    items: list = []
    owners: dict[str, Registry] = {}
    for name, reg in plans:
        for item in reg.items:
            if item.id in seen:
                raise PlanConflict(t("plans.id_clash", "zh", id=item.id, first=seen[item.id], second=name))
            seen[item.id] = name
            owners[item.id] = reg
            items.append(item)
    latest = max(registries, key=lambda r: (r.plan.year, r.plan.issued))
    order = [latest] + [r for r in reversed(registries) if r is not latest]
    sections = _union((r.sections for r in order), lambda s: s.number)
    tasks = _union((r.tasks for r in order), lambda tk: tk.number)
    organisations = _merged_organisations(registries)
    years = sorted({r.plan.year for r in registries})
    # Copies of the latest plan's own objects, so the combined registry is of the kind its parts
    # are: pydantic models, or the plain records of a warm query (which never imports pydantic).
    plan = copy.copy(latest.plan)
    for name, value in dict(
            title=t("plans.all_title", "zh", years="、".join(map(str, years))),
            doc_number="、".join(dict.fromkeys(r.plan.doc_number for r in registries)),
            issued=min(r.plan.issued for r in registries),
            preamble=None, guiding_principles=None, issuer_seal=None, safeguards=[]).items():
        setattr(plan, name, value)
    combined = copy.copy(latest)
    combined.__dict__.clear()  # the latest plan's fields and the lookups built on them
    for name, value in dict(version=latest.version, plan=plan, sections=sections, tasks=tasks,
                            organisations=organisations, items=items).items():
        setattr(combined, name, value)
    combined.__dict__["_plan_owners"] = owners
    return combined


def check_plans(plans: Sequence[tuple[str, Registry]]) -> list[tuple[int, tuple, str]]:
    """Rules across the plans of a folder, as (plan's position, location in it, message): an id
    used by two plans, and a `from` naming no item of any plan."""
    problems: list[tuple[int, tuple, str]] = []
    first: dict[str, str] = {}
    for n, (name, reg) in enumerate(plans):
        for i, item in enumerate(reg.items):
            if item.id in first and first[item.id] != name:
                problems.append((n, ("items", i, "id"), t("plans.id_clash", "zh", id=item.id, first=first[item.id],
                                                          second=name)))
            first.setdefault(item.id, name)
    for n, (name, reg) in enumerate(plans):
        for i, item in enumerate(reg.items):
            if item.carried_from and item.carried_from not in first:
                problems.append((n, ("items", i, "from"), t("plans.no_origin", "zh", id=item.carried_from)))
    return problems


def plan_of(reg: Registry, item: Any) -> Registry:
    """The registry the item comes from (itself unless `reg` combines several plans)."""
    owners = reg.__dict__.get("_plan_owners")
    return owners.get(item.id, reg) if owners else reg


def _union(groups, key) -> list:
    out, keys = [], set()
    for records in groups:
        for record in records:
            if key(record) not in keys:
                keys.add(key(record))
                out.append(record)
    return sorted(out, key=key)


def _merged_organisations(registries: Sequence[Registry]) -> list[Organisation]:
    out: list[Organisation] = []
    names: set[str] = set()
    for reg in registries:
        for org in reg.organisations:
            if org.name in names:
                continue
            aliases = [a for a in org.aliases if a not in names]
            names.update([org.name, *aliases])
            if aliases != org.aliases:
                org = copy.copy(org)
                org.aliases = aliases
            out.append(org)
    return out


# -- carrying unfinished work into the next plan -----------------------------------------------------

UNFINISHED = (Status.not_started, Status.in_progress, Status.delayed)


@dataclass
class Carried:
    origin: Item
    record: dict  # the new item, keys in the registry's order, values plain (dates as dt.date)
    notes: list[Message] = field(default_factory=list)  # what the reader is told about its place


@dataclass
class CarryOver:
    items: list[Carried]
    organisations: list[dict]      # units the next plan lacks, copied from the origin plan
    skipped: list[tuple[Item, str]]  # unfinished items not carried, and why


def plan_carry_over(origin: Registry, target: Registry, *, due: dt.date, on: dt.date,
                    section: int | None = None, only: Sequence[str] = (),
                    ids_elsewhere: Iterable[str] = ()) -> CarryOver:
    """What `carry-over` writes into `target`: each unfinished item of `origin` as a new item linked
    to it (`from`), its open milestones moved to `due`, with one progress report dated `on`.

    An item already carried (some item of `target` is `from` it) is skipped, so running it again
    adds nothing. `only` restricts it to those origin ids; `ids_elsewhere` are the ids of the
    folder's other plans, which a new id must not take either."""
    year = target.plan.year
    if due.year != year:
        raise CarryOverRefused("carry.due_outside", due=due, year=year)
    if on < target.plan.issued:
        raise CarryOverRefused("carry.date_before_plan", date=on, issued=target.plan.issued)
    if section is not None and target.section(section) is None:
        raise CarryOverRefused("carry.no_section", section=section)
    carried_ids = {item.carried_from: item.id for item in target.items if item.carried_from}
    taken = {item.id for item in target.items} | set(ids_elsewhere)
    next_seq = max((item.seq for item in target.items), default=0) + 1
    unknown = [key for key in only if key not in {i.id for i in origin.items}]
    if unknown:
        raise CarryOverRefused("carry.unknown_item", ids=unknown, year=origin.plan.year)

    plan = CarryOver([], [], [])
    added_orgs: set[str] = set()
    for item in origin.items:
        if only and item.id not in only:
            continue
        if item.status not in UNFINISHED:
            continue
        if item.id in carried_ids:
            plan.skipped.append((item, Message("carry.already", id=carried_ids[item.id])))
            continue
        new_id = _carried_id(item.id, origin.plan.year, year, taken)
        taken.add(new_id)
        number, task, notes = _place(origin, target, item, section)
        leads = origin.item_lead_names(item)
        for org in _missing_orgs(origin, target, leads):
            if org.name not in added_orgs:
                added_orgs.add(org.name)
                plan.organisations.append(_org_record(org, target))
        record = _carried_record(item, origin, new_id, next_seq, leads, number, task, due, on)
        next_seq += 1
        plan.items.append(Carried(item, record, notes))
    return plan


def _carried_id(origin_id: str, from_year: int, to_year: int, taken: set[str]) -> str:
    prefix = f"{from_year}-"
    rest = origin_id[len(prefix):] if origin_id.startswith(prefix) else origin_id
    for candidate in (f"{to_year}-c{rest}", f"{to_year}-c{origin_id}"):
        if candidate not in taken:
            return candidate
    n = 2
    while f"{to_year}-c{origin_id}-{n}" in taken:
        n += 1
    return f"{to_year}-c{origin_id}-{n}"


def _place(origin: Registry, target: Registry, item: Item, section: int | None) -> tuple[int, int | None, list[Message]]:
    """(section, task, notes) of the carried item in the next plan: the section and key task with
    the same title, else --section (or the same number) and no key task."""
    notes: list[Message] = []
    task = None
    old_task = origin.task(item.task) if item.task is not None else None
    if old_task is not None:
        task = next((tk for tk in target.tasks if tk.title == old_task.title), None)
    if task is not None:
        return task.section, task.number, notes
    if old_task is not None:
        notes.append(Message("carry.no_task", task=old_task.number, title=old_task.title))
    old_section = origin.section(item.section)
    same = next((s for s in target.sections if old_section and s.title == old_section.title), None)
    if same is not None:
        return same.number, None, notes
    if section is not None:
        return section, None, notes
    if target.section(item.section) is not None:
        notes.append(Message("carry.same_number", section=item.section))
        return item.section, None, notes
    raise CarryOverRefused("carry.no_place", id=item.id, section=item.section)


def _missing_orgs(origin: Registry, target: Registry, names: list[str]) -> list[Organisation]:
    out = []
    for name in names:
        org = origin.org(name)
        if org is None or target.org(name) is not None:
            continue
        out += [origin.org(m) for m in org.members if origin.org(m) is not None and target.org(m) is None]
        out.append(org)
    return out


def _org_record(org: Organisation, target: Registry) -> dict:
    record: dict[str, Any] = {"name": org.name}
    if org.full_name:
        record["full_name"] = org.full_name
    record["kind"] = org.kind.value
    if org.province:
        record["province"] = org.province
    aliases = [a for a in org.aliases if target.org(a) is None]
    if aliases:
        record["aliases"] = aliases
    if org.kind == OrgKind.group:
        record["members"] = list(org.members)
    return record


def deadline_text(due: dt.date) -> str:
    """A deadline the way the plan prints one: 2025年6月底前, or 2025年6月15日前."""
    following = due + dt.timedelta(days=1)
    if following.day == 1:
        return f"{due.year}年{due.month}月底前"
    return f"{due.year}年{due.month}月{due.day}日前"


def _carried_record(item: Item, origin: Registry, new_id: str, seq: int, leads: list[str], section: int,
                    task: int | None, due: dt.date, on: dt.date) -> dict:
    open_milestones = [m for m in item.milestones if m.done_on is None] or item.milestones[-1:]
    milestones = []
    for m in open_milestones:
        milestone: dict[str, Any] = {"due": due, "text": deadline_text(due)}
        if len(open_milestones) > 1 or m.measure:
            milestone["measure"] = m.measure or item.measures
        milestones.append(milestone)
    status = item.status
    old = [f"{m.text}（{m.due.isoformat()}）" for m in open_milestones]
    record: dict[str, Any] = {
        "id": new_id,
        "seq": seq,
        "from": item.id,
        "title": item.title,
        "measures": item.measures,
        "departments": list(item.departments),
    }
    if item.departments_text:
        record["departments_text"] = item.departments_text
    record.update({
        "leads": leads,
        "section": section,
        "task": task,
        "milestones": milestones,
        "status": status.value,
        "progress": [{
            "date": on,
            "by": leads[0],
            "status": status.value,
            "text": t("carry.report" if old else "carry.report_no_deadline", "zh", year=origin.plan.year,
                      id=item.id, status=status_label(status), old="、".join(old), due=due.isoformat()),
        }],
    })
    return record


# -- the history of an item across years -------------------------------------------------------------

@dataclass
class Lineage:
    """An item's forebears (oldest first) and the items carried from it, each with its plan's name."""

    earlier: list[tuple[str, Item]]
    later: list[tuple[str, Item]]


def lineage(item: Item, plans: Sequence[tuple[str, Registry]]) -> Lineage:
    by_id: dict[str, tuple[str, Item]] = {}
    children: dict[str, list[tuple[str, Item]]] = {}
    for name, reg in plans:
        for other in reg.items:
            by_id.setdefault(other.id, (name, other))
            if other.carried_from:
                children.setdefault(other.carried_from, []).append((name, other))
    earlier: list[tuple[str, Item]] = []
    seen = {item.id}
    current = item.carried_from
    while current and current in by_id and current not in seen:
        seen.add(current)
        earlier.insert(0, by_id[current])
        current = by_id[current][1].carried_from
    later: list[tuple[str, Item]] = []
    queue = [item.id]
    while queue:
        for child in children.get(queue.pop(0), []):
            if child[1].id not in seen:
                seen.add(child[1].id)
                later.append(child)
                queue.append(child[1].id)
    return Lineage(earlier, later)
