"""Query commands: list (and, in the query issue, due, overdue, show, search, stats, orgs)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from ..app import DataOpt, FilterArgs, Format, FormatOpt, Lang, LangOpt, NoCacheOpt, app, load, with_filters


class ItemSort(str, Enum):
    seq = "seq"
    due = "due"
    lead = "lead"
    status = "status"


@app.command("list")
@with_filters
def list_items(
    data: DataOpt = None,
    sort: Annotated[ItemSort, typer.Option("--sort", help="Order of the rows.")] = ItemSort.seq,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="Show at most N items.")] = None,
    columns: Annotated[Optional[str], typer.Option("--columns", help="Comma-separated: seq,id,title,measures,departments,leads,due,section,task,status.")] = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
    *,
    filters: FilterArgs,
) -> None:
    """List cooperation items (合作事项), in the seed's order by default.

    Example: workplan list --lead 浙江省局 --format csv
    """
    from .. import query, render
    from ..output import emit, pick_columns

    path, reg = load(data, no_cache=no_cache)
    items = query.filter_items(reg, filters.resolve(reg))
    if sort == ItemSort.due:
        items.sort(key=lambda i: min(m.due for m in i.milestones))
    elif sort == ItemSort.lead:
        items.sort(key=lambda i: reg.item_lead_names(i)[0])
    elif sort == ItemSort.status:
        order = list(type(items[0].status)) if items else []
        items.sort(key=lambda i: order.index(i.status))
    if limit:
        items = items[:limit]
    records = [render.item_record(reg, item) for item in items]
    cols = pick_columns(columns, render.ITEM_COLUMNS, render.DEFAULT_ITEM_COLUMNS)
    emit(fmt.value, records, cols, lang.value, title=f"{reg.plan.title} · {len(records)} 项")
