"""Several plans in one project folder: plans, init, carry-over, add and edit."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from workplan.cli.app import (
    DataOpt,
    Format,
    FormatOpt,
    Lang,
    LangOpt,
    NoCacheOpt,
    UsageError,
    app,
    note,
    parse_date_option,
    plan_files,
)

DryRunOpt = Annotated[bool, typer.Option("--dry-run")]


# -- plans ----------------------------------------------------------------------------------------

def _plan_columns(compact: bool):
    """Every field, or (compact, for the table) what fits a terminal: no document number or issue date."""
    from workplan.core.labels import t
    from workplan.present.columns import Column

    def col(key: str, **kw) -> Column:
        return Column(key, t(f"plans.col.{key}", "zh"), t(f"plans.col.{key}", "en"),
                      lambda r, k=key: "" if r.get(k) is None else str(r[k]), **kw)

    keys = ["name", "year", "items", "open", "carried", "first_due", "last_due", "issued", "doc_number", "title",
            "path"]
    if compact:
        keys = [k for k in keys if k not in ("issued", "doc_number")]
    return [col(k, wrap=True, min_width=10, max_width=30) if k in ("title", "path")
            else col(k, min_width=10 if "due" in k else None) for k in keys]


@app.command("plans")
def plans_cmd(
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
) -> None:
    """The plans of this project folder: data/items.yaml and data/plans/*.yaml, with counts and dates.

    The name in the first column is what --plan takes (--plan 2025); --plan all reads them all.

    Example: workplan plans
    """
    from workplan.core.labels import t
    from workplan.core.plans import UNFINISHED
    from workplan.core.needs import Need
    from workplan.present.formats import emit
    from workplan.store import plans
    from workplan.store.load import RegistryError
    from workplan.store.repository import Repository

    records, failed = [], 0
    for plan in plans.discover():
        record = {"name": plan.name, "path": str(plan.path)}
        try:
            reg = Repository(plan.path, use_cache=not no_cache).open(Need.DETAIL)  # DETAIL: `from`
        except RegistryError as exc:
            failed += 1
            record["problem"] = str(exc.problems[0]) if exc.problems else "invalid"
            record["title"] = t("plans.invalid", lang.value, problem=record["problem"])
            records.append(record)
            continue
        dues = [m.due for item in reg.items for m in item.milestones]
        record.update(
            year=reg.plan.year, title=reg.plan.title, doc_number=reg.plan.doc_number,
            issued=reg.plan.issued.isoformat(), items=len(reg.items),
            open=sum(1 for item in reg.items if item.status in UNFINISHED),
            carried=sum(1 for item in reg.items if item.carried_from),
            first_due=min(dues).isoformat() if dues else None, last_due=max(dues).isoformat() if dues else None)
        records.append(record)
    emit(fmt.value, records, _plan_columns(fmt == Format.table), lang.value, title=t("plans.title", lang.value, count=len(records)))
    for record in records:
        if "problem" in record:
            print(t("error.line", lang.value, message=record["problem"]), file=sys.stderr)
    if failed:
        raise typer.Exit(1)


# -- init -----------------------------------------------------------------------------------------

GITATTRIBUTES = """\
# The plan registries merge with workplan's merge driver (workplan setup-git configures it), so
# that two bureaus' progress reports on the same item join into one history.
data/items.yaml merge=workplan
data/plans/*.yaml merge=workplan
"""

PRE_COMMIT = """\
# pre-commit (https://pre-commit.com): `pre-commit install` once, then every commit that touches
# a plan is checked with `workplan validate --plan all`.
repos:
  - repo: local
    hooks:
      - id: workplan-validate
        name: workplan validate
        entry: workplan validate --plan all
        language: system
        files: ^data/.*\\.ya?ml$
        pass_filenames: false
"""

CONFIG_STUB = """\
# 项目设置（workplan.toml）。去掉行首的 # 即可启用；命令行上给出的 --by、--unit、--lead 总是优先。
# unit = "浙江省局"          # 本单位：update、check-change 等命令默认以此单位报送

# [bulletin]                 # 《工作动态》的版头与发文单位
# masthead = "长三角市场监管工作动态"
# office = "长三角市场监管联席会议办公室"
"""

README_STUB = """\
# 长三角市场监管一体化工作要点 · 项目文件夹

本文件夹由 `workplan init` 创建，存放各年度计划（合作事项清单）及其进展记录。

- `data/items.yaml`：2024 年工作要点（随 workplan 提供的登记册副本，可在此修改和报送进展）。
- `data/plans/`：其他计划，例如 `data/plans/2025.yaml`、某省的分清单 `data/plans/2025-浙江.yaml`。
- `schema/items.schema.json`：登记册格式说明，编辑器据此显示中文字段名。
- `workplan.toml`：项目设置（本单位、《工作动态》版头等），默认全部注释掉。

常用命令（在本文件夹中运行）：

```
workplan plans                                   # 列出各计划及事项数、日期
workplan list --plan 2025 --lead 浙江省局         # 查询某一计划
workplan overdue --plan all                      # 跨计划查询
workplan carry-over --from 2024 --to 2025 --due 2025-06-30   # 结转未完成事项
workplan add --plan 2025 --title … --measures … --lead 浙江省局 --dept … --section 1 --due 2025-12-31
workplan edit 2025-03 --plan 2025 --field title=新的事项名称 --dry-run
workplan validate --plan all                     # 提交前检查全部计划
```
"""


def _install_merge_driver(folder: Path, *, make_repository: bool, lang: str) -> str:
    """The merge driver of `workplan setup-git` (store.gitrepo.setup_git) installed for the project
    folder's plans, when the folder is in a git repository (made first with --git); one line saying
    what was done."""
    from workplan.core.labels import t
    from workplan.store import gitrepo

    try:
        if make_repository:
            try:
                gitrepo.repo_root(folder)
            except gitrepo.GitError:
                gitrepo.git("init", "-q", cwd=folder)
        result = gitrepo.setup_git(folder / "data" / "items.yaml", folder=folder, lang=lang)
    except gitrepo.GitError as exc:
        return t("init.no_git", lang, reason=exc)
    return t("setup.config", lang, driver=result.config["merge.workplan.driver"]) if result.changed_config \
        else t("setup.config_kept", lang)


def _packaged_schema() -> Path:
    here = Path(__file__).resolve().parent.parent
    shipped = here / "_data" / "items.schema.json"
    return shipped if shipped.is_file() else here.parent / "schema" / "items.schema.json"


@app.command("init")
def init_cmd(
    folder: Annotated[Path, typer.Argument()] = Path("."),
    git: Annotated[bool, typer.Option("--git")] = False,
    lang: LangOpt = Lang.zh,
) -> None:
    """Start a project folder: the shipped 2024 registry as data/items.yaml, data/plans/ for more
    plans, a .gitattributes and pre-commit setup, and a README; in a git repository, also the merge
    driver of `workplan setup-git`.

    Existing files are never overwritten: running it again only adds what is missing.

    Example: workplan init 工作要点
    """
    from workplan.core.labels import t
    from workplan.store.atomic import WriteError, create_file
    from workplan.store.paths import packaged_registry

    if folder.exists() and not folder.is_dir():
        raise UsageError(t("init.not_folder", lang.value, path=folder))
    files = [
        (Path("data") / "items.yaml", packaged_registry().read_bytes()),
        (Path("schema") / "items.schema.json", _packaged_schema().read_bytes()),
        (Path(".gitattributes"), GITATTRIBUTES.encode("utf-8")),
        (Path(".pre-commit-config.yaml"), PRE_COMMIT.encode("utf-8")),
        (Path("workplan.toml"), CONFIG_STUB.encode("utf-8")),
        (Path("README.md"), README_STUB.encode("utf-8")),
    ]
    created = kept = 0
    try:
        (folder / "data" / "plans").mkdir(parents=True, exist_ok=True)
        for relative, content in files:
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if create_file(target, content):
                created += 1
                note(t("init.created", lang.value, path=target))
            else:
                kept += 1
                note(t("init.kept", lang.value, path=target))
    except OSError as exc:
        raise UsageError(t("init.cannot_write", lang.value, path=folder, reason=exc.strerror or exc)) from None
    except WriteError as exc:
        raise UsageError(str(exc)) from None
    note(t("init.setup_git", lang.value, detail=_install_merge_driver(folder, make_repository=git, lang=lang.value)))
    note(t("init.done", lang.value, folder=folder, created=created, kept=kept))


# -- writing: one path for carry-over, add and edit ----------------------------------------------

def _write(repository, edits: list, digest: str, *, summary: str, dry_run: bool, today, lang: str) -> None:
    """Validate the edited registry and show its diff (--dry-run), or write it atomically."""
    from workplan.core.labels import t

    if dry_run:
        sys.stdout.writelines(repository.preview(edits, today=today).diff())
        note(t("write.dry_run", lang, summary=summary))
        return
    repository.save(edits, expected_sha256=digest, today=today)
    note(t("write.done", lang, path=repository.path, summary=summary))


def _ids_elsewhere(path: Path) -> set[str]:
    """The item ids of the folder's other plans (ids are unique across plans)."""
    from workplan.core.needs import Need
    from workplan.store import plans
    from workplan.store.load import RegistryError
    from workplan.store.repository import Repository

    ids: set[str] = set()
    for plan in plans.discover():
        if plan.path.resolve() == path.resolve():
            continue
        try:
            ids.update(item.id for item in Repository(plan.path).open(Need.QUERY).items)
        except RegistryError:
            continue  # `validate` reports a plan that cannot be read
    return ids


def _open_for_change(value, what: str, no_cache: bool, dry_run: bool):
    """(repository, registry, sha256 of the bytes it came from) of the one plan a command changes."""
    from workplan.cli.app import held, registry_path
    from workplan.store.repository import Repository

    repository = Repository(registry_path(value, what=what, to_write=not dry_run), use_cache=not no_cache)
    reg, digest = repository.open_for_change(hold=None if dry_run else held())
    return repository, reg, digest


# -- carry-over -----------------------------------------------------------------------------------

@app.command("carry-over")
def carry_over(
    source: Annotated[str, typer.Option("--from", metavar="PLAN", show_default=False)],
    target: Annotated[str, typer.Option("--to", metavar="PLAN", show_default=False)],
    due: Annotated[str, typer.Option("--due", metavar="DATE", show_default=False)],
    date: Annotated[Optional[str], typer.Option("--date", metavar="DATE", show_default=False)] = None,
    section: Annotated[Optional[int], typer.Option("--section", metavar="N", show_default=False)] = None,
    only: Annotated[Optional[list[str]], typer.Option("--item", metavar="ID", show_default=False)] = None,
    dry_run: DryRunOpt = False,
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
) -> None:
    """Copy the unfinished items (未启动, 推进中, 延期) of one plan into the next, each linked to its
    origin (`from: 2024-11`), its open milestones moved to --due, with a report saying so.

    Items already carried are skipped, so running it again adds nothing. Units the next plan
    lacks are copied over. `show` then tells the item's history across years.

    Example: workplan carry-over --from 2024 --to 2025 --due 2025-06-30 --dry-run
    """
    import datetime as dt

    from workplan.core.labels import t
    from workplan.core.plans import CarryOverRefused, plan_carry_over
    from workplan.store.repository import Repository
    from workplan.store.writer import AppendRecord

    origin_file = plan_files(source, one="carry-over --from")[0]
    origin = Repository(origin_file.path, use_cache=not no_cache).open()
    repository, reg, digest = _open_for_change(target, "carry-over --to", no_cache, dry_run)
    if repository.path.resolve() == origin_file.path.resolve():
        raise UsageError("carry.same_plan")
    today = dt.date.today()
    new_due = parse_date_option(due, "--due", plan_year=reg.plan.year, today=today)
    on = parse_date_option(date, "--date", plan_year=reg.plan.year, today=today) or today
    try:
        plan = plan_carry_over(origin, reg, due=new_due, on=on, section=section, only=only or (),
                               ids_elsewhere=_ids_elsewhere(repository.path))
    except CarryOverRefused as exc:
        raise UsageError(exc.key, **exc.fields) from None
    for item, reason in plan.skipped:
        note(t("carry.skipped", lang.value, id=item.id, reason=reason))
    for org in plan.organisations:
        note(t("carry.org_added", lang.value, name=org["name"], source=origin_file.name))
    for carried in plan.items:
        note(f"{carried.origin.id} → {carried.record['id']}  {carried.origin.title}")
        for line in carried.notes:
            note(f"  {line.text(lang.value)}")
    if not plan.items:
        note(t("carry.nothing", lang.value))
        return
    edits = [AppendRecord("organisations", org) for org in plan.organisations]
    edits += [AppendRecord("items", carried.record) for carried in plan.items]
    summary = t("carry.summary", lang.value, count=len(plan.items), source=origin_file.name,
                target=plan_files(target)[0].name)
    _write(repository, edits, digest, summary=summary, dry_run=dry_run, today=max(today, on), lang=lang.value)


# -- add and edit ---------------------------------------------------------------------------------

@app.command("add")
def add(
    title: Annotated[str, typer.Option("--title", show_default=False)],
    measures: Annotated[str, typer.Option("--measures", show_default=False)],
    lead: Annotated[list[str], typer.Option("--lead", "-l", metavar="UNIT", show_default=False)],
    dept: Annotated[list[str], typer.Option("--dept", metavar="TEXT", show_default=False)],
    section: Annotated[str, typer.Option("--section", metavar="N", show_default=False)],
    due: Annotated[Optional[list[str]], typer.Option("--due", metavar="DATE", show_default=False)] = None,
    task: Annotated[Optional[str], typer.Option("--task", metavar="N", show_default=False)] = None,
    deadline: Annotated[Optional[list[str]], typer.Option("--deadline", metavar="TEXT", show_default=False)] = None,
    item_id: Annotated[Optional[str], typer.Option("--id", show_default=False)] = None,
    seq: Annotated[Optional[int], typer.Option("--seq", min=1, show_default=False)] = None,
    note_text: Annotated[Optional[str], typer.Option("--note", show_default=False)] = None,
    dry_run: DryRunOpt = False,
    lang: LangOpt = Lang.zh,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Add an item a meeting decided during the year; validated with the whole plan before it is written.

    Example: workplan add --plan 2025 --title 联合开展直播电商专项检查 --measures "……（10月底前）" --lead 浙江省局 --dept 网监条线 --section 2 --due 2025-10-31
    """
    import datetime as dt

    from workplan.core import query
    from workplan.core.edit import EditRefused, new_item
    from workplan.core.labels import t
    from workplan.store.writer import AppendRecord

    repository, reg, digest = _open_for_change(data, "add", no_cache, dry_run)
    today = dt.date.today()
    try:
        leads = [query.resolve_org(reg, unit) for unit in lead]
        number = query.resolve_section(reg, section)
        task_number = query.resolve_task(reg, task) if task is not None else None
    except query.UnknownName as exc:
        raise UsageError(exc.key, **exc.fields) from None
    dues = [parse_date_option(text, "--due", plan_year=reg.plan.year, today=today) for text in due or ()]
    try:
        record = new_item(reg, title=title, measures=measures, leads=leads, departments=dept, section=number,
                          task=task_number, dues=dues, deadlines=deadline or (), item_id=item_id, seq=seq,
                          note=note_text, ids_elsewhere=_ids_elsewhere(repository.path))
    except EditRefused as exc:
        raise UsageError(exc.key, **exc.fields) from None
    _write(repository, [AppendRecord("items", record)], digest, dry_run=dry_run, today=today, lang=lang.value,
           summary=t("add.summary", lang.value, id=record["id"], title=title))


@app.command("edit")
def edit(
    key: Annotated[str, typer.Argument(metavar="ID", show_default=False)],
    fields: Annotated[list[str], typer.Option("--field", metavar="KEY=VALUE", show_default=False)],
    dry_run: DryRunOpt = False,
    lang: LangOpt = Lang.zh,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Correct an item's fields; only those lines change, the whole plan is validated before writing.

    Status, progress and completion dates are `update`'s; ids never change.

    Example: workplan edit 2025-03 --field title=新的事项名称 --field milestones.1.due=2025-10-31 --dry-run
    """
    import datetime as dt

    from workplan.cli.progress import _one_item
    from workplan.core.edit import EditRefused, plan_edit
    from workplan.core.labels import t
    from workplan.store.writer import Edit

    repository, reg, digest = _open_for_change(data, "edit", no_cache, dry_run)
    item = _one_item(reg, key, data)
    assignments = []
    for text in fields:
        name, sep, value = text.partition("=")
        if not sep or not name.strip():
            raise UsageError(t("edit.key_value", lang.value, text=text))
        assignments.append((name, value))
    try:
        changes = plan_edit(reg, item, assignments)
    except EditRefused as exc:
        raise UsageError("word.edit_refused", id=item.id, reason=exc) from None
    if not changes:
        note(t("edit.unchanged", lang.value, id=item.id))
        return
    summary = t("edit.summary", lang.value, id=item.id, fields="、".join(c.name for c in changes))
    _write(repository, [Edit(item.id, change.path, change.new) for change in changes], digest, summary=summary,
           dry_run=dry_run, today=dt.date.today(), lang=lang.value)
