"""Query commands: list, due, overdue, upcoming, show, search, stats, orgs.

Each is parse → load → query → render; the logic lives in query.py, the formatting in render.py.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from workplan.core.needs import Need
from workplan.cli.app import (
    WARN_DAYS_DEFAULT,
    AsOfOpt,
    DataOpt,
    FilterArgs,
    Format,
    FormatOpt,
    Lang,
    LangOpt,
    NoCacheOpt,
    UsageError,
    WarnDaysOpt,
    app,
    as_of_date,
    load,
    load_selection,
    note,
    parse_date_option,
    in_other_plan,
    plan_files,
    with_filters,
)


class ItemSort(str, Enum):
    seq = "seq"
    due = "due"
    lead = "lead"
    status = "status"


class StatsBy(str, Enum):
    lead = "lead"
    org = "org"
    dept = "dept"
    month = "month"
    section = "section"
    task = "task"
    status = "status"


def _columns_help(keys) -> str:
    return "Comma-separated column keys (or headers): " + ",".join(keys) + "."


def _item_title(reg, count: int, lang: str) -> str:
    return f"{reg.plan.title} · {count} " + ("items" if lang == "en" else "项")


def _milestone_caption(as_of, count: int, lang: str) -> str:
    if lang == "en":
        return f"{count} milestones · days counted from {as_of.isoformat()}"
    return f"共 {count} 个时间节点 · 剩余天数按 {as_of.isoformat()} 计算"


MILESTONE_EMPTY = {"zh": "没有符合条件的时间节点。", "en": "No matching milestones."}

ItemColumnsOpt = Annotated[Optional[str], typer.Option("--columns", metavar="KEYS", help=_columns_help(
    ["seq", "id", "title", "measures", "departments", "leads", "joint", "lead_units", "due", "deadline", "section",
     "task", "status"]), show_default=False)]
MilestoneColumnsOpt = Annotated[Optional[str], typer.Option("--columns", metavar="KEYS", help=_columns_help(
    ["due", "days_left", "overdue_days", "seq", "id", "title", "text", "measure", "leads", "joint", "status"]),
    show_default=False)]


@app.command("list")
@with_filters
def list_items(
    data: DataOpt = None,
    sort: Annotated[ItemSort, typer.Option("--sort", help="Order of the rows (ties keep the printed order).")] = ItemSort.seq,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="Show at most N items.")] = None,
    columns: ItemColumnsOpt = None,
    as_of: AsOfOpt = None,
    warn_days: WarnDaysOpt = WARN_DAYS_DEFAULT,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
    *,
    filters: FilterArgs,
) -> None:
    """List cooperation items (合作事项), in the seed's order by default.

    The 联合牵头 column says 是 when more than one unit leads the item (三省一市局 counts as its four members).
    The 灯号 column is the item's traffic light as of --as-of: 红灯 overdue, 黄灯 due within --warn-days.

    Example: workplan list --lead 浙江省局 --format csv
    """
    from workplan.core import query
    from workplan.present import render
    from workplan.present.formats import emit, pick_columns

    cols = pick_columns(columns, render.ITEM_COLUMNS, render.DEFAULT_ITEM_COLUMNS)
    whole = fmt in (Format.json, Format.yaml)  # the item objects; a table row needs only its columns
    detail = whole or any(c.key == "measures" for c in cols)
    need = (Need.PROGRESS if whole else Need.QUERY) | (Need.DETAIL if detail else Need.QUERY)
    path, reg, today, _, items = load_selection(data, filters, as_of=as_of, no_cache=no_cache, need=need)
    if sort != ItemSort.seq:  # the filtered items are already in the printed order
        items = query.sort_items(reg, items, sort.value)
    if limit:
        items = items[:limit]
    records = []
    for item in items:
        record = render.item_record(reg, item, progress=whole, detail=detail)
        record["light"] = query.item_light(item, today, warn_days).value
        records.append(record)
    emit(fmt.value, records, cols, lang.value, title=_item_title(reg, len(records), lang.value), source=str(path))


def milestone_need(fmt: Format, columns: str | None) -> Need:
    """What milestone rows read beyond the query fields: the measure (JSON, YAML, a column)."""
    from workplan.present import render
    from workplan.present.formats import pick_columns

    detail = fmt in (Format.json, Format.yaml) or any(
        c.key == "measure" for c in pick_columns(columns, render.MILESTONE_COLUMNS, []))
    return Need.DETAIL if detail else Need.QUERY


def _emit_milestones(reg, rows, as_of, fmt, lang, columns, default_columns, title,
                     warn_days: int = WARN_DAYS_DEFAULT, *, source: str | None = None) -> None:
    from workplan.core import query
    from workplan.present import render
    from workplan.present.formats import emit, pick_columns

    cols = pick_columns(columns, render.MILESTONE_COLUMNS, default_columns)
    detail = Need.DETAIL in milestone_need(fmt, columns)
    records = []
    for row in rows:
        record = render.milestone_row_record(reg, row, as_of, detail=detail)
        record["light"] = query.milestone_light(row, as_of, warn_days).value
        records.append(record)
    emit(fmt.value, records, cols, lang.value, title=title, caption=_milestone_caption(as_of, len(records), lang.value),
         empty_note=MILESTONE_EMPTY[lang.value], source=source)


@app.command("due")
@with_filters
def due(
    before: Annotated[Optional[str], typer.Option("--before", metavar="DATE", help="Due on or before this date (2024-09-30, 9月底, 2024Q3 …).", show_default=False)] = None,
    after: Annotated[Optional[str], typer.Option("--after", metavar="DATE", help="Due on or after this date.", show_default=False)] = None,
    as_of: AsOfOpt = None,
    warn_days: WarnDaysOpt = WARN_DAYS_DEFAULT,
    data: DataOpt = None,
    columns: MilestoneColumnsOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
    *,
    filters: FilterArgs,
) -> None:
    """Milestones (时间节点) due in a window, one row per milestone, by due date; both ends inclusive.

    Days left are counted from --as-of (default today). Item 18 has two milestones and appears with
    the one that falls in the window.

    Example: workplan due --before 2024-09-30 --lead 浙江省局
    """
    from workplan.core import query
    from workplan.present import render

    if before is None and after is None:
        raise UsageError("due: give --before DATE and/or --after DATE, e.g. --before 2024-09-30")
    path, reg = load(data, no_cache=no_cache, need=milestone_need(fmt, columns) | filters.need())
    today = as_of_date(as_of, reg.plan.year)
    end = parse_date_option(before, "--before", plan_year=reg.plan.year, today=today)
    start = parse_date_option(after, "--after", plan_year=reg.plan.year, today=today)
    if end and start and start > end:
        raise UsageError(f"--after {start} is later than --before {end}; the window is empty")
    items = query.filter_items(reg, filters.resolve(reg, today=today))
    rows = query.due_between(items, before=end, after=start)
    window = f"{start or '…'} – {end or '…'}"
    title = f"Due {window}" if lang == Lang.en else f"到期时间节点 {window}"
    _emit_milestones(reg, rows, today, fmt, lang, columns, render.DEFAULT_MILESTONE_COLUMNS, title, warn_days,
                     source=str(path))


@app.command("overdue")
@with_filters
def overdue(
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    columns: MilestoneColumnsOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
    *,
    filters: FilterArgs,
) -> None:
    """Milestones past due whose item is not done (or cancelled), most overdue first.

    A milestone due on the --as-of day itself is not yet overdue.

    Example: workplan overdue --as-of 2024-10-15 --province 浙江
    """
    from workplan.core import query
    from workplan.present import render

    path, reg, today, _, items = load_selection(data, filters, as_of=as_of, no_cache=no_cache,
                                                need=milestone_need(fmt, columns))
    rows = query.overdue(items, as_of=today)
    title = f"Overdue as of {today}" if lang == Lang.en else f"逾期时间节点（截至 {today}）"
    _emit_milestones(reg, rows, today, fmt, lang, columns, render.DEFAULT_OVERDUE_COLUMNS, title, source=str(path))


@app.command("upcoming")
@with_filters
def upcoming(
    within: Annotated[str, typer.Option("--within", metavar="DURATION", help="How far ahead: 30d, 2w, 1m (30 days), 30天 …")] = "30d",
    as_of: AsOfOpt = None,
    warn_days: WarnDaysOpt = WARN_DAYS_DEFAULT,
    data: DataOpt = None,
    columns: MilestoneColumnsOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
    *,
    filters: FilterArgs,
) -> None:
    """Milestones not yet done that fall due from --as-of (default today) to --within days later, inclusive.

    Example: workplan upcoming --within 30d --as-of 2024-10-15
    """
    from workplan.core import query
    from workplan.present import render
    from workplan.core.dates import DateFormError, parse_duration

    try:
        span = parse_duration(within)
    except DateFormError as exc:
        raise UsageError(f"--within: {exc}") from None
    path, reg, today, _, items = load_selection(data, filters, as_of=as_of, no_cache=no_cache,
                                                need=milestone_need(fmt, columns))
    rows = query.upcoming(items, as_of=today, within=span)
    end = today + span
    title = f"Due {today} – {end}" if lang == Lang.en else f"即将到期时间节点 {today} – {end}"
    _emit_milestones(reg, rows, today, fmt, lang, columns, render.DEFAULT_MILESTONE_COLUMNS, title, warn_days,
                     source=str(path))


@app.command("show")
def show(
    keys: Annotated[list[str], typer.Argument(help="Item id (2024-36b, 36b) or printed 序号 (36).", show_default=False)],
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
) -> None:
    """Everything about one item: measures, milestones, leads (groups expanded), departments, key task,
    section, status and progress. 序号 36 is printed twice, so `show 36` shows both items.

    JSON/YAML give a list of item objects with section_title, task_title, departments_text and note.

    Example: workplan show 18
    """
    from workplan.core import query
    from workplan.present import render
    from workplan.present.formats import View, data_console, write

    path, reg = load(data, no_cache=no_cache)
    today = as_of_date(as_of, reg.plan.year)
    items = []
    for key in keys:
        found = query.find_items(reg, key)
        if not found:
            close = query.suggest_items(reg, key)
            hint = ("; did you mean " + ", ".join(f"{i.id} {i.title}" for i in close) + "?") if close else \
                f"; ids look like 2024-07, 序号 runs from 1 to {max(i.seq for i in reg.items)}"
            raise UsageError(f"no item {key!r}{in_other_plan(key, data) or hint}")
        if len(found) > 1:
            ids = " 与 ".join(i.id for i in found) if lang == Lang.zh else " and ".join(i.id for i in found)
            note(f"序号 {key} 在清单中出现了 {len(found)} 次（{ids}），以下全部显示。" if lang == Lang.zh else
                 f"序号 {key} is printed {len(found)} times in the plan ({ids}); showing all.")
        items += [i for i in found if i not in items]
    from workplan.core.plans import plan_of

    history = _histories(data, reg, items, no_cache)
    records = []
    for item in items:
        record = render.show_record(plan_of(reg, item), item)
        if history.get(item.id):
            record["history"] = history[item.id]
        records.append(record)

    def detail(console) -> None:
        for item, record in zip(items, records):
            console.print(render.show_table(plan_of(reg, item), record, lang.value, today))

    def detail_lines():
        console = data_console()
        with console.capture() as captured:
            detail(console)
        yield captured.get().rstrip("\n")

    write(fmt, View(records, list(render.ITEM_COLUMNS.values()), lang.value, terminal=detail, plain=detail_lines,
                    source=str(path)))


def _histories(data, reg, items, no_cache: bool) -> dict[str, list[dict]]:
    """For each item, the items of other plans it was carried from or into (`show`'s history).

    Only a project folder with several plans is read, each through the cache."""
    from workplan.core.plans import lineage
    from workplan.present import render
    from workplan.store import plans
    from workplan.store.repository import Repository

    known = plans.discover()
    if len(known) < 2 and not any(item.carried_from for item in items):
        return {}
    chosen = plan_files(data)
    single = len(chosen) == 1
    everything = []
    for plan in known:
        if single and plan.path.resolve() == chosen[0].path.resolve():
            everything.append((plan.name, reg))
            continue
        try:
            everything.append((plan.name, Repository(plan.path, use_cache=not no_cache).open(Need.ALL)))
        except Exception as exc:
            from workplan.store.load import RegistryError

            if not isinstance(exc, RegistryError):
                raise  # a plan that cannot be read has no history to tell; `validate` reports it
    if single and all(plan.path.resolve() != chosen[0].path.resolve() for plan in known):
        everything.append((chosen[0].name, reg))
    out: dict[str, list[dict]] = {}
    for item in items:
        found = lineage(item, everything)
        entries = [render.history_record("from", name, other) for name, other in found.earlier]
        if item.carried_from and not found.earlier:
            entries.append({"relation": "from", "plan": None, "id": item.carried_from})
        entries += [render.history_record("to", name, other) for name, other in found.later]
        if entries:
            out[item.id] = entries
    return out


@app.command("search")
@with_filters
def search(
    query_text: Annotated[list[str], typer.Argument(metavar="QUERY", help="Words to find; every word must occur.", show_default=False)],
    data: DataOpt = None,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="Show at most N items.")] = None,
    columns: Annotated[Optional[str], typer.Option("--columns", metavar="KEYS", help=_columns_help(
        ["seq", "id", "title", "leads", "joint", "departments", "matched_in", "excerpt", "measures", "due", "status"]),
        show_default=False)] = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
    *,
    filters: FilterArgs,
) -> None:
    """Full-text search over titles, measures, responsible departments and key task text; matches are
    highlighted in the table. Title matches come first, then measures/departments, then items whose
    key task text matches.

    JSON/YAML give item objects plus matched_in and excerpt.

    Example: workplan search 食品 追溯
    """
    from workplan.core import query
    from workplan.present import render
    from workplan.present.formats import emit, pick_columns

    text = " ".join(query_text)
    terms = query.search_terms(text)
    if not terms:
        raise UsageError("search: give a word to look for, e.g. workplan search 食品")
    cols = pick_columns(columns, render.SEARCH_COLUMNS, render.DEFAULT_SEARCH_COLUMNS)
    path, reg, _, _, items = load_selection(data, filters, no_cache=no_cache)
    hits = query.search_items(reg, items, text)
    if limit:
        hits = hits[:limit]
    records = [render.search_record(reg, hit, terms) for hit in hits]
    title = f"“{text}” · {len(records)} " + ("items" if lang == Lang.en else "项")
    emit(fmt.value, records, cols, lang.value, title=title, highlight=terms, source=str(path))


@app.command("stats")
@with_filters
def stats(
    by: Annotated[StatsBy, typer.Option("--by", help="Count items by lead unit, unit in any role, department, "
                                        "section, key task or status; or milestones by month due.")] = StatsBy.lead,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
    *,
    filters: FilterArgs,
) -> None:
    """How the load is spread: counts with a small bar chart in the terminal.

    --by lead counts an item for every unit that leads it (三省一市局 for each member), so the counts add
    up to more than the number of items; 单独牵头 + 联合牵头 = 事项数. --by month counts milestones.

    Example: workplan stats --by month --lead 浙江省局
    """
    from workplan.core import query
    from workplan.present import render
    from workplan.present.formats import emit

    path, reg, _, resolved, items = load_selection(data, filters, no_cache=no_cache, need=Need.QUERY)
    rows = query.stats(reg, items, by.value, due_before=resolved.due_before, due_after=resolved.due_after)
    records = [render.stat_record(reg, row, by.value, lang.value) for row in rows]
    unit = "milestones" if by == StatsBy.month else "items"
    if lang == Lang.en:
        title = f"{len(items)} items by {by.value}"
    else:
        title = f"{len(items)} 项事项 · 按{render.STATS_HEADERS[by.value][0]}统计"
    caption = None
    if by == StatsBy.lead:
        caption = ("A group counts for each member; counts overlap." if lang == Lang.en
                   else "三省一市局牵头的事项计入每个成员单位，各行之和可能大于事项总数。")
    if not items:
        records = []  # zero rows for every section/status would hide that nothing matched
    emit(fmt.value, records, render.stats_columns(by.value), lang.value, title=title, caption=caption,
         table_extra=[render.bar_column(records)],
         empty_note={"zh": f"没有符合条件的{'时间节点' if unit == 'milestones' else '事项'}。",
                     "en": f"No matching {unit}."}[lang.value], source=str(path))


@app.command("orgs")
def orgs(
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
) -> None:
    """The organisation registry: kind, province, aliases, group members and item counts.

    牵头事项 counts items a group leads for each of its members; 其中直接牵头 only items naming the unit;
    涉及事项 any role, lead or responsible department.

    Example: workplan orgs --format csv
    """
    from workplan.core import query
    from workplan.present import render
    from workplan.present.formats import emit

    path, reg = load(data, no_cache=no_cache)
    records = [render.org_record(s, lang.value) for s in query.org_summaries(reg)]
    title = f"{len(records)} organisations" if lang == Lang.en else f"单位 · {len(records)} 个"
    keys = render.TABLE_ORG_COLUMNS if fmt == Format.table else render.DEFAULT_ORG_COLUMNS
    emit(fmt.value, records, [render.ORG_COLUMNS[k] for k in keys], lang.value, title=title, source=str(path))
