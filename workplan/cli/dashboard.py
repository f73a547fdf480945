"""dashboard and timeline: the plan at a glance, as one HTML file or in the terminal."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated

import typer

from workplan.cli.app import (
    WARN_DAYS_DEFAULT,
    AsOfOpt,
    DataOpt,
    FilterArgs,
    Lang,
    LangOpt,
    NoCacheOpt,
    WarnDaysOpt,
    command,
    load_selection,
    note,
    with_filters,
)


class GroupBy(str, Enum):
    section = "section"
    lead = "lead"


GroupByOpt = Annotated[GroupBy, typer.Option("--group-by", "-g")]


class DashboardGroup(str, Enum):
    month = "month"
    lead = "lead"
    section = "section"


@command("dashboard")
@with_filters
def dashboard(
    html: Annotated[str, typer.Option("--html", metavar="FILE",
                                      show_default=False)],
    data: DataOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = Lang.zh,
    group_by: Annotated[DashboardGroup, typer.Option(
        "--group-by", help="Group the deadlines by month due, lead unit or section.")] = DashboardGroup.month,
    warn_days: WarnDaysOpt = WARN_DAYS_DEFAULT,
    no_cache: NoCacheOpt = False,
    *,
    filters: FilterArgs,
) -> None:
    """Write a one-file HTML dashboard (help: help.dashboard)."""
    from workplan.exports.dashboard import describe_scope
    from workplan.exports.registry import EXPORTERS, ExportJob, check_target, deliver

    check_target(EXPORTERS["html"], html)
    path, reg, day, resolved, items = load_selection(data, filters, as_of=as_of, no_cache=no_cache)
    deliver(EXPORTERS["html"], ExportJob(reg, items, day, lang.value, registry_path=path,
                                         options={"group_by": group_by.value, "warn_days": warn_days,
                                                  "scope": describe_scope(reg, resolved, lang.value),
                                                  # one lead unit chosen: the page counts its own share
                                                  "unit": resolved.leads[0] if resolved and len(resolved.leads) == 1 else None}),
            html)
    if html != "-":
        note("note.wrote_dashboard", lang.value, path=html, count=len(items), as_of=day.isoformat())
    if not items:
        note("empty.items", lang.value)


# Shape as well as colour, so the chart reads with NO_COLOR and on a grey printout.
LIGHT_SYMBOLS = {"red": "◆", "yellow": "▲", "green": "●", "done": "■", "cancelled": "×"}
LIGHT_STYLES = {"red": "bold red", "yellow": "bold yellow", "green": "green", "done": "blue", "cancelled": "dim"}
SPAN, TODAY = "─", "┊"
SLOT = 3  # characters per month: early, middle and late in the month


def _slot_pos(day) -> int:
    return 0 if day.day <= 10 else 1 if day.day <= 20 else 2


@command("timeline")
@with_filters
def timeline(
    data: DataOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = Lang.zh,
    group_by: GroupByOpt = GroupBy.section,
    warn_days: WarnDaysOpt = WARN_DAYS_DEFAULT,
    no_cache: NoCacheOpt = False,
    *,
    filters: FilterArgs,
) -> None:
    """Draw the plan year in the terminal: one row per item, one cell per month, a mark per milestone (help: help.timeline)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from workplan.core import query
    from workplan.core.labels import t
    from workplan.exports.dashboard import LIGHT_ORDER, page_labels, timeline_range
    from workplan.present.formats import data_console, stdout_is_terminal, write_lines
    from workplan.present.text import visible

    path, reg, day, _, items = load_selection(data, filters, as_of=as_of, no_cache=no_cache)
    if not items:
        note("empty.items", lang.value)
        return
    labels = page_labels(lang.value)
    start, end = timeline_range(reg, items)
    months: list[tuple[int, int]] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    slot_of = {ym: i for i, ym in enumerate(months)}

    def position(d) -> int | None:
        i = slot_of.get((d.year, d.month))
        return None if i is None else i * SLOT + _slot_pos(d)

    console = data_console()
    # seq 4, lead 12, chart, and 3 columns of space between the four columns
    title_width = max(10, min(40, console.width - (4 + 12 + SLOT * len(months) + 9 + 1)))
    table = Table(title=Text(visible(f"{reg.plan.title} · {labels['timeline']}")), box=box.SIMPLE_HEAD,
                  header_style="bold", show_edge=False, pad_edge=False, padding=(0, 1))
    table.add_column(labels["seq"], justify="right", no_wrap=True, min_width=4)
    table.add_column(labels["title"], no_wrap=True, overflow="ellipsis", max_width=title_width)
    table.add_column(labels["lead"], no_wrap=True, overflow="ellipsis", max_width=12)
    header = Text()
    for y, m in months:
        name = str(m) if y == reg.plan.year else f"{y % 100}/{m}"
        header.append(f"{name:^{SLOT}}"[:max(SLOT, len(name))], style="reverse" if (y, m) == (day.year, day.month) else "")
    table.add_column(header, no_wrap=True, width=SLOT * len(months))

    today = position(day)
    issued = position(reg.plan.issued) if start <= reg.plan.issued <= end else 0
    counts = {light: 0 for light in LIGHT_ORDER}
    rows: list[dict] = []  # the same rows, for output that is not a terminal
    for group_label, group_items in _groups(reg, items, group_by.value):
        rows.append({"seq": "", "title": f"{group_label} · {len(group_items)}", "lead": "", "chart": ""})
        # A section title may be wider than the title column: let it wrap rather than lose its end.
        table.add_row("", Text(visible(f"{group_label} · {len(group_items)}"), style="bold", no_wrap=False, overflow="fold"),
                      "", "")
        for item in group_items:
            chars: list[tuple[str, str]] = [(" ", "")] * (SLOT * len(months))
            last = max((m.due for m in item.milestones), default=None)  # none: no deadline, no span
            last_pos = slot_of[(last.year, last.month)] * SLOT + 1 if last else issued
            for p in range(issued, last_pos):
                chars[p] = (SPAN, "dim")
            if today is not None and chars[today][0] in (" ", SPAN):
                chars[today] = (TODAY, "red")
            taken: set[int] = set()
            for i, milestone in enumerate(item.milestones):
                light = query.milestone_light(query.MilestoneRow(item, i, milestone), day, warn_days).value
                counts[query.Light(light)] += 1
                base = slot_of[(milestone.due.year, milestone.due.month)] * SLOT
                spot = next((base + o for o in (1, 2, 0) if base + o not in taken), base + 1)
                taken.add(spot)
                chars[spot] = (LIGHT_SYMBOLS[light], LIGHT_STYLES[light])
            cell = Text()
            for char, style in chars:
                cell.append(char, style=style)
            rows.append({"seq": str(item.seq), "title": item.title, "lead": "、".join(reg.item_lead_names(item)),
                         "chart": cell.plain})
            table.add_row(Text(str(item.seq)), Text(visible(item.title)), Text(visible("、".join(reg.item_lead_names(item)))),
                          cell)
        table.add_section()

    legend = Text()
    for light in LIGHT_ORDER:
        legend.append(LIGHT_SYMBOLS[light.value], style=LIGHT_STYLES[light.value])
        legend.append(f" {labels['light_' + light.value]} {counts[light]}   ")
    legend.append(SPAN * 2, style="dim")
    legend.append(f" {labels['plan_span']}   ")
    legend.append(TODAY, style="red")
    legend.append(f" {labels['as_of']} {day.isoformat()}")
    source = visible(t("caption.source", lang.value, path=path))
    if not stdout_is_terminal():
        # Piped: one line per row, nothing cut or wrapped, no rules (as `list` does).
        from workplan.present.columns import Column
        from workplan.present.terminal import plain_table_lines

        columns = [Column("seq", labels["seq"], labels["seq"], lambda r: r["seq"], numeric=True),
                   Column("title", labels["title"], labels["title"], lambda r: r["title"]),
                   Column("lead", labels["lead"], labels["lead"], lambda r: r["lead"]),
                   Column("chart", header.plain, header.plain, lambda r: r["chart"])]
        lines = list(plain_table_lines(rows, columns, lang.value, title=f"{reg.plan.title} · {labels['timeline']}"))
        del lines[2]  # the dashes under the header: the chart's months are its header
        write_lines(sys.stdout, [*lines, legend.plain, source])
        return
    console.print(table)
    console.print(legend)
    console.print(Text(source))


def _groups(reg, items, by: str):
    """(label, items) in display order: sections in plan order, lead units by number of items."""
    groups: dict[str, list] = {}
    labels: dict[str, str] = {}
    for item in items:
        if by == "lead":
            key = label = "、".join(reg.item_lead_names(item))
        else:
            section = reg.section(item.section)
            key = f"{item.section:04d}"
            label = f"{section.label}{section.title}" if section else str(item.section)
        groups.setdefault(key, []).append(item)
        labels[key] = label
    keys = sorted(groups, key=(lambda k: -len(groups[k])) if by == "lead" else None)
    return [(labels[k], groups[k]) for k in keys]
