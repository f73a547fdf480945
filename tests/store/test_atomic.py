"""The one atomic writer: every file workplan writes goes through it, and a refused or failed write
changes nothing and leaves nothing behind."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from workplan.store.atomic import TargetRefused, WriteError, write_file

from conftest import REGISTRY

AS_OF = ("--as-of", "2024-10-15")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".lock")))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.is_symlink()}


@pytest.fixture
def device(tmp_path) -> Path:
    """A character device node in a scratch folder (the same device as /dev/null)."""
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("cannot create a device node here (needs root)")
    return node


@pytest.fixture
def small_disk(tmp_path):
    """A 256 KiB tmpfs: a real full disk (root only; otherwise skipped, and the injected-error
    tests below still cover the same paths)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def fill(disk: Path) -> None:
    with open(disk / "filler", "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 1024)
        except OSError:
            pass


# -- the writer itself -------------------------------------------------------------------------------

def test_writes_bytes_or_a_stream_and_keeps_the_mode(tmp_path):
    target = tmp_path / "out.bin"
    write_file(target, b"one")
    assert target.read_bytes() == b"one"
    os.chmod(target, 0o640)
    write_file(target, lambda stream: stream.write(b"two"))
    assert target.read_bytes() == b"two" and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_a_new_file_gets_the_umask_mode(tmp_path):
    old = os.umask(0o027)
    try:
        write_file(tmp_path / "new.txt", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


def test_writes_through_a_symlink_and_keeps_it(tmp_path):
    real = tmp_path / "real.csv"
    real.write_bytes(b"old")
    link = tmp_path / "link.csv"
    link.symlink_to(real.name)
    write_file(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to("made-by-the-write.csv")
    write_file(dangling, b"made")
    assert dangling.is_symlink() and (tmp_path / "made-by-the-write.csv").read_bytes() == b"made"


@pytest.mark.parametrize("make, message, chinese", [
    (lambda p: p.mkdir(), "{p}: is a folder; give a file name", "{p}：是文件夹；请给出文件名"),
    (lambda p: os.mkfifo(p), "{p}: is a FIFO (named pipe), not a regular file; refusing to replace it",
     "{p}：是命名管道（FIFO），不是普通文件；不会替换它"),
    (lambda p: (p.write_bytes(b"keep"), os.chmod(p, 0o444)), "read-only: {p}", "只读文件：{p}"),
])
def test_refuses_what_is_not_a_regular_writable_file(tmp_path, make, message, chinese):
    target = tmp_path / "target"
    make(target)
    before = os.lstat(target)
    with pytest.raises(TargetRefused) as caught:
        write_file(target, b"x")
    assert caught.value.text("en") == message.format(p=target)
    assert str(caught.value) == caught.value.text("zh") == chinese.format(p=target)
    after = os.lstat(target)
    assert (after.st_ino, after.st_mode, after.st_size) == (before.st_ino, before.st_mode, before.st_size)
    assert leftovers(tmp_path) == []


def test_refuses_a_device_node_and_leaves_it_a_device(device):
    with pytest.raises(TargetRefused) as caught:
        write_file(device, b"x")
    assert caught.value.text("en") == f"{device}: is a device, not a regular file; refusing to replace it"
    assert caught.value.text("zh") == f"{device}：是设备，不是普通文件；不会替换它"
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_refuses_a_missing_folder_and_an_empty_name(tmp_path):
    with pytest.raises(TargetRefused) as caught:
        write_file(tmp_path / "no" / "such.csv", b"x")
    assert caught.value.text("en") == f"{tmp_path / 'no' / 'such.csv'}: folder {tmp_path / 'no'} does not exist"
    assert caught.value.text("zh") == f"{tmp_path / 'no' / 'such.csv'}：文件夹 {tmp_path / 'no'} 不存在"
    with pytest.raises(TargetRefused) as caught:
        write_file("", b"x")
    assert caught.value.text("en") == "an empty file name: give the file to write"
    assert caught.value.text("zh") == "文件名为空：请给出要写的文件"


def test_an_error_while_writing_leaves_the_old_file_and_no_temp_file(tmp_path):
    target = tmp_path / "keep.csv"
    target.write_bytes(b"old")

    def broken(stream):
        stream.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(WriteError) as caught:
        write_file(target, broken)
    assert caught.value.text("en") == f"{target}: not written: no space left on the disk"
    assert caught.value.text("zh") == f"{target}：未写入：磁盘已满"
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []
    with pytest.raises(ZeroDivisionError):  # a bug in the content is not hidden, and not written either
        write_file(target, lambda stream: 1 / 0)
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []


def test_a_temp_file_of_a_dead_process_is_swept(tmp_path):
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, encoding="utf-8")
    dead = int(child.stdout)
    orphan = tmp_path / f".out.csv.{dead}.abcd1234.tmp"
    orphan.write_bytes(b"half")
    alive = tmp_path / f".out.csv.{os.getppid()}.abcd1234.tmp"  # a running process's: left alone
    alive.write_bytes(b"busy")
    write_file(tmp_path / "out.csv", b"x")
    assert not orphan.exists() and alive.exists()


def test_a_real_full_disk(small_disk):
    target = small_disk / "out.bin"
    target.write_bytes(b"old")
    with pytest.raises(WriteError) as caught:
        write_file(target, b"x" * 400_000)
    assert caught.value.text("zh") == f"{target}：未写入：磁盘已满"
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in small_disk.iterdir()) == ["out.bin"]


# -- every command that writes a file ------------------------------------------------------------------

WRITERS = [
    ("export", "--xlsx"), ("export", "--csv"), ("export", "--json"), ("export", "--sqlite"),
    ("dashboard", "--html"), ("calendar", "--ics"), ("report", "--period", "2024-09", "-o"), ("schema", "-o"),
    ("schema", "--json"),
]


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c))
def test_commands_refuse_unusable_targets_with_exit_2(cli, tmp_path, command):
    folder = tmp_path / "folder"
    folder.mkdir()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    readonly = tmp_path / "readonly.out"
    readonly.write_bytes(b"keep")
    os.chmod(readonly, 0o444)
    before = snapshot(tmp_path)
    for target, message, english in [
        (tmp_path / "missing" / "x.out", f"{tmp_path / 'missing' / 'x.out'}：文件夹 {tmp_path / 'missing'} 不存在",
         f"{tmp_path / 'missing' / 'x.out'}: folder {tmp_path / 'missing'} does not exist"),
        (folder, f"{folder}：是文件夹；请给出文件名", f"{folder}: is a folder; give a file name"),
        (fifo, f"{fifo}：是命名管道（FIFO），不是普通文件；不会替换它",
         f"{fifo}: is a FIFO (named pipe), not a regular file; refusing to replace it"),
        (readonly, f"只读文件：{readonly}", f"read-only: {readonly}"),
    ]:
        extra = ("--data", REGISTRY) if command[0] != "schema" else ()
        r = cli(*command, target, *extra)
        assert (r.exit_code, r.stderr) == (2, f"workplan: 错误：{message}\n"), target
        r = cli(*command, target, *extra, "--lang", "en")
        assert (r.exit_code, r.stderr) == (2, f"workplan: error: {english}\n"), target
    r = cli(*command, "", *(("--data", REGISTRY) if command[0] != "schema" else ()))
    assert (r.exit_code, r.stdout, r.stderr) == (2, "", "workplan: 错误：文件名为空：请给出要写的文件\n")
    assert snapshot(tmp_path) == before and leftovers(tmp_path) == []
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c))
def test_commands_refuse_a_device_and_leave_it(cli, device, command):
    extra = ("--data", REGISTRY) if command[0] != "schema" else ()
    r = cli(*command, device, *extra)
    assert (r.exit_code, r.stderr) == (2, f"workplan: 错误：{device}：是设备，不是普通文件；不会替换它\n")
    assert stat.S_ISCHR(os.lstat(device).st_mode)


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c))
def test_commands_write_through_symlinks(cli, tmp_path, command):
    real = tmp_path / "real.out"
    real.write_bytes(b"")
    link = tmp_path / "link.out"
    link.symlink_to(real.name)
    extra = {"schema": (), "report": ("--data", REGISTRY), "calendar": ("--data", REGISTRY)}.get(
        command[0], ("--data", REGISTRY, *AS_OF))
    r = cli(*command, link, *extra)
    assert r.exit_code == 0, r.stderr
    assert link.is_symlink() and real.stat().st_size > 0
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c))
def test_commands_on_a_full_disk_exit_1_and_leave_nothing(cli, small_disk, command):
    fill(small_disk)
    before = snapshot(small_disk)
    extra = ("--data", REGISTRY) if command[0] != "schema" else ()
    r = cli(*command, small_disk / "out.file", *extra)
    assert r.exit_code == 1, r.stderr
    assert r.stderr == f"workplan: 错误：{small_disk / 'out.file'}：未写入：磁盘已满\n"
    assert snapshot(small_disk) == before and leftovers(small_disk) == []


