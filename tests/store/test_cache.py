"""The validated-registry cache (never stale, never trusted when damaged) and the fast YAML path."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

from conftest import FIXTURES, REGISTRY, ROOT, generated_registry
from workplan.store import cache
from workplan.store import fastyaml, typed
from workplan.store import load as registry_module
from workplan.store.load import RegistryError, _StrictLoader, load_registry

OLD_TITLE = "拓展深化长三角地区“企业码”应用"   # item 2024-02, printed once in the file
NEW_TITLE = "拓展深化长三角地区“企业号”应用"   # 码 → 号: same number of UTF-8 bytes


def entry_files() -> list[Path]:
    folder = cache.cache_dir() / "registries"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def as_data(reg) -> dict:
    return reg.model_dump(mode="json")


def ids(result) -> list[str]:
    return [record["id"] for record in json.loads(result.stdout or "[]")]


# -- where the cache lives -------------------------------------------------------------------------

@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG rules are Linux's (platformdirs elsewhere)")
def test_cache_dir_follows_xdg_and_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "workplan"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")  # the XDG spec says: ignore relative paths
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "workplan"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "workplan"


def test_cache_is_written_under_the_cache_dir_never_beside_the_data(registry_copy):
    before = sorted(p.name for p in registry_copy.parent.iterdir())
    cache.load(registry_copy)
    assert sorted(p.name for p in registry_copy.parent.iterdir()) == before == ["items.yaml"]
    entries = entry_files()
    assert len(entries) == 1 and entries[0].suffix == ".json"
    assert registry_copy.parent not in entries[0].parents
    assert cache.cache_dir() in entries[0].parents


# -- correctness -------------------------------------------------------------------------------------

def test_warm_load_comes_from_the_cache_and_equals_the_yaml(registry_copy, monkeypatch):
    fresh = load_registry(registry_copy)
    first = cache.load(registry_copy)

    def no_yaml(path):
        raise AssertionError("the YAML was read although the cache is fresh")

    monkeypatch.setattr(cache, "load_registry", no_yaml)
    warm = cache.load(registry_copy)
    assert as_data(warm) == as_data(first) == as_data(fresh)
    # Same fields set as when read from the YAML (status: not_started is written out in the file).
    assert warm.items[0].model_fields_set == fresh.items[0].model_fields_set
    assert warm.items[17].milestones[1].due.isoformat() == "2024-12-31"
    assert [i.id for i in warm.items][35:37] == ["2024-36", "2024-36b"]


def same_models(a, b, where="registry") -> None:
    """Equal values of the same types, with the same fields set, all the way down."""
    assert type(a) is type(b), where
    if isinstance(a, BaseModel):
        assert a.model_fields_set == b.model_fields_set, where
        for name in type(a).model_fields:
            same_models(getattr(a, name), getattr(b, name), f"{where}.{name}")
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for n, (x, y) in enumerate(zip(a, b)):
            same_models(x, y, f"{where}[{n}]")
    else:
        assert a == b, where


@pytest.mark.parametrize("source, validated", [("registry", False), ("generated", False), ("generated", True)],
                         ids=["registry", "generated", "generated, large-entry path"])
def test_a_registry_read_back_from_the_cache_is_the_validated_one(source, validated, registry_copy, tmp_path,
                                                                   monkeypatch):
    if validated:
        monkeypatch.setattr(cache, "_VALIDATE_ABOVE", 0)  # as if the entry were large
    if source == "generated":
        registry_copy = generated_registry(tmp_path / "generated.yaml", 400, seed=11)
    fresh = load_registry(registry_copy)
    cache.load(registry_copy)
    warm = cache.load(registry_copy)
    assert (ROOT / "bench").exists() and warm is not fresh
    same_models(warm, fresh)
    assert warm == fresh
    # Lookups built on the registry work on one read back from the cache too.
    assert warm.expanded_leads(warm.items[0]) == fresh.expanded_leads(fresh.items[0])


def test_a_registry_read_back_shares_repeated_short_texts_and_dates(registry_copy):
    cache.load(registry_copy)
    warm = cache.load(registry_copy)
    zhejiang = [name for item in warm.items for name in item.leads if name == "浙江省局"]
    assert len(zhejiang) > 10 and all(name is zhejiang[0] for name in zhejiang)
    year_end = [m.due for item in warm.items for m in item.milestones if m.due.isoformat() == "2024-12-31"]
    assert len(year_end) > 10 and all(day is year_end[0] for day in year_end)
    assert typed._TEXTS == {} and typed._DATES == {}  # nothing held after the read


def forge_entry(entry: Path, lines: list[bytes]) -> dict:
    """Rewrite a cache entry with other payload lines and a checksum that matches them."""
    header = json.loads(entry.read_bytes().partition(b"\n")[0])
    payload = b"".join(lines)
    header.update(payload_bytes=len(payload), payload_sha256=hashlib.sha256(payload).hexdigest())
    entry.write_bytes(json.dumps(header).encode() + b"\n" + payload)
    return header


@pytest.mark.parametrize("large", [False, True], ids=["small-entry path", "large-entry path"])
def test_a_checksummed_entry_of_the_wrong_shape_is_rebuilt(registry_copy, monkeypatch, large):
    if large:
        monkeypatch.setattr(cache, "_VALIDATE_ABOVE", 0)
    cache.load(registry_copy)
    entry = entry_files()[0]
    lines = entry.read_bytes().splitlines(keepends=True)[1:]
    assert len(lines) == 2 + 59  # the registry without items, the query index, then one line per item

    def with_item(n: int, change) -> list[bytes]:
        head, tab, tail = lines[2 + n].partition(b"\t")  # the item, then its progress entries
        assert tab
        item = json.loads(head)
        change(item)
        return [*lines[:2 + n], json.dumps(item, ensure_ascii=False).encode() + b"\t" + tail, *lines[3 + n:]]

    for broken in (with_item(0, lambda item: item.update(seq=None)),      # a required value null
                   with_item(1, lambda item: item.update(colour="red")),  # a field no model has
                   with_item(2, lambda item: item.pop("title")),           # a required field missing
                   [*lines, b"[]\t\n"],                                 # a line that is no item
                   [*lines[:-1], lines[-1].replace(b"\t", b"")]):          # no tab
        header = forge_entry(entry, broken)
        assert cache.read_entry(entry, header["source_sha256"], header["code"]) is None
    header = forge_entry(entry, lines)
    assert cache.read_entry(entry, header["source_sha256"], header["code"]).items[0].seq == 1
    forge_entry(entry, with_item(0, lambda item: item.update(seq=None)))
    assert cache.load(registry_copy).items[0].seq == 1  # rebuilt from the YAML


def test_an_edit_keeping_size_and_mtime_is_never_answered_from_the_cache(registry_copy, cli):
    assert ids(cli("list", "--data", registry_copy, "--text", "企业号", "-f", "json")) == []
    assert len(entry_files()) == 1  # the cache now holds the old content

    stat = registry_copy.stat()
    text = registry_copy.read_text(encoding="utf-8")
    assert text.count(OLD_TITLE) == 1
    registry_copy.write_text(text.replace(OLD_TITLE, NEW_TITLE), encoding="utf-8", newline="")
    os.utime(registry_copy, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = registry_copy.stat()
    assert (after.st_size, after.st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)

    result = cli("list", "--data", registry_copy, "--text", "企业号", "-f", "json")
    assert result.exit_code == 0
    assert ids(result) == ["2024-02"]
    assert cache.load(registry_copy).items[1].title == NEW_TITLE
    assert len(entry_files()) == 1  # rebuilt in place: one entry per registry path


def corrupt_variants(good: bytes) -> dict[str, bytes]:
    header, _, payload = good.partition(b"\n")
    flipped = bytearray(payload)
    flipped[len(flipped) // 2] ^= 0x01
    forged_payload = b'{"version": 1}'
    forged_header = json.loads(header)
    forged_header.update(payload_bytes=len(forged_payload),
                         payload_sha256=__import__("hashlib").sha256(forged_payload).hexdigest())
    return {
        "flipped payload byte": header + b"\n" + bytes(flipped),
        "truncated": good[: len(good) // 2],
        "empty": b"",
        "garbage": b"\x00\xff not json at all",
        "header only": header + b"\n",
        "payload not a registry (checksum matches)": json.dumps(forged_header).encode() + b"\n" + forged_payload,
    }


@pytest.mark.parametrize("damage", list(corrupt_variants(b'{"a": 1}\n{}')))
def test_a_corrupt_cache_file_is_detected_and_rebuilt(registry_copy, damage):
    expected = as_data(load_registry(registry_copy))
    cache.load(registry_copy)
    [entry] = entry_files()
    good = entry.read_bytes()
    bad = corrupt_variants(good)[damage]
    entry.write_bytes(bad)

    reg = cache.load(registry_copy)  # no error for the user
    assert as_data(reg) == expected
    assert entry.read_bytes() == good  # rebuilt (same content, same code: same bytes)


@pytest.mark.parametrize("field, value", [("format", 999), ("code", "another-version"), ("source_sha256", "0" * 64)])
def test_a_cache_from_another_version_or_content_is_ignored(registry_copy, monkeypatch, field, value):
    cache.load(registry_copy)
    [entry] = entry_files()
    header, _, payload = entry.read_bytes().partition(b"\n")
    fields = json.loads(header)
    fields[field] = value
    # The payload is forged too, so that using it would show.
    forged = payload.replace(OLD_TITLE.encode(), NEW_TITLE.encode())
    fields.update(payload_bytes=len(forged), payload_sha256=__import__("hashlib").sha256(forged).hexdigest())
    entry.write_bytes(json.dumps(fields).encode() + b"\n" + forged)

    assert cache.load(registry_copy).items[1].title == OLD_TITLE
    assert json.loads(entry.read_bytes().partition(b"\n")[0])[field] != value


def test_another_workplan_version_does_not_read_this_cache(registry_copy, monkeypatch):
    import workplan

    cache.load(registry_copy)
    [entry] = entry_files()
    monkeypatch.setattr(workplan, "__version__", "99.0")
    assert cache.read_entry(entry, cache.file_sha256(registry_copy), cache.code_fingerprint()) is None
    monkeypatch.undo()
    assert cache.read_entry(entry, cache.file_sha256(registry_copy), cache.code_fingerprint()) is not None


def forge_title(path: Path) -> None:
    """A valid entry for the file's current content whose data differs: shows when the cache is used."""
    cache.load(path)
    [entry] = entry_files()
    lines = entry.read_bytes().splitlines(keepends=True)[1:]
    forge_entry(entry, [line.replace(OLD_TITLE.encode(), NEW_TITLE.encode()) for line in lines])


