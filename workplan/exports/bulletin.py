"""The progress bulletin (《长三角市场监管工作动态》) and the status board as Markdown or HTML.

Input is the data from workplan.core.bulletin and workplan.core.board; output is text. The HTML page is self-contained
(inline CSS, no scripts, fonts or images from outside) because it is mailed around and opened
offline, and prints on A4. All registry text is escaped: it is data, never markup.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

from workplan.core.codes import Status
from workplan.core.board import LIGHT_ORDER, StatusBoard, board_lights
from workplan.core.bulletin import Bulletin, percent_text, period_kind
from workplan.core.labels import light_label, status_label as label, t as words
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
        "issue": "{year}年第{n}期",
        "summary": "一、总体情况",
        "completed": "二、本期完成",
        "unfinished": "三、本期应完成未完成",
        "due_next": "四、下期到期",
        "overdue": "五、逾期事项",
        "sections": "六、分领域进展",
        "notes": "七、本期进展情况",
        "none": "（无）",
        "seq": "序号", "item": "合作事项", "deadline": "时间节点", "due": "截止日期", "done_on": "完成日期",
        "lead": "牵头单位", "status": "状态", "days_late": "逾期天数", "section": "部分", "items": "事项",
        "milestones": "时间节点", "done": "已完成", "rate": "完成率", "red": "逾期", "yellow": "临期",
        "by": "报送单位", "evidence": "佐证材料", "date": "日期", "unit": "单位", "total": "合计",
        "timeliness": "完成情况", "on_time": "按期完成", "late_by": "逾期{days}天完成",
        "standing": "情况", "overdue_days": "已逾期{days}天", "days_to_go": "剩{days}天", "due_today": "今日到期",
        "line_items": "合作事项 {items} 项，时间节点 {milestones} 个，已完成时间节点 {done} 个（完成率 {percent}）。",
        "line_status": "事项状态：{parts}。",
        "line_lights": "红黄绿灯（截止日期前 {warn} 天内为黄灯）：{parts}。",
        "line_period": "本期完成时间节点 {completed} 个（其中逾期完成 {late} 个）；本期应完成未完成 {unfinished} 个；"
                       "下期（{next}）到期 {due_next} 个；逾期未完成 {overdue} 个；本期报送进展 {notes} 条。",
        "count_item": "{label} {n} 项",
        "board_title": "红黄绿灯 · 截至 {as_of}（{warn} 天内到期为黄灯）",
        "attention": "红灯、黄灯事项",
        "light": "灯号", "days_left": "剩余天数",
        "filtered": "（按筛选条件统计）",
        "for_unit": "{unit}牵头事项",
        "recipients": {"report_to": "报", "copy_to": "送", "send_to": "发"},
    },
    "en": {
        "title": "Yangtze River Delta Market Regulation Bulletin",
        "as_of": "As of",
        "issue": "{year}, No. {n}",
        "summary": "1. Summary",
        "completed": "2. Completed in the period",
        "unfinished": "3. Due in the period, not done",
        "due_next": "4. Due next period",
        "overdue": "5. Overdue",
        "sections": "6. Progress by section",
        "notes": "7. Progress reported in the period",
        "none": "(none)",
        "seq": "No.", "item": "Item", "deadline": "Deadline", "due": "Due", "done_on": "Done on",
        "lead": "Lead", "status": "Status", "days_late": "Days late", "section": "Section", "items": "Items",
        "milestones": "Milestones", "done": "Done", "rate": "Done %", "red": "Overdue", "yellow": "Due soon",
        "by": "Reported by", "evidence": "Evidence", "date": "Date", "unit": "Unit", "total": "Total",
        "timeliness": "On time?", "on_time": "on time", "late_by": "{days} days late",
        "standing": "Standing", "overdue_days": "{days} days overdue", "days_to_go": "{days} days to go",
        "due_today": "due today",
        "line_items": "{items} items with {milestones} milestones; {done} milestones done ({percent}).",
        "line_status": "Item status: {parts}.",
        "line_lights": "Lights (yellow = due within {warn} days): {parts}.",
        "line_period": "{completed} milestones completed this period ({late} late); {unfinished} due this period "
                       "and not done; {due_next} due next period ({next}); {overdue} overdue; "
                       "{notes} progress reports this period.",
        "count_item": "{label} {n}",
        "board_title": "Traffic lights as of {as_of} (yellow = due within {warn} days)",
        "attention": "Red and yellow items",
        "light": "Light", "days_left": "Days left",
        "filtered": "(filtered)",
        "for_unit": "Items led by {unit}",
        "recipients": {"report_to": "To", "copy_to": "Cc", "send_to": "Distribution"},
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


def cn_date(day: dt.date, *, year: bool = False) -> str:
    """A date as official Chinese text prints it: 9月5日 (2024年9月5日 with the year)."""
    return (f"{day.year}年" if year else "") + f"{day.month}月{day.day}日"


def issue_label(b: Bulletin, lang: str = "zh") -> str:
    return TEXT[lang]["issue"].format(year=b.start.year, n=b.issue) if b.issue else ""


# -- the document's frame: masthead, issuing office, recipients ---------------------------------------

@dataclass
class Masthead:
    """What frames the bulletin: from the project's workplan.toml, else derived from the plan."""

    title: str
    office: str
    recipients: list[tuple[str, str]]  # (报/送/发, names), only those with names
    fonts: Any = None                  # store.config.Fonts
    lines_per_page: int = 28


