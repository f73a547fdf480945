"""Tables for people: rich tables on a terminal, aligned plain rows when piped, `show`'s grid.

Registry text is never parsed as rich markup.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Sequence

from workplan.core.labels import t
from workplan.core.query import find_spans
from workplan.present.columns import Column, cell_formatter, status_label
from workplan.present.text import text_width, visible, visible_lines

if TYPE_CHECKING:
    from workplan.core.models import Registry


PLAIN_GAP = "  "


def plain_table_lines(records: Sequence[dict], columns: Sequence[Column], lang: str, *,
                      title: str | None = None, caption: str | None = None) -> Iterator[str]:
    """The table for output that is not a terminal: aligned columns, one line per row, no box,
    numbers right-aligned.

    A row on one line is what grep, sort and a file want (a boxed table wraps a long title over
    several lines), and it costs a small fraction of laying out a rich table. Line breaks inside
    a cell become 、.
    """
    headers = [visible(c.header(lang)) for c in columns]
    texts = [cell_formatter(c, lang) for c in columns]
    right = [c.numeric for c in columns]
    rows = [[visible(text(record).replace("\n", "、")) for text in texts] for record in records]
    row_widths = [list(map(text_width, cells)) for cells in rows]
    widths = [max(column) for column in zip(map(text_width, headers), *row_widths)]

    def line(cells: Sequence[str], cell_widths: Sequence[int]) -> str:
        padded = [" " * (width - cell_width) + cell if numeric else cell + " " * (width - cell_width)
                  for cell, width, cell_width, numeric in zip(cells, widths, cell_widths, right)]
        if not right[-1]:
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


def highlighted(text: str, terms: Sequence[str] = (), style: str = "", after_only: str | None = None):
    """Registry text as a rich Text that wraps by the Chinese line-breaking rules (never parsed as
    markup, controls shown as escapes), with every match of terms styled."""
    from workplan.present.wrap import WrappedText

    text = visible_lines(text)
    out = WrappedText(text, style=style)
    out.after_only = after_only
    for start, end in find_spans(text, terms) if terms else ():
        out.stylize(HIGHLIGHT_STYLE, start, end)
    return out


# -- choosing columns by the terminal's width -----------------------------------------------------

# Rows measured to lay a table out: a huge table is printed in parts of this many rows, all laid
# out alike; a later row wider than its column wraps inside it.
MEASURED_ROWS = 500


def table_overhead(count: int) -> int:
    """Cells a boxed table of `count` columns takes beyond its columns: n+1 rules, a space either
    side of each cell but at the two edges."""
    return count + 1 + 2 * count - 2


def header_narrowest(header: str) -> int:
    """A header breaks only between words (English) or before a bracket (牵头单位（含组成员）), never
    inside a Chinese word: 逾期天数 stays whole."""
    import re

    from rich.cells import cell_len

    return max(cell_len(word) for word in re.split(r"\s+|(?=（)", header) if word)


@dataclass
class Layout:
    columns: list[Column]
    widths: list[int]
    dropped: list[Column]
    fits: bool = True  # False: too wide even with every droppable column gone (see record_blocks)


def fit_columns(records: Sequence[dict], columns: Sequence[Column], lang: str, width: int) -> Layout:
    """The columns that fit `width` cells and their widths.

    Each column is at least as wide as its header and its widest unbreakable piece (a date, a
    number, a word); wrapped columns grow toward their content, up to max_width. While the
    narrowest layout is still too wide, the column with the highest `drop` goes (measures first,
    then departments, …): nothing is cut at the right edge. The caller says what was dropped.
    """
    from rich.cells import cell_len

    from workplan.present.wrap import narrowest

    sample = records[:MEASURED_ROWS]
    least, most = [], []
    for column in columns:
        shown = cell_formatter(column, lang)
        texts = [visible_lines(shown(record)) for record in sample]
        longest = max((cell_len(line) for text in texts for line in text.split("\n")), default=0)
        floor = header_narrowest(column.header(lang))
        if column.wrap:
            piece = max((narrowest(text, column.break_after) for text in texts), default=0)
            low = max(floor, piece, min(column.min_width or 0, longest))
            high = max(low, min(longest, column.max_width or longest))
        else:
            low = high = max(floor, longest)
        least.append(low)
        most.append(high)
    kept = list(range(len(columns)))

    def needed(keys: list[int]) -> int:
        return sum(least[k] for k in keys) + table_overhead(len(keys))

    while needed(kept) > width and any(columns[k].drop for k in kept):
        victim = max((k for k in kept if columns[k].drop), key=lambda k: (columns[k].drop, k))
        kept.remove(victim)
    widths = {k: least[k] for k in kept}
    spare = width - needed(kept)
    while spare > 0:
        growing = [k for k in kept if widths[k] < most[k]]
        if not growing:
            break
        k = min(growing, key=lambda k: (widths[k] / most[k], k))
        widths[k] += 1
        spare -= 1
    return Layout([columns[k] for k in kept], [widths[k] for k in kept],
                  [c for i, c in enumerate(columns) if i not in widths], needed(kept) <= width)


def dropped_caption(layout: Layout, lang: str, width: int, columns_option: bool = False) -> str | None:
    """The columns left out, and how to see them: --columns only for a command that takes it."""
    if not layout.dropped:
        return None
    return t("caption.dropped" if columns_option else "caption.dropped_plain", lang, width=width,
             columns=[c.header(lang) for c in layout.dropped])


def rich_table(records: Sequence[dict], columns: Sequence[Column], lang: str, *, title: str | None = None,
               caption: str | None = None, highlight: Sequence[str] = (), width: int | None = None,
               layout: Layout | None = None, columns_option: bool = False):
    """A boxed table for a terminal `width` cells wide (no limit: every column at its fullest).

    Cells wrap by the Chinese line-breaking rules; numbers are right-aligned; a light is in its
    colour (rich drops colour under NO_COLOR), its word always there. Columns that do not fit are
    left out and named in the caption."""
    from rich.table import Table

    from workplan.present.wrap import WrappedText

    if layout is None:
        layout = fit_columns(records, columns, lang, width if width is not None else 1 << 20)
    # The columns left out are named under the last part of a table printed in parts (given `width`).
    notes = [c for c in (caption, dropped_caption(layout, lang, width, columns_option) if width is not None else None) if c]
    table = Table(title=WrappedText(visible(title)) if title else None,
                  caption=WrappedText(visible("\n".join(notes)), justify="left") if notes else None,
                  show_lines=True, header_style="bold", pad_edge=False)
    for column, cells in zip(layout.columns, layout.widths):
        table.add_column(WrappedText(column.header(lang)), width=cells, overflow="fold",
                         justify="right" if column.numeric else "left")
    shown = [cell_formatter(c, lang) for c in layout.columns]
    styles = [c.style for c in layout.columns]
    breaks = [c.break_after for c in layout.columns]
    for record in records:
        table.add_row(*(highlighted(text(record), highlight, style(record) if style else "", after)
                        for text, style, after in zip(shown, styles, breaks)))
    return table


# -- too narrow for any table: each record field by field -----------------------------------------

FIELD_LEAST = 10  # cells of a value beside its field name; narrower, the name goes above the value


def record_blocks(records: Sequence[dict], columns: Sequence[Column], lang: str, width: int, *,
                  title: str | None = None, caption: str | None = None, highlight: Sequence[str] = (),
                  closing: bool = True):
    """A window too narrow for the table even without its droppable columns: every record as its
    fields, one under another, names beside their values (or above them, narrower still), each
    record under a rule. Nothing is left out; `closing` (the last of a list printed in parts) ends
    it by saying why it is listed so."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from workplan.present.wrap import WrappedText

    headers = [c.header(lang) for c in columns]
    label = max(map(text_width, headers))
    stacked = width - label - 2 < FIELD_LEAST
    shown = [cell_formatter(c, lang) for c in columns]
    parts: list = [WrappedText(visible(title), style="bold")] if title else []
    for record in records:
        parts.append(Text("─" * width, style="dim"))
        grid = Table.grid(padding=(0, 2, 0, 0))
        if not stacked:
            grid.add_column(width=label, no_wrap=True, style="bold")
        grid.add_column(width=width - (0 if stacked else label + 2), overflow="fold")
        for column, header, text in zip(columns, headers, shown):
            value = text(record)
            if not value:
                continue
            cell = highlighted(value, highlight, column.style(record) if column.style else "", column.break_after)
            if stacked:
                grid.add_row(Text(header, style="bold"))
                grid.add_row(Padding(cell, (0, 0, 0, 2)))
            else:
                grid.add_row(Text(header), cell)
        parts.append(grid)
    if closing:
        notes = [t("caption.records", lang, width=width), *([caption] if caption else [])]
        parts += [Text("─" * width, style="dim"), WrappedText(visible("\n".join(notes)))]
    return Group(*parts)