def test_no_cache_switch_and_environment_read_the_yaml(registry_copy, cli, monkeypatch):
    forge_title(registry_copy)
    assert ids(cli("list", "--data", registry_copy, "--text", "企业号", "-f", "json")) == ["2024-02"]  # cache used
    assert ids(cli("list", "--data", registry_copy, "--text", "企业号", "-f", "json", "--no-cache")) == []
    monkeypatch.setenv("WORKPLAN_NO_CACHE", "1")
    assert ids(cli("list", "--data", registry_copy, "--text", "企业号", "-f", "json")) == []


def test_no_cache_writes_nothing(registry_copy, cli, monkeypatch):
    assert cli("list", "--data", registry_copy, "--no-cache", "-f", "csv").exit_code == 0
    monkeypatch.setenv("WORKPLAN_NO_CACHE", "1")
    assert cli("list", "--data", registry_copy, "-f", "csv").exit_code == 0
    assert entry_files() == []
    monkeypatch.delenv("WORKPLAN_NO_CACHE")
    assert cli("list", "--data", registry_copy, "-f", "csv").exit_code == 0
    assert len(entry_files()) == 1


def test_an_invalid_registry_reports_the_same_problems_and_is_not_cached():
    path = FIXTURES / "invalid" / "duplicate_key.yaml"
    with pytest.raises(RegistryError) as direct:
        load_registry(path)
    with pytest.raises(RegistryError) as cached:
        cache.load(path)
    assert [str(p) for p in cached.value.problems] == [str(p) for p in direct.value.problems]
    assert entry_files() == []


