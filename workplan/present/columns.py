"""Columns: which field of a record a table, CSV or Markdown shows, under which header, and how.

A Column turns a record into the text of one cell; the column sets of each command and their
defaults live here. Registry text is never parsed as rich markup.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable, Sequence

from workplan.core.codes import Light
from workplan.core.labels import light_label as _light_label, pick, status_label as _status_label, t


STATS_HEADERS = {
    "lead": ("牵头单位", "Lead unit"), "org": ("单位", "Unit"), "dept": ("责任部门", "Responsible"),
    "month": ("月份", "Month"), "section": ("部分", "Section"), "task": ("主要任务", "Key task"),
    "status": ("状态", "Status"),
}


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    cell: Callable[[dict], str]
    wrap: bool = False
    max_width: int | None = None
    translate: Callable[[str, str], str] | None = None  # (cell value, lang) -> shown text
    min_width: int | None = None  # keeps CJK text columns readable: columns are dropped before this gives
    numeric: bool = False  # right-aligned on a terminal and in plain rows
    drop: int = 0  # when a terminal is too narrow, higher goes first; 0 is always shown
    style: Callable[[dict], str] | None = None  # the rich style of a cell on a terminal (a light's colour)
    machine: "Column | None" = None  # what CSV writes instead, when the shown words are not data
    break_after: str | None = None  # wrap only after these ("、": a list of unit names, each kept whole)
    worded: Callable[[dict, str], str] | None = None  # (record, lang) -> shown text, for words inside a cell

    def header(self, lang: str) -> str:
        return pick(self.zh, self.en, lang)


def headed(key: str, header: str, cell: Callable[[dict], str], **options) -> Column:
    """A Column whose two headers are the catalogue's words for `header` (a col.* key)."""
    return Column(key, t(header, "zh"), t(header, "en"), cell, **options)


def due_words(milestone: dict, lang: str) -> str:
    """A milestone's deadline, an approved new one marked: 2024-11-30（调整，原 2024-08-31）."""
    if not milestone.get("adjusted_due"):
        return milestone["due"]
    return milestone["adjusted_due"] + t("book.adjusted", lang, date=milestone["due"])


def due_lines(record: dict, lang: str) -> str:
    return "\n".join(due_words(m, lang) for m in record["milestones"])


def status_label(code: str, lang: str) -> str:
    # A str-valued enum member hashes and compares as its value: the code finds the label directly.
    return _status_label(code, lang)


def leads_cell(record: dict) -> str:
    return "、".join(record["leads"])


def light_label(code: str, lang: str) -> str:
    if not code:  # records built without an as-of date carry no light
        return ""
    return _light_label(code, lang)


# The colours of the lights on a terminal; the word is always there, so a light reads without colour.
LIGHT_STYLES = {"red": "bold red", "yellow": "bold yellow", "green": "green", "done": "blue", "cancelled": "dim"}


def light_style(record: dict) -> str:
    return LIGHT_STYLES.get(record.get("light") or "", "")


def lateness_style(record: dict) -> str:
    """Lateness in the colour of its light, for red and yellow only: the eye goes to what is late."""
    light = record.get("light")
    return LIGHT_STYLES[light] if light in ("red", "yellow") else ""


def lateness_code(record: dict) -> str:
    return "done" if record.get("done") else str(record["days_left"])


def lateness_words(code: str, lang: str) -> str:
    """The one way lateness is worded for people: 逾期 15 天, 今天到期, 还剩 3 天 (done: 已完成)."""
    if code == "done":
        return t("days.done", lang)
    days = int(code)
    if days < 0:
        return t("days.late_one" if days == -1 else "days.late", lang, days=-days)
    if days == 0:
        return t("days.today", lang)
    return t("days.left_one" if days == 1 else "days.left", lang, days=days)


def joint_label(value: str, lang: str) -> str:
    """The 联合牵头 column: 是 when more than one unit leads (a group counts as its members)."""
    if not value:
        return ""
    return t("word.yes", lang)


def joint_cell(record: dict) -> str:
    return "joint" if record.get("joint") else ""


def share_cell(record: dict) -> str:
    """The --lead units' latest report on their share of a joint item: its date and words."""
    share = record.get("share")
    if not share or not share["date"]:
        return ""
    return f"{share['date']} {share['text']}" if share.get("text") else share["date"]


def _join(values: Iterable[str]) -> str:
    return "、".join(values)


