"""The one place that turns results into a table, JSON, CSV, Markdown or YAML.

Commands build records (dicts in the documented JSON shape) and choose columns; renderers only
format. Registry text is never parsed as rich markup.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from workplan.present.text import visible, visible_lines
from workplan.core.codes import Light, Status
from workplan.core.labels import light_label as _light_label, org_kind_label, pick, status_label as _status_label, t
from workplan.core.units import units_record
from workplan.core.query import (MilestoneRow, OrgSummary, SearchHit, StatRow, find_spans,
                    search_texts, snippet)

if TYPE_CHECKING:
    from workplan.core.history import LogRow
    from workplan.core.models import Item, Registry

# -- records: the JSON contract -------------------------------------------------------------------


def milestone_record(milestone, *, detail: bool = True) -> dict[str, Any]:
    record = {"due": milestone.due.isoformat(), "text": milestone.text}
    if detail:
        for key in ("measure", "event", "event_text"):
            if getattr(milestone, key):
                record[key] = getattr(milestone, key)
        record["tentative"] = milestone.tentative
    record["done_on"] = milestone.done_on.isoformat() if milestone.done_on else None
    if detail and milestone.adjusted_due is not None:
        record.update(adjusted_due=milestone.adjusted_due.isoformat(), adjusted_by=milestone.adjusted_by,
                      adjusted_on=milestone.adjusted_on.isoformat() if milestone.adjusted_on else None,
                      adjust_reason=milestone.adjust_reason)
    return record


def item_record(reg: Registry, item: Item, *, progress: bool = True, detail: bool = True) -> dict[str, Any]:
    """An item as the documented JSON object (`list`, `search`, `show`).

    For table rows: progress=False leaves out the progress entries, which no column shows and which
    cost as much as the rest of the record; detail=False also leaves out the measures and the
    milestones' measures and events (all an IndexedItem lacks)."""
    record = {"id": item.id, "seq": item.seq, "title": item.title}
    if detail:
        if item.carried_from:
            record["from"] = item.carried_from
        record["measures"] = item.measures
    record.update(section=item.section, task=item.task, departments=list(item.departments), **_lead_fields(reg, item),
                  milestones=[milestone_record(m, detail=detail) for m in item.milestones], status=item.status.value)
    if progress:
        record["progress"] = [progress_record(entry) for entry in item.progress]
        record["units"] = units_record(reg, item)
    return record


def progress_record(entry) -> dict[str, Any]:
    """A progress entry as JSON: every field that has a value (what model_dump(exclude_none=True)
    gives, at a fraction of its cost on large registries)."""
    return {key: (value.isoformat() if isinstance(value, dt.date) else value.value if isinstance(value, Status) else value)
            for key, value in entry.__dict__.items() if value is not None}


def _lead_fields(reg: Registry, item: Item) -> dict[str, Any]:
    """leads, lead_units and joint (as is_joint decides it) from one lookup of the item's leads."""
    names, units = reg.lead_names_and_units(item)
    return {"leads": list(names), "lead_units": list(units), "joint": len(units) > 1}


def milestone_row_record(reg: Registry, row: MilestoneRow, as_of: dt.date, *, detail: bool = True) -> dict[str, Any]:
    """A milestone row as the documented JSON object (`due`, `overdue`, `upcoming`); detail=False
    leaves out the measure (for table rows of IndexedItems)."""
    item, milestone = row.item, row.milestone
    record = {"id": item.id, "seq": item.seq, "title": item.title, **_lead_fields(reg, item),
              "milestone": row.index + 1, "milestones": len(item.milestones), "due": milestone.due.isoformat(),
              "text": milestone.text}
    if milestone.adjusted_due is not None:
        record["adjusted_due"] = milestone.adjusted_due.isoformat()
    if detail:
        record["measure"] = milestone.measure or item.measures
    record.update(days_left=row.days_left(as_of), status=item.status.value, done=row.is_done())
    return record