def test_a_missing_registry_is_the_usual_error(tmp_path):
    with pytest.raises(RegistryError) as exc:
        cache.load(tmp_path / "nope.yaml")
    assert [p.words("en") for p in exc.value.problems] == ["no such file"]
    assert [p.words("zh") for p in exc.value.problems] == ["没有这个文件"]


def test_an_unwritable_cache_dir_is_not_an_error(registry_copy, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert len(cache.load(registry_copy).items) == 59
    assert len(cache.load(registry_copy).items) == 59


def test_writes_are_atomic_and_leave_no_temporary_files(registry_copy, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_bytes(registry_copy.read_bytes())
    for path in (registry_copy, other, registry_copy):
        cache.load(path)
    names = [p.name for p in entry_files()]
    assert len(names) == 2 and all(n.endswith(".json") and ".tmp" not in n for n in names)


def test_file_sha256_reads_in_chunks(tmp_path):
    data = os.urandom(3 * (1 << 20) + 12345)  # several 1 MB chunks and a partial one
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    assert cache.file_sha256(path) == hashlib.sha256(data).hexdigest()


# -- the fast YAML path reads exactly what the strict loader reads -----------------------------------

def strict(text: str):
    loader = _StrictLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


@pytest.mark.parametrize("path", [REGISTRY, FIXTURES / "minimal.yaml"], ids=["registry", "minimal"])
def test_fast_yaml_equals_the_strict_loader(path):
    text = path.read_text(encoding="utf-8-sig")
    assert fastyaml.load(text, _StrictLoader) == strict(text)


@pytest.mark.parametrize("text, expected", [
    ("a: 2024-03-29\nb: '1'\nc: 1\nd: no\ne: ~\nf: 0o17\ng: 1.5\nh: !!str 7\n",
     {"a": "2024-03-29", "b": "1", "c": 1, "d": False, "e": None, "f": "0o17", "g": 1.5, "h": "7"}),
    ("- [x, y]\n- {k: v}\n- ''\n-\n", [["x", "y"], {"k": "v"}, "", None]),
    ("", None),
])
def test_fast_yaml_scalars_follow_the_strict_loader(text, expected):
    assert strict(text) == expected
    assert fastyaml.load(text, _StrictLoader) == expected


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",                 # alias
    "a: 1\na: 2\n",                     # duplicate key
    "a: !!python/object:os.system x\n",  # unsafe tag
    "<<: {a: 1}\n",                     # merge key
    "? [a]\n: 1\n",                     # collection as key
    "a: 1\n---\nb: 2\n",                # two documents
    "a: [1, 2\n",                       # syntax error
])
def test_fast_yaml_leaves_anything_unusual_to_the_strict_loader(text):
    with pytest.raises(fastyaml.Fallback):
        fastyaml.load(text, _StrictLoader)


