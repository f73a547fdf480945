"""Records: results as dicts in the documented JSON shape (the contract of --format json/yaml).

Commands build records; the columns (present/columns.py) and writers only format them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Sequence

from workplan.core.codes import Status
from workplan.core.labels import org_kind_label, status_label as _status_label, t
from workplan.core.units import units_record
from workplan.core.query import MilestoneRow, OrgSummary, SearchHit, StatRow, search_texts, snippet

if TYPE_CHECKING:
    from workplan.core.history import LogRow
    from workplan.core.models import Item, Registry


def milestone_record(milestone, *, detail: bool = True) -> dict[str, Any]:
    record = {"due": milestone.due.isoformat(), "text": milestone.text}
    if detail:
        for key in ("measure", "event", "event_text"):
            if getattr(milestone, key):
                record[key] = getattr(milestone, key)
        record["tentative"] = milestone.tentative
    record["done_on"] = milestone.done_on.isoformat() if milestone.done_on else None
    if detail and milestone.adjusted_due is not None:
        record.update(adjusted_due=milestone.adjusted_due.isoformat(), adjusted_by=milestone.adjusted_by,
                      adjusted_on=milestone.adjusted_on.isoformat() if milestone.adjusted_on else None,
                      adjust_reason=milestone.adjust_reason)
    return record


def item_record(reg: Registry, item: Item, *, progress: bool = True, detail: bool = True) -> dict[str, Any]:
    """An item as the documented JSON object (`list`, `search`, `show`).

    For table rows: progress=False leaves out the progress entries, which no column shows and which
    cost as much as the rest of the record; detail=False also leaves out the measures and the
    milestones' measures and events (all an IndexedItem lacks)."""
    record = {"id": item.id, "seq": item.seq, "title": item.title}
    if detail:
        if item.carried_from:
            record["from"] = item.carried_from
        record["measures"] = item.measures
    record.update(section=item.section, task=item.task, departments=list(item.departments), **_lead_fields(reg, item),
                  milestones=[milestone_record(m, detail=detail) for m in item.milestones], status=item.status.value)
    if progress:
        record["progress"] = [progress_record(entry) for entry in item.progress]
        record["units"] = units_record(reg, item)
    return record


def progress_record(entry) -> dict[str, Any]:
    """A progress entry as JSON: every field that has a value (what model_dump(exclude_none=True)
    gives, at a fraction of its cost on large registries)."""
    return {key: (value.isoformat() if isinstance(value, dt.date) else value.value if isinstance(value, Status) else value)
            for key, value in entry.__dict__.items() if value is not None}


def _lead_fields(reg: Registry, item: Item) -> dict[str, Any]:
    """leads, lead_units and joint (as is_joint decides it) from one lookup of the item's leads."""
    names, units = reg.lead_names_and_units(item)
    return {"leads": list(names), "lead_units": list(units), "joint": len(units) > 1}


def milestone_row_record(reg: Registry, row: MilestoneRow, as_of: dt.date, *, detail: bool = True) -> dict[str, Any]:
    """A milestone row as the documented JSON object (`due`, `overdue`, `upcoming`); detail=False
    leaves out the measure (for table rows of IndexedItems)."""
    item, milestone = row.item, row.milestone
    record = {"id": item.id, "seq": item.seq, "title": item.title, **_lead_fields(reg, item),
              "milestone": row.index + 1, "milestones": len(item.milestones), "due": milestone.due.isoformat(),
              "text": milestone.text}
    if milestone.adjusted_due is not None:
        record["adjusted_due"] = milestone.adjusted_due.isoformat()
    if detail:
        record["measure"] = milestone.measure or item.measures
    record.update(days_left=row.days_left(as_of), status=item.status.value, done=row.is_done())
    return record


def show_record(reg: Registry, item: Item) -> dict[str, Any]:
    """`show`: the item object plus the section and key task titles, the departments as printed and the note."""
    record = item_record(reg, item)
    section = reg.section(item.section)
    task = reg.task(item.task) if item.task is not None else None
    record["section_title"] = section.title if section else None
    record["task_title"] = task.title if task else None
    record["departments_text"] = item.departments_display
    record["note"] = item.note
    return record


def search_record(reg: Registry, hit: SearchHit, terms: Sequence[str], lang: str = "zh") -> dict[str, Any]:
    """`search`: the item object plus where the query matched and an excerpt around the match (a
    key task's, introduced by its number in `lang`)."""
    record = item_record(reg, hit.item)
    record["matched_in"] = list(hit.fields)
    texts = search_texts(reg, hit.item)
    source = next((f for f in ("measures", "task") if f in hit.fields), None)
    excerpt = snippet(texts[source], terms) if source else ""
    record["excerpt"] = t("word.task_excerpt", lang, n=hit.item.task, excerpt=excerpt) if source == "task" else excerpt
    return record


STATS_HEADERS = {
    "lead": ("牵头单位", "Lead unit"), "org": ("单位", "Unit"), "dept": ("责任部门", "Responsible"),
    "month": ("月份", "Month"), "section": ("部分", "Section"), "task": ("主要任务", "Key task"),
    "status": ("状态", "Status"),
}


def stat_record(reg: Registry, row: StatRow, by: str, lang: str) -> dict[str, Any]:
    """`stats`: {by, key, label, count} (+ sole, joint for --by lead); label follows --lang."""
    key, label = row.key, str(row.key)
    if by == "section":
        section = reg.section(row.key)
        label = f"{section.label}{section.title}" if section else str(row.key)
    elif by == "task":
        if row.key is None:
            label = t("word.no_task", lang)
        else:
            task = reg.task(row.key)
            label = f"{row.key}.{task.title}" if task else str(row.key)
    elif by == "status":
        key, label = row.key.value, _status_label(row.key, lang)
    record = {"by": by, "key": key, "label": label, "count": row.count}
    if row.sole is not None:
        record["sole"], record["joint"] = row.sole, row.joint
    return record


def org_record(summary: OrgSummary, lang: str = "zh") -> dict[str, Any]:
    """`orgs`: one organisation with its counts (items_led counts a group for each member)."""
    org = summary.org
    return {
        "name": org.name,
        "full_name": org.full_name,
        "kind": org.kind.value,
        "kind_label": org_kind_label(org.kind, lang),
        "province": org.province,
        "aliases": list(org.aliases),
        "members": list(org.members),
        "groups": list(summary.groups),
        "items_led": summary.led,
        "items_led_direct": summary.led_direct,
        "items_involved": summary.involved,
    }



def history_record(relation: str, plan: str, item: Item) -> dict[str, Any]:
    """`show`'s `history`: an item this one was carried from ("from") or into ("to"), in another plan."""
    return {"relation": relation, "plan": plan, "id": item.id, "title": item.title, "status": item.status.value,
            "milestones": [milestone_record(m) for m in item.milestones],
            "progress": [progress_record(entry) for entry in item.progress]}



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
        "amends": entry.amends,
        "withdraws": entry.withdraws,
    }