def show_record(reg: Registry, item: Item) -> dict[str, Any]:
    """`show`: the item object plus the section and key task titles, the departments as printed and the note."""
    record = item_record(reg, item)
    section = reg.section(item.section)
    task = reg.task(item.task) if item.task is not None else None
    record["section_title"] = section.title if section else None
    record["task_title"] = task.title if task else None
    record["departments_text"] = item.departments_display
    record["note"] = item.note
    return record




def search_record(reg: Registry, hit: SearchHit, terms: Sequence[str]) -> dict[str, Any]:
    """`search`: the item object plus where the query matched and an excerpt around the match."""
    record = item_record(reg, hit.item)
    record["matched_in"] = list(hit.fields)
    texts = search_texts(reg, hit.item)
    source = next((f for f in ("measures", "task") if f in hit.fields), None)
    excerpt = snippet(texts[source], terms) if source else ""
    record["excerpt"] = (f"任务{hit.item.task}：" if source == "task" else "") + excerpt
    return record


STATS_HEADERS = {
    "lead": ("牵头单位", "Lead unit"), "org": ("单位", "Unit"), "dept": ("责任部门", "Responsible"),
    "month": ("月份", "Month"), "section": ("部分", "Section"), "task": ("主要任务", "Key task"),
    "status": ("状态", "Status"),
}


def stat_record(reg: Registry, row: StatRow, by: str, lang: str) -> dict[str, Any]:
    """`stats`: {by, key, label, count} (+ sole, joint for --by lead); label follows --lang."""
    key, label = row.key, str(row.key)
    if by == "section":
        section = reg.section(row.key)
        label = f"{section.label}{section.title}" if section else str(row.key)
    elif by == "task":
        if row.key is None:
            label = t("word.no_task", lang)
        else:
            task = reg.task(row.key)
            label = f"{row.key}.{task.title}" if task else str(row.key)
    elif by == "status":
        key, label = row.key.value, _status_label(row.key, lang)
    record = {"by": by, "key": key, "label": label, "count": row.count}
    if row.sole is not None:
        record["sole"], record["joint"] = row.sole, row.joint
    return record


def org_record(summary: OrgSummary, lang: str = "zh") -> dict[str, Any]:
    """`orgs`: one organisation with its counts (items_led counts a group for each member)."""
    org = summary.org
    return {
        "name": org.name,
        "full_name": org.full_name,
        "kind": org.kind.value,
        "kind_label": org_kind_label(org.kind, lang),
        "province": org.province,
        "aliases": list(org.aliases),
        "members": list(org.members),
        "groups": list(summary.groups),
        "items_led": summary.led,
        "items_led_direct": summary.led_direct,
        "items_involved": summary.involved,
    }


# -- columns --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    cell: Callable[[dict], str]
    wrap: bool = False
    max_width: int | None = None
    translate: Callable[[str, str], str] | None = None  # (cell value, lang) -> shown text
    min_width: int | None = None  # keeps CJK text columns readable when the terminal is narrow

    def header(self, lang: str) -> str:
        return pick(self.zh, self.en, lang)


def status_label(code: str, lang: str) -> str:
    # A str-valued enum member hashes and compares as its value: the code finds the label directly.
    return _status_label(code, lang)


def leads_cell(record: dict) -> str:
    return "、".join(record["leads"])


def light_label(code: str, lang: str) -> str:
    if not code:  # records built without an as-of date carry no light
        return ""
    return _light_label(code, lang)


def joint_label(value: str, lang: str) -> str:
    """The 联合牵头 column: 是 when more than one unit leads (a group counts as its members)."""
    if not value:
        return ""
    return t("word.yes", lang)


def joint_cell(record: dict) -> str:
    return "joint" if record.get("joint") else ""


def _join(values: Iterable[str]) -> str:
    return "、".join(values)


