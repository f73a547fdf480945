"""Progress tracking commands: update, log, status (traffic lights), report (bulletin), calendar."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Optional

import typer

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
    with_filters,
)
from workplan.cli.documents import pdf_target, project_config, write_pdf


def _one_item(reg, key: str, data=None):
    """The item an id or a unique 序号 names; `data` (--plan) lets the refusal name the plan that has it."""
    from workplan.cli.app import in_other_plan
    from workplan.core import query

    items = query.find_items(reg, key)
    if not items:
        raise UsageError(f"no item {key!r}"
                         + (in_other_plan(key, data) or "; give an id such as 2024-24 or a printed 序号 such as 24"))
    if len(items) > 1:
        listed = ", ".join(f"{i.id} ({i.title})" for i in items)
        raise UsageError(f"序号 {key} is ambiguous: {listed}; give the id instead")
    return items[0]


# -- update ---------------------------------------------------------------------------------------

@app.command()
def update(
    key: Annotated[str, typer.Argument(metavar="ID", help="Item id (2024-24) or printed 序号 (24).", show_default=False)],
    status: Annotated[Optional[str], typer.Option("--status", "-s", help="New status: 未启动 推进中 已完成 延期 取消 (or codes).", show_default=False)] = None,
    note_text: Annotated[Optional[str], typer.Option("--note", "-m", help="Progress text (进展情况).", show_default=False)] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Reporting unit (报送单位), name or alias; default: $WORKPLAN_UNIT, workplan.toml, or the item's only lead unit.", show_default=False)] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="Date of the report or completion (default: today / --as-of).", show_default=False)] = None,
    evidence: Annotated[Optional[str], typer.Option("--evidence", help="Link or document number (佐证材料).", show_default=False)] = None,
    milestone: Annotated[Optional[int], typer.Option("--milestone", min=1, help="Milestone number (1, 2 …) the report or --done is about.", show_default=False)] = None,
    done: Annotated[bool, typer.Option("--done", help="Mark the milestone (or every open one) done on --date.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Allow a status change the rules refuse (e.g. 已完成 → 推进中); recorded as forced.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the change to the registry file, write nothing.")] = False,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """Record progress on an item: append a dated report, change its status, mark milestones done.

    Only the affected lines of the registry change; comments and layout stay. The write is refused
    if the file changed since it was read, or if the result would not validate. Status changes
    follow 未启动 → 推进中/延期/已完成/取消, 推进中 ⇄ 延期 → 已完成/取消; anything else needs --force.

    Example: workplan update 24 --status 推进中 --note "平台已上线试运行" --by 浙江省局
    """
    from workplan.core import query
    from workplan.core.labels import status_label
    from workplan.core.update import UpdateRefused, UpdateRequest, plan_update
    from workplan.cli.app import registry_path
    from workplan.store.repository import Repository

    repository = Repository(registry_path(data, what="update", to_write=not dry_run))
    path = repository.path
    reg, digest = repository.open_for_change()
    today = as_of_date(as_of, reg.plan.year)
    item = _one_item(reg, key, data)
    try:
        new_status = query.resolve_status(status) if status is not None else None
    except query.UnknownName as exc:
        raise UsageError(f"--status: {exc}") from None
    from workplan.store.config import ConfigError, default_unit

    try:
        by = by or default_unit()  # $WORKPLAN_UNIT or workplan.toml: the person's own unit
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    request = UpdateRequest(
        status=new_status, note=note_text, by=by, evidence=evidence, milestone=milestone, done=done, force=force,
        date=parse_date_option(date, "--date", plan_year=reg.plan.year, today=today),
    )
    try:
        plan = plan_update(reg, item, request, as_of=today)
    except UpdateRefused as exc:
        raise UsageError(f"{item.id}: {exc}") from None
    summary = (f"{item.id} {item.title}: {status_label(plan.old_status)} → {status_label(plan.new_status)}"
               if plan.new_status != plan.old_status else f"{item.id} {item.title}: {status_label(plan.new_status)}")
    if len(plan.units) and plan.unit_new is not None and len(reg.lead_names_and_units(item)[1]) > 1:
        summary += f"（{'、'.join(plan.units)}：{status_label(plan.unit_old)} → {status_label(plan.unit_new)}）"
    if plan.milestones_done:
        summary += "; 时间节点 " + "、".join(str(i + 1) for i in plan.milestones_done) + f" 完成于 {plan.entry['date']}"
    if dry_run:
        import sys

        sys.stdout.writelines(repository.preview([plan], today=today).diff())
        note(f"dry run, nothing written: {summary}")
        return
    repository.save([plan], expected_sha256=digest, today=today)
    note(f"updated {path}: {summary}")


# -- log ------------------------------------------------------------------------------------------

def _log_columns():
    from workplan.present.render import Column

    return [
        Column("date", "报送日期", "Date", lambda r: r["date"]),
        Column("seq", "序号", "No.", lambda r: str(r["seq"])),
        Column("id", "编号", "ID", lambda r: r["id"]),
        Column("title", "合作事项", "Item", lambda r: r["title"], wrap=True, max_width=30),
        Column("by", "报送单位", "Reported by", lambda r: r["by"]),
        Column("status", "状态", "Status", lambda r: r["status"]),
        Column("text", "进展情况", "Progress", lambda r: r["text"], wrap=True, max_width=50),
        Column("evidence", "佐证材料", "Evidence", lambda r: r["evidence"] or "", wrap=True, max_width=24),
    ]


@app.command("log")
@with_filters
def log(
    key: Annotated[Optional[str], typer.Argument(metavar="[ID]", help="Only this item (id or 序号).", show_default=False)] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Reports on or after this date.", show_default=False)] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Reports on or before this date.", show_default=False)] = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
    *,
    filters: FilterArgs,
) -> None:
    """Show the progress history (进展记录), newest first.

    Example: workplan log 24 --since 2024-09-01
    """
    from workplan.core import query
    from workplan.core.history import log_rows
    from workplan.present.formats import emit
    from workplan.present.render import log_record

    path, reg = load(data, no_cache=no_cache)
    resolved = filters.resolve(reg)
    items = [i for i in [_one_item(reg, key, data)] if resolved.matches(reg, i)] if key else query.filter_items(reg, resolved)
    rows = log_rows(items, since=parse_date_option(since, "--since", plan_year=reg.plan.year),
                             until=parse_date_option(until, "--until", plan_year=reg.plan.year))
    records = [log_record(reg, row) for row in rows]
    emit(fmt.value, records, _log_columns(), lang.value, title=f"进展记录 · {len(records)} 条" if lang == Lang.zh else
         f"Progress log · {len(records)}", empty_note="没有进展记录。" if lang == Lang.zh else "No progress reports.",
         source=str(path))


# -- status (traffic lights) ----------------------------------------------------------------------

def _board_columns(board):
    from workplan.core.board import board_lights
    from workplan.core.labels import light_label
    from workplan.present.render import Column

    columns = [Column("unit", "牵头单位", "Lead unit", lambda r: r["unit"])]
    for light in board_lights(board):
        columns.append(Column(light.value, light_label(light, "zh"), light_label(light, "en"),
                              lambda r, key=light.value: str(r[key])))
    columns.append(Column("total", "合计", "Total", lambda r: str(r["total"])))
    return columns


def _attention_columns(lang: str):
    from workplan.present.render import light_column
    from workplan.present.render import Column

    return [
        light_column(lang),
        Column("seq", "序号", "No.", lambda r: str(r["seq"])),
        Column("title", "合作事项", "Item", lambda r: r["title"], wrap=True, max_width=36),
        Column("leads", "牵头单位", "Lead", lambda r: "、".join(r["leads"]), wrap=True, max_width=20),
        Column("due", "截止日期", "Due", lambda r: r["due"]),
        Column("days_left", "剩余天数", "Days left", lambda r: str(r["days_left"])),
        Column("status", "状态", "Status", lambda r: r["status"]),
    ]


@app.command("status")
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
    """Traffic lights (红黄绿灯) per lead unit, then the red and yellow items.

    Red: past due and not done; yellow: due within --warn-days; green: on track. An item led by
    三省一市局 counts for each of its four members. CSV gives the per-unit counts only.

    Example: workplan status --as-of 2024-10-01 --warn-days 30
    """
    from workplan.core.board import status_board as lights_board
    from workplan.exports import bulletin as report
    from workplan.present.formats import View, write

    path, reg, day, resolved, items = load_selection(data, filters, as_of=as_of, no_cache=no_cache)
    board = lights_board(reg, items, day, warn_days, units=resolved.leads or None)
    records = report.board_records(board)
    attention = report.attention_records(reg, board)
    l = lang.value
    # CSV gives the per-unit counts only: the attention list is a second table.
    write(fmt, View(
        records, _board_columns(board), l,
        title=report.TEXT[l]["board_title"].format(as_of=day.isoformat(), warn=warn_days),
        data={"as_of": day.isoformat(), "warn_days": warn_days, "board": records, "attention": attention},
        tables=[View(attention, _attention_columns(l), l, title=report.TEXT[l]["attention"])],
        markdown=report.board_markdown(reg, board, l),
        source=str(path),
    ))


# -- report (bulletin) ----------------------------------------------------------------------------

class ReportFormat(str, Enum):
    md = "md"
    html = "html"
    docx = "docx"


@app.command("report")
@with_filters
def report_cmd(
    period: Annotated[str, typer.Option("--period", "-p", help="Month or quarter: 2024-09, 9月, 2024Q3, 三季度, 2024.", show_default=False)],
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="md (Markdown), html (one self-contained page) or docx (Word, needs -o).")] = ReportFormat.md,
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Write to this file (default: stdout).", show_default=False)] = None,
    issue: Annotated[Optional[int], typer.Option("--issue", min=1, help="Issue number (第N期); default: the number this period had, else the next one.", show_default=False)] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="docx: also write a PDF beside it (needs LibreOffice).")] = False,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="State of the registry on this day (default: the period's last day, or today if earlier).", show_default=False)] = None,
    warn_days: WarnDaysOpt = WARN_DAYS_DEFAULT,
    lang: LangOpt = Lang.zh,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
    *,
    filters: FilterArgs,
) -> None:
    """Write the progress bulletin 《长三角市场监管工作动态》 for a month or quarter.

    Summary figures, milestones completed in the period (late ones marked), those due in the
    period and not done, those due next period, what is overdue and by whom, progress per section,
    and the reports received in the period. Reports and completions dated after --as-of are left
    out, so a past bulletin can be reproduced. --format docx gives the bulletin as an office sends
    it (masthead, 第N期, 报/送/发); the masthead, office, recipients and fonts come from the
    project's workplan.toml. Written to a file, the issue number is remembered for the period.

    Example: workplan report --period 2024-09 --format docx -o 动态-2024-09.docx --pdf
    """
    import datetime as dt
    from pathlib import Path

    from workplan.core import bulletin as bulletins
    from workplan.core.dates import DateFormError, month_range
    from workplan.exports import bulletin as report
    from workplan.exports.registry import EXPORTERS, ExportJob, check_target, deliver
    from workplan.store import issues
    from workplan.store.paths import packaged_registry

    if fmt == ReportFormat.docx and not output:
        raise UsageError("--format docx needs -o FILE: a Word document is not written to the terminal")
    if pdf and fmt != ReportFormat.docx:
        raise UsageError("--pdf applies to --format docx")
    exporter = EXPORTERS[f"bulletin-{fmt.value}"]
    target = "-" if output is None else output
    check_target(exporter, target)
    pdf_file = pdf_target(output) if pdf else None
    path, reg = load(data, no_cache=no_cache)
    config = project_config(path)
    try:
        start, end = month_range(period, plan_year=reg.plan.year)
    except DateFormError as exc:
        raise UsageError(f"--period: {exc}") from None
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
        print(f"workplan: error: {exc}", file=sys.stderr)
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
                note(f"issue number not remembered: {getattr(exc, 'strerror', None) or exc}")
        written = output + (f" and {pdf_file}" if pdf_file else "")
        note(f"wrote {written} ({report.issue_label(bulletin, lang.value)}, "
             f"{report.period_label(start, end, lang.value)}, as of {day.isoformat()})")


# -- calendar -------------------------------------------------------------------------------------

@app.command("calendar")
@with_filters
def calendar_cmd(
    ics: Annotated[str, typer.Option("--ics", help="Write the iCalendar file here ('-' for stdout).", show_default=False)],
    remind_days: Annotated[int, typer.Option("--remind-days", min=0, help="Reminder this many days before each deadline (0: on the day).")] = 15,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
    *,
    filters: FilterArgs,
) -> None:
    """Export every milestone as an all-day calendar event (.ics) with a reminder.

    Event ids are stable (item id + milestone number), so importing a newer file updates the
    events instead of duplicating them. Opens in Outlook, Thunderbird, Apple and phone calendars.

    Example: workplan calendar --ics 工作要点.ics --lead 浙江省局 --remind-days 7
    """
    import datetime as dt

    from workplan.exports.registry import EXPORTERS, ExportJob, check_target, deliver

    check_target(EXPORTERS["ics"], ics)
    path, reg, _, _, items = load_selection(data, filters, no_cache=no_cache)
    deliver(EXPORTERS["ics"], ExportJob(reg, items, dt.date.today(), registry_path=path,
                                        options={"remind_days": remind_days}), ics)
    if ics != "-":
        note(f"wrote {ics} ({sum(len(i.milestones) for i in items)} events)")
    if not items:
        note("没有符合条件的事项。")
