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

from workplan.core.board import LIGHT_ORDER, StatusBoard, board_lights
from workplan.core.bulletin import Bulletin, percent_text, period_kind
from workplan.core.codes import Light, Status
from workplan.core.labels import light_label, status_label as label, t
from workplan.core.query import MilestoneRow
from workplan.present.columns import lateness_words
from workplan.present.formats import md_escape, md_table
from workplan.present.text import visible_lines


_QUARTERS = ("bulletin.q1", "bulletin.q2", "bulletin.q3", "bulletin.q4")


def period_label(start: dt.date, end: dt.date, lang: str = "zh") -> str:
    kind = period_kind(start, end)
    if kind == "month":
        return t("bulletin.month", lang, year=start.year, month=start.month)
    if kind == "quarter":
        return t(_QUARTERS[(start.month - 1) // 3], lang, year=start.year)
    if kind == "year":
        return t("bulletin.year", lang, year=start.year)
    return t("bulletin.span", lang, start=start.isoformat(), end=end.isoformat())


def cn_date(day: dt.date, lang: str = "zh", *, year: bool = False) -> str:
    """A date as official Chinese text prints it: 9月5日 (2024年9月5日 with the year)."""
    if year:
        return t("bulletin.full_day", lang, year=day.year, month=day.month, day=day.day)
    return t("bulletin.day", lang, month=day.month, day=day.day)


def issue_label(b: Bulletin, lang: str = "zh") -> str:
    return t("bulletin.issue", lang, year=b.start.year, n=b.issue) if b.issue else ""


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
    sep = t("word.comma", lang)
    default_send = sep.join((reg.org(m).full_name or m) for m in group.members) if group else ""
    given = cfg.recipients
    recipients = [(t("bulletin.report_to", lang), names(given.report_to, sep)),
                  (t("bulletin.copy_to", lang), names(given.copy_to, sep)),
                  (t("bulletin.send_to", lang), names(given.send_to, sep) if given.send_to is not None else default_send)]
    # An office's own masthead is kept in every language; the default one is said in the reader's.
    title = cfg.masthead if "masthead" in cfg.model_fields_set else t("bulletin.title", lang)
    return Masthead(title=title, office=cfg.office or t("bulletin.office", lang, issuer=reg.plan.issuer),
                    recipients=[(k, v) for k, v in recipients if v], fonts=config.fonts,
                    lines_per_page=cfg.lines_per_page)


# -- table contents shared by the formats -----------------------------------------------------------

def _milestone_text(row: MilestoneRow, lang: str) -> str:
    n = len(row.item.milestones)
    text = row.milestone.text + (t("bulletin.milestone_of", lang, n=row.index + 1, count=n) if n > 1 else "")
    return text + adjusted_mark(row, lang, lambda day: day.isoformat())


def adjusted_mark(row: MilestoneRow, lang: str, day) -> str:
    """〔调整：原 …，调整为 …〕 after a milestone with an approved new date (the original stays visible);
    `day` writes a date."""
    m = row.milestone
    return t("bulletin.adjusted", lang, due=day(m.due), adjusted=day(m.adjusted_due)) if m.adjusted_due else ""


def deadline_text(row: MilestoneRow, lang: str) -> str:
    """The milestone as the bulletin's prose names it: its printed deadline, and any approved new date."""
    return row.milestone.text + adjusted_mark(row, lang, lambda day: cn_date(day, lang))


def days_late(row: MilestoneRow) -> int:
    """How many days after its deadline a completed milestone was done (0 when on time)."""
    return max((row.milestone.done_on - row.due).days, 0) if row.milestone.done_on else 0


def timeliness(row: MilestoneRow, lang: str) -> str:
    late = days_late(row)
    return t("bulletin.late_by", lang, days=late) if late else t("bulletin.on_time", lang)


def standing(row: MilestoneRow, as_of: dt.date, lang: str) -> str:
    """An open milestone's position on the reporting day, in the words of the tables."""
    return lateness_words(str(row.days_left(as_of)), lang)


def leads_text(b: Bulletin, row: MilestoneRow, first: str = "") -> str:
    """The item's lead units, `first` (the unit it is listed under) in front."""
    leads = b.leads[row.item.id]
    return "、".join([first] + [u for u in leads if u != first] if first else leads)


def column_headers(lang: str, *keys: str) -> list[str]:
    """Table headers: the catalogue's bulletin.col.KEY words."""
    return [t(f"bulletin.col.{key}", lang) for key in keys]


def _tables(b: Bulletin, lang: str) -> dict[str, tuple[list[str], list[list[str]]]]:
    completed = (column_headers(lang, "seq", "item", "deadline", "done_on", "timeliness", "lead"),
                 [[str(r.item.seq), r.item.title, _milestone_text(r, lang), r.milestone.done_on.isoformat(),
                   timeliness(r, lang), leads_text(b, r)] for r in b.completed])
    unfinished = (column_headers(lang, "due", "seq", "item", "deadline", "lead", "status", "standing"),
                  [[r.due.isoformat(), str(r.item.seq), r.item.title, _milestone_text(r, lang), leads_text(b, r),
                    label(r.item.status, lang), standing(r, b.as_of, lang)] for r in b.unfinished])
    due_next = (column_headers(lang, "due", "seq", "item", "deadline", "lead", "status"),
                [[r.due.isoformat(), str(r.item.seq), r.item.title, _milestone_text(r, lang), leads_text(b, r),
                  label(r.item.status, lang)] for r in b.due_next])
    overdue = (column_headers(lang, "lead", "seq", "item", "due", "standing", "status"),
               [[leads_text(b, r, unit), str(r.item.seq), r.item.title, r.due.isoformat(),
                 standing(r, b.as_of, lang), label(r.item.status, lang)]
                for unit, rows in b.overdue_by_unit for r in rows])
    sections = (column_headers(lang, "section", "items", "milestones", "done", "rate", "red", "yellow"),
                [[f"{s.label}{s.title}", str(s.items), str(s.milestones), str(s.done), s.percent,
                  str(s.overdue), str(s.due_soon)] for s in b.sections])
    return {"completed": completed, "unfinished": unfinished, "due_next": due_next, "overdue": overdue,
            "sections": sections}


def _summary_lines(b: Bulletin, lang: str) -> list[str]:
    sep = t("word.comma", lang)
    statuses = sep.join(t("bulletin.count_item", lang, label=label(s, lang), n=n) for s, n in b.statuses.items() if n)
    lights = sep.join(t("bulletin.count_item", lang, label=light_label(light, lang), n=b.lights[light])
                      for light in [*LIGHT_ORDER, Light.none] if b.lights[light])
    return [
        t("bulletin.line_items", lang, items=b.items, milestones=b.milestones, done=b.milestones_done,
                               percent=percent_text(b.milestones_done, b.milestones)),
        t("bulletin.line_status", lang, parts=statuses or "0"),
        t("bulletin.line_lights", lang, warn=b.warn_days, parts=lights or "0"),
        t("bulletin.line_period", lang, completed=len(b.completed), late=sum(1 for r in b.completed if days_late(r)),
                                unfinished=len(b.unfinished), next=period_label(b.next_start, b.next_end, lang),
                                due_next=len(b.due_next), overdue=len(b.overdue), notes=len(b.notes)),
    ]


def _note_parts(b: Bulletin, lang: str):
    """(heading, status label, text, evidence) of each progress note in the period."""
    for row in b.notes:
        e = row.entry
        milestone = (t("bulletin.note_milestone", lang, n=e.milestone)
                     if e.milestone and len(row.item.milestones) > 1 else "")
        head = f"{e.date.isoformat()} · {row.item.seq}. {row.item.title}{milestone}"
        yield head, t("word.by_status", lang, by=e.by, status=label(e.status, lang)), e.text, e.evidence


def _headings(b: Bulletin, lang: str) -> list[tuple[str, str]]:
    return [("completed", t("bulletin.completed", lang)), ("unfinished", t("bulletin.unfinished", lang)),
            ("due_next", t("bulletin.due_next", lang, period=period_label(b.next_start, b.next_end, lang))),
            ("overdue", t("bulletin.overdue", lang)), ("sections", t("bulletin.sections", lang))]


def _meta_line(b: Bulletin, lang: str) -> str:
    parts = [issue_label(b, lang), period_label(b.start, b.end, lang), t("bulletin.as_of", lang, date=b.as_of.isoformat())]
    return " · ".join(p for p in parts if p)


def _scope_line(b: Bulletin, lang: str) -> str:
    if b.unit:
        return t("bulletin.for_unit", lang, unit=b.unit) + (" " + t("bulletin.filtered", lang) if b.filtered else "")
    return t("bulletin.filtered", lang) if b.filtered else ""


# -- Markdown ----------------------------------------------------------------------------------------

def bulletin_markdown(b: Bulletin, lang: str = "zh", head: Masthead | None = None) -> str:
    tables = _tables(b, lang)
    scope = _scope_line(b, lang)
    out = [f"# {md_escape(head.title) if head else t('bulletin.title', lang)}", "", f"**{_meta_line(b, lang)}**"
           + (f" · {md_escape(scope)}" if scope else ""), ""]
    if head:
        out += [t("bulletin.office_line", lang, office=md_escape(head.office), date=cn_date(b.as_of, lang, year=True)), ""]
    out += [t("bulletin.plan_line", lang, title=md_escape(b.plan_title), doc_number=md_escape(b.doc_number)), "",
            f"## {t('bulletin.summary', lang)}", ""]
    out += [f"- {line}" for line in _summary_lines(b, lang)] + [""]
    for key, heading in _headings(b, lang):
        headers, rows = tables[key]
        out += [f"## {heading}", "", md_table(headers, rows) if rows else t("bulletin.none", lang), ""]
    out += [f"## {t('bulletin.notes', lang)}", ""]
    notes = list(_note_parts(b, lang))
    if not notes:
        out += [t("bulletin.none", lang), ""]
    for head_text, who, text, evidence in notes:
        line = f"- **{md_escape(head_text)}**{t('bulletin.reporter', lang, who=md_escape(who))}{md_escape(text)}"
        if evidence:
            line += t("bulletin.evidence", lang, evidence=md_escape(evidence))
        out.append(line)
    if notes:
        out.append("")
    if head and head.recipients:
        out += ["---", ""] + [t("bulletin.recipient", lang, key=k, names=md_escape(v)) + "  " for k, v in head.recipients] + [""]
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
        f'<html lang="{t("word.html_lang", lang)}">',
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
    tables = _tables(b, lang)
    scope = _scope_line(b, lang)
    title = head.title if head else t("bulletin.title", lang)
    body = ["<header>", f"<h1>{_h(title)}</h1>",
            f'<p class="meta"><strong>{_h(_meta_line(b, lang))}</strong>' + (f" · {_h(scope)}" if scope else "") + "</p>"]
    if head:
        day = cn_date(b.as_of, lang, year=True)
        body.append(f'<p class="office"><span>{_h(head.office)}</span><span>{_h(day)}</span></p>')
    body += [f'<p class="meta">{_h(t("bulletin.plan_line", lang, title=b.plan_title, doc_number=b.doc_number))}</p>',
             "</header>",
             f"<h2>{_h(t('bulletin.summary', lang))}</h2>", "<ul>"]
    body += [f"<li>{_h(line)}</li>" for line in _summary_lines(b, lang)] + ["</ul>"]
    for key, heading in _headings(b, lang):
        headers, rows = tables[key]
        body.append(f"<h2>{_h(heading)}</h2>")
        body.append(html_table(headers, rows, _NUMERIC[key], _NOWRAP[key]) if rows
                    else f'<p class="none">{_h(t("bulletin.none", lang))}</p>')
    body.append(f"<h2>{_h(t('bulletin.notes', lang))}</h2>")
    notes = list(_note_parts(b, lang))
    if not notes:
        body.append(f'<p class="none">{_h(t("bulletin.none", lang))}</p>')
    else:
        body.append('<ul class="notes">')
        for head_text, who, text, evidence in notes:
            extra = _h(t("bulletin.evidence", lang, evidence=evidence)) if evidence else ""
            body.append(f"<li><strong>{_h(head_text)}</strong>{_h(t('bulletin.reporter', lang, who=who))}{_h(text)}{extra}</li>")
        body.append("</ul>")
    if head and head.recipients:
        body.append('<footer class="recipients">')
        body += [f"<p>{_h(t('bulletin.recipient', lang, key=k, names=v))}</p>" for k, v in head.recipients]
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
    return [t("bulletin.col.unit", lang), *(light_label(light, lang) for light in board_lights(board)),
            t("bulletin.col.total", lang)]


def board_rows(board: StatusBoard) -> list[list[str]]:
    lights = board_lights(board)
    return [[r["unit"], *(str(r[light.value]) for light in lights), str(r["total"])] for r in board_records(board)]


def attention_headers(lang: str) -> list[str]:
    return column_headers(lang, "light", "seq", "item", "lead", "due", "standing", "status")


def attention_rows(records: list[dict], lang: str) -> list[list[str]]:
    return [[light_label(Light(r["light"]), lang), str(r["seq"]), r["title"], "、".join(r["leads"]), r["due"],
             lateness_words(str(r["days_left"]), lang), label(Status(r["status"]), lang)] for r in records]


def board_markdown(reg, board: StatusBoard, lang: str = "zh") -> str:
    records = attention_records(reg, board)
    out = [f"## {t('board.title', lang, as_of=board.as_of.isoformat(), warn=board.warn_days)}", "",
           md_table(board_headers(lang, board), board_rows(board)) if board.rows else t("bulletin.none", lang), "",
           f"## {t('board.attention', lang)}", "",
           md_table(attention_headers(lang), attention_rows(records, lang)) if records else t("bulletin.none", lang), ""]
    return "\n".join(out)
