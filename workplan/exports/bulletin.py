"""The progress bulletin (《长三角市场监管工作动态》) and the status board as Markdown or HTML.

Input is the data from workplan.core.bulletin and workplan.core.board; output is text. The HTML page is self-contained
(inline CSS, no scripts, fonts or images from outside) because it is mailed around and opened
offline, and prints on A4. All registry text is escaped: it is data, never markup.
"""

from __future__ import annotations

import datetime as dt
import html

from workplan.core.codes import Status
from workplan.core.board import LIGHT_ORDER, StatusBoard
from workplan.core.bulletin import Bulletin, period_kind
from workplan.core.labels import light_label, status_label as label
from workplan.core.query import MilestoneRow
from workplan.present.formats import md_escape, md_table
from workplan.core.codes import Light
from workplan.present.text import visible_lines

_CN_QUARTERS = "一二三四"
_EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]

TEXT = {
    "zh": {
        "title": "长三角市场监管工作动态",
        "as_of": "统计截至",
        "summary": "一、总体情况",
        "completed": "二、本期完成",
        "due_next": "三、下期到期",
        "overdue": "四、逾期事项",
        "sections": "五、分领域进展",
        "notes": "六、本期进展情况",
        "none": "（无）",
        "seq": "序号", "item": "合作事项", "deadline": "时间节点", "due": "截止日期", "done_on": "完成日期",
        "lead": "牵头单位", "status": "状态", "days_late": "逾期天数", "section": "部分", "items": "事项",
        "milestones": "时间节点", "done": "已完成", "rate": "完成率", "red": "逾期", "yellow": "临期",
        "by": "报送单位", "evidence": "佐证材料", "date": "日期", "unit": "单位", "total": "合计",
        "line_items": "合作事项 {items} 项，时间节点 {milestones} 个，已完成时间节点 {done} 个（{percent}%）。",
        "line_status": "事项状态：{parts}。",
        "line_lights": "红黄绿灯（截止日期前 {warn} 天内为黄灯）：{parts}。",
        "line_period": "本期完成时间节点 {completed} 个；下期（{next}）到期 {due_next} 个；逾期未完成 {overdue} 个；本期报送进展 {notes} 条。",
        "count_item": "{label} {n} 项",
        "board_title": "红黄绿灯 · 截至 {as_of}（{warn} 天内到期为黄灯）",
        "attention": "红灯、黄灯事项",
        "light": "灯号", "days_left": "剩余天数",
        "filtered": "（按筛选条件统计）",
    },
    "en": {
        "title": "Yangtze River Delta Market Regulation Bulletin",
        "as_of": "As of",
        "summary": "1. Summary",
        "completed": "2. Completed in the period",
        "due_next": "3. Due next period",
        "overdue": "4. Overdue",
        "sections": "5. Progress by section",
        "notes": "6. Progress reported in the period",
        "none": "(none)",
        "seq": "No.", "item": "Item", "deadline": "Deadline", "due": "Due", "done_on": "Done on",
        "lead": "Lead", "status": "Status", "days_late": "Days late", "section": "Section", "items": "Items",
        "milestones": "Milestones", "done": "Done", "rate": "Done %", "red": "Overdue", "yellow": "Due soon",
        "by": "Reported by", "evidence": "Evidence", "date": "Date", "unit": "Unit", "total": "Total",
        "line_items": "{items} items with {milestones} milestones; {done} milestones done ({percent}%).",
        "line_status": "Item status: {parts}.",
        "line_lights": "Lights (yellow = due within {warn} days): {parts}.",
        "line_period": "{completed} milestones completed this period; {due_next} due next period ({next}); {overdue} overdue; {notes} progress reports this period.",
        "count_item": "{label} {n}",
        "board_title": "Traffic lights as of {as_of} (yellow = due within {warn} days)",
        "attention": "Red and yellow items",
        "light": "Light", "days_left": "Days left",
        "filtered": "(filtered)",
    },
}


def period_label(start: dt.date, end: dt.date, lang: str = "zh") -> str:
    kind = period_kind(start, end)
    if lang == "en":
        if kind == "month":
            return f"{_EN_MONTHS[start.month - 1]} {start.year}"
        if kind == "quarter":
            return f"Q{(start.month - 1) // 3 + 1} {start.year}"
        if kind == "year":
            return str(start.year)
        return f"{start} – {end}"
    if kind == "month":
        return f"{start.year}年{start.month}月"
    if kind == "quarter":
        return f"{start.year}年第{_CN_QUARTERS[(start.month - 1) // 3]}季度"
    if kind == "year":
        return f"{start.year}年"
    return f"{start} 至 {end}"


# -- table contents shared by both formats ----------------------------------------------------------

def _milestone_text(row: MilestoneRow) -> str:
    n = len(row.item.milestones)
    return row.milestone.text + (f"（{row.index + 1}/{n}）" if n > 1 else "")


