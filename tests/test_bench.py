"""The benchmark suite runs: the generator makes valid, deterministic registries and the runner
measures every case at a tiny size. No timing is asserted."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter

import pytest

from conftest import ROOT
from workplan.store.load import load_registry

sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402


pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench") / "items-300.yaml"
    return generate.write(300, path, seed=7)


def test_generator_is_deterministic(generated, tmp_path):
    again = generate.write(300, tmp_path / "again.yaml", seed=7)
    other = generate.write(300, tmp_path / "other.yaml", seed=8)
    assert again.read_bytes() == generated.read_bytes()
    assert other.read_bytes() != generated.read_bytes()


def test_generated_registry_is_valid_and_shaped_like_the_real_one(generated, registry):
    reg = load_registry(generated)  # raises on any problem: the synthetic data passes `validate`
    assert len(reg.items) == 300
    assert [i.seq for i in reg.items] == list(range(1, 301))
    assert len({i.id for i in reg.items}) == 300
    # Plan, sections, tasks and organisations are the real ones.
    assert reg.plan == registry.plan and reg.organisations == registry.organisations
    assert reg.tasks == registry.tasks and reg.sections == registry.sections
    assert set(Counter(len(i.leads) for i in reg.items)) == {1, 2}
    assert set(Counter(len(i.departments) for i in reg.items)) == {1, 2, 3}
    assert set(Counter(len(i.milestones) for i in reg.items)) == {1, 2}
    leads = {lead for i in reg.items for lead in i.leads}
    assert {"三省一市局", "浙江省局", "上海药监局"} <= leads
    assert any(i.progress for i in reg.items)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in i.title + i.measures) for i in reg.items)


def test_generator_command_line_writes_a_valid_file(tmp_path):
    out = tmp_path / "g.yaml"
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "25", "-o", str(out)],
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    assert len(load_registry(out).items) == 25


def test_runner_measures_every_case_at_a_tiny_size(tmp_path):
    results = tmp_path / "results"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "20", "--runs", "1", "--small-runs", "1",
         "--results", str(results)],
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads((results / "latest.json").read_text(encoding="utf-8"))
    rows = {(c["name"], c["cache"]): c for c in report["cases"]}
    expected = {
        ("python -c pass", "-"), ("import-only baseline", "-"), ("Typer floor: list's options, empty body", "-"),
        ("pydantic floor: one model of one field, validated once", "-"),
        ("workplan --help", "-"), ("validate", "-"),
    } | {(name, cache) for cache in ("cold", "warm") for name in (
        "list --lead 浙江省局", "list --lead 浙江省局 -f csv", "due --before 2024-09-30", "stats", "export --xlsx",
        "report --format docx", "export --docx")}
    if shutil.which("soffice"):
        expected |= {("report --format docx --pdf", "warm"), ("export --docx --pdf", "warm")}
    expected |= {("list --lead 浙江省局: one plan of 60 in a folder of 10", "warm"),
                 ("list --lead 浙江省局 on an 80-column terminal", "warm"),
                 ("timeline on an 80-column terminal", "warm"),
                 ("list --lead 浙江省局 --plan all: 10 plans of 60", "warm"),
                 ("merge-driver (two branches)", "-"), ("diff HEAD~1 HEAD", "-")}
    if shutil.which("task"):
        expected.add(("Taskwarrior: task +浙江省局 list", "-"))
    assert set(rows) == expected
    for key, row in rows.items():
        assert row["size"] == "20"
        assert row["status"] in ("ok", "skipped"), (key, row["note"])
        if row["status"] == "ok":
            assert len(row["runs"]) == 1 and row["runs"][0]["rc"] == 0
            assert row["median_s"] > 0
    assert rows[("import-only baseline", "-")]["x_import"] == 1.0
    assert [t["target"] for t in report["targets"] if "--plan all" in t["target"]] == [
        "10 plans of 60: list --plan all (warm) ≤ 1.5× one plan"]
    table = (results / "latest.md").read_text(encoding="utf-8").splitlines()
    assert sum(line.startswith("| 20 |") for line in table) == len(expected)
    assert "import-only baseline" in result.stdout
    # The generated data and the bench cache stay inside the results folder.
    assert len(list((results / "data").glob("items-20-seed2024-g*.yaml"))) == 1
    assert any((results / "cache" / "workplan" / "registries").iterdir())


def test_huge_piped_output_is_streamed_and_complete(tmp_path, cli):
    """1,200 items through a pipe: the table is plain aligned text, one line per row, and CSV is
    the same text as formats.to_csv, written row by row."""
    from workplan.present import formats
    from workplan.present.columns import ITEM_COLUMNS, status_label
    from workplan.present.records import item_record

    path = generate.write(1200, tmp_path / "items.yaml", seed=3)
    reg = load_registry(path)
    table = cli("list", "--data", path, "--columns", "id,status")
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert lines[0] == f"{reg.plan.title} · 1200 项" and lines[1].split() == ["编号", "状态"]
    assert lines[-1] == f"数据来源：{path}"  # the registry read, named last
    assert [line.split()[0] for line in lines[3:-1]] == [i.id for i in reg.items]
    assert [line.split()[1] for line in lines[3:-1]] == [status_label(i.status.value, "zh") for i in reg.items]

    csv_text = cli("list", "--data", path, "-f", "csv", "--columns", "id,title,leads,due,status").stdout
    records = [item_record(reg, item) for item in reg.items]
    columns = formats.pick_columns("id,title,leads,due,status", ITEM_COLUMNS, [])
    assert csv_text == "\ufeff" + formats.to_csv(records, columns, "zh")
    assert csv_text.count("\r\n2024-") == 1200


def test_the_typer_floor_has_exactly_the_options_of_list():
    import typer.main

    import typer_floor
    from workplan.cli.commands import app

    def options(group, name):
        command = typer.main.get_command(group).commands[name]
        return sorted(opt for param in command.params for opt in param.opts)

    assert options(typer_floor.app, "list") == options(app, "list")
    assert "--lead" in options(typer_floor.app, "list") and len(options(app, "list")) >= 20


@pytest.mark.real_client
def test_the_dashboard_bench_measures_the_real_registry_in_chromium(tmp_path):
    from conftest import require_client

    require_client("Chromium", "chromium", "chromium-browser")
    require_client("chromedriver", "chromedriver")
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "dashboard.py"), "--sizes", "59", "--runs", "1",
                             "--results", str(tmp_path)], capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "dashboard-latest.json").read_text(encoding="utf-8"))
    [row] = report["rows"]
    assert row["size"] == 59 and row["runs"] == 1
    # "食品安全" typed into the box leaves the items `list --text 食品安全` gives.
    listed = subprocess.run([sys.executable, "-m", "workplan", "list", "--text", "食品安全", "-f", "json",
                             "--data", str(ROOT / "data" / "items.yaml")], capture_output=True, text=True,
                            encoding="utf-8", cwd=tmp_path)
    assert row["after_typing"] == f"显示 {len(json.loads(listed.stdout))} / 59 项"
    for key in ("first_screen_ms", "empty_same_size_ms", "keystroke_ms", "update_ms", "file_mb"):
        assert row[key] > 0, key
    assert report["targets"] == []  # the targets are for 10,000 items
    assert "| 59 |" in result.stdout


def test_the_60_row_ingest_documents_read_back(tmp_path, monkeypatch):
    """The documents bench/run.py ingests (the PDF only in the bench: LibreOffice is slow)."""
    import shutil as _shutil

    import ingest_documents
    from workplan.importing.draft import build_draft
    from workplan.importing.ingest import read_document

    monkeypatch.setattr(_shutil, "which", lambda name: None)  # no PDF here
    documents = ingest_documents.write_documents(ROOT / "data" / "items.yaml", tmp_path)
    assert sorted(documents) == [".docx", ".txt", ".xlsx"]
    for suffix, path in documents.items():
        draft = build_draft(read_document(path))
        assert len(draft.data["items"]) == 60, suffix
        assert sum(len(i["milestones"]) for i in draft.data["items"]) == 61, suffix
