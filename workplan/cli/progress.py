"""Progress tracking commands: update, log, status (traffic lights), report (bulletin), calendar."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Optional

import typer

from workplan.core.labels import Message, t
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
    with_filters,
)
from workplan.cli.documents import pdf_target, project_config, write_pdf


def _one_item(reg, key: str, data=None):
    """The item an id or a unique 序号 names; `data` (--plan) lets the refusal name the plan that has it."""
    from workplan.cli.app import in_other_plan
    from workplan.core import query

    items = query.find_items(reg, key)
    if not items:
        elsewhere = in_other_plan(key, data)
        if elsewhere:
            raise UsageError("error.no_item_elsewhere", key=key, elsewhere=elsewhere)
        raise UsageError("error.no_item_for_update", key=key)
    if len(items) > 1:
        raise UsageError("error.ambiguous_seq", key=key, items=[Message("hint.id_title", id=i.id, title=i.title) for i in items])
    return items[0]


# -- update ---------------------------------------------------------------------------------------

@command("update")
def update(
    key: Annotated[str, typer.Argument(metavar="ID", show_default=False)],
    status: Annotated[Optional[str], typer.Option("--status", "-s", show_default=False)] = None,
    note_text: Annotated[Optional[str], typer.Option("--note", "-m", show_default=False)] = None,
    by: Annotated[Optional[str], typer.Option("--by", show_default=False)] = None,
    date: Annotated[Optional[str], typer.Option("--date", show_default=False)] = None,
    evidence: Annotated[Optional[str], typer.Option("--evidence", show_default=False)] = None,
    milestone: Annotated[Optional[int], typer.Option("--milestone", min=1, show_default=False)] = None,
    done: Annotated[bool, typer.Option("--done")] = False,
    force: Annotated[bool, typer.Option("--force")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run")] = False,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """Record progress on an item: append a dated report, change its status, mark milestones done (help: help.update)."""
    from workplan.core import query
    from workplan.core.labels import status_label, t
    from workplan.core.update import UpdateRefused, UpdateRequest, plan_update
    from workplan.cli.app import held, registry_path
    from workplan.store.repository import Repository

    repository = Repository(registry_path(data, what="update", to_write=not dry_run))
    path = repository.path
    reg, digest = repository.open_for_change(hold=None if dry_run else held())
    today = as_of_date(as_of, reg.plan.year)
    item = _one_item(reg, key, data)
    try:
        new_status = query.resolve_status(status) if status is not None else None
    except query.UnknownName as exc:
        raise UsageError("error.option", option="--status", reason=exc) from None
    from workplan.store.config import ConfigError, default_unit

    try:
        by = by or default_unit()  # $WORKPLAN_UNIT or workplan.toml: the person's own unit
    except ConfigError as exc:
        raise UsageError("store.config_error", message=exc.args[0]) from None
    request = UpdateRequest(
        status=new_status, note=note_text, by=by, evidence=evidence, milestone=milestone, done=done, force=force,
        date=parse_date_option(date, "--date", plan_year=reg.plan.year, today=today),
    )
    try:
        plan = plan_update(reg, item, request, as_of=today)
    except UpdateRefused as exc:
        raise UsageError("error.about_item", id=item.id, reason=exc) from None
    l = lang.value
    if plan.new_status != plan.old_status:
        summary = t("note.update_change", l, id=item.id, title=item.title, old=status_label(plan.old_status, l),
                    new=status_label(plan.new_status, l))
    else:
        summary = t("note.update_same", l, id=item.id, title=item.title, status=status_label(plan.new_status, l))
    if len(plan.units) and plan.unit_new is not None and len(reg.lead_names_and_units(item)[1]) > 1:
        summary += t("note.update_share", l, units=list(plan.units), old=status_label(plan.unit_old, l),
                     new=status_label(plan.unit_new, l))
    if plan.milestones_done:
        summary += t("note.update_milestones", l, numbers=[str(i + 1) for i in plan.milestones_done],
                     date=plan.entry["date"])
    if dry_run:
        import sys

        sys.stdout.writelines(repository.preview([plan], today=today).diff())
        note("note.dry_run", l, summary=summary)
        return
    repository.save([plan], expected_sha256=digest, today=today)
    note("note.updated", l, path=path, summary=summary)


# -- log ------------------------------------------------------------------------------------------

def _log_columns():
    from workplan.present.columns import headed

    return [
        headed("date", "col.reported_on", lambda r: r["date"]),
        headed("seq", "col.seq", lambda r: str(r["seq"])),
        headed("id", "col.id", lambda r: r["id"]),
        headed("title", "col.item", lambda r: r["title"], wrap=True, max_width=30),
        headed("by", "col.reported_by", lambda r: r["by"]),
        headed("status", "col.status", lambda r: r["status"]),
        headed("text", "col.progress", lambda r: r["text"], wrap=True, max_width=50),
        headed("evidence", "col.evidence", lambda r: r["evidence"] or "", wrap=True, max_width=24),
    ]


@command("log")
@with_filters
def log(
    key: Annotated[Optional[str], typer.Argument(metavar="[ID]", show_default=False)] = None,
    since: Annotated[Optional[str], typer.Option("--since", show_default=False)] = None,
    until: Annotated[Optional[str], typer.Option("--until", show_default=False)] = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
    *,
    filters: FilterArgs,
) -> None:
    """Show the progress history (进展记录), newest first (help: help.log)."""
    from workplan.core import query
    from workplan.core.history import log_rows
    from workplan.present.formats import emit
    from workplan.present.records import log_record

    path, reg = load(data, no_cache=no_cache)
    resolved = filters.resolve(reg)
    items = [i for i in [_one_item(reg, key, data)] if resolved.matches(reg, i)] if key else query.filter_items(reg, resolved)
    rows = log_rows(items, since=parse_date_option(since, "--since", plan_year=reg.plan.year, start=True),
                             until=parse_date_option(until, "--until", plan_year=reg.plan.year))
    records = [log_record(reg, row) for row in rows]
    emit(fmt.value, records, _log_columns(), lang.value, title=t("title.log", lang.value, count=len(records)),
         empty_note=t("empty.log", lang.value), source=str(path))


# -- status (traffic lights) ----------------------------------------------------------------------

def _board_columns(board):
    from workplan.core.board import board_lights
    from workplan.core.labels import light_label
    from workplan.present.columns import LIGHT_STYLES, Column, headed

    columns = [headed("unit", "col.lead_unit", lambda r: r["unit"])]
    for light in board_lights(board):
        # A count is in its light's colour when there is something to count.
        columns.append(Column(light.value, light_label(light, "zh"), light_label(light, "en"),
                              lambda r, key=light.value: str(r[key]), numeric=True,
                              style=lambda r, key=light.value: LIGHT_STYLES.get(key, "") if r[key] else ""))
    columns.append(headed("total", "col.total", lambda r: str(r["total"]), numeric=True))
    return columns


def _attention_columns(lang: str):
    from workplan.present.columns import MILESTONE_COLUMNS, headed, leads_cell, light_column

    return [
        light_column(lang),
        headed("seq", "col.seq", lambda r: str(r["seq"]), numeric=True),
        headed("title", "col.item", lambda r: r["title"], wrap=True, max_width=36, min_width=16),
        headed("leads", "col.lead", leads_cell, wrap=True, max_width=20, min_width=6, break_after="、"),
        headed("due", "col.due", lambda r: r["due"]),
        MILESTONE_COLUMNS["lateness"],
        headed("status", "col.status", lambda r: r["status"], drop=2),
    ]


@command("status")
@with_filters
def status_board(
    data: DataOpt = None,
    as_of: AsOfOpt = None,
    warn_days: WarnDaysOpt = WARN_DAYS_DEFAULT,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
    *,
    filters: FilterArgs,
) -> None:
    """Traffic lights (红黄绿灯) per lead unit, then the red and yellow items (help: help.status)."""
    from workplan.core.board import status_board as lights_board
    from workplan.exports import bulletin as report
    from workplan.present.formats import View, write

    path, reg, day, resolved, items = load_selection(data, filters, as_of=as_of, no_cache=no_cache, own_share=True)
    board = lights_board(reg, items, day, warn_days, units=resolved.leads or None)
    records = report.board_records(board)
    attention = report.attention_records(reg, board)
    l = lang.value
    # CSV gives the per-unit counts only: the attention list is a second table.
    write(fmt, View(
        records, _board_columns(board), l,
        title=t("board.title", l, as_of=day.isoformat(), warn=warn_days),
        data={"as_of": day.isoformat(), "warn_days": warn_days, "board": records, "attention": attention},
        tables=[View(attention, _attention_columns(l), l, title=t("board.attention", l))],
        markdown=report.board_markdown(reg, board, l),
        source=str(path),
    ))


# -- report (bulletin) ----------------------------------------------------------------------------

class ReportFormat(str, Enum):
    md = "md"
    html = "html"
    docx = "docx"


@command("report")
@with_filters
def report_cmd(
    period: Annotated[str, typer.Option("--period", "-p", show_default=False)],
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.md,
    output: Annotated[Optional[str], typer.Option("--output", "-o", show_default=False)] = None,
    issue: Annotated[Optional[int], typer.Option("--issue", min=1, show_default=False)] = None,
    pdf: Annotated[bool, typer.Option("--pdf")] = False,
    as_of: Annotated[Optional[str], typer.Option("--as-of", metavar="DATE", show_default=False)] = None,
    warn_days: WarnDaysOpt = WARN_DAYS_DEFAULT,
    lang: LangOpt = Lang.zh,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
    *,
    filters: FilterArgs,
) -> None:
    """Write the progress bulletin 《长三角市场监管工作动态》 for a month or quarter (help: help.report)."""
    import datetime as dt
    from pathlib import Path

    from workplan.core import bulletin as bulletins
    from workplan.core.dates import DateFormError, month_range
    from workplan.exports import bulletin as report
    from workplan.exports.registry import EXPORTERS, ExportJob, check_target, deliver
    from workplan.store import issues
    from workplan.store.paths import packaged_registry

    if fmt == ReportFormat.docx and not output:
        raise UsageError("error.docx_needs_file")
    if pdf and fmt != ReportFormat.docx:
        raise UsageError("error.pdf_docx")
    exporter = EXPORTERS[f"bulletin-{fmt.value}"]
    target = "-" if output is None else output
    check_target(exporter, target)
    pdf_file = pdf_target(output) if pdf else None
    path, reg = load(data, no_cache=no_cache)
    config = project_config(path)
    try:
        start, end = month_range(period, plan_year=reg.plan.year)
    except DateFormError as exc:
        raise UsageError("error.option", option="--period", reason=exc) from None
    today = dt.date.today()
    day = (parse_date_option(as_of, "--as-of", plan_year=reg.plan.year, today=today)
           or bulletins.default_as_of(end, today))
    resolved = filters.resolve(reg, today=day)
    bulletin = bulletins.bulletin(reg, period, start, end, day, warn_days,
                                  item_filter=lambda view, item: resolved.matches(view, item), units=resolved.leads)
    # A per-bureau issue is named after the bureau; "filtered" then means filters beyond --lead.
    ignored = {"lead", "direct"} if resolved.leads else set()
    bulletin.filtered = any(option.name not in ignored for option, _ in filters.given())
    plan_key, period_key = reg.plan.doc_number, f"{start.isoformat()}/{end.isoformat()}"
    try:
        bulletin.issue = issues.issue_number(path, plan_key, period_key, issue)
    except issues.ConfigError as exc:
        print(t("error.line", lang.value, message=exc.text(lang.value)), file=sys.stderr)
        raise typer.Exit(1) from None
    head = report.masthead(reg, config, lang.value)
    job = ExportJob(reg, [], day, lang.value, registry_path=path,
                    options={"bulletin": bulletin, "head": head, "fonts": config.fonts})
    deliver(exporter, job, target)
    if pdf_file is not None:
        write_pdf(exporter, job, pdf_file)
    if output:
        if Path(path).resolve() != packaged_registry().resolve():  # the shipped copy's folder is not the user's
            from workplan.store.atomic import WriteError

            try:
                issues.remember_issue(path, plan_key, period_key, bulletin.issue)
            except (OSError, WriteError) as exc:
                note("note.issue_not_remembered", lang.value, reason=getattr(exc, "strerror", None) or str(exc))
        note("note.wrote_report", lang.value, path=[output] + ([str(pdf_file)] if pdf_file else []),
             issue=report.issue_label(bulletin, lang.value), period=report.period_label(start, end, lang.value),
             as_of=day.isoformat())


# -- calendar -------------------------------------------------------------------------------------

@command("calendar")
@with_filters
def calendar_cmd(
    ics: Annotated[str, typer.Option("--ics", show_default=False)],
    remind_days: Annotated[int, typer.Option("--remind-days", min=0)] = 15,
    data: DataOpt = None,
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
    *,
    filters: FilterArgs,
) -> None:
    """Every milestone as an all-day calendar event with a reminder (help: help.calendar)."""
    import datetime as dt

    from workplan.exports.registry import EXPORTERS, ExportJob, check_target, deliver

    check_target(EXPORTERS["ics"], ics)
    path, reg, _, _, items = load_selection(data, filters, no_cache=no_cache)
    deliver(EXPORTERS["ics"], ExportJob(reg, items, dt.date.today(), lang=lang.value, registry_path=path,
                                        options={"remind_days": remind_days}), ics)
    if ics != "-":
        note("note.wrote_calendar", lang.value, path=ics, count=sum(len(i.milestones) for i in items))
    if not items:
        note("empty.items", lang.value)
