"""Four bureaus, one registry, real git: clones, concurrent reports, the merge driver, diff, check-change.

Every repository is a real one in a temporary folder; git runs the installed driver itself
(`python -m workplan merge-driver …`), exactly as in a bureau's clone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REGISTRY

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

REL = "data/items.yaml"


@pytest.fixture
def env(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    values = {"HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "督办", "GIT_AUTHOR_EMAIL": "a@example.cn",
              "GIT_COMMITTER_NAME": "督办", "GIT_COMMITTER_EMAIL": "a@example.cn", "GIT_EDITOR": "true",
              "WORKPLAN_UNIT": "", "GIT_CONFIG_GLOBAL": str(home / ".gitconfig")}
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return dict(os.environ)


def run(args, cwd: Path, env: dict, ok: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8")
    if ok and done.returncode != 0:
        raise AssertionError(f"{args} exited {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


def git(cwd, env, *args, ok=True):
    return run(["git", *args], cwd, env, ok)


def wp(cwd, env, *args, ok=True):
    return run([sys.executable, "-m", "workplan", *args], cwd, env, ok)


@pytest.fixture
def origin(tmp_path, env) -> Path:
    """A bare origin holding the real registry with the merge driver's .gitattributes line."""
    seed = tmp_path / "seed"
    (seed / "data").mkdir(parents=True)
    shutil.copyfile(REGISTRY, seed / REL)
    git(seed, env, "init", "-q", "-b", "main")
    wp(seed, env, "setup-git")
    git(seed, env, "add", ".")
    git(seed, env, "commit", "-qm", "登记册")
    bare = tmp_path / "origin.git"
    git(tmp_path, env, "clone", "-q", "--bare", str(seed), str(bare))
    return bare


def clone(origin: Path, name: str, env) -> Path:
    target = origin.parent / name
    git(origin.parent, env, "clone", "-q", str(origin), str(target))
    wp(target, env, "setup-git")
    return target


def item(folder: Path, item_id: str) -> dict:
    data = yaml.safe_load((folder / REL).read_text(encoding="utf-8"))
    return next(i for i in data["items"] if i["id"] == item_id)


def report(folder, env, item_id, unit, day, text, *extra):
    wp(folder, env, "update", item_id, "--by", unit, "--date", day, "--note", text, *extra)
    git(folder, env, "commit", "-qam", f"{unit} {item_id}")


def test_setup_git_is_idempotent(origin, env):
    folder = clone(origin, "浙江", env)
    first = (folder / ".gitattributes").read_text(encoding="utf-8")
    assert first == "/data/items.yaml merge=workplan\n"
    again = wp(folder, env, "setup-git")
    assert (folder / ".gitattributes").read_text(encoding="utf-8") == first
    assert "已有" in again.stderr and "已是最新" in again.stderr
    assert git(folder, env, "config", "--get", "merge.workplan.driver").stdout.strip() == \
        f"{sys.executable} -m workplan merge-driver %O %A %B %P"
    assert git(folder, env, "status", "--porcelain").stdout == ""


