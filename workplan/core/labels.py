"""Every word a user reads, in Chinese and English, looked up by key.

A key names what the words are for (`status.done`, `light.red`); `t(key, lang, **fields)` fills
`{name}` fields with the same names in both languages. Chinese is the users' language and the
default; English is an option (`--lang en`).
"""

from __future__ import annotations

LANGS = ("zh", "en")

# key: (Chinese, English)
CATALOGUE: dict[str, tuple[str, str]] = {
    # statuses (状态) stored in the registry
    "status.not_started": ("未启动", "not started"),
    "status.in_progress": ("推进中", "in progress"),
    "status.done": ("已完成", "done"),
    "status.delayed": ("延期", "delayed"),
    "status.cancelled": ("取消", "cancelled"),
    # traffic lights (红黄绿灯) as of a day
    "light.red": ("红灯", "overdue"),
    "light.yellow": ("黄灯", "due soon"),
    "light.green": ("绿灯", "on track"),
    "light.done": ("已完成", "done"),
    "light.cancelled": ("已取消", "cancelled"),
    # kinds of organisation
    "org_kind.group": ("联合牵头（组）", "group"),
    "org_kind.provincial_bureau": ("省级市场监管局", "provincial bureau"),
    "org_kind.drug_administration": ("药品监督管理局", "drug administration"),
    "org_kind.city_bureau": ("市级市场监管局", "city bureau"),
    "org_kind.county_bureau": ("区县市场监管局", "county bureau"),
    "org_kind.institute": ("技术机构", "institute"),
    # short words
    "word.yes": ("是", "yes"),
    "word.no_task": ("（无对应任务）", "(no key task)"),
    "word.no_other_status": ("无", "no other status"),
    "unit.items": ("{count} 项", "{count} items"),
    "caption.milestones": ("共 {count} 个时间节点 · 剩余天数按 {as_of} 计算", "{count} milestones · days counted from {as_of}"),
    "empty.items": ("没有符合条件的事项。", "No matching items."),
    "empty.milestones": ("没有符合条件的时间节点。", "No matching milestones."),
}


def t(key: str, lang: str = "zh", /, **fields: object) -> str:
    """The words for `key` in `lang` (zh or en), with `{name}` fields filled in."""
    zh, en = CATALOGUE[key]
    text = en if lang == "en" else zh
    return text.format(**fields) if fields else text


def _code(value: object) -> str:
    # A str-valued enum member stands for its value.
    return getattr(value, "value", value)  # type: ignore[return-value]


def status_label(status: object, lang: str = "zh") -> str:
    return t(f"status.{_code(status)}", lang)


def light_label(light: object, lang: str = "zh") -> str:
    return t(f"light.{_code(light)}", lang)


def org_kind_label(kind: object, lang: str = "zh") -> str:
    return t(f"org_kind.{_code(kind)}", lang)
