"""`workplan timeline` in characters: the chart of core/timeline.py on a terminal of any width,
and as plain rows when piped.

On a terminal every line fits the window: titles and lead units wrap by the Chinese rules (a list
of units only after 、), the lead column goes when the chart would not fit beside it, and a window
too narrow for the chart itself lists each item's milestones under its title instead. Nothing is
cut at the edge; what is left out is said under the chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from workplan.core.board import LIGHT_ORDER
from workplan.core.codes import Light
from workplan.core.labels import t
from workplan.core.models import Registry
from workplan.core.timeline import EMPTY, SLOT, SPAN, TODAY, Chart, ChartRow
from workplan.present.terminal import MEASURED_ROWS
from workplan.present.text import text_width, visible
from workplan.present.wrap import narrowest, wrap_lines

# Shape as well as colour, so the chart reads with NO_COLOR and on a grey printout.
MARKS = {Light.red.value: "◆", Light.yellow.value: "▲", Light.green.value: "●", Light.done.value: "■",
         Light.cancelled.value: "×", SPAN: "─", TODAY: "┊", EMPTY: " "}
MARK_STYLES = {Light.red.value: "bold red", Light.yellow.value: "bold yellow", Light.green.value: "green",
               Light.done.value: "blue", Light.cancelled.value: "dim", SPAN: "dim", TODAY: "red", EMPTY: ""}
GAP = "  "
TITLE_LEAST = 16  # cells: a narrower title column reads as a column of fragments
LEAD_MOST = 24
FIELD_LEAST = 10  # cells of a value beside its field name when each item is listed field by field


def leads_text(reg: Registry, row: ChartRow) -> str:
    return "、".join(reg.item_lead_names(row.item))


def month_lines(chart: Chart, plan_year: int) -> tuple[str | None, str]:
    """The year line (only when the chart leaves the plan year) and the month line, each exactly
    as wide as the chart: a month's number centred in its SLOT cells."""
    months = "".join(f"{m:^{SLOT}}" for _, m in chart.months)
    if all(y == plan_year for y, _ in chart.months):
        return None, months
    years = [" "] * chart.cells
    starts = [(i * SLOT, y) for i, (y, m) in enumerate(chart.months) if i == 0 or m == 1]
    for n, (start, year) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else chart.cells
        # A year of one month has room for '25, not 2025; no room at all leaves it to the next year's label.
        label = next((s for s in (str(year), f"'{year % 100}") if start + len(s) <= end), None)
        if label:
            years[start:start + len(label)] = label
    return "".join(years), months


@dataclass
class TimelineLayout:
    seq: int
    title: int
    lead: int  # 0: the lead column is left out
    chart: bool  # False: too narrow for the chart, each item listed field by field

    @property
    def width(self) -> int:
        return self.seq + len(GAP) + self.title + (len(GAP) + self.lead if self.lead else 0)


def fit_timeline(reg: Registry, chart: Chart, lang: str, width: int) -> TimelineLayout:
    rows = [row for _, group in chart.groups for row in group]
    seq = max([text_width(t("dash.seq", lang)), *(len(str(row.item.seq)) for row in rows)])
    titles = [visible(row.item.title) for row in rows]
    leads = [visible(leads_text(reg, row)) for row in rows]
    # Unbreakable pieces measured on the first rows, as tables do (terminal.py MEASURED_ROWS): a
    # wider piece further down is cut by cells rather than overflow.
    sample = slice(0, MEASURED_ROWS)
    longest_title = max([text_width(t("dash.title", lang)), *map(text_width, titles)])
    title_low = max([text_width(t("dash.title", lang)), min(TITLE_LEAST, longest_title),
                     *(narrowest(title) for title in titles[sample])])
    lead_low = max([text_width(t("dash.lead", lang)), *(narrowest(lead, "、") for lead in leads[sample])])
    lead_high = max(lead_low, min(LEAD_MOST, max(map(text_width, leads), default=0)))
    beside = seq + len(GAP) + chart.cells + len(GAP)  # the columns that are always there, and their gaps
    if beside + title_low + len(GAP) + lead_low <= width:
        spare = width - (beside + title_low + len(GAP) + lead_low)
        title = min(longest_title, title_low + spare)
        lead = min(lead_high, lead_low + spare - (title - title_low))
        return TimelineLayout(seq, title, lead, True)
    if beside + title_low <= width:
        return TimelineLayout(seq, min(longest_title, width - beside), 0, True)
    return TimelineLayout(seq, max(width - seq - len(GAP), 2), 0, False)