# -- show: one item -------------------------------------------------------------------------------

def show_fields(reg: Registry, record: dict, lang: str, as_of: dt.date) -> list[tuple[str, str]]:
    """Everything about one item, as (field, value) pairs; a value's lines are its entries."""
    from workplan.present.columns import lateness_words

    def field(key: str) -> str:
        return t(f"col.show.{key}", lang)

    rows: list[tuple[str, str]] = [(field("id"), record["id"]), (field("seq"), str(record["seq"])),
                                   (field("title"), record["title"])]
    section = reg.section(record["section"])
    rows.append((field("section"), f"{section.label}{section.title}" if section else str(record["section"])))
    rows.append((field("task"), f"{record['task']}. {record['task_title']}" if record["task"] is not None
                 else t("word.absent", lang)))
    leads = []
    for name in record["leads"]:
        org = reg.org(name)
        leads.append(f"{name}（{'、'.join(org.members)}）" if org is not None and org.members else name)
    lead_text = "、".join(leads)
    if record["joint"]:
        lead_text += t("word.joint_lead", lang)
    rows.append((field("lead"), lead_text))
    rows.append((field("departments"), record["departments_text"]))
    rows.append((field("measures"), record["measures"]))
    milestones = []
    for n, m in enumerate(record["milestones"], 1):
        days = (dt.date.fromisoformat(m.get("adjusted_due") or m["due"]) - as_of).days
        line = f"{n}. {m['due']}  {m['text']}"
        if m.get("adjusted_due"):
            approved = "、".join(x for x in (m.get("adjusted_by"), m.get("adjusted_on"), m.get("adjust_reason")) if x)
            line += "  " + t("show.adjusted", lang, due=m["adjusted_due"], approved=approved)
        if m["done_on"]:
            line += "  " + t("show.done_on", lang, date=m["done_on"])
        else:
            line += "  " + lateness_words(str(days), lang)
        if m["tentative"]:
            line += "  " + t("word.tentative", lang)
        if m.get("event"):
            line += f"  {m['event']}"
        if m.get("measure"):
            line += f"\n   {m['measure']}"
        milestones.append(line)
    rows.append((field("milestones"), "\n".join(milestones) or t("word.no_deadline", lang)))
    rows.append((field("status"), status_label(record["status"], lang)))
    # A corrected or withdrawn report stays, marked; its correction says which report it corrects.
    corrected = {p["amends"]: p.get("withdraws", False) for p in record["progress"] if p.get("amends")}
    progress = []
    for n, p in enumerate(record["progress"], 1):
        line = f"{n}. {p['date']} {p['by']} {status_label(p['status'], lang)}：{p['text']}"
        line += f"（{p['evidence']}）" if p.get("evidence") else ""
        if p.get("amends") and not p.get("withdraws"):
            line += "  " + t("show.corrects", lang, n=p["amends"])
        if n in corrected:
            line += "  " + t("show.withdrawn" if corrected[n] else "show.corrected", lang)
        progress.append(line)
    rows.append((field("progress"), "\n".join(progress) or t("word.none_yet", lang)))
    if record.get("note"):
        rows.append((field("note"), record["note"]))
    if record.get("history"):
        rows.append((t("history.title", lang), "\n".join(history_lines(record["history"], lang))))
    return rows


