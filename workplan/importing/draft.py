"""Turn a read plan (workplan.importing.document.PlanDocument) into a registry draft and its review.

The draft is plain data in the registry's key order (version, plan, sections, tasks,
organisations, items), checked by the models before it is written. The review says what was
read, what was normalised and what a person still has to decide; the YAML writer puts it into
the draft as comments.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field

from workplan.core.deadlines import find_deadlines
from workplan.core.links import propose_links
from workplan.core.plantext import chinese_number, clean, join_lines, split_departments, split_units
from workplan.core.orgnames import guess_unit, names_unit

from workplan.core.labels import Message
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
    normalised: list[str] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)

    def as_data(self) -> dict:
        return asdict(self)


@dataclass
class Draft:
    data: dict
    review: Review
    item_comments: dict[str, list[str]]  # item id → comment lines for the YAML


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
        review.normalised.append(f"跳过重复表头 {doc.headers_repeated} 处")
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
        review.undecided.append("文件中没有“（一）…”部分：所有事项暂归第（一）部分“合作事项清单”")
    units = _Units(known_units or [], review)
    items, comments = _read_items(doc, year, sections, tasks, units, review)
    review.normalised.extend(f"表下注释，未作为事项：{note}" for note in doc.notes)
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
        review.normalised.append(f"跨页断开的段落接合 {joined} 处")
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
    sources = {"title": "文件" if title else "生成"}
    for key, value, given in (("doc_number", plan.get("doc_number"), overrides.doc_number),
                              ("issuer", plan.get("issuer"), overrides.issuer)):
        out[key] = given or value or PLACEHOLDER
        sources[key] = "命令行" if given else "文件" if value else "缺"
    if plan.get("issuer_seal"):
        out["issuer_seal"] = plan["issuer_seal"]
    out["issued"] = overrides.issued or plan.get("issued") or dt.date(year, 1, 1)
    sources["issued"] = "命令行" if overrides.issued else "文件" if plan.get("issued") else "缺"
    out["year"] = year
    sources["year"] = "命令行" if overrides.year else "文件"
    if preamble:
        out["preamble"] = str(preamble)
    if guiding:
        out["guiding_principles"] = "".join(guiding)
    if safeguards:
        out["safeguards"] = safeguards
    for key, source in sources.items():
        review.plan[key] = {"value": str(out[key]), "from": source}
        if source == "缺":
            option = {"doc_number": "--doc-number", "issuer": "--issuer", "issued": "--issued"}[key]
            review.undecided.append(f"计划的{_PLAN_LABELS[key]}文件中没有：暂填“{out[key]}”，用 {option} 给出")
    for task in tasks:
        task["title"] = str(task["title"])
    return out, sections, tasks


_PLAN_LABELS = {"doc_number": "文号", "issuer": "发文单位", "issued": "印发日期"}


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
        return self._unit(name, item_id, "牵头单位")

    def department(self, name: str, item_id: str) -> None:
        if name in self.by_name or names_unit(name):
            self._unit(name, item_id, "责任部门")

    def _unit(self, name: str, item_id: str, role: str) -> str:
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
                self.review.undecided.append(f"单位“{name}”（{item_id}）看不出所属省市")
            for member in guess.members:
                self._unit(member, item_id, "组成员")
        self.referenced.add(org["name"])
        for member in org.get("members", []):
            self._unit(member, item_id, "组成员")
        return name

    def used(self) -> list[dict]:
        """The organisations the plan refers to: known ones in their order, then the added ones
        by kind (groups, provincial bureaus … institutes), each kind in order of appearance."""
        added = sorted(self.added, key=lambda org: _KIND_ORDER.index(org["kind"]))
        return [org for org in self.known if org not in self.added and org["name"] in self.referenced] + added


# --- the items ------------------------------------------------------------------------------------

def _read_items(doc, year, sections, tasks, units: _Units, review: Review):
    items: list[dict] = []
    comments: dict[str, list[str]] = {}
    seen: dict[int, int] = {}
    table_section = None
    changed: dict[str, list[str]] = {}
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
            notes.append(f"序号 {seq} 在清单中重复出现：本行编号 {item_id}，序号按原文保留")
            review.undecided.append(f"序号 {seq} 重复：第二行编号为 {item_id}")
        title, measures = clean(row.cells["title"]), clean(row.cells["measures"])
        departments, printed = split_departments(row.cells.get("departments", ""))
        leads = [units.lead(name, item_id) for name in split_units(row.cells["leads"])]
        for name in departments:
            units.department(name, item_id)
        for what, text in (("合作事项", title), ("举措", measures)):
            for change in text.changes:
                changed.setdefault(change, []).append(f"{seq}{what}")
        if not title or not measures or not leads:
            missing = [n for n, v in (("合作事项", title), ("年度主要举措及时间节点", measures), ("牵头单位", leads)) if not v]
            raise ReadError(Message("ingest.row_lacks", path=doc.source, where=row.where, seq=seq, columns=list(missing)))
        found = find_deadlines(measures, year)
        milestones = []
        for deadline in found.deadlines:
            if deadline.due.year != year:
                review.undecided.append(f"{item_id}：时间节点“{deadline.text}”不在计划年度 {year}，未列为节点")
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
        review.undecided.extend(f"{item_id}：{text}" for text in found.undecided)
        if not milestones:
            review.without_deadline.append(item_id)
            notes.append("无时间节点（无时限）")
        review.milestones += len(milestones)

        item = {"id": item_id, "seq": seq, "title": str(title), "measures": str(measures),
                "departments": departments or ["（未列明）"]}
        if not departments:
            review.undecided.append(f"{item_id}：没有责任部门")
        if printed and printed != "、".join(departments):
            item["departments_text"] = printed
        item.update({"leads": leads, "section": table_section, "task": None, "milestones": milestones,
                     "status": "not_started"})
        items.append(item)
    _link(items, tasks, sections, comments, review)
    review.items = len(items)
    labels = {"layout spaces": "去掉中文之间的排版空格", "bracket widths": "半角括号改为全角",
              "punctuation widths": "中文中的半角标点改为全角", "spaces": "合并多余空格"}
    for change, where in changed.items():
        review.normalised.append(f"{labels[change]}：{', '.join(where)}")
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
                review.undecided.append(f"{item['id']}“{item['title']}”：对应主要任务不确定（最接近任务 {link.best}，"
                                        f"相似度 {link.score:.2f}，次之 {link.runner_up:.2f}），暂为空")
                notes.append(f"task: 未能确定（最接近任务 {link.best}，相似度 {link.score:.2f}），请核对")
            elif link.by_order:
                notes.append(f"task: 按清单顺序取任务 {link.task}（相似度 {link.score:.2f}；任务 {link.best} 略高），请核对")
            else:
                notes.append(f"task: 按文本相似度对应任务 {link.task}（{link.score:.2f}，次之 {link.runner_up:.2f}）")
        if item["section"] is None:
            if item["task"] is not None:
                item["section"] = task_section[item["task"]]
            elif len(sections) == 1:
                item["section"] = sections[0]["number"]
            else:
                previous = next((i["section"] for i in reversed(items[:items.index(item)]) if i["section"]), None)
                item["section"] = previous or sections[0]["number"]
                review.undecided.append(f"{item['id']}：所属部分按上一行暂定为第 {item['section']} 部分")
