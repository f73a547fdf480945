"""Bounded fuzzing, in-process: thousands of broken registries and hundreds of broken workbooks.

Each mutation is made by a seeded mutator (reproducible: a failure names its seed) and run through
the real entry point. Every run must end with exit 0, 1 or 2, print no traceback, finish in time,
and leave the registry byte-identical unless it succeeded.
"""

from __future__ import annotations

import io
import random
import signal
import zipfile

import pytest

from conftest import FIXTURES

MINIMAL = FIXTURES / "minimal.yaml"
REGISTRY_ROUNDS, REGISTRY_PER_ROUND = 25, 84  # 2,100 registry mutations
WORKBOOK_ROUNDS, WORKBOOK_PER_ROUND = 10, 32  # 320 workbook mutations
AS_OF = "2024-10-15"

# What people (and attackers) put into YAML: syntax, YAML 1.1 surprises, controls, odd Unicode.
SNIPPETS = ["\t", ":", ": ", " - ", "-", "'", '"', "{", "}", "[", "]", "*a", "&a ", "!!python/object ", "#", "|",
            ">", "? ", "%", "@", "`", "yes", "no", "~", "null", "0123", "12:30", "0x1F", "1e9", "9" * 4400,
            "2024-02-30", "2024-13-01", "\x1b[2J", "\x00", "\x07", "\u2028", "\ufffe", "\uffff", "\\e", "\\uFFFF",
            "\\x00", "合作", "三省一市局", "浙江局", "\r", "\r\n", "\n", "  ", "    ", "\ufeff", "items:", "status: done",
            "progress: []", "- date: 2024-09-01", "=1+1", "\U0001F600", "\u202e"]


