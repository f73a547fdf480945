"""The registry lock dies with its process: a killed update never blocks the next one, and no
temporary file outlives the run that made it (SIGTERM cleans up at once, SIGKILL at the next write)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest

from conftest import ROOT

# The child runs the real console script, with fsync made to announce itself and hang: the update
# is then mid-write, its temporary file on disk and the lock held.
CHILD = """
import os, sys, time
sys.path.insert(0, {root!r})
def hang(fd):
    sys.stderr.write("writing\\n"); sys.stderr.flush()
    time.sleep(60)
os.fsync = hang
sys.argv = ["workplan", "update", "24", "--note", "killed mid-write", "--data", {registry!r},
            "--as-of", "2024-10-15"]
from workplan.cli.main import main
main()
"""


def start_update(registry):
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(root=str(ROOT), registry=str(registry))],
                             stderr=subprocess.PIPE, text=True, encoding="utf-8")
    assert child.stderr.readline() == "writing\n"
    return child


def files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_killed_update_never_blocks_the_next(cli, registry_copy, sig, monkeypatch):
    from workplan.store import writer

    before = registry_copy.read_bytes()
    for attempt in range(3):
        child = start_update(registry_copy)
        assert any(name.endswith(".tmp") for name in files(registry_copy.parent))  # mid-write indeed
        child.send_signal(sig)
        assert child.wait(timeout=30) == (-signal.SIGKILL if sig == signal.SIGKILL else 128 + signal.SIGTERM)
        assert registry_copy.read_bytes() == before
        if sig == signal.SIGTERM:  # it cleaned up on its way out
            assert files(registry_copy.parent) == ["items.yaml"]
    monkeypatch.setattr(writer, "LOCK_WAIT_SECONDS", 0)  # no waiting: nobody may hold the lock
    r = cli("update", "24", "--note", "after the kills", "--data", registry_copy, "--as-of", "2024-10-15")
    assert r.exit_code == 0, r.stderr
    assert "after the kills" in registry_copy.read_text(encoding="utf-8")
    assert files(registry_copy.parent) == ["items.yaml"]  # SIGKILL's orphans swept, the lock file removed


def test_a_second_update_waits_for_the_first_then_writes(cli, registry_copy):
    child = start_update(registry_copy)
    # The first writer dies while the second waits for the lock (5 s): the second then goes ahead.
    killer = threading.Timer(0.5, lambda: (child.kill(), child.wait()))  # killed and reaped (no zombie)
    killer.start()
    try:
        r = cli("update", "24", "--note", "second", "--data", registry_copy, "--as-of", "2024-10-15")
    finally:
        killer.join()
        child.wait()
    assert r.exit_code == 0, r.stderr
    assert "second" in registry_copy.read_text(encoding="utf-8")
    assert files(registry_copy.parent) == ["items.yaml"]


def test_a_second_update_gives_up_while_the_first_holds_the_lock(cli, registry_copy, monkeypatch):
    from workplan.store import writer

    monkeypatch.setattr(writer, "LOCK_WAIT_SECONDS", 0.5)
    before = registry_copy.read_bytes()
    child = start_update(registry_copy)
    try:
        r = cli("update", "24", "--note", "second", "--data", registry_copy, "--as-of", "2024-10-15")
    finally:
        child.kill()
        child.wait()
    assert r.exit_code == 1
    assert r.stderr == (f"workplan: 错误：{registry_copy}：另一个 workplan 更新仍在写入（已等待 0.5 秒 items.yaml.lock）；"
                        "未写入任何内容，请稍后再试\n")
    assert registry_copy.read_bytes() == before
