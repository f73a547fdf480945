"""Turn a read plan (workplan.importing.document.PlanDocument) into a registry draft and its review.

The draft is plain data in the registry's key order (version, plan, sections, tasks,
organisations, items), checked by the models before it is written. The review says what was
read, what was normalised and what a person still has to decide, as Messages: the terminal shows
them in the reader's language, the YAML writer puts them into the draft as Chinese comments.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field

from workplan.core.deadlines import find_deadlines
from workplan.core.links import propose_links
from workplan.core.plantext import chinese_number, clean, join_lines, split_departments, split_units
from workplan.core.orgnames import guess_unit, names_unit

from workplan.core.labels import Message, shown, t
from .document import PlanDocument, ReadError, SectionRow

PLACEHOLDER = "（待补）"
_TERMINAL = "。；：！？!?;:”』」）)"
_TOP_HEADING = re.compile(r"([一二三四五六七八九十]+)、\s*(\S.*)")
_SUB_HEADING = re.compile(r"[（(]\s*([一二三四五六七八九十]+)\s*[)）]\s*(\S.*)")
_TASK = re.compile(r"(\d{1,3})\s*[.．、]\s*(\S.*)")
_DOC_NUMBER = re.compile(r"\S+〔\s*\d{4}\s*〕\s*\d+\s*号")
_ISSUED = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_SEAL = re.compile(r"[（(]\s*(\S+代章)\s*[)）]")
_YEAR = re.compile(r"(\d{4})\s*年")


@dataclass
class Review:
    source: str
    plan: dict = field(default_factory=dict)          # what was read for the plan, and from where
    rows: int = 0
    items: int = 0
    milestones: int = 0
    without_deadline: list[str] = field(default_factory=list)
    units_added: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    normalised: list[Message] = field(default_factory=list)
    undecided: list[Message] = field(default_factory=list)

    def as_data(self, lang: str = "zh") -> dict:
        """The review as JSON data, its words in `lang`."""
        data = asdict(self)
        data["plan"] = {key: {**entry, "from": shown(entry["from"], lang)} for key, entry in self.plan.items()}
        data["units_added"] = [{**unit, "role": shown(unit["role"], lang)} for unit in self.units_added]
        data["normalised"] = [shown(text, lang) for text in self.normalised]
        data["undecided"] = [shown(text, lang) for text in self.undecided]
        return data


class Joined(Message):
    """Places in the plan, each worded in the reader's language, joined by ", " (2举措, 13举措)."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[Message]):
        super().__init__("review.places_sep")
        self.parts = parts

    def text(self, lang: str = "zh") -> str:
        return t(self.key, lang).join(part.text(lang) for part in self.parts)


@dataclass
class Draft:
    data: dict
    review: Review
    item_comments: dict[str, list[Message]]  # item id → comment lines for the YAML


@dataclass
class Overrides:
    year: int | None = None
    doc_number: str | None = None
    issued: dt.date | None = None
    issuer: str | None = None


def build_draft(doc: PlanDocument, *, known_units: list[dict] | None = None,
                overrides: Overrides | None = None) -> Draft:
    """The registry draft for `doc`. known_units: organisations already known (registry dicts,
    aliases included); units the plan names beyond them are added with a guessed kind."""
    overrides = overrides or Overrides()
    review = Review(str(doc.source))
    review.normalised.extend(doc.normalised)
    if doc.headers_repeated:
        review.normalised.append(Message("review.headers_skipped", count=doc.headers_repeated))
    paragraphs = _join_broken(doc.paragraphs, review)
    plan, sections, tasks = _read_body(paragraphs, doc, overrides, review)
    year = plan["year"]

    table_sections = {row.number: row.title for row in doc.rows if isinstance(row, SectionRow)}
    for number, title in table_sections.items():
        if number not in {s["number"] for s in sections}:
            sections.append({"number": number, "label": f"（{_cn(number)}）", "title": clean(title)})
    sections.sort(key=lambda s: s["number"])

    if not sections:
        sections.append({"number": 1, "label": "（一）", "title": "合作事项清单"})
        review.undecided.append(Message("review.no_sections"))
    units = _Units(known_units or [], review)
    items, comments = _read_items(doc, year, sections, tasks, units, review)
    review.normalised.extend(Message("review.note_below", note=note) for note in doc.notes)
    data = {"version": 1, "plan": plan, "sections": sections, "tasks": tasks,
            "organisations": units.used(), "items": items}
    return Draft(data, review, comments)


