"""The Typer application, the options every command shares, and the error boundary.

Commands live in workplan/commands/ and stay thin: parse → load → query → render.
Heavy libraries (openpyxl, sqlite3 exports, HTML) are imported inside the commands that use them,
so `workplan --help` and `workplan list` start fast.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import os
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Callable, NamedTuple, Optional

import typer

from workplan.core.errors import UsageError
from workplan.present.formats import Format
from workplan.present.messages import note, note_text  # noqa: F401  (the commands' messages)
from workplan.core.labels import CATALOGUE, Message, shown, t


# -- the reader's language ----------------------------------------------------------------------------

def chosen_lang(argv: list[str]) -> str:
    """zh or en, as `--lang` on the command line or WORKPLAN_LANG asks (Chinese by default).

    Known before the command runs, so that help texts and the error boundary speak it too."""
    import os

    value = os.environ.get("WORKPLAN_LANG", "zh")
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
    return "en" if value.strip().lower().startswith("en") else "zh"


_LANG = ["zh"]  # set by run() for the help texts and the error boundary


def current_lang() -> str:
    return _LANG[0]


class LocalisedCommand(typer.core.TyperCommand):
    """A command whose help, option helps and panel titles come from the catalogue in the reader's
    language when the help is shown: `help.COMMAND`, then `opt.COMMAND.PARAM` or `opt.PARAM`."""

    def format_help(self, ctx, formatter):
        localise_help(self, current_lang())
        return super().format_help(ctx, formatter)

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              prefix=t("help.usage", current_lang()))

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = t("opt.help", current_lang())
        return option


class LocalisedGroup(typer.core.TyperGroup):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for command in self.commands.values():
            if type(command) is typer.core.TyperCommand:  # registered with plain @app.command
                command.__class__ = LocalisedCommand
    def format_help(self, ctx, formatter):
        lang = current_lang()
        localise_help(self, lang)
        for command in self.commands.values():
            localise_help(command, lang)
        return super().format_help(ctx, formatter)

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              prefix=t("help.usage", current_lang()))

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = t("opt.help", current_lang())
        return option

    def resolve_command(self, ctx, args):
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            from difflib import get_close_matches

            close = get_close_matches(name, list(self.commands), n=3, cutoff=0.6)
            raise UsageError("error.no_such_command_suggest" if close else "error.no_such_command",
                             name=name, suggestions=close)
        return super().resolve_command(ctx, args)


def help_key(command_name: str | None, param_name: str) -> str | None:
    """The catalogue key of an option's help: specific to the command, else shared."""
    for key in (f"opt.{command_name}.{param_name}", f"opt.{param_name}"):
        if key in CATALOGUE:
            return key
    return None


def localise_help(command, lang: str) -> None:
    from typer import rich_utils

    key = f"help.{command.name}" if command.name != "workplan" else "help.app"
    if key in CATALOGUE:
        command.help = t(key, lang)
        command.short_help = t(key, lang).split("\n", 1)[0]
    for param in command.params:
        key = help_key(command.name, param.name)
        if key is not None:
            param.help = t(key, lang)
    _wrap_help_in_chinese(rich_utils)
    for name, key in (("OPTIONS_PANEL_TITLE", "help.panel.options"), ("ARGUMENTS_PANEL_TITLE", "help.panel.arguments"),
                      ("COMMANDS_PANEL_TITLE", "help.panel.commands"), ("DEFAULT_STRING", "help.default"),
                      ("ENVVAR_STRING", "help.envvar"), ("REQUIRED_LONG_STRING", "help.required")):
        setattr(rich_utils, name, t(key, lang))


# The two private functions of typer.rich_utils that build the help texts, wrapped below. Typer
# offers no public way to wrap help text otherwise: its documented settings are rich_markup_mode
# (rich, markdown or none) and the help strings themselves (searched in typer's docs and code,
# 2026-12). Both names exist with keyword-only signatures in typer 0.28; older typers spelled the
# first _make_rich_rext, hence the pin "typer>=0.28" in pyproject.toml. tests/cli/test_help.py
# fails, naming the missing function, if an upgrade drops either.
HELP_TEXT_HOOKS = ("_make_rich_text", "_get_parameter_help")