def _tables(b: Bulletin, lang: str) -> dict[str, tuple[list[str], list[list[str]]]]:
    t = TEXT[lang]
    leads = lambda row: "、".join(b.leads[row.item.id])  # noqa: E731
    completed = ([t["seq"], t["item"], t["deadline"], t["done_on"], t["lead"]],
                 [[str(r.item.seq), r.item.title, _milestone_text(r), r.milestone.done_on.isoformat(), leads(r)]
                  for r in b.completed])
    due_next = ([t["due"], t["seq"], t["item"], t["deadline"], t["lead"], t["status"]],
                [[r.due.isoformat(), str(r.item.seq), r.item.title, _milestone_text(r), leads(r), label(r.item.status, lang)]
                 for r in b.due_next])
    overdue = ([t["lead"], t["seq"], t["item"], t["due"], t["days_late"], t["status"]],
               [[unit, str(r.item.seq), r.item.title, r.due.isoformat(), str((b.as_of - r.due).days), label(r.item.status, lang)]
                for unit, rows in b.overdue_by_unit for r in rows])
    sections = ([t["section"], t["items"], t["milestones"], t["done"], t["rate"], t["red"], t["yellow"]],
                [[f"{s.label}{s.title}", str(s.items), str(s.milestones), str(s.done), f"{s.percent}%",
                  str(s.overdue), str(s.due_soon)] for s in b.sections])
    return {"completed": completed, "due_next": due_next, "overdue": overdue, "sections": sections}


def _summary_lines(b: Bulletin, lang: str) -> list[str]:
    t = TEXT[lang]
    sep = "，" if lang == "zh" else ", "
    percent = round(100 * b.milestones_done / b.milestones) if b.milestones else 0
    statuses = sep.join(t["count_item"].format(label=label(s, lang), n=n) for s, n in b.statuses.items() if n)
    lights = sep.join(t["count_item"].format(label=light_label(light, lang), n=b.lights[light])
                      for light in LIGHT_ORDER if b.lights[light])
    return [
        t["line_items"].format(items=b.items, milestones=b.milestones, done=b.milestones_done, percent=percent),
        t["line_status"].format(parts=statuses or "0"),
        t["line_lights"].format(warn=b.warn_days, parts=lights or "0"),
        t["line_period"].format(completed=len(b.completed), next=period_label(b.next_start, b.next_end, lang),
                                due_next=len(b.due_next), overdue=len(b.overdue), notes=len(b.notes)),
    ]


def _note_parts(b: Bulletin, lang: str):
    """(heading, status label, text, evidence) of each progress note in the period."""
    t = TEXT[lang]
    for row in b.notes:
        e = row.entry
        milestone = f" · {t['deadline']} {e.milestone}" if e.milestone and len(row.item.milestones) > 1 else ""
        head = f"{e.date.isoformat()} · {row.item.seq}. {row.item.title}{milestone}"
        yield head, f"{e.by}，{label(e.status, lang)}" if lang == "zh" else f"{e.by}, {label(e.status, lang)}", e.text, e.evidence


# -- Markdown ----------------------------------------------------------------------------------------

def bulletin_markdown(b: Bulletin, lang: str = "zh") -> str:
    t = TEXT[lang]
    tables = _tables(b, lang)
    out = [f"# {t['title']}", "",
           f"**{period_label(b.start, b.end, lang)}** · {t['as_of']} {b.as_of.isoformat()}"
           + (f" {t['filtered']}" if b.filtered else ""), "",
           f"{md_escape(b.plan_title)}（{md_escape(b.doc_number)}）", "",
           f"## {t['summary']}", ""]
    out += [f"- {line}" for line in _summary_lines(b, lang)] + [""]
    for key, heading in (("completed", t["completed"]),
                         ("due_next", f"{t['due_next']}（{period_label(b.next_start, b.next_end, lang)}）"),
                         ("overdue", t["overdue"]), ("sections", t["sections"])):
        headers, rows = tables[key]
        out += [f"## {heading}", "", md_table(headers, rows) if rows else t["none"], ""]
    out += [f"## {t['notes']}", ""]
    notes = list(_note_parts(b, lang))
    if not notes:
        out += [t["none"], ""]
    for head, who, text, evidence in notes:
        line = f"- **{md_escape(head)}**（{md_escape(who)}）：{md_escape(text)}"
        if evidence:
            line += f"（{t['evidence']}：{md_escape(evidence)}）"
        out.append(line)
    if notes:
        out.append("")
    return "\n".join(out)


# -- HTML --------------------------------------------------------------------------------------------

_CSS = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", SimSun, "Songti SC", serif;
       font-size: 11pt; line-height: 1.55; color: #111; max-width: 190mm; margin: 0 auto; padding: 8mm 0; }