def mark_runs(marks: tuple[str, ...]) -> list[tuple[str, str]]:
    """The chart's cells as (characters, style), a run of one style at a time: one span per run."""
    from itertools import groupby

    return [("".join(MARKS[mark] for mark in run), style) for style, run in groupby(marks, key=MARK_STYLES.__getitem__)]


def legend_entries(chart: Chart, lang: str, as_of_text: str) -> list[list[tuple[str, str]]]:
    entries = [[(MARKS[light.value], MARK_STYLES[light.value]),
                (f" {t('dash.light_' + light.value, lang)} {chart.counts.get(light, 0)}", "")] for light in LIGHT_ORDER]
    entries.append([(MARKS[SPAN] * 2, MARK_STYLES[SPAN]), (f" {t('dash.plan_span', lang)}", "")])
    entries.append([(MARKS[TODAY], MARK_STYLES[TODAY]), (f" {t('dash.as_of', lang)} {as_of_text}", "")])
    return entries


def timeline_terminal(reg: Registry, chart: Chart, lang: str, width: int, *, as_of_text: str, source: str):
    """The chart as rich Text lines, none wider than `width`."""
    from rich.text import Text

    layout = fit_timeline(reg, chart, lang, width)
    out: list[Text] = [Text(line, style="bold") for line in wrap_lines(visible(f"{reg.plan.title} · {t('dash.timeline', lang)}"), width)]
    out += chart_lines(reg, chart, lang, layout) if layout.chart else record_lines(reg, chart, lang, layout, width)
    line = Text()
    for entry in legend_entries(chart, lang, as_of_text):
        size = sum(text_width(s) for s, _ in entry)
        if line.plain and text_width(line.plain) + 3 + size > width:
            out.append(line)
            line = Text()
        if line.plain:
            line.append("   ")
        for piece, style in entry:
            line.append(piece, style=style)
    out.append(line)
    if not layout.chart:
        notes = [t("caption.timeline_records", lang, width=width)]
    elif not layout.lead:
        notes = [t("caption.dropped_widen", lang, columns=[t("dash.lead", lang)], width=width)]
    else:
        notes = []
    for note in [*notes, visible(t("caption.source", lang, path=source))]:
        out += [Text(line) for line in wrap_lines(note, width)]
    return out


def chart_lines(reg: Registry, chart: Chart, lang: str, layout: TimelineLayout):
    from rich.text import Text

    def pad(text: str, cells: int) -> str:
        return text + " " * (cells - text_width(text))

    years, months = month_lines(chart, reg.plan.year)
    heads = [" " * (layout.seq - text_width(t("dash.seq", lang))) + t("dash.seq", lang), pad(t("dash.title", lang), layout.title)]
    if layout.lead:
        heads.append(pad(t("dash.lead", lang), layout.lead))
    before = GAP.join(heads) + GAP
    lines = []
    if years is not None:
        lines.append(Text(" " * text_width(before) + years.rstrip(), style="bold"))
    head = Text(before, style="bold")
    today_month = None if chart.today is None else chart.today // SLOT * SLOT
    for start in range(0, chart.cells, SLOT):
        head.append(months[start:start + SLOT], style="bold reverse" if start == today_month else "bold")
    lines += [head, Text("─" * (text_width(before) + chart.cells), style="dim")]
    indent = " " * (layout.seq + len(GAP))
    carried = mark_runs(tuple(TODAY if i == chart.today else EMPTY for i in range(chart.cells)))
    runs: dict[tuple[str, ...], list[tuple[str, str]]] = {}  # many items share a row's pattern
    for n, (label, group) in enumerate(chart.groups):
        if n:
            lines.append(Text(""))
        for part in wrap_lines(visible(f"{label} · {len(group)}"), layout.width + len(GAP) + chart.cells - len(indent)):
            lines.append(Text(indent + part, style="bold"))
        for row in group:
            titles = wrap_lines(visible(row.item.title), layout.title)
            leads = wrap_lines(visible(leads_text(reg, row)), layout.lead, "、") if layout.lead else []
            for k in range(max(len(titles), len(leads))):
                cells = [str(row.item.seq).rjust(layout.seq) if k == 0 else " " * layout.seq,
                         pad(titles[k] if k < len(titles) else "", layout.title)]
                if layout.lead:
                    cells.append(pad(leads[k] if k < len(leads) else "", layout.lead))
                line = Text(GAP.join(cells) + GAP)
                # The first line carries the chart; the others carry only the as-of line down.
                if k == 0:
                    key = tuple(row.cells)
                    pieces = runs.get(key) or runs.setdefault(key, mark_runs(key))
                else:
                    pieces = carried
                for piece, style in pieces:
                    line.append(piece, style=style)
                line.rstrip()
                lines.append(line)
    return lines