def test_fast_yaml_converts_each_element_of_a_named_top_level_list_as_it_is_read():
    seen = []

    def convert(element):
        seen.append(element)
        return len(seen)

    data = fastyaml.load("items:\n  - {a: 1}\n  - [b]\nother: [1, 2]\n", _StrictLoader, each={"items": convert})
    assert data == {"items": [1, 2], "other": [1, 2]}
    assert seen == [{"a": 1}, ["b"]]
    with pytest.raises(fastyaml.Fallback):  # whatever the conversion raises leaves it to the strict path
        fastyaml.load("items: [x]\n", _StrictLoader, each={"items": int})


@pytest.mark.parametrize("source", ["registry", "minimal", "generated", "with a UTF-8 BOM"])
def test_the_one_pass_read_equals_the_strict_read(source, tmp_path):
    path = {"registry": REGISTRY, "minimal": FIXTURES / "minimal.yaml"}.get(source)
    if source == "generated":
        path = generated_registry(tmp_path / "generated.yaml", 400, seed=11)
    elif source == "with a UTF-8 BOM":
        path = tmp_path / "bom.yaml"
        path.write_bytes(b"\xef\xbb\xbf" + REGISTRY.read_bytes())
    one_pass = registry_module._load_valid(path, dt.date.today())
    assert one_pass is not None
    text = registry_module.read_text(path)
    strict_read = registry_module.registry_from_data(registry_module.parse_yaml(text, path), text, path)
    same_models(one_pass, strict_read)
    assert one_pass == strict_read == load_registry(path)


