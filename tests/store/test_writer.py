"""The shared registry writer: surgical, validated, atomic, refusing concurrent changes."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import stat
from pathlib import Path

import pytest

from workplan.core.codes import Status
from workplan.store.load import load_registry
from workplan.store.writer import (
    AppendProgress,
    ConcurrentModificationError,
    Edit,
    InvalidEditError,
    LockedError,
    RegistryWriteError,
    apply_edits,
    edit_text,
    file_sha256,
    load_with_digest,
    lock_path,
    scalar_text,
)


def diff(old: str, new: str) -> tuple[list[str], list[str]]:
    """(removed lines, added lines) of a unified diff, without the markers."""
    removed, added = [], []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0):
        if line.startswith(("---", "+++", "@@")):
            continue
        (removed if line.startswith("-") else added).append(line[1:])
    return removed, added


def progress(date="2024-09-20", by="浙江省局", status="not_started", text="平台已上线试运行", **extra):
    return {"date": dt.date.fromisoformat(date), "by": by, "status": status, "text": text, **extra}


def test_set_status_changes_one_line(registry_copy):
    old = registry_copy.read_text(encoding="utf-8")
    _, digest = load_with_digest(registry_copy)
    new_digest = apply_edits(registry_copy, [Edit("2024-24", ("status",), Status.in_progress)], expected_sha256=digest)
    new = registry_copy.read_text(encoding="utf-8")
    assert diff(old, new) == (["    status: not_started"], ["    status: in_progress"])
    assert new_digest == file_sha256(registry_copy)
    # the changed line is the one of item 2024-24, nothing else
    line = new.splitlines().index("    status: in_progress")
    assert "  - id: 2024-24" in new.splitlines()[line - 12:line]
    changed = {i.id: i.status for i in load_registry(registry_copy).items if i.status != Status.not_started}
    assert changed == {"2024-24": Status.in_progress}


def test_milestone_done_on_is_added_in_its_mapping(registry_copy):
    old = registry_copy.read_text(encoding="utf-8")
    apply_edits(registry_copy, [Edit("2024-18", ("milestones", 0, "done_on"), dt.date(2024, 9, 20))])
    new = registry_copy.read_text(encoding="utf-8")
    assert diff(old, new) == ([], ["        done_on: 2024-09-20"])
    lines = new.splitlines()
    at = lines.index("        done_on: 2024-09-20")
    assert lines[at - 1].startswith("        measure: 举办产业计量技术创新挑战赛")
    assert lines[at + 1] == "      - due: 2024-12-31"
    item = next(i for i in load_registry(registry_copy).items if i.id == "2024-18")
    assert [m.done_on for m in item.milestones] == [dt.date(2024, 9, 20), None]
    # a second edit replaces the scalar text only
    apply_edits(registry_copy, [Edit("2024-18", ("milestones", 0, "done_on"), dt.date(2024, 9, 21))])
    assert diff(new, registry_copy.read_text(encoding="utf-8")) == (
        ["        done_on: 2024-09-20"], ["        done_on: 2024-09-21"])


def test_append_progress_creates_then_extends_the_list(registry_copy):
    old = registry_copy.read_text(encoding="utf-8")
    apply_edits(registry_copy, [AppendProgress("2024-24", progress())])
    first = registry_copy.read_text(encoding="utf-8")
    assert diff(old, first) == ([], [
        "    progress:",
        "      - date: 2024-09-20",
        "        by: 浙江省局",
        "        status: not_started",
        "        text: 平台已上线试运行",
    ])
    lines = first.splitlines()
    assert lines[lines.index("    progress:") - 1] == "    status: not_started"  # placed after status
    apply_edits(registry_copy, [AppendProgress("2024-24", progress("2024-10-08", text="第二次", evidence="浙市监〔2024〕9号"))])
    second = registry_copy.read_text(encoding="utf-8")
    assert diff(first, second) == ([], [
        "      - date: 2024-10-08",
        "        by: 浙江省局",
        "        status: not_started",
        "        text: 第二次",
        "        evidence: 浙市监〔2024〕9号",
    ])
    item = next(i for i in load_registry(registry_copy).items if i.id == "2024-24")
    assert [(p.date, p.text, p.evidence) for p in item.progress] == [
        (dt.date(2024, 9, 20), "平台已上线试运行", None),
        (dt.date(2024, 10, 8), "第二次", "浙市监〔2024〕9号"),
    ]


def test_several_edits_in_one_write(registry_copy):
    old = registry_copy.read_text(encoding="utf-8")
    apply_edits(registry_copy, [
        Edit("2024-18", ("status",), "in_progress"),
        Edit("2024-18", ("milestones", 0, "done_on"), dt.date(2024, 9, 20)),
        AppendProgress("2024-18", progress(by="上海市局", status="in_progress", text="挑战赛已举办", milestone=1)),
    ])
    removed, added = diff(old, registry_copy.read_text(encoding="utf-8"))
    assert removed == ["    status: not_started"]
    assert added == ["        done_on: 2024-09-20", "    status: in_progress", "    progress:",
                     "      - date: 2024-09-20", "        by: 上海市局", "        status: in_progress",
                     "        text: 挑战赛已举办", "        milestone: 1"]


def test_comments_and_everything_else_survive(registry_copy):
    old = registry_copy.read_text(encoding="utf-8")
    comments = [line for line in old.splitlines() if line.lstrip().startswith("#") or " # " in line]
    assert len(comments) > 10
    apply_edits(registry_copy, [Edit("2024-12", ("status",), "in_progress"),
                                AppendProgress("2024-12", progress(by="上海市局", status="in_progress"))])
    new = registry_copy.read_text(encoding="utf-8")
    assert [line for line in new.splitlines() if line.lstrip().startswith("#") or " # " in line] == comments
    # the comment inside item 2024-12 (before `task:`) is still there, in place
    assert "    # task: 任务 9 的“优化国际标准化协作机制，深度参与制定国际标准”。\n    task: 9\n" in new


SMALL = """\
# header comment
items:
  - id: A
    title: 'quoted # title'   # trailing comment
    milestones:
      - {due: 2024-12-31, text: "12月底前"}
    status: "not_started"
    progress: []

    note: >
      folded
      note

  - id: B
    status: not_started
