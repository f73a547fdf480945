"""Tables for people: rich tables on a terminal, aligned plain rows when piped, `show`'s grid.

Registry text is never parsed as rich markup.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Iterator, Sequence

from workplan.core.labels import t
from workplan.core.query import find_spans
from workplan.present.columns import Column, cell_formatter, cell_text, status_label
from workplan.present.text import text_width, visible, visible_lines

if TYPE_CHECKING:
    from workplan.core.models import Registry


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