def _wrap_help_in_chinese(rich_utils) -> None:
    """Help texts wrap by the Chinese line-breaking rules (present/wrap.py). Rich breaks lines only
    at spaces: in typer's option table, a Chinese sentence is one word wider than its column and
    is cut with "…". Typer builds the help texts in two private functions of rich_utils
    (HELP_TEXT_HOOKS), its only hooks: the Texts they make are given our wrapping."""
    make_text_name, parameter_help_name = HELP_TEXT_HOOKS
    if getattr(getattr(rich_utils, make_text_name), "wraps_chinese", False):
        return
    from rich.text import Text

    from workplan.present.wrap import wrapped

    made_text, made_option = getattr(rich_utils, make_text_name), getattr(rich_utils, parameter_help_name)

    def make_rich_text(*args, **kwargs):
        text = made_text(*args, **kwargs)
        return wrapped(text) if type(text) is Text else text

    def get_parameter_help(*args, **kwargs):
        parts = made_option(*args, **kwargs)  # rich Columns: the help, [环境变量：…], [默认：…]
        parts.renderables = [wrapped(r) if type(r) is Text else r for r in parts.renderables]
        return parts

    make_rich_text.wraps_chinese = get_parameter_help.wraps_chinese = True
    setattr(rich_utils, make_text_name, make_rich_text)
    setattr(rich_utils, parameter_help_name, get_parameter_help)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        print(f"workplan {version('workplan')}")
        raise typer.Exit(0)


