"""workplan as a library: open a registry, select items, look at deadlines, export files.

    import workplan

    plan = workplan.open("data/items.yaml")
    for item in plan.items(lead="浙江省局", status="推进中"):
        print(item.id, item.title)
    late = plan.overdue(as_of="2024-10-15")
    plan.export("浙江.xlsx", lead="浙江省局", as_of="2024-10-15")

Filters take the CLI's option names as keywords (lead, org, province, dept, section, task, status,
text, due_before, due_after, direct) and the same forms of names and dates; a list means any of
them. Errors are the domain's: UnknownName (with suggestions), FilterDateError, DateFormError,
RegistryError (with located problems), WriteError.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from workplan.core import query
from workplan.core.codes import Light
from workplan.core.dates import parse_date
from workplan.core.needs import Need
from workplan.store.repository import Repository

# The exporter for a file's suffix, when `export` is not told the kind.
_KIND_BY_SUFFIX = {".xlsx": "xlsx", ".csv": "csv", ".json": "json", ".sqlite": "sqlite", ".db": "sqlite",
                   ".ics": "ics", ".html": "html"}


class Plan:
    """One registry, read once; `registry` is the validated model (workplan.core.models.Registry)."""

    def __init__(self, repository: Repository) -> None:
        self.repository = repository
        self.registry = repository.open(Need.ALL)

    @property
    def path(self) -> Path:
        return self.repository.path

    def day(self, as_of: str | dt.date | None = None) -> dt.date:
        """A date typed in any accepted form (2024-10-15, 10月15日, today …); today when None."""
        if as_of is None:
            return dt.date.today()
        return as_of if isinstance(as_of, dt.date) else parse_date(as_of, plan_year=self.registry.plan.year)

    def filters(self, *, as_of: str | dt.date | None = None, **given: Any) -> query.Filters:
        unknown = sorted(set(given) - set(query.FILTER_FIELDS))
        if unknown:
            raise TypeError(f"unknown filter {', '.join(unknown)}; use {', '.join(query.FILTER_FIELDS)}")
        typed = {query.FILTER_FIELDS[name]: value for name, value in given.items() if value not in (None, [], "")}
        return query.resolve_filters(self.registry, typed, today=self.day(as_of))

    def items(self, **filters: Any) -> list:
        """The items the filters keep, in the plan's printed order."""
        return query.filter_items(self.registry, self.filters(**filters))

    def item(self, key: str):
        """One item by id (2024-07) or 序号 (7); LookupError if none or several."""
        found = query.find_items(self.registry, key)
        if len(found) != 1:
            raise LookupError(f"{len(found)} items match {key!r}")
        return found[0]

    def due(self, *, before: str | dt.date | None = None, after: str | dt.date | None = None, **filters: Any) -> list:
        """Milestones (MilestoneRow) due in the window, both ends inclusive, by due date."""
        return query.due_between(self.items(**filters), before=before and self.day(before), after=after and self.day(after))

    def overdue(self, *, as_of: str | dt.date | None = None, **filters: Any) -> list:
        return query.overdue(self.items(**filters), as_of=self.day(as_of))

    def light(self, item, *, as_of: str | dt.date | None = None, warn_days: int = query.DEFAULT_WARN_DAYS) -> Light:
        return query.item_light(item, self.day(as_of), warn_days)

    def export(self, target: str | Path, *, kind: str | None = None, as_of: str | dt.date | None = None,
               lang: str = "zh", items: list | None = None, **filters: Any) -> None:
        """Write the items (given, or kept by the filters) as a file workplan makes; the kind is
        the file's suffix unless named (xlsx, csv, json, sqlite, ics, html)."""
        from workplan.exports.registry import EXPORTERS, ExportJob, deliver

        name = kind or _KIND_BY_SUFFIX.get(Path(target).suffix.lower())
        if name not in EXPORTERS:
            raise ValueError(f"{target}: say which kind of file: one of {', '.join(EXPORTERS)}")
        resolved = self.filters(as_of=as_of, **filters)
        chosen = query.filter_items(self.registry, resolved) if items is None else items
        # a workbook for one unit shows that unit's sheet, a group standing for its members
        units = [m for name in resolved.leads for m in (self.registry.org(name).members or [name])]
        options = {"warn_days": query.DEFAULT_WARN_DAYS, "units": units}
        deliver(EXPORTERS[name], ExportJob(self.registry, chosen, self.day(as_of), lang, registry_path=self.path,
                                           options=options), str(target))


def open(path: str | Path | None = None, *, use_cache: bool = True) -> Plan:  # noqa: A001  (as sqlite_utils.Database)
    """The plan in a registry file: `path`, else $WORKPLAN_DATA, ./data/items.yaml or the shipped copy."""
    return Plan(Repository.find(path, use_cache=use_cache))