def masthead(reg, config=None, lang: str = "zh") -> Masthead:
    from workplan.store.config import ProjectConfig, names

    config = config or ProjectConfig()
    cfg = config.bulletin
    group = next((o for o in reg.organisations if o.members), None)
    default_send = "，".join((reg.org(m).full_name or m) for m in group.members) if group else ""
    words = TEXT[lang]["recipients"]
    given = cfg.recipients
    recipients = [(words["report_to"], names(given.report_to)), (words["copy_to"], names(given.copy_to)),
                  (words["send_to"], names(given.send_to) if given.send_to is not None else default_send)]
    title = cfg.masthead if lang == "zh" or "masthead" in cfg.model_fields_set else TEXT["en"]["title"]
    return Masthead(title=title, office=cfg.office or f"{reg.plan.issuer}办公室",
                    recipients=[(k, v) for k, v in recipients if v], fonts=config.fonts,
                    lines_per_page=cfg.lines_per_page)


# -- table contents shared by the formats -----------------------------------------------------------

def _milestone_text(row: MilestoneRow) -> str:
    n = len(row.item.milestones)
    text = row.milestone.text + (f"（{row.index + 1}/{n}）" if n > 1 else "")
    if row.milestone.adjusted_due is not None:  # the original deadline stays, marked 调整
        text += f"〔调整：原 {row.milestone.due.isoformat()}，调整为 {row.milestone.adjusted_due.isoformat()}〕"
    return text


def days_late(row: MilestoneRow) -> int:
    """How many days after its deadline a completed milestone was done (0 when on time)."""
    return max((row.milestone.done_on - row.due).days, 0) if row.milestone.done_on else 0


def timeliness(row: MilestoneRow, lang: str) -> str:
    t = TEXT[lang]
    late = days_late(row)
    return t["late_by"].format(days=late) if late else t["on_time"]


def standing(row: MilestoneRow, as_of: dt.date, lang: str) -> str:
    """An open milestone's position on the reporting day: 已逾期8天, 剩23天, 今日到期."""
    t = TEXT[lang]
    left = row.days_left(as_of)
    if left < 0:
        return t["overdue_days"].format(days=-left)
    return t["days_to_go"].format(days=left) if left else t["due_today"]


def leads_text(b: Bulletin, row: MilestoneRow, first: str = "") -> str:
    """The item's lead units, `first` (the unit it is listed under) in front."""
    leads = b.leads[row.item.id]
    return "、".join([first] + [u for u in leads if u != first] if first else leads)


