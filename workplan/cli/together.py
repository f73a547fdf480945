"""Working together through git: merge-driver, setup-git, diff, check-change."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from workplan.cli.app import DataOpt, Format, FormatOpt, Lang, LangOpt, UsageError, app, note

LANG_ENV = "WORKPLAN_LANG"  # the merge driver runs under git, where no --lang can be given


def _git_error(exc) -> UsageError:
    return UsageError(exc.key, **exc.fields)


# -- merge-driver ---------------------------------------------------------------------------------

@app.command("merge-driver")
def merge_driver(
    base: Annotated[Path, typer.Argument(show_default=False)],
    ours: Annotated[Path, typer.Argument(show_default=False)],
    theirs: Annotated[Path, typer.Argument(show_default=False)],
    path: Annotated[str, typer.Argument()] = "items.yaml",
) -> None:
    """The git merge driver for registry files (installed by `workplan setup-git`).

    Progress reports are append-only: reports both branches added on the same item, by the same
    unit or by different ones, become one history in date order; edits to different fields merge.
    A real conflict (one field changed two ways, a milestone completed on two dates) is written as
    a normal git conflict, the reason goes to stderr and the exit status is 1. The merged text is
    validated; comments and layout are kept.

    Example: git config merge.workplan.driver "workplan merge-driver %O %A %B %P"
    """
    import os

    from workplan.core.labels import shown, t
    from workplan.store.atomic import write_file
    from workplan.store.merge import MergeFailed, check_merged, merge_texts

    lang = "en" if os.environ.get(LANG_ENV) == "en" else "zh"
    texts = []
    for file in (base, ours, theirs):
        try:
            texts.append(file.read_bytes().decode("utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError("merge.cannot_read", path=path, file=file, reason=exc) from None
    try:
        result = merge_texts(*texts, labels=("base", "ours", "theirs"), lang=lang)
    except MergeFailed as exc:
        raise UsageError(exc.key, **exc.fields) from None
    write_file(ours, result.text.encode("utf-8"))  # the one atomic writer (store/atomic.py)
    if result.conflicts:
        for line in result.conflicts:
            print(f"workplan merge-driver: {path}: {line}", file=sys.stderr)
        print(f"workplan merge-driver: {t('merge.conflicts', lang, path=path, count=len(result.conflicts))}", file=sys.stderr)
        raise typer.Exit(1)
    problems = check_merged(result, Path(path))
    if problems:
        for problem in problems:
            where = f"{path}:{problem.line}:{problem.col or 1}" if problem.line else path
            print(f"workplan merge-driver: {where}: {shown(problem.message, lang)}", file=sys.stderr)
        print(f"workplan merge-driver: {t('merge.invalid', lang, path=path)}", file=sys.stderr)
        raise typer.Exit(1)


# -- setup-git ------------------------------------------------------------------------------------

@app.command("setup-git")
def setup_git_cmd(data: DataOpt = None, lang: LangOpt = Lang.zh) -> None:
    """Install the merge driver in the registry's git repository (safe to run again).

    Adds `/data/items.yaml merge=workplan` to .gitattributes (commit it) and sets
    merge.workplan.name and merge.workplan.driver in this clone's git config.

    Example: workplan setup-git
    """
    from workplan.core.labels import t
    from workplan.store.gitrepo import GitError, setup_git
    from workplan.cli.app import registry_path

    l = lang.value
    registry = registry_path(data, what="setup-git")
    try:
        result = setup_git(registry, folder=Path.cwd(), lang=l)
    except GitError as exc:
        raise _git_error(exc) from None
    line = result.added_line or f"{'/' + registry.resolve().relative_to(result.root).as_posix()} merge=workplan"
    note(t("setup.attributes" if result.added_line else "setup.attributes_kept", l, file=result.attributes, line=line))
    note(t("setup.config", l, driver=result.config["merge.workplan.driver"]) if result.changed_config
         else t("setup.config_kept", l))
    if result.added_line:
        note(t("setup.commit", l))


# -- diff -----------------------------------------------------------------------------------------

def _version(spec: str | None, path: Path, root_folder: Path) -> tuple[str, str, Path]:
    """(label, text, where) of one side: a file, a git revision, or (None) the working file."""
    from workplan.store import gitrepo
    from workplan.store.load import read_text

    if spec is None:
        return "working tree", read_text(path), path
    candidate = Path(spec)
    if candidate.is_file():
        return spec, read_text(candidate), candidate
    try:
        return spec, gitrepo.text_at(spec, path), Path(f"{spec}:{path}")
    except gitrepo.GitError as exc:
        raise _git_error(exc) from None


def _comparison(data, old_spec: str | None, new_spec: str | None, since: str | None):
    from workplan.store import gitrepo
    from workplan.store.compare import compare
    from workplan.cli.app import registry_path

    path = registry_path(data, what="diff")
    folder = path.resolve().parent
    if since is not None:
        if new_spec is None:
            new_spec = old_spec
        try:
            old_spec = gitrepo.revision_before(since, folder)
        except gitrepo.GitError as exc:
            raise _git_error(exc) from None
    elif old_spec is None:
        old_spec = "HEAD"
    old_label, old_text, old_where = _version(old_spec, path, folder)
    new_label, new_text, new_where = _version(new_spec, path, folder)
    return path, old_label, new_label, compare(old_text, new_text, old_where, new_where)


def _detail(record: dict, lang: str) -> str:
    from workplan.core.labels import status_label, t

    def status(code):
        return status_label(code, lang) if code else t("word.absent", lang)

    kind, old, new = record["kind"], record["old"], record["new"]
    if kind in ("status", "unit_status"):
        return f"{status(old)} → {status(new)}"
    if kind == "report":
        return t("diff.report", lang, date=record["date"], status=status(new), text=record["text"])
    if kind == "correction":
        return t("diff.correction", lang, field=record["field"], date=record["date"], status=status(new),
                 text=record["text"])
    if kind in ("completed", "reopened"):
        return t("diff.change", lang, field=record["field"], old=old or t("word.absent", lang),
                 new=new or t("word.absent", lang))
    if kind in ("deadline", "adjusted"):
        extra = t("merge.reasons_sep", lang).join(x for x in (record["unit"], record["text"]) if x)
        if extra:
            return t("diff.change_note", lang, field=record["field"], old=old, new=new, note=extra)
        return t("diff.change", lang, field=record["field"], old=old, new=new)
    if kind == "added":
        return status(new)
    if kind == "removed":
        return status(old)
    if kind == "plan":
        return record["field"]
    shown_old = "" if old is None else str(old)
    shown_new = "" if new is None else str(new)
    cut = 30
    return t("diff.edited", lang, field=record["field"], old=shown_old[:cut] + ("…" if len(shown_old) > cut else ""),
             new=shown_new[:cut] + ("…" if len(shown_new) > cut else ""))


def _diff_columns():
    from workplan.core.labels import t
    from workplan.present.columns import headed

    return [
        headed("seq", "col.seq", lambda r: "" if r["seq"] is None else str(r["seq"])),
        headed("id", "col.id", lambda r: r["id"] or ""),
        headed("title", "col.item", lambda r: r["title"] or "", wrap=True, max_width=30),
        headed("kind", "col.change", lambda r: r["kind"], translate=lambda code, lang: t(f"change.{code}", lang)),
        headed("unit", "col.unit", lambda r: r["unit"] or ""),
        headed("detail", "col.detail", lambda r: r["_detail"], wrap=True, max_width=60),
    ]


@app.command("diff")
def diff_cmd(
    old: Annotated[Optional[str], typer.Argument(metavar="[REV1]", show_default=False)] = None,
    new: Annotated[Optional[str], typer.Argument(metavar="[REV2]", show_default=False)] = None,
    since: Annotated[Optional[str], typer.Option("--since", show_default=False)] = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
) -> None:
    """What changed in the plan between two versions: statuses, each unit's share, new reports,
    completions, deadline changes, items added or removed.

    Example: workplan diff --since "7 days ago" -f md
    """
    from workplan.core.changes import Change, item_changes
    from workplan.core.labels import t
    from workplan.present.formats import emit

    path, old_label, new_label, comparison = _comparison(data, old, new, since)
    changes: list[Change] = [Change("plan", None, field=key) for key, _ in comparison.head_changes]
    for pair in comparison.pairs:
        changes.extend(item_changes(comparison.old, pair.old, comparison.new, pair.new))
    l = lang.value
    records = []
    for change in changes:
        record = change.record()
        record["_detail"] = _detail(record, l)
        records.append(record)
    machine = [{k: v for k, v in r.items() if not k.startswith("_")} for r in records]
    if old_label == "working tree":
        old_label = t("word.working_tree", l)
    new_label = t("word.working_tree", l) if new_label == "working tree" else new_label
    emit(fmt.value, records, _diff_columns(), l, data=machine,
         title=t("title.diff", l, old=old_label, new=new_label, count=len(records)), empty_note=t("empty.diff", l))


# -- check-change ---------------------------------------------------------------------------------

@app.command("check-change")
def check_change(
    base: Annotated[str, typer.Option("--base", show_default=False)],
    unit: Annotated[Optional[str], typer.Option("--unit", show_default=False)] = None,
    head: Annotated[Optional[str], typer.Option("--head", show_default=False)] = None,
    data: DataOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """For CI on a pull request: refuse (exit 1) a change in which the unit edits anything but its
    own share — its reports on the items it leads and their milestones. One located line per problem.

    Example: workplan check-change --base origin/main --unit 浙江省局
    """
    from workplan.core import query
    from workplan.core.changes import share_refusals
    from workplan.core.labels import t
    from workplan.store.config import ConfigError, default_unit

    try:
        unit = unit or default_unit()
    except ConfigError as exc:
        raise UsageError("store.config_error", message=exc.args[0]) from None
    if not unit:
        raise UsageError("error.unit_needed")
    from workplan.store import gitrepo
    from workplan.cli.app import registry_path

    # Only the change's own commits count: measured from where it left the base branch, so
    # reports that reached the base since then are not taken for removals.
    folder = registry_path(data, what="check-change").resolve().parent
    try:
        start = gitrepo.merge_base(base, head or "HEAD", folder) if gitrepo.is_revision(base, folder) else base
    except gitrepo.GitError as exc:
        raise _git_error(exc) from None
    path, _, _, comparison = _comparison(data, start, head, None)
    try:
        canonical = query.resolve_org(comparison.new, unit)
    except query.UnknownName as exc:
        raise UsageError("check.unit_option", reason=exc) from None
    l = lang.value
    lines = [f"{path}:{line}: {t('check.head', l, key=key)}" for key, line in comparison.head_changes]
    for pair in comparison.pairs:
        for refusal in share_refusals(comparison.old, pair.old, comparison.new, pair.new, canonical):
            line = comparison.field_line(pair, refusal.path)
            where = f"{path}:{line}" if line else str(path)
            lines.append(f"{where}: {refusal.item_id}: {t(refusal.key, l, **refusal.fields)}")
    if lines:
        for line in lines:
            print(line, file=sys.stderr)
        raise typer.Exit(1)
    note(t("check.ok", l, unit=canonical, count=len(comparison.pairs)))
