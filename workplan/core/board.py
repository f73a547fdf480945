"""Traffic lights per item and per lead unit: the status board (红黄绿灯)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from workplan.core.models import Item, Registry
from workplan.core.codes import Light, Status
from workplan.core.units import unit_states
from workplan.core.query import DEFAULT_WARN_DAYS, MilestoneRow, item_light, milestone_light

LIGHT_ORDER = [Light.red, Light.yellow, Light.green, Light.done, Light.cancelled]


def board_lights(board: "StatusBoard") -> list[Light]:
    """The board's light columns: 无时限 (items without a deadline) only when some unit has one."""
    return LIGHT_ORDER + ([Light.none] if any(row.counts[Light.none] for row in board.rows) else [])


def lights_by_item(items: Iterable[Item], as_of: dt.date, warn_days: int = DEFAULT_WARN_DAYS) -> dict[str, Light]:
    """item id → light; for a `light` column in list/due/exports (see LIGHT_COLUMN)."""
    return {item.id: item_light(item, as_of, warn_days) for item in items}


def unit_lights(reg: Registry, item: Item, light: Light) -> list[tuple[str, Light]]:
    """Each lead unit's own light on the item: 已完成 once its share is done, 已取消 once cancelled,
    otherwise the item's light (its open milestones are every unit's)."""
    units = reg.lead_names_and_units(item)[1]
    if len(units) == 1 or not item.progress or light in (Light.done, Light.cancelled):
        return [(unit, light) for unit in units]
    own = {Status.done: Light.done, Status.cancelled: Light.cancelled}
    return [(state.unit, own.get(state.status, light)) for state in unit_states(reg, item)]


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
    """Lights per lead unit (a group's items count for each member, each with its own share's
    light), and the red and yellow items.

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
        for unit, light in unit_lights(reg, item, lights[item.id]):
            if wanted is None or unit in wanted:
                counts.setdefault(unit, {light: 0 for light in [*LIGHT_ORDER, Light.none]})[light] += 1
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
    # Red by how late (the earliest deadline first), then yellow by the days left: what is latest leads.
    attention.sort(key=lambda entry: (entry[1] != Light.red, entry[2].due, entry[0].seq))
    return StatusBoard(as_of, warn_days, rows, lights, attention)
