"""Every key of the catalogue is used by the code: no words are kept that no reader can see.

A key is used when the source under workplan/ writes it as a literal (t("key", …), Message("key"),
Refusal/UsageError keys, a column's header key, …), or when it belongs to one of the families
below, whose keys the code builds from a literal prefix and a name, and its name is a real one
(help.<command> for a command of the app, status.<code> for a status, …). A prefix the code
builds that is not listed here fails the test, so a new family is listed with its real names.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import typer

import workplan.cli.commands  # noqa: F401  (registers every command module)
from workplan.core.labels import CATALOGUE

PACKAGE = Path(__file__).resolve().parents[2] / "workplan"


@functools.cache
def sources() -> dict[str, ast.Module]:
    return {str(path.relative_to(PACKAGE.parent)): ast.parse(path.read_text(encoding="utf-8"))
            for path in sorted(PACKAGE.rglob("*.py"))}


def catalogue_nodes(tree: ast.Module) -> set[int]:
    """The nodes of the CATALOGUE literal itself: its keys do not count as uses of themselves."""
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "CATALOGUE":
            return {id(n) for n in ast.walk(node.value)}
    return set()


@functools.cache
def literal_strings() -> set[str]:
    found = set()
    for where, tree in sources().items():
        skip = catalogue_nodes(tree) if where.endswith("core/labels.py") else set()
        found |= {node.value for node in ast.walk(tree)
                  if id(node) not in skip and isinstance(node, ast.Constant) and isinstance(node.value, str)}
    return found


def built_prefixes() -> dict[str, list[str]]:
    """Literal prefixes the code puts in front of a name (f"help.{name}", "dash.light_" + code)
    that begin some catalogue key, with where each is built."""
    built: dict[str, list[str]] = {}
    for where, tree in sources().items():
        for node in ast.walk(tree):
            head = None
            if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                head = node.values[0].value
            elif (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and isinstance(node.left, ast.Constant)
                  and isinstance(node.left.value, str)):
                head = node.left.value
            if head and any(key.startswith(head) for key in CATALOGUE):
                built.setdefault(head, []).append(f"{where}:{node.lineno}")
    return built


def literal_args(function: str, where: str = "", position: int | None = None) -> set[str]:
    """The literal strings given to calls of `function` (in files whose path contains `where`)."""
    found = set()
    for path, tree in sources().items():
        if where not in path:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) == function:
                args = node.args if position is None else node.args[position:position + 1]
                found |= {a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return found


# -- the real names of each family --------------------------------------------------------------------

def command_names() -> dict[str, list[str]]:
    """Each command of the app (and the app itself, as `workplan`) with its parameters' names."""
    group = typer.main.get_command(workplan.cli.commands.app)
    named = {"workplan": [p.name for p in group.params]}
    named.update({name: [p.name for p in command.params] for name, command in group.commands.items()})
    return named


def help_keys_reached() -> set[str]:
    """opt.COMMAND.PARAM or, when a command has none of its own, opt.PARAM (cli/app.py help_key)."""
    from workplan.cli.app import help_key

    return {help_key(command, param) for command, params in command_names().items() for param in params} - {None}


