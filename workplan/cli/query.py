"""Query commands: list, due, overdue, upcoming, show, search, stats, orgs.

Each is parse → load → query → render; the logic lives in query.py, the formatting in present/ (records, columns, terminal).
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from workplan.core.labels import t
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
    as_of_date,
    command,
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


def _item_title(reg, count: int, lang: str) -> str:
    return t("title.items", lang, plan=reg.plan.title, count=count)


def _milestone_caption(as_of, count: int, lang: str) -> str:
    return t("caption.lateness", lang, count=count, as_of=as_of.isoformat())


ItemColumnsOpt = Annotated[Optional[str], typer.Option("--columns", metavar="KEYS", show_default=False)]
MilestoneColumnsOpt = ItemColumnsOpt
BeforeAlias = Annotated[Optional[str], typer.Option("--before", metavar="DATE", hidden=True, show_default=False)]
AfterAlias = Annotated[Optional[str], typer.Option("--after", metavar="DATE", hidden=True, show_default=False)]


@command("list")
@with_filters
def list_items(
    data: DataOpt = None,
    sort: Annotated[ItemSort, typer.Option("--sort")] = ItemSort.seq,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1)] = None,
    columns: ItemColumnsOpt = None,
    as_of: AsOfOpt = None,
    warn_days: WarnDaysOpt = WARN_DAYS_DEFAULT,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
    *,
    filters: FilterArgs,
) -> None:
    """List cooperation items (help: help.list)."""
    from workplan.core import query
    from workplan.present.columns import DEFAULT_ITEM_COLUMNS, ITEM_COLUMNS
    from workplan.present.records import item_record
    from workplan.present.formats import emit, pick_columns

    cols = pick_columns(columns, ITEM_COLUMNS, DEFAULT_ITEM_COLUMNS)
    whole = fmt in (Format.json, Format.yaml)  # the item objects; a table row needs only its columns
    detail = whole or any(c.key == "measures" for c in cols)
    reports = whole or any(c.key == "share" for c in cols)  # the share's latest report has its words
    need = (Need.PROGRESS if reports else Need.QUERY) | (Need.DETAIL if detail else Need.QUERY)
    path, reg, today, resolved, items = load_selection(data, filters, as_of=as_of, no_cache=no_cache, need=need,
                                                       own_share=True)
    shares = own_shares(reg, items, resolved)
    if sort != ItemSort.seq:  # the filtered items are already in the printed order
        items = query.sort_items(reg, items, sort.value)
    if limit:
        items = items[:limit]
    records = []
    for item in items:
        record = item_record(reg, item, progress=whole, detail=detail)
        record["light"] = query.item_light(item, today, warn_days).value
        if item.id in shares:
            record["share"] = shares[item.id].record()
        records.append(record)
    emit(fmt.value, records, cols, lang.value, title=_item_title(reg, len(records), lang.value), source=str(path),
         columns_option=True)


def own_shares(reg, items, resolved) -> dict:
    """item id → the --lead units' own share, for the joint items they share with other units."""
    from workplan.core.units import share_views

    return share_views(reg, items, resolved.leads)[1] if resolved.leads else {}


def milestone_need(fmt: Format, columns: str | None) -> Need:
    """What milestone rows read beyond the query fields: the measure (JSON, YAML, a column)."""
    from workplan.present.columns import MILESTONE_COLUMNS
    from workplan.present.formats import pick_columns

    detail = fmt in (Format.json, Format.yaml) or any(
        c.key == "measure" for c in pick_columns(columns, MILESTONE_COLUMNS, []))
    return Need.DETAIL if detail else Need.QUERY


def _emit_milestones(reg, rows, as_of, fmt, lang, columns, default_columns, title,
                     warn_days: int = WARN_DAYS_DEFAULT, *, source: str | None = None, shares=None,
                     available=None) -> None:
    from workplan.core import query
    from workplan.present.columns import MILESTONE_COLUMNS
    from workplan.present.records import milestone_row_record
    from workplan.present.formats import emit, pick_columns

    cols = pick_columns(columns, available or MILESTONE_COLUMNS, default_columns)
    detail = Need.DETAIL in milestone_need(fmt, columns)
    records = []
    for row in rows:
        record = milestone_row_record(reg, row, as_of, detail=detail)
        record["light"] = query.milestone_light(row, as_of, warn_days).value
        if shares and row.item.id in shares:
            record["share"] = shares[row.item.id].record()
        records.append(record)
    emit(fmt.value, records, cols, lang.value, title=title, caption=_milestone_caption(as_of, len(records), lang.value),
         columns_option=True,
         empty_note=t("empty.milestones", lang.value), source=source)