def test_two_bureaus_report_on_one_joint_item_and_merge_cleanly(origin, env):
    shanghai, zhejiang = clone(origin, "上海", env), clone(origin, "浙江", env)
    report(shanghai, env, "2024-01", "上海市局", "2024-06-30", "上海：已完成流程梳理", "--status", "推进中")
    report(zhejiang, env, "2024-01", "浙江省局", "2024-06-28", "浙江：推进港资企业全程电子化登记", "--status", "推进中")
    git(shanghai, env, "push", "-q")
    git(zhejiang, env, "pull", "-q", "--no-rebase")  # the merge goes through the installed driver

    merged = item(zhejiang, "2024-01")
    assert [(p["date"], p["by"], p["text"]) for p in merged["progress"]] == [
        (__import__("datetime").date(2024, 6, 28), "浙江省局", "浙江：推进港资企业全程电子化登记"),
        (__import__("datetime").date(2024, 6, 30), "上海市局", "上海：已完成流程梳理"),
    ]
    assert merged["status"] == "in_progress"
    assert wp(zhejiang, env, "validate").returncode == 0
    record = json.loads(wp(zhejiang, env, "show", "2024-01", "-f", "json").stdout)[0]
    assert record["units"] == [
        {"unit": "上海市局", "status": "in_progress", "date": "2024-06-30"},
        {"unit": "江苏省局", "status": "not_started", "date": None},
        {"unit": "浙江省局", "status": "in_progress", "date": "2024-06-28"},
        {"unit": "安徽省局", "status": "not_started", "date": None},
    ]
    # The file is the clean text: no markers, the rest of the registry byte-identical to either side.
    text = (zhejiang / REL).read_text(encoding="utf-8")
    assert "<<<<<<<" not in text
    assert text.count("\n") == REGISTRY.read_text(encoding="utf-8").count("\n") + 9


def test_four_bureaus_complete_a_joint_item_each_on_their_own_branch(origin, env):
    units = ["上海市局", "江苏省局", "浙江省局", "安徽省局"]
    folders = [clone(origin, name, env) for name in ("上海", "江苏", "浙江", "安徽")]
    for n, (folder, unit) in enumerate(zip(folders, units)):
        report(folder, env, "2024-01", unit, f"2024-07-0{n + 1}", f"{unit}完成本单位任务", "--done")
        # On its own branch, one share done leaves the item 推进中.
        assert item(folder, "2024-01")["status"] == "in_progress"
    for folder in folders:
        git(folder, env, "pull", "-q", "--no-rebase")
        git(folder, env, "push", "-q")
    final = folders[-1]
    merged = item(final, "2024-01")
    assert [p["by"] for p in merged["progress"]] == units
    assert merged["status"] == "done"
    assert merged["milestones"][0]["done_on"] == __import__("datetime").date(2024, 7, 4)
    assert wp(final, env, "validate").returncode == 0
    board = json.loads(wp(final, env, "status", "--as-of", "2024-07-10", "-f", "json").stdout)["board"]
    for row in board:
        if row["unit"] in units:
            assert row["done"] >= 1


def completed_on_two_dates(origin, env):
    """Two clones complete 2024-02's milestone on different days; the second pulls the first's push.
    Gives that clone and git's result."""
    one, two = clone(origin, "一", env), clone(origin, "二", env)
    report(one, env, "2024-02", "浙江省局", "2024-06-30", "企业码应用完成", "--done")
    report(two, env, "2024-02", "浙江省局", "2024-07-02", "企业码应用完成", "--done")
    git(one, env, "push", "-q")
    return two, git(two, env, "pull", "--no-rebase", ok=False)


def test_a_milestone_completed_on_two_dates_is_a_real_conflict(origin, env):
    two, pulled = completed_on_two_dates(origin, env)
    assert pulled.returncode != 0
    assert "2024-02: 时间节点 1 两边完成日期不同：我方 2024-07-02，对方 2024-06-30" in pulled.stderr
    text = (two / REL).read_text(encoding="utf-8")
    assert text.count("<<<<<<< ours") == 1 and text.count(">>>>>>> theirs") == 1
    assert "done_on: 2024-06-30" in text and "done_on: 2024-07-02" in text
    assert git(two, env, "diff", "--name-only", "--diff-filter=U").stdout.strip() == REL