app = typer.Typer(
    name="workplan",
    cls=LocalisedGroup,
    help=t("help.app"),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _group() -> None:
    # The console script registers only the command it runs; without a callback Typer would make
    # a lone command (ingest) the program itself and refuse its name as an extra argument.
    pass


class DataError(Exception):
    """The data cannot be used as asked (plans that clash): exit 1 with a one-line message."""


def command(name: str, **kwargs):
    """Register a command whose help texts come from the catalogue (see LocalisedCommand)."""
    return app.command(name, cls=LocalisedCommand, help=t(f"help.{name}"), **kwargs)



class Lang(str, Enum):
    zh = "zh"
    en = "en"


# One option for every command that reads a registry: a plan of the project folder by name
# (`workplan plans` lists them), a registry file, or `all` for queries across plans. `--data` is
# the older spelling, kept for scripts.
DataOpt = Annotated[
    Optional[str],
    typer.Option("--plan", "--data", metavar="PLAN", show_default=False),
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f")]
def _lang_of_command(ctx: typer.Context, param: typer.CallbackParam, value: Lang) -> str:
    """A command's --lang, or the one given before the command (`workplan --lang en validate`)
    when the command has none of its own: the language the help and the error boundary speak.
    The text of the choice, which typer makes the Lang the command receives."""
    root = ctx.find_root()
    if root is not ctx and _source(ctx, param.name) != "COMMANDLINE" and _source(root, param.name) == "COMMANDLINE":
        value = root.params.get(param.name) or value
    return Lang(value).value


def _source(ctx, name: str) -> str | None:
    source = ctx.get_parameter_source(name)
    return None if source is None else source.name


LangOpt = Annotated[Lang, typer.Option("--lang", envvar="WORKPLAN_LANG", callback=_lang_of_command)]
WARN_DAYS_DEFAULT = 15  # query.DEFAULT_WARN_DAYS, repeated so that --help does not import the query module
WarnDaysOpt = Annotated[int, typer.Option("--warn-days", min=0, envvar="WORKPLAN_WARN_DAYS")]
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", metavar="DATE", show_default=False)]


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", "-V", is_eager=True, callback=_version)] = False,
          lang: LangOpt = Lang.zh) -> None:
    """`workplan --lang en --help`: the language is read before the command runs (chosen_lang)."""


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
        raise UsageError(exc.key, **exc.fields) from None
    if not found:
        raise UsageError("plans.empty_folder")
    return found


def in_other_plan(key: str, data: str | Path | None):
    """For an item id the plan in use lacks: the Message "; it is in plan 2025: add --plan 2025" when
    another plan of the folder has it (exact ids only: a 序号 or 36b belongs to every year), else ""."""
    from workplan.core.needs import Need
    from workplan.store import plans
    from workplan.store.repository import Repository

    key = key.strip()
    if key.isdigit() or "-" not in key:
        return ""
    current = {plan.path.resolve() for plan in plan_files(data)}
    for plan in plans.discover():
        if plan.path.resolve() in current:
            continue
        try:
            other = Repository(plan.path).open(Need.QUERY)
        except Exception as exc:
            if _domain_error(exc)[0] is None:
                raise
            continue  # a plan that cannot be read is `validate`'s to report
        if any(item.id == key for item in other.items):
            return Message("plans.elsewhere", plan=plan.name)
    return ""


def registry_path(data: str | Path | None, *, what: str, to_write: bool = False) -> Path:
    """The one registry file a command that writes works on; to_write=True refuses the copy
    shipped inside the package (store.paths.ShippedRegistryError)."""
    from workplan.store.paths import find_registry

    path = plan_files(data, one=what)[0].path
    if to_write and data is None:
        find_registry(None, to_write=True)  # raises when only the shipped copy is there
    return path


_LOADED: list = []


class Selection(NamedTuple):
    """The registry in use, the day taken as today, the resolved filters and the items they keep."""

    path: Path
    registry: Any
    today: dt.date
    filters: Any
    items: list


def load_selection(data: Path | None, filters: "FilterArgs", *, as_of: str | None = None,
                   no_cache: bool = False, need=None, own_share: bool = False) -> Selection:
    """Load the registry and apply the shared filters, relative dates counted from --as-of; the
    items can answer `need` (Need.ALL by default) and whatever the filters read. own_share: with
    --lead, joint items are seen as the lead units' own share (query.filter_items)."""
    from workplan.core.needs import Need
    from workplan.core.query import filter_items

    path, reg = load(data, no_cache=no_cache, need=(Need.ALL if need is None else need) | filters.need())
    today = as_of_date(as_of, reg.plan.year)
    resolved = filters.resolve(reg, today=today)
    return Selection(path, reg, today, resolved, filter_items(reg, resolved, own_share=own_share))


def parse_date_option(text: str | None, option: str, *, plan_year: int, today: dt.date | None = None,
                      start: bool = False) -> dt.date | None:
    """The date an option names; start=True for a lower bound (a month means its first day)."""
    if text is None:
        return None
    from workplan.core.dates import DateFormError, parse_date

    try:
        return parse_date(text, plan_year=plan_year, today=today, start=start)
    except DateFormError as exc:
        raise UsageError("error.option", option=option, reason=exc) from None


def as_of_date(text: str | None, plan_year: int) -> dt.date:
    return parse_date_option(text, "--as-of", plan_year=plan_year) or dt.date.today()


# -- the shared item filters ------------------------------------------------------------------------
#
# A filter is one FilterOption here (its option) and, in workplan.core.query, a Filters field (how
# it matches) named in FILTER_FIELDS; every command that takes @with_filters has it.

@dataclass(frozen=True)
class FilterOption:
    name: str          # the option's Python name, an attribute of FilterArgs
    kind: Any          # list[str] (repeatable), bool or Optional[str]
    option: Any        # the typer.Option; its Filters field is FILTER_FIELDS[name]

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def field(self) -> str:
        from workplan.core.query import FILTER_FIELDS

        return FILTER_FIELDS[self.name]

    @property
    def empty(self) -> Any:
        return [] if self.kind == list[str] else (False if self.kind is bool else None)


FILTER_OPTIONS = [
    FilterOption("lead", list[str], typer.Option("--lead", "-l", metavar="UNIT")),
    FilterOption("direct", bool, typer.Option("--direct")),
    FilterOption("org", list[str], typer.Option("--org", metavar="UNIT")),
    FilterOption("province", list[str], typer.Option("--province", metavar="PROVINCE")),
    FilterOption("dept", list[str], typer.Option("--dept", metavar="TEXT")),
    FilterOption("section", list[str], typer.Option("--section", metavar="N")),
    FilterOption("task", list[str], typer.Option("--task", metavar="N")),
    FilterOption("status", list[str], typer.Option("--status", metavar="STATUS")),
    FilterOption("text", Optional[str], typer.Option("--text", metavar="TEXT")),
    FilterOption("due_before", Optional[str], typer.Option("--due-before", metavar="DATE")),
    FilterOption("due_after", Optional[str], typer.Option("--due-after", metavar="DATE")),
]


class FilterArgs:
    """The filter options as typed on the command line, before they are checked against a registry."""

    def __init__(self, **values: Any) -> None:
        for option in FILTER_OPTIONS:
            value = values.get(option.name, option.empty)
            setattr(self, option.name, list(value) if isinstance(value, (list, tuple)) else value)

    def given(self) -> list[tuple[FilterOption, Any]]:
        return [(o, getattr(self, o.name)) for o in FILTER_OPTIONS if getattr(self, o.name) not in (None, False, [], "")]

    def describe(self) -> str:
        """The filters as typed (`--lead 浙江省局 --status 推进中`), for page and sheet headers."""
        parts = []
        for option, value in self.given():
            if value is True:
                parts.append(option.flag)
            else:
                parts.extend(f"{option.flag} {v}" for v in (value if isinstance(value, list) else [value]))
        return " ".join(parts)

    def need(self):
        """What of the items the given filters read, known before they are resolved."""
        from workplan.core.query import filters_need

        return filters_need(option.field for option, _ in self.given())

    def resolve(self, reg, *, today: dt.date | None = None):
        """Filters with names, statuses and dates resolved; UsageError with suggestions otherwise."""
        from workplan.core import query

        try:
            return query.resolve_filters(reg, {o.field: value for o, value in self.given()}, today=today)
        except (query.UnknownName, query.FilterDateError) as exc:
            flag = next(o.flag for o in FILTER_OPTIONS if o.field == exc.field)
            raise UsageError("error.option", option=flag, reason=exc) from None


def with_options(options: list[tuple[str, Any, Any, Any]], into: str, collect: Callable[[dict], Any]):
    """Add options declared once, (name, type, typer.Option, default) each, to a command; it
    receives them gathered by `collect` as the keyword argument `into`."""

    def decorate(command: Callable) -> Callable:
        signature = inspect.signature(command, eval_str=True)
        params = [p for p in signature.parameters.values() if p.name != into]
        for name, kind, option, default in options:
            params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default,
                                            annotation=Annotated[kind, option]))

        @functools.wraps(command)
        def wrapper(*args, **kwargs):
            values = {name: kwargs.pop(name) for name, _, _, _ in options}
            return command(*args, **{into: collect(values)}, **kwargs)

        wrapper.__signature__ = signature.replace(parameters=params)
        # Typer reads the annotations too; give it the evaluated ones.
        wrapper.__annotations__ = {p.name: p.annotation for p in params}
        return wrapper

    return decorate


