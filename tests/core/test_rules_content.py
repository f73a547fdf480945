"""The rules on what a registry says (core/rules.py check_content, and the loader's number forms):
each broken plan is refused with the one located problem it has, and the file stays as it was."""

from __future__ import annotations

import pytest


def validate(cli, path, old: str, new: str, count: int = 1) -> list[str]:
    """The problems `validate` prints once `old` is replaced by `new` (each as LINE:COL: message)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    before = path.read_bytes()
    r = cli("validate", path, "--lang", "en")
    assert r.exit_code == 1, r.stdout
    assert path.read_bytes() == before
    lines = r.stderr.splitlines()
    assert "Traceback" not in r.stderr and lines[-1].endswith("problem(s) in 1 file(s)")
    return [line[len(str(path)) + 1:] for line in lines[:-1]]


def at(path, located: str) -> str:
    """LINE:COL of the first occurrence of `located` in the file."""
    text = path.read_text(encoding="utf-8")
    index = text.index(located)
    return f"{text.count(chr(10), 0, index) + 1}:{index - (text.rfind(chr(10), 0, index) + 1) + 1}"


NOTE = "registry text holds no control characters or non-characters; remove it"


@pytest.mark.parametrize("new, located, message", [
    ("    note: \"完成\\e[2J\\e]0;pwned\\a\"\n", "\"完成", f"2024-24.note: U+001B (ESC, a terminal escape) at character 3: {NOTE}"),
    ("    note: \"第一行\\n第二\\uFFFF行\"\n", "\"第一行", f"2024-24.note: U+FFFF (a non-character) at line 2, column 3 of the text: {NOTE}"),
    ("    note: \"\\0\"\n", "\"\\0", f"2024-24.note: U+0000 (NUL) at character 1: {NOTE}"),
    ("    note: 完\x1b[2J成\n", "\x1b", "unacceptable character U+001B: a control character (a terminal escape, NUL, …) "
     "cannot be in the registry"),
    ("    note: 完\ufffe成\n", "\ufffe", "unacceptable character U+FFFE: a control character (a terminal escape, NUL, …) "
     "cannot be in the registry"),
    ("    note: 完\x00成\n", "\x00", "a NUL byte (\\x00): binary data, not a YAML text file"),
])
def test_control_characters_and_non_characters_are_refused_with_line_and_column(cli, registry_copy, new, located,
                                                                                message):
    problems = validate(cli, registry_copy, "    seq: 24\n", "    seq: 24\n" + new)
    assert problems == [f"{at(registry_copy, located)}: {message}"]


def test_yaml_scanner_jargon_gets_a_plain_explanation(cli, registry_copy):
    problems = validate(cli, registry_copy, "    seq: 24\n", "\tseq: 24\n")
    assert problems == [f"{at(registry_copy, chr(9) + 'seq: 24')}: a tab is used to indent; indent with spaces only "
                        "(YAML: while scanning a plain scalar found a tab character that violates indentation)"]


@pytest.mark.parametrize("typed, message", [
    ("0024", "0024 is not a plain whole number (YAML 1.1 reads it as 20); write 24"),
    ("12:30", "12:30 is not a plain whole number (YAML 1.1 reads it as 750); write the number in plain digits (1, 2, 30)"),
    ("0x18", "0x18 is not a plain whole number (YAML 1.1 reads it as 24); write the number in plain digits (1, 2, 30)"),
    ("yes", "yes is read by YAML as a true/false value (True), not a number; write the number"),
    ("9" * 5000, "99999999999999999999… is not a plain whole number (YAML 1.1 reads it as a number of 5,000 digits); "
                 "write the number in plain digits (1, 2, 30)"),
])
def test_integer_fields_take_plain_integers_only(cli, registry_copy, typed, message):
    problems = validate(cli, registry_copy, "    seq: 24\n", f"    seq: {typed}\n")
    assert problems == [f"{at(registry_copy, typed + chr(10))}: 2024-24.seq: {message}"]


def test_a_huge_integer_in_a_text_field_is_reported_not_crashed_on(cli, registry_copy):
    digits = "7" * 5000
    problems = validate(cli, registry_copy, "    seq: 24\n", f"    seq: 24\n    note: {digits}\n")
    assert problems == [f"{at(registry_copy, digits)}: 2024-24.note: {digits[:20]}… is read by YAML as a number (a number "
                        f"of 5,000 digits), not text; put it in quotes: \"{digits[:20]}…\""]


ITEM_24_MILESTONE = "      - due: 2024-10-31\n        text: 10月底前\n    status: not_started\n  - id: 2024-25"
ITEM_24_LEADS = "    leads: [浙江省局]\n    section: 4\n    task: 13\n    milestones:\n      - due: 2024-10-31"


@pytest.mark.parametrize("old, new, expected", [
    ("    title: 打造长三角网络交易案件协查交互平台\n", "    title: \"  \"\n",
     [('"  "', "2024-24.title: is blank (only white space); write the text or leave the field out")]),
    ("  - id: 2024-24\n", "  - id: 2024-94\n",
     [("2024-94", "2024-94.id: id 2024-94 does not agree with its 序号 24 (expected 2024-24)")]),
    ("  - id: 2024-25\n    seq: 25\n", "  - id: 2024-25\n    seq: 24\n",
     [("2024-25\n    seq: 24", "2024-25.id: id 2024-25 does not agree with its 序号 24 (expected 2024-24)"),
      ("24\n    title: 迭代", "2024-25.seq: 序号 24 is also 2024-24's; a number the plan prints twice is marked by a "
                             "letter after it in the id (2024-24b)")]),
    (ITEM_24_LEADS, ITEM_24_LEADS.replace("[浙江省局]", "[上海市药监局, 上海药监局]"),
     [("上海药监局]\n    section: 4\n    task: 13", "2024-24.leads[1]: lead 上海市药监局 is listed twice")]),
    (ITEM_24_LEADS, ITEM_24_LEADS.replace("[浙江省局]", "[三省一市局, 浙江省局]"),
     [("浙江省局]\n    section: 4\n    task: 13\n    milestones:\n      - due: 2024-10-31",
       "2024-24.leads[1]: 浙江省局 is a member of 三省一市局, which is also a lead: list the group or its members, "
       "not both")]),
    (ITEM_24_MILESTONE, ITEM_24_MILESTONE.replace("2024-10-31", "2024-12-31", 1),
     [("2024-12-31\n        text: 10月底前", "2024-24.milestones[0].due: the deadline says '10月底前' (2024-10-31) but "
                                          "due is 2024-12-31; make them agree")]),
    (ITEM_24_MILESTONE, ITEM_24_MILESTONE.replace("2024-10-31", "2024-02-29", 1).replace("10月底前", "2月底前"),
     [("2024-02-29", "2024-24.milestones[0].due: due date 2024-02-29 is before the plan was issued (2024-03-29); "
                     "if the plan says so, give the reason in due_reason")]),
    (ITEM_24_MILESTONE, ITEM_24_MILESTONE.replace("        text: 10月底前\n", "        text: 10月底前\n        measure: a\n"
                                                  "      - due: 2024-09-30\n        text: 9月底前\n        measure: b\n"),
     [("2024-09-30\n        text: 9月底前\n        measure: b", "2024-24.milestones[1].due: milestone 2 (2024-09-30) "
                                                               "is due before milestone 1 (2024-10-31); list them in date order")]),
    (ITEM_24_MILESTONE, ITEM_24_MILESTONE.replace("        text: 10月底前\n", "        text: 10月底前\n        measure: a\n"
                                                  "      - due: 2024-10-31\n        text: 10月底前\n        measure: a\n"),
     [("due: 2024-10-31\n        text: 10月底前\n        measure: a\n    status",
       "2024-24.milestones[1]: milestone 2 repeats milestone 1")]),
    ("    province: 江苏\n", "    province: 江西\n",
     [("江西", "organisations[2].province: unknown province '江西'; one of 上海, 江苏, 浙江, 安徽")]),
    ("version: 1\n", "version: 0\n", [("0\nplan", "version: format version 0: it is 1 or more")]),
])
def test_plans_that_are_well_formed_but_wrong_are_refused(cli, registry_copy, old, new, expected):
    problems = validate(cli, registry_copy, old, new)
    assert problems == [f"{at(registry_copy, located)}: {message}" for located, message in expected]


def test_a_repeated_seq_marked_by_a_letter_is_the_seeds_36(cli, registry_copy):
    text = registry_copy.read_text(encoding="utf-8")
    registry_copy.write_text(text.replace("  - id: 2024-25\n    seq: 25\n", "  - id: 2024-24b\n    seq: 24\n"),
                             encoding="utf-8")
    r = cli("validate", registry_copy)
    assert r.exit_code == 0, r.stderr


def test_a_due_date_outside_the_plan_year_with_its_reason_is_accepted(cli, registry_copy):
    text = registry_copy.read_text(encoding="utf-8")
    registry_copy.write_text(text.replace(ITEM_24_MILESTONE, ITEM_24_MILESTONE.replace(
        "      - due: 2024-10-31\n        text: 10月底前\n",
        "      - due: 2025-10-31\n        text: 2025年10月底前\n        due_reason: 原文如此\n")), encoding="utf-8")
    r = cli("validate", registry_copy)
    assert r.exit_code == 0, r.stderr


def test_the_shipped_registry_is_valid_under_every_rule(cli):
    from conftest import REGISTRY

    r = cli("validate", REGISTRY)
    assert r.exit_code == 0 and r.stderr == "", r.stderr


def test_every_stage_is_reported_in_one_run(cli, registry_copy):
    """A bad date and an unknown unit in the same item: both in one run, not one after the other."""
    problems = validate(cli, registry_copy, ITEM_24_LEADS,
                        ITEM_24_LEADS.replace("[浙江省局]", "[北京市局]").replace("2024-10-31", "2024-10-32"))
    assert problems == [
        f"{at(registry_copy, '北京市局]')}: 2024-24.leads[0]: unknown organisation '北京市局' (did you mean 嘉兴市局, "
        "上海市局?); add it under organisations or as an alias",
        f"{at(registry_copy, '2024-10-32')}: 2024-24.milestones[0].due: '2024-10-32' is not a valid date (day value "
        "is outside expected range); write YYYY-MM-DD",
    ]


def test_every_text_at_any_depth_is_checked_and_located():
    """Problems in the plan, a section, a list of departments, a milestone and a progress entry:
    each found once, at its own location; the rest of the registry says nothing."""
    from workplan.core import rules
    from workplan.core.models import Registry
    from workplan.store.load import load_registry
    from workplan.store.paths import packaged_registry

    data = load_registry(packaged_registry()).model_dump()
    data["plan"]["title"] += "\x1b[2J"
    data["sections"][1]["title"] = "   "
    data["items"][2]["departments"][0] = "法规\x07处"
    data["items"][5]["milestones"][0]["text"] += "\ufffe"
    data["items"][7]["progress"] = [{"date": "2024-09-01", "by": data["items"][7]["leads"][0], "status": "in_progress",
                                     "text": "第一行\n第二行\x00"}]
    found = {(loc, message.key) for loc, message, _ in rules.check_content(Registry.model_validate(data))}
    assert found == {(("plan", "title"), "rules.not_text"), (("sections", 1, "title"), "rules.blank"),
                     (("items", 2, "departments", 0), "rules.not_text"),
                     (("items", 5, "milestones", 0, "text"), "rules.not_text"),
                     (("items", 7, "progress", 0, "text"), "rules.not_text")}