# --- the body: plan, sections, key tasks ---------------------------------------------------------

def _join_broken(paragraphs: list[str], review: Review) -> list[str]:
    """Paragraphs a page break cut in two (…实现高 / 频证照事项…) joined again."""
    out: list[str] = []
    joined = 0
    for paragraph in paragraphs:
        text = paragraph.strip()
        if not text:
            continue
        if out and _continues(out[-1]) and not _starts_block(text):
            out[-1] = join_lines(out[-1] + "\n" + text)
            joined += 1
        else:
            out.append(text)
    if joined:
        review.normalised.append(Message("review.paragraphs_joined", count=joined))
    return out


def _continues(text: str) -> bool:
    long_prose = len(text) >= 40 or _TASK.fullmatch(text) or _SUB_HEADING.fullmatch(text)
    return bool(long_prose) and not text.endswith(tuple(_TERMINAL)) and "。" in text


def _starts_block(text: str) -> bool:
    return bool(_TOP_HEADING.match(text) or _SUB_HEADING.match(text) or _TASK.match(text)
                or text.startswith("附件"))


def _read_body(paragraphs: list[str], doc: PlanDocument, overrides: Overrides, review: Review):
    plan: dict = {}
    sections: list[dict] = []
    tasks: list[dict] = []
    safeguards: list[dict] = []
    guiding: list[str] = []
    zone = "head"
    title = notice_title = None
    preamble = None
    for index, text in enumerate(paragraphs):
        if zone == "head":
            if _DOC_NUMBER.fullmatch(text) and "doc_number" not in plan:
                plan["doc_number"] = re.sub(r"\s+", "", text)
            elif (seal := _SEAL.search(text)) and seal.end() == len(text):
                plan["issuer_seal"] = seal[1]
                issuer = text[:seal.start()].strip() or (paragraphs[index - 1] if index else "")
                if issuer and "issuer" not in plan:
                    plan["issuer"] = clean(issuer)
            elif (issued := _ISSUED.fullmatch(text)):
                plan["issued"] = dt.date(*map(int, issued.groups()))
                if "issuer" not in plan and index:
                    plan["issuer"] = clean(paragraphs[index - 1])
            elif text.startswith("关于印发") and text.endswith("的通知"):
                notice_title = text[4:-3].strip("《》")
            elif re.search(r"(工作要点|工作计划|要点|计划)$", text) and not text.startswith(("关于", "附件")):
                title = text
                zone = "preamble"
            continue
        heading = _TOP_HEADING.fullmatch(text)
        if heading and len(text) <= 20:
            name = heading[2]
            zone = ("guiding" if "指导" in name else "tasks" if "任务" in name
                    else "safeguards" if "保障" in name else "other")
            continue
        if text.startswith("附件"):
            break
        if zone == "preamble" and preamble is None:
            preamble = clean(text)
        elif zone == "guiding":
            guiding.append(clean(text))
        elif zone == "tasks":
            if (sub := _SUB_HEADING.fullmatch(text)) and "。" not in text:
                sections.append({"number": chinese_number(sub[1]), "label": f"（{sub[1]}）", "title": clean(sub[2])})
            elif task := _TASK.fullmatch(text):
                body = clean(task[2])
                tasks.append({"number": int(task[1]), "section": sections[-1]["number"] if sections else 1,
                              "title": body.split("。")[0], "text": str(body)})
        elif zone == "safeguards" and (sub := _SUB_HEADING.fullmatch(text)):
            body = clean(sub[2])
            head, _, rest = body.partition("。")
            safeguards.append({"label": f"（{sub[1]}）", "title": head, "text": rest or head})

    title = title or notice_title or doc.table_title
    year = overrides.year or _year_of(title) or _year_of(doc.table_title)
    if year is None:
        raise ReadError(Message("ingest.no_year", path=doc.source))
    out = {"title": clean(title) if title else f"{year} 年合作事项清单"}
    file, command_line, missing = Message("review.from_file"), Message("review.from_command_line"), Message("review.from_missing")
    sources = {"title": file if title else Message("review.from_generated")}
    for key, value, given in (("doc_number", plan.get("doc_number"), overrides.doc_number),
                              ("issuer", plan.get("issuer"), overrides.issuer)):
        out[key] = given or value or PLACEHOLDER
        sources[key] = command_line if given else file if value else missing
    if plan.get("issuer_seal"):
        out["issuer_seal"] = plan["issuer_seal"]
    out["issued"] = overrides.issued or plan.get("issued") or dt.date(year, 1, 1)
    sources["issued"] = command_line if overrides.issued else file if plan.get("issued") else missing
    out["year"] = year
    sources["year"] = command_line if overrides.year else file
    if preamble:
        out["preamble"] = str(preamble)
    if guiding:
        out["guiding_principles"] = "".join(guiding)
    if safeguards:
        out["safeguards"] = safeguards
    for key, source in sources.items():
        review.plan[key] = {"value": str(out[key]), "from": source}
        if source is missing:
            option = {"doc_number": "--doc-number", "issuer": "--issuer", "issued": "--issued"}[key]
            review.undecided.append(Message("review.plan_missing", what=Message(_PLAN_FIELDS[key]), value=out[key],
                                            option=option))
    for task in tasks:
        task["title"] = str(task["title"])
    return out, sections, tasks


