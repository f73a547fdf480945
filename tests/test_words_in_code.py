"""Words a user reads live in workplan/core/labels.py (issue 17): no string literal with Chinese in
the code, except what is data or parsing, named below with the reason.

Not counted: docstrings (a command's help comes from help.*), raw strings (regex patterns),
punctuation alone (separators of registry text), and (Chinese, English) pairs kept beside what
they name (labels.pick: a Column's two headers)."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "workplan"
IDEOGRAPH = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# Whole files whose Chinese is data or what a parser looks for, never a sentence for the reader.
FILES = {
    "core/labels.py": "the catalogue itself",
    "core/orgnames.py": "the units' and provinces' names, and the words unit names are built from",
    "core/models.py": "the registry schema's field descriptions (JSON Schema, for editors of the YAML)",
    "core/dates.py": "the Chinese date forms it parses (年, 月底, 上半年 …)",
    "core/deadlines.py": "the deadline forms it finds in a measure's text",
    "core/plantext.py": "the plan text's numbering and punctuation it cleans",
    "core/links.py": "words too common in the plan to tell its key tasks apart",
    "importing/document.py": "the words of an issued plan's table: its column headers, section rows and notes",
    "store/config.py": "workplan.toml's defaults: the bulletin's fonts, title and 报/送/发 words",
}
# Literals in other files, by file and purpose: file -> [(literals, reason)].
LITERALS = {
    "core/edit.py": [({"无", "空", "是", "否"}, "the values `edit --field` takes for empty, yes and no")],
    "core/query.py": [({"省市", "numerals"}, "what a --province is read without; section numbers in Chinese numerals")],
    "core/rules.py": [({"上海", "江苏", "浙江", "安徽"}, "the provinces the rules know")],
    "core/update.py": [({"时间节点{i + 1}（{item.milestones[i].text}）", "时间节点（{item.milestones[i].text}）", "{names}已完成",
                         "状态由{status_label(old)}改为{status_label(new)}", "状态：{status_label(new)}"},
                        "a report's default text, written into the registry (Chinese data)")],
    "core/corrections.py": [({"撤回第 {index + 1} 条记录（{wrong.date} {wrong.text}）"},
                             "a withdrawal's text, written into the registry (Chinese data)")],
    "core/plans.py": [({"{due.year}年{due.month}月底前", "{due.year}年{due.month}月{due.day}日前"},
                       "a carried-over milestone's deadline as the next plan prints it (registry data)")],
    "cli/plans.py": [({"README_STUB", "CONFIG_STUB"}, "the README.md and commented workplan.toml that init writes "
                                                     "into the planners' project folder, in Chinese like the registry")],
    "cli/query.py": [({"ID|序号"}, "show's metavar: an id or the printed 序号")],
    "exports/bulletin.py": [({"_CSS"}, "the page's style sheet: font names")],
    "exports/docx.py": [({"_CN_DIGITS", "十"}, "section numbers in Chinese numerals"), ({"宋体"}, "a font name")],
    "exports/xlsx.py": [({"_CN_NUMERALS"}, "section numbers in Chinese numerals"), ({"FONT_NAME", "HEADING_FONT"}, "font names")],
    "exports/ics.py": [({"PRODID"}, "the calendar program's identifier")],
    "importing/draft.py": [
        ({"附件", "关于印发", "的通知", "关于", "指导", "任务", "保障"}, "words of the issued plan it looks for"),
        ({"PLACEHOLDER", "（一）", "合作事项清单", "{year} 年合作事项清单", "（未列明）"},
         "what the draft holds where the plan gives nothing (registry data)"),
        ({"digits", "十"}, "section numbers in Chinese numerals"),
        ({"合作事项", "年度主要举措及时间节点", "牵头单位"}, "the plan table's columns, named as the document prints them"),
    ],
    "importing/plan_docx.py": [({"清单"}, "words of the issued plan it looks for")],
    "importing/plan_pdf.py": [({"清单"}, "words of the issued plan it looks for")],
    "importing/plan_xlsx.py": [({"清单"}, "words of the issued plan it looks for")],
}


def allowed(name: str, value: str) -> bool:
    return any(value in literals for literals, _ in LITERALS.get(name, ()))


def literal_text(token: str, node: ast.AST | None, parents: dict) -> str:
    """How the allow-list names a literal: a text block by the constant it is assigned to
    (README_STUB), else its value; an f-string by its source between the quotes."""
    parent = parents.get(node)
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        return parent.targets[0].id
    prefix = token[:token.index(token[-1])].lower()
    if "f" not in prefix and node is not None and isinstance(node.value, str):
        return node.value
    return token[len(prefix):].strip("\"'")


def is_pair(node: ast.AST, parents: dict) -> bool:
    """A (Chinese, English) pair kept beside what it names (labels.pick): Column(key, zh, en, …), ("…", "…")."""
    parent = parents.get(node)
    if isinstance(parent, ast.Tuple) and len(parent.elts) == 2 and parent.elts[0] is node:
        other = parent.elts[1]
        return isinstance(other, ast.Constant) and isinstance(other.value, str) and not IDEOGRAPH.search(other.value)
    if isinstance(parent, ast.Call) and getattr(parent.func, "id", None) == "Column" and node in parent.args[1:2]:
        return True
    return False


def docstrings(tree: ast.AST) -> set[int]:
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                lines.add(first.lineno)
    return lines


def chinese_literals(*, allow: bool = True):
    """(file, line, literal as the allow-list names it) of every counted string with a Chinese
    character, in the files not allowed whole."""
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name in FILES:
            continue
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        lines = source.splitlines()
        # ast counts columns in UTF-8 bytes, tokenize in characters.
        constants = {(n.lineno, len(lines[n.lineno - 1].encode("utf-8")[:n.col_offset].decode("utf-8"))): n
                     for n in ast.walk(tree) if isinstance(n, ast.Constant)}
        skip = docstrings(tree)
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type != tokenize.STRING or not IDEOGRAPH.search(token.string) or token.start[0] in skip:
                continue
            if token.string[:2].lower() in ('r"', "r'", 'rb', 'br'):
                continue  # a regex pattern
            node = constants.get(token.start)
            if node is not None and is_pair(node, parents):
                continue
            text = literal_text(token.string, node, parents)
            if allow and allowed(name, text):
                continue
            yield name, token.start[0], text


def test_no_words_for_the_reader_outside_the_catalogue():
    found = [f"workplan/{name}:{line}: {text[:90]!r}" for name, line, text in chinese_literals()]
    assert not found, "\n".join(found)


def test_the_allow_list_names_only_what_is_there():
    for name in FILES:
        assert (PACKAGE / name).exists(), name
    used = {(name, text) for name, _, text in chinese_literals(allow=False)}
    listed = {(name, literal) for name, groups in LITERALS.items() for literals, _ in groups for literal in literals}
    assert listed <= used, sorted(listed - used)
