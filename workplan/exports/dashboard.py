"""The single-file HTML dashboard: headline figures, what is late, where the deadlines fall, who
leads what, and the item list.

The page is one file with its CSS, script and data inline and no external reference at all, because
it is opened on intranet machines and sent as an attachment. Registry text reaches the page only as
data inside a <script> element that is never executed, and is put on screen with textContent, never
parsed as HTML; a Content-Security-Policy that admits only the page's own script (by hash) backs
that up.

The data is compact so that a registry of ten thousand items still makes a file that opens quickly:
every string is stored once in a table and referred to by number, items are arrays rather than
objects, and no HTML is made per item (the page draws only the rows on screen). A large payload is
also gzip-compressed and base64-encoded; the browser inflates it with its built-in
DecompressionStream. A small one stays plain JSON, which any browser reads.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import json
import re
from html import escape
from importlib import resources
from typing import Any, Iterable

from workplan.core.codes import Light, Status
from workplan.core.labels import status_label
from workplan.core.models import Item, Registry
from workplan.core.query import DEFAULT_WARN_DAYS, Filters, MilestoneRow, item_light, milestone_light

GROUP_BY = ("month", "lead", "section")

# The order lights are shown in: what needs attention first.
LIGHT_ORDER = [Light.red, Light.yellow, Light.green, Light.done, Light.cancelled]
LIGHT_CODES = [light.value for light in LIGHT_ORDER] + [Light.none.value]  # 无时限 last: see "lights"
STATUS_CODES = [status.value for status in Status]

# Above this many bytes of JSON the payload is compressed (a few hundred items).
COMPRESS_ABOVE = 256 * 1024

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "page_title": "工作看板",
        "as_of": "截至",
        "doc": "文号",
        "scope": "范围",
        "all_items": "全部事项",
        "headline": "总体情况",
        "items": "合作事项",
        "items_unit": "项",
        "milestones": "时间节点",
        "milestones_unit": "个",
        "by_milestone": "按时间节点计",
        "completion": "完成率",
        "completion_note": "{done} / {total} 项已完成",
        "milestones_done_note": "{done} / {total} 个时间节点已完成",
        "red": "已逾期",
        "yellow": "即将到期",
        "green": "未到期",
        "done": "已完成",
        "cancelled": "已取消",
        "yellow_note": "{days} 天内到期",
        "light_red": "红灯",
        "light_yellow": "黄灯",
        "light_green": "绿灯",
        "light_done": "已完成",
        "light_cancelled": "已取消",
        "light_none": "无时限",
        "attention": "逾期与即将到期",
        "attention_none": "截至 {date} 没有逾期或 {days} 天内到期的时间节点。",
        "late_by": "逾期 {n} 天",
        "due_in": "还剩 {n} 天",
        "due_today": "今天到期",
        "deadline": "截止日期",
        "latest": "最新进展",
        "no_report": "尚无进展报送",
        "show_all": "在清单中查看全部 {n} 个",
        "filters": "筛选",
        "filters_on": "已选 {n} 项",
        "lead": "牵头单位",
        "dept": "责任部门",
        "section": "所属部分",
        "status": "状态",
        "light": "红黄绿灯",
        "text": "关键词",
        "text_placeholder": "事项、举措或责任部门中的文字",
        "any": "全部",
        "reset": "清除筛选",
        "showing": "显示 {shown} / {total} 项",
        "spread": "时间节点分布",
        "group_by": "分组",
        "group_month": "按到期月份",
        "group_lead": "按牵头单位",
        "group_section": "按所属部分",
        "rest": "其余 {n} 个时间节点",
        "more_in_table": "另有 {n} 个，见事项清单",
        "matrix": "牵头单位 × 状态",
        "matrix_note": "按事项计。多家牵头的事项在每家各计一次；“三省一市局”牵头的事项计入四家省级局。",
        "total": "合计",
        "table": "事项清单",
        "seq": "序号",
        "title": "合作事项",
        "due": "时间节点",
        "next_due": "下一截止",
        "no_items": "没有符合条件的事项。",
        "sort_hint": "点击列名排序",
        "details": "详情",
        "close": "关闭",
        "id": "编号",
        "task": "主要任务",
        "measures": "年度主要举措及时间节点",
        "progress": "进展记录",
        "no_progress": "暂无进展记录。",
        "tentative": "拟定",
        "done_on": "完成于",
        "evidence": "佐证材料",
        "by": "报送单位",
        "open_item": "打开事项详情",
        "none": "无",
        "colon": "：",
        "paren_open": "（",
        "paren_close": "）",
        "gap": "　",
        "list_sep": "、",
        "clause_sep": "；",
        "due_before": "截止不晚于",
        "due_after": "截止不早于",
        "org": "参与单位",
        "province": "省份",
        "direct": "直接牵头",
        "loading": "正在载入……",
        # the terminal timeline (workplan timeline)
        "timeline": "年度时间轴",
        "plan_span": "计划期间",
        "page": "第 {n} 页",
    },
    "en": {
        "page_title": "Dashboard",
        "as_of": "As of",
        "doc": "Document",
        "scope": "Scope",
        "all_items": "all items",
        "headline": "Overview",
        "items": "Items",
        "items_unit": "",
        "milestones": "Milestones",
        "milestones_unit": "",
        "by_milestone": "counted by milestone",
        "completion": "Completed",
        "completion_note": "{done} of {total} items done",
        "milestones_done_note": "{done} of {total} milestones done",
        "red": "Overdue",
        "yellow": "Due soon",
        "green": "Not yet due",
        "done": "Done",
        "cancelled": "Cancelled",
        "yellow_note": "within {days} days",
        "light_red": "overdue",
        "light_yellow": "due soon",
        "light_green": "not yet due",
        "light_done": "done",
        "light_cancelled": "cancelled",
        "light_none": "no deadline",
        "attention": "Overdue and due soon",
        "attention_none": "Nothing overdue or due within {days} days as of {date}.",
        "late_by": "{n} days late",
        "due_in": "{n} days left",
        "due_today": "due today",
        "deadline": "Deadline",
        "latest": "Latest progress",
        "no_report": "no report yet",
        "show_all": "all {n} in the item list",
        "filters": "Filter",
        "filters_on": "{n} chosen",
        "lead": "Lead unit",
        "dept": "Responsible department",
        "section": "Section",
        "status": "Status",
        "light": "Traffic light",
        "text": "Text",
        "text_placeholder": "words in the item, measures or departments",
        "any": "All",
        "reset": "Clear filters",
        "showing": "Showing {shown} of {total} items",
        "spread": "Where the deadlines fall",
        "group_by": "Group",
        "group_month": "by month due",
        "group_lead": "by lead unit",
        "group_section": "by section",
        "rest": "{n} other milestones",
        "more_in_table": "{n} more in the item list",
        "matrix": "Lead unit × status",
        "matrix_note": "Counted by item. An item with several lead units counts once for each; items led by 三省一市局 count for all four provincial bureaus.",
        "total": "Total",
        "table": "Items",
        "seq": "No.",
        "title": "Item",
        "due": "Deadlines",
        "next_due": "Next deadline",
        "no_items": "No item matches the filters.",
        "sort_hint": "click a column name to sort",
        "details": "Details",
        "close": "Close",
        "id": "ID",
        "task": "Key task",
        "measures": "Measures and deadlines",
        "progress": "Progress reports",
        "no_progress": "No progress reported yet.",
        "tentative": "tentative",
        "done_on": "done on",
        "evidence": "Evidence",
        "by": "Reported by",
        "open_item": "Open item details",
        "none": "none",
        "colon": ": ",
        "paren_open": " (",
        "paren_close": ")",
        "gap": "  ",
        "list_sep": ", ",
        "clause_sep": "; ",
        "due_before": "due by",
        "due_after": "due from",
        "org": "Involving",
        "province": "Province",
        "direct": "leading directly",
        "loading": "Loading…",
        "timeline": "Timeline of the year",
        "plan_span": "plan period",
        "page": "page {n}",
    },
}


def _status_label(status: Status, lang: str) -> str:
    return status_label(status, lang)


def _light_label(light: Light, lang: str) -> str:
    return LABELS[lang]["light_" + light.value]


def timeline_range(reg: Registry, items: Iterable[Item]) -> tuple[dt.date, dt.date]:
    """The plan year, widened to whole months to take in any milestone outside it."""
    start, end = dt.date(reg.plan.year, 1, 1), dt.date(reg.plan.year, 12, 31)
    for item in items:
        for m in item.milestones:
            start = min(start, m.due.replace(day=1))
            if m.due > end:
                following = dt.date(m.due.year + (m.due.month == 12), m.due.month % 12 + 1, 1)
                end = following - dt.timedelta(days=1)
    return start, end


def describe_scope(reg: Registry, filters: Filters | None, lang: str = "zh") -> str:
    """The command-line filters in words (牵头单位：浙江省局；关键词：食品), not as options."""
    if filters is None:
        return ""
    labels = LABELS[lang]
    sep, colon = labels["list_sep"], labels["colon"]
    parts = []
    if filters.leads:
        parts.append(labels["lead"] + colon + sep.join(filters.leads)
                     + (f"（{labels['direct']}）" if filters.direct else ""))
    if filters.orgs:
        parts.append(labels["org"] + colon + sep.join(filters.orgs))
    if filters.provinces:
        parts.append(labels["province"] + colon + sep.join(filters.provinces))
    if filters.depts:
        parts.append(labels["dept"] + colon + sep.join(filters.depts))
    if filters.sections:
        names = []
        for number in filters.sections:
            section = reg.section(number)
            names.append(f"{section.label}{section.title}" if section else str(number))
        parts.append(labels["section"] + colon + sep.join(names))
    if filters.tasks:
        parts.append(labels["task"] + colon + sep.join(str(t) for t in filters.tasks))
    if filters.statuses:
        parts.append(labels["status"] + colon + sep.join(_status_label(s, lang) for s in filters.statuses))
    if filters.text:
        parts.append(labels["text"] + colon + filters.text)
    if filters.due_after:
        parts.append(labels["due_after"] + " " + filters.due_after.isoformat())
    if filters.due_before:
        parts.append(labels["due_before"] + " " + filters.due_before.isoformat())
    return labels["clause_sep"].join(parts)


class StringTable:
    """Each distinct string once; the data refers to it by position."""

    def __init__(self) -> None:
        self.strings: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, text: str | None) -> int:
        if text is None:
            return -1
        found = self._index.get(text)
        if found is None:
            found = self._index[text] = len(self.strings)
            self.strings.append(text)
        return found


def dashboard_data(reg: Registry, items: list[Item], *, as_of: dt.date, lang: str = "zh",
                   group_by: str = "month", warn_days: int = DEFAULT_WARN_DAYS,
                   scope: str = "") -> dict[str, Any]:
    """Everything the page shows, in the compact form dashboard.js reads (see `decode` there).

    An item is [id, seq, title, measures, departments as printed, [departments], [leads],
    [lead units], section, task, status, light, [milestones], [progress]]; a milestone is
    [due, text, measure, light, done_on, tentative, event, event_text]; a progress entry is
    [date, by, status, text, evidence, milestone, forced]. Strings are positions in "strings" (-1: none),
    statuses and lights positions in "statuses" and "lights", dates ISO text ("" for none).
    """
    s = StringTable()
    light_index = {code: i for i, code in enumerate(LIGHT_CODES)}
    status_index = {code: i for i, code in enumerate(STATUS_CODES)}
    records = []
    used_leads: set[str] = set()
    departments: dict[str, None] = {}
    for item in items:
        names, units = reg.lead_names_and_units(item)
        used_leads.update(names, units)
        departments.update(dict.fromkeys(item.departments))
        milestones = []
        for i, m in enumerate(item.milestones):
            light = milestone_light(MilestoneRow(item, i, m), as_of, warn_days).value
            milestones.append([m.due.isoformat(), s(m.text), s(m.measure), light_index[light],
                               m.done_on.isoformat() if m.done_on else "", int(m.tentative), s(m.event),
                               s(m.event_text)])
        progress = [[p.date.isoformat(), s(p.by), status_index[p.status.value], s(p.text), s(p.evidence),
                     p.milestone or 0, int(p.forced)] for p in item.progress]
        records.append([item.id, item.seq, s(item.title), s(item.measures), s(item.departments_display),
                        [s(d) for d in item.departments], [s(n) for n in names], [s(u) for u in units],
                        item.section, item.task, status_index[item.status.value],
                        light_index[item_light(item, as_of, warn_days).value], milestones, progress])

    lead_order = [o.name for o in reg.organisations if o.name in used_leads]
    lead_order += sorted(used_leads - set(lead_order))
    start, end = timeline_range(reg, items)
    return {
        "lang": lang,
        "labels": LABELS[lang],
        "plan": {"title": reg.plan.title, "doc_number": reg.plan.doc_number, "year": reg.plan.year,
                 "issued": reg.plan.issued.isoformat()},
        "as_of": as_of.isoformat(),
        "warn_days": warn_days,
        "scope": scope,
        "range": {"start": start.isoformat(), "end": end.isoformat()},
        "group_by": group_by,
        "sections": [{"number": x.number, "label": x.label, "title": x.title} for x in reg.sections],
        "tasks": {str(t.number): t.title for t in reg.tasks},
        "statuses": [{"code": x.value, "label": _status_label(x, lang)} for x in Status],
        # 无时限 (an item without a deadline) is listed only when some item has it; it is the last code.
        "lights": [{"code": light.value, "label": _light_label(light, lang)} for light in LIGHT_ORDER
                   + ([Light.none] if any(r[11] == light_index[Light.none.value] for r in records) else [])],
        "leads": lead_order,
        "departments": list(departments),
        "strings": s.strings,
        "items": records,
    }


def embed_json(value: Any) -> str:
    """JSON that is inert inside an HTML <script> element, whatever strings it carries."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # `</script>` and `<!--` cannot end or confuse the element once < > & are escapes; U+2028/2029
    # are escaped because older script engines treat them as line ends.
    for char, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


