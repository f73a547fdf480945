"""Clean a plan's text as it comes out of a PDF, a Word table or a copy-paste, without changing
its wording, and split its unit and department cells.

- Layout spaces: a space between two Chinese characters (or Chinese punctuation) is page layout
  ("打造长三角商事登记 增值化服务模式") and goes; a space next to a Latin letter or a digit is
  wording ("加强 CCC 免办", "2024 年") and stays.
- Half-width brackets around Chinese text become full-width: (12月底前) → （12月底前）; so do
  half-width , ; : between two Chinese characters.

Each function returns what it changed, so that the ingest review can list it. Standard library only.
"""

from __future__ import annotations

import re

__all__ = ["clean", "join_lines", "split_departments", "split_units", "chinese_number", "Cleaned"]

_SPACE = re.compile(r"[ \t\u3000\u00a0]+")
_HALF_BRACKET = re.compile(r"\(([^()（）]*)\)")
_HALF_PUNCT = {",": "，", ";": "；", ":": "："}
_CN_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# What a responsible department or unit ends with; a 、-part without one is part of the next
# ("浙江、安徽知识产权相关条线" is one department, "南京都市圈相关市、县局" one unit).
_UNIT_ENDINGS = ("条线", "局", "院", "中心", "处", "室", "部门", "委员会", "办公室", "办", "所", "站", "会", "队")


class Cleaned(str):
    """A cleaned text that remembers what was changed in it: `.changes` (e.g. {"layout spaces"})."""

    changes: frozenset[str]

    def __new__(cls, text: str, changes=()):
        obj = super().__new__(cls, text)
        obj.changes = frozenset(changes)
        return obj


def _wide(char: str) -> bool:
    """Chinese characters and punctuation, curly quotes and dashes included."""
    code = ord(char)
    return code > 0x2E7F or 0x2010 <= code <= 0x206F


def clean(text: str) -> Cleaned:
    """The text with layout spaces removed and half-width brackets/punctuation in Chinese made
    full-width; line breaks are treated as layout too (see join_lines)."""
    changes = set()
    text = join_lines(text)

    def bracket(match: re.Match) -> str:
        if not any(_wide(c) for c in match[1]):
            return match[0]
        changes.add("bracket widths")
        return f"（{match[1].strip()}）"

    def punct(match: re.Match) -> str:
        changes.add("punctuation widths")
        return _HALF_PUNCT[match[1]]

    text = _HALF_BRACKET.sub(bracket, text)
    text = re.sub(r"(?<=[\u2010-\u206f\u2e80-\uffff]) *([,;:]) *(?=[\u2010-\u206f\u2e80-\uffff])", punct, text)

    def space(match: re.Match) -> str:
        before, after = text[match.start() - 1], text[match.end()]
        if _wide(before) and _wide(after):
            changes.add("layout spaces")
            return ""
        return " "

    text = _SPACE.sub(space, text.strip())
    return Cleaned(text, changes)


def join_lines(text: str) -> str:
    """Lines of one cell or paragraph as one text: Chinese lines are joined directly; a line
    break next to a Latin letter becomes a space (digits join directly: 2021—2023年)."""
    lines = [line.strip() for line in text.replace("\r", "\n").split("\n")]
    out = ""
    for line in lines:
        if not line:
            continue
        if out and (_latin_letter(out[-1]) or _latin_letter(line[0]) or not (_wide(out[-1]) or _wide(line[0]))):
            out += " "  # Latin words are set off by spaces ("开展 CCC 免办"); a wrap loses the space
        out += line
    return out


def _latin_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def separate_lines(cell: str) -> str:
    """A cell's line breaks as list separators where a line ends a name (…局, …条线) and as
    nothing where a name wraps (上海市知识产 / 权局): a Word cell holds one unit per paragraph,
    a PDF cell wraps wherever the column ends."""
    lines = [line.strip() for line in cell.replace("\r", "\n").split("\n") if line.strip()]
    out = lines[0] if lines else ""
    for line in lines[1:]:
        ends_name = out.endswith(_UNIT_ENDINGS) and not line.startswith(("、", "，", "；", "（", "("))
        out += ("、" if ends_name else "") + line
    return out


def split_units(cell: str) -> list[str]:
    """A 牵头单位 cell as unit names: 上海市局、浙江省局 → two; so are two lines 上海市局 / 浙江省局,
    but 上海市知识产权 / 局 is one."""
    parts = re.split(r"[、，,；;/]+", separate_lines(cell))
    return [re.sub(r"\s+", "", p) for p in parts if p.strip()]


def split_departments(cell: str) -> tuple[list[str], str]:
    """A 责任部门 cell as (departments, printed text). The printed text is the cell cleaned; the
    list splits it at ；，and at 、 where the part before names a whole department."""
    printed = clean(separate_lines(cell))
    shared = re.fullmatch(r"(.+?)条线分别负责", printed)
    if shared:  # 药品监管、医疗器械监管、化妆品监管条线分别负责: each line is a department
        return [f"{p}条线" for p in shared[1].split("、") if p], str(printed)
    departments: list[str] = []
    for chunk in re.split(r"[；;，,\n]+", printed):
        pending = ""
        for part in chunk.split("、"):
            pending = f"{pending}、{part}" if pending else part
            if pending.endswith(_UNIT_ENDINGS):
                departments.append(pending)
                pending = ""
        if pending:
            if departments and not chunk.startswith(pending):
                departments[-1] += "、" + pending
            else:
                departments.append(pending)
    return [d for d in departments if d], str(printed)


def chinese_number(text: str) -> int | None:
    """一 … 九十九 as an int (section labels （一）…（六）), or None."""
    if text.isdecimal():
        return int(text)
    if not text or any(c not in _CN_NUMBERS for c in text):
        return None
    if len(text) == 1:
        return _CN_NUMBERS[text]
    tens, _, ones = text.partition("十")
    return (_CN_NUMBERS.get(tens, 1) if tens else 1) * 10 + (_CN_NUMBERS.get(ones, 0) if ones else 0)
