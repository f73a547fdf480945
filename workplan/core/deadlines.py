"""Deadline phrases (时间节点) in a measures text (年度主要举措及时间节点), as the plans print them.

A deadline means "by the end of" its period, so each resolves to the LAST day of it:
（9月底前） → 30 September, 上半年 → 30 June, 三季度末 → 30 September, 年底前 → 31 December,
2025年11月15日前 → 15 November. Both bracket widths are read. A bracket that holds a deadline is
a milestone; one that names a meeting (（拟于2024年长三角市场监管联席会议上签约）) marks the
milestone before it as tentative and tied to that event; any other bracket (（暂定名）,（第二批）)
is text. Outside brackets a deadline is read where the sentence states one (年底前完成…), unless
a bracketed deadline follows it.

Pure functions over text; the standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from workplan.core.dates import end_of_month, end_of_quarter
from workplan.core.labels import Message

__all__ = ["Deadline", "Found", "find_deadlines", "deadline_due"]

_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
       "十一": 11, "十二": 12}
_NUM = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])"

# One period, with an optional year in front. Named groups say which kind matched.
_PERIOD = (
    rf"(?:(?P<year>\d{{4}})\s*年\s*)?"
    rf"(?:(?P<day_m>{_NUM})\s*月\s*(?P<day>\d{{1,2}})\s*[日号]"
    rf"|(?P<month>{_NUM})\s*月(?:份)?(?P<month_end>底|末)?"
    rf"|第?(?P<quarter>[一二三四1-4])\s*季度(?:末|底)?"
    rf"|(?P<half>[上下])\s*半年(?:末|底)?"
    rf"|(?P<year_end>年?(?:底|末)|年内))"
)
_BEFORE = r"(?:以前|之前|前)"
_VERB = r"(?:完成|发布|出台|印发|签约|签署|举办|召开|启动|上线|建成)"
# A whole bracket that is a deadline: （9月底前）, (12月底前), （拟于2025年11月底前发布）.
_BRACKET = re.compile(rf"[（(]\s*(?P<body>(?P<tentative>拟于)?\s*{_PERIOD}\s*{_BEFORE}?\s*{_VERB}?)\s*[)）]")
# A bracket naming the meeting where the item is to be signed or issued.
_EVENT = re.compile(r"[（(]\s*(?P<body>拟于?\s*(?P<event>[^（）()]*?会议)\s*上?\s*[^（）()]{0,6}?)\s*[)）]")
# A deadline in running text: 年底前完成, 上半年, 三季度末, 10月20日前. A bare month or day needs
# 前/底/末 to be a deadline ("9月召开" only says when, "5类" is no date at all).
_INLINE = re.compile(rf"(?<![每各逐])(?P<body>(?P<tentative>拟于)?{_PERIOD}(?P<before>{_BEFORE})?)")
_QUOTED = re.compile(r"《[^《》]*》|“[^“”]*”")
_SENTENCE_END = "。；;！？!?"


@dataclass(frozen=True)
class Deadline:
    """One milestone read from a measures text."""

    due: date
    text: str                       # as printed, without the brackets: 9月底前
    measure: str                    # the part of the measures it closes
    tentative: bool = False         # 拟于…
    event: str | None = None        # 2024年长三角市场监管联席会议
    event_text: str | None = None   # 拟于2024年长三角市场监管联席会议上签约
    bracket: str | None = None      # the bracket width as printed: （ or (; None in running text


@dataclass(frozen=True)
class Found:
    """What a measures text holds: its milestones, and what could not be placed (for the review)."""

    deadlines: list[Deadline]
    undecided: list[Message]  # what could not be read, for the ingest review


def deadline_due(match: re.Match, plan_year: int) -> date:
    """The last day of the period a _PERIOD match names."""
    year = int(match["year"]) if match["year"] else plan_year
    if match["day"]:
        return date(year, _number(match["day_m"]), int(match["day"]))
    if match["month"]:
        return end_of_month(year, _number(match["month"]))
    if match["quarter"]:
        return end_of_quarter(year, _number(match["quarter"]))
    if match["half"]:
        return end_of_month(year, 6 if match["half"] == "上" else 12)
    return date(year, 12, 31)


def find_deadlines(measures: str, plan_year: int) -> Found:
    """Every deadline in `measures`, in order, each with the measure it closes."""
    masked = _mask_quotes(measures)
    spans: list[tuple[int, int, str, re.Match]] = []  # (start, end, kind, match)
    for match in _BRACKET.finditer(masked):
        if _names_period(match):
                spans.append((match.start(), match.end(), "bracket", match))
    for match in _EVENT.finditer(masked):
        if not _overlaps(spans, match):
            spans.append((match.start(), match.end(), "event", match))
    taken = [(s, e) for s, e, _, _ in spans]
    # Running text before a bracketed deadline is that deadline's measure: a 上半年 in it is wording.
    last_bracket = max((s for s, _, kind, _ in spans if kind == "bracket"), default=-1)
    for match in _INLINE.finditer(masked):
        if (match.start() > last_bracket and _inline_is_deadline(match)
                and not any(s < match.end() and match.start() < e for s, e in taken)):
            spans.append((match.start(), match.end(), "inline", match))
    spans.sort(key=lambda span: span[0])

    deadlines: list[dict] = []
    undecided: list[Message] = []
    segment_start = bracket_end = 0
    for start, end, kind, match in spans:
        body = _squeeze(measures[match.start("body"):match.end("body")])
        if kind == "event":
            if deadlines:
                deadlines[-1].update(tentative=True, event=_squeeze(match["event"]).removeprefix("于"),
                                     event_text=body)
            else:
                undecided.append(Message("review.event_first", body=body))
            segment_start = bracket_end = end
            continue
        try:
            due = deadline_due(match, plan_year)
        except ValueError:
            undecided.append(Message("review.not_a_date", body=body))
            continue
        if kind == "bracket":
            measure = measures[segment_start:start]
            segment_start = bracket_end = end
        else:  # the sentence it stands in (two deadlines in one sentence share it)
            first, last = _sentence(measures, start, end)
            measure = measures[max(first, bracket_end):last]
            segment_start = max(segment_start, last)
        deadlines.append(dict(due=due, text=body, measure=measure.strip().lstrip("，；、,; "), tentative=bool(match["tentative"]),
                              bracket=measures[start] if kind == "bracket" else None))
    return Found([Deadline(**d) for d in deadlines], undecided)


# --- internals ------------------------------------------------------------

def _number(token: str) -> int:
    return int(token) if token.isdecimal() else _CN[token]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _mask_quotes(text: str) -> str:
    """The text with 《…》 and “…” blanked out (same length): a title such as
    《2025年上半年工作报告》 names no deadline."""
    return _QUOTED.sub(lambda m: "\0" * len(m[0]), text)


def _overlaps(spans, match) -> bool:
    return any(s < match.end() and match.start() < e for s, e, _, _ in spans)


def _names_period(match: re.Match) -> bool:
    """False for a bare 底/末 (末端, 底线): only 年底, 2025年底 … are the end of a year."""
    end = match["year_end"]
    return not end or bool(match["year"]) or end[0] == "年"


def _inline_is_deadline(match: re.Match) -> bool:
    if not _names_period(match):
        return False
    if match["month"] or match["day"]:
        return bool(match["before"] or match["month_end"])
    return True


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence around text[start:end], its closing mark included."""
    first = max(text.rfind(mark, 0, start) for mark in _SENTENCE_END) + 1
    ends = [i for i in (text.find(mark, end) for mark in _SENTENCE_END) if i >= 0]
    return first, (min(ends) + 1 if ends else len(text))
