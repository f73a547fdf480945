"""workplan as a library: the same answers as the command line, through workplan.open."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import workplan
from conftest import REGISTRY
from workplan.core.query import UnknownName


@pytest.fixture(scope="module")
def plan():
    return workplan.open(REGISTRY, use_cache=False)


def test_items_match_the_cli_for_the_same_filters(plan, cli):
    listed = json.loads(cli("list", "--lead", "浙江省局", "--status", "未启动", "--data", REGISTRY, "-f", "json").stdout)
    assert [i.id for i in plan.items(lead="浙江省局", status="未启动")] == [r["id"] for r in listed]
    assert [i.id for i in plan.items(lead=["浙江省局", "安徽省局"], section=1)] == [
        r["id"] for r in json.loads(cli("list", "--lead", "浙江省局", "--lead", "安徽省局", "--section", "1",
                                        "--data", REGISTRY, "-f", "json").stdout)]


def test_due_and_overdue_take_dates_in_any_form(plan, cli):
    rows = plan.due(before="2024年9月底", lead="浙江省局")
    shown = json.loads(cli("due", "--before", "2024-09-30", "--lead", "浙江省局", "--data", REGISTRY, "-f", "json").stdout)
    assert [(r.item.id, r.due.isoformat()) for r in rows] == [(s["id"], s["due"]) for s in shown]
    late = plan.overdue(as_of=dt.date(2024, 10, 15))
    assert late and all(r.due < dt.date(2024, 10, 15) for r in late)


def test_unknown_names_and_filters_are_refused(plan):
    with pytest.raises(UnknownName):
        plan.items(lead="浙江")
    with pytest.raises(TypeError, match="unknown filter leader"):
        plan.items(leader="浙江省局")


def test_export_by_suffix_writes_the_same_file_as_the_cli(plan, cli, tmp_path):
    plan.export(tmp_path / "api.json", lead="浙江省局", as_of="2024-10-15")
    cli("export", "--json", tmp_path / "cli.json", "--lead", "浙江省局", "--as-of", "2024-10-15", "--data", REGISTRY)
    assert json.loads((tmp_path / "api.json").read_text(encoding="utf-8")) == \
        json.loads((tmp_path / "cli.json").read_text(encoding="utf-8"))
    with pytest.raises(ValueError, match="which kind of file"):
        plan.export(tmp_path / "x.unknown")


def test_importing_workplan_loads_nothing_heavy():
    import subprocess
    import sys

    code = "import sys, workplan; print(sorted(m for m in ('pydantic', 'yaml', 'workplan.api') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8").stdout.strip() == "[]"