ITEM_COLUMNS: dict[str, Column] = {
    c.key: c
    for c in [
        Column("seq", "序号", "No.", lambda r: str(r["seq"]), numeric=True),
        Column("id", "编号", "ID", lambda r: r["id"], drop=3),
        Column("title", "合作事项", "Item", lambda r: r["title"], wrap=True, max_width=40, min_width=16),
        Column("measures", "年度主要举措及时间节点", "Measures and deadlines", lambda r: r["measures"], wrap=True, max_width=60,
               min_width=16, drop=9),
        Column("departments", "责任部门", "Responsible", lambda r: _join(r["departments"]), wrap=True, max_width=24,
               min_width=8, drop=7),
        Column("leads", "牵头单位", "Lead", leads_cell, wrap=True, max_width=20, min_width=6, break_after="、"),
        Column("joint", "联合牵头", "Joint", joint_cell, translate=joint_label, wrap=True, max_width=4, drop=5),
        Column("lead_units", "牵头单位（含组成员）", "Lead units", lambda r: _join(r["lead_units"]), wrap=True, max_width=24,
               drop=6),
        Column("due", "时间节点", "Due", lambda r: due_lines(r, "zh"), worded=due_lines),
        Column("deadline", "时间节点（原文）", "Deadline as printed", lambda r: "\n".join(m["text"] for m in r["milestones"]),
               wrap=True, drop=8),
        Column("section", "部分", "Section", lambda r: str(r["section"]), numeric=True, drop=4),
        Column("task", "主要任务", "Task", lambda r: "" if r["task"] is None else str(r["task"]), numeric=True, drop=4),
        Column("status", "状态", "Status", lambda r: r["status"], translate=status_label, drop=2),
        Column("light", "灯号", "Light", lambda r: r.get("light", ""), translate=light_label, style=light_style),
        # list --lead X: X's own latest report on a joint item it shares (core.units.Share)
        Column("share", "本单位最新进展", "Own latest report", lambda r: share_cell(r), wrap=True, max_width=30, drop=6),
    ]
}
DEFAULT_ITEM_COLUMNS = ["seq", "title", "leads", "joint", "departments", "due", "status", "light"]

SEARCH_COLUMNS: dict[str, Column] = {
    **ITEM_COLUMNS,
    "matched_in": Column("matched_in", "匹配位置", "Matched in", lambda r: ",".join(r["matched_in"]), wrap=True, max_width=10,
                         drop=4, break_after="、",
                         translate=lambda v, lang: t("word.list_sep", lang).join(
                             t(f"matched.{f}", lang) for f in v.split(",") if f)),
    "excerpt": Column("excerpt", "摘录", "Excerpt", lambda r: r["excerpt"], wrap=True, max_width=44, min_width=14),
}
DEFAULT_SEARCH_COLUMNS = ["seq", "title", "leads", "joint", "departments", "matched_in", "excerpt"]

MILESTONE_COLUMNS: dict[str, Column] = {
    c.key: c
    for c in [
        Column("due", "截止日期", "Due", lambda r: due_words(r, "zh"), worded=due_words),
        Column("days_left", "剩余天数", "Days left", lambda r: str(r["days_left"]), numeric=True),
        Column("seq", "序号", "No.", lambda r: str(r["seq"]), numeric=True),
        Column("id", "编号", "ID", lambda r: r["id"], drop=3),
        Column("title", "合作事项", "Item", lambda r: r["title"], wrap=True, max_width=36, min_width=16),
        Column("text", "时间节点", "Deadline", lambda r: r["text"] + (f" ({r['milestone']}/{r['milestones']})" if r["milestones"] > 1 else ""),
               wrap=True, max_width=12, drop=4),
        Column("overdue_days", "逾期天数", "Days overdue", lambda r: str(max(0, -r["days_left"])), numeric=True),
        Column("measure", "对应举措", "Measure", lambda r: r["measure"], wrap=True, max_width=50, drop=9),
        Column("leads", "牵头单位", "Lead", lambda r: _join(r["leads"]), wrap=True, max_width=20, min_width=6, break_after="、"),
        Column("joint", "联合牵头", "Joint", joint_cell, translate=joint_label, wrap=True, max_width=4, drop=5),
        Column("status", "状态", "Status", lambda r: r["status"], translate=status_label, drop=2),
        Column("light", "灯号", "Light", lambda r: r.get("light", ""), translate=light_label, style=light_style),
    ]
}
# 期限: lateness in words on a terminal, in plain rows and Markdown; CSV writes the number of days
# (剩余天数, negative when late) it is worded from.
MILESTONE_COLUMNS["lateness"] = Column("lateness", "期限", "Time left", lateness_code, translate=lateness_words,
                                       numeric=True, style=lateness_style, machine=MILESTONE_COLUMNS["days_left"])
