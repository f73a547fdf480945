"""The labels catalogue: both languages complete, fields alike, every code of the domain named."""

from __future__ import annotations

import string

import pytest

from workplan.core.codes import Light, OrgKind, Status
from workplan.core.labels import CATALOGUE, LANGS, light_label, org_kind_label, status_label, t


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_key_has_both_languages_with_the_same_fields(key):
    zh, en = CATALOGUE[key]
    assert zh.strip() and en.strip()
    assert fields(zh) == fields(en)


def test_every_code_has_a_label_in_both_languages():
    for lang in LANGS:
        assert len({status_label(s, lang) for s in Status}) == len(Status)
        assert len({light_label(x, lang) for x in Light}) == len(Light)
        assert len({org_kind_label(k, lang) for k in OrgKind}) == len(OrgKind)


def test_lookup_by_code_or_member_and_fields_filled():
    assert status_label(Status.done) == status_label("done") == "已完成"
    assert light_label("red", "en") == "overdue"
    assert t("plans.title", "zh", count=3) == "计划 · 3 个"
    assert t("plans.title", "en", count=3) == "3 plans"


# -- every key the code uses is in the catalogue, with the fields the code fills in ------------------

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "workplan"
KEY_PREFIXES = ("matched.", "error.", "note.", "hint.", "update.", "rules.", "title.", "caption.", "empty.", "reason.", "kind.",
                "help.", "opt.", "word.", "unit.", "status.", "light.", "org_kind.", "days.", "col.",
                # the documents (issue 16)
                "bulletin.", "doclist.", "book.", "sheet.", "board.",
                # the dashboard page (issue 17)
                "dash.",
                # files, streams, the store, the importer (issue 13)
                "load.", "store.", "import.", "ingest.",
                # words that were written in the code (issue 17, sweep)
                "correct.", "filter.", "review.")
# Calls whose first argument is a catalogue key (and whose keyword arguments are its fields).
KEYED_CALLS = {"t": 1, "note": 1, "UsageError": 0, "Refusal": 0, "UpdateRefused": 0, "CorrectionRefused": 0, "Message": 0}


def keyed_calls():
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in KEYED_CALLS or not node.args:
                continue
            first = node.args[0]
            keys = [first] if not isinstance(first, ast.IfExp) else [first.body, first.orelse]
            fields = None if any(k.arg is None for k in node.keywords) else {
                k.arg for k in node.keywords if k.arg not in ("forceable",)}
            for key in keys:
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    yield f"{path.relative_to(PACKAGE.parent)}:{node.lineno}", name, key.value, fields, len(keys) > 1


def test_every_key_the_code_uses_is_in_the_catalogue_with_its_fields():
    problems = []
    for where, name, key, used, alternatives in keyed_calls():
        wanted = fields(CATALOGUE[key][0]) if key in CATALOGUE else set()
        if key not in CATALOGUE:
            problems.append(f"{where}: {name}({key!r}) is not a catalogue key")
        elif used is not None and (not wanted <= used if alternatives else used != wanted):
            problems.append(f"{where}: {key} is given {sorted(used)}, the catalogue has {sorted(fields(CATALOGUE[key][0]))}")
    assert not problems, "\n".join(problems)


def test_every_key_like_string_in_the_code_is_in_the_catalogue():
    missing = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith(KEY_PREFIXES)
                    and " " not in node.value and node.value not in CATALOGUE and not node.value.endswith((".", "_"))):
                missing.add(f"{path.name}: {node.value}")
    assert not missing, sorted(missing)


def words(node) -> bool:
    """A literal text, an f-string, or a tuple of them: words, which belong in the catalogue."""
    if isinstance(node, ast.Tuple):
        return all(words(e) for e in node.elts)
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def test_no_language_ternaries_left():
    """Words are looked up by key: no `"X" if lang == "en" else "Y"` in the code."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "labels.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.IfExp) and isinstance(node.test, ast.Compare) and words(node.body) and words(node.orelse):
                text = ast.unparse(node.test)
                if "lang" in text and ("'en'" in text or "'zh'" in text or "Lang." in text):
                    offenders.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {ast.unparse(node)[:80]}")
    assert not offenders, "\n".join(offenders)


def test_messages_in_both_languages():
    from workplan.core.dates import DateFormError, parse_date
    from workplan.core.labels import Message

    with pytest.raises(DateFormError) as caught:
        parse_date("2024-02-30", plan_year=2024)
    assert caught.value.text("zh").startswith("无法识别的日期“2024-02-30”（该月没有这一天）；可用写法：")
    assert caught.value.text("en").startswith('unrecognised date "2024-02-30" (day is out of range for month); accepted forms:')
    nested = Message("error.option", option="--lead", reason=Message("error.unknown_name", kind=Message("kind.unit"), text="x"))
    assert nested.text("zh") == "--lead：未知单位“x”"
    assert nested.text("en") == "--lead: unknown unit 'x'"
    assert t("note.exported", "zh", count=2, paths=["a.xlsx", "b.csv"]) == "已导出 2 项事项到 a.xlsx、b.csv"
    assert t("note.exported", "en", count=2, paths=["a.xlsx", "b.csv"]) == "exported 2 items to a.xlsx, b.csv"