def test_the_one_pass_read_shares_repeated_short_texts():
    reg = registry_module._load_valid(REGISTRY, dt.date.today())
    zhejiang = [name for item in reg.items for name in item.leads if name == "浙江省局"]
    assert len(zhejiang) > 10 and all(name is zhejiang[0] for name in zhejiang)


@pytest.mark.parametrize("name", sorted(p.name for p in (FIXTURES / "invalid").glob("*.yaml")))
def test_the_one_pass_read_leaves_every_bad_file_to_the_strict_path(name):
    assert registry_module._load_valid(FIXTURES / "invalid" / name, dt.date.today()) is None


@pytest.mark.parametrize("bom, encoding", [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
                                           (b"\xff\xfe\x00\x00", "utf-32-le")])
def test_a_registry_in_another_unicode_encoding_is_refused_as_before(bom, encoding, tmp_path):
    # libyaml itself would read UTF-16 and UTF-32 by their byte-order mark.
    path = tmp_path / "wide.yaml"
    path.write_bytes(bom + REGISTRY.read_text(encoding="utf-8").encode(encoding))
    assert registry_module._load_valid(path, dt.date.today()) is None
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    assert "not UTF-8 text" in caught.value.problems[0].words("en")


def test_an_entry_header_is_written_over_its_reserved_room(registry_copy):
    cache.load(registry_copy)
    (entry,) = entry_files()
    first, _, payload = entry.read_bytes().partition(b"\n")
    header = json.loads(first)
    assert first.endswith(b" ") and header["payload_bytes"] == len(payload)
    assert header["payload_sha256"] == hashlib.sha256(payload).hexdigest()
    assert cache.load(registry_copy) == load_registry(registry_copy)


# -- start-up: what `--help` and `list` import ------------------------------------------------------

HEAVY = ["openpyxl", "docx", "lxml", "ruamel", "sqlite3", "icalendar", "jinja2", "defusedxml", "xml.etree"]


def imported_by(*argv: str) -> set[str]:
    code = ("import sys, json\nsys.argv = ['workplan', *sys.argv[1:]]\nimport workplan.cli.commands\nfrom workplan.cli.app import run\n"
            "try:\n    run()\nexcept SystemExit:\n    pass\nsys.stderr.write('\\n' + json.dumps(sorted(sys.modules)))\n")
    env = dict(os.environ, COLUMNS="120")
    result = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,
                            encoding="utf-8", env=env, cwd=ROOT)
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


def imported_by_console_script(*argv: str) -> set[str]:
    """The modules `workplan ARGV…` imports, registering only its command as the console script does."""
    code = ("import sys, json\nsys.argv = ['workplan', *sys.argv[1:]]\nimport workplan.cli.main as main\n"
            "main.register(sys.argv[1:])\nfrom workplan.cli.app import run\n"
            "try:\n    run()\nexcept SystemExit:\n    pass\nsys.stderr.write('\\n' + json.dumps(sorted(sys.modules)))\n")
    result = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,
                            encoding="utf-8", env=dict(os.environ, COLUMNS="120"), cwd=ROOT)
    assert result.stdout.strip(), result.stderr
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