def embed_data(value: Any, *, compress: bool | None = None) -> tuple[str, str]:
    """(encoding, text) for the data element: "json", or "gzip-base64" when large (or asked for)."""
    text = embed_json(value)
    if compress is None:
        compress = len(text.encode("utf-8")) > COMPRESS_ABOVE
    if not compress:
        return "json", text
    # mtime=0: the same registry gives the same file.
    packed = gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)
    return "gzip-base64", base64.b64encode(packed).decode("ascii")


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def render_dashboard(reg: Registry, items: list[Item], *, as_of: dt.date, lang: str = "zh",
                     group_by: str = "month", warn_days: int = DEFAULT_WARN_DAYS, scope: str = "",
                     compress: bool | None = None) -> str:
    """The dashboard as one self-contained HTML document."""
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_BY)}")
    data = dashboard_data(reg, items, as_of=as_of, lang=lang, group_by=group_by, warn_days=warn_days,
                          scope=scope)
    labels = data["labels"]
    css, script = _asset("dashboard.css"), _asset("dashboard.js")
    for name, text in (("dashboard.css", css), ("dashboard.js", script)):
        if re.search(r"</(style|script)", text, re.IGNORECASE):
            raise ValueError(f"{name} must not contain a closing </style> or </script> tag")
    script_hash = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    encoding, payload = embed_data(data, compress=compress)

    values = {
        "lang_attr": "en" if lang == "en" else "zh-CN",
        "title": f"{reg.plan.title} · {labels['page_title']}",
        "plan_title": reg.plan.title,
        "doc_number": reg.plan.doc_number,
        "as_of_date": as_of.isoformat(),
        "scope_text": scope or labels["all_items"],
        "data_type": "application/json" if encoding == "json" else "text/plain",
        "data_encoding": encoding,
        "csp": f"default-src 'none'; script-src 'sha256-{script_hash}'; style-src 'unsafe-inline'; img-src data:",
    }

    def fill(match: re.Match) -> str:
        key = match.group(1)
        if key == "css":
            return css
        if key == "js":
            return script
        if key == "data":
            return payload
        if key.startswith("t:"):
            return escape(labels[key[2:]])
        return escape(values[key])

    return re.sub(r"\{\{([a-z_:]+)\}\}", fill, _asset("dashboard_template.html"))
