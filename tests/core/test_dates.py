import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from workplan.core.dates import (
    ACCEPTED_DURATION_FORMS,
    ACCEPTED_FORMS,
    ACCEPTED_PERIOD_FORMS,
    DateFormError,
    end_of_month,
    end_of_quarter,
    month_range,
    parse_date,
    parse_duration,
)

PLAN_YEAR = 2024
TODAY = date(2024, 9, 1)


@pytest.mark.parametrize(
    "text, expected",
    [
        # ISO and compact
        ("2024-09-30", date(2024, 9, 30)),
        ("2024/9/30", date(2024, 9, 30)),
        ("2024.9.30", date(2024, 9, 30)),
        ("20240930", date(2024, 9, 30)),
        ("2023-01-05", date(2023, 1, 5)),
        ("2024-02-29", date(2024, 2, 29)),
        # Chinese full dates
        ("2024年9月30日", date(2024, 9, 30)),
        ("2024年9月30号", date(2024, 9, 30)),
        ("2025年1月5日", date(2025, 1, 5)),
        ("9月30日", date(2024, 9, 30)),
        ("9月30号", date(2024, 9, 30)),
        ("9月30日前", date(2024, 9, 30)),
        ("九月三十日", date(2024, 9, 30)),
        # End of month
        ("2024年9月底", date(2024, 9, 30)),
        ("2024年9月底前", date(2024, 9, 30)),
        ("2024年9月末", date(2024, 9, 30)),
        ("2024年9月", date(2024, 9, 30)),
        ("9月底", date(2024, 9, 30)),
        ("9月底前", date(2024, 9, 30)),
        ("9月底之前", date(2024, 9, 30)),
        ("9月", date(2024, 9, 30)),
        ("九月底", date(2024, 9, 30)),
        ("十月底", date(2024, 10, 31)),
        ("十一月底", date(2024, 11, 30)),
        ("十二月底", date(2024, 12, 31)),
        ("2024-09", date(2024, 9, 30)),
        ("2024/09", date(2024, 9, 30)),
        ("2024-9", date(2024, 9, 30)),
        # Leap years
        ("2024年2月底", date(2024, 2, 29)),
        ("2023年2月底", date(2023, 2, 28)),
        ("2月底", date(2024, 2, 29)),
        ("2023-02", date(2023, 2, 28)),
        # Years
        ("2024年", date(2024, 12, 31)),
        ("2025年底", date(2025, 12, 31)),
        ("2025年底前", date(2025, 12, 31)),
        ("年底前", date(2024, 12, 31)),
        ("年末", date(2024, 12, 31)),
        # Quarters
        ("2024Q3", date(2024, 9, 30)),
        ("2024-Q3", date(2024, 9, 30)),
        ("2024 q3", date(2024, 9, 30)),
        ("2024q1", date(2024, 3, 31)),
        ("Q1", date(2024, 3, 31)),
        ("Q2", date(2024, 6, 30)),
        ("Q3", date(2024, 9, 30)),
        ("Q4", date(2024, 12, 31)),
        ("2023Q1", date(2023, 3, 31)),
        ("2024年第三季度", date(2024, 9, 30)),
        ("2025年第一季度", date(2025, 3, 31)),
        ("第3季度", date(2024, 9, 30)),
        ("第三季度", date(2024, 9, 30)),
        ("三季度", date(2024, 9, 30)),
        ("四季度末", date(2024, 12, 31)),
        ("第二季度前", date(2024, 6, 30)),
        # Full-width digits, whitespace and parentheses
        ("２０２４年９月３０日", date(2024, 9, 30)),
        ("２０２４－０９－３０", date(2024, 9, 30)),
        ("Ｑ３", date(2024, 9, 30)),
        ("  2024-09-30  ", date(2024, 9, 30)),
        ("\t9月底\n", date(2024, 9, 30)),
        ("2024 年 9 月 30 日", date(2024, 9, 30)),
        ("（9月底前）", date(2024, 9, 30)),
        ("(9月底前)", date(2024, 9, 30)),
        (" （ 2024年第三季度 ） ", date(2024, 9, 30)),
        ("\u30009月底\u3000", date(2024, 9, 30)),
        # Latin forms via dateutil; a missing day means the end of the month
        ("30 Sep 2024", date(2024, 9, 30)),
        ("Sep 30, 2024", date(2024, 9, 30)),
        ("September 30th, 2024", date(2024, 9, 30)),
        ("Sep 30", date(2024, 9, 30)),
        ("Sep 2024", date(2024, 9, 30)),
        ("Feb 2024", date(2024, 2, 29)),
        ("1 March 2023", date(2023, 3, 1)),
        ("2024-09-30T10:00", date(2024, 9, 30)),
        ("2024-09-30 10:00", date(2024, 9, 30)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text, plan_year=PLAN_YEAR) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("today", TODAY),
        ("TODAY", TODAY),
        ("今天", TODAY),
        ("+30d", date(2024, 10, 1)),
        ("-7d", date(2024, 8, 25)),
        ("+0d", TODAY),
        ("+2w", date(2024, 9, 15)),
        ("+1m", date(2024, 10, 1)),
        ("+3天", date(2024, 9, 4)),
        ("+30", date(2024, 10, 1)),
        ("＋３０ｄ", date(2024, 10, 1)),
    ],
)
def test_parse_date_relative(text, expected):
    assert parse_date(text, plan_year=PLAN_YEAR, today=TODAY) == expected