@command("due")
@with_filters
def due(
    before: BeforeAlias = None,
    after: AfterAlias = None,
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
    """Milestones due in a window (help: help.due). The window is --due-before/--due-after, the
    filters' own pair; --before/--after are its old spellings, kept working, hidden."""
    from workplan.core import query
    from workplan.present.columns import DEFAULT_MILESTONE_COLUMNS

    before_option, after_option = ("--due-before", "--due-after")
    if filters.due_before is None and before is not None:
        filters.due_before, before_option = before, "--before"
    if filters.due_after is None and after is not None:
        filters.due_after, after_option = after, "--after"
    if filters.due_before is None and filters.due_after is None:
        raise UsageError("error.due_needs_window")
    path, reg = load(data, no_cache=no_cache, need=milestone_need(fmt, columns) | filters.need())
    today = as_of_date(as_of, reg.plan.year)
    end = parse_date_option(filters.due_before, before_option, plan_year=reg.plan.year, today=today)
    start = parse_date_option(filters.due_after, after_option, plan_year=reg.plan.year, today=today, start=True)
    if end and start and start > end:
        raise UsageError("error.empty_window", after=after_option, start=start, before=before_option, end=end)
    resolved = filters.resolve(reg, today=today)
    items = query.filter_items(reg, resolved, own_share=True)
    rows = query.due_between(items, before=end, after=start)
    title = t("title.due", lang.value, start=start or "…", end=end or "…")
    _emit_milestones(reg, rows, today, fmt, lang, columns, DEFAULT_MILESTONE_COLUMNS, title, warn_days,
                     source=str(path), shares=own_shares(reg, items, resolved))


@command("overdue")
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
    """Milestones past due, most overdue first (help: help.overdue)."""
    from workplan.core import query
    from workplan.present.columns import DEFAULT_OVERDUE_COLUMNS, OVERDUE_COLUMNS

    path, reg, today, resolved, items = load_selection(data, filters, as_of=as_of, no_cache=no_cache,
                                                       need=milestone_need(fmt, columns), own_share=True)
    rows = query.overdue(items, as_of=today)
    title = t("title.overdue", lang.value, as_of=today)
    _emit_milestones(reg, rows, today, fmt, lang, columns, DEFAULT_OVERDUE_COLUMNS, title, source=str(path),
                     shares=own_shares(reg, items, resolved), available=OVERDUE_COLUMNS)


@command("upcoming")
@with_filters
def upcoming(
    within: Annotated[str, typer.Option("--within", metavar="DURATION")] = "30d",
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
    """Milestones falling due soon (help: help.upcoming)."""
    from workplan.core import query
    from workplan.present.columns import DEFAULT_MILESTONE_COLUMNS
    from workplan.core.dates import DateFormError, parse_duration

    try:
        span = parse_duration(within)
    except DateFormError as exc:
        raise UsageError("error.option", option="--within", reason=exc) from None
    path, reg, today, resolved, items = load_selection(data, filters, as_of=as_of, no_cache=no_cache,
                                                       need=milestone_need(fmt, columns), own_share=True)
    rows = query.upcoming(items, as_of=today, within=span)
    end = today + span
    title = t("title.upcoming", lang.value, start=today, end=end)
    _emit_milestones(reg, rows, today, fmt, lang, columns, DEFAULT_MILESTONE_COLUMNS, title, warn_days,
                     source=str(path), shares=own_shares(reg, items, resolved))


@command("show")
def show(
    keys: Annotated[list[str], typer.Argument(metavar="ID|序号", show_default=False)],
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
) -> None:
    """Everything about one item (help: help.show)."""
    from workplan.core import query
    from workplan.present.columns import ITEM_COLUMNS
    from workplan.present.records import show_record
    from workplan.present.terminal import show_lines, show_table
    from workplan.present.formats import View, write

    path, reg = load(data, no_cache=no_cache)
    today = as_of_date(as_of, reg.plan.year)
    items = []
    for key in keys:
        found = query.find_items(reg, key)
        if not found:
            close = query.suggest_items(reg, key)
            elsewhere = in_other_plan(key, data)
            if elsewhere:
                raise UsageError("error.no_item_elsewhere", key=key, elsewhere=elsewhere)
            if close:
                raise UsageError("error.no_item_suggest", key=key, suggestions=[f"{i.id} {i.title}" for i in close])
            raise UsageError("error.no_item", key=key, last=max(i.seq for i in reg.items))
        if len(found) > 1:
            note("note.seq_twice", lang.value, key=key, count=len(found), ids=[i.id for i in found])
        items += [i for i in found if i not in items]
    from workplan.core.plans import plan_of

    history = _histories(data, reg, items, no_cache)
    records = []
    for item in items:
        record = show_record(plan_of(reg, item), item)
        if history.get(item.id):
            record["history"] = history[item.id]
        records.append(record)

    def detail(console) -> None:
        for item, record in zip(items, records):
            console.print(show_table(plan_of(reg, item), record, lang.value, today, console.width))

    def detail_lines():
        for n, (item, record) in enumerate(zip(items, records)):
            if n:
                yield ""
            yield from show_lines(plan_of(reg, item), record, lang.value, today)

    write(fmt, View(records, list(ITEM_COLUMNS.values()), lang.value, terminal=detail, plain=detail_lines,
                    source=str(path)))


def _histories(data, reg, items, no_cache: bool) -> dict[str, list[dict]]:
    """For each item, the items of other plans it was carried from or into (`show`'s history).

    Only a project folder with several plans is read, each through the cache."""
    from workplan.core.plans import lineage
    from workplan.present.records import history_record
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
        entries = [history_record("from", name, other) for name, other in found.earlier]
        if item.carried_from and not found.earlier:
            entries.append({"relation": "from", "plan": None, "id": item.carried_from})
        entries += [history_record("to", name, other) for name, other in found.later]
        if entries:
            out[item.id] = entries
    return out


@command("search")
@with_filters
def search(
    query_text: Annotated[list[str], typer.Argument(metavar="QUERY", show_default=False)],
    data: DataOpt = None,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1)] = None,
    columns: ItemColumnsOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
    *,
    filters: FilterArgs,
) -> None:
    """Full-text search (help: help.search)."""
    from workplan.core import query
    from workplan.present.columns import DEFAULT_SEARCH_COLUMNS, SEARCH_COLUMNS
    from workplan.present.records import search_record
    from workplan.present.formats import emit, pick_columns

    text = " ".join(query_text)
    terms = query.search_terms(text)
    if not terms:
        raise UsageError("error.search_needs_words")
    cols = pick_columns(columns, SEARCH_COLUMNS, DEFAULT_SEARCH_COLUMNS)
    path, reg, _, _, items = load_selection(data, filters, no_cache=no_cache)
    hits = query.search_items(reg, items, text)
    if limit:
        hits = hits[:limit]
    records = [search_record(reg, hit, terms, lang.value) for hit in hits]
    title = t("title.search", lang.value, text=text, count=len(records))
    emit(fmt.value, records, cols, lang.value, title=title, highlight=terms, source=str(path),
         columns_option=True)


