"""Parse the date, period and duration forms users type.

Deadlines in the plan mean "by the end of" a period (9月底前 = 30 September,
inclusive), so every form that names a month, quarter or year resolves to the
LAST day of it.

Only the standard library and the labels catalogue are imported here; dateutil
is imported inside the one fallback that needs it, because the CLI must start
quickly.
"""

import re
from datetime import date, datetime, timedelta

from workplan.core.labels import Message, Refusal

__all__ = [
    "ACCEPTED_DURATION_FORMS",
    "ACCEPTED_FORMS",
    "ACCEPTED_PERIOD_FORMS",
    "DateFormError",
    "end_of_month",
    "end_of_quarter",
    "month_range",
    "parse_date",
    "parse_duration",
]

ACCEPTED_FORMS = (
    "2024-09-30, 2024/9/30, 2024.9.30, 20240930, 2024年9月30日, 2024年9月底(前), "
    "9月底, 九月底, 2024-09, 2024年9月, 2024年, 2024Q3, Q3, 2024年第三季度, 三季度, "
    "today, 今天, +30d, -7d, 30 Sep 2024"
)
ACCEPTED_PERIOD_FORMS = "2024-09, 2024年9月, 9月, 2024Q3, Q3, 2024年第三季度, 三季度, 2024, 2024年"
ACCEPTED_DURATION_FORMS = "30d, 30, 30天, 2w, 2周, 1m, 1个月 (1m = 30 days)"

# A month is counted as 30 days: callers need a timedelta, which cannot
# express a calendar month.
DAYS_PER_MONTH = 30


class DateFormError(Refusal):
    """A text that is no date (period, duration): names the text, the reason, the accepted forms."""

    def __init__(self, kind: str, text: str, reason: object, forms: str):
        shown = " ".join(str(text).split())  # keeps the message on one line
        reason = " ".join(str(reason).split()) if reason else ""
        if reason:
            reason = Message(_REASON_KEYS[reason]) if reason in _REASON_KEYS else reason
            super().__init__("error.date_form_reason", kind=Message(f"kind.{kind}"), text=shown, reason=reason,
                             forms=forms)
        else:
            super().__init__("error.date_form", kind=Message(f"kind.{kind}"), text=shown, forms=forms)


# Python's and our reasons a date is impossible, worded in the catalogue; others are shown as they are.
_REASON_KEYS = {
    "day is out of range for month": "reason.day_out_of_range",
    "month must be in 1..12": "reason.month_out_of_range",
    "quarter must be in 1..4": "reason.quarter_out_of_range",
    "negative durations are not allowed": "reason.negative_duration",
}


def end_of_month(year: int, month: int) -> date:
    date(year, month, 1)  # raises ValueError for a bad year or month
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def end_of_quarter(year: int, quarter: int) -> date:
    if not 1 <= quarter <= 4:
        raise ValueError("quarter must be in 1..4")
    return end_of_month(year, quarter * 3)


def parse_date(text: str, *, plan_year: int, today: date | None = None, start: bool = False) -> date:
    """The day a text names. A month, quarter or year means its last day (deadlines are "by the
    end of"), except with start=True, for a lower bound: `--after 2024-08` means from 1 August.
    An explicit end (9月底, 年末) is the last day either way."""
    try:
        result = _parse_date(text, plan_year, today, start)
    except (ValueError, OverflowError) as error:
        raise DateFormError("date", text, error, ACCEPTED_FORMS) from None
    if result is None:
        raise DateFormError("date", text, None, ACCEPTED_FORMS)
    return result


def month_range(text: str, *, plan_year: int) -> tuple[date, date]:
    """Return the (first day, last day) of a report period, both inclusive."""
    try:
        result = _period(_compact(text), plan_year, bare_year=True)
    except (ValueError, OverflowError) as error:
        raise DateFormError("period", text, error, ACCEPTED_PERIOD_FORMS) from None
    if result is None:
        raise DateFormError("period", text, None, ACCEPTED_PERIOD_FORMS)
    return result


def parse_duration(text: str) -> timedelta:
    """Parse a non-negative duration; 1m / 1个月 counts as 30 days."""
    compact = _compact(text)
    reason = None
    try:
        days = _duration_days(compact)
        if days is None and compact.startswith("-") and _duration_days(compact[1:]) is not None:
            reason = "negative durations are not allowed"
        elif days is not None:
            return timedelta(days=days)
    except (ValueError, OverflowError) as error:
        reason = error
    raise DateFormError("duration", text, reason, ACCEPTED_DURATION_FORMS)


# --- internals ------------------------------------------------------------

# Full-width ASCII (Ｑ３, ２０２４, （）) and the ideographic space, mapped to
# ASCII; str.translate avoids importing unicodedata, which is slow to load.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# A number as typed: Arabic digits, or a Chinese numeral from 一 to 九十九.
_N = r"(\d+|[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九])"

_ISO_DAY = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_COMPACT_DAY = re.compile(r"(\d{4})(\d{2})(\d{2})")
_CN_DAY = re.compile(rf"(?:(\d{{4}})年)?{_N}月{_N}[日号]")
_RELATIVE = re.compile(r"([+-])(.+)")