ITEM_COLUMNS: dict[str, Column] = {
    c.key: c
    for c in [
        Column("seq", "序号", "No.", lambda r: str(r["seq"])),
        Column("id", "编号", "ID", lambda r: r["id"]),
        Column("title", "合作事项", "Item", lambda r: r["title"], wrap=True, max_width=40, min_width=10),
        Column("measures", "年度主要举措及时间节点", "Measures and deadlines", lambda r: r["measures"], wrap=True, max_width=60, min_width=16),
        Column("departments", "责任部门", "Responsible", lambda r: _join(r["departments"]), wrap=True, max_width=24, min_width=8),
        Column("leads", "牵头单位", "Lead", leads_cell, wrap=True, max_width=20, min_width=6),
        Column("joint", "联合牵头", "Joint", joint_cell, translate=joint_label, wrap=True, max_width=4),
        Column("lead_units", "牵头单位（含组成员）", "Lead units", lambda r: _join(r["lead_units"]), wrap=True, max_width=24),
        Column("due", "时间节点", "Due", lambda r: "\n".join(
            f"{m['adjusted_due']}（调整，原 {m['due']}）" if m.get("adjusted_due") else m["due"] for m in r["milestones"])),
        Column("deadline", "时间节点（原文）", "Deadline as printed", lambda r: "\n".join(m["text"] for m in r["milestones"])),
        Column("section", "部分", "Section", lambda r: str(r["section"])),
        Column("task", "主要任务", "Task", lambda r: "" if r["task"] is None else str(r["task"])),
        Column("status", "状态", "Status", lambda r: r["status"], translate=status_label, wrap=True),
        Column("light", "灯号", "Light", lambda r: r.get("light", ""), translate=light_label, wrap=True),
    ]
}
DEFAULT_ITEM_COLUMNS = ["seq", "title", "leads", "joint", "departments", "due", "status", "light"]

SEARCH_COLUMNS: dict[str, Column] = {
    **ITEM_COLUMNS,
    "matched_in": Column("matched_in", "匹配位置", "Matched in", lambda r: ",".join(r["matched_in"]), wrap=True, max_width=10,
                         translate=lambda v, lang: t("word.list_sep", lang).join(
                             t(f"matched.{f}", lang) for f in v.split(",") if f)),
    "excerpt": Column("excerpt", "摘录", "Excerpt", lambda r: r["excerpt"], wrap=True, max_width=44, min_width=14),
}
DEFAULT_SEARCH_COLUMNS = ["seq", "title", "leads", "joint", "departments", "matched_in", "excerpt"]

MILESTONE_COLUMNS: dict[str, Column] = {
    c.key: c
    for c in [
        Column("due", "截止日期", "Due", lambda r: (f"{r['adjusted_due']}（调整，原 {r['due']}）" if r.get("adjusted_due")
                                                   else r["due"])),
        Column("days_left", "剩余天数", "Days left", lambda r: str(r["days_left"]), wrap=True, max_width=4),
        Column("seq", "序号", "No.", lambda r: str(r["seq"])),
        Column("id", "编号", "ID", lambda r: r["id"]),
        Column("title", "合作事项", "Item", lambda r: r["title"], wrap=True, max_width=36, min_width=10),
        Column("text", "时间节点", "Deadline", lambda r: r["text"] + (f" ({r['milestone']}/{r['milestones']})" if r["milestones"] > 1 else ""),
               wrap=True, max_width=10),
        Column("overdue_days", "逾期天数", "Days overdue", lambda r: str(max(0, -r["days_left"])), wrap=True, max_width=7),
        Column("measure", "对应举措", "Measure", lambda r: r["measure"], wrap=True, max_width=50),
        Column("leads", "牵头单位", "Lead", lambda r: _join(r["leads"]), wrap=True, max_width=20, min_width=6),
        Column("joint", "联合牵头", "Joint", joint_cell, translate=joint_label, wrap=True, max_width=4),
        Column("status", "状态", "Status", lambda r: r["status"], translate=status_label, wrap=True),
        Column("light", "灯号", "Light", lambda r: r.get("light", ""), translate=light_label, wrap=True),
    ]
}
DEFAULT_MILESTONE_COLUMNS = ["due", "days_left", "seq", "title", "text", "leads", "joint", "status", "light"]
DEFAULT_OVERDUE_COLUMNS = ["due", "overdue_days", "seq", "title", "text", "leads", "joint", "status"]


