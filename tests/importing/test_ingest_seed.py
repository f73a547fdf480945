"""Proof on the real thing: ingesting the seed text reproduces data/items.yaml.

The only differences are the registry's hand-curated extras, each listed here; a new difference
fails the test, and so does an extra that ingest starts to reproduce (the list must shrink then).
"""

from __future__ import annotations

import json

import pytest
import yaml

from tests.conftest import REGISTRY, SEED

pytestmark = pytest.mark.skipif(not SEED.exists(), reason="the seed document is not present")

# (path, value in data/items.yaml) for every hand-curated extra that ingest cannot know.
HAND_CURATED_WITH_REGISTRY_UNITS = {
    ("sections", 5, "note"): "标题“推进毗邻区域能域市场监管一体化”按原文保留；“能域”疑为笔误（应为“区域”）。",
}
# Without the registry's organisations every unit is inferred from its name; these are the
# registry's curated facts about units that a name does not say.
HAND_CURATED_UNITS = {
    "三省一市局": {"note": "三省一市：上海市、江苏省、浙江省、安徽省市场监管局共同牵头。"},
    "上海市药监局": {"aliases": ["上海药监局"]},            # item 37 prints 上海药监局
    "浙江省质科院": {"full_name": "浙江省质量科学研究院"},   # the name is an abbreviation
    "浙江省特科院": {"full_name": "浙江省特种设备科学研究院"},
}


def reference() -> dict:
    return yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))


def differences(got, want, path=()):
    """Every (path, got, want) where two plain data trees differ."""
    if isinstance(got, dict) and isinstance(want, dict):
        for key in [*want, *(k for k in got if k not in want)]:
            yield from differences(got.get(key), want.get(key), path + (key,))
    elif isinstance(got, list) and isinstance(want, list) and len(got) == len(want):
        for n, (a, b) in enumerate(zip(got, want)):
            yield from differences(a, b, path + (n,))
    elif got != want:
        yield path, got, want


@pytest.fixture(scope="module")
def draft_text(tmp_path_factory):
    from workplan.cli.app import run
    import workplan.cli.commands  # noqa: F401

    target = tmp_path_factory.mktemp("ingest") / "2024.yaml"
    with pytest.raises(SystemExit) as exit_:
        run(["ingest", str(SEED), "-o", str(target), "--data", str(REGISTRY)])
    assert exit_.value.code == 0
    return target.read_text(encoding="utf-8")


def test_seed_reproduces_the_registry_but_for_the_listed_extras(draft_text):
    got, want = yaml.safe_load(draft_text), reference()
    found = {path: w for path, g, w in differences(got, want)}
    assert found == HAND_CURATED_WITH_REGISTRY_UNITS


def test_the_59_rows_exactly(draft_text):
    got, want = yaml.safe_load(draft_text)["items"], reference()["items"]
    assert len(got) == len(want) == 59
    assert [i["id"] for i in got] == [i["id"] for i in want]
    assert [i["id"] for i in got if i["seq"] == 36] == ["2024-36", "2024-36b"]
    for key in ("seq", "title", "measures", "departments", "departments_text", "leads", "section", "task", "status"):
        assert [i.get(key) for i in got] == [i.get(key) for i in want], key
    assert [i["milestones"] for i in got] == [i["milestones"] for i in want]
    assert sum(len(i["milestones"]) for i in got) == 60
    assert got[17]["milestones"][0]["measure"].startswith("举办产业计量技术创新挑战赛")


def test_the_draft_validates_and_equals_the_shipped_registry_as_models(draft_text, tmp_path, cli):
    from workplan.store.load import load_registry

    path = tmp_path / "draft.yaml"
    path.write_text(draft_text, encoding="utf-8")
    result = cli("validate", path)
    assert result.exit_code == 0, result.stderr
    assert "59 项事项、60 个时间节点、16 个单位" in result.stdout
    draft, shipped = load_registry(path), load_registry(REGISTRY)
    shipped.sections[5].note = None
    assert draft == shipped


def test_review_lists_what_a_person_must_check(draft_text):
    header = draft_text.split("\nversion: 1\n")[0]
    assert "# 读入 59 行 → 59 个事项，60 个时间节点" in header
    assert "# 新增单位：无" in header
    assert "2个按清单顺序" in header.replace(" ", "") and "2024-53→24、2024-55→24" in header
    assert "序号 36 重复：第二行编号为 2024-36b" in header
    assert "2024-56“支持南京都市圈发展”：对应主要任务不确定" in header
    # item comments: the task link and its score above `task:`
    assert "    # task: 未能确定（最接近任务 24" in draft_text


