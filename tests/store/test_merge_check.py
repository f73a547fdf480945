"""The merge driver's check of the merged registry: what the merge changed, located in the merged text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import REGISTRY
from workplan.store.merge import _to_check, check_merged, merge_texts

TODAY = dt.date(2024, 10, 15)
BASE = REGISTRY.read_text(encoding="utf-8")
WHERE = Path("data/items.yaml")


def report(text: str, item_id: str, by: str, day: str, note: str) -> str:
    """The text with one report appended to the item (status 推进中), as `update` writes it."""
    from workplan.store.writer import AppendProgress, edit_text

    entry = {"date": dt.date.fromisoformat(day), "by": by, "status": "in_progress", "text": note}
    return edit_text(text, [AppendProgress(item_id, entry)])


def with_status(text: str, item_id: str, status: str) -> str:
    start = text.index(f"  - id: {item_id}\n")
    at = text.index("    status: not_started\n", start)
    return text[:at] + f"    status: {status}\n" + text[at + len("    status: not_started\n"):]


def line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def test_a_clean_merge_checks_only_the_items_it_changed():
    ours = with_status(report(BASE, "2024-02", "浙江省局", "2024-06-30", "我方"), "2024-02", "in_progress")
    theirs = with_status(report(BASE, "2024-05", "上海市局", "2024-07-01", "对方"), "2024-05", "in_progress")
    result = merge_texts(BASE, ours, theirs)
    assert result.conflicts == []
    text, _ = _to_check(result)
    ids = [line.split(": ")[1] for line in text.splitlines() if line.startswith("  - id: ")]
    assert ids == ["2024-05"]  # 2024-02 is ours as committed; 2024-05 came from theirs
    assert check_merged(result, WHERE, today=TODAY) == []


def test_a_problem_in_a_changed_item_is_located_in_the_merged_text(tmp_path):
    ours = with_status(report(BASE, "2024-02", "浙江省局", "2024-06-30", "我方"), "2024-02", "in_progress")
    # Theirs reports in the name of a unit the registry does not know, on item 40.
    theirs = with_status(report(BASE, "2024-40", "浙江省", "2024-07-01", "对方"), "2024-40", "in_progress")
    theirs = theirs.replace("by: 浙江省\n", "by: 杭州市局\n")
    result = merge_texts(BASE, ours, theirs)
    problems = check_merged(result, WHERE, today=TODAY)
    assert [(p.path, p.line) for p in problems] == [(WHERE, line_of(result.text, "by: 杭州市局"))]
    assert [(p.line, p.col, str(p.message)) for p in problems] == whole_file_problems(result.text, tmp_path)


def whole_file_problems(text: str, folder: Path) -> list[tuple]:
    import pytest

    from workplan.store.load import RegistryError, load_registry

    path = folder / "merged.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as caught:
        load_registry(path, today=TODAY)
    return [(p.line, p.col, str(p.message)) for p in caught.value.problems]


def test_a_changed_number_is_checked_against_every_item_that_prints_it(tmp_path):
    ours = with_status(report(BASE, "2024-02", "浙江省局", "2024-06-30", "我方"), "2024-02", "in_progress")
    # Theirs gives item 2024-03 the 序号 of item 2024-07, which the merge leaves as it was.
    theirs = BASE.replace("  - id: 2024-03\n    seq: 3\n", "  - id: 2024-03\n    seq: 7\n", 1)
    result = merge_texts(BASE, ours, theirs)
    text, _ = _to_check(result)
    assert [line for line in text.splitlines() if line.startswith("  - id: ")] == ["  - id: 2024-03", "  - id: 2024-07"]
    problems = check_merged(result, WHERE, today=TODAY)
    # The lines and words `workplan validate` gives for the merged file as a whole.
    assert [(p.line, p.col, str(p.message)) for p in problems] == whole_file_problems(result.text, tmp_path)
    assert [p.line for p in problems] == [line_of(result.text, "  - id: 2024-03\n"),
                                          line_of(result.text, "  - id: 2024-07\n") + 1]


def test_a_changed_plan_checks_the_whole_text():
    ours = with_status(report(BASE, "2024-02", "浙江省局", "2024-06-30", "我方"), "2024-02", "in_progress")
    theirs = BASE.replace("  title: 长三角市场监管一体化发展 2024 年工作要点\n",
                          "  title: 长三角市场监管一体化发展 2024 年工作要点（修订）\n", 1)
    result = merge_texts(BASE, ours, theirs)
    assert result.conflicts == [] and _to_check(result) is None
    assert check_merged(result, WHERE, today=TODAY) == []
