"""The registry's rules: every check that spans fields or records, and the status transitions.

Pure: the day taken as today is always a parameter, never the clock.

Status transitions (from → allowed to). A report may always repeat the current status (a note).
Anything else needs `--force`, and is then recorded with `forced: true` on the progress entry so
that the history stays valid:

    未启动 not_started  → 推进中, 延期, 已完成, 取消
    推进中 in_progress  → 延期, 已完成, 取消
    延期   delayed      → 推进中, 已完成, 取消
    已完成 done         → (nothing: reopening needs --force)
    取消   cancelled    → (nothing: reviving needs --force)

Nothing goes back to 未启动 without --force.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterable

from workplan.core.codes import Status
from workplan.core.labels import Message
from workplan.core.models import Item, Registry

S = Status
ALLOWED_TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.not_started: frozenset({S.not_started, S.in_progress, S.delayed, S.done, S.cancelled}),
    S.in_progress: frozenset({S.in_progress, S.delayed, S.done, S.cancelled}),
    S.delayed: frozenset({S.delayed, S.in_progress, S.done, S.cancelled}),
    S.done: frozenset({S.done}),
    S.cancelled: frozenset({S.cancelled}),
}


def transition_allowed(old: Status, new: Status) -> bool:
    return new in ALLOWED_TRANSITIONS[old]


def transition_refusal(old: Status, new: Status) -> Message:
    """Why a status cannot change from old to new, and what it may change to."""
    allowed = [Message("hint.status_choice", label=Message(f"status.{s.value}"), code=s.value)
               for s in Status if s in ALLOWED_TRANSITIONS[old] and s != old]
    return Message("rules.transition", old=Message(f"status.{old.value}"), old_code=old.value,
                   new=Message(f"status.{new.value}"), new_code=new.value,
                   allowed=allowed or Message("word.no_other_status"))


def check_registry(reg: Registry, *, today: dt.date,
                   positions: dict[str, list[int]] | None = None) -> Iterable[tuple[tuple, Message, Any]]:
    """Rules that span records: unique ids, references that resolve, dates inside the plan year,
    the progress history. Each problem is (location, message, offending value).

    `positions` maps record indexes back to the file when only the valid part of it was checked.
    """
    for loc, message, value in _cross_check(reg, today):
        if positions and len(loc) > 1 and loc[0] in positions:
            loc = (loc[0], positions[loc[0]][loc[1]], *loc[2:])
        yield loc, message, value


def _cross_check(reg: Registry, today: dt.date) -> Iterable[tuple[tuple, Message, Any]]:
    seen_ids: dict[str, int] = {}
    for i, item in enumerate(reg.items):
        if item.id in seen_ids:
            yield ("items", i, "id"), Message("rules.duplicate_id", id=item.id, n=seen_ids[item.id] + 1), None
        seen_ids.setdefault(item.id, i)

    names: dict[str, int] = {}
    for i, org in enumerate(reg.organisations):
        for j, name in enumerate([org.name, *org.aliases]):
            if name in names and names[name] != i:
                loc = ("organisations", i, "name") if j == 0 else ("organisations", i, "aliases", j - 1)
                yield loc, Message("rules.org_name_taken", name=name), None
            names.setdefault(name, i)
    for i, org in enumerate(reg.organisations):
        if org.kind.value == "group" and not org.members:
            yield ("organisations", i, "members"), Message("rules.group_needs_members"), None
        if org.kind.value != "group" and org.members:
            yield ("organisations", i, "members"), Message("rules.members_not_group"), None
        for j, member in enumerate(org.members):
            target = reg.org(member)
            if target is None:
                yield ("organisations", i, "members", j), _unknown_org(reg, member), None
            elif target.kind.value == "group":
                yield ("organisations", i, "members", j), Message("rules.member_is_group", name=member), None

    for kind, records in (("sections", reg.sections), ("tasks", reg.tasks)):
        seen: set[int] = set()
        for i, record in enumerate(records):
            if record.number in seen:
                yield (kind, i, "number"), Message(f"rules.duplicate_{kind[:-1]}_number", number=record.number), None
            seen.add(record.number)
    for i, task in enumerate(reg.tasks):
        if reg.section(task.section) is None:
            yield ("tasks", i, "section"), Message("rules.no_section", number=task.section), None

    year = reg.plan.year
    for i, item in enumerate(reg.items):
        for j, lead in enumerate(item.leads):
            if reg.org(lead) is None:
                yield ("items", i, "leads", j), _unknown_org(reg, lead), None
        if reg.section(item.section) is None:
            yield ("items", i, "section"), Message("rules.no_section", number=item.section), None
        if item.task is not None:
            task = reg.task(item.task)
            if task is None:
                yield ("items", i, "task"), Message("rules.no_task", number=item.task), None
            elif task.section != item.section:
                yield ("items", i, "task"), Message("rules.task_other_section", task=task.number,
                                                    task_section=task.section, section=item.section), None
        for j, milestone in enumerate(item.milestones):
            if milestone.due.year != year and not milestone.due_reason:
                yield ("items", i, "milestones", j, "due"), Message("rules.due_outside_year", due=milestone.due,
                                                                    year=year), None
            if milestone.due < reg.plan.issued and not milestone.due_reason:
                yield ("items", i, "milestones", j, "due"), Message("rules.due_before_issued", due=milestone.due,
                                                                    issued=reg.plan.issued), None
            if len(item.milestones) > 1 and not milestone.measure:
                yield ("items", i, "milestones", j), Message("rules.milestone_needs_measure"), None
        for j, entry in enumerate(item.progress):
            if reg.org(entry.by) is None:
                yield ("items", i, "progress", j, "by"), _unknown_org(reg, entry.by), None
            if entry.date < reg.plan.issued:
                yield ("items", i, "progress", j, "date"), Message("rules.report_before_issued", date=entry.date,
                                                                   issued=reg.plan.issued), None

    yield from check_content(reg)
    yield from check_history(reg, today)


def check_unread_references(reg: Registry, items: Any, kept: list[int]) -> Iterable[tuple[tuple, Message, None]]:
    """The units named by items that did not validate (a bad date elsewhere in the item), so one run
    reports an unknown unit beside the bad date instead of after it is fixed."""
    if not isinstance(items, list):
        return
    kept_set = set(kept)
    for i, item in enumerate(items):
        if i in kept_set or not isinstance(item, dict):
            continue
        leads = item.get("leads")
        for j, lead in enumerate(leads if isinstance(leads, list) else []):
            if isinstance(lead, str) and lead.strip() and reg.org(lead) is None:
                yield ("items", i, "leads", j), _unknown_org(reg, lead), None
        progress = item.get("progress")
        for j, entry in enumerate(progress if isinstance(progress, list) else []):
            by = entry.get("by") if isinstance(entry, dict) else None
            if isinstance(by, str) and by.strip() and reg.org(by) is None:
                yield ("items", i, "progress", j, "by"), _unknown_org(reg, by), None


def _unknown_org(reg: Registry, name: str) -> Message:
    from difflib import get_close_matches

    close = get_close_matches(name, reg.org_names(), n=3, cutoff=0.5)
    return Message("rules.unknown_org_suggest" if close else "rules.unknown_org", name=name, suggestions=close)


# -- what the registry's text and numbers say ------------------------------------------------------

# The provinces of the plan's region (长三角: three provinces and a city); an organisation's
# province is one of them.
PROVINCES = ("上海", "江苏", "浙江", "安徽")

# Characters that are not text: C0 controls but tab and line feed, DEL, C1 controls, lone
# surrogates and the non-characters (U+FFFE, U+FFFF, U+FDD0–U+FDEF and their kin in every plane).
# A terminal obeys the controls, and XML cannot hold the rest. (U+2028/U+2029 are text: the
# outputs that cannot hold them deal with them.)
_NOT_TEXT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17)) + "]")
_ID = re.compile(r"(\d{4})-0*(\d+)([a-z]?)")
_DEADLINE = re.compile(r"(?:\d{4}年)?(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})月(?:[0-9]{1,2}日|底|末|份|[上中下]旬)?")


_CHAR_NAMES = {0x1B: "rules.char.esc", 0x00: "rules.char.nul", 0x07: "rules.char.bel", 0x08: "rules.char.backspace",
               0x0D: "rules.char.carriage_return", 0xFFFE: "rules.char.non_character", 0xFFFF: "rules.char.non_character"}


def _char_name(char: str) -> Message:
    code = ord(char)
    if code in _CHAR_NAMES:
        return Message("rules.char_named", code=f"{code:04X}", name=Message(_CHAR_NAMES[code]))
    return Message("rules.char", code=f"{code:04X}")


def not_text(text: str) -> Message | None:
    """What in `text` is not text (its first control character or non-character, and where), or None."""
    bad = _NOT_TEXT.search(text)
    if bad is None:
        return None
    line = text.count("\n", 0, bad.start()) + 1
    column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
    if "\n" in text:
        return Message("rules.char_at_line", char=_char_name(bad.group()), line=line, column=column)
    return Message("rules.char_at", char=_char_name(bad.group()), column=column)


def _text_problems(model: Any, loc: tuple, out: list) -> None:
    """Append (location, problem) for every text of a model that is not text or only blank.

    Most of a registry is text, so the walk builds a location only where it finds a problem."""
    values = model.__dict__  # the fields' values (and any cached_property beside them)
    for name in type(model).__pydantic_fields__:
        value = values[name]
        kind = type(value)
        if kind is str:
            if _NOT_TEXT.search(value) is not None or (value and not value.strip()):
                out.append((loc + (name,), not_text(value) or Message("rules.blank")))
        elif kind is list:
            for n, element in enumerate(value):
                if type(element) is str:
                    if _NOT_TEXT.search(element) is not None or (element and not element.strip()):
                        out.append((loc + (name, n), not_text(element) or Message("rules.blank")))
                elif hasattr(type(element), "__pydantic_fields__"):
                    _text_problems(element, loc + (name, n), out)
        elif hasattr(kind, "__pydantic_fields__"):
            _text_problems(value, loc + (name,), out)


def check_content(reg: Registry) -> Iterable[tuple[tuple, Message, None]]:
    """Rules on what the text and numbers say: no control characters, no blank texts, ids that
    agree with the printed 序号, numbers not repeated, each lead named once, milestones in order
    and saying the date they are due, known provinces, a positive format version."""
    from workplan.core.dates import DateFormError, parse_date

    if reg.version < 1:
        yield ("version",), Message("rules.version", version=reg.version), None
    problems: list = []
    _text_problems(reg, (), problems)
    for loc, problem in problems:
        yield loc, (problem if problem.key == "rules.blank" else Message("rules.not_text", bad=problem)), None
    for i, org in enumerate(reg.organisations):
        if org.province is not None and org.province not in PROVINCES:
            yield ("organisations", i, "province"), Message("rules.unknown_province", province=org.province,
                                                            choices=list(PROVINCES)), None
    seqs: dict[int, int] = {}
    meant_by_text: dict[str, Any] = {}
    for i, item in enumerate(reg.items):
        id_match = _ID.fullmatch(item.id)
        if id_match is not None and int(id_match.group(2)) != item.seq:
            yield ("items", i, "id"), Message("rules.id_seq", id=item.id, seq=item.seq,
                                              expected=f"{id_match.group(1)}-{item.seq:02d}"), None
        if item.seq in seqs and (id_match is None or not id_match.group(3)):
            first = reg.items[seqs[item.seq]].id
            example = f"{id_match.group(1) if id_match else reg.plan.year}-{item.seq:02d}b"
            yield ("items", i, "seq"), Message("rules.seq_twice", seq=item.seq, first=first, example=example), None
        seqs.setdefault(item.seq, i)
        yield from _check_leads(reg, i, item)
        previous = None
        for j, milestone in enumerate(item.milestones):
            loc = ("items", i, "milestones", j)
            if previous is not None and milestone.due < previous.due:
                yield loc + ("due",), Message("rules.milestone_order", n=j + 1, due=milestone.due, previous=j,
                                              previous_due=previous.due), None
            elif previous is not None and (milestone.due, milestone.text, milestone.measure) == (
                    previous.due, previous.text, previous.measure):
                yield loc, Message("rules.milestone_repeats", n=j + 1, previous=j), None
            previous = milestone
            said = _DEADLINE.search(milestone.text)
            if said is None:
                continue
            if said.group() not in meant_by_text:  # a plan says 9月底前 and 12月底前 many times
                try:
                    meant_by_text[said.group()] = parse_date(said.group(), plan_year=reg.plan.year)
                except DateFormError:
                    meant_by_text[said.group()] = None
            meant = meant_by_text[said.group()]
            if meant is None:
                continue
            if meant != milestone.due:
                yield loc + ("due",), Message("rules.deadline_disagrees", text=milestone.text, meant=meant,
                                              due=milestone.due), None


def _check_leads(reg: Registry, i: int, item: Item) -> Iterable[tuple[tuple, Message, None]]:
    names = [(org.name if org is not None else lead) for lead in item.leads for org in [reg.org(lead)]]
    for j, name in enumerate(names):
        if name in names[:j]:
            yield ("items", i, "leads", j), Message("rules.lead_twice", name=name), None
        for group in reg.groups_of(name):
            if group.name in names:
                yield ("items", i, "leads", j), Message("rules.lead_in_group", name=name, group=group.name), None


def check_history(reg: Registry, today: dt.date) -> Iterable[tuple[tuple, Message, None]]:
    """Progress rules spanning fields: order, each lead unit's transitions, corrections,
    milestone numbers, the item's status against its units' states, completion, adjusted dates.

    A report or completion dated after today is a typo, never a plan: it is refused.
    """
    from workplan.core.units import combined_status, unit_states, walk

    for i, item in enumerate(reg.items):
        previous: dt.date | None = None
        joint = len(reg.lead_names_and_units(item)[1]) > 1
        for step in walk(reg, item):
            j, entry = step.index, step.entry
            loc = ("items", i, "progress", j)
            if previous is not None and entry.date < previous:
                yield loc + ("date",), Message("rules.report_order", date=entry.date, previous=previous), None
            previous = entry.date
            if entry.date > today:
                yield loc + ("date",), Message("rules.report_future", date=entry.date, today=today), None
            if entry.milestone is not None and entry.milestone > len(item.milestones):
                yield loc + ("milestone",), Message("rules.no_milestone", number=entry.milestone,
                                                    count=len(item.milestones)), None
            if entry.amends is not None:
                if entry.amends > j:
                    yield loc + ("amends",), Message("rules.amends_later", number=entry.amends), None
                continue  # a correction may set any status: it puts a mistake right
            if entry.withdraws:
                yield loc + ("withdraws",), Message("rules.withdraws_needs_amends"), None
            if entry.forced:
                continue
            for unit in step.units:
                if not transition_allowed(step.before[unit], entry.status):
                    refusal = Message("rules.transition_forced", reason=transition_refusal(step.before[unit], entry.status))
                    yield loc + ("status",), (Message("error.about_unit", unit=unit, reason=refusal) if joint else refusal), None
                    break
        if item.progress:
            states = unit_states(reg, item)
            expected = combined_status(s.status for s in states)
            if joint and item.status != expected:
                shares = [Message("rules.share", unit=s.unit, status=_status(s.status)) for s in states]
                yield ("items", i, "status"), Message("rules.status_vs_shares", status=_status(item.status),
                                                      shares=shares, expected=_status(expected)), None
            elif not joint and not transition_allowed(expected, item.status):
                yield ("items", i, "status"), Message("rules.status_vs_report", status=_status(item.status),
                                                      expected=_status(expected)), None
        if item.status == Status.done and not completion_date(item):
            yield ("items", i, "status"), Message("rules.done_needs_date"), None
        for j, milestone in enumerate(item.milestones):
            if milestone.done_on is not None and milestone.done_on < reg.plan.issued:
                yield ("items", i, "milestones", j, "done_on"), Message(
                    "rules.completed_before_issued", date=milestone.done_on, issued=reg.plan.issued), None
            if milestone.done_on is not None and milestone.done_on > today:
                yield ("items", i, "milestones", j, "done_on"), Message(
                    "rules.completed_future", date=milestone.done_on, today=today), None
            yield from _check_adjustment(reg, ("items", i, "milestones", j), milestone, today)


def _check_adjustment(reg: Registry, loc: tuple, milestone, today: dt.date) -> Iterable[tuple[tuple, Message, None]]:
    """An approved new date (调整后时限) says who approved it and when, and lies after the original."""
    fields = (milestone.adjusted_by, milestone.adjusted_on, milestone.adjust_reason)
    if milestone.adjusted_due is None:
        if any(value is not None for value in fields):
            yield loc + ("adjusted_due",), Message("rules.adjust_needs_due"), None
        return
    if milestone.adjusted_due <= milestone.due:
        yield loc + ("adjusted_due",), Message("rules.adjust_not_after", adjusted=milestone.adjusted_due, due=milestone.due), None
    if not milestone.adjusted_by:
        yield loc + ("adjusted_due",), Message("rules.adjust_needs_by"), None
    if milestone.adjusted_on is None:
        yield loc + ("adjusted_due",), Message("rules.adjust_needs_on"), None
    elif milestone.adjusted_on > today:
        yield loc + ("adjusted_on",), Message("rules.approved_future", date=milestone.adjusted_on, today=today), None
    elif milestone.adjusted_on < reg.plan.issued:
        yield loc + ("adjusted_on",), Message("rules.approved_before_issued", date=milestone.adjusted_on,
                                              issued=reg.plan.issued), None


def _status(status: Status) -> Message:
    return Message("hint.status_choice", label=Message(f"status.{status.value}"), code=status.value)


def completion_date(item: Item) -> dt.date | None:
    """When the item was completed: its last report with status done, else its last milestone done."""
    done_reports = [p.date for p in item.progress if p.status == Status.done]
    if done_reports:
        return done_reports[-1]
    if item.milestones and all(m.done_on for m in item.milestones):
        return max(m.done_on for m in item.milestones)
    return None
