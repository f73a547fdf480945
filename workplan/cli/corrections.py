"""Corrections and approved new deadlines: amend, undo, adjust."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from workplan.cli.app import AsOfOpt, DataOpt, Lang, LangOpt, UsageError, app, as_of_date, note, parse_date_option
from workplan.core.labels import Message, t

# The help texts of the commands and their options are the catalogue's (help.amend, opt.amend.entry …).
EntryOpt = Annotated[Optional[int], typer.Option("--entry", "-n", min=1, show_default=False)]
ByOpt = Annotated[Optional[str], typer.Option("--by", show_default=False)]
DateOpt = Annotated[Optional[str], typer.Option("--date", show_default=False)]
DryRunOpt = Annotated[bool, typer.Option("--dry-run")]
KeyArg = Annotated[str, typer.Argument(metavar="ID", show_default=False)]


def _by(by: str | None) -> str | None:
    from workplan.store.config import ConfigError, default_unit

    try:
        return by or default_unit()
    except ConfigError as exc:
        raise UsageError("store.config_error", message=exc.args[0]) from None


def _save(repository, digest, correction, today, dry_run: bool, summary: str, lang: str) -> None:
    import sys

    from workplan.store.writer import AppendProgress, Edit

    item = correction.item
    edits: list = [Edit(item.id, ("milestones", index, name), value) for index, name, value in correction.milestone_fields]
    if correction.status != item.status:
        edits.append(Edit(item.id, ("status",), correction.status.value))
    if correction.entry is not None:
        edits.append(AppendProgress(item.id, correction.entry))
    if dry_run:
        sys.stdout.writelines(repository.preview(edits, today=today).diff())
        note("note.dry_run", lang, summary=summary)
        return
    repository.save(edits, expected_sha256=digest, today=today)
    note("note.updated", lang, path=repository.path, summary=summary)


def _not_future(day, today) -> None:
    if day > today:
        raise UsageError("error.option", option="--date", reason=Message("update.date_future", day=day, today=today))


def _open(data, key, as_of, dry_run: bool):
    from workplan.cli.app import held
    from workplan.cli.progress import _one_item
    from workplan.store.repository import Repository

    repository = Repository.find(data)
    reg, digest = repository.open_for_change(hold=None if dry_run else held())
    today = as_of_date(as_of, reg.plan.year)
    return repository, reg, digest, today, _one_item(reg, key)


@app.command()
def amend(
    key: KeyArg,
    entry: EntryOpt = None,
    status: Annotated[Optional[str], typer.Option("--status", "-s", show_default=False)] = None,
    note_text: Annotated[Optional[str], typer.Option("--note", "-m", show_default=False)] = None,
    evidence: Annotated[Optional[str], typer.Option("--evidence", show_default=False)] = None,
    by: ByOpt = None,
    date: DateOpt = None,
    dry_run: DryRunOpt = False,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """Correct a progress report entered by mistake: a new report replaces what it said, and the
    original stays in the history, marked 已更正.

    Example: workplan amend 24 --by 浙江省局 --status 推进中 --note "平台试运行（原报已完成有误）"
    """
    from workplan.core import query
    from workplan.core.corrections import CorrectionRefused, plan_amend
    from workplan.core.labels import status_label

    repository, reg, digest, today, item = _open(data, key, as_of, dry_run)
    try:
        new_status = query.resolve_status(status) if status is not None else None
    except query.UnknownName as exc:
        raise UsageError("error.option", option="--status", reason=exc) from None
    day = parse_date_option(date, "--date", plan_year=reg.plan.year, today=today) or today
    _not_future(day, today)
    try:
        correction = plan_amend(reg, item, number=entry, by=_by(by), day=day, status=new_status, text=note_text,
                                evidence=evidence)
    except CorrectionRefused as exc:
        raise UsageError("error.about_item", id=item.id, reason=exc) from None
    l = lang.value
    summary = t("correct.amended", l, id=item.id, title=item.title, n=correction.entry["amends"],
                old=status_label(item.status, l), new=status_label(correction.status, l))
    _save(repository, digest, correction, today, dry_run, summary, l)


@app.command()
def undo(
    key: KeyArg,
    entry: EntryOpt = None,
    reason: Annotated[Optional[str], typer.Option("--note", "-m", show_default=False)] = None,
    by: ByOpt = None,
    date: DateOpt = None,
    dry_run: DryRunOpt = False,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """Withdraw a progress report or completion entered by mistake: the share goes back to its
    state before it, a milestone it completed is open again, and the history keeps both reports.

    Example: workplan undo 2024-01 --by 上海市局 --note "误报为已完成"
    """
    from workplan.core.corrections import CorrectionRefused, plan_undo
    from workplan.core.labels import status_label

    repository, reg, digest, today, item = _open(data, key, as_of, dry_run)
    day = parse_date_option(date, "--date", plan_year=reg.plan.year, today=today) or today
    _not_future(day, today)
    try:
        correction = plan_undo(reg, item, number=entry, by=_by(by), day=day, reason=reason)
    except CorrectionRefused as exc:
        raise UsageError("error.about_item", id=item.id, reason=exc) from None
    l = lang.value
    summary = t("correct.withdrawn", l, id=item.id, title=item.title, n=correction.entry["amends"],
                old=status_label(item.status, l), new=status_label(correction.status, l))
    _save(repository, digest, correction, today, dry_run, summary, l)


@app.command()
def adjust(
    key: KeyArg,
    to: Annotated[str, typer.Option("--to", show_default=False)],
    approved_by: Annotated[str, typer.Option("--approved-by", show_default=False)],
    milestone: Annotated[Optional[int], typer.Option("--milestone", min=1, show_default=False)] = None,
    approved_on: Annotated[Optional[str], typer.Option("--approved-on", show_default=False)] = None,
    reason: Annotated[Optional[str], typer.Option("--reason", show_default=False)] = None,
    dry_run: DryRunOpt = False,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """Record an approved new deadline for a milestone: lights and overdue follow the new date;
    the printed deadline stays and is shown marked 调整.

    Example: workplan adjust 18 --milestone 1 --to 2024-11-30 --approved-by 联席会议办公室 --reason "场地调整"
    """
    from workplan.core.corrections import CorrectionRefused, plan_adjust

    repository, reg, digest, today, item = _open(data, key, as_of, dry_run)
    new_due = parse_date_option(to, "--to", plan_year=reg.plan.year, today=today)
    day = parse_date_option(approved_on, "--approved-on", plan_year=reg.plan.year, today=today) or today
    try:
        correction = plan_adjust(reg, item, milestone=milestone, new_due=new_due, approved_by=approved_by,
                                 approved_on=day, reason=reason, today=today)
    except CorrectionRefused as exc:
        raise UsageError("error.about_item", id=item.id, reason=exc) from None
    index = correction.milestone_fields[0][0]
    summary = t("correct.adjusted", lang.value, id=item.id, title=item.title, n=index + 1, due=new_due,
                original=item.milestones[index].due, approved_by=approved_by)
    _save(repository, digest, correction, today, dry_run, summary, lang.value)
