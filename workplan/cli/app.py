"""The Typer application, the options every command shares, and the error boundary.

Commands live in workplan/commands/ and stay thin: parse → load → query → render.
Heavy libraries (openpyxl, sqlite3 exports, HTML) are imported inside the commands that use them,
so `workplan --help` and `workplan list` start fast.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import sys
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Callable, NamedTuple, Optional

import typer

from workplan.core.errors import UsageError
from workplan.present.formats import Format
from workplan.present.messages import note

app = typer.Typer(
    name="workplan",
    help="长三角市场监管一体化工作要点 — query, track and report on the work plan registry.\n\n"
    "Example: workplan list --lead 浙江省局",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class DataError(Exception):
    """The data cannot be used as asked (plans that clash): exit 1 with a one-line message."""


class Lang(str, Enum):
    zh = "zh"
    en = "en"


# One option for every command that reads a registry: a plan of the project folder by name
# (`workplan plans` lists them), a registry file, or `all` for queries across plans. `--data` is
# the older spelling, kept for scripts.
DataOpt = Annotated[
    Optional[str],
    typer.Option("--plan", "--data", metavar="PLAN",
                 help="Plan to read: a name from `workplan plans` (2025), a registry file, or all "
                      "(default: $WORKPLAN_DATA, ./data/items.yaml, or the shipped copy).",
                 show_default=False),
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Read the YAML even if a validated cache is fresh.")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Language of headers and labels.")]
WARN_DAYS_DEFAULT = 15  # query.DEFAULT_WARN_DAYS, repeated so that --help does not import the query module
WarnDaysOpt = Annotated[int, typer.Option("--warn-days", min=0, envvar="WORKPLAN_WARN_DAYS",
                                          help="Days before a deadline that turn a light yellow (黄灯).")]
AsOfOpt = Annotated[
    Optional[str],
    typer.Option("--as-of", help="Treat this date as today (default: today), e.g. 2024-10-01.", show_default=False),
]


def load(data: str | Path | None, *, no_cache: bool = False, need=None):
    """(path, registry) for the plan in use, its items able to answer `need` (Need.ALL by
    default); RegistryError propagates to the error boundary.

    `--plan all` gives one registry holding every plan's items (workplan.core.plans.combine) and
    the first plan's path."""
    import gc

    from workplan.core.needs import Need
    from workplan.store.repository import Repository

    chosen = plan_files(data)
    need = Need.ALL if need is None else need
    loaded = [(plan.name, Repository(plan.path, use_cache=not no_cache).open(need)) for plan in chosen]
    if len(loaded) == 1:
        registry = loaded[0][1]
    else:
        from workplan.core.plans import PlanConflict, combine

        try:
            registry = combine(loaded)
        except PlanConflict as exc:
            raise DataError(str(exc)) from None
    if len(registry.items) > 5000:
        # A big registry lives until exit: later collections need not rescan it, and the process
        # ending frees it at once rather than object by object (see workplan.cli.main).
        gc.freeze()
        _LOADED.append(registry)
    return chosen[0].path, registry


def plan_files(data: str | Path | None, *, one: str | None = None):
    """The plan files `--plan` names (store.plans.PlanFile); one="update" refuses `all`."""
    from workplan.store import plans

    try:
        if one is not None:
            return [plans.resolve_one(data, what=one)]
        found = plans.resolve(data)
    except plans.UnknownPlan as exc:
        raise UsageError(str(exc)) from None
    if not found:
        raise UsageError("--plan all: this folder has no plans (workplan init makes a project folder)")
    return found


def registry_path(data: str | Path | None, *, what: str) -> Path:
    """The one registry file a command that writes works on."""
    return plan_files(data, one=what)[0].path


_LOADED: list = []


class Selection(NamedTuple):
    """The registry in use, the day taken as today, the resolved filters and the items they keep."""

    path: Path
    registry: Any
    today: dt.date
    filters: Any
    items: list


def load_selection(data: Path | None, filters: "FilterArgs", *, as_of: str | None = None,
                   no_cache: bool = False, need=None) -> Selection:
    """Load the registry and apply the shared filters, relative dates counted from --as-of; the
    items can answer `need` (Need.ALL by default) and whatever the filters read."""
    from workplan.core.needs import Need
    from workplan.core.query import filter_items

    path, reg = load(data, no_cache=no_cache, need=(Need.ALL if need is None else need) | filters.need())
    today = as_of_date(as_of, reg.plan.year)
    resolved = filters.resolve(reg, today=today)
    return Selection(path, reg, today, resolved, filter_items(reg, resolved))


def parse_date_option(text: str | None, option: str, *, plan_year: int, today: dt.date | None = None) -> dt.date | None:
    if text is None:
        return None
    from workplan.core.dates import DateFormError, parse_date

    try:
        return parse_date(text, plan_year=plan_year, today=today)
    except DateFormError as exc:
        raise UsageError(f"{option}: {exc}") from None


def as_of_date(text: str | None, plan_year: int) -> dt.date:
    return parse_date_option(text, "--as-of", plan_year=plan_year) or dt.date.today()


# -- the shared item filters ------------------------------------------------------------------------

