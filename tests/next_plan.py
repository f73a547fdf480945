"""A next year's plan made from the shipped 2024 registry, for the several-plans tests.

Another year's plan is not the 2024 one with the digits changed: it has fewer items, a section
renamed, a key task the 2024 plan never had, and a unit (上海市知识产权局) 2024 never names.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from conftest import REGISTRY


def next_plan(target: Path, *, year: int = 2025, items: int = 12) -> Path:
    data = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))
    plan = data["plan"]
    plan.update(title=f"长三角市场监管一体化发展 {year} 年工作要点", doc_number=f"浙市监综〔{year}〕3号",
                issued=dt.date(year, 3, 20), year=year)
    data["sections"][5]["title"] = "推进毗邻区域市场监管一体化"
    data["sections"][5].pop("note", None)
    data["tasks"].append({"number": 26, "section": 4, "title": "推进知识产权保护协作",
                          "text": "推进知识产权保护协作。共建知识产权保护协作机制。"})
    data["organisations"].append({"name": "上海市知识产权局", "full_name": "上海市知识产权局",
                                  "kind": "provincial_bureau", "province": "上海"})
    kept = []
    for n, item in enumerate(data["items"][:items], 1):
        item["id"] = f"{year}-{n:02d}"
        item["seq"] = n
        item["status"] = "not_started"
        item.pop("progress", None)
        for m in item["milestones"]:
            m["due"] = m["due"].replace(year=year)
            m.pop("done_on", None)
            m.pop("event", None)
            m.pop("event_text", None)
        kept.append(item)
    kept[-1]["leads"] = ["上海市知识产权局"]
    kept[-1]["task"] = 26
    kept[-1]["section"] = 4
    data["items"] = kept
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return target
