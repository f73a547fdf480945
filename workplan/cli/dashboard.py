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
    from workplan.core.timeline import chart
    from workplan.present.formats import STREAM_ROWS, data_console, stdout_is_terminal, write_lines
    from workplan.present.timeline import timeline_plain, timeline_terminal

    path, reg, day, _, items = load_selection(data, filters, as_of=as_of, no_cache=no_cache)
    if not items:
        note("empty.items", lang.value)
        return
    drawn = chart(reg, items, day, group_by=group_by.value, warn_days=warn_days)
    words = {"as_of_text": day.isoformat(), "source": str(path)}
    if not stdout_is_terminal():
        write_lines(sys.stdout, timeline_plain(reg, drawn, lang.value, **words))
        return
    from rich.text import Text

    console = data_console()
    lines = timeline_terminal(reg, drawn, lang.value, console.width, **words)
    for start in range(0, len(lines), STREAM_ROWS):  # the first lines of a long chart appear at once
        # Every line is laid out to fit already: soft_wrap spares rich wrapping them again.
        console.print(Text("\n").join(lines[start:start + STREAM_ROWS]), soft_wrap=True)