DEFAULT_MILESTONE_COLUMNS = ["due", "lateness", "seq", "title", "text", "leads", "joint", "status", "light"]
# `overdue`'s CSV keeps its 逾期天数 (positive days late).
OVERDUE_COLUMNS = {**MILESTONE_COLUMNS,
                   "lateness": replace(MILESTONE_COLUMNS["lateness"], machine=MILESTONE_COLUMNS["overdue_days"])}
DEFAULT_OVERDUE_COLUMNS = ["due", "lateness", "seq", "title", "text", "leads", "joint", "status"]


def stats_columns(by: str) -> list[Column]:
    zh, en = STATS_HEADERS[by]
    counted = ("时间节点数", "Milestones") if by == "month" else ("事项数", "Items")
    columns = [Column("label", zh, en, lambda r: r["label"], wrap=True, max_width=40),
               Column("count", *counted, lambda r: str(r["count"]), numeric=True)]
    if by == "lead":
        columns += [Column("sole", "单独牵头", "Sole lead", lambda r: str(r["sole"]), numeric=True),
                    Column("joint", "联合牵头", "Joint lead", lambda r: str(r["joint"]), numeric=True)]
    return columns


def bar(count: int, largest: int, width: int = 30) -> str:
    """A horizontal bar in eighths of a character cell, scaled so the largest count fills `width`."""
    if largest <= 0 or count <= 0:
        return ""
    eighths = max(1, round(count / largest * width * 8))
    return "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]


def bar_column(records: Sequence[dict]) -> Column:
    largest = max((r["count"] for r in records), default=0)
    return Column("bar", "分布", "Chart", lambda r: bar(r["count"], largest), drop=9)  # the first to go on a narrow terminal


ORG_COLUMNS: dict[str, Column] = {
    c.key: c
    for c in [
        Column("name", "单位", "Unit", lambda r: r["name"], wrap=True, max_width=14, min_width=6),
        Column("full_name", "全称", "Full name", lambda r: r["full_name"] or "", wrap=True, max_width=24, drop=5),
        Column("kind", "类别", "Kind", lambda r: r["kind_label"], wrap=True, max_width=10),
        Column("province", "省市", "Province", lambda r: r["province"] or "", wrap=True, max_width=8),
        Column("aliases", "别名", "Aliases", lambda r: _join(r["aliases"]), wrap=True, max_width=10, drop=3, break_after="、"),
        Column("members", "成员单位", "Members", lambda r: _join(r["members"]), wrap=True, max_width=14, drop=2, break_after="、"),
        Column("groups", "所属组", "Groups", lambda r: _join(r["groups"]), wrap=True, max_width=10, drop=1, break_after="、"),
        Column("items_led", "牵头事项", "Items led", lambda r: str(r["items_led"]), numeric=True),
        Column("items_led_direct", "其中直接牵头", "Led directly", lambda r: str(r["items_led_direct"]), numeric=True),
        Column("items_involved", "涉及事项", "Items involved", lambda r: str(r["items_involved"]), numeric=True),
    ]
}
DEFAULT_ORG_COLUMNS = list(ORG_COLUMNS)
TABLE_ORG_COLUMNS = [k for k in ORG_COLUMNS if k != "full_name"]  # the full names do not fit a terminal


def cell_formatter(column: Column, lang: str, *, machine: bool = False) -> Callable[[dict], str]:
    """The function giving the column's shown text for a record (decided once per table, not per
    cell); machine=True gives what CSV writes (a column's `machine` stand-in, if it has one)."""
    if machine and column.machine is not None:
        column = column.machine
    if column.worded is not None:
        worded = column.worded
        return lambda record: worded(record, lang)
    cell, translate = column.cell, column.translate
    if translate is None and column.key == "status":
        translate = status_label
    if translate is None:
        return cell
    return lambda record: translate(cell(record), lang)


def light_column(lang: str = "zh"):
    """A Column for records carrying "light" (a Light code): how list/due/exports add 灯号."""
    return Column("light", "灯号", "Light", lambda r: light_label(Light(r["light"]), lang), style=light_style)
