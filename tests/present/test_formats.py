"""The format factory: every query command prints every format, and each machine format parses back."""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml

from conftest import REGISTRY
from workplan.present.formats import WRITERS, Format, View, md_escape, write

AS_OF = ("--as-of", "2024-10-15")
COMMANDS = {
    "list": ("list", "--lead", "浙江省局"),
    "due": ("due", "--before", "2024-09-30", *AS_OF),
    "overdue": ("overdue", *AS_OF),
    "upcoming": ("upcoming", "--within", "60d", *AS_OF),
    "show": ("show", "18"),
    "search": ("search", "知识产权"),
    "stats": ("stats", "--by", "lead"),
    "orgs": ("orgs",),
    "log": ("log",),
    "status": ("status", *AS_OF),
}


def test_every_format_has_exactly_one_writer():
    assert set(WRITERS) == set(Format)


@pytest.mark.parametrize("fmt", [f.value for f in Format])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_prints_every_format(cli, command, fmt):
    result = cli(*COMMANDS[command], "--data", REGISTRY, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = result.stdout
    if fmt == "json":
        json.loads(out)
    elif fmt == "yaml":
        yaml.safe_load(out)
    elif fmt == "csv":
        assert out.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(out[1:])))
        assert len({len(row) for row in rows}) == 1  # a header and rows of its width
    elif fmt == "md":
        assert out.lstrip().startswith(("|", "#"))
    elif fmt == "plain" and command not in ("show", "log"):
        assert "│" not in out and "┃" not in out  # no box drawing
    assert out.strip() or command == "log"  # the shipped registry has no progress reports yet


def test_empty_result_is_a_note_on_stderr_in_every_format(capsys):
    for fmt in Format:
        write(fmt, View([], [], "zh"))
        out, err = capsys.readouterr()
        assert err.strip() == "没有符合条件的事项。"
        if fmt == Format.json:
            assert json.loads(out) == []


def test_markdown_escaping_is_one_function_for_tables_and_reports():
    assert md_escape("<script>a|b</script>\n*x*") == r"\<script\>a\|b\</script\><br>\*x\*"