def test_update_on_a_full_disk_changes_nothing_and_leaves_no_lock(cli, small_disk):
    registry = small_disk / "items.yaml"
    registry.write_bytes(REGISTRY.read_bytes())
    fill(small_disk)
    before = snapshot(small_disk)
    r = cli("update", "24", "--note", "x", "--data", registry, *AS_OF)
    assert r.exit_code == 1 and r.stderr.count("\n") == 1, r.stderr
    assert r.stderr == f"workplan: 错误：{registry}：未写入：磁盘已满；登记表未改动\n"
    assert snapshot(small_disk) == before and leftovers(small_disk) == []
    (small_disk / "filler").unlink()
    r = cli("update", "24", "--note", "x", "--data", registry, *AS_OF)
    assert r.exit_code == 0, r.stderr
    assert leftovers(small_disk) == []


def test_update_refuses_a_read_only_registry(cli, registry_copy):
    os.chmod(registry_copy, 0o444)
    before = registry_copy.read_bytes()
    r = cli("update", "24", "--note", "x", "--data", registry_copy, *AS_OF)
    assert (r.exit_code, r.stderr) == (1, f"workplan: 错误：只读文件：{registry_copy}；未写入任何内容\n")
    assert registry_copy.read_bytes() == before and stat.S_IMODE(registry_copy.stat().st_mode) == 0o444
    assert leftovers(registry_copy.parent) == []