def test_parse_date_relative_defaults_to_real_today():
    assert parse_date("today", plan_year=PLAN_YEAR) == date.today()
    assert parse_date("+1d", plan_year=PLAN_YEAR) == date.today() + timedelta(days=1)


def test_plan_year_fills_missing_year():
    assert parse_date("9月底", plan_year=2025) == date(2025, 9, 30)
    assert parse_date("Q1", plan_year=2025) == date(2025, 3, 31)
    assert parse_date("Sep 30", plan_year=2025) == date(2025, 9, 30)
    assert parse_date("2024-09-30", plan_year=2025) == date(2024, 9, 30)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", None),
        ("   ", None),
        ("（）", None),
        ("前", None),
        ("2024-02-30", "day is out of range for month"),
        ("2023-02-29", "day is out of range for month"),
        ("20240230", "day is out of range for month"),
        ("2023年2月29日", "day is out of range for month"),
        ("2024-13-01", "month must be in 1..12"),
        ("2024-13", "month must be in 1..12"),
        ("2024年13月", "month must be in 1..12"),
        ("13月底", "month must be in 1..12"),
        ("0月", "month must be in 1..12"),
        ("十三月底", "month must be in 1..12"),
        ("0000-01-01", "year 0 is out of range"),
        ("Q5", "quarter must be in 1..4"),
        ("2024Q0", "quarter must be in 1..4"),
        ("第五季度", "quarter must be in 1..4"),
        ("Feb 30 2024", "day is out of range for month"),
        ("+99999999999d", None),
        ("hello", None),
        ("Monday", None),
        ("tomorrow", None),
        ("Sep hello", None),
        ("2024", None),  # too easily a mistyped month-day such as 1231
        ("1231", None),
        ("30", None),
        ("9/30", None),
        ("2024-09-30-01", None),
        ("+", None),
        ("+abc", None),
        ("+-3d", None),
        ("9月底底", None),
        ("下周", None),
        ("2024年9月\n30日x", None),
    ],
)
def test_parse_date_errors(text, reason):
    with pytest.raises(DateFormError) as caught:
        parse_date(text, plan_year=PLAN_YEAR, today=TODAY)
    message = caught.value.text("en")
    assert f'"{" ".join(text.split())}"' in message
    assert "accepted forms" in message
    assert ACCEPTED_FORMS in message
    assert "\n" not in message
    if reason:
        assert f"({reason})" in message


def test_error_message_format():
    with pytest.raises(DateFormError) as caught:
        parse_date("2024-02-30", plan_year=PLAN_YEAR)
    assert caught.value.text("en") == (
        f'unrecognised date "2024-02-30" (day is out of range for month); accepted forms: {ACCEPTED_FORMS}'
    )


def test_date_form_error_is_value_error():
    assert issubclass(DateFormError, ValueError)


@pytest.mark.parametrize(
    "text, days",
    [
        ("30d", 30),
        ("30", 30),
        ("0", 0),
        ("30天", 30),
        ("30日", 30),
        ("2w", 14),
        ("2周", 14),
        ("2星期", 14),
        ("1m", 30),
        ("1个月", 30),
        ("3个月", 90),
        ("1月", 30),
        ("10 days", 10),
        ("1 week", 7),
        ("2 months", 60),
        ("30D", 30),
        ("３０天", 30),
        ("三天", 3),
        ("两周", 14),
        ("十五天", 15),
        (" 7d ", 7),
    ],
)
def test_parse_duration(text, days):
    assert parse_duration(text) == timedelta(days=days)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", None),
        ("d", None),
        ("abc", None),
        ("30x", None),
        ("1.5d", None),
        ("-3d", "negative durations are not allowed"),
        ("-30", "negative durations are not allowed"),
        ("+3d", None),
        ("9999999999d", None),
    ],
)
def test_parse_duration_errors(text, reason):
    with pytest.raises(DateFormError) as caught:
        parse_duration(text)
    message = caught.value.text("en")
    assert f'"{text}"' in message
    assert "accepted forms" in message
    assert ACCEPTED_DURATION_FORMS in message
    if reason:
        assert f"({reason})" in message