_PLAN_FIELDS = {"doc_number": "review.what_doc_number", "issuer": "review.what_issuer", "issued": "review.what_issued"}
# What plantext.clean changed (Cleaned.changes), as the review says it.
_CHANGES = {"layout spaces": "review.change_layout_spaces", "bracket widths": "review.change_bracket_widths",
            "punctuation widths": "review.change_punctuation_widths", "spaces": "review.change_spaces"}


def _year_of(text: str | None) -> int | None:
    match = _YEAR.search(text or "")
    return int(match[1]) if match else None


def _cn(number: int) -> str:
    digits = "一二三四五六七八九"
    if number <= 9:
        return digits[number - 1]
    tens, ones = divmod(number, 10)
    return (digits[tens - 1] if tens > 1 else "") + "十" + (digits[ones - 1] if ones else "")


# --- units -----------------------------------------------------------------------------------------

_KIND_ORDER = ["group", "provincial_bureau", "drug_administration", "city_bureau", "county_bureau", "institute"]


class _Units:
    """The organisations: those already known, and those the plan names beyond them."""

    def __init__(self, known: list[dict], review: Review):
        self.known = [dict(org) for org in known]
        self.by_name = {name: org for org in self.known for name in (org["name"], *org.get("aliases", []))}
        self.added: list[dict] = []
        self.referenced: set[str] = set()
        self.review = review

    def lead(self, name: str, item_id: str) -> str:
        return self._unit(name, item_id, Message("review.role_lead"))

    def department(self, name: str, item_id: str) -> None:
        if name in self.by_name or names_unit(name):
            self._unit(name, item_id, Message("review.role_department"))

    def _unit(self, name: str, item_id: str, role: Message) -> str:
        org = self.by_name.get(name)
        if org is None:
            guess = guess_unit(name)
            org = {"name": name}
            if guess.full_name:
                org["full_name"] = guess.full_name
            org["kind"] = guess.kind
            if guess.province:
                org["province"] = guess.province
            if guess.members:
                org["members"] = list(guess.members)
            self.by_name[name] = org
            self.known.append(org)
            self.added.append(org)
            self.review.units_added.append({"name": name, "kind": guess.kind, "province": guess.province,
                                            "first": item_id, "role": role})
            if guess.province is None and guess.kind != "group":
                self.review.undecided.append(Message("review.unit_province", name=name, id=item_id))
            for member in guess.members:
                self._unit(member, item_id, Message("review.role_member"))
        self.referenced.add(org["name"])
        for member in org.get("members", []):
            self._unit(member, item_id, Message("review.role_member"))
        return name

    def used(self) -> list[dict]:
        """The organisations the plan refers to: known ones in their order, then the added ones
        by kind (groups, provincial bureaus … institutes), each kind in order of appearance."""
        added = sorted(self.added, key=lambda org: _KIND_ORDER.index(org["kind"]))
        return [org for org in self.known if org not in self.added and org["name"] in self.referenced] + added


# --- the items ------------------------------------------------------------------------------------