def stats_columns(by: str) -> list[Column]:
    zh, en = STATS_HEADERS[by]
    counted = ("时间节点数", "Milestones") if by == "month" else ("事项数", "Items")
    columns = [Column("label", zh, en, lambda r: r["label"], wrap=True, max_width=40),
               Column("count", *counted, lambda r: str(r["count"]))]
    if by == "lead":
        columns += [Column("sole", "单独牵头", "Sole lead", lambda r: str(r["sole"])),
                    Column("joint", "联合牵头", "Joint lead", lambda r: str(r["joint"]))]
    return columns


def bar(count: int, largest: int, width: int = 30) -> str:
    """A horizontal bar in eighths of a character cell, scaled so the largest count fills `width`."""
    if largest <= 0 or count <= 0:
        return ""
    eighths = max(1, round(count / largest * width * 8))
    return "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]


def bar_column(records: Sequence[dict]) -> Column:
    largest = max((r["count"] for r in records), default=0)
    return Column("bar", "分布", "Chart", lambda r: bar(r["count"], largest))


ORG_COLUMNS: dict[str, Column] = {
    c.key: c
    for c in [
        Column("name", "单位", "Unit", lambda r: r["name"], wrap=True, max_width=14, min_width=6),
        Column("full_name", "全称", "Full name", lambda r: r["full_name"] or "", wrap=True, max_width=24),
        Column("kind", "类别", "Kind", lambda r: r["kind_label"], wrap=True, max_width=10),
        Column("province", "省市", "Province", lambda r: r["province"] or "", wrap=True, max_width=8),
        Column("aliases", "别名", "Aliases", lambda r: _join(r["aliases"]), wrap=True, max_width=10),
        Column("members", "成员单位", "Members", lambda r: _join(r["members"]), wrap=True, max_width=14),
        Column("groups", "所属组", "Groups", lambda r: _join(r["groups"]), wrap=True, max_width=10),
        Column("items_led", "牵头事项", "Items led", lambda r: str(r["items_led"]), wrap=True, max_width=6),
        Column("items_led_direct", "其中直接牵头", "Led directly", lambda r: str(r["items_led_direct"]), wrap=True, max_width=6),
        Column("items_involved", "涉及事项", "Items involved", lambda r: str(r["items_involved"]), wrap=True, max_width=8),
    ]
}
DEFAULT_ORG_COLUMNS = list(ORG_COLUMNS)
TABLE_ORG_COLUMNS = [k for k in ORG_COLUMNS if k != "full_name"]  # the full names do not fit a terminal


def cell_text(column: Column, record: dict, lang: str) -> str:
    return cell_formatter(column, lang)(record)


def cell_formatter(column: Column, lang: str) -> Callable[[dict], str]:
    """The function giving the column's shown text for a record (decided once per table, not per cell)."""
    cell, translate = column.cell, column.translate
    if translate is None and column.key == "status":
        translate = status_label
    if translate is None:
        return cell
    return lambda record: translate(cell(record), lang)


class _ExtraWidth(dict):
    """Character → 1 if East Asian typography sets it two cells wide (W or F), else 0; each
    character is looked up once (a regular expression of the wide blocks costs 5 ms to compile
    at every start)."""

    def __missing__(self, char: str) -> int:
        extra = self[char] = 1 if unicodedata.east_asian_width(char) in "WF" else 0
        return extra


_EXTRA_WIDTH = _ExtraWidth()


@functools.lru_cache(maxsize=1 << 16)  # table cells repeat (units, statuses, dates)
def text_width(text: str) -> int:
    """Terminal cells the text takes: East Asian wide and full-width characters count 2."""
    if text.isascii():
        return len(text)
    return len(text) + sum(map(_EXTRA_WIDTH.__getitem__, text))


PLAIN_GAP = "  "