_ISO_MONTH = re.compile(r"(\d{4})[-/.](\d{1,2})")
_CN_MONTH = re.compile(rf"(?:(\d{{4}})年)?{_N}月")
_LATIN_QUARTER = re.compile(r"(?:(\d{4})-?)?q(\d+)")
_CN_QUARTER = re.compile(rf"(?:(\d{{4}})年)?第?{_N}季度")
_CN_YEAR = re.compile(r"(\d{4})年")
_BARE_YEAR = re.compile(r"(\d{4})")

_DURATION = re.compile(rf"{_N}(\D*)")
_DURATION_UNIT_DAYS = {
    "": 1, "d": 1, "day": 1, "days": 1, "天": 1, "日": 1,
    "w": 7, "week": 7, "weeks": 7, "周": 7, "星期": 7,
    "m": DAYS_PER_MONTH, "month": DAYS_PER_MONTH, "months": DAYS_PER_MONTH,
    "月": DAYS_PER_MONTH, "个月": DAYS_PER_MONTH,
}

# dateutil is only trusted with texts that look like Latin dates: an English
# month name, or an ISO date followed by a time.  Anything else it accepts
# (e.g. "Monday") would silently become a surprising deadline.
_MONTH_NAME = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.IGNORECASE)
_ISO_WITH_TIME = re.compile(r"\d{4}-\d{1,2}-\d{1,2}[T ]\d")


def _normalise(text: str) -> str:
    text = text.translate(_FULL_WIDTH).strip()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text


def _compact(text: str) -> str:
    """Normalised, lower-case and without any whitespace, for the regexes."""
    return re.sub(r"\s+", "", _normalise(text)).lower()


def _number(token: str) -> int:
    if token.isdecimal():
        return int(token)
    tens, ten, ones = token.partition("十")
    if not ten:
        return _CN_DIGITS[token]
    return _CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(ones, 0)


def _year(token: str | None, plan_year: int) -> int:
    return plan_year if token is None else int(token)


def _parse_date(text: str, plan_year: int, today: date | None, start: bool = False) -> date | None:
    # "前" / "以前" / "之前" (before), also in brackets as the plan prints it ("9月底(前)"), adds
    # nothing: deadlines are inclusive.
    compact = re.sub(r"\(?[以之]?前\)?$", "", _compact(text))
    if compact in ("today", "今天", "今日"):
        return today or date.today()
    if match := _RELATIVE.fullmatch(compact):
        days = _duration_days(match[2])
        if days is None:
            return None
        return (today or date.today()) + timedelta(days=days if match[1] == "+" else -days)
    if match := _ISO_DAY.fullmatch(compact):
        return date(int(match[1]), int(match[3]), int(match[4]))
    if match := _COMPACT_DAY.fullmatch(compact):
        return date(int(match[1]), int(match[2]), int(match[3]))
    if match := _CN_DAY.fullmatch(compact):
        return date(_year(match[1], plan_year), _number(match[2]), _number(match[3]))
    # 底 / 末 (end of) is what a bare period means anyway.
    period_text = re.sub(r"[底末]$", "", compact)
    if period_text == "年":  # 年底 / 年末 with no year: the plan year
        return date(plan_year, 12, 31)
    if period := _period(period_text, plan_year, bare_year=False):
        return period[0] if start and period_text == compact else period[1]
    return _parse_latin(_normalise(text), plan_year)


def _period(compact: str, plan_year: int, *, bare_year: bool) -> tuple[date, date] | None:
    """First and last day of a month, quarter or year, or None if not one."""
    if match := _ISO_MONTH.fullmatch(compact):
        year, month = int(match[1]), int(match[2])
    elif match := _CN_MONTH.fullmatch(compact):
        year, month = _year(match[1], plan_year), _number(match[2])
    elif match := _LATIN_QUARTER.fullmatch(compact) or _CN_QUARTER.fullmatch(compact):
        year, quarter = _year(match[1], plan_year), _number(match[2])
        last = end_of_quarter(year, quarter)  # first, so Q5 is reported as a bad quarter
        return date(year, quarter * 3 - 2, 1), last
    # A bare "2024" is only a period for reports: as a deadline it is too
    # easily a mistyped month-day such as "1231".
    elif match := _CN_YEAR.fullmatch(compact) or (bare_year and _BARE_YEAR.fullmatch(compact)):
        year = int(match[1])
        return date(year, 1, 1), date(year, 12, 31)
    else:
        return None
    return date(year, month, 1), end_of_month(year, month)


def _duration_days(compact: str) -> int | None:
    match = _DURATION.fullmatch(compact)
    if not match or match[2] not in _DURATION_UNIT_DAYS:
        return None
    return _number(match[1]) * _DURATION_UNIT_DAYS[match[2]]


def _parse_latin(text: str, plan_year: int) -> date | None:
    if not (_MONTH_NAME.search(text) or _ISO_WITH_TIME.match(text)):
        return None
    from dateutil import parser  # lazy: slow to import, rarely needed

    # The default supplies whatever the text leaves out.  31 December makes a
    # missing day the end of the month ("Sep 2024" -> 30 Sep; dateutil clamps
    # the day) and a missing year the plan year, matching the Chinese forms.
    try:
        return parser.parse(text, default=datetime(plan_year, 12, 31)).date()
    except parser.ParserError as error:
        # args[0] is a "%s" template for the text, which our message already names.
        reason = str(error.args[0]).removesuffix(": %s")
        if reason in ("Unknown string format", "String does not contain a date"):
            return None
        raise ValueError(reason) from None