def _read_items(doc, year, sections, tasks, units: _Units, review: Review):
    items: list[dict] = []
    comments: dict[str, list[Message]] = {}
    seen: dict[int, int] = {}
    table_section = None
    changed: dict[str, list[Message]] = {}
    for row in doc.rows:
        if isinstance(row, SectionRow):
            table_section = row.number
            continue
        review.rows += 1
        seq = int(row.cells["seq"])
        seen[seq] = seen.get(seq, 0) + 1
        item_id = f"{year}-{seq:02d}" + ("" if seen[seq] == 1 else "bcdefghij"[seen[seq] - 2])
        notes = comments.setdefault(item_id, [])
        if seen[seq] > 1:
            notes.append(Message("review.seq_again", seq=seq, id=item_id))
            review.undecided.append(Message("review.seq_repeated", seq=seq, id=item_id))
        title, measures = clean(row.cells["title"]), clean(row.cells["measures"])
        departments, printed = split_departments(row.cells.get("departments", ""))
        leads = [units.lead(name, item_id) for name in split_units(row.cells["leads"])]
        for name in departments:
            units.department(name, item_id)
        for what, text in (("review.in_title", title), ("review.in_measures", measures)):
            for change in text.changes:
                changed.setdefault(change, []).append(Message(what, seq=seq))
        if not title or not measures or not leads:
            missing = [n for n, v in (("合作事项", title), ("年度主要举措及时间节点", measures), ("牵头单位", leads)) if not v]
            raise ReadError(Message("ingest.row_lacks", path=doc.source, where=row.where, seq=seq, columns=list(missing)))
        found = find_deadlines(measures, year)
        milestones = []
        for deadline in found.deadlines:
            if deadline.due.year != year:
                review.undecided.append(Message("review.out_of_year", id=item_id, text=deadline.text, year=year))
                continue
            milestone = {"due": deadline.due, "text": deadline.text}
            milestone["measure"] = deadline.measure
            if deadline.tentative:
                milestone["tentative"] = True
            if deadline.event:
                milestone["event"] = deadline.event
                milestone["event_text"] = deadline.event_text
            milestones.append(milestone)
        if len(milestones) == 1:
            del milestones[0]["measure"]
        for milestone in milestones:
            if milestone.get("measure") == "":
                milestone["measure"] = str(measures)
        review.undecided.extend(Message("review.about_item", id=item_id, text=text) for text in found.undecided)
        if not milestones:
            review.without_deadline.append(item_id)
            notes.append(Message("review.no_milestones"))
        review.milestones += len(milestones)

        item = {"id": item_id, "seq": seq, "title": str(title), "measures": str(measures),
                "departments": departments or ["（未列明）"]}
        if not departments:
            review.undecided.append(Message("review.no_departments", id=item_id))
        if printed and printed != "、".join(departments):
            item["departments_text"] = printed
        item.update({"leads": leads, "section": table_section, "task": None, "milestones": milestones,
                     "status": "not_started"})
        items.append(item)
    _link(items, tasks, sections, comments, review)
    review.items = len(items)
    for change, where in changed.items():
        review.normalised.append(Message("review.changed_in", change=Message(_CHANGES[change]),
                                         where=Joined(where)))
    return items, comments


def _link(items: list[dict], tasks: list[dict], sections: list[dict], comments, review: Review) -> None:
    """Each item's key task by similarity, and its section: the table's section row, else the
    linked task's, else the previous item's."""
    links = propose_links([(i["title"], i["measures"], i["section"]) for i in items],
                          {t["number"]: (t["section"], t["text"]) for t in tasks})
    task_section = {t["number"]: t["section"] for t in tasks}
    for item, link in zip(items, links):
        notes = comments.setdefault(item["id"], [])
        if link is not None:
            item["task"] = link.task
            review.links.append({"id": item["id"], "task": link.task, "score": link.score, "best": link.best,
                                 "runner_up": link.runner_up, "by_order": link.by_order,
                                 "confident": link.task is not None})
            if link.task is None:
                review.undecided.append(Message("review.task_unsure", id=item["id"], title=item["title"], best=link.best,
                                                score=f"{link.score:.2f}", runner_up=f"{link.runner_up:.2f}"))
                notes.append(Message("review.task_note_unsure", best=link.best, score=f"{link.score:.2f}"))
            elif link.by_order:
                notes.append(Message("review.task_note_order", task=link.task, score=f"{link.score:.2f}", best=link.best))
            else:
                notes.append(Message("review.task_note_similar", task=link.task, score=f"{link.score:.2f}",
                                     runner_up=f"{link.runner_up:.2f}"))
        if item["section"] is None:
            if item["task"] is not None:
                item["section"] = task_section[item["task"]]
            elif len(sections) == 1:
                item["section"] = sections[0]["number"]
            else:
                previous = next((i["section"] for i in reversed(items[:items.index(item)]) if i["section"]), None)
                item["section"] = previous or sections[0]["number"]
                review.undecided.append(Message("review.section_guess", id=item["id"], section=item["section"]))