def test_help_imports_no_heavy_module():
    loaded = imported_by("--help")
    assert [m for m in HEAVY if m in loaded] == []


def test_list_imports_no_heavy_module():
    loaded = imported_by("list", "--lead", "浙江省局", "-f", "csv")
    assert [m for m in HEAVY if m in loaded] == []
    assert "workplan.store.cache" in loaded


def test_help_does_not_load_the_registry_machinery():
    loaded = imported_by("--help")
    # Not even pydantic: Typer 0.29 would import it to coerce options (hence the cap in pyproject.toml).
    assert [m for m in ("pydantic", "yaml", "workplan.core.models", "workplan.store.load") if m in loaded] == []


REGISTRY_MACHINERY = ["pydantic", "pydantic_core", "yaml", "workplan.core.models", "workplan.store.load"]


@pytest.mark.parametrize("query", [
    ("list", "--lead", "浙江省局"), ("list", "-f", "csv", "--sort", "lead"), ("list", "-f", "md", "--status", "推进中"),
    ("due", "--before", "2024-09-30"), ("overdue", "--as-of", "2024-10-15", "--province", "浙江"),
    ("upcoming", "--as-of", "2024-08-20", "--within", "60d"), ("stats",), ("stats", "--by", "section"),
], ids=" ".join)
def test_a_warm_query_imports_neither_pydantic_nor_yaml(registry_copy, query):
    """A warm query served by the index reads plain records: it never imports the validators."""
    cold = imported_by_console_script(*query, "--data", str(registry_copy))
    assert {"pydantic", "yaml"} <= cold  # the first run parses and validates the YAML
    warm = imported_by_console_script(*query, "--data", str(registry_copy))
    assert [m for m in REGISTRY_MACHINERY if m in warm] == []
    assert "workplan.store.index" in warm


def test_loading_pauses_the_collector_and_restores_it(registry_copy):
    import gc

    assert gc.isenabled()
    load_registry(registry_copy)
    assert gc.isenabled()
    gc.disable()
    try:
        load_registry(registry_copy)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


# -- commands that leave the progress entries unread answer exactly as from the YAML ------------------

QUERIES = [
    ("list",), ("list", "-f", "csv"), ("list", "-f", "md", "--lang", "en"), ("list", "-f", "json"),
    ("list", "--lead", "浙江省局", "--sort", "due"), ("list", "--province", "安徽", "--status", "推进中", "-f", "yaml"),
    ("due", "--before", "2024-09-30"), ("due", "--after", "2024-10-01", "-f", "json"),
    ("overdue", "--as-of", "2024-10-15", "-f", "csv"), ("upcoming", "--as-of", "2024-06-20", "--within", "60d"),
    ("stats",), ("stats", "--by", "month", "-f", "json"), ("stats", "--by", "org", "--lead", "上海市局"),
    ("list", "--columns", "id,seq,title,departments,leads,joint,lead_units,due,deadline,section,task,status,light",
     "-f", "csv", "--sort", "lead"),
    ("list", "--columns", "seq,measures", "--org", "嘉兴市局", "--sort", "status"),
    ("list", "--dept", "标准化", "--section", "3", "--due-after", "2024-10-01", "--lang", "en"),
    ("list", "--task", "21", "--direct", "--lead", "浙江省局", "-f", "md"),
    ("list", "--text", "检验检测", "-f", "csv"),
    ("due", "--before", "2024-12-31", "--columns", "due,id,text,measure,leads,joint,status", "--lead", "安徽省局"),
    ("overdue", "--as-of", "2024-12-01", "--province", "浙江", "--lang", "en", "-f", "md"),
    ("stats", "--by", "dept", "--status", "延期"), ("stats", "--by", "task", "--text", "认证"),
    ("stats", "--by", "section", "-f", "csv"), ("stats", "--by", "status", "--lang", "en"),
]