# Every command that selects items takes the same filters, as `filters: FilterArgs`.
with_filters = with_options([(o.name, o.kind, o.option, o.empty) for o in FILTER_OPTIONS], "filters",
                            lambda values: FilterArgs(**values))


# -- output ---------------------------------------------------------------------------------------

# -- entry point ----------------------------------------------------------------------------------

_HELD: list = []  # what the running command holds until it ends (see held)


def held():
    """What a command holds until it ends, however it ends (a registry's lock from its read to its
    write): an ExitStack that run() closes."""
    from contextlib import ExitStack

    if not _HELD:
        _HELD.append(ExitStack())
    return _HELD[0]


def run(argv: list[str] | None = None) -> None:
    """Run the app with one error boundary: our errors become one line on stderr, never a traceback,
    worded in the reader's language (--lang, WORKPLAN_LANG).

    Exit codes: 0 done (also when a reader such as `head` stops early), 1 bad data or a write that
    failed, 2 a bad command line or an unusable target file, 130 interrupted."""
    if not sys.stdout.isatty() and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")  # piped output is UTF-8 even on a GBK console
    lang = _LANG[0] = chosen_lang(sys.argv[1:] if argv is None else argv)
    try:
        _run(argv, lang)
    finally:
        while _HELD:
            _HELD.pop().close()


def _run(argv: list[str] | None, lang: str) -> None:
    try:
        try:
            code = app(args=argv, prog_name="workplan", standalone_mode=False)
        except SystemExit:
            if type(sys.stdout).__name__ == "PacifyFlushWrapper":
                raise BrokenPipeError from None  # click turns a closed pipe into exit 1
            raise
        sys.stdout.flush()  # a full disk shows here: the output was not all written
    except UsageError as exc:
        _fail(exc.text(lang), 2, lang)
    except DataError as exc:
        _fail(str(exc), 1, lang)
    except typer.TyperException as exc:
        # Typer ships click inside itself (typer._click, private); its exceptions all derive from
        # the public TyperException and carry click's exit_code, format_message and ctx.
        if type(exc).__name__ == "NoArgsIsHelpError":
            sys.exit(0)  # `workplan` alone: the help has been printed while the error was built
        ctx = getattr(exc, "ctx", None)
        message = click_message(exc)
        if ctx is not None and exc.exit_code == 2:
            message = Message("hint.see_help", message=message, command=ctx.command_path)
        _fail(str(shown(message, lang)), exc.exit_code, lang)
    except BrokenPipeError:
        _quiet_exit(0)  # `workplan list | head` is not an error
    except KeyboardInterrupt:
        _quiet_exit(130)
    except Exception as exc:
        lines, exit_code = _domain_error(exc, lang)
        if lines is None:
            raise
        for line in lines:
            _error_line(line, lang)
        _quiet_exit(exit_code)
    sys.exit(code if isinstance(code, int) else 0)


