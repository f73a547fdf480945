"""The cache never changes an answer: values come back with the types the models gave them.

A checksum proves an entry is whole, not that workplan wrote it; these entries are forged with
checksums that match, and every value of the wrong type must make the entry count as damaged.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from workplan.store import cache
from workplan.store.load import load_registry

AS_OF = "2024-10-09"


def entry_file() -> Path:
    [entry] = sorted((cache.cache_dir() / "registries").iterdir())
    return entry


def no_yaml(path):
    raise AssertionError("the YAML was read although the cache is fresh")


# -- a progress note that reads like a date ---------------------------------------------------------

DATE_LOOKING_NOTES = [
    # (item, note, date of the report): 2024-12-31 is a milestone's due date read before the note,
    # 2024-10-09 the report's own date, read just before its text.
    ("24", "2024-12-31", AS_OF),
    ("24", AS_OF, AS_OF),
    ("18", "2024-06-30", AS_OF),
]

COMMANDS = [
    ("log",), ("log", "-f", "json"), ("log", "-f", "csv"),
    ("due", "--before", "2025-01-01", "-f", "json", "--as-of", AS_OF),
    ("due", "--before", "2025-01-01", "-f", "yaml", "--as-of", AS_OF),
    ("show", "24", "--as-of", AS_OF), ("show", "24", "-f", "json"), ("show", "18", "-f", "yaml"),
    ("search", "协查", "-f", "json"), ("search", "计量", "-f", "md"),
    ("list", "-f", "json", "--as-of", AS_OF), ("status", "--as-of", AS_OF, "-f", "json"),
    ("export", "--json", "-", "--as-of", AS_OF), ("export", "--csv", "-", "--as-of", AS_OF),
]


@pytest.mark.parametrize("large", [False, True], ids=["small-entry path", "large-entry path"])
def test_a_progress_note_that_reads_like_a_date_comes_back_as_text(cli, registry_copy, monkeypatch, large):
    if large:
        monkeypatch.setattr(cache, "_VALIDATE_ABOVE", 0)
    for item, note, day in DATE_LOOKING_NOTES:
        result = cli("update", item, "--note", note, "--by", "浙江省局", "--date", day, "--as-of", AS_OF,
                     "--data", registry_copy)
        assert result.exit_code == 0, result.stderr
    # update left a fresh entry behind: every command below reads it, not the YAML.
    monkeypatch.setattr(cache, "load_registry", no_yaml)
    warm = {command: cli(*command, "--data", registry_copy) for command in COMMANDS}
    monkeypatch.setattr(cache, "load_registry", load_registry)
    for command, result in warm.items():
        fresh = cli(*command, "--data", registry_copy, "--no-cache")
        assert result.exit_code == fresh.exit_code == 0, (command, result.stderr)
        assert result.stdout == fresh.stdout and result.stdout.strip(), command
    texts = [entry["text"] for record in json.loads(warm[("show", "24", "-f", "json")].stdout)
             for entry in record["progress"]]
    assert texts == ["2024-12-31", AS_OF]
    reg = cache.load(registry_copy)
    item24 = next(item for item in reg.items if item.id == "2024-24")
    assert [type(entry.text) for entry in item24.progress] == [str, str]


def test_a_date_typed_into_the_workbook_as_progress_comes_back_as_text(cli, registry_copy, tmp_path, monkeypatch):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = tmp_path / "plan.xlsx"
    assert cli("export", "--xlsx", workbook, "--data", registry_copy, "--as-of", "2024-10-01").exit_code == 0
    wb = openpyxl.load_workbook(workbook)
    sheet = wb["清单"]
    row = next(r for r in range(4, sheet.max_row + 1) if sheet[f"K{r}"].value == "2024-02")
    sheet[f"I{row}"] = "2024-12-31"  # 进展情况 typed as a date, kept as text by the cell
    sheet[f"J{row}"] = "2024-09-20"
    wb.save(workbook)
    result = cli("import", workbook, "--data", registry_copy, "--as-of", "2024-10-01", "--apply")
    assert result.exit_code == 0, result.stderr
    monkeypatch.setattr(cache, "load_registry", no_yaml)
    warm = cli("show", "2024-02", "-f", "json", "--data", registry_copy)
    monkeypatch.setattr(cache, "load_registry", load_registry)
    fresh = cli("show", "2024-02", "-f", "json", "--data", registry_copy, "--no-cache")
    assert warm.exit_code == fresh.exit_code == 0, warm.stderr
    assert warm.stdout == fresh.stdout
    [record] = json.loads(warm.stdout)
    assert [entry["text"] for entry in record["progress"]] == ["2024-12-31"]


# -- forged entries of the wrong types ----------------------------------------------------------------

def forge(entry: Path, change_line) -> dict:
    """Rewrite the entry with one payload line changed, every checksum recomputed to match."""
    header_line, _, payload = entry.read_bytes().partition(b"\n")
    header = json.loads(header_line)
    lines = payload.splitlines(keepends=True)
    lines = change_line(lines)
    index_part = lines[0] + lines[1]
    payload = b"".join(lines)
    header.update(index_bytes=len(index_part), index_sha256=hashlib.sha256(index_part).hexdigest(),
                  payload_bytes=len(payload), payload_sha256=hashlib.sha256(payload).hexdigest())
    entry.write_bytes(json.dumps(header).encode() + b"\n" + payload)
    return header


def dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def item_change(n: int, change):
    def change_line(lines):
        head, _, tail = lines[2 + n].rstrip(b"\n").partition(b"\t")
        item = json.loads(head)
        entries = json.loads(tail) if tail else None
        item, entries = change(item, entries)
        lines[2 + n] = dumps(item) + b"\t" + (b"" if entries is None else dumps(entries)) + b"\n"
        return lines
    return change_line


def set_item(**values):
    return lambda item, entries: (item | values, entries)


def set_milestone(**values):
    def change(item, entries):
        item["milestones"][0].update(values)
        return item, entries
    return change


def set_entry(**values):
    def change(item, entries):
        entries[0].update(values)
        return item, entries
    return change


def meta_change(change):
    def change_line(lines):
        meta = json.loads(lines[0])
        change(meta)
        lines[0] = dumps(meta) + b"\n"
        return lines
    return change_line


WRONG_ITEMS = {
    "seq as text": set_item(seq="1"),
    "seq as a flag": set_item(seq=True),
    "seq as a fraction": set_item(seq=1.0),
    "title as a number": set_item(title=5),
    "leads as one text": set_item(leads="浙江省局"),
    "a department as a number": set_item(departments=[1]),
    "status unknown": set_item(status="finished"),
    "status as a number": set_item(status=1),
    "task as text": set_item(task="3"),
    "milestones as an object": set_item(milestones={"due": "2024-12-31"}),
    "a due date as a number": set_milestone(due=20241231),
    "a due date that is no date": set_milestone(due="2024-02-30"),
    "tentative as text": set_milestone(tentative="yes"),
    "tentative as a number": set_milestone(tentative=1),
    "a milestone text as a list": set_milestone(text=["9月底前"]),
}
WRONG_ENTRIES = {
    "progress as an object": lambda item, entries: (item, entries[0]),
    "an entry's text as a number": set_entry(text=20241008),
    "an entry's date as a number": set_entry(date=20241008),
    "an entry's milestone as text": set_entry(milestone="1"),
    "forced as a number": set_entry(forced=0),
}
WRONG_META = {
    "the year as text": lambda meta: meta["plan"].update(year="2024"),
    "a section number as text": lambda meta: meta["sections"][0].update(number="1"),
    "a task as a list": lambda meta: meta["tasks"].__setitem__(0, [1, 1, "x", "y"]),
    "an organisation kind unknown": lambda meta: meta["organisations"][0].update(kind="bureau"),
    "aliases as one text": lambda meta: meta["organisations"][1].update(aliases="上海局"),
}


@pytest.fixture
def entry_with_progress(registry_copy, cli):
    """A cache entry whose item 2024-24 (position 23) has one progress entry."""
    assert cli("update", "24", "--note", "已启动", "--by", "浙江省局", "--date", AS_OF, "--as-of", AS_OF,
               "--data", registry_copy).exit_code == 0
    return registry_copy, entry_file()


@pytest.mark.parametrize("large", [False, True], ids=["small-entry path", "large-entry path"])
@pytest.mark.parametrize("wrong", [*WRONG_ITEMS, *WRONG_ENTRIES, *WRONG_META])
def test_a_forged_entry_of_the_wrong_types_is_not_trusted(entry_with_progress, monkeypatch, wrong, large):
    path, entry = entry_with_progress
    if large:
        monkeypatch.setattr(cache, "_VALIDATE_ABOVE", 0)
    good = entry.read_bytes()
    expected = load_registry(path)
    if wrong in WRONG_META:
        header = forge(entry, meta_change(WRONG_META[wrong]))
    else:
        header = forge(entry, item_change(23, (WRONG_ITEMS | WRONG_ENTRIES)[wrong]))
    assert cache.read_entry(entry, header["source_sha256"], header["code"]) is None
    assert cache.load(path) == expected  # rebuilt from the YAML
    assert entry.read_bytes() == good


def index_change(change):
    def change_line(lines):
        index = json.loads(lines[1])
        change(index)
        lines[1] = dumps(index) + b"\n"
        return lines
    return change_line


def set_row(position: int, value):
    return lambda index: index["items"][3].__setitem__(position, value)


WRONG_INDEX = {
    "an id as a number": set_row(0, 4),
    "seq as text": set_row(1, "4"),
    "seq as a flag": set_row(1, True),
    "a title missing": set_row(2, None),
    "a section as text": set_row(3, "1"),
    "a task as text": set_row(4, "1"),
    "a status unknown": set_row(5, "finished"),
    "a lead set as a flag": set_row(6, True),
    "a lead set out of range": set_row(6, 10_000),
    "departments text as a list": set_row(8, ["x"]),
    "a milestone cut short": set_row(9, [0, "9月底前"]),
    "a due date missing": set_row(9, [-1, "9月底前", -1]),
    "a milestone text as a number": set_row(9, [0, 9, -1]),
    "a row cut short": lambda index: index["items"][3].pop(),
    "a date as a number": lambda index: index["dates"].__setitem__(0, 20241231),
    "a lead name as a number": lambda index: index["lead_sets"][0].__setitem__(0, 1),
    "department sets as an object": lambda index: index.__setitem__("dept_sets", {"0": ["x"]}),
}


@pytest.mark.parametrize("wrong", list(WRONG_INDEX))
def test_a_forged_query_index_of_the_wrong_types_is_not_trusted(registry_copy, wrong):
    cache.load(registry_copy)
    entry = entry_file()
    good = entry.read_bytes()
    header = forge(entry, index_change(WRONG_INDEX[wrong]))
    assert cache.read_entry(entry, header["source_sha256"], header["code"], index=True) is None
    reg = cache.load(registry_copy, index=True)  # rebuilt from the YAML
    assert [item.title for item in reg.items] == [item.title for item in load_registry(registry_copy).items]
    assert entry.read_bytes() == good


def test_the_forged_entries_change_nothing_but_the_types(entry_with_progress):
    """The same forgeries with values of the right types are read: the checks are about types."""
    path, entry = entry_with_progress
    header = forge(entry, item_change(23, set_milestone(text="10月底前")))
    reg = cache.read_entry(entry, header["source_sha256"], header["code"])
    assert reg.items[23].milestones[0].text == "10月底前"
    header = forge(entry, index_change(set_row(1, 99)))
    assert cache.read_entry(entry, header["source_sha256"], header["code"], index=True).items[3].seq == 99
