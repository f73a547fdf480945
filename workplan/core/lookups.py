"""Looking a registry's units, sections and tasks up by name and number.

One definition for the pydantic Registry (workplan.core.models) and for the plain registry a warm
query reads from the cache (workplan.store.index), which needs no pydantic at all.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from workplan.core.codes import OrgKind


class RegistryLookups:
    """Lookups over the `organisations`, `sections` and `tasks` of the class it is mixed into,
    built once per registry read."""

    @cached_property
    def _orgs_by_name(self) -> dict[str, Any]:
        table: dict[str, Any] = {}
        for org in self.organisations:
            for name in (org.name, *org.aliases):
                table.setdefault(name, org)
        return table

    def org(self, name: str):
        """The organisation a name or alias stands for, or None."""
        return self._orgs_by_name.get(name.strip())

    def org_names(self) -> list[str]:
        """Every name and alias, for suggestions."""
        return list(self._orgs_by_name)

    def groups_of(self, name: str) -> list:
        """The groups a unit belongs to (三省一市局 for 浙江省局)."""
        return [g for g in self.organisations if g.kind == OrgKind.group and name in g.members]

    def section(self, number: int):
        return self._sections.get(number)

    @cached_property
    def _sections(self) -> dict[int, Any]:
        return {s.number: s for s in self.sections}

    def task(self, number: int):
        return self._tasks.get(number)

    @cached_property
    def _tasks(self) -> dict[int, Any]:
        return {t.number: t for t in self.tasks}

    def item_lead_names(self, item) -> list[str]:
        """The item's lead units by canonical name (aliases resolved)."""
        return list(self._resolved_leads(tuple(item.leads))[0])

    def expanded_leads(self, item) -> list[str]:
        """Lead units with every group replaced by its members, in order, without repeats."""
        return list(self._resolved_leads(tuple(item.leads))[1])

    def lead_names_and_units(self, item) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """item_lead_names and expanded_leads from one lookup, as tuples (for rows by the thousand)."""
        return self._resolved_leads(tuple(item.leads))

    @cached_property
    def _lead_memo(self) -> dict[tuple, tuple[tuple[str, ...], tuple[str, ...]]]:
        return {}

    def _resolved_leads(self, leads: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        # Large registries repeat a few lead combinations many times: resolve each combination once.
        known = self._lead_memo.get(leads)
        if known is None:
            names = tuple(self.org(name).name if self.org(name) else name for name in leads)
            units: list[str] = []
            for name in names:
                org = self.org(name)
                for unit in (org.members if org and org.kind == OrgKind.group else [name]):
                    if unit not in units:
                        units.append(unit)
            known = self._lead_memo[leads] = (names, tuple(units))
        return known