@command("stats")
@with_filters
def stats(
    group_by: Annotated[StatsBy, typer.Option("--group-by", "-g")] = StatsBy.lead,
    by: Annotated[Optional[StatsBy], typer.Option("--by", hidden=True, show_default=False)] = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
    *,
    filters: FilterArgs,
) -> None:
    """Counts with a bar chart (help: help.stats); --by is the old spelling of --group-by."""
    from workplan.core import query
    from workplan.present.columns import bar_column, stats_columns
    from workplan.present.records import stat_record
    from workplan.present.formats import emit

    by = by or group_by
    path, reg, _, resolved, items = load_selection(data, filters, no_cache=no_cache, need=Need.QUERY, own_share=True)
    rows = query.stats(reg, items, by.value, due_before=resolved.due_before, due_after=resolved.due_after)
    records = [stat_record(reg, row, by.value, lang.value) for row in rows]
    title = t("title.stats", lang.value, count=len(items), by=stats_columns(by.value)[0].header(lang.value))
    caption = t("caption.stats_lead", lang.value) if by == StatsBy.lead else None
    if not items:
        records = []  # zero rows for every section/status would hide that nothing matched
    emit(fmt.value, records, stats_columns(by.value), lang.value, title=title, caption=caption,
         table_extra=[bar_column(records)],
         empty_note=t("empty.milestones" if by == StatsBy.month else "empty.items", lang.value), source=str(path))


@command("orgs")
def orgs(
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
) -> None:
    """The organisation registry (help: help.orgs)."""
    from workplan.core import query
    from workplan.present.columns import DEFAULT_ORG_COLUMNS, ORG_COLUMNS, TABLE_ORG_COLUMNS
    from workplan.present.records import org_record
    from workplan.present.formats import emit

    path, reg = load(data, no_cache=no_cache)
    records = [org_record(s, lang.value) for s in query.org_summaries(reg)]
    title = t("title.orgs", lang.value, count=len(records))
    keys = TABLE_ORG_COLUMNS if fmt == Format.table else DEFAULT_ORG_COLUMNS
    emit(fmt.value, records, [ORG_COLUMNS[k] for k in keys], lang.value, title=title, source=str(path))
