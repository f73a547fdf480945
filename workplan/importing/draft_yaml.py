"""Write a registry draft as YAML laid out like data/items.yaml, with the review as comments:
a short list at the top, and each item's own notes above it (task links above its `task:`).

The draft is registry data for the planners and its comments are in Chinese, whoever runs
`workplan ingest`; the review the command prints follows --lang (review_lines).
"""

from __future__ import annotations

import datetime as dt

from workplan.core.labels import t
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


def review_lines(review: Review, lang: str = "zh") -> list[str]:
    """The review as lines of text in `lang`, for the terminal and (in Chinese) the draft's comments."""
    lines = [t("review.source", lang, source=review.source),
             t("review.read", lang, rows=review.rows, items=review.items, milestones=review.milestones)]
    if review.without_deadline:
        lines.append(t("review.without_deadline", lang, ids=review.without_deadline))
    plan = t("review.sep", lang).join(t("review.plan_field", lang, key=key, value=entry["value"], source=entry["from"])
                                      for key, entry in review.plan.items())
    lines.append(t("review.plan", lang, fields=plan))
    if review.units_added:
        lines.append(t("review.units_added", lang, units=t("word.semicolon", lang).join(
            t("review.unit_added", lang, name=u["name"], kind=u["kind"], first=u["first"], role=u["role"],
              province=u["province"] or t("review.province_unknown", lang))
            for u in review.units_added)))
    else:
        lines.append(t("review.no_units_added", lang))
    sure = [link for link in review.links if link["confident"] and not link["by_order"]]
    by_order = [link for link in review.links if link["by_order"]]
    empty = [link for link in review.links if not link["confident"]]
    if review.links:
        scores = [link["score"] for link in sure]
        lines.append(t("review.links", lang, count=len(sure), low=f"{min(scores):.2f}", high=f"{max(scores):.2f}")
                     if scores else t("review.links_none_sure", lang))
        if by_order:
            moved = [f"{link['id']}→{link['task']}" for link in by_order]
            lines[-1] += t("review.links_by_order", lang, count=len(by_order), moves=moved)
        if empty:
            lines[-1] += t("review.links_undecided", lang, count=len(empty), ids=[link["id"] for link in empty])
    else:
        lines.append(t("review.no_tasks", lang))
    lines.extend(t("review.normalised", lang, text=text) for text in review.normalised)
    lines.append(t("review.to_decide_list" if review.undecided else "review.to_decide", lang, count=len(review.undecided)))
    lines.extend(f"  - {text.text(lang)}" for text in review.undecided)
    return lines


def draft_yaml(draft: Draft) -> str:
    data = draft.data
    out = [f"# {t('review.draft_head', 'zh')}", "#"]
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
        out += [f"  # {note.text('zh')}" for note in notes if not note.key.startswith("review.task_note_")]
        lines = _mapping_entry({k: v for k, v in item.items() if k != "milestones"}, indent=2)
        task_at = next(i for i, line in enumerate(lines) if line.lstrip("- ").startswith("task:"))
        lines[task_at:task_at] = [f"    # {note.text('zh')}" for note in notes if note.key.startswith("review.task_note_")]
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
