"""Finding the plans of a project folder and naming them, without parsing a registry."""

from __future__ import annotations

import shutil

import pytest

from conftest import REGISTRY
from workplan.store import plans


def test_plan_year_is_read_from_the_plan_block_only(tmp_path):
    assert plans.plan_year(REGISTRY) == 2024
    other = tmp_path / "x.yaml"
    other.write_text("# year: 1999\nversion: 1\nplan:\n  title: t\n  # 年度\n\n  year: '2031'\nitems: []\n",
                     encoding="utf-8")
    assert plans.plan_year(other) == 2031
    other.write_text("version: 1\nitems:\n  - year: 2030\n", encoding="utf-8")
    assert plans.plan_year(other) is None
    assert plans.plan_year(tmp_path / "missing.yaml") is None


def test_discover_names_items_yaml_by_year_and_the_rest_by_stem(tmp_path, monkeypatch):
    data = tmp_path / "data"
    (data / "plans").mkdir(parents=True)
    shutil.copyfile(REGISTRY, data / "items.yaml")
    for name in ("2025.yaml", "2025-浙江.yml", "notes.txt"):
        (data / "plans" / name).write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert [(p.name, str(p.path)) for p in plans.discover()] == [
        ("2024", "data/items.yaml"), ("2025", "data/plans/2025.yaml"), ("2025-浙江", "data/plans/2025-浙江.yml")]
    (data / "plans" / "2024.yaml").write_text("x", encoding="utf-8")
    assert [p.name for p in plans.discover()] == ["items", "2024", "2025", "2025-浙江"]
    assert [p.name for p in plans.resolve("2025-浙江")] == ["2025-浙江"]
    assert str(plans.resolve("items")[0].path) == "data/items.yaml"


def test_outside_a_project_the_registry_in_use_is_the_only_plan(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    found = plans.discover()
    assert [p.name for p in found] == ["2024"] and found[0].path.name == "items.yaml"
    with pytest.raises(plans.UnknownPlan, match="没有计划 2025；是否要找 2024？"):
        plans.resolve("2025")


def test_workplan_data_sets_the_project_folder(tmp_path, monkeypatch):
    data = tmp_path / "elsewhere"
    (data / "plans").mkdir(parents=True)
    shutil.copyfile(REGISTRY, data / "main.yaml")
    (data / "plans" / "2025.yaml").write_text("x", encoding="utf-8")
    monkeypatch.setenv("WORKPLAN_DATA", str(data / "main.yaml"))
    monkeypatch.chdir(tmp_path)
    assert [(p.name, p.path) for p in plans.discover()] == [("2024", data / "main.yaml"),
                                                            ("2025", data / "plans" / "2025.yaml")]
