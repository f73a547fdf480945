"""Write a registry draft as YAML laid out like data/items.yaml, with the review as comments:
a short list at the top, and each item's own notes above it (task links above its `task:`).
"""

from __future__ import annotations

import datetime as dt

from workplan.store.writer import scalar_text

from .draft import Draft, Review

_FLOW_UNSAFE = set(",[]{}#&*!|>'\"%@`")


def _scalar(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return scalar_text(str(value) if isinstance(value, str) else value)  # a plain str, not a Cleaned


def _flow(values: list[str]) -> str:
    parts = []
    for value in values:
        text = _scalar(value)
        if not text.startswith('"') and (_FLOW_UNSAFE & set(text) or ": " in text):
            text = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
        parts.append(text)
    return "[" + ", ".join(parts) + "]"


def review_lines(review: Review) -> list[str]:
    """The review as lines of text (Chinese first), for the terminal and the draft's comments."""
    lines = [f"来源：{review.source}",
             f"读入 {review.rows} 行 → {review.items} 个事项，{review.milestones} 个时间节点"]
    if review.without_deadline:
        lines.append(f"无时间节点（无时限）：{'、'.join(review.without_deadline)}")
    plan = "，".join(f"{key} = {entry['value']}（{entry['from']}）" for key, entry in review.plan.items())
    lines.append(f"计划：{plan}")
    if review.units_added:
        lines.append("新增单位：" + "；".join(
            f"{u['name']}（{u['kind']}，{u['province'] or '省市未知'}，首见 {u['first']} {u['role']}）"
            for u in review.units_added))
    else:
        lines.append("新增单位：无")
    sure = [link for link in review.links if link["confident"] and not link["by_order"]]
    by_order = [link for link in review.links if link["by_order"]]
    empty = [link for link in review.links if not link["confident"]]
    if review.links:
        scores = [link["score"] for link in sure]
        lines.append(f"对应任务：{len(sure)} 个按相似度（{min(scores):.2f}–{max(scores):.2f}）" if scores else "对应任务：")
        if by_order:
            moved = "、".join(f"{link['id']}→{link['task']}" for link in by_order)
            lines[-1] += f"，{len(by_order)} 个按清单顺序（{moved}）"
        if empty:
            lines[-1] += f"，{len(empty)} 个未定（{'、'.join(link['id'] for link in empty)}）"
    else:
        lines.append("对应任务：文件中没有主要任务，全部为空")
    lines.extend(f"已规范化：{text}" for text in review.normalised)
    lines.append(f"待定 {len(review.undecided)} 项" + ("：" if review.undecided else ""))
    lines.extend(f"  - {text}" for text in review.undecided)
    return lines


def draft_yaml(draft: Draft) -> str:
    data = draft.data
    out = ["# 由 workplan ingest 生成的登记表草稿。请核对以下清单，改好后运行 workplan validate。", "#"]
    out += [f"# {line}" for line in review_lines(draft.review)]
    out += ["", f"version: {data['version']}", "plan:"]
    for key, value in data["plan"].items():
        if key == "safeguards":
            out.append("  safeguards:")
            for entry in value:
                out += _mapping_entry(entry, indent=4)
        else:
            out.append(f"  {key}: {_scalar(value)}")
    out += ["", "sections:"]
    for section in data["sections"]:
        out += _mapping_entry(section, indent=2)
    out += ["", "tasks:" if data["tasks"] else "tasks: []"]
    for task in data["tasks"]:
        out += _mapping_entry(task, indent=2)
    out += ["", "organisations:" if data["organisations"] else "organisations: []"]
    for org in data["organisations"]:
        out += _mapping_entry(org, indent=2)
    out += ["", "items:" if data["items"] else "items: []"]
    for item in data["items"]:
        notes = draft.item_comments.get(item["id"], [])
        out += [f"  # {note}" for note in notes if not note.startswith("task:")]
        lines = _mapping_entry({k: v for k, v in item.items() if k != "milestones"}, indent=2)
        task_at = next(i for i, line in enumerate(lines) if line.lstrip("- ").startswith("task:"))
        lines[task_at:task_at] = [f"    # {note}" for note in notes if note.startswith("task:")]
        status = lines.pop()  # milestones go before status, as in the registry
        out += lines
        if item["milestones"]:
            out.append("    milestones:")
            for milestone in item["milestones"]:
                out += _mapping_entry(milestone, indent=6)
        else:
            out.append("    milestones: []")
        out.append(status)
    return "\n".join(out) + "\n"


def _mapping_entry(mapping: dict, *, indent: int) -> list[str]:
    """`- key: value` lines of one list entry; lists of text in flow style."""
    lines = []
    for n, (key, value) in enumerate(mapping.items()):
        prefix = " " * indent + ("- " if n == 0 else "  ")
        text = _flow(value) if isinstance(value, list) else _scalar(value)
        lines.append(f"{prefix}{key}: {text}")
    return lines