def mutate(text: str, rng: random.Random) -> str:
    """One to four random edits: insert a snippet, delete or duplicate a span, swap or re-indent
    lines, replace a value, truncate."""
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(7)
        at = rng.randrange(len(text) + 1)
        if kind == 0:
            text = text[:at] + rng.choice(SNIPPETS) + text[at:]
        elif kind == 1:
            text = text[:at] + text[at + rng.randint(1, 40):]
        elif kind == 2:
            span = text[at:at + rng.randint(1, 80)]
            text = text[:at] + span + span + text[at + len(span):]
        elif kind == 3:
            lines = text.split("\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif kind == 4:
            lines = text.split("\n")
            i = rng.randrange(len(lines))
            lines[i] = " " * rng.choice([0, 1, 2, 3, 5, 8]) + lines[i].lstrip()
            text = "\n".join(lines)
        elif kind == 5:
            lines = text.split("\n")
            i = rng.randrange(len(lines))
            if ": " in lines[i]:
                key = lines[i].split(": ", 1)[0]
                lines[i] = f"{key}: {rng.choice(SNIPPETS)}"
            text = "\n".join(lines)
        else:
            text = text[:at]
    return text


class Hang(Exception):
    pass


@pytest.fixture
def deadline():
    """Fails a run that takes longer than `seconds` (a hang, a loop)."""
    def expire(signum, frame):
        raise Hang

    previous = signal.signal(signal.SIGALRM, expire)

    def arm(seconds: float):
        signal.setitimer(signal.ITIMER_REAL, seconds)

    yield arm
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


def run(cli, deadline, *args) -> tuple[int, str]:
    deadline(20)
    try:
        r = cli(*args)
    finally:
        deadline(0)
    return r.exit_code, r.stderr + r.stdout


@pytest.mark.slow
@pytest.mark.parametrize("round_", range(REGISTRY_ROUNDS))
def test_broken_registries_never_crash_hang_or_change(cli, tmp_path, deadline, round_):
    original = MINIMAL.read_text(encoding="utf-8")
    path = tmp_path / "items.yaml"
    for n in range(REGISTRY_PER_ROUND):
        seed = round_ * REGISTRY_PER_ROUND + n
        rng = random.Random(seed)
        text = mutate(original, rng)
        path.write_text(text, encoding="utf-8", newline="")
        before = path.read_bytes()
        command = [("validate", path), ("list", "-f", "json", "--data", path, "--no-cache"),
                   ("update", "2024-01", "--note", "进展", "--data", path, "--as-of", AS_OF),
                   ("show", "2024-02", "--data", path, "--as-of", AS_OF)][seed % 4]
        code, output = run(cli, deadline, *command)
        assert code in (0, 1, 2), f"seed {seed}: exit {code}: {output[-500:]}"
        assert "Traceback" not in output, f"seed {seed}: {output[-2000:]}"
        if code != 0 or command[0] != "update":
            assert path.read_bytes() == before, f"seed {seed}: the registry changed although {command[0]} exited {code}"
        assert not [p for p in tmp_path.iterdir() if p.name.endswith((".tmp", ".lock"))], f"seed {seed}"


@pytest.fixture(scope="module")
def workbook_bytes(tmp_path_factory) -> bytes:
    from workplan.exports.xlsx import build_workbook
    from workplan.store.load import load_registry

    import datetime as dt

    reg = load_registry(MINIMAL)
    out = io.BytesIO()
    build_workbook(reg, reg.items, as_of=dt.date(2024, 10, 15), lang="zh", target=out)
    return out.getvalue()


def mutate_workbook(data: bytes, rng: random.Random) -> bytes:
    """Damage the zip itself, or edit the XML of a sheet (cells, rows, the hidden record) and zip it again."""
    kind = rng.randrange(4)
    if kind == 0:  # bytes flipped anywhere: the zip directory, a deflate stream, a header
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] ^= rng.randrange(1, 256)
        return bytes(damaged)
    if kind == 1:
        return data[:rng.randrange(len(data))]
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {info.filename: source.read(info) for info in source.infolist()}
    sheets = [name for name in parts if name.startswith("xl/worksheets/sheet")]
    name = rng.choice(sheets)
    xml = parts[name].decode("utf-8")
    for _ in range(rng.randint(1, 3)):
        if kind == 2:  # a cell's text replaced
            starts = [i for i in range(len(xml)) if xml.startswith("<t", i)]
            if starts:
                at = xml.index(">", rng.choice(starts)) + 1
                end = xml.index("<", at)
                junk = rng.choice(["推进中", "已完成", "未启动", "取消", "x", "", "2024/9/30", "2099-01-01", "=1+1",
                                   "&#27;[2J", "2024-5", "2024-02", "2024-01", "9" * 50, "&lt;script&gt;"])
                xml = xml[:at] + junk + xml[end:]
        else:  # a row deleted, duplicated or its number changed
            rows = [i for i in range(len(xml)) if xml.startswith("<row ", i)]
            if rows:
                start = rng.choice(rows)
                end = xml.find("</row>", start)
                if end > 0:
                    row = xml[start:end + 6]
                    choice = rng.randrange(3)
                    if choice == 0:
                        xml = xml[:start] + xml[end + 6:]
                    elif choice == 1:
                        xml = xml[:end + 6] + row + xml[end + 6:]
                    else:
                        xml = xml[:start] + row.replace('r="', 'r="1', 1) + xml[end + 6:]
    parts[name] = xml.encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part, content in parts.items():
            target.writestr(part, content)
    return out.getvalue()


@pytest.mark.slow
@pytest.mark.parametrize("round_", range(WORKBOOK_ROUNDS))
def test_broken_workbooks_never_crash_hang_or_change_the_registry(cli, tmp_path, deadline, workbook_bytes, round_):
    registry = tmp_path / "items.yaml"
    registry.write_bytes(MINIMAL.read_bytes())
    workbook = tmp_path / "returned.xlsx"
    for n in range(WORKBOOK_PER_ROUND):
        seed = round_ * WORKBOOK_PER_ROUND + n
        workbook.write_bytes(mutate_workbook(workbook_bytes, random.Random(seed)))
        before = registry.read_bytes()
        code, output = run(cli, deadline, "import", workbook, "--data", registry, "--as-of", AS_OF, "--apply",
                           *(("--by", "浙江省局") if seed % 2 else ()))
        assert code in (0, 1, 2), f"seed {seed}: exit {code}: {output[-500:]}"
        assert "Traceback" not in output, f"seed {seed}: {output[-2000:]}"
        if code != 0:
            assert registry.read_bytes() == before, f"seed {seed}: the registry changed although import exited {code}"
        registry.write_bytes(MINIMAL.read_bytes())
