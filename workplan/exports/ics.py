"""Milestones as an iCalendar feed (RFC 5545), written by hand: no library at run time.

Every milestone is an all-day VEVENT on its due date with a reminder (VALARM) some days before, at
09:00 of that day in the reader's own time zone: a trigger relative to an all-day start counts from
its midnight, so the trigger is the days before less nine hours (-P15D alone would ring at 00:00).
The UID is built from the item id and the milestone number only, so importing a newer file into
Outlook, Thunderbird or a phone calendar updates the events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

from workplan.core.codes import Status
from workplan.core.labels import status_label, t
from workplan.core.models import Item, Registry

PRODID = "-//workplan//长三角市场监管一体化工作要点//ZH"
UID_DOMAIN = "workplan.yrd-amr"
MAX_OCTETS = 75
REMIND_HOUR = 9
_TOKENS = re.compile(r"\\.|.", re.DOTALL)


# RFC 5545 3.3.11: a TEXT value holds no control character but HTAB (line breaks are written as
# \n). U+2028/U+2029 separate lines too; non-characters and lone surrogates are not text at all.
_LINE_BREAKS = re.compile("\r\n|[\r\n\u2028\u2029\x85]")
_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def escape_text(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped,
    the characters a TEXT value may not hold left out."""
    text = _NOT_TEXT.sub("", _LINE_BREAKS.sub("\n", text))
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545 3.1)."""
    out: list[str] = []
    current, size = "", 0
    # An escape (\n, \,) is kept whole: folding may split it, but not every reader copes.
    for token in _TOKENS.findall(line):
        width = len(token.encode("utf-8"))
        if size + width > MAX_OCTETS:
            out.append(current)
            current, size = " ", 1  # a continuation line starts with one space, counted in its 75
        current += token
        size += width
    out.append(current)
    return "\r\n".join(out)


def uid(item: Item, index: int) -> str:
    return f"{item.id}-m{index + 1}@{UID_DOMAIN}"


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def summary(reg: Registry, item: Item, index: int, lang: str = "zh") -> str:
    """Unit and deadline first: month views keep only the first few characters of a title."""
    milestone = item.milestones[index]
    n = len(item.milestones)
    text = t("ics.summary", lang, leads="、".join(reg.item_lead_names(item)), month=milestone.due.month,
             day=milestone.due.day, title=item.title)
    if n > 1:
        text += t("ics.summary_milestone", lang, n=index + 1, count=n)
    if milestone.done_on is not None or item.status == Status.done:
        return t("ics.summary_done", lang, summary=text)
    if item.status == Status.cancelled:
        return t("ics.summary_cancelled", lang, summary=text)
    return text


def reminder(remind_days: int, title: str, lang: str) -> str:
    if remind_days == 0:
        return t("ics.remind_today", lang, summary=title)
    return t("ics.remind_one" if remind_days == 1 else "ics.remind", lang, days=remind_days, summary=title)


def trigger(remind_days: int) -> str:
    """A relative trigger that rings at REMIND_HOUR o'clock, remind_days before an all-day start."""
    if remind_days == 0:
        return f"TRIGGER:PT{REMIND_HOUR}H"
    return f"TRIGGER:-P{remind_days - 1}DT{24 - REMIND_HOUR}H"


def event_lines(reg: Registry, item: Item, index: int, *, stamp: dt.datetime, remind_days: int | None,
                lang: str = "zh") -> list[str]:
    milestone = item.milestones[index]
    done = milestone.done_on is not None or item.status == Status.done
    title = summary(reg, item, index, lang)
    done_on = t("ics.done_on", lang, date=milestone.done_on.isoformat()) if milestone.done_on else ""
    description = "\n".join(filter(None, [
        t("ics.seq_id", lang, seq=item.seq, id=item.id),
        t("ics.milestone", lang, text=milestone.text) + done_on,
        t("ics.measures", lang, text=milestone.measure or item.measures),
        t("ics.leads", lang, leads="、".join(reg.item_lead_names(item))),
        t("ics.departments", lang, text=item.departments_display),
        t("ics.status", lang, status=status_label(item.status, lang)),
        t("ics.event", lang, text=milestone.event) if milestone.event else "",
    ]))
    section = reg.section(item.section)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid(item, index)}",
        f"DTSTAMP:{stamp.strftime('%Y%m%dT%H%M%SZ')}",
        f"DTSTART;VALUE=DATE:{_date(milestone.due)}",
        f"DTEND;VALUE=DATE:{_date(milestone.due + dt.timedelta(days=1))}",
        f"SUMMARY:{escape_text(title)}",
        f"DESCRIPTION:{escape_text(description)}",
        "TRANSP:TRANSPARENT",  # a deadline does not make anyone busy that day
    ]
    if section is not None:
        lines.append(f"CATEGORIES:{escape_text(section.title)}")
    if remind_days is not None and not done and item.status != Status.cancelled:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape_text(reminder(remind_days, title, lang))}",
            trigger(remind_days),
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def calendar(reg: Registry, items: Iterable[Item], *, remind_days: int | None = 15,
             stamp: dt.datetime | None = None, lang: str = "zh") -> str:
    """The whole VCALENDAR as text with CRLF line ends (write it with newline="")."""
    stamp = (stamp or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(reg.plan.title)}",
    ]
    for item in items:
        for index in range(len(item.milestones)):
            lines += event_lines(reg, item, index, stamp=stamp, remind_days=remind_days, lang=lang)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