SHOW_STACKED_BELOW = 40  # columns: narrower, a field's name goes above its value, with no box


def show_table(reg: Registry, record: dict, lang: str, as_of: dt.date, width: int = 1 << 20):
    """`show` on a terminal: a two-column field/value grid, values wrapped by the Chinese rules."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from workplan.present.wrap import WrappedText

    if width < SHOW_STACKED_BELOW:
        parts: list = [WrappedText(visible(f"{record['id']}  {record['title']}"), style="bold")]
        for field_name, value in show_fields(reg, record, lang, as_of):
            parts += [Text("─" * width, style="dim"), Text(field_name, style="bold"),
                      Padding(hanging_lines(visible_lines(value)), (0, 0, 0, 2))]
        return Group(*parts)
    grid = Table(show_header=False, show_lines=True, title=WrappedText(visible(f"{record['id']}  {record['title']}")))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold", max_width=90)
    for field_name, value in show_fields(reg, record, lang, as_of):
        grid.add_row(WrappedText(field_name), hanging_lines(visible_lines(value)))
    return grid


def hanging_lines(value: str):
    """A value whose entries (1. …, 2. …, and their indented further lines) wrap under their own
    text, not under the number."""
    import re

    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from workplan.present.wrap import WrappedText

    parts = []
    for line in value.split("\n"):
        lead = re.match(r"\d+\. |\s+", line)
        if lead is None:
            parts.append(WrappedText(line))
            continue
        entry = Table.grid()
        entry.add_column(no_wrap=True)
        entry.add_column()
        entry.add_row(Text(lead.group()), WrappedText(line[lead.end():]))
        parts.append(entry)
    return Group(*parts)


def show_lines(reg: Registry, record: dict, lang: str, as_of: dt.date) -> Iterator[str]:
    """`show` piped: the title, then one line per field or entry, no box, nothing wrapped; an
    entry's further lines are indented under the value."""
    from rich.cells import cell_len

    fields = [(visible(name), visible_lines(value).split("\n")) for name, value in show_fields(reg, record, lang, as_of)]
    indent = max(cell_len(name) for name, _ in fields)
    yield visible(f"{record['id']}  {record['title']}")
    for name, lines in fields:
        yield (name + " " * (indent - cell_len(name)) + PLAIN_GAP + lines[0]).rstrip()
        for line in lines[1:]:
            yield (" " * (indent + len(PLAIN_GAP)) + line).rstrip()


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