# -- standard output ------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("list", "-f", "json"), ("list", "-f", "yaml"), ("list",), ("status",), ("show", "36"),
    ("export", "--csv", "-"), ("validate", "-f", "json"), ("list", "-f", "csv"), ("list", "-f", "md"),
], ids=" ".join)
def test_output_to_a_full_disk_exits_1_with_one_line(args):
    with open("/dev/full", "wb") as full:
        r = subprocess.run([sys.executable, "-m", "workplan", *args, "--data", str(REGISTRY)],
                           stdout=full, stderr=subprocess.PIPE, text=True, encoding="utf-8", timeout=60)
    assert r.returncode == 1
    assert r.stderr.splitlines()[-1:] == ["workplan: 错误：标准输出：未写入：磁盘已满"]
    assert "Traceback" not in r.stderr


def test_a_reader_that_stops_early_is_not_an_error():
    r = subprocess.run(["bash", "-o", "pipefail", "-c",
                        f"{sys.executable} -m workplan list -f yaml --data {REGISTRY} | head -c 10 > /dev/null"],
                       stderr=subprocess.PIPE, text=True, encoding="utf-8", timeout=60)
    assert (r.returncode, r.stderr) == (0, "")


def test_create_file_writes_a_new_file_and_never_replaces_one(tmp_path):
    from workplan.store.atomic import create_file

    target = tmp_path / "new.txt"
    assert create_file(target, b"first") is True
    assert target.read_bytes() == b"first"
    assert create_file(target, b"second") is False
    assert target.read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.txt"]  # no temporary file left