def _tables(b: Bulletin, lang: str) -> dict[str, tuple[list[str], list[list[str]]]]:
    t = TEXT[lang]
    completed = ([t["seq"], t["item"], t["deadline"], t["done_on"], t["timeliness"], t["lead"]],
                 [[str(r.item.seq), r.item.title, _milestone_text(r), r.milestone.done_on.isoformat(),
                   timeliness(r, lang), leads_text(b, r)] for r in b.completed])
    unfinished = ([t["due"], t["seq"], t["item"], t["deadline"], t["lead"], t["status"], t["standing"]],
                  [[r.due.isoformat(), str(r.item.seq), r.item.title, _milestone_text(r), leads_text(b, r),
                    label(r.item.status, lang), standing(r, b.as_of, lang)] for r in b.unfinished])
    due_next = ([t["due"], t["seq"], t["item"], t["deadline"], t["lead"], t["status"]],
                [[r.due.isoformat(), str(r.item.seq), r.item.title, _milestone_text(r), leads_text(b, r),
                  label(r.item.status, lang)] for r in b.due_next])
    overdue = ([t["lead"], t["seq"], t["item"], t["due"], t["days_late"], t["status"]],
               [[leads_text(b, r, unit), str(r.item.seq), r.item.title, r.due.isoformat(),
                 str((b.as_of - r.due).days), label(r.item.status, lang)]
                for unit, rows in b.overdue_by_unit for r in rows])
    sections = ([t["section"], t["items"], t["milestones"], t["done"], t["rate"], t["red"], t["yellow"]],
                [[f"{s.label}{s.title}", str(s.items), str(s.milestones), str(s.done), s.percent,
                  str(s.overdue), str(s.due_soon)] for s in b.sections])
    return {"completed": completed, "unfinished": unfinished, "due_next": due_next, "overdue": overdue,
            "sections": sections}


def _summary_lines(b: Bulletin, lang: str) -> list[str]:
    t = TEXT[lang]
    sep = words("word.comma", lang)
    statuses = sep.join(t["count_item"].format(label=label(s, lang), n=n) for s, n in b.statuses.items() if n)
    lights = sep.join(t["count_item"].format(label=light_label(light, lang), n=b.lights[light])
                      for light in [*LIGHT_ORDER, Light.none] if b.lights[light])
    return [
        t["line_items"].format(items=b.items, milestones=b.milestones, done=b.milestones_done,
                               percent=percent_text(b.milestones_done, b.milestones)),
        t["line_status"].format(parts=statuses or "0"),
        t["line_lights"].format(warn=b.warn_days, parts=lights or "0"),
        t["line_period"].format(completed=len(b.completed), late=sum(1 for r in b.completed if days_late(r)),
                                unfinished=len(b.unfinished), next=period_label(b.next_start, b.next_end, lang),
                                due_next=len(b.due_next), overdue=len(b.overdue), notes=len(b.notes)),
    ]


def _note_parts(b: Bulletin, lang: str):
    """(heading, status label, text, evidence) of each progress note in the period."""
    t = TEXT[lang]
    for row in b.notes:
        e = row.entry
        milestone = f" · {t['deadline']} {e.milestone}" if e.milestone and len(row.item.milestones) > 1 else ""
        head = f"{e.date.isoformat()} · {row.item.seq}. {row.item.title}{milestone}"
        yield head, words("word.by_status", lang, by=e.by, status=label(e.status, lang)), e.text, e.evidence


def _headings(b: Bulletin, lang: str) -> list[tuple[str, str]]:
    t = TEXT[lang]
    return [("completed", t["completed"]), ("unfinished", t["unfinished"]),
            ("due_next", f"{t['due_next']}（{period_label(b.next_start, b.next_end, lang)}）"),
            ("overdue", t["overdue"]), ("sections", t["sections"])]


def _meta_line(b: Bulletin, lang: str) -> str:
    t = TEXT[lang]
    parts = [issue_label(b, lang), period_label(b.start, b.end, lang), f"{t['as_of']} {b.as_of.isoformat()}"]
    return " · ".join(p for p in parts if p)


def _scope_line(b: Bulletin, lang: str) -> str:
    t = TEXT[lang]
    if b.unit:
        return t["for_unit"].format(unit=b.unit) + (f" {t['filtered']}" if b.filtered else "")
    return t["filtered"] if b.filtered else ""


