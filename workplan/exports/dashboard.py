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
from typing import Any

from workplan.core.board import LIGHT_ORDER
from workplan.core.codes import Light, OrgKind, Status
from workplan.core.labels import CATALOGUE, status_label, t
from workplan.core.models import Item, Registry
from workplan.core.query import DEFAULT_WARN_DAYS, Filters, MilestoneRow, item_light, milestone_light
from workplan.core.timeline import timeline_range
from workplan.core.units import unit_states

GROUP_BY = ("month", "lead", "section")

# The lights in the order they are shown (core/board.py LIGHT_ORDER: what needs attention first).
LIGHT_CODES = [light.value for light in LIGHT_ORDER] + [Light.none.value]  # 无时限 last: see "lights"
STATUS_CODES = [status.value for status in Status]

# Above this many bytes of JSON the payload is compressed (a few hundred items).
COMPRESS_ABOVE = 256 * 1024

# The page's words: every dash.* key of the catalogue without its prefix, and the days.* words of
# lateness that the tables and the bulletin use (days.late as days_late), in the page's language.
LABEL_PREFIX = "dash."
SHARED_PREFIX = "days."


def page_labels(lang: str) -> dict[str, str]:
    words = {key[len(LABEL_PREFIX):]: t(key, lang) for key in CATALOGUE if key.startswith(LABEL_PREFIX)}
    words.update({key.replace(".", "_"): t(key, lang) for key in CATALOGUE if key.startswith(SHARED_PREFIX)})
    return words