def test_edits_to_different_fields_of_one_item_merge(origin, env):
    one, two = clone(origin, "一", env), clone(origin, "二", env)
    path = one / REL
    text = path.read_text(encoding="utf-8")
    # A comment and a note on item 36 in one clone, a report on it in the other.
    text = text.replace("    title: 完善长三角食品安全风险预警防控机制\n",
                        "    title: 完善长三角食品安全风险预警防控机制\n    # 督办：每月报送\n", 1)
    text = text.replace("    task: 18\n    milestones:\n      - due: 2024-12-31\n        text: 12月底前\n    status: not_started\n  - id: 2024-36b",
                        "    task: 18\n    milestones:\n      - due: 2024-12-31\n        text: 12月底前\n    status: not_started\n    note: 列入督办\n  - id: 2024-36b", 1)
    path.write_text(text, encoding="utf-8")
    git(one, env, "commit", "-qam", "督办备注")
    report(two, env, "2024-36", "浙江省局", "2024-07-01", "已开展双十佳案例评选", "--status", "推进中")
    git(one, env, "push", "-q")
    git(two, env, "pull", "-q", "--no-rebase")
    merged_text = (two / REL).read_text(encoding="utf-8")
    assert "    # 督办：每月报送\n" in merged_text
    assert "    # task: 任务 18 的“食品安全风险预警交流和防控合作机制”。\n" in merged_text
    merged = item(two, "2024-36")
    assert merged["note"] == "列入督办" and merged["status"] == "in_progress"
    assert [p["text"] for p in merged["progress"]] == ["已开展双十佳案例评选"]


def test_rebase_and_cherry_pick_use_the_driver(origin, env):
    shanghai, zhejiang = clone(origin, "上海", env), clone(origin, "浙江", env)
    report(shanghai, env, "2024-01", "上海市局", "2024-06-30", "上海：已完成流程梳理", "--status", "推进中")
    git(shanghai, env, "push", "-q")
    report(zhejiang, env, "2024-01", "浙江省局", "2024-06-28", "浙江：推进中", "--status", "推进中")
    report(zhejiang, env, "2024-21", "浙江省局", "2024-07-01", "浙江：共建检验检测认证平台", "--status", "推进中")
    git(zhejiang, env, "pull", "-q", "--rebase")
    assert [p["by"] for p in item(zhejiang, "2024-01")["progress"]] == ["浙江省局", "上海市局"]
    assert len(git(zhejiang, env, "log", "--oneline").stdout.splitlines()) == 4  # linear: no merge commit

    # Cherry-pick 浙江's report on item 21 onto a branch that has 上海's report on it.
    git(shanghai, env, "checkout", "-qb", "补报")
    report(shanghai, env, "2024-21", "上海市局", "2024-06-20", "上海：推进中", "--status", "推进中")
    git(shanghai, env, "fetch", "-q", str(zhejiang), "main:浙江")
    git(shanghai, env, "cherry-pick", "浙江")
    assert [p["by"] for p in item(shanghai, "2024-21")["progress"]] == ["上海市局", "浙江省局"]
    assert wp(shanghai, env, "validate").returncode == 0