def test_review_as_json(tmp_path, cli):
    result = cli("ingest", SEED, "-o", tmp_path / "d.yaml", "--data", REGISTRY, "--format", "json")
    assert result.exit_code == 0, result.stderr
    review = json.loads(result.stdout)
    assert (review["rows"], review["items"], review["milestones"]) == (59, 59, 60)
    assert review["without_deadline"] == [] and review["units_added"] == []
    links = {link["id"]: link for link in review["links"]}
    assert len(links) == 59
    assert [i for i, link in links.items() if not link["confident"]] == ["2024-56"]
    assert sorted(i for i, link in links.items() if link["by_order"]) == ["2024-53", "2024-55"]
    assert review["plan"]["doc_number"] == {"value": "浙市监综〔2024〕1号", "from": "文件"}
    assert any(line.startswith("去掉中文之间的排版空格") for line in review["normalised"])


def test_without_the_registry_units_are_inferred_from_their_names(tmp_path, cli):
    target = tmp_path / "d.yaml"
    result = cli("ingest", SEED, "-o", target, "--no-known-units", "-f", "json")
    assert result.exit_code == 0, result.stderr
    got = {o["name"]: o for o in yaml.safe_load(target.read_text(encoding="utf-8"))["organisations"]}
    want = {o["name"]: o for o in reference()["organisations"]}
    # 上海药监局 (item 37) is the registry's alias of 上海市药监局: from its name it is a unit of its own.
    assert set(got) - set(want) == {"上海药监局"}
    assert got["上海药监局"] == {"name": "上海药监局", "full_name": "上海药品监督管理局",
                                "kind": "drug_administration", "province": "上海"}
    # 中标长三院 (a 责任部门 of item 52) names no place: it stays a department, not a unit.
    assert set(want) - set(got) == {"中标长三院"}
    for name, org in got.items():
        if name in want:
            curated = HAND_CURATED_UNITS.get(name, {})
            assert {**org, **curated} == want[name], name
    added = [u["name"] for u in json.loads(result.stdout)["units_added"]]
    assert len(added) == 16 and "青浦区局" in added


def test_an_existing_output_is_refused_without_force(tmp_path, cli):
    target = tmp_path / "d.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    result = cli("ingest", SEED, "-o", target, "--data", REGISTRY)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"workplan: 错误：{target}：已存在，未覆盖（如要替换，请加 --force）"
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert cli("ingest", SEED, "-o", target, "--data", REGISTRY, "--force").exit_code == 0
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["plan"]["year"] == 2024
    assert [p.name for p in tmp_path.iterdir()] == ["d.yaml"]  # no temporary file left behind


def test_bad_documents_are_one_line_errors(tmp_path, cli):
    missing = cli("ingest", tmp_path / "none.docx", "-o", tmp_path / "d.yaml", "--data", REGISTRY)
    assert (missing.exit_code, missing.stderr) == (1, f"workplan: 错误：{tmp_path / 'none.docx'}：没有这个文件\n")
    odd = tmp_path / "plan.odt"
    odd.write_bytes(b"x")
    wrong = cli("ingest", odd, "-o", tmp_path / "d.yaml", "--data", REGISTRY)
    assert wrong.exit_code == 1 and "无法读取 .odt 文件" in wrong.stderr and len(wrong.stderr.splitlines()) == 1
    text = tmp_path / "plan.txt"
    text.write_text("只有正文，没有清单。\n", encoding="utf-8")
    empty = cli("ingest", text, "-o", tmp_path / "d.yaml", "--data", REGISTRY)
    assert empty.exit_code == 1 and "没有找到合作事项清单" in empty.stderr
    assert not (tmp_path / "d.yaml").exists()


def test_help_and_text_ingest_import_no_document_library(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = ("import sys\nimport workplan.cli.commands\nfrom workplan.cli.app import run\n"
            "for argv in (['--help'], ['ingest', '--help'], sys.argv[1:]):\n"
            "    try:\n        run(argv)\n    except SystemExit:\n        pass\n"
            "print('HEAVY', [m for m in ('docx', 'pdfplumber', 'pdfminer', 'openpyxl') if m in sys.modules], file=sys.stderr)\n")
    target = tmp_path / "new" / "plans" / "2024.yaml"
    result = subprocess.run([sys.executable, "-c", code, "ingest", str(SEED), "-o", str(target), "--data", str(REGISTRY)],
                            capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=120)
    assert "HEAVY []" in result.stderr, result.stderr[-500:]
    assert target.is_file()  # the folder was created
