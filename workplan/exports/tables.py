"""The item table shared by the workbook, CSV and import, and the CSV, JSON and SQLite exports.

One row per item. 截止日期 is the item's earliest milestone that is not done (the last one when all
are done), so an item with two milestones (2024-18) has one date to sort, filter and highlight on;
时间节点 lists every milestone with its printed wording and date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from workplan.core.codes import Status
from workplan.core.labels import org_kind_label, status_label, t
from workplan.core.models import Item, Registry


@dataclass(frozen=True)
class SheetColumn:
    key: str              # its header is the catalogue's sheet.col.KEY
    kind: str = "text"  # text | int | date
    editable: bool = False
    wrap: bool = False
    max_width: int = 12

    def header(self, lang: str) -> str:
        return t(f"sheet.col.{self.key}", lang)

    @property
    def zh(self) -> str:
        return self.header("zh")

    @property
    def en(self) -> str:
        return self.header("en")


SHEET_COLUMNS: list[SheetColumn] = [
    SheetColumn("seq", kind="int", max_width=5),
    SheetColumn("title", wrap=True, max_width=22),
    SheetColumn("measures", wrap=True, max_width=42),
    SheetColumn("departments", wrap=True, max_width=14),
    SheetColumn("leads", wrap=True, max_width=12),
    SheetColumn("due", kind="date", max_width=11),
    SheetColumn("milestones", wrap=True, max_width=18),
    SheetColumn("status", editable=True, max_width=8),
    SheetColumn("progress", editable=True, wrap=True, max_width=28),
    SheetColumn("updated", kind="date", editable=True, max_width=11),
    SheetColumn("id", max_width=9),
]
COLUMN_BY_KEY = {c.key: c for c in SHEET_COLUMNS}
EDITABLE_KEYS = [c.key for c in SHEET_COLUMNS if c.editable]


def status_text(status: Status, lang: str) -> str:
    return status_label(status, lang)


def status_choices(lang: str) -> list[str]:
    return [status_text(s, lang) for s in Status]


def sheet_due(item: Item) -> dt.date | None:
    """The date the row is sorted and highlighted by: the first milestone not yet done (its approved
    new date if it has one); None for an item without a deadline (its cell stays empty and is never
    highlighted)."""
    milestone = due_milestone(item)
    return (milestone.adjusted_due or milestone.due) if milestone is not None else None


def due_milestone(item: Item):
    """The milestone whose date sheet_due gives: the first open one, else the last one."""
    when = lambda m: m.adjusted_due or m.due  # noqa: E731
    open_ = [m for m in item.milestones if m.done_on is None]
    if open_:
        return min(open_, key=when)
    return max(item.milestones, key=when, default=None)


def own_share(reg: Registry, item: Item, unit: str):
    """The unit's own share of a joint item (core.units.UnitState); None for a single-lead item or
    a unit that does not lead it."""
    from workplan.core.units import unit_state

    if len(reg.lead_names_and_units(item)[1]) < 2:
        return None
    return unit_state(reg, item, unit)


def milestones_text(item: Item, lang: str) -> str:
    if not item.milestones:
        return t("light.none", lang)
    lines = []
    for m in item.milestones:
        line = f"{m.text} {m.due.isoformat()}"
        if m.adjusted_due:
            line += t("word.adjusted_to", lang, date=m.adjusted_due.isoformat())
        if m.done_on:
            line += t("word.done_on", lang, date=m.done_on.isoformat())
        lines.append(line)
    return "\n".join(lines)


def item_row(reg: Registry, item: Item, lang: str) -> dict[str, Any]:
    """The item as one table row: key → int, str, date or None."""
    latest = item.progress[-1] if item.progress else None
    return {
        "seq": item.seq,
        "title": item.title,
        "measures": item.measures,
        "departments": item.departments_display,
        "leads": "、".join(reg.item_lead_names(item)),
        "due": sheet_due(item),
        "milestones": milestones_text(item, lang),
        "status": status_text(item.status, lang),
        "progress": latest.text if latest else None,
        "updated": latest.date if latest else None,
        "id": item.id,
    }


def cell_string(value: Any) -> str:
    """A row value as the text it is compared and written as (dates ISO, empty as "")."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# -- CSV formula neutralisation ---------------------------------------------------------------------