def dashboard_names() -> set[str]:
    """Label names the dashboard reads: page_labels (exports/dashboard.py) gives every dash.* key to
    the page without its prefix; dashboard.js reads L.name or L["name"], the template {{t:name}},
    the exporter and the terminal timeline labels["name"]."""
    from workplan.core.codes import Light

    js = (PACKAGE / "exports" / "dashboard.js").read_text(encoding="utf-8")
    template = (PACKAGE / "exports" / "dashboard_template.html").read_text(encoding="utf-8")
    python = [tree for where, tree in sources().items() if where.endswith(("exports/dashboard.py", "cli/dashboard.py"))]
    names = set(re.findall(r"\bL\.([a-z_]+)", js)) | set(re.findall(r"[\"']([a-z_]+)[\"']", js))
    names |= set(re.findall(r"\{\{t:([a-z_]+)\}\}", template))
    names |= {node.value for tree in python for node in ast.walk(tree)
              if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    # "dash.light_" + light.value (exports/dashboard.py), labels["light_" + light.value] (cli/dashboard.py)
    names |= {f"light_{light.value}" for light in Light}
    return names


def family_names() -> dict[str, tuple[str, set[str]]]:
    """prefix: (where the key is built, the real names after the prefix)."""
    from workplan.cli.plans import _plan_columns
    from workplan.core.changes import KINDS
    from workplan.core.codes import Light, OrgKind, Status
    from workplan.core.models import Registry
    from workplan.core.query import SEARCH_FIELDS
    from workplan.exports.tables import SHEET_COLUMNS
    from workplan.exports.xlsx import LIGHT_COLUMN

    commands = command_names()
    return {
        "help.": ("cli/app.py command() and localise_help: help.<command>, help.app for the app",
                  (set(commands) - {"workplan"}) | {"app"}),
        "opt.": ("cli/app.py help_key: opt.<command>.<param>, else opt.<param>",
                 {key[len("opt."):] for key in help_keys_reached()}),
        "status.": ("core/labels.py status_label, core/rules.py, core/codes.py, importing/workbook.py",
                    {s.value for s in Status}),
        "light.": ("core/labels.py light_label", {x.value for x in Light}),
        "org_kind.": ("core/labels.py org_kind_label", {k.value for k in OrgKind}),
        "kind.": ("core/query.py UnknownName and core/dates.py DateFormError: kind.<kind>",
                  literal_args("UnknownName", position=0) | literal_args("DateFormError", position=0)),
        "change.": ("cli/together.py diff's change column: change.<kind> of core/changes.py", set(KINDS)),
        "matched.": ("present/columns.py search's matched_in column", set(SEARCH_FIELDS)),
        "col.show.": ("present/terminal.py show_fields field(key)", literal_args("field", "present/terminal.py")),
        "bulletin.col.": ("exports/bulletin.py column_headers(lang, *keys)", literal_args("column_headers", "exports/")),
        "sheet.col.": ("exports/tables.py SheetColumn.header (SHEET_COLUMNS, exports/xlsx.py LIGHT_COLUMN)",
                       {c.key for c in [*SHEET_COLUMNS, LIGHT_COLUMN]}),
        "plans.col.": ("cli/plans.py _plan_columns", {c.key for c in _plan_columns(compact=False)}),
        "rules.duplicate_": ("core/rules.py: rules.duplicate_<section|task>_number",
                             {f"{kind[:-1]}_number" for kind in ("sections", "tasks") if kind in Registry.model_fields}),
        "dash.": ("exports/dashboard.py page_labels: every dash.* key, read by the page by name", dashboard_names()),
        "dash.light_": ("exports/dashboard.py: the light cards, dash.light_<light>", {x.value for x in Light}),
    }


# Built prefixes that are not catalogue keys.
NOT_KEYS = {
    "merge.": "store/gitrepo.py: git config names merge.<driver>.name and .driver",
}


def test_every_prefix_the_code_builds_keys_from_is_a_listed_family():
    families = family_names()
    unlisted = {prefix: where for prefix, where in built_prefixes().items() if prefix not in families and prefix not in NOT_KEYS}
    assert not unlisted, f"keys built from a prefix: list each in family_names() with its real names: {unlisted}"


def test_every_key_of_a_family_names_a_real_name():
    families = family_names()
    wrong = []
    for key in CATALOGUE:
        prefix = max((p for p in families if key.startswith(p)), key=len, default=None)
        if prefix is not None and key not in literal_strings() and key[len(prefix):] not in families[prefix][1]:
            wrong.append(f"{key}: {key[len(prefix):]!r} is none of the names of {families[prefix][0]}")
    assert not wrong, "\n".join(sorted(wrong))


def test_every_catalogue_key_is_used_by_the_code():
    literals = literal_strings()
    families = family_names()
    unused = []
    for key in CATALOGUE:
        if key in literals:
            continue
        if any(key.startswith(prefix) and key[len(prefix):] in names for prefix, (_, names) in families.items()):
            continue
        unused.append(key)
    assert not unused, f"catalogue keys no code uses (remove them, or use them): {sorted(unused)}"