def plain_table_lines(records: Sequence[dict], columns: Sequence[Column], lang: str, *,
                      title: str | None = None, caption: str | None = None) -> Iterator[str]:
    """The table for output that is not a terminal: aligned columns, one line per row, no box.

    A row on one line is what grep, sort and a file want (a boxed table wraps a long title over
    several lines), and it costs a small fraction of laying out a rich table (0.7 ms a row): 60,000
    rows take well under a second. Line breaks inside a cell become 、.
    """
    headers = [visible(c.header(lang)) for c in columns]
    texts = [cell_formatter(c, lang) for c in columns]
    rows = [[visible(text(record).replace("\n", "、")) for text in texts] for record in records]
    row_widths = [list(map(text_width, cells)) for cells in rows]
    widths = [max(column) for column in zip(map(text_width, headers), *row_widths)]

    def line(cells: Sequence[str], cell_widths: Sequence[int]) -> str:
        padded = [cell + " " * (width - cell_width) for cell, width, cell_width in zip(cells, widths, cell_widths)]
        padded[-1] = cells[-1]
        return PLAIN_GAP.join(padded).rstrip()

    if title:
        yield visible(title)
    yield line(headers, list(map(text_width, headers)))
    yield line(["-" * w for w in widths], widths)
    yield from map(line, rows, row_widths)
    if caption:
        yield visible(caption)


HIGHLIGHT_STYLE = "bold reverse"  # visible without colour too (NO_COLOR)


def highlighted(text: str, terms: Sequence[str] = ()):
    """Registry text as a rich Text (never parsed as markup, controls shown as escapes), with every
    match of terms styled."""
    from rich.text import Text

    text = visible_lines(text)
    out = Text(text)
    for start, end in find_spans(text, terms) if terms else ():
        out.stylize(HIGHLIGHT_STYLE, start, end)
    return out


def rich_table(records: Sequence[dict], columns: Sequence[Column], lang: str, *, title: str | None = None,
               caption: str | None = None, highlight: Sequence[str] = ()):
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(visible(title)) if title else None, caption=Text(visible(caption)) if caption else None,
                  show_lines=True, header_style="bold", pad_edge=False)
    for column in columns:
        table.add_column(Text(column.header(lang)), overflow="fold", max_width=column.max_width,
                         min_width=column.min_width, no_wrap=not column.wrap)
    for record in records:
        table.add_row(*(highlighted(cell_text(c, record, lang), highlight) for c in columns))
    return table


