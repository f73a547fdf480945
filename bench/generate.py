"""Synthetic registries shaped like data/items.yaml, deterministic from a seed.

The plan, sections, tasks and organisations are the real ones; items are recombined from the real
items' wording (CJK titles and measures), with 1–3 departments, 1–2 leads (groups and aliases
included, in the real proportions), 1–2 milestones and a few progress reports. The result passes
`workplan validate`.

Usage: python bench/generate.py SIZE [-o FILE] [--seed N]
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import random
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "data" / "items.yaml"
GENERATOR_VERSION = 2  # bump when the output for a given seed changes

# Lead combinations and their weights in the real 2024 list (59 items), plus alias and group use.
LEAD_CHOICES = [
    (["浙江省局"], 26), (["上海市局"], 11), (["三省一市局"], 6), (["安徽省局"], 3), (["江苏省局"], 2),
    (["上海市局", "浙江省局"], 3), (["浙江省药监局"], 2), (["浙江省局", "嘉兴市局"], 2),
    (["上海市局", "安徽省局"], 1), (["浙江省药监局", "上海市药监局"], 1), (["上海市药监局"], 1),
    (["上海药监局"], 1), (["江苏省局", "安徽省局"], 1), (["三省一市局", "嘉善县局"], 1),
]
PROGRESS_TEXTS = [
    "已召开专题协调会，明确分工和时间表。", "已完成方案起草，正在征求三省一市意见。",
    "已印发实施方案，各地按计划推进。", "受上级部署调整影响，进度有所延后。",
    "已完成阶段性任务，形成工作简报。", "已组织联合检查，发现问题正在整改。",
]
STATUSES = ["not_started", "in_progress", "in_progress", "done", "delayed"]


def _base() -> dict:
    with REAL.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _iso(day) -> str:
    return day.isoformat() if isinstance(day, dt.date) else str(day)


def generate(size: int, seed: int = 2024) -> dict:
    """A registry mapping with `size` items; the same (size, seed) always gives the same data."""
    base = _base()
    rng = random.Random(f"{seed}:{size}")
    real_items = base["items"]
    year = int(base["plan"]["year"])
    issued = dt.date.fromisoformat(_iso(base["plan"]["issued"]))
    tasks = base["tasks"]
    groups = {o["name"]: o.get("members", []) for o in base["organisations"] if o["kind"] == "group"}
    aliases = {a: o["name"] for o in base["organisations"] for a in o.get("aliases", [])}
    departments = sorted({d for item in real_items for d in item["departments"]})
    sentences = [s + "。" for item in real_items for s in item["measures"].split("。") if len(s) > 8]
    leads_pool = [leads for leads, _ in LEAD_CHOICES]
    lead_weights = [w for _, w in LEAD_CHOICES]

    items = []
    for n in range(1, size + 1):
        template = rng.choice(real_items)
        task = rng.choice(tasks) if rng.random() > 0.02 else None
        section = task["section"] if task else rng.randint(1, len(base["sections"]))
        months = sorted(rng.sample(range(6, 13), rng.choice([1, 1, 1, 2])))
        milestones = []
        for month in months:
            day = dt.date(year, month, calendar.monthrange(year, month)[1])
            milestone = {"due": day.isoformat(), "text": f"{month}月底前"}
            if len(months) > 1:
                milestone["measure"] = rng.choice(sentences)
            milestones.append(milestone)
        measures = "".join(rng.sample(sentences, rng.randint(1, 3))) + "（" + "、".join(m["text"] for m in milestones) + "）"
        leads = list(rng.choices(leads_pool, lead_weights)[0])
        status = rng.choice(STATUSES)
        item = {
            "id": f"{year}-{n:06d}",
            "seq": n,
            "title": template["title"] + ("" if rng.random() < 0.5 else f"（第{rng.randint(1, 9)}批）"),
            "measures": measures,
            "departments": rng.sample(departments, rng.choice([1, 1, 1, 2, 3])),
            "leads": leads,
            "section": section,
            "task": task["number"] if task else None,
            "milestones": milestones,
            "status": status,
        }
        if status != "not_started":
            reporters = [u for lead in leads for u in groups.get(aliases.get(lead, lead), [aliases.get(lead, lead)])]
            span = (dt.date(year, 12, 31) - issued).days
            # Every lead unit of a joint item reports its own share, so the item's status is theirs.
            count = max(rng.randint(1, 3), len(set(reporters)))
            dates = sorted(issued + dt.timedelta(days=rng.randint(0, span)) for _ in range(count))
            by = list(dict.fromkeys(reporters))
            rng.shuffle(by)
            by += [rng.choice(reporters) for _ in range(count - len(by))]
            item["progress"] = [
                {"date": d.isoformat(), "by": unit, "status": status, "text": rng.choice(PROGRESS_TEXTS)}
                for d, unit in zip(dates, by)
            ]
        items.append(item)

    registry = {k: v for k, v in base.items() if k != "items"}
    registry["plan"] = dict(registry["plan"], issued=_iso(registry["plan"]["issued"]))
    registry["items"] = items
    return registry


def dump(registry: dict) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    header = "# Synthetic registry from bench/generate.py — not real data.\n"
    return header + yaml.dump(registry, Dumper=dumper, allow_unicode=True, sort_keys=False, width=4096)


def write(size: int, path: Path, seed: int = 2024) -> Path:
    """Write the registry to `path` (atomically), returning the path."""
    import os

    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(dump(generate(size, seed)), encoding="utf-8")
    os.replace(temp, path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic registry of SIZE items.")
    parser.add_argument("size", type=int)
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    if args.output:
        write(args.size, args.output, args.seed)
    else:
        sys.stdout.reconfigure(encoding="utf-8")
        sys.stdout.write(dump(generate(args.size, args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