def record_lines(reg: Registry, chart: Chart, lang: str, layout: TimelineLayout, width: int):
    """Too narrow for the chart: under each title, its lead units and each milestone's date and light."""
    from rich.text import Text

    from workplan.present.wrap import line_offsets

    indent = layout.seq + len(GAP)
    names = [t("col.show.lead", lang), t("col.show.milestones", lang)]
    label = max(map(text_width, names))
    stacked = width - indent - label - len(GAP) < FIELD_LEAST  # field names above their values
    room = width - indent - (0 if stacked else label + len(GAP))

    def field(name: str, values: list[Text], after_only: str | None = None) -> list[Text]:
        lines = [Text(" " * indent + name, style="bold")] if stacked else []
        for k, value in enumerate(values):
            shown = name if k == 0 else ""
            head = "" if stacked else shown + " " * (label - text_width(shown)) + GAP
            for j, part in enumerate(value.divide(line_offsets(value.plain, room, after_only))):
                part.rstrip()
                lines.append(Text(" " * indent + (head if j == 0 else " " * text_width(head))) + part)
        return lines

    lines = [Text("─" * width, style="dim")]
    for n, (group_label, group) in enumerate(chart.groups):
        if n:
            lines.append(Text(""))
        lines += [Text(part, style="bold") for part in wrap_lines(visible(f"{group_label} · {len(group)}"), width)]
        for row in group:
            titles = wrap_lines(visible(row.item.title), width - indent)
            lines.append(Text(str(row.item.seq).rjust(layout.seq) + GAP + titles[0]))
            lines += [Text(" " * indent + part) for part in titles[1:]]
            lines += field(names[0], [Text(visible(leads_text(reg, row)))], "、")
            dues = []
            for m, light in zip(row.item.milestones, row.lights):
                due = Text(MARKS[light.value], style=MARK_STYLES[light.value])
                due.append(f" {m.effective_due.isoformat()} {t('dash.light_' + light.value, lang)}")
                dues.append(due)
            lines += field(names[1], dues or [Text(t("dash.light_none", lang))])
    return lines


def timeline_plain(reg: Registry, chart: Chart, lang: str, *, as_of_text: str, source: str) -> Iterator[str]:
    """Piped: one line per row, nothing cut or wrapped, no rules (as `list` does)."""
    from workplan.present.columns import Column
    from workplan.present.terminal import plain_table_lines

    years, months = month_lines(chart, reg.plan.year)
    rows: list[dict] = []
    for label, group in chart.groups:
        rows.append({"seq": "", "title": f"{label} · {len(group)}", "lead": "", "chart": ""})
        rows += [{"seq": str(row.item.seq), "title": row.item.title, "lead": leads_text(reg, row),
                  "chart": "".join(MARKS[mark] for mark in row.cells)} for row in group]
    columns = [Column("seq", t("dash.seq", "zh"), t("dash.seq", "en"), lambda r: r["seq"], numeric=True),
               Column("title", t("dash.title", "zh"), t("dash.title", "en"), lambda r: r["title"]),
               Column("lead", t("dash.lead", "zh"), t("dash.lead", "en"), lambda r: r["lead"]),
               Column("chart", months, months, lambda r: r["chart"])]
    lines = list(plain_table_lines(rows, columns, lang, title=f"{reg.plan.title} · {t('dash.timeline', lang)}"))
    del lines[2]  # the dashes under the header: the chart's months are its header
    if years is not None:
        # The month line is the header's last cell, so the chart starts where it does.
        start = text_width(lines[1]) - text_width(months.rstrip())
        lines.insert(1, " " * start + years.rstrip())
    yield from lines
    yield "   ".join("".join(piece for piece, _ in entry) for entry in legend_entries(chart, lang, as_of_text))
    yield visible(t("caption.source", lang, path=source))