def test_check_change_allows_a_units_own_share_and_refuses_the_rest(origin, env):
    folder = clone(origin, "浙江", env)
    report(folder, env, "2024-01", "浙江省局", "2024-06-28", "浙江：推进中", "--status", "推进中")
    report(folder, env, "2024-02", "浙江省局", "2024-06-30", "企业码应用完成", "--done")
    allowed = wp(folder, env, "check-change", "--base", "origin/main", "--unit", "浙江省局")
    assert allowed.returncode == 0, allowed.stderr
    assert "浙江省局" in allowed.stderr

    # Everything that is not 浙江省局's own share, in one change.
    wp(folder, env, "update", "2024-09", "--by", "上海市局", "--date", "2024-07-01", "--note", "代报", "--status", "推进中")
    path = folder / REL
    text = path.read_text(encoding="utf-8")
    text = text.replace("    title: 拓展深化长三角地区“企业码”应用\n", "    title: 拓展深化长三角地区“企业码”应用（改）\n", 1)
    text = text.replace("  title: 长三角市场监管一体化发展 2024 年工作要点\n", "  title: 长三角市场监管一体化发展 2024 年工作要点（修订）\n", 1)
    path.write_text(text, encoding="utf-8")
    refused = wp(folder, env, "check-change", "--base", "origin/main", "--unit", "浙江省局", ok=False)
    assert refused.returncode == 1
    lines = refused.stderr.splitlines()
    line_of = {n: t for n, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)}
    assert lines == [
        f"data/items.yaml:{_line(line_of, '  title: 长三角市场监管一体化发展 2024 年工作要点（修订）')}: 修改了 plan（计划、部分、任务或单位）：进展变更不能修改计划本身",
        f"data/items.yaml:{_line(line_of, '    title: 拓展深化长三角地区“企业码”应用（改）')}: 2024-02: 修改了 title：浙江省局 的进展变更只能追加本单位的进展、完成或调整本事项的时间节点",
        f"data/items.yaml:{_line(line_of, '  - id: 2024-09')}: 2024-09: 浙江省局 不是本事项的牵头单位（牵头单位：上海市局），不能修改",
    ]
    # The same change seen as 上海市局's: its report on item 9 is fine, the rest is not.
    other = wp(folder, env, "check-change", "--base", "origin/main", "--unit", "上海市局", "--lang", "en", ok=False)
    assert other.returncode == 1
    report_line = next(n for n, line in line_of.items() if line == "        text: 浙江：推进中") - 3
    assert other.stderr.splitlines() == [
        f"data/items.yaml:{_line(line_of, '  title: 长三角市场监管一体化发展 2024 年工作要点（修订）')}: changes plan (the plan, sections, tasks or organisations): a progress change may not",
        f"data/items.yaml:{report_line + 1}: 2024-01: adds a report by 浙江省局, not by 上海市局",
        f"data/items.yaml:{_line(line_of, '  - id: 2024-02')}: 2024-02: 上海市局 does not lead this item (led by 浙江省局) and may not change it",
    ]


def _line(lines: dict[int, str], text: str) -> int:
    return next(n for n, line in lines.items() if line == text)


def test_diff_is_exact_on_known_revisions(origin, env):
    folder = clone(origin, "浙江", env)
    report(folder, env, "2024-01", "浙江省局", "2024-06-28", "浙江：推进中", "--status", "推进中")
    report(folder, env, "2024-02", "浙江省局", "2024-06-30", "企业码应用完成", "--done")
    records = json.loads(wp(folder, env, "diff", "origin/main", "HEAD", "-f", "json").stdout)
    common = {"date": None, "text": None, "unit": None, "field": None}
    assert records == [
        {**common, "kind": "status", "id": "2024-01", "seq": 1, "title": "打造长三角商事登记增值化服务模式",
         "old": "not_started", "new": "in_progress"},
        {**common, "kind": "unit_status", "id": "2024-01", "seq": 1, "title": "打造长三角商事登记增值化服务模式",
         "unit": "浙江省局", "old": "not_started", "new": "in_progress"},
        {**common, "kind": "report", "id": "2024-01", "seq": 1, "title": "打造长三角商事登记增值化服务模式",
         "unit": "浙江省局", "old": None, "new": "in_progress", "date": "2024-06-28", "text": "浙江：推进中"},
        {**common, "kind": "status", "id": "2024-02", "seq": 2, "title": "拓展深化长三角地区“企业码”应用",
         "old": "not_started", "new": "done"},
        {**common, "kind": "report", "id": "2024-02", "seq": 2, "title": "拓展深化长三角地区“企业码”应用",
         "unit": "浙江省局", "old": None, "new": "done", "date": "2024-06-30", "text": "企业码应用完成"},
        {**common, "kind": "completed", "id": "2024-02", "seq": 2, "title": "拓展深化长三角地区“企业码”应用",
         "field": "milestones[1]", "old": None, "new": "2024-06-30"},
    ]
    # One revision: against the working file, which now also has an uncommitted report.
    wp(folder, env, "update", "2024-03", "--by", "浙江省局", "--date", "2024-07-01", "--note", "指数编制中", "--status", "推进中")
    working = json.loads(wp(folder, env, "diff", "HEAD", "-f", "json").stdout)
    assert [(r["kind"], r["id"]) for r in working] == [("status", "2024-03"), ("report", "2024-03")]
    markdown = wp(folder, env, "diff", "origin/main", "-f", "md").stdout.splitlines()
    assert markdown[0].startswith("| 序号 | 编号 |") and len(markdown) == 2 + 8
    assert "| 1 | 2024-01 | 打造长三角商事登记增值化服务模式 | 新报进展 | 浙江省局 | 2024-06-28 推进中：浙江：推进中 |" in markdown
    # Two files work too, and --since finds the commit before a time.
    (folder / "old.yaml").write_text(git(folder, env, "show", "origin/main:data/items.yaml").stdout, encoding="utf-8")
    files = json.loads(wp(folder, env, "diff", "old.yaml", "data/items.yaml", "-f", "json").stdout)
    assert len(files) == 8
    since = wp(folder, env, "diff", "--since", "1 hour ago", "-f", "json", ok=False)
    assert (since.returncode, since.stderr) == (2, "workplan: 错误：HEAD 上没有早于“1 hour ago”的提交\n")
    since = wp(folder, env, "diff", "--since", "1 hour ago", "--lang", "en", ok=False)
    assert (since.returncode, since.stderr) == (2, 'workplan: error: no commit before "1 hour ago" on HEAD\n')


