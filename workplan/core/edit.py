"""Items a meeting adds or corrects during the year: `add` and `edit ID --field KEY=VALUE`.

Pure: the registry and the typed values in, plain data out (the new item, or the fields to set
as (path, value) pairs). The store writes them; the registry's own validation then checks the
whole file before anything is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from workplan.core import query
from workplan.core.dates import DateFormError, parse_date
from workplan.core.labels import Message, Refusal
from workplan.core.models import Item, Registry
from workplan.core.plans import deadline_text


class EditRefused(Refusal):
    """A value that cannot be set as given; the message (a catalogue key) names the field and says why."""


# Fields `edit` sets, and how a value typed on the command line becomes the stored value.
TEXT, OPTIONAL_TEXT, NUMBER, OPTIONAL_NUMBER, UNITS, TEXTS, DATE, FLAG = range(8)
ITEM_FIELDS = {
    "title": TEXT, "measures": TEXT, "departments": TEXTS, "departments_text": OPTIONAL_TEXT,
    "leads": UNITS, "section": NUMBER, "task": OPTIONAL_NUMBER, "seq": NUMBER, "note": OPTIONAL_TEXT,
    "from": OPTIONAL_TEXT,
}
MILESTONE_FIELDS = {"due": DATE, "text": TEXT, "measure": OPTIONAL_TEXT, "tentative": FLAG,
                    "event": OPTIONAL_TEXT, "event_text": OPTIONAL_TEXT}
# Left to other commands, so that their rules apply: the history and status to `update`.
REFUSED = {"id": "edit.why_id", "status": "edit.why_status", "progress": "edit.why_progress",
           "done_on": "edit.why_done_on"}
EMPTY = ("", "-", "null", "none", "无", "空")


@dataclass(frozen=True)
class FieldChange:
    path: tuple           # inside the item: ("title",), ("milestones", 0, "due")
    old: Any
    new: Any

    @property
    def name(self) -> str:
        return ".".join(str(p + 1) if isinstance(p, int) else p for p in self.path)


def plan_edit(reg: Registry, item: Item, assignments: Sequence[tuple[str, str]]) -> list[FieldChange]:
    """The changes `--field KEY=VALUE …` make to the item, unchanged fields left out."""
    changes: list[FieldChange] = []
    for key, text in assignments:
        parts = key.strip().replace("［", "[").split(".")
        name = parts[-1]
        if name in REFUSED or parts[0] in REFUSED:
            raise _refused(key, REFUSED.get(name) or REFUSED[parts[0]])
        if parts[0] == "milestones" or parts[0] == "milestone":
            if len(parts) != 3 or not parts[1].isdigit() or parts[2] not in MILESTONE_FIELDS:
                raise _refused(key, "edit.milestone_form", fields=", ".join(MILESTONE_FIELDS))
            n = int(parts[1])
            if not 1 <= n <= len(item.milestones):
                raise _refused(key, "edit.milestone_count", count=len(item.milestones))
            old = getattr(item.milestones[n - 1], name)
            path = ("milestones", n - 1, name)
            kind = MILESTONE_FIELDS[name]
        elif len(parts) == 1 and name in ITEM_FIELDS:
            old = getattr(item, "carried_from" if name == "from" else name)
            path, kind = (name,), ITEM_FIELDS[name]
        else:
            raise _refused(key, "edit.unknown_field",
                           fields=", ".join([*ITEM_FIELDS, "milestones.N." + "|".join(MILESTONE_FIELDS)]))
        new = _typed(reg, key, kind, text)
        if isinstance(old, (list, tuple)):
            old = list(old)
        if new != old:
            changes.append(FieldChange(path, old, new))
    return changes


def _refused(key: str, reason: str, **fields: Any) -> EditRefused:
    return EditRefused("edit.refused_field", key=key, reason=Message(reason, **fields))


def _typed(reg: Registry, key: str, kind: int, text: str) -> Any:
    value = text.strip()
    empty = value.lower() in EMPTY
    if kind in (OPTIONAL_TEXT, OPTIONAL_NUMBER) and empty:
        return None
    if kind in (TEXT, OPTIONAL_TEXT):
        if not value:
            raise _refused(key, "edit.needs_text")
        return value
    if kind in (NUMBER, OPTIONAL_NUMBER):
        if not value.isdigit():
            raise _refused(key, "edit.not_number", value=text)
        return int(value)
    if kind in (UNITS, TEXTS):
        values = [v.strip() for v in value.replace("，", "、").replace(",", "、").split("、") if v.strip()]
        if not values:
            raise _refused(key, "edit.needs_values")
        if kind == UNITS:
            try:
                return [query.resolve_org(reg, v) for v in values]
            except query.UnknownName as exc:
                raise EditRefused("edit.refused_field", key=key, reason=exc) from None
        return values
    if kind == DATE:
        try:
            return parse_date(value, plan_year=reg.plan.year)
        except DateFormError as exc:
            raise EditRefused("edit.refused_field", key=key, reason=exc) from None
    if kind == FLAG:
        lowered = value.lower()
        if lowered in ("true", "yes", "1", "是"):
            return True
        if lowered in ("false", "no", "0", "否"):
            return False
        raise _refused(key, "edit.flag")
    raise AssertionError(kind)


def new_item(reg: Registry, *, title: str, measures: str, leads: Sequence[str], departments: Sequence[str],
             section: int, task: int | None, dues: Sequence[dt.date], deadlines: Sequence[str] = (),
             item_id: str | None = None, seq: int | None = None, note: str | None = None,
             ids_elsewhere: Iterable[str] = ()) -> dict:
    """The item `add` appends, keys in the registry's order; ids and 序号 follow the plan's own.
    An id is unique across the folder's plans: `ids_elsewhere` are the other plans' ids."""
    # No --due: an item without a deadline (长期坚持); the registry's rules decide whether it may be.
    if deadlines and len(deadlines) != len(dues):
        raise EditRefused("add.deadlines", count=len(dues))
    seq = seq if seq is not None else max((i.seq for i in reg.items), default=0) + 1
    taken = {i.id for i in reg.items} | set(ids_elsewhere)
    if item_id is None:
        base = f"{reg.plan.year}-{seq:02d}"
        item_id = base
        for letter in "bcdefghijklmnopqrstuvwxyz":
            if item_id not in taken:
                break
            item_id = base + letter
    if item_id in taken:
        raise EditRefused("add.id_taken", id=item_id)
    milestones = []
    for n, due in enumerate(dues):
        milestone: dict[str, Any] = {"due": due, "text": deadlines[n] if deadlines else deadline_text(due)}
        if len(dues) > 1:
            milestone["measure"] = measures
        milestones.append(milestone)
    record: dict[str, Any] = {"id": item_id, "seq": seq, "title": title, "measures": measures,
                              "departments": list(departments), "leads": list(leads), "section": section,
                              "task": task, "milestones": milestones, "status": "not_started"}
    if note:
        record["note"] = note
    return record
