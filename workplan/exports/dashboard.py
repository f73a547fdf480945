"""The single-file HTML dashboard: headline figures, a timeline, charts and a filterable item table.

The page is one file with its CSS, script and data inline and no external reference at all, because
it is opened on intranet machines and sent as an attachment. Registry text reaches the page only as
JSON inside <script type="application/json"> and is put on screen with textContent, never parsed as
HTML; a Content-Security-Policy that admits only the page's own script (by hash) backs that up.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from html import escape
from importlib import resources
from typing import Any, Iterable

from workplan.core.codes import Status
from workplan.core.labels import status_label
from workplan.core.models import Item, Registry
from workplan.core.query import DEFAULT_WARN_DAYS, MilestoneRow, item_light, milestone_light
from workplan.core.codes import Light
from workplan.present.render import item_record

GROUP_BY = ("section", "lead")

# The order lights are shown in: what needs attention first.
LIGHT_ORDER = [Light.red, Light.yellow, Light.green, Light.done, Light.cancelled]

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "page_title": "工作看板",
        "as_of": "截至",
        "doc": "文号",
        "scope": "范围",
        "all_items": "全部事项",
        "headline": "总体情况",
        "items": "合作事项",
        "milestones": "时间节点",
        "red": "已逾期（红灯）",
        "yellow": "即将到期（黄灯）",
        "green": "正常推进（绿灯）",
        "done": "已完成",
        "cancelled": "已取消",
        "light_red": "红灯",
        "light_yellow": "黄灯",
        "light_green": "绿灯",
        "light_done": "已完成",
        "light_cancelled": "已取消",
        "filters": "筛选",
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
        "timeline": "年度时间轴",
        "group_by": "分组",
        "group_section": "按所属部分",
        "group_lead": "按牵头单位",
        "today": "今天",
        "plan_span": "计划期间",
        "month_names": "1月,2月,3月,4月,5月,6月,7月,8月,9月,10月,11月,12月",
        "matrix": "牵头单位 × 状态",
        "matrix_note": "多家牵头的事项在每家各计一次；“三省一市局”牵头的事项计入四家省级局。",
        "total": "合计",
        "per_month": "每月到期的时间节点",
        "table": "事项清单",
        "seq": "序号",
        "title": "合作事项",
        "due": "时间节点",
        "no_items": "没有符合条件的事项。",
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
        "chart_alt_month": "各月到期的时间节点数",
        "chart_alt_matrix": "各牵头单位的事项数，按状态和红黄绿灯",
        "timeline_alt": "每个事项一行，每个时间节点一个标记，颜色和形状表示红黄绿灯",
        "none": "无",
        "colon": "：",
        "gap": "　",
    },
    "en": {
        "page_title": "Dashboard",
        "as_of": "As of",
        "doc": "Document",
        "scope": "Scope",
        "all_items": "all items",
        "headline": "Overview",
        "items": "Items",
        "milestones": "Milestones",
        "red": "Overdue (red)",
        "yellow": "Due soon (yellow)",
        "green": "On track (green)",
        "done": "Done",
        "cancelled": "Cancelled",
        "light_red": "overdue",
        "light_yellow": "due soon",
        "light_green": "on track",
        "light_done": "done",
        "light_cancelled": "cancelled",
        "filters": "Filter",
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
        "timeline": "Timeline of the year",
        "group_by": "Group",
        "group_section": "by section",
        "group_lead": "by lead unit",
        "today": "Today",
        "plan_span": "plan period",
        "month_names": "Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec",
        "matrix": "Lead unit × status",
        "matrix_note": "An item with several lead units counts once for each; items led by 三省一市局 count for all four provincial bureaus.",
        "total": "Total",
        "per_month": "Milestones due per month",
        "table": "Items",
        "seq": "No.",
        "title": "Item",
        "due": "Deadlines",
        "no_items": "No item matches the filters.",
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
        "chart_alt_month": "Milestones due in each month",
        "chart_alt_matrix": "Items per lead unit, by status and traffic light",
        "timeline_alt": "One row per item and one mark per milestone; colour and shape give the traffic light",
        "none": "none",
        "colon": ": ",
        "gap": "  ",
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


def dashboard_data(reg: Registry, items: list[Item], *, as_of: dt.date, lang: str = "zh",
                   group_by: str = "section", warn_days: int = DEFAULT_WARN_DAYS,
                   scope: str = "") -> dict[str, Any]:
    """Everything the page shows, as plain JSON; items follow the `list -f json` contract plus lights."""
    labels = LABELS[lang]
    records = []
    for item in items:
        record = item_record(reg, item)
        record["light"] = item_light(item, as_of, warn_days).value
        record["status_label"] = _status_label(item.status, lang)
        record["departments_display"] = item.departments_display
        task = reg.task(item.task) if item.task is not None else None
        record["task_title"] = task.title if task else None
        for i, (milestone, out) in enumerate(zip(item.milestones, record["milestones"])):
            out["light"] = milestone_light(MilestoneRow(item, i, milestone), as_of, warn_days).value
        records.append(record)

    used_leads = {name for r in records for name in (*r["leads"], *r["lead_units"])}
    lead_order = [o.name for o in reg.organisations if o.name in used_leads]
    lead_order += sorted(used_leads - set(lead_order))
    departments: list[str] = []
    for item in items:
        departments += [d for d in item.departments if d not in departments]
    start, end = timeline_range(reg, items)
    return {
        "lang": lang,
        "labels": labels,
        "plan": {"title": reg.plan.title, "doc_number": reg.plan.doc_number, "year": reg.plan.year,
                 "issued": reg.plan.issued.isoformat()},
        "as_of": as_of.isoformat(),
        "warn_days": warn_days,
        "scope": scope,
        "range": {"start": start.isoformat(), "end": end.isoformat()},
        "group_by": group_by,
        "sections": [{"number": s.number, "label": s.label, "title": s.title} for s in reg.sections],
        "statuses": [{"code": s.value, "label": _status_label(s, lang)} for s in Status],
        "lights": [{"code": light.value, "label": _light_label(light, lang)} for light in LIGHT_ORDER],
        "leads": lead_order,
        "departments": departments,
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


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def render_dashboard(reg: Registry, items: list[Item], *, as_of: dt.date, lang: str = "zh",
                     group_by: str = "section", warn_days: int = DEFAULT_WARN_DAYS, scope: str = "") -> str:
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

    values = {
        "lang_attr": "en" if lang == "en" else "zh-CN",
        "title": f"{reg.plan.title} · {labels['page_title']}",
        "plan_title": reg.plan.title,
        "doc_number": reg.plan.doc_number,
        "as_of_date": as_of.isoformat(),
        "scope_text": scope or labels["all_items"],
        "csp": f"default-src 'none'; script-src 'sha256-{script_hash}'; style-src 'unsafe-inline'; img-src data:",
    }

    def fill(match: re.Match) -> str:
        key = match.group(1)
        if key == "css":
            return css
        if key == "js":
            return script
        if key == "data":
            return embed_json(data)
        if key.startswith("t:"):
            return escape(labels[key[2:]])
        return escape(values[key])

    return re.sub(r"\{\{([a-z_:]+)\}\}", fill, _asset("dashboard_template.html"))
