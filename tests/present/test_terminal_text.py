"""Registry text that reaches a terminal cannot drive it; tables name the registry they read."""

from __future__ import annotations

import json

import pytest

from workplan.present.columns import ITEM_COLUMNS
from workplan.present.terminal import plain_table_lines, rich_table
from workplan.present.formats import md_escape
from workplan.present.text import visible

HOSTILE = "已完成\x1b[2J\x1b]0;pwned\x07\u2028下一行\u202e"


def test_controls_are_shown_as_visible_escapes():
    assert visible(HOSTILE) == "已完成\\x1b[2J\\x1b]0;pwned\\x07\\u2028下一行\\u202e"
    assert visible("普通文字 plain") == "普通文字 plain"


def test_plain_and_rich_tables_and_markdown_show_escapes_not_controls():
    from rich.console import Console

    records = [{"seq": 1, "title": HOSTILE}]
    columns = [ITEM_COLUMNS["seq"], ITEM_COLUMNS["title"]]
    plain = "\n".join(plain_table_lines(records, columns, "zh", title=HOSTILE))
    console = Console(width=200, record=True, color_system=None)
    console.print(rich_table(records, columns, "zh", title=HOSTILE))
    for text in (plain, console.export_text(), md_escape(HOSTILE)):
        assert "\x1b" not in text and "\x07" not in text and "\u2028" not in text
        assert "x1b" in text and "pwned" in text


def test_import_dry_run_shows_escapes(cli, tmp_path, registry_copy):
    from workplan.importing.workbook import _one_line

    assert _one_line("第一行\n" + HOSTILE) == "第一行 / " + visible(HOSTILE)


@pytest.mark.parametrize("args", [("list",), ("due", "--before", "2024-12-31"), ("overdue",), ("search", "食品"),
                                  ("stats",), ("orgs",), ("status",), ("show", "24")], ids=" ".join)
def test_tables_name_the_registry_machine_formats_do_not(cli, registry_copy, args):
    r = cli(*args, "--data", registry_copy, "--as-of", "2024-10-15") if args[0] not in ("search", "stats", "orgs") \
        else cli(*args, "--data", registry_copy)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[-1] == f"数据来源：{registry_copy}"
    if args[0] not in ("show",):
        extra = ("--as-of", "2024-10-15") if args[0] not in ("search", "stats", "orgs") else ()
        as_json = cli(*args, "--data", registry_copy, *extra, "-f", "json")
        assert str(registry_copy) not in as_json.stdout
        json.loads(as_json.stdout)
        as_csv = cli(*args, "--data", registry_copy, *extra, "-f", "csv")
        assert str(registry_copy) not in as_csv.stdout


def test_english_tables_name_the_registry_in_english(cli, registry_copy):
    r = cli("list", "--data", registry_copy, "--lang", "en")
    assert r.stdout.splitlines()[-1] == f"Registry: {registry_copy}"


def test_validate_names_the_registry(cli, registry_copy):
    r = cli("validate", "--data", registry_copy)
    assert r.stdout.startswith(f"{registry_copy}：有效 — ")