# A spreadsheet treats a cell starting with one of these as a formula (or strips it), also after
# leading white space or a line break, and in their full-width forms (OWASP's CSV injection list;
# Excel on zh-CN reads ＝ as =). Any run of apostrophes in front is included so that escaping is
# exactly reversible: export adds one apostrophe to every text matching this, import removes one
# from every text matching it again.
_FORMULA_START = re.compile(r"'*(?:[\t\r\n]|\s*[=+\-@＝＋－＠])")


def neutralise(text: str) -> str:
    return "'" + text if _FORMULA_START.match(text) else text


def unneutralise(text: str) -> str:
    return text[1:] if text.startswith("'") and _FORMULA_START.match(text) else text


def to_csv(rows: Sequence[dict], lang: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header(lang) for c in SHEET_COLUMNS])
    for row in rows:
        writer.writerow([neutralise(cell_string(row[c.key])) for c in SHEET_COLUMNS])
    return buffer.getvalue()


# -- JSON -------------------------------------------------------------------------------------------

def to_json(reg: Registry, items: Iterable[Item], as_of: dt.date) -> str:
    from workplan.present.records import item_record

    document = {
        "plan": {"title": reg.plan.title, "doc_number": reg.plan.doc_number, "year": reg.plan.year,
                 "issued": reg.plan.issued.isoformat()},
        "exported": as_of.isoformat(),
        "items": [item_record(reg, item) for item in items],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# -- SQLite -----------------------------------------------------------------------------------------

SQLITE_SCHEMA = """
CREATE TABLE plan (
    title TEXT NOT NULL, doc_number TEXT NOT NULL, issuer TEXT NOT NULL, issued TEXT NOT NULL,
    year INTEGER NOT NULL, exported TEXT NOT NULL
);
CREATE TABLE sections (number INTEGER PRIMARY KEY, label TEXT NOT NULL, title TEXT NOT NULL);
CREATE TABLE tasks (
    number INTEGER PRIMARY KEY, section INTEGER NOT NULL REFERENCES sections(number),
    title TEXT NOT NULL, text TEXT NOT NULL
);
CREATE TABLE organisations (
    name TEXT PRIMARY KEY, full_name TEXT, kind TEXT NOT NULL, kind_label TEXT NOT NULL,
    province TEXT, note TEXT
);
CREATE TABLE org_aliases (alias TEXT PRIMARY KEY, org TEXT NOT NULL REFERENCES organisations(name));
CREATE TABLE group_members (
    group_name TEXT NOT NULL REFERENCES organisations(name),
    member TEXT NOT NULL REFERENCES organisations(name),
    PRIMARY KEY (group_name, member)
);
CREATE TABLE items (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL, title TEXT NOT NULL, measures TEXT NOT NULL,
    section INTEGER NOT NULL REFERENCES sections(number), task INTEGER REFERENCES tasks(number),
    departments_text TEXT NOT NULL, status TEXT NOT NULL, status_label TEXT NOT NULL, note TEXT
);
CREATE TABLE milestones (
    item_id TEXT NOT NULL REFERENCES items(id), position INTEGER NOT NULL,
    due TEXT NOT NULL, text TEXT NOT NULL, measure TEXT, tentative INTEGER NOT NULL,
    event TEXT, done_on TEXT,
    PRIMARY KEY (item_id, position)
);
CREATE TABLE leads (
    item_id TEXT NOT NULL REFERENCES items(id), position INTEGER NOT NULL,
    org TEXT NOT NULL REFERENCES organisations(name), as_printed TEXT NOT NULL,
    PRIMARY KEY (item_id, position)
);
CREATE TABLE departments (
    item_id TEXT NOT NULL REFERENCES items(id), position INTEGER NOT NULL, name TEXT NOT NULL,
    PRIMARY KEY (item_id, position)
);
CREATE TABLE progress (
    item_id TEXT NOT NULL REFERENCES items(id), position INTEGER NOT NULL, date TEXT NOT NULL,
    by_org TEXT NOT NULL REFERENCES organisations(name), status TEXT NOT NULL, text TEXT NOT NULL,
    evidence TEXT, milestone INTEGER,
    PRIMARY KEY (item_id, position)
);
-- Every unit leading an item, a group counted as each of its members (as `list --lead` does).
CREATE VIEW lead_units AS
    SELECT l.item_id, COALESCE(g.member, l.org) AS org, CASE WHEN g.member IS NULL THEN NULL ELSE l.org END AS via
    FROM leads l LEFT JOIN group_members g ON g.group_name = l.org;
CREATE INDEX milestones_due ON milestones(due);
CREATE INDEX leads_org ON leads(org);
"""


def write_sqlite(path: Path, reg: Registry, items: Sequence[Item], as_of: dt.date) -> None:
    """Build the database in a temporary file beside `path` (the one atomic writer), then rename
    it into place. WriteError if it could not be written."""
    import sqlite3

    from workplan.store.atomic import replacing

    with replacing(path) as temp:  # sqlite3 takes the empty temporary file as a new database
        try:
            con = sqlite3.connect(temp)
        except sqlite3.Error as exc:
            raise _os_error(exc) from None
        try:
            con.execute("PRAGMA foreign_keys = ON")
            con.executescript(SQLITE_SCHEMA)
            _fill(con, reg, items, as_of)
            con.commit()
            problems = con.execute("PRAGMA foreign_key_check").fetchall()
            if problems:  # a registry that validated cannot get here; keep the database honest anyway
                raise ValueError(f"foreign key check failed: {problems[:3]}")
        except sqlite3.OperationalError as exc:  # "database or disk is full" and the like
            raise _os_error(exc) from None
        finally:
            con.close()


def _os_error(exc) -> OSError:
    """sqlite3's error as the OSError the atomic writer reports (a full disk as ENOSPC, so it is
    named as such in the reader's language)."""
    import errno

    full = getattr(exc, "sqlite_errorcode", None) == 13 or "full" in str(exc)  # SQLITE_FULL
    return OSError(errno.ENOSPC if full else errno.EIO, str(exc))


def _fill(con, reg: Registry, items: Sequence[Item], as_of: dt.date) -> None:
    p = reg.plan
    con.execute("INSERT INTO plan VALUES (?,?,?,?,?,?)",
                (p.title, p.doc_number, p.issuer, p.issued.isoformat(), p.year, as_of.isoformat()))
    con.executemany("INSERT INTO sections VALUES (?,?,?)", [(s.number, s.label, s.title) for s in reg.sections])
    con.executemany("INSERT INTO tasks VALUES (?,?,?,?)", [(t.number, t.section, t.title, t.text) for t in reg.tasks])
    con.executemany("INSERT INTO organisations VALUES (?,?,?,?,?,?)", [
        (o.name, o.full_name, o.kind.value, org_kind_label(o.kind), o.province, o.note) for o in reg.organisations])
    con.executemany("INSERT INTO org_aliases VALUES (?,?)",
                    [(alias, o.name) for o in reg.organisations for alias in o.aliases])
    con.executemany("INSERT INTO group_members VALUES (?,?)", [
        (o.name, reg.org(m).name) for o in reg.organisations for m in o.members])
    for item in items:
        con.execute("INSERT INTO items VALUES (?,?,?,?,?,?,?,?,?,?)", (
            item.id, item.seq, item.title, item.measures, item.section, item.task, item.departments_display,
            item.status.value, status_label(item.status), item.note))
        con.executemany("INSERT INTO milestones VALUES (?,?,?,?,?,?,?,?)", [
            (item.id, n, m.due.isoformat(), m.text, m.measure, int(m.tentative), m.event,
             m.done_on.isoformat() if m.done_on else None)
            for n, m in enumerate(item.milestones, 1)])
        con.executemany("INSERT INTO leads VALUES (?,?,?,?)", [
            (item.id, n, canonical, printed)
            for n, (canonical, printed) in enumerate(zip(reg.item_lead_names(item), item.leads), 1)])
        con.executemany("INSERT INTO departments VALUES (?,?,?)",
                        [(item.id, n, d) for n, d in enumerate(item.departments, 1)])
        con.executemany("INSERT INTO progress VALUES (?,?,?,?,?,?,?,?)", [
            (item.id, n, e.date.isoformat(), reg.org(e.by).name, e.status.value, e.text, e.evidence, e.milestone)
            for n, e in enumerate(item.progress, 1)])