# -- Markdown ----------------------------------------------------------------------------------------

def bulletin_markdown(b: Bulletin, lang: str = "zh", head: Masthead | None = None) -> str:
    t = TEXT[lang]
    tables = _tables(b, lang)
    scope = _scope_line(b, lang)
    out = [f"# {md_escape(head.title) if head else t['title']}", "", f"**{_meta_line(b, lang)}**"
           + (f" · {md_escape(scope)}" if scope else ""), ""]
    if head:
        out += [f"{md_escape(head.office)}　{cn_date(b.as_of, year=True) if lang == 'zh' else b.as_of.isoformat()}", ""]
    out += [f"{md_escape(b.plan_title)}（{md_escape(b.doc_number)}）", "", f"## {t['summary']}", ""]
    out += [f"- {line}" for line in _summary_lines(b, lang)] + [""]
    for key, heading in _headings(b, lang):
        headers, rows = tables[key]
        out += [f"## {heading}", "", md_table(headers, rows) if rows else t["none"], ""]
    out += [f"## {t['notes']}", ""]
    notes = list(_note_parts(b, lang))
    if not notes:
        out += [t["none"], ""]
    for head_text, who, text, evidence in notes:
        line = f"- **{md_escape(head_text)}**（{md_escape(who)}）：{md_escape(text)}"
        if evidence:
            line += f"（{t['evidence']}：{md_escape(evidence)}）"
        out.append(line)
    if notes:
        out.append("")
    if head and head.recipients:
        out += ["---", ""] + [f"{k}：{md_escape(v)}  " for k, v in head.recipients] + [""]
    return "\n".join(out)


# -- HTML --------------------------------------------------------------------------------------------

# Print rules: Chromium's print-to-PDF gives the pages these describe. The page's own margin boxes
# (empty ones, and the page number) take the place of the browser's header and footer, so no file
# path, title or date is printed; headings keep with what follows them; a table row, a date or a
# short cell never breaks inside.
_CSS = """
@page { size: A4; margin: 25mm 24mm 22mm 26mm;
        @top-left { content: "" } @top-center { content: "" } @top-right { content: "" }
        @bottom-left { content: "" } @bottom-right { content: "" }
        @bottom-center { content: "— " counter(page) " —"; font-size: 12pt; } }
body { font-family: "FangSong", "仿宋", "Noto Serif CJK SC", "Source Han Serif SC", SimSun, "Songti SC", serif;
       font-size: 12pt; line-height: 1.6; color: #111; max-width: 190mm; margin: 0 auto; padding: 8mm 0; }
header { border-bottom: 2px solid #c00; margin-bottom: 6mm; text-align: center; }
h1 { color: #c00; font-family: "方正小标宋简体", "STZhongsong", "SimHei", "Noto Serif CJK SC", serif;
     font-size: 28pt; letter-spacing: 0.1em; margin: 0 0 2mm; font-weight: normal; }
.meta { margin: 0 0 2mm; }
.office { display: flex; justify-content: space-between; margin: 2mm 0 1mm; }
h2 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; font-size: 13pt;
     font-weight: normal; margin: 6mm 0 2mm; break-after: avoid; page-break-after: avoid; }
h2 + p.none { break-before: avoid; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; page-break-inside: auto; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #888; padding: 1.2mm 1.6mm; vertical-align: top; text-align: left; }
th { background: #eee; white-space: nowrap; font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif;
     font-weight: normal; }
td.n, td.d, td.s { white-space: nowrap; }
td.n { text-align: right; }
ul.notes { padding-left: 5mm; }
ul.notes li { margin-bottom: 1.5mm; break-inside: avoid; }
.none { color: #555; }
footer.recipients { margin-top: 10mm; border-top: 1px solid #111; border-bottom: 1px solid #111;
                    padding: 1mm 0; break-inside: avoid; }
footer.recipients p { margin: 0.5mm 0; }
"""


def _h(text: str) -> str:
    return html.escape(visible_lines(text), quote=True).replace("\n", "<br>")