header { border-bottom: 3px solid #c00; margin-bottom: 6mm; text-align: center; }
h1 { color: #c00; font-size: 22pt; letter-spacing: 0.2em; margin: 0 0 2mm; }
.meta { margin: 0 0 3mm; }
h2 { font-family: "Noto Sans CJK SC", "Source Han Sans SC", SimHei, sans-serif; font-size: 13pt;
     margin: 6mm 0 2mm; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; page-break-inside: auto; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
th, td { border: 1px solid #888; padding: 1.2mm 1.6mm; vertical-align: top; text-align: left; }
th { background: #eee; }
td.n { text-align: right; white-space: nowrap; }
ul.notes { padding-left: 5mm; }
ul.notes li { margin-bottom: 1.5mm; }
.none { color: #555; }
.red { color: #b00; font-weight: bold; }
.yellow { color: #a60; font-weight: bold; }
.green { color: #070; }
"""


def _h(text: str) -> str:
    return html.escape(visible_lines(text), quote=True).replace("\n", "<br>")


def html_table(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    out = ["<table>", "<thead><tr>" + "".join(f"<th>{_h(h)}</th>" for h in headers) + "</tr></thead>", "<tbody>"]
    for row in rows:
        cells = "".join(f'<td class="n">{_h(c)}</td>' if i in numeric else f"<td>{_h(c)}</td>" for i, c in enumerate(row))
        out.append(f"<tr>{cells}</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _page(title: str, body: list[str], lang: str) -> str:
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        *body,
        "</body>",
        "</html>",
        "",
    ])


_NUMERIC = {"completed": set(), "due_next": set(), "overdue": {4}, "sections": {1, 2, 3, 4, 5, 6}}


def bulletin_html(b: Bulletin, lang: str = "zh") -> str:
    t = TEXT[lang]
    tables = _tables(b, lang)
    period = period_label(b.start, b.end, lang)
    body = ["<header>", f"<h1>{_h(t['title'])}</h1>",
            f'<p class="meta"><strong>{_h(period)}</strong> · {_h(t["as_of"])} {b.as_of.isoformat()}'
            + (f" {_h(t['filtered'])}" if b.filtered else "") + "</p>",
            f'<p class="meta">{_h(b.plan_title)}（{_h(b.doc_number)}）</p>', "</header>",
            f"<h2>{_h(t['summary'])}</h2>", "<ul>"]
    body += [f"<li>{_h(line)}</li>" for line in _summary_lines(b, lang)] + ["</ul>"]
    for key, heading in (("completed", t["completed"]),
                         ("due_next", f"{t['due_next']}（{period_label(b.next_start, b.next_end, lang)}）"),
                         ("overdue", t["overdue"]), ("sections", t["sections"])):
        headers, rows = tables[key]
        body.append(f"<h2>{_h(heading)}</h2>")
        body.append(html_table(headers, rows, _NUMERIC[key]) if rows else f'<p class="none">{_h(t["none"])}</p>')
    body.append(f"<h2>{_h(t['notes'])}</h2>")
    notes = list(_note_parts(b, lang))
    if not notes:
        body.append(f'<p class="none">{_h(t["none"])}</p>')
    else:
        body.append('<ul class="notes">')
        for head, who, text, evidence in notes:
            extra = f"（{_h(t['evidence'])}：{_h(evidence)}）" if evidence else ""
            body.append(f"<li><strong>{_h(head)}</strong>（{_h(who)}）：{_h(text)}{extra}</li>")
        body.append("</ul>")
    return _page(f"{t['title']} · {period}", body, lang)


# -- the status board --------------------------------------------------------------------------------

def board_records(board: StatusBoard) -> list[dict]:
    """One row per lead unit (the JSON/CSV shape of `workplan status`)."""
    return [{"unit": row.unit, **{light.value: row.counts[light] for light in LIGHT_ORDER}, "total": row.total}
            for row in board.rows]


def attention_records(reg, board: StatusBoard) -> list[dict]:
    """The red and yellow items, worst first, with the milestone that sets the light."""
    return [{
        "light": light.value,
        "id": item.id,
        "seq": item.seq,
        "title": item.title,
        "leads": reg.item_lead_names(item),
        "due": row.due.isoformat(),
        "text": row.milestone.text,
        "milestone": row.index + 1,
        "days_left": row.days_left(board.as_of),
        "status": item.status.value,
    } for item, light, row in board.attention]


def board_headers(lang: str) -> list[str]:
    t = TEXT[lang]
    return [t["unit"], *(light_label(light, lang) for light in LIGHT_ORDER), t["total"]]


def board_rows(board: StatusBoard) -> list[list[str]]:
    return [[r["unit"], *(str(r[light.value]) for light in LIGHT_ORDER), str(r["total"])] for r in board_records(board)]


def attention_headers(lang: str) -> list[str]:
    t = TEXT[lang]
    return [t["light"], t["seq"], t["item"], t["lead"], t["due"], t["days_left"], t["status"]]


def attention_rows(records: list[dict], lang: str) -> list[list[str]]:
    return [[light_label(Light(r["light"]), lang), str(r["seq"]), r["title"], "、".join(r["leads"]), r["due"],
             str(r["days_left"]), label(Status(r["status"]), lang)] for r in records]


def board_markdown(reg, board: StatusBoard, lang: str = "zh") -> str:
    t = TEXT[lang]
    records = attention_records(reg, board)
    out = [f"## {t['board_title'].format(as_of=board.as_of.isoformat(), warn=board.warn_days)}", "",
           md_table(board_headers(lang), board_rows(board)) if board.rows else t["none"], "",
           f"## {t['attention']}", "",
           md_table(attention_headers(lang), attention_rows(records, lang)) if records else t["none"], ""]
    return "\n".join(out)