def show_table(reg: Registry, record: dict, lang: str, as_of: dt.date):
    """Everything about one item as a two-column field/value grid."""
    from rich.table import Table
    from rich.text import Text

    en = lang == "en"
    rows: list[tuple[str, str]] = [
        ("ID" if en else "编号", record["id"]),
        ("No." if en else "序号", str(record["seq"])),
        ("Item" if en else "合作事项", record["title"]),
    ]
    section = reg.section(record["section"])
    rows.append(("Section" if en else "所属部分",
                 f"{section.label}{section.title}" if section else str(record["section"])))
    rows.append(("Key task" if en else "对应主要任务",
                 f"{record['task']}. {record['task_title']}" if record["task"] is not None
                 else ("(none)" if en else "（无）")))
    leads = []
    for name in record["leads"]:
        org = reg.org(name)
        if org is not None and org.members:
            leads.append(f"{name}（{'、'.join(org.members)}）")
        else:
            leads.append(name)
    lead_text = "、".join(leads)
    if record["joint"]:
        lead_text += " — joint lead" if en else " — 联合牵头"
    rows.append(("Lead" if en else "牵头单位", lead_text))
    rows.append(("Responsible" if en else "责任部门", record["departments_text"]))
    rows.append(("Measures" if en else "年度主要举措", record["measures"]))
    milestones = []
    for n, m in enumerate(record["milestones"], 1):
        days = (dt.date.fromisoformat(m.get("adjusted_due") or m["due"]) - as_of).days
        line = f"{n}. {m['due']}  {m['text']}"
        if m.get("adjusted_due"):
            approved = "、".join(x for x in (m.get("adjusted_by"), m.get("adjusted_on"), m.get("adjust_reason")) if x)
            line += (f"  adjusted to {m['adjusted_due']} ({approved})" if en
                     else f"  调整为 {m['adjusted_due']}（{approved}）")
        if m["done_on"]:
            line += f"  {'done' if en else '已完成'} {m['done_on']}"
        elif days < 0:
            line += f"  ({-days} days overdue)" if en else f"（逾期 {-days} 天）"
        else:
            line += f"  ({days} days left)" if en else f"（剩余 {days} 天）"
        if m["tentative"]:
            line += "  tentative" if en else "  拟定"
        if m.get("event"):
            line += f"  {m['event']}"
        if m.get("measure"):
            line += f"\n   {m['measure']}"
        milestones.append(line)
    rows.append(("Milestones" if en else "时间节点", "\n".join(milestones) or ("no deadline" if en else "无时限")))
    rows.append(("Status" if en else "状态", status_label(record["status"], lang)))
    # A corrected or withdrawn report stays, marked; its correction says which report it corrects.
    corrected = {p["amends"]: p.get("withdraws", False) for p in record["progress"] if p.get("amends")}
    progress = []
    for n, p in enumerate(record["progress"], 1):
        line = f"{n}. {p['date']} {p['by']} {status_label(p['status'], lang)}：{p['text']}"
        line += f"（{p['evidence']}）" if p.get("evidence") else ""
        if p.get("amends") and not p.get("withdraws"):
            line += f"  [corrects {p['amends']}]" if en else f"  〔更正第 {p['amends']} 条〕"
        if n in corrected:
            line += ("  [withdrawn]" if corrected[n] else "  [corrected]") if en else \
                ("  〔已撤回〕" if corrected[n] else "  〔已更正〕")
        progress.append(line)
    rows.append(("Progress" if en else "进展记录", "\n".join(progress) or ("(none yet)" if en else "（暂无）")))
    if record.get("note"):
        rows.append(("Note" if en else "备注", record["note"]))
    if record.get("history"):
        rows.append((t("history.title", lang), "\n".join(history_lines(record["history"], lang))))

    grid = Table(show_header=False, show_lines=True, title=Text(visible(f"{record['id']}  {record['title']}")))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold", max_width=90)
    for field_name, value in rows:
        grid.add_row(Text(field_name), Text(visible_lines(value)))
    return grid
def history_record(relation: str, plan: str, item: Item) -> dict[str, Any]:
    """`show`'s `history`: an item this one was carried from ("from") or into ("to"), in another plan."""
    return {"relation": relation, "plan": plan, "id": item.id, "title": item.title, "status": item.status.value,
            "milestones": [milestone_record(m) for m in item.milestones],
            "progress": [progress_record(entry) for entry in item.progress]}


def history_lines(history: Sequence[dict], lang: str) -> list[str]:
    lines = []
    for entry in history:
        key = "history.from" if entry["relation"] == "from" else "history.to"
        if entry.get("plan") is None:
            lines.append(t("history.unknown", lang, id=entry["id"]))
            continue
        lines.append(t(key, lang, id=entry["id"], plan=entry["plan"], status=status_label(entry["status"], lang)))
        lines += [f"  {p['date']} {p['by']} {status_label(p['status'], lang)}：{p['text']}" for p in entry["progress"]]
    return lines


def log_record(reg: Registry, row: LogRow) -> dict:
    """A progress entry as the documented JSON object of `workplan log`."""
    entry = row.entry
    return {
        "date": entry.date.isoformat(),
        "id": row.item.id,
        "seq": row.item.seq,
        "title": row.item.title,
        "by": entry.by,
        "status": entry.status.value,
        "text": entry.text,
        "evidence": entry.evidence,
        "milestone": entry.milestone,
        "forced": entry.forced,
        "amends": entry.amends,
        "withdraws": entry.withdraws,
    }
def light_column(lang: str = "zh"):
    """A render.Column for records carrying "light" (a Light code): how list/due/exports add 灯号."""
    from workplan.present.render import Column

    return Column("light", "灯号", "Light", lambda r: light_label(Light(r["light"]), lang))
