"""One run of validate reports every problem it can find: the rules across fields, records and the
progress history also run on records that have bad fields, each finding located by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from workplan.store.load import RegistryError, load_registry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINIMAL = FIXTURES / "minimal.yaml"


def located(path: Path) -> set[tuple[int, int, str]]:
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    return {(p.line, p.col, p.words("en").split(": ", 1)[0]) for p in caught.value.problems}


def test_problems_of_every_stage_in_one_run():
    assert located(FIXTURES / "every_stage.yaml") == {
        (5, 3, "plan.doc_number"),                  # a missing field of the plan
        (26, 14, "tasks[2].section"),               # not a number
        (34, 11, "organisations[1].kind"),          # not a kind of organisation ...
        (35, 15, "organisations[1].province"),      # ... and, in the same record, an unknown province
        (47, 13, "2024-01.leads[0]"),               # an unknown unit ...
        (49, 11, "2024-01.task"),                   # ... a task of another section ...
        (50, 12, "2024-01.owner"),                  # ... an unknown field ...
        (52, 14, "2024-01.milestones[0].due"),      # ... a bad date ...
        (60, 15, "2024-01.progress[1].date"),       # ... a report with a bad date ...
        (62, 17, "2024-01.progress[1].status"),     # ... which also reopens a done item: one item, five stages
        (69, 10, "2024-02.seq"),                    # not a number ...
        (79, 13, "2024-02.status"),                 # ... not a status ...
        (82, 13, "2024-02.progress[0].by"),         # ... and a report by an unknown unit
    }


def test_the_validate_command_prints_each_once_and_exits_1(cli):
    result = cli("validate", FIXTURES / "every_stage.yaml")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 14 and len(set(lines)) == 14
    assert lines[-1] == "1 个文件中共有 13 处问题"
    assert "Traceback" not in result.stderr


def with_milestones(tmp_path: Path, *milestones: tuple[str, str]) -> Path:
    text = MINIMAL.read_text(encoding="utf-8")
    block = "".join(f"      - due: {due}\n        text: {said}\n        measure: 举措{n}\n"
                    for n, (due, said) in enumerate(milestones, 1))
    old = "      - due: 2024-12-31\n        text: 12月底前\n"
    assert old in text
    path = tmp_path / "items.yaml"
    path.write_text(text.replace(old, block, 1), encoding="utf-8")
    return path


def test_a_bad_date_between_dates_in_order_is_the_only_problem(tmp_path):
    path = with_milestones(tmp_path, ("2024-06-30", "6月底前"), ("2024-09-31", "9月底前"), ("2024-12-31", "12月底前"))
    assert {where for where in located(path)} == {(42, 14, "2024-01.milestones[1].due")}


def test_dates_out_of_order_around_a_bad_one_are_still_reported(tmp_path):
    path = with_milestones(tmp_path, ("2024-09-30", "9月底前"), ("2024-13-01", "10月底前"), ("2024-06-30", "6月底前"))
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    got = {(p.line, p.words("en")) for p in caught.value.problems}
    assert {line for line, _ in got} == {42, 45}
    assert any(line == 45 and "due before milestone 2 (2024-09-30)" in text for line, text in got), got


def test_a_task_whose_section_is_unreadable_is_not_called_a_mismatch():
    # every_stage.yaml's 2024-02 is in section 1 with task 3, whose section is '二': only the task's
    # own bad field is reported, not a guess about the item.
    assert not {where for where in located(FIXTURES / "every_stage.yaml") if where[2] == "2024-02.task"}