"""


def test_text_edits_keep_quoting_style_and_flow_collections():
    text = edit_text(SMALL, [
        Edit("A", ("status",), "done"),
        Edit("A", ("milestones", 0, "done_on"), dt.date(2024, 11, 2)),
        Edit("A", ("note",), "short"),
        AppendProgress("A", {"date": dt.date(2024, 11, 2), "by": "X", "status": "done", "text": "ok"}),
    ])
    assert text == """\
# header comment
items:
  - id: A
    title: 'quoted # title'   # trailing comment
    milestones:
      - {due: 2024-12-31, text: "12月底前", done_on: 2024-11-02}
    status: done
    progress:
      - date: 2024-11-02
        by: X
        status: done
        text: ok

    note: short

  - id: B
    status: not_started
"""


def test_crlf_and_bom_are_kept(tmp_path, registry_copy):
    raw = registry_copy.read_bytes().replace(b"\n", b"\r\n")
    target = tmp_path / "crlf.yaml"
    target.write_bytes(b"\xef\xbb\xbf" + raw)
    apply_edits(target, [AppendProgress("2024-02", progress())])
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert "    progress:\r\n      - date: 2024-09-20\r\n" in data.decode("utf-8-sig")
    assert next(i for i in load_registry(target).items if i.id == "2024-02").progress[0].by == "浙江省局"


@pytest.mark.parametrize("value, text", [
    ("推进中", "推进中"),
    ("yes", "'yes'"),
    ("2024-09-20", "'2024-09-20'"),
    ("#1", "'#1'"),
    ("a: b", "'a: b'"),
    ("line 1\nline 2", '"line 1\\nline 2"'),
    (dt.date(2024, 9, 20), "2024-09-20"),
    (Status.done, "done"),
    (3, "3"),
    (True, "true"),
    (None, "null"),
])
def test_scalar_text_uses_yaml_quoting(value, text):
    assert scalar_text(value) == text


# -- failures leave the file byte-identical ---------------------------------------------------------

def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "items.yaml")


def test_changed_on_disk_is_refused(registry_copy):
    _, digest = load_with_digest(registry_copy)
    with registry_copy.open("a", encoding="utf-8") as handle:
        handle.write("# someone else's edit\n")
    before = registry_copy.read_bytes()
    with pytest.raises(ConcurrentModificationError) as caught:
        apply_edits(registry_copy, [Edit("2024-24", ("status",), "in_progress")], expected_sha256=digest)
    assert caught.value.text("en") == f"{registry_copy}: changed on disk since it was read; nothing written — run the command again"
    assert caught.value.text("zh") == f"{registry_copy}：读取之后文件已被改动；未写入任何内容，请重新运行命令"
    assert registry_copy.read_bytes() == before
    assert leftovers(registry_copy.parent) == []


def test_lock_held_is_waited_for_then_refused_and_named(registry_copy, monkeypatch):
    from filelock import FileLock

    from workplan.store import writer

    monkeypatch.setattr(writer, "LOCK_WAIT_SECONDS", 0.3)
    before = registry_copy.read_bytes()
    lock = lock_path(registry_copy)
    with FileLock(lock):  # another writer holds it
        with pytest.raises(LockedError) as caught:
            apply_edits(registry_copy, [Edit("2024-24", ("status",), "in_progress")])
        assert caught.value.text("en") == (f"{registry_copy}: another workplan update is still writing it (waited 0.3 s "
                                           "for items.yaml.lock); nothing written — try again")
        assert str(caught.value) == (f"{registry_copy}：另一个 workplan 更新仍在写入（已等待 0.3 秒 items.yaml.lock）；"
                                     "未写入任何内容，请稍后再试")
        assert registry_copy.read_bytes() == before
    apply_edits(registry_copy, [Edit("2024-24", ("status",), "in_progress")])
    assert not lock.exists()
    assert leftovers(registry_copy.parent) == []


def test_a_lock_file_nobody_holds_blocks_nothing(registry_copy):
    lock_path(registry_copy).write_text("pid 1\n", encoding="utf-8")  # left by a killed process
    apply_edits(registry_copy, [Edit("2024-24", ("status",), "in_progress")])
    assert "    status: in_progress\n" in registry_copy.read_text(encoding="utf-8")
    assert leftovers(registry_copy.parent) == []


@pytest.mark.parametrize("edits, message", [
    ([AppendProgress("2024-24", progress(by="北京市局"))], "unknown organisation '北京市局'"),
    ([AppendProgress("2024-24", progress(date="2024-01-05"))], "before the plan was issued"),
    ([Edit("2024-24", ("status",), "finished")], "2024-24.status"),
    ([Edit("2024-24", ("milestones", 0, "due"), "2024-02-30")], "milestones[0].due"),
    ([Edit("2024-24", ("title",), "")], "2024-24.title"),
])
def test_invalid_result_writes_nothing(registry_copy, edits, message):
    before = registry_copy.read_bytes()
    with pytest.raises(InvalidEditError) as caught:
        apply_edits(registry_copy, [Edit("2024-01", ("status",), "in_progress"), *edits])
    text = caught.value.text("en")
    assert "not written: the change would make the registry invalid" in text and message in text, text
    assert "未写入：这一改动会使登记表无效" in caught.value.text("zh")
    assert registry_copy.read_bytes() == before
    assert leftovers(registry_copy.parent) == []


@pytest.mark.parametrize("edit, message", [
    (Edit("2024-99", ("status",), "done"), "no item with id '2024-99'"),
    (Edit("2024-18", ("milestones", 2, "done_on"), dt.date(2024, 9, 1)), "no list entry 2"),
    (Edit("2024-18", ("milestones",), "x"), "only single values"),
    (Edit("2024-18", ("nothing", "deeper"), "x"), "no field 'nothing'"),
    (Edit("2024-18", ("status",), [1, 2]), "only plain values"),
])
def test_bad_edits_are_refused(registry_copy, edit, message):
    before = registry_copy.read_bytes()
    with pytest.raises(RegistryWriteError) as caught:
        apply_edits(registry_copy, [edit])
    assert message in caught.value.text("en")
    assert registry_copy.read_bytes() == before
    assert leftovers(registry_copy.parent) == []


def test_failed_rename_leaves_original_and_no_temp_file(registry_copy, monkeypatch):
    before = registry_copy.read_bytes()

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(RegistryWriteError) as caught:
        apply_edits(registry_copy, [Edit("2024-24", ("status",), "in_progress")])
    assert caught.value.text("en") == f"{registry_copy}: not written: no space left on the disk; the registry is unchanged"
    assert caught.value.text("zh") == f"{registry_copy}：未写入：磁盘已满；登记表未改动"
    assert registry_copy.read_bytes() == before
    assert leftovers(registry_copy.parent) == []


def test_file_mode_and_symlink_are_kept(registry_copy):
    os.chmod(registry_copy, 0o640)
    link = registry_copy.parent / "link.yaml"
    link.symlink_to(registry_copy.name)
    apply_edits(link, [Edit("2024-24", ("status",), "in_progress")])
    assert link.is_symlink()
    assert stat.S_IMODE(registry_copy.stat().st_mode) == 0o640
    assert "    status: in_progress\n" in registry_copy.read_text(encoding="utf-8")


def test_no_op_edit_does_not_rewrite(registry_copy):
    before_stat = registry_copy.stat()
    digest = apply_edits(registry_copy, [Edit("2024-24", ("status",), "not_started")])
    assert digest == file_sha256(registry_copy)
    assert registry_copy.stat().st_ino == before_stat.st_ino


def test_batched_edits_equal_one_by_one(registry_copy):
    """Many edits in one call give exactly the text of applying them one at a time."""
    text = registry_copy.read_text(encoding="utf-8")
    edits = []
    for n, item_id in enumerate(["2024-01", "2024-18", "2024-24", "2024-36b", "2024-58"]):
        edits += [
            Edit(item_id, ("status",), "in_progress"),
            AppendProgress(item_id, progress(by="上海市局", status="in_progress", text=f"第{n}次")),
            Edit(item_id, ("milestones", 0, "done_on"), dt.date(2024, 9, 1 + n)),
            AppendProgress(item_id, progress(date="2024-10-01", by="上海市局", status="in_progress", text="再报")),
            Edit(item_id, ("note",), f"备注 {n}"),
            Edit(item_id, ("note",), f"备注 {n}（改）"),
        ]
    one_by_one = text
    for edit in edits:
        one_by_one = edit_text(one_by_one, [edit])
    assert edit_text(text, edits) == one_by_one
    target = registry_copy.parent / "check.yaml"
    target.write_text(one_by_one, encoding="utf-8")
    reg = load_registry(target)
    item = next(i for i in reg.items if i.id == "2024-36b")
    assert [p.text for p in item.progress] == ["第3次", "再报"] and item.note == "备注 3（改）"