def describe_scope(reg: Registry, filters: Filters | None, lang: str = "zh") -> str:
    """The command-line filters in words (牵头单位：浙江省局；关键词：食品), not as options."""
    if filters is None:
        return ""

    def clause(label: str, values) -> str:
        return t("dash.label_value", lang, label=t(label, lang), value=t("dash.list_sep", lang).join(map(str, values)))

    parts = []
    if filters.leads:
        leads = t("dash.list_sep", lang).join(filters.leads)
        parts.append(t("dash.label_value", lang, label=t("dash.lead", lang),
                       value=t("dash.direct", lang, leads=leads) if filters.direct else leads))
    if filters.orgs:
        parts.append(clause("dash.org", filters.orgs))
    if filters.provinces:
        parts.append(clause("dash.province", filters.provinces))
    if filters.depts:
        parts.append(clause("dash.dept", filters.depts))
    if filters.sections:
        names = []
        for number in filters.sections:
            section = reg.section(number)
            names.append(f"{section.label}{section.title}" if section else str(number))
        parts.append(clause("dash.section", names))
    if filters.tasks:
        parts.append(clause("dash.task", filters.tasks))
    if filters.statuses:
        parts.append(clause("dash.status", [status_label(s, lang) for s in filters.statuses]))
    if filters.text:
        parts.append(clause("dash.text", [filters.text]))
    if filters.due_after:
        parts.append(t("dash.due_after", lang, date=filters.due_after.isoformat()))
    if filters.due_before:
        parts.append(t("dash.due_before", lang, date=filters.due_before.isoformat()))
    return t("dash.clause_sep", lang).join(parts)


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
                   scope: str = "", unit: str | None = None) -> dict[str, Any]:
    """Everything the page shows, in the compact form dashboard.js reads (see `decode` there).

    An item is [id, seq, title, measures, departments as printed, [departments], [leads],
    [lead units], section, task, status, light, [milestones], [progress], [shares]]; a milestone is
    [due, text, measure, light, done_on, tentative, event, event_text]; a progress entry is
    [date, by, status, text, evidence, milestone, forced]; shares, for an item with more than one lead
    unit, are [status, report] of each lead unit in the order of [lead units] (core/units.py: each
    unit's own share; report: position in [progress] of its latest report, -1 before any), and []
    for an item with one. Strings are positions in "strings" (-1: none),
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
        shares = [[status_index[share.status.value], -1 if share.index is None else share.index]
                  for share in unit_states(reg, item)] if len(units) > 1 else []
        records.append([item.id, item.seq, s(item.title), s(item.measures), s(item.departments_display),
                        [s(d) for d in item.departments], [s(n) for n in names], [s(u) for u in units],
                        item.section, item.task, status_index[item.status.value],
                        light_index[item_light(item, as_of, warn_days).value], milestones, progress, shares])

    lead_order = [o.name for o in reg.organisations if o.name in used_leads]
    lead_order += sorted(used_leads - set(lead_order))
    start, end = timeline_range(reg, items)
    return {
        "lang": lang,
        "labels": page_labels(lang),
        "plan": {"title": reg.plan.title, "doc_number": reg.plan.doc_number, "year": reg.plan.year,
                 "issued": reg.plan.issued.isoformat()},
        "as_of": as_of.isoformat(),
        "warn_days": warn_days,
        "scope": scope,
        "range": {"start": start.isoformat(), "end": end.isoformat()},
        "group_by": group_by,
        "sections": [{"number": x.number, "label": x.label, "title": x.title} for x in reg.sections],
        "tasks": {str(t.number): t.title for t in reg.tasks},
        "statuses": [{"code": x.value, "label": status_label(x, lang)} for x in Status],
        # 无时限 (an item without a deadline) is listed only when some item has it; it is the last code.
        "lights": [{"code": light.value, "label": t("dash.light_" + light.value, lang)} for light in LIGHT_ORDER
                   + ([Light.none] if any(r[11] == light_index[Light.none.value] for r in records) else [])],
        "leads": lead_order,
        # groups of lead units (三省一市局 → its four members), for counting a group's share
        "groups": {o.name: list(o.members) for o in reg.organisations if o.kind == OrgKind.group},
        # the one lead unit the command line chose (--lead X): the page counts that unit's share
        "unit": unit,
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


# A printout of the list stops after this many rows and says so (dashboard.js reads it from the
# page's data-print-rows): a browser laying out tens of thousands of rows for print stalls.
PRINT_ROWS = 3000


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def render_dashboard(reg: Registry, items: list[Item], *, as_of: dt.date, lang: str = "zh",
                     group_by: str = "month", warn_days: int = DEFAULT_WARN_DAYS, scope: str = "",
                     unit: str | None = None, compress: bool | None = None, print_rows: int = PRINT_ROWS) -> str:
    """The dashboard as one self-contained HTML document."""
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_BY)}")
    data = dashboard_data(reg, items, as_of=as_of, lang=lang, group_by=group_by, warn_days=warn_days,
                          scope=scope, unit=unit)
    labels = data["labels"]
    css, script = _asset("dashboard.css"), _asset("dashboard.js")
    for name, text in (("dashboard.css", css), ("dashboard.js", script)):
        if re.search(r"</(style|script)", text, re.IGNORECASE):
            raise ValueError(f"{name} must not contain a closing </style> or </script> tag")
    script_hash = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    encoding, payload = embed_data(data, compress=compress)

    values = {
        "lang_attr": labels["html_lang"],
        "title": t("dash.title_of", lang, plan=reg.plan.title, page=labels["page_title"]),
        "plan_title": reg.plan.title,
        "data_type": "application/json" if encoding == "json" else "text/plain",
        "data_encoding": encoding,
        "print_rows": str(print_rows),
        "csp": f"default-src 'none'; script-src 'sha256-{script_hash}'; style-src 'unsafe-inline'; img-src data:",
    }

    def labelled(label: str, value_html: str) -> str:
        """「label：value」 with the value's markup kept (the label's words escaped)."""
        before, after = t("dash.label_value", lang, label="\0", value="\1").split("\1")
        return escape(before).replace("\0", escape(labels[label])) + value_html + escape(after)

    markup = {
        "doc_line": labelled("doc", escape(reg.plan.doc_number)),
        "as_of_line": labelled("as_of", f"<strong>{escape(as_of.isoformat())}</strong>"),
        "scope_line": labelled("scope", f'<span id="scope">{escape(scope or labels["all_items"])}</span>'),
    }

    def fill(match: re.Match) -> str:
        key = match.group(1)
        if key == "css":
            return css
        if key == "js":
            return script
        if key == "data":
            return payload
        if key.startswith("html:"):
            return markup[key[5:]]
        if key.startswith("t:"):
            return escape(labels[key[2:]])
        return escape(values[key])

    return re.sub(r"\{\{([a-z_:]+)\}\}", fill, _asset("dashboard_template.html"))