def click_message(exc) -> object:
    """Click's usage errors in the catalogue's words, where the catalogue has them; they are told
    apart by class name, as typer ships click privately."""
    kinds = {cls.__name__ for cls in type(exc).__mro__}
    param, ctx = getattr(exc, "param", None), getattr(exc, "ctx", None)
    if "NoSuchOption" in kinds:
        close = sorted(exc.possibilities or [])
        return Message("error.no_such_option_suggest" if close else "error.no_such_option",
                       option=exc.option_name, suggestions=close)
    if "MissingParameter" in kinds:
        hint = exc.param_hint or (param.get_error_hint(ctx) if param is not None and ctx is not None else "")
        return Message("error.missing_parameter", param=hint)
    if "BadParameter" in kinds and param is not None:
        choices = getattr(param.type, "choices", None)
        hint = param.get_error_hint(ctx) if ctx is not None else param.name
        if choices:
            return Message("error.bad_choice", param=hint, choices=[getattr(c, "value", c) for c in choices])
        return Message("error.bad_value", param=hint, detail=exc.message)
    if "BadOptionUsage" in kinds and exc.message.endswith("requires an argument."):
        return Message("error.option_needs_value", option=exc.option_name)
    if "BadArgumentUsage" in kinds and exc.message.startswith("Got unexpected extra argument"):
        return Message("error.extra_arguments", detail=exc.message.split("(", 1)[-1].rstrip(")"))
    return exc.format_message()


def _error_line(message: str, lang: str = "zh") -> None:
    """`workplan: 错误：…` (`workplan: error: …`) on stderr."""
    from workplan.present.text import visible

    try:
        print(t("error.line", lang, message=visible(message)), file=sys.stderr)
    except OSError:
        pass


def error_line(message: object, lang: str) -> None:
    """An error line for a command that goes on after it (a Message, Refusal or worded error of the
    store is worded in `lang`)."""
    _error_line(words(message, lang), lang)


def words(value: object, lang: str) -> str:
    """A message, or an error carrying one (the store's, the importer's), in `lang`."""
    text = getattr(value, "text", None)
    if callable(text):
        return text(lang)
    if isinstance(value, BaseException) and value.args and hasattr(value.args[0], "text"):
        return value.args[0].text(lang)
    return str(shown(value, lang))


def _fail(message: str, code: int, lang: str = "zh") -> None:
    _error_line(message, lang)
    _quiet_exit(code)


def _quiet_exit(code: int) -> None:
    """Leave without flushing what could not be written again (a full disk, a closed pipe)."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        try:
            sys.stdout = open(os.devnull, "w", encoding="utf-8")  # the interpreter's last flush must not fail
        except OSError:
            pass
    sys.exit(code)


def _output_failed(exc: OSError, lang: str) -> str:
    from workplan.store.paths import os_reason

    where = exc.filename if exc.filename is not None else Message("store.output")
    return t("store.not_written", lang, path=where, reason=os_reason(exc))


def _domain_error(exc: Exception, lang: str = "zh") -> tuple[list[str] | None, int]:
    """The one-line messages and exit code for an error of ours (or a failed output); (None, 0)
    for anything else, which is a bug and keeps its traceback.

    The modules are looked up, not imported: if one was never loaded, its errors cannot have been
    raised, and `workplan --help` stays free of pydantic and PyYAML.
    """
    registry = sys.modules.get("workplan.store.load")
    writer = sys.modules.get("workplan.store.writer")
    atomic = sys.modules.get("workplan.store.atomic")
    paths = sys.modules.get("workplan.store.paths")
    if paths is not None and isinstance(exc, paths.ShippedRegistryError):
        return [words(exc, lang)], 1
    if registry is not None and isinstance(exc, registry.RegistryError):
        return [problem.text(lang) for problem in exc.problems], 1
    if writer is not None and isinstance(exc, writer.RegistryWriteError):
        return [words(exc, lang)], 1
    if atomic is not None and isinstance(exc, atomic.WriteError):
        return [words(exc, lang)], exc.exit_code
    if isinstance(exc, OSError):  # writing stdout or stderr failed: a full disk, an I/O error
        return [_output_failed(exc, lang)], 1
    return None, 0