def html_table(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset(),
               nowrap: set[int] = frozenset()) -> str:
    out = ["<table>", "<thead><tr>" + "".join(f"<th>{_h(h)}</th>" for h in headers) + "</tr></thead>", "<tbody>"]
    for row in rows:
        cells = "".join(f'<td class="n">{_h(c)}</td>' if i in numeric else f'<td class="s">{_h(c)}</td>' if i in nowrap
                        else f"<td>{_h(c)}</td>" for i, c in enumerate(row))
        out.append(f"<tr>{cells}</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _page(title: str, body: list[str], lang: str) -> str:
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{words("word.html_lang", lang)}">',
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


# Per table: the numeric columns (right-aligned) and the short ones (dates, numbers, status) that never wrap.
_NUMERIC = {"completed": set(), "unfinished": set(), "due_next": set(), "overdue": {4}, "sections": {1, 2, 3, 4, 5, 6}}
_NOWRAP = {"completed": {0, 3, 4}, "unfinished": {0, 1, 5, 6}, "due_next": {0, 1, 5}, "overdue": {1, 3, 5},
           "sections": set()}


def bulletin_html(b: Bulletin, lang: str = "zh", head: Masthead | None = None) -> str:
    t = TEXT[lang]
    tables = _tables(b, lang)
    scope = _scope_line(b, lang)
    title = head.title if head else t["title"]
    body = ["<header>", f"<h1>{_h(title)}</h1>",
            f'<p class="meta"><strong>{_h(_meta_line(b, lang))}</strong>' + (f" · {_h(scope)}" if scope else "") + "</p>"]
    if head:
        day = cn_date(b.as_of, year=True) if lang == "zh" else b.as_of.isoformat()
        body.append(f'<p class="office"><span>{_h(head.office)}</span><span>{_h(day)}</span></p>')
    body += [f'<p class="meta">{_h(b.plan_title)}（{_h(b.doc_number)}）</p>', "</header>",
             f"<h2>{_h(t['summary'])}</h2>", "<ul>"]
    body += [f"<li>{_h(line)}</li>" for line in _summary_lines(b, lang)] + ["</ul>"]
    for key, heading in _headings(b, lang):
        headers, rows = tables[key]
        body.append(f"<h2>{_h(heading)}</h2>")
        body.append(html_table(headers, rows, _NUMERIC[key], _NOWRAP[key]) if rows
                    else f'<p class="none">{_h(t["none"])}</p>')
    body.append(f"<h2>{_h(t['notes'])}</h2>")
    notes = list(_note_parts(b, lang))
    if not notes:
        body.append(f'<p class="none">{_h(t["none"])}</p>')
    else:
        body.append('<ul class="notes">')
        for head_text, who, text, evidence in notes:
            extra = f"（{_h(t['evidence'])}：{_h(evidence)}）" if evidence else ""
            body.append(f"<li><strong>{_h(head_text)}</strong>（{_h(who)}）：{_h(text)}{extra}</li>")
        body.append("</ul>")
    if head and head.recipients:
        body.append('<footer class="recipients">')
        body += [f"<p>{_h(k)}：{_h(v)}</p>" for k, v in head.recipients]
        body.append("</footer>")
    return _page(f"{title} · {period_label(b.start, b.end, lang)}", body, lang)


# -- the status board --------------------------------------------------------------------------------

def board_records(board: StatusBoard) -> list[dict]:
    """One row per lead unit (the JSON/CSV shape of `workplan status`)."""
    return [{"unit": row.unit, **{light.value: row.counts[light] for light in board_lights(board)}, "total": row.total}
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


def board_headers(lang: str, board: StatusBoard) -> list[str]:
    t = TEXT[lang]
    return [t["unit"], *(light_label(light, lang) for light in board_lights(board)), t["total"]]


def board_rows(board: StatusBoard) -> list[list[str]]:
    lights = board_lights(board)
    return [[r["unit"], *(str(r[light.value]) for light in lights), str(r["total"])] for r in board_records(board)]


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
           md_table(board_headers(lang, board), board_rows(board)) if board.rows else t["none"], "",
           f"## {t['attention']}", "",
           md_table(attention_headers(lang), attention_rows(records, lang)) if records else t["none"], ""]
    return "\n".join(out)