# -- the words of setup-git, the merge driver, diff and check-change, in both languages ------------

def test_setup_git_speaks_chinese_and_english(origin, env, tmp_path):
    folder = origin.parent / "新"
    git(origin.parent, env, "clone", "-q", str(origin), str(folder))
    driver = f"{sys.executable} -m workplan merge-driver %O %A %B %P"
    first = wp(folder, env, "setup-git")
    assert first.stderr.splitlines() == [
        f"{folder / '.gitattributes'} 已有：/data/items.yaml merge=workplan",
        f"已设置 git config merge.workplan.driver = {driver}"]
    assert git(folder, env, "config", "--get", "merge.workplan.name").stdout.strip() == "workplan：进展记录按事项合并"
    again = wp(folder, env, "setup-git", "--lang", "en")
    assert again.stderr.splitlines() == [
        f"{folder / '.gitattributes'} already has: /data/items.yaml merge=workplan", "git config merge.workplan.* already set"]
    (folder / ".gitattributes").unlink()
    fresh = wp(folder, env, "setup-git", "--lang", "en")
    assert fresh.stderr.splitlines()[0] == f"added to {folder / '.gitattributes'}: /data/items.yaml merge=workplan"
    outside = tmp_path / "无仓库"
    (outside / "data").mkdir(parents=True)
    shutil.copyfile(REGISTRY, outside / REL)
    refused = wp(outside, env, "setup-git", "--lang", "en", ok=False)
    assert (refused.returncode, refused.stderr) == (2, f"workplan: error: {outside}: not inside a git repository\n")
    refused = wp(outside, env, "setup-git", ok=False)
    assert (refused.returncode, refused.stderr) == (2, f"workplan: 错误：{outside}：不在 git 仓库中\n")


def test_the_merge_driver_gives_its_reasons_in_workplan_lang(origin, env):
    two, pulled = completed_on_two_dates(origin, env)
    assert pulled.returncode != 0
    driver_lines = [line for line in pulled.stderr.splitlines() if line.startswith("workplan merge-driver:")]
    assert driver_lines == [
        "workplan merge-driver: data/items.yaml: 2024-02: 时间节点 1 两边完成日期不同：我方 2024-07-02，对方 2024-06-30",
        "workplan merge-driver: data/items.yaml：1 处冲突，已按 git 冲突格式写入，请手工解决后 git add"]
    git(two, env, "merge", "--abort")
    english = {**env, "WORKPLAN_LANG": "en"}
    pulled = git(two, english, "pull", "--no-rebase", ok=False)
    driver_lines = [line for line in pulled.stderr.splitlines() if line.startswith("workplan merge-driver:")]
    assert driver_lines == [
        "workplan merge-driver: data/items.yaml: 2024-02: milestone 1 completed on two dates: 2024-07-02 (ours), 2024-06-30 (theirs)",
        "workplan merge-driver: data/items.yaml: 1 conflicts, written as git conflicts: resolve them, then git add"]
    assert (two / REL).read_text(encoding="utf-8").count("<<<<<<< ours") == 1


