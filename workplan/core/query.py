"""Filtering, date windows and counting as pure functions over a loaded registry.

Nothing here prints or reads the clock: "today" is always passed in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, NamedTuple

from workplan.core.codes import Light, OrgKind, Status, status_choices
from workplan.core.labels import Message, Refusal
from workplan.core.needs import Need

if TYPE_CHECKING:  # the models are pydantic's: a warm query reads plain records instead
    from workplan.core.models import Item, Milestone, Registry


def get_close_matches(word: str, possibilities: list[str], n: int, cutoff: float) -> list[str]:
    # difflib is imported only when a name is mistyped: it is not free on every start-up.
    from difflib import get_close_matches as close_matches

    return close_matches(word, possibilities, n=n, cutoff=cutoff)


class UnknownName(Refusal):
    """A unit, status, section or task the registry does not know; carries suggestions."""

    def __init__(self, kind: str, text: str, suggestions: list):
        self.kind, self.given, self.suggestions = kind, text, suggestions
        self.field: str | None = None  # the Filters field it was typed for, when it was
        if suggestions:
            super().__init__("error.unknown_name_suggest", kind=Message(f"kind.{kind}"), text=text,
                             suggestions=suggestions)
        else:
            super().__init__("error.unknown_name", kind=Message(f"kind.{kind}"), text=text)


def resolve_org(reg: Registry, text: str) -> str:
    """Canonical name of a unit given by name, alias or full name; UnknownName with suggestions otherwise."""
    org = reg.org(text)
    if org is not None:
        return org.name
    for candidate in reg.organisations:
        if candidate.full_name and candidate.full_name == text.strip():
            return candidate.name
    names = reg.org_names()
    close = get_close_matches(text, names, n=3, cutoff=0.4)
    close += [n for n in names if text and (text in n or n in text) and n not in close]
    raise UnknownName("unit", text, close[:4])


def resolve_province(reg: Registry, text: str) -> str:
    provinces = sorted({o.province for o in reg.organisations if o.province})
    for province in provinces:
        if text.rstrip("省市") == province:
            return province
    raise UnknownName("province", text, get_close_matches(text, provinces, n=3, cutoff=0.3) or provinces)


def resolve_status(text: str) -> Status:
    try:
        return Status.parse(text)
    except ValueError:
        raise UnknownName("status", text, status_choices()) from None


def resolve_section(reg: Registry, text: str) -> int:
    """A section by number (3), Chinese numeral label (三 or （三）) or title words."""
    cleaned = text.strip().strip("（）()")
    numerals = "一二三四五六七八九十"
    if cleaned.isdigit() and reg.section(int(cleaned)):
        return int(cleaned)
    if cleaned in numerals and reg.section(numerals.index(cleaned) + 1):
        return numerals.index(cleaned) + 1
    for section in reg.sections:
        if cleaned and cleaned in section.title:
            return section.number
    raise UnknownName("section", text, [f"{s.number} {s.title}" for s in reg.sections])


def resolve_task(reg: Registry, text: str) -> int:
    if text.strip().isdigit() and reg.task(int(text)):
        return int(text)
    for task in reg.tasks:
        if text.strip() and text.strip() in task.title:
            return task.number
    numbers = [t.number for t in reg.tasks]
    raise UnknownName("task", text, [Message("hint.number_range", low=min(numbers), high=max(numbers))] if numbers else [])


@dataclass
class Filters:
    """The shared item filters. Values are already resolved (canonical names, numbers, statuses).

    Different filters combine with AND; repeated values of one filter mean any of them.
    """

    leads: list[str] = field(default_factory=list)
    direct: bool = False
    orgs: list[str] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    depts: list[str] = field(default_factory=list)
    sections: list[int] = field(default_factory=list)
    tasks: list[int] = field(default_factory=list)
    statuses: list[Status] = field(default_factory=list)
    text: str | None = None
    due_before: dt.date | None = None
    due_after: dt.date | None = None
    _led: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _led_in: Registry | None = field(default=None, init=False, repr=False, compare=False)

    def need(self) -> Need:
        """What of the items beyond their query fields these filters read."""
        return filters_need(name for name in FILTER_NEEDS if getattr(self, name))

    def matches(self, reg: Registry, item: Item, *, status: bool = True) -> bool:
        """Whether the item passes every filter (status=False: every filter but --status)."""
        if self.leads:
            # Registries repeat a few lead combinations many times: decide each combination once.
            if self._led_in is not reg:
                self._led_in, self._led = reg, {}
            combination = tuple(item.leads)
            led = self._led.get(combination)
            if led is None:
                led = self._led[combination] = any(leads_item(reg, item, lead, direct=self.direct)
                                                   for lead in self.leads)
            if not led:
                return False
        if self.orgs and not any(involves(reg, item, org) for org in self.orgs):
            return False
        if self.provinces and not (set(self.provinces) & item_provinces(reg, item)):
            return False
        if self.depts and not any(d in dept for d in self.depts for dept in item.departments):
            return False
        if self.sections and item.section not in self.sections:
            return False
        if self.tasks and item.task not in self.tasks:
            return False
        if status and self.statuses and item.status not in self.statuses:
            return False
        if self.text and not contains_text(item, self.text):
            return False
        if (self.due_before or self.due_after) and not any(
            in_window(m.adjusted_due or m.due, before=self.due_before, after=self.due_after) for m in item.milestones
        ):
            return False
        return True


# Each filter by the name people use (the CLI's option, the library's keyword) → its Filters field.
FILTER_FIELDS = {
    "lead": "leads", "direct": "direct", "org": "orgs", "province": "provinces", "dept": "depts",
    "section": "sections", "task": "tasks", "status": "statuses", "text": "text",
    "due_before": "due_before", "due_after": "due_after",
}


class FilterDateError(Refusal):
    """A date filter's text is no date; `field` names the Filters field, the words are the date's."""

    def __init__(self, field: str, reason: Refusal):
        super().__init__(reason.key, **reason.fields)
        self.field = field


def split_values(values) -> list[str]:
    """Values as typed, each of which may list several: `--lead 浙江省局,上海市局` (also ，、)."""
    many = values if isinstance(values, (list, tuple, set)) else [values]
    return [part.strip() for value in many for part in re.split(r"[,，、]", str(value)) if part.strip()]


def resolve_filters(reg: Registry, typed: dict, *, today: dt.date | None = None) -> Filters:
    """Filters from values as a person types them, by Filters field (`{"leads": ["浙江"],
    "due_before": "9月底"}`): names, statuses, sections and dates resolved against the registry.
    UnknownName (with suggestions) or FilterDateError for a value that resolves to nothing."""
    from workplan.core.dates import DateFormError, parse_date

    resolvers = {
        "leads": resolve_org, "orgs": resolve_org, "provinces": resolve_province,
        "sections": resolve_section, "tasks": resolve_task, "statuses": lambda _, text: resolve_status(text),
    }
    values = {}
    for name, value in typed.items():
        if name in resolvers:
            try:
                value = [resolvers[name](reg, v) for v in split_values(value)]
            except UnknownName as exc:
                exc.field = name
                raise
        elif name in ("due_before", "due_after") and isinstance(value, str):
            try:  # a month as a lower bound is its first day, as an upper bound its last
                value = parse_date(value, plan_year=reg.plan.year, today=today, start=name == "due_after")
            except DateFormError as exc:
                raise FilterDateError(name, exc) from None
        elif name == "depts":
            value = split_values(value)
        values[name] = value
    return Filters(**values)


# The filters that read more of an item than its query fields: --lead sees a joint item as the lead
# units' own share (filter_items(own_share=True)).
FILTER_NEEDS = {"text": Need.DETAIL, "leads": Need.SHARES}


def filters_need(fields: Iterable[str]) -> Need:
    """What of the items filters on these Filters fields read beyond the query fields."""
    need = Need.QUERY
    for name in fields:
        need |= FILTER_NEEDS.get(name, Need.QUERY)
    return need


def filter_items(reg: Registry, filters: Filters, *, own_share: bool = False) -> list[Item]:
    """The items the filters pass. own_share: with --lead, a joint item the lead units share with
    others is seen as their own share of it (its status theirs: core/units.share_views), and
    --status asks about that share."""
    if filters == Filters():  # nothing to filter by: every item, without asking 100,000 times
        return list(reg.items)
    if not (own_share and filters.leads):
        return [item for item in reg.items if filters.matches(reg, item)]
    from workplan.core.units import share_views

    items = share_views(reg, [item for item in reg.items if filters.matches(reg, item, status=False)], filters.leads)[0]
    return [item for item in items if item.status in filters.statuses] if filters.statuses else items


def leads_item(reg: Registry, item: Item, unit: str, *, direct: bool = False) -> bool:
    """Whether `unit` leads the item: named itself, or (unless direct) through a group it is in."""
    names = reg.item_lead_names(item)
    if unit in names:
        return True
    if direct:
        return False
    return any(unit in (reg.org(name).members if reg.org(name) else ()) for name in names)


def department_orgs(reg: Registry, item: Item) -> list[str]:
    """Responsible-department entries that name an organisation, by canonical name."""
    return [reg.org(d).name for d in item.departments if reg.org(d) is not None]


def involves(reg: Registry, item: Item, unit: str) -> bool:
    """The unit in any role: lead (directly or through a group) or responsible department."""
    return leads_item(reg, item, unit) or unit in department_orgs(reg, item)


def item_provinces(reg: Registry, item: Item) -> set[str]:
    provinces = set()
    for name in reg.expanded_leads(item) + department_orgs(reg, item):
        org = reg.org(name)
        if org is not None and org.province:
            provinces.add(org.province)
    return provinces


def is_joint(reg: Registry, item: Item) -> bool:
    """Led by more than one unit, counting a group as its members."""
    return len(reg.expanded_leads(item)) > 1


def contains_text(item: Item, query: str) -> bool:
    """Every word of the query in the title, measures or departments (case and width folded)."""
    fields = [item.title, item.measures, *item.departments, item.departments_text or ""]
    return all(any(fold(term) in fold(hay) for hay in fields) for term in search_terms(query))


def in_window(day: dt.date, *, before: dt.date | None = None, after: dt.date | None = None) -> bool:
    """Inclusive on both ends."""
    return (before is None or day <= before) and (after is None or day >= after)


class MilestoneRow(NamedTuple):
    """One milestone of one item, the unit of `due`, `overdue` and `upcoming`.

    A named tuple: large registries make hundreds of thousands, and a frozen dataclass costs
    several times as much to create."""

    item: Item
    index: int  # 0-based position in item.milestones
    milestone: Milestone

    @property
    def due(self) -> dt.date:
        """The date the milestone is held to: an approved new date (调整后时限) replaces the printed one."""
        return self.milestone.adjusted_due or self.milestone.due

    def days_left(self, as_of: dt.date) -> int:
        return (self.due - as_of).days

    def is_done(self) -> bool:
        return self.milestone.done_on is not None or self.item.status in (Status.done, Status.cancelled)


def milestone_rows(items: Iterable[Item]) -> list[MilestoneRow]:
    return [MilestoneRow(item, i, m) for item in items for i, m in enumerate(item.milestones)]


def _rows_by_due(items: Iterable[Item], first: dt.date, last: dt.date) -> list[MilestoneRow]:
    # Only the milestones in the window become rows: a large registry has hundreds of thousands.
    rows = [MilestoneRow(item, i, m) for item in items for i, m in enumerate(item.milestones)
            if first <= (m.adjusted_due or m.due) <= last]
    return sorted(rows, key=_DUE)


def _DUE(row: MilestoneRow) -> dt.date:
    return row.milestone.adjusted_due or row.milestone.due


def due_between(items: Iterable[Item], *, before: dt.date | None, after: dt.date | None) -> list[MilestoneRow]:
    return _rows_by_due(items, after or dt.date.min, before or dt.date.max)


def overdue(items: Iterable[Item], *, as_of: dt.date) -> list[MilestoneRow]:
    """Milestones past due (strictly before as_of) and not done; most overdue first."""
    return [r for r in _rows_by_due(items, dt.date.min, as_of - dt.timedelta(days=1)) if not r.is_done()]


def upcoming(items: Iterable[Item], *, as_of: dt.date, within: dt.timedelta) -> list[MilestoneRow]:
    return [r for r in _rows_by_due(items, as_of, as_of + within) if not r.is_done()]


def find_items(reg: Registry, key: str) -> list[Item]:
    """Items by id (2024-36b) or by printed 序号 (36 gives both rows that carry it).

    The id's year prefix may be left out (36b) and its case does not matter.
    """
    key = key.strip()
    by_id = [item for item in reg.items if item.id == key]
    if by_id:
        return by_id
    if key.isdigit():
        return [item for item in reg.items if item.seq == int(key)]
    lowered = key.lower()
    return [item for item in reg.items
            if item.id.lower() == lowered or item.id.lower().endswith("-" + lowered.lstrip("-"))]


def suggest_items(reg: Registry, key: str, limit: int = 5) -> list[Item]:
    """Items a mistyped `show` key probably meant: the id with its number written in two digits
    (2024-5 → 2024-05), close ids, or titles containing the text."""
    key = key.strip()
    padded = re.sub(r"^(\d{4}-)?(\d)([a-z]?)$", lambda m: f"{m[1] or ''}0{m[2]}{m[3]}", key.lower())
    first = find_items(reg, padded) if padded != key.lower() else []
    close = set(get_close_matches(key, [item.id for item in reg.items], n=3, cutoff=0.85))
    if key and not key.isdigit():
        close |= set(get_close_matches(key, [item.title for item in reg.items], n=3, cutoff=0.4))
    needle = fold(key)
    rest = [item for item in reg.items if item not in first and (
        item.id in close or item.title in close or (needle and not needle.isdigit() and needle in fold(item.title)))]
    return (first + rest)[:limit]


def sort_items(reg: Registry, items: list[Item], key: str = "seq") -> list[Item]:
    """Items ordered by seq (printed order), due (earliest milestone), lead (registry order of the
    first lead unit) or status; ties keep the printed order."""
    position = {item.id: n for n, item in enumerate(reg.items)}
    org_order = {org.name: n for n, org in enumerate(reg.organisations)}
    status_order = {status: n for n, status in enumerate(Status)}
    keys = {
        "seq": lambda i: (position.get(i.id, len(position)),),
        "due": lambda i: (min((m.adjusted_due or m.due for m in i.milestones), default=dt.date.max),
                          position.get(i.id, len(position))),
        "lead": lambda i: (org_order.get(reg.item_lead_names(i)[0], len(org_order)), position.get(i.id, len(position))),
        "status": lambda i: (status_order[i.status], position.get(i.id, len(position))),
    }
    if key not in keys:
        raise ValueError(f"unknown sort key {key!r}; use one of {', '.join(keys)}")
    return sorted(items, key=keys[key])


# -- traffic lights (红黄绿灯) ----------------------------------------------------------------------

DEFAULT_WARN_DAYS = 15


def milestone_light(row: MilestoneRow, as_of: dt.date, warn_days: int = DEFAULT_WARN_DAYS) -> Light:
    if row.item.status == Status.cancelled:
        return Light.cancelled
    if row.is_done():
        return Light.done
    if row.due < as_of:
        return Light.red
    if (row.due - as_of).days <= warn_days:
        return Light.yellow
    return Light.green


def item_light(item: Item, as_of: dt.date, warn_days: int = DEFAULT_WARN_DAYS) -> Light:
    """The worst light among the item's milestones (red before yellow before green); an open item
    without milestones has none (Light.none, shown as 无时限)."""
    if not item.milestones:
        return {Status.cancelled: Light.cancelled, Status.done: Light.done}.get(item.status, Light.none)
    lights = {milestone_light(MilestoneRow(item, i, m), as_of, warn_days) for i, m in enumerate(item.milestones)}
    for light in (Light.cancelled, Light.red, Light.yellow, Light.green):
        if light in lights:
            return light
    return Light.done


# -- full-text search -------------------------------------------------------------------------------

# Full-width ASCII (（）ＣＣＣ) and the ideographic space fold to ASCII, so `--text (12月` finds （12月.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def fold(text: str) -> str:
    """Case- and width-folded text of the SAME length, so match positions map back to the original."""
    out = []
    for char in text:
        folded = char.translate(_FULL_WIDTH).lower()
        out.append(folded if len(folded) == 1 else char)
    return "".join(out)


def search_terms(query: str) -> list[str]:
    """Words of a query; every word must match (Chinese has no spaces, so usually one word)."""
    return [term for term in fold(query).split() if term]


def find_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of any term in text, merged where they overlap."""
    hay = fold(text)
    spans = []
    for term in {fold(t) for t in terms if t}:
        start = hay.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = hay.find(term, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text: str, terms: Iterable[str], width: int = 40) -> str:
    """About `width` characters of text around the first match, with … where it was cut."""
    spans = find_spans(text, terms)
    if not spans or len(text) <= width:
        return text if spans else ""
    start = max(0, min(spans[0][0] - width // 3, len(text) - width))
    end = min(len(text), start + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


SEARCH_FIELDS = ("title", "measures", "departments", "task")


_FIELD_RANK = {"title": 0, "measures": 1, "departments": 1, "task": 2}


@dataclass(frozen=True)
class SearchHit:
    item: Item
    fields: tuple[str, ...]  # the SEARCH_FIELDS where a term matched, in that order
    rank: int = 0  # 0: every word in the title; 1: in the item's own text; 2: some word only in the key task


def search_texts(reg: Registry, item: Item) -> dict[str, str]:
    task = reg.task(item.task) if item.task is not None else None
    departments = "、".join(item.departments)
    if item.departments_text:
        departments += "\n" + item.departments_text
    return {"title": item.title, "measures": item.measures, "departments": departments,
            "task": task.text if task else ""}


def search_items(reg: Registry, items: Iterable[Item], query: str) -> list[SearchHit]:
    """Items where every word of the query occurs in the title, measures, departments or key task
    text. Ranked by the weakest word: all in titles first, then in the item's own text, then items
    where some word occurs only in the key task's text; printed order within a rank."""
    terms = search_terms(query)
    if not terms:
        return []
    hits = []
    for item in items:
        texts = {name: fold(text) for name, text in search_texts(reg, item).items()}
        if not all(any(term in text for text in texts.values()) for term in terms):
            continue
        fields = tuple(name for name in SEARCH_FIELDS if any(term in texts[name] for term in terms))
        rank = max(min(_FIELD_RANK[name] for name in SEARCH_FIELDS if term in texts[name]) for term in terms)
        hits.append(SearchHit(item, fields, rank))
    return sorted(hits, key=lambda hit: hit.rank)


# -- counting (stats) -------------------------------------------------------------------------------

STATS_BY = ("lead", "org", "dept", "month", "section", "task", "status")


@dataclass(frozen=True)
class StatRow:
    """One bar of `stats`: key is a unit or department name, "2024-09", a section or task number
    (None: no key task), or a Status. For --by lead, sole + joint = count."""

    key: object
    count: int
    sole: int | None = None
    joint: int | None = None


def _month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def stats(reg: Registry, items: Iterable[Item], by: str, *,
          due_before: dt.date | None = None, due_after: dt.date | None = None) -> list[StatRow]:
    """Counts of items by lead unit (a group counting for each member), unit in any role, department,
    section, key task or status; or of milestones by month due (within the due window if given)."""
    items = list(items)
    units = [o for o in reg.organisations if o.kind != OrgKind.group]
    # One pass over the items, counting every unit an item names (groups as their members): the
    # same as asking leads_item / involves for each unit, without scanning the items once per unit.
    if by == "lead":
        led: Counter[str] = Counter()
        joint: Counter[str] = Counter()
        for item in items:
            leaders = reg.expanded_leads(item)
            led.update(leaders)
            if len(leaders) > 1:
                joint.update(leaders)
        rows = [StatRow(org.name, led[org.name], led[org.name] - joint[org.name], joint[org.name])
                for org in units if led[org.name]]
        return sorted(rows, key=lambda r: -r.count)
    if by == "org":
        involved = Counter(unit for item in items for unit in involved_units(reg, item))
        rows = [StatRow(org.name, involved[org.name]) for org in units]
        return sorted((r for r in rows if r.count), key=lambda r: -r.count)
    if by == "dept":
        counts: dict[str, int] = {}
        for item in items:
            for dept in dict.fromkeys(item.departments):
                counts[dept] = counts.get(dept, 0) + 1
        return sorted((StatRow(k, v) for k, v in counts.items()), key=lambda r: -r.count)
    if by == "month":
        months: dict[str, int] = {}
        for row in milestone_rows(items):
            if in_window(row.due, before=due_before, after=due_after):
                months[_month_key(row.due)] = months.get(_month_key(row.due), 0) + 1
        if not months:
            return []
        # Empty months in between stay visible: a gap in the bar chart is information.
        first, last = min(months), max(months)
        year, month = int(first[:4]), int(first[5:])
        keys = []
        while f"{year:04d}-{month:02d}" <= last:
            keys.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return [StatRow(k, months.get(k, 0)) for k in keys]
    if by == "section":
        return [StatRow(s.number, sum(1 for i in items if i.section == s.number)) for s in reg.sections]
    if by == "task":
        rows = [StatRow(t.number, sum(1 for i in items if i.task == t.number)) for t in reg.tasks]
        rows.append(StatRow(None, sum(1 for i in items if i.task is None)))
        return [r for r in rows if r.count]
    if by == "status":
        return [StatRow(s, sum(1 for i in items if i.status == s)) for s in Status]
    raise ValueError(f"unknown grouping {by!r}; use one of {', '.join(STATS_BY)}")


# -- the organisation registry ----------------------------------------------------------------------

@dataclass(frozen=True)
class OrgSummary:
    """An organisation with its item counts: led counts groups for their members, led_direct only
    items naming the unit itself, involved any role (lead or responsible department)."""

    org: object  # models.Organisation
    groups: list[str]
    led: int
    led_direct: int
    involved: int


def org_summaries(reg: Registry, items: Iterable[Item] | None = None) -> list[OrgSummary]:
    items = list(reg.items if items is None else items)
    led: Counter[str] = Counter()
    led_direct: Counter[str] = Counter()
    involved: Counter[str] = Counter()
    for item in items:
        names = reg.item_lead_names(item)
        led_direct.update(set(names))
        # A group leads its own items and, through them, each member's.
        led.update(set(names) | set(reg.expanded_leads(item)))
        involved.update(involved_units(reg, item) | set(names))
    return [OrgSummary(org=org, groups=[g.name for g in reg.groups_of(org.name)], led=led[org.name],
                       led_direct=led_direct[org.name], involved=involved[org.name])
            for org in reg.organisations]


def involved_units(reg: Registry, item: Item) -> set[str]:
    """Every unit with a role in the item: its leads (groups as their members) and the responsible
    departments that name a unit."""
    return set(reg.expanded_leads(item)) | set(department_orgs(reg, item))