@pytest.mark.parametrize(
    "year, month, expected",
    [
        (2024, 1, date(2024, 1, 31)),
        (2024, 2, date(2024, 2, 29)),
        (2023, 2, date(2023, 2, 28)),
        (2100, 2, date(2100, 2, 28)),
        (2000, 2, date(2000, 2, 29)),
        (2024, 4, date(2024, 4, 30)),
        (2024, 12, date(2024, 12, 31)),
    ],
)
def test_end_of_month(year, month, expected):
    assert end_of_month(year, month) == expected


@pytest.mark.parametrize("month", [0, 13, -1])
def test_end_of_month_rejects_bad_month(month):
    with pytest.raises(ValueError):
        end_of_month(2024, month)


@pytest.mark.parametrize(
    "year, quarter, expected",
    [
        (2024, 1, date(2024, 3, 31)),
        (2024, 2, date(2024, 6, 30)),
        (2024, 3, date(2024, 9, 30)),
        (2024, 4, date(2024, 12, 31)),
        (2023, 1, date(2023, 3, 31)),
    ],
)
def test_end_of_quarter(year, quarter, expected):
    assert end_of_quarter(year, quarter) == expected


@pytest.mark.parametrize("quarter", [0, 5])
def test_end_of_quarter_rejects_bad_quarter(quarter):
    with pytest.raises(ValueError):
        end_of_quarter(2024, quarter)


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("2024-09", date(2024, 9, 1), date(2024, 9, 30)),
        ("2024/09", date(2024, 9, 1), date(2024, 9, 30)),
        ("2024-2", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
        ("2024年9月", date(2024, 9, 1), date(2024, 9, 30)),
        ("2024年2月", date(2024, 2, 1), date(2024, 2, 29)),
        ("9月", date(2024, 9, 1), date(2024, 9, 30)),
        ("九月", date(2024, 9, 1), date(2024, 9, 30)),
        ("十二月", date(2024, 12, 1), date(2024, 12, 31)),
        ("2024Q3", date(2024, 7, 1), date(2024, 9, 30)),
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024 q4", date(2024, 10, 1), date(2024, 12, 31)),
        ("Q3", date(2024, 7, 1), date(2024, 9, 30)),
        ("Q2", date(2024, 4, 1), date(2024, 6, 30)),
        ("2024年第三季度", date(2024, 7, 1), date(2024, 9, 30)),
        ("第一季度", date(2024, 1, 1), date(2024, 3, 31)),
        ("三季度", date(2024, 7, 1), date(2024, 9, 30)),
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024年", date(2024, 1, 1), date(2024, 12, 31)),
        ("2023", date(2023, 1, 1), date(2023, 12, 31)),
        ("（２０２４年９月）", date(2024, 9, 1), date(2024, 9, 30)),
    ],
)
def test_month_range(text, first, last):
    assert month_range(text, plan_year=PLAN_YEAR) == (first, last)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", None),
        ("2024-09-30", None),
        ("9月底", None),
        ("today", None),
        ("hello", None),
        ("Sep 2024", None),
        ("2024-13", "month must be in 1..12"),
        ("2024年13月", "month must be in 1..12"),
        ("Q5", "quarter must be in 1..4"),
    ],
)
def test_month_range_errors(text, reason):
    with pytest.raises(DateFormError) as caught:
        month_range(text, plan_year=PLAN_YEAR)
    message = caught.value.text("en")
    assert f'"{text}"' in message
    assert "accepted forms" in message
    assert ACCEPTED_PERIOD_FORMS in message
    if reason:
        assert f"({reason})" in message


def test_import_uses_only_the_standard_library_and_the_labels():
    # dateutil must stay a lazy import: the CLI's start-up time depends on it.
    # The file is loaded on its own so that the package __init__ does not count.
    dates_py = Path(__file__).resolve().parents[2] / "workplan" / "core" / "dates.py"
    code = (
        "import importlib.util, sys\n"
        "spec = importlib.util.spec_from_file_location('dates', sys.argv[1])\n"
        "before = set(sys.modules)\n"
        "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        "new = set(sys.modules) - before\n"
        "ours = {name for name in new if name.split('.')[0] == 'workplan'}\n"
        "assert ours <= {'workplan', 'workplan.core', 'workplan.core.labels'}, ours  # the words of its errors\n"
        "assert {name.split('.')[0] for name in new - ours} <= sys.stdlib_module_names, new\n"
    )
    subprocess.run([sys.executable, "-c", code, str(dates_py)], check=True)