def test_the_merge_driver_names_a_field_changed_two_ways_in_both_languages(origin, env, tmp_path):
    base = (origin.parent / "base.yaml")
    base.write_text(REGISTRY.read_text(encoding="utf-8"), encoding="utf-8")
    text = base.read_text(encoding="utf-8")
    old = "      - due: 2024-12-31\n        text: 12月底前\n    status: not_started\n  - id: 2024-03"
    assert old in text
    for name, due in (("ours.yaml", "2024-11-30"), ("theirs.yaml", "2024-10-31")):
        (origin.parent / name).write_text(text.replace(old, old.replace("due: 2024-12-31", f"due: {due}"), 1), encoding="utf-8")
    for lang, expected in (("zh", "2024-02: 时间节点 1 的 due 两边改法不同：我方 2024-11-30，对方 2024-10-31"),
                           ("en", "2024-02: milestone 1 due changed two ways: 2024-11-30 (ours), 2024-10-31 (theirs)")):
        shutil.copyfile(origin.parent / "ours.yaml", origin.parent / "merged.yaml")
        done = wp(origin.parent, {**env, "WORKPLAN_LANG": lang}, "merge-driver", "base.yaml", "merged.yaml", "theirs.yaml",
                  "data/items.yaml", ok=False)
        assert done.returncode == 1
        assert done.stderr.splitlines()[0] == f"workplan merge-driver: data/items.yaml: {expected}"
    missing = wp(origin.parent, env, "merge-driver", "base.yaml", "无.yaml", "theirs.yaml", ok=False)
    assert missing.returncode == 2 and missing.stderr.startswith("workplan: 错误：items.yaml：无法读取 无.yaml：")


def test_diff_words_in_english(origin, env):
    folder = clone(origin, "浙江", env)
    report(folder, env, "2024-01", "浙江省局", "2024-06-28", "浙江：推进中", "--status", "推进中")
    report(folder, env, "2024-02", "浙江省局", "2024-06-30", "企业码应用完成", "--done")
    markdown = wp(folder, env, "diff", "origin/main", "-f", "md", "--lang", "en").stdout.splitlines()
    assert markdown[0] == "| No. | ID | Item | Change | Unit | Detail |"
    assert markdown[2:] == [
        "| 1 | 2024-01 | 打造长三角商事登记增值化服务模式 | status |  | not started → in progress |",
        "| 1 | 2024-01 | 打造长三角商事登记增值化服务模式 | unit's share | 浙江省局 | not started → in progress |",
        "| 1 | 2024-01 | 打造长三角商事登记增值化服务模式 | new report | 浙江省局 | 2024-06-28 in progress: 浙江：推进中 |",
        "| 2 | 2024-02 | 拓展深化长三角地区“企业码”应用 | status |  | not started → done |",
        "| 2 | 2024-02 | 拓展深化长三角地区“企业码”应用 | new report | 浙江省局 | 2024-06-30 done: 企业码应用完成 |",
        "| 2 | 2024-02 | 拓展深化长三角地区“企业码”应用 | milestone done |  | milestones\\[1\\] (none) → 2024-06-30 |",
    ]
    refused = wp(folder, env, "check-change", "--base", "origin/main", "--unit", "浙江", "--lang", "en", ok=False)
    assert refused.returncode == 2 and refused.stderr.startswith("workplan: error: --unit: ")

