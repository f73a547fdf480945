"""Shared fixtures: the real registry, an in-process CLI runner, and the real-client switch."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = ROOT / "data" / "items.yaml"
SEED = ROOT.parent / "shared" / "seed" / "000_00a1e42a8406eabc.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _stable_environment(monkeypatch, tmp_path_factory):
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("WORKPLAN_DATA", raising=False)
    # Tests never share the user's cache directory.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def registry():
    from workplan.store.load import load_registry

    return load_registry(REGISTRY)


@pytest.fixture
def registry_copy(tmp_path) -> Path:
    """A writable copy of the real registry."""
    target = tmp_path / "items.yaml"
    shutil.copyfile(REGISTRY, target)
    return target


def generated_registry(path: Path, size: int, seed: int) -> Path:
    """A synthetic registry written by the bench's generator (bench/generate.py)."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    return generate.write(size, path, seed=seed)


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def two_units_reported(cli, registry_copy):
    """2024-01 (三省一市局): 浙江省局 working on its share, 上海市局 done with its own; 2024-18's first
    milestone moved to 2024-11-30 by the joint meeting's office."""
    for args in (["update", "2024-01", "--status", "in_progress", "--by", "浙江省局", "--date", "2024-06-28",
                  "--note", "浙江：推进港资企业全程电子化登记"],
                 ["update", "2024-01", "--status", "done", "--by", "上海市局", "--date", "2024-06-30",
                  "--note", "上海：已完成流程梳理"],
                 ["adjust", "18", "--milestone", "1", "--to", "2024-11-30", "--approved-by", "联席会议办公室",
                  "--reason", "场地调整"]):
        r = cli(*args, "--data", registry_copy, "--as-of", "2024-07-01")
        assert r.exit_code == 0, r.stderr
    return registry_copy


@pytest.fixture
def cli(capsys):
    """Run `workplan ARGS…` in-process through the real entry point (error boundary included)."""
    from workplan.cli.app import run
    import workplan.cli.commands  # noqa: F401  (registers the commands)

    def invoke(*args: str) -> Result:
        code = 0
        try:
            run([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return invoke


def require_client(name: str, *candidates: str) -> str:
    """Path of a real client program; skip without it, or fail when CI demands real clients."""
    for candidate in candidates or (name,):
        found = shutil.which(candidate)
        if found:
            return found
    message = f"{name} is not installed"
    if os.environ.get("WORKPLAN_REQUIRE_REAL_CLIENTS") == "1":
        pytest.fail(f"{message}, and WORKPLAN_REQUIRE_REAL_CLIENTS=1 forbids skipping")
    pytest.skip(message)


def sheet_rows(ids, registry_path: Path = REGISTRY) -> dict[str, int]:
    """The row each item gets on an exported sheet: from row 4, a section row (一、…) before each section."""
    from workplan.store.load import load_registry

    section = {item.id: item.section for item in load_registry(registry_path).items}
    rows, r, seen = {}, 4, set()
    for item_id in ids:
        if section[item_id] not in seen:  # a section row the first time a section appears
            seen.add(section[item_id])
            r += 1
        rows[item_id] = r
        r += 1
    return rows