@dataclass
class FilterArgs:
    """Filter options as typed on the command line, before they are checked against the registry."""

    lead: list[str] = field(default_factory=list)
    direct: bool = False
    org: list[str] = field(default_factory=list)
    province: list[str] = field(default_factory=list)
    dept: list[str] = field(default_factory=list)
    section: list[str] = field(default_factory=list)
    task: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    text: Optional[str] = None
    due_before: Optional[str] = None
    due_after: Optional[str] = None

    def describe(self) -> str:
        """The filters as typed (`--lead 浙江省局 --status 推进中`), for page and sheet headers."""
        parts = []
        for name, value in vars(self).items():
            if value in (None, False, [], ""):
                continue
            option = "--" + name.replace("_", "-")
            if value is True:
                parts.append(option)
            else:
                parts.extend(f"{option} {v}" for v in (value if isinstance(value, list) else [value]))
        return " ".join(parts)

    def need(self):
        """What of the items the filters read, known before they are resolved against a registry."""
        from workplan.core.query import Filters

        return Filters(text=self.text).need()

    def resolve(self, reg, *, today: dt.date | None = None):
        """Filters with names, statuses and dates resolved; UsageError with suggestions otherwise."""
        from workplan.core import query

        year = reg.plan.year
        try:
            return query.Filters(
                leads=[query.resolve_org(reg, v) for v in self.lead],
                direct=self.direct,
                orgs=[query.resolve_org(reg, v) for v in self.org],
                provinces=[query.resolve_province(reg, v) for v in self.province],
                depts=list(self.dept),
                sections=[query.resolve_section(reg, v) for v in self.section],
                tasks=[query.resolve_task(reg, v) for v in self.task],
                statuses=[query.resolve_status(v) for v in self.status],
                text=self.text,
                due_before=parse_date_option(self.due_before, "--due-before", plan_year=year, today=today),
                due_after=parse_date_option(self.due_after, "--due-after", plan_year=year, today=today),
            )
        except query.UnknownName as exc:
            raise UsageError(str(exc)) from None


_FILTER_PARAMS = [
    ("lead", list[str], typer.Option("--lead", "-l", metavar="UNIT", help="Lead unit (牵头单位), alias or group; repeat for any of several.")),
    ("direct", bool, typer.Option("--direct", help="With --lead: only items naming the unit itself, not through a group.")),
    ("org", list[str], typer.Option("--org", metavar="UNIT", help="Unit in any role (lead or responsible).")),
    ("province", list[str], typer.Option("--province", metavar="PROVINCE", help="Every unit of a province: 上海, 江苏, 浙江, 安徽.")),
    ("dept", list[str], typer.Option("--dept", metavar="TEXT", help="Responsible department (责任部门) containing this text.")),
    ("section", list[str], typer.Option("--section", metavar="N", help="Section number 1-6 (or 一…六).")),
    ("task", list[str], typer.Option("--task", metavar="N", help="Key task number 1-25.")),
    ("status", list[str], typer.Option("--status", metavar="STATUS", help="Status: 未启动 推进中 已完成 延期 取消 (or codes).")),
    ("text", Optional[str], typer.Option("--text", metavar="TEXT", help="Text in title, measures or departments.")),
    ("due_before", Optional[str], typer.Option("--due-before", metavar="DATE", help="A milestone due on or before this date.")),
    ("due_after", Optional[str], typer.Option("--due-after", metavar="DATE", help="A milestone due on or after this date.")),
]


def with_filters(command: Callable) -> Callable:
    """Add the shared filter options to a command; it receives them as `filters: FilterArgs`."""
    signature = inspect.signature(command, eval_str=True)
    params = [p for p in signature.parameters.values() if p.name != "filters"]
    for name, annotation, option in _FILTER_PARAMS:
        default = [] if annotation == list[str] else (False if annotation is bool else None)
        params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default,
                                        annotation=Annotated[annotation, option]))

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        values = {name: kwargs.pop(name) for name, _, _ in _FILTER_PARAMS}
        values = {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in values.items()}
        return command(*args, filters=FilterArgs(**values), **kwargs)

    wrapper.__signature__ = signature.replace(parameters=params)
    # Typer reads the annotations too; give it the evaluated ones, filters included.
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    return wrapper


# -- output ---------------------------------------------------------------------------------------

# -- entry point ----------------------------------------------------------------------------------

def run(argv: list[str] | None = None) -> None:
    """Run the app with one error boundary: our errors become one line on stderr, never a traceback."""
    if not sys.stdout.isatty() and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")  # piped output is UTF-8 even on a GBK console
    from typer._click import exceptions as click_errors

    try:
        try:
            code = app(args=argv, prog_name="workplan", standalone_mode=False)
        except SystemExit:
            if type(sys.stdout).__name__ == "PacifyFlushWrapper":
                raise BrokenPipeError from None  # click turns a closed pipe into exit 1
            raise
    except UsageError as exc:
        print(f"workplan: error: {exc}", file=sys.stderr)
        sys.exit(2)
    except DataError as exc:
        print(f"workplan: error: {exc}", file=sys.stderr)
        sys.exit(1)
    except click_errors.NoArgsIsHelpError:
        sys.exit(0)  # the help has been printed while the error was built
    except click_errors.UsageError as exc:
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
        print(f"workplan: error: {exc.format_message()}{hint}", file=sys.stderr)
        sys.exit(2)
    except click_errors.ClickException as exc:
        print(f"workplan: error: {exc.format_message()}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.stderr.close()  # `workplan list | head` is not an error
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        lines = _data_error_lines(exc)
        if lines is None:
            raise
        for line in lines:
            print(f"workplan: error: {line}", file=sys.stderr)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


def _data_error_lines(exc: Exception) -> list[str] | None:
    """The one-line messages for a registry read or write error; None for anything else.

    The modules are looked up, not imported: if one was never loaded, its errors cannot have been
    raised, and `workplan --help` stays free of pydantic and PyYAML.
    """
    registry = sys.modules.get("workplan.store.load")
    writer = sys.modules.get("workplan.store.writer")
    if registry is not None and isinstance(exc, registry.RegistryError):
        return [str(problem) for problem in exc.problems]
    if writer is not None and isinstance(exc, writer.RegistryWriteError):
        return [str(exc)]
    return None