@pytest.mark.slow
@pytest.mark.parametrize("large", [False, True], ids=["small-entry path", "large-entry path"])
def test_queries_from_the_cache_answer_as_from_the_yaml(cli, tmp_path, monkeypatch, large):
    from workplan.store import index

    if large:
        monkeypatch.setattr(cache, "_VALIDATE_ABOVE", 0)
    path = generated_registry(tmp_path / "items.yaml", 600, seed=17)
    assert any(item.progress for item in load_registry(path).items)
    cli("stats", "--data", path)  # writes the cache
    indexed = []
    monkeypatch.setattr(index, "indexed_items", lambda *a, real=index.indexed_items: indexed.append(1) or real(*a))
    for query in QUERIES:
        as_of = [] if "--as-of" in query or query[0] == "stats" else ["--as-of", "2024-09-01"]  # fixed lights
        args = [*query, "--data", path, *as_of]
        warm, fresh = cli(*args), cli(*args, "--no-cache")
        assert warm.exit_code == fresh.exit_code == 0, (query, warm.stderr)
        assert warm.stdout == fresh.stdout and warm.stdout.strip(), query
    assert len(indexed) == 17  # table, CSV and Markdown rows without measures, and stats, without --text


def test_progress_entries_left_unread_fail_loudly_if_used(registry_copy, tmp_path):
    path = generated_registry(tmp_path / "items.yaml", 50, seed=19)
    full = cache.load(path)
    light = cache.load(path, progress=False)
    assert [i.id for i in light.items] == [i.id for i in full.items]
    assert [i.milestones for i in light.items] == [i.milestones for i in full.items]
    with_entries = next(n for n, item in enumerate(full.items) if item.progress)
    with pytest.raises(RuntimeError, match="not read"):
        list(light.items[with_entries].progress)
    with pytest.raises(RuntimeError, match="not read"):
        len(light.items[0].progress)
    assert cache.load(path).items[with_entries].progress == full.items[with_entries].progress


def test_indexed_items_carry_the_query_fields_and_nothing_else(registry_copy):
    cache.load(registry_copy)
    full = cache.load(registry_copy)
    light = cache.load(registry_copy, index=True)
    assert [type(i).__name__ for i in light.items[:1]] == ["IndexedItem"]
    for a, b in zip(light.items, full.items):
        assert (a.id, a.seq, a.title, a.section, a.task, a.status, a.leads, a.departments, a.departments_display) == (
            b.id, b.seq, b.title, b.section, b.task, b.status, b.leads, b.departments, b.departments_display)
        assert [(m.due, m.text, m.done_on) for m in a.milestones] == [(m.due, m.text, m.done_on) for m in b.milestones]
    with pytest.raises(AttributeError):
        light.items[0].measures  # what the index does not hold is never answered wrongly
    with pytest.raises(AttributeError):
        light.items[17].milestones[0].measure
    assert light.org("上海药监局").name == "上海市药监局" and light.task(19).section == 5


def test_an_update_leaves_a_fresh_cache_entry_behind(registry_copy, cli, monkeypatch):
    """After workplan writes the registry, the next command reads the cache, not the YAML."""
    assert cli("update", "2024-18", "--status", "推进中", "--by", "浙江省局", "--note", "已启动",
               "--data", registry_copy, "--as-of", "2024-05-01").exit_code == 0
    assert entry_files()

    def no_yaml(path):
        raise AssertionError("the YAML was read although workplan itself wrote it")

    monkeypatch.setattr(cache, "load_registry", no_yaml)
    reg = cache.load(registry_copy)
    item = next(i for i in reg.items if i.id == "2024-18")
    assert item.status.value == "in_progress" and item.progress[-1].text == "已启动"
    assert reg == load_registry(registry_copy)


def test_an_update_under_no_cache_writes_no_entry(registry_copy, cli, monkeypatch):
    monkeypatch.setenv("WORKPLAN_NO_CACHE", "1")
    assert cli("update", "2024-18", "--status", "推进中", "--by", "浙江省局", "--note", "已启动",
               "--data", registry_copy, "--as-of", "2024-05-01").exit_code == 0
    assert entry_files() == []
