"""The store's, the importer's and ingest's words: in Chinese by default, in English with --lang en,
and no English sentence left in a Chinese message (issue 13)."""

from __future__ import annotations

import os
import re
import string
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from workplan.core.labels import CATALOGUE, Message, t

from conftest import FIXTURES, REGISTRY

AS_OF = ("--as-of", "2024-10-15")
OURS = ("load.", "store.", "import.", "ingest.")
OUR_RULES = [key for key in CATALOGUE if key.startswith("rules.") and key not in ("rules.transition", "rules.transition_forced")]

# Three or more English words in a row: a sentence (or most of one). Codes (not_started), options
# (--force), file names and the few names kept in Latin letters are not words here.
KEPT = r"YAML|Excel|WPS|FIFO|UTF-8|GBK|GB18030|CSV|PDF|OCR|Tab|NUL|ESC|BEL|YYYY-MM-DD|workplan|init|zip|xlsx|docx|xls"
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}\b(?:[ ,;:'()-]+\b[A-Za-z]{2,}\b){2,}")


def english_sentences(text: str, *paths: Path) -> list[str]:
    for path in sorted(map(str, paths), key=len, reverse=True):
        text = text.replace(path, " ")
    text = re.sub(r"\S*[\\/]\S*|--[\w-]+|\$\w+|\S*[_.\d]\S*|\b(?:%s)\b" % KEPT, " ", text)
    return ENGLISH_RUN.findall(text)


def sample_fields(text: str) -> dict[str, object]:
    return {name: "X" for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(k for k in CATALOGUE if k.startswith(OURS)) + OUR_RULES)
def test_each_message_has_its_chinese_and_its_english(key):
    zh, en = CATALOGUE[key]
    fields = sample_fields(zh)
    chinese, english = t(key, "zh", **fields), t(key, "en", **fields)
    if key not in ("load.at", "rules.char", "rules.char_named", "rules.share", "store.reason.other", "load.yaml.explained",
                   "store.config_error", "store.config_field"):
        assert re.search(r"[\u4e00-\u9fff]", chinese), chinese
        assert chinese != english
    assert not english_sentences(chinese), chinese
    assert re.search(r"[A-Za-z]", english), english


def zh_and_en(cli, *args) -> tuple:
    zh = cli(*args)
    en = cli(*args, "--lang", "en")
    return zh, en


def assert_one_chinese_line(result, code: int, *paths: Path) -> str:
    assert result.exit_code == code, result.stderr
    assert result.stderr.startswith("workplan: 错误：") and result.stderr.count("\n") == 1, result.stderr
    assert not english_sentences(result.stderr, *paths), result.stderr
    return result.stderr


# -- induced errors, each in both languages ------------------------------------------------------------

def test_a_read_only_file_a_folder_and_a_fifo_as_targets(cli, tmp_path):
    readonly = tmp_path / "只读 文件.csv"  # a space and Chinese in the name
    readonly.write_bytes(b"keep")
    os.chmod(readonly, 0o444)
    fifo = tmp_path / "管道"
    os.mkfifo(fifo)
    for target, chinese, english in [
        (readonly, f"只读文件：{readonly}", f"read-only: {readonly}"),
        (tmp_path, f"{tmp_path}：是文件夹；请给出文件名", f"{tmp_path}: is a folder; give a file name"),
        (fifo, f"{fifo}：是命名管道（FIFO），不是普通文件；不会替换它",
         f"{fifo}: is a FIFO (named pipe), not a regular file; refusing to replace it"),
    ]:
        zh, en = zh_and_en(cli, "export", "--csv", target, "--plan", REGISTRY)
        assert assert_one_chinese_line(zh, 2, tmp_path) == f"workplan: 错误：{chinese}\n"
        assert (en.exit_code, en.stderr) == (2, f"workplan: error: {english}\n")
    assert readonly.read_bytes() == b"keep"


def test_output_to_a_full_disk():
    for lang, line in [("zh", "workplan: 错误：标准输出：未写入：磁盘已满"), ("en", "workplan: error: output: not written: no space left on the disk")]:
        with open("/dev/full", "wb") as full:
            r = subprocess.run([sys.executable, "-m", "workplan", "list", "-f", "json", "--plan", str(REGISTRY), "--lang", lang],
                               stdout=full, stderr=subprocess.PIPE, encoding="utf-8", timeout=60)
        assert (r.returncode, r.stderr.splitlines()) == (1, [line])


def test_a_device_as_the_registry(cli):
    zh, en = zh_and_en(cli, "list", "--plan", "/dev/zero")
    assert assert_one_chinese_line(zh, 1) == "workplan: 错误：/dev/zero: 是设备，不是文件\n"
    assert en.stderr == "workplan: error: /dev/zero: is a device, not a file\n"


@pytest.mark.parametrize("old, new, chinese, english", [
    ("    seq: 24\n", "\tseq: 24\n", "用了 Tab 缩进；请只用空格缩进",
     "a tab is used to indent; indent with spaces only (YAML: while scanning a plain scalar found a tab character that violates indentation)"),
    ("    seq: 24\n", "    seq: 24\n    owner: 张三\n", "2024-24.owner: 未知字段（拼写有误，或不是登记表格式的一部分）",
     "2024-24.owner: unknown field (misspelt, or not part of the registry format)"),
    ("    seq: 24\n", "    seq: [24\n", "方括号中的列表没有结束：缺少逗号或 ]", "a list in brackets is not closed: a comma or ] is missing"),
    ("      - due: 2024-10-31\n        text: 10月底前\n    status: not_started\n  - id: 2024-25",
     "      - due: 2024-10-31\n        text: 10月底前\n    status: finished\n  - id: 2024-25",
     "2024-24.status: 应为 未启动（not_started）、推进中（in_progress）、已完成（done）、延期（delayed）、取消（cancelled） 之一",
     "2024-24.status: should be one of not started (not_started), in progress (in_progress), done (done), delayed (delayed), cancelled (cancelled)"),
])
def test_a_bad_registry(cli, registry_copy, old, new, chinese, english):
    text = registry_copy.read_text(encoding="utf-8")
    registry_copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    zh, en = zh_and_en(cli, "validate", registry_copy)
    assert zh.exit_code == en.exit_code == 1
    assert chinese in zh.stderr and english in en.stderr, (zh.stderr, en.stderr)
    assert not english_sentences(zh.stderr, registry_copy), zh.stderr


def test_every_stage_in_chinese(cli):
    r = cli("validate", FIXTURES / "every_stage.yaml")
    assert r.exit_code == 1 and len(r.stderr.splitlines()) == 14
    assert not english_sentences(r.stderr, FIXTURES / "every_stage.yaml"), r.stderr


def test_a_damaged_workbook_and_one_of_another_registry(cli, tmp_path, registry_copy):
    workbook = tmp_path / "清单 返回.xlsx"
    assert cli("export", "--xlsx", workbook, "--plan", registry_copy, *AS_OF).exit_code == 0
    damaged = tmp_path / "damaged.xlsx"
    data = bytearray(workbook.read_bytes())
    with zipfile.ZipFile(workbook) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for n in range(start + 40, start + 80):
        data[n] ^= 0x5A
    damaged.write_bytes(bytes(data))
    zh, en = zh_and_en(cli, "import", damaged, "--plan", registry_copy, *AS_OF)
    assert zh.exit_code == en.exit_code == 1
    assert zh.stderr.splitlines() == [f"{damaged}: 部件 xl/worksheets/sheet1.xml 无法解压（文件已损坏）",
                                      f"{damaged} 中有 1 处问题；未写入任何内容"]
    assert en.stderr.startswith(f"{damaged}: part xl/worksheets/sheet1.xml cannot be unpacked (damaged): ")

    other = tmp_path / "other.yaml"
    other.write_text(registry_copy.read_text(encoding="utf-8").replace(
        "  title: 长三角市场监管一体化发展 2024 年工作要点", "  title: 长三角市场监管一体化发展 2025 年工作要点", 1), encoding="utf-8")
    zh = cli("import", workbook, "--plan", other, *AS_OF)
    assert zh.stderr.splitlines()[0] == (
        f"{workbook}: 这是从另一个登记表（计划《长三角市场监管一体化发展 2024 年工作要点》）导出的，不是本登记表"
        "（《长三角市场监管一体化发展 2025 年工作要点》）：请用 --plan 指向它来自的登记表再导入")
    assert not english_sentences(zh.stderr, workbook, tmp_path)


def test_a_held_lock_and_the_shipped_copy(cli, registry_copy, tmp_path, monkeypatch):
    from filelock import FileLock

    from workplan.store import writer

    monkeypatch.setattr(writer, "LOCK_WAIT_SECONDS", 0.1)
    with FileLock(registry_copy.parent / "items.yaml.lock"):
        zh, en = zh_and_en(cli, "update", "24", "--note", "x", "--plan", registry_copy, *AS_OF)
    assert assert_one_chinese_line(zh, 1, registry_copy) == (
        f"workplan: 错误：{registry_copy}：另一个 workplan 更新仍在写入（已等待 0.1 秒 items.yaml.lock）；未写入任何内容，请稍后再试\n")
    assert en.stderr == (f"workplan: error: {registry_copy}: another workplan update is still writing it (waited 0.1 s "
                         "for items.yaml.lock); nothing written — try again\n")
    monkeypatch.chdir(tmp_path)
    zh = cli("update", "24", "--note", "x", *AS_OF)
    assert_one_chinese_line(zh, 1, REGISTRY)


def test_ingest_refusals_in_both_languages(tmp_path):
    from workplan.importing.document import ReadError
    from workplan.importing.draft import Overrides
    from workplan.importing.ingest import ingest

    odd = tmp_path / "plan.odt"
    odd.write_bytes(b"x")
    with pytest.raises(ReadError) as caught:
        ingest(odd, tmp_path / "d.yaml", known_units=None, overrides=Overrides(None, None, None, None))
    assert caught.value.text("zh") == f"{odd}：无法读取 .odt 文件；请给出 .docx、.pdf（有文字层）、.txt 或 .xlsx"
    assert caught.value.text("en") == f"{odd}: cannot read .odt; give a .docx, .pdf (with a text layer), .txt or .xlsx"


# -- Windows: a file another program holds ----------------------------------------------------------------

def sharing_violation() -> PermissionError:
    """What Windows raises while another program (Excel, WPS) has the file open."""
    error = PermissionError(13, "The process cannot access the file because it is being used by another process")
    error.winerror = 32  # ERROR_SHARING_VIOLATION
    return error


def test_replacing_a_file_another_program_holds_is_retried_then_refused_in_one_line(tmp_path, monkeypatch):
    from workplan.store import atomic

    target = tmp_path / "清单 2024.xlsx"
    target.write_bytes(b"old")
    calls = []

    def held(src, dst):
        calls.append(dst)
        raise sharing_violation()

    monkeypatch.setattr(atomic.os, "replace", held)
    monkeypatch.setattr(atomic, "REPLACE_PAUSE_SECONDS", 0)
    with pytest.raises(atomic.WriteError) as caught:
        atomic.write_file(target, b"new")
    assert len(calls) == atomic.REPLACE_ATTEMPTS
    assert caught.value.text("zh") == f"{target}：未写入：文件正被另一个程序打开（如 Excel、WPS）；请关闭它后再试"
    assert caught.value.text("en") == (f"{target}: not written: the file is open in another program (Excel, WPS …); "
                                       "close it and try again")
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_a_file_let_go_of_during_the_retries_is_replaced(tmp_path, monkeypatch):
    from workplan.store import atomic

    target = tmp_path / "out.csv"
    target.write_bytes(b"old")
    real_replace, tries = os.replace, []

    def held_twice(src, dst):
        tries.append(dst)
        if len(tries) <= 2:
            raise sharing_violation()
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", held_twice)
    monkeypatch.setattr(atomic, "REPLACE_PAUSE_SECONDS", 0)
    atomic.write_file(target, b"new")
    assert target.read_bytes() == b"new" and len(tries) == 3


def test_a_plain_permission_error_is_not_retried_off_windows(tmp_path, monkeypatch):
    from workplan.store import atomic

    target = tmp_path / "out.csv"
    target.write_bytes(b"old")
    tries = []

    def refused(src, dst):
        tries.append(dst)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", refused)
    with pytest.raises(atomic.WriteError) as caught:
        atomic.write_file(target, b"new")
    assert len(tries) == (atomic.REPLACE_ATTEMPTS if os.name == "nt" else 1)
    assert caught.value.text("zh") == f"{target}：未写入：没有权限"


def test_a_message_is_worded_late(tmp_path):
    message = Message("store.not_written", path=tmp_path / "a b\\c.csv", reason=Message("store.reason.disk_full"))
    assert message.text("zh") == f"{tmp_path / 'a b'}\\c.csv：未写入：磁盘已满"
    assert message.text("en") == f"{tmp_path / 'a b'}\\c.csv: not written: no space left on the disk"


def test_on_windows_the_sweep_never_signals_a_process(tmp_path, monkeypatch):
    """os.kill(pid, 0) ends the process on Windows; the sweep asks Windows instead."""
    from workplan.store import atomic

    asked = []
    monkeypatch.setattr(atomic.os, "name", "nt")
    monkeypatch.setattr(atomic.os, "kill", lambda pid, sig: pytest.fail("os.kill called"))
    monkeypatch.setattr(atomic, "_windows_alive", lambda pid: asked.append(pid) or pid == 4242)
    (tmp_path / ".out.csv.4242.x.tmp").write_bytes(b"busy")
    (tmp_path / ".out.csv.999999.x.tmp").write_bytes(b"orphan")
    atomic.sweep_orphans(tmp_path / "out.csv")
    assert sorted(asked) == [4242, 999999]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.csv.4242.x.tmp"]


def test_a_bad_workplan_toml_in_both_languages(cli, registry_copy, tmp_path, monkeypatch):
    (tmp_path / "workplan.toml").write_text("unit = [\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    zh, en = zh_and_en(cli, "update", "24", "--note", "x", "--plan", registry_copy, *AS_OF)
    config = tmp_path / "workplan.toml"
    assert assert_one_chinese_line(zh, 2, tmp_path) == f"workplan: 错误：{config}：无法读取：不是有效的 TOML\n"
    assert en.stderr.startswith(f"workplan: error: {config}: cannot read: not valid TOML: ")


def test_lang_before_the_command_is_the_commands_language(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("WORKPLAN_LANG", raising=False)
    valid_en = f"{REGISTRY}: valid — 6 sections, 25 tasks, 59 items, 60 milestones, 16 organisations\n"
    valid_zh = f"{REGISTRY}：有效 — 6 个部分、25 项主要任务、59 项事项、60 个时间节点、16 个单位\n"
    for args, out in ((("--lang", "en", "validate"), valid_en), (("--lang=en", "validate"), valid_en),
                      (("--lang", "en", "validate", "--lang", "zh"), valid_zh), (("validate",), valid_zh)):
        r = cli(*args, REGISTRY)
        assert (r.exit_code, r.stdout, r.stderr) == (0, out, ""), args
    monkeypatch.setenv("WORKPLAN_LANG", "en")
    r = cli("--lang", "zh", "validate", REGISTRY)
    assert (r.exit_code, r.stdout) == (0, valid_zh)
    r = cli("validate", REGISTRY)
    assert (r.exit_code, r.stdout) == (0, valid_en)
    monkeypatch.delenv("WORKPLAN_LANG")
    missing = tmp_path / "missing" / "x.csv"
    r = cli("--lang", "en", "export", "--csv", missing, "--data", REGISTRY)
    assert (r.exit_code, r.stderr) == (2, f"workplan: error: {missing}: folder {missing.parent} does not exist\n")
