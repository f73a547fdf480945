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
    # working together: diff, check-change, the merge driver, per-unit shares (issue 15)
    "change.added": ("新增事项", "item added"),
    "change.removed": ("删除事项", "item removed"),
    "change.status": ("状态变化", "status"),
    "change.unit_status": ("单位进展", "unit's share"),
    "change.report": ("新报进展", "new report"),
    "change.correction": ("更正记录", "correction"),
    "change.completed": ("节点完成", "milestone done"),
    "change.reopened": ("撤销完成", "completion withdrawn"),
    "change.deadline": ("时限变化", "deadline changed"),
    "change.adjusted": ("调整时限", "deadline adjusted"),
    "change.edited": ("内容修改", "edited"),
    "change.plan": ("计划修改", "plan edited"),
    "col.change": ("变化", "Change"),
    "col.detail": ("内容", "Detail"),
    "col.unit": ("单位", "Unit"),
    "title.diff": ("变化 · {old} → {new} · {count} 条", "Changes · {old} → {new} · {count}"),
    "empty.diff": ("两个版本之间没有计划内容的变化。", "No changes to the plan between the two versions."),
    "word.working_tree": ("工作区", "working tree"),
    "word.absent": ("（无）", "(none)"),
    "check.added": ("新增了事项：{unit} 的进展变更只能追加本单位的进展", "adds an item: a progress change by {unit} may only add its own reports"),
    "check.removed": ("删除了事项：{unit} 的进展变更只能追加本单位的进展", "removes an item: a progress change by {unit} may only add its own reports"),
    "check.not_lead": ("{unit} 不是本事项的牵头单位（牵头单位：{leads}），不能修改", "{unit} does not lead this item (led by {leads}) and may not change it"),
    "check.history_rewritten": ("改动或删除了第 {n} 条起的进展记录：已有记录只能更正（workplan amend），不能改写",
                                "changes or removes progress report {n} or later: reports are corrected (workplan amend), never rewritten"),
    "check.other_reporter": ("新增的进展记录由 {by} 报送，不是 {unit}", "adds a report by {by}, not by {unit}"),
    "check.other_correction": ("更正的第 {n} 条记录不是 {unit} 报送的", "corrects report {n}, which {unit} did not make"),
    "check.field": ("修改了 {field}：{unit} 的进展变更只能追加本单位的进展、完成或调整本事项的时间节点",
                    "changes {field}: a progress change by {unit} may only add its reports and complete or re-date its milestones"),
    "check.head": ("修改了 {key}（计划、部分、任务或单位）：进展变更不能修改计划本身",
                   "changes {key} (the plan, sections, tasks or organisations): a progress change may not"),
    "check.ok": ("变更只涉及 {unit} 本单位的份额（{count} 个事项）。", "The change touches only {unit}'s own share ({count} items)."),
    "merge.field": ("{field} 两边改法不同：我方 {ours}，对方 {theirs}", "{field} changed two ways: {ours} (ours), {theirs} (theirs)"),
    "merge.done_on": ("时间节点 {n} 两边完成日期不同：我方 {ours}，对方 {theirs}", "milestone {n} completed on two dates: {ours} (ours), {theirs} (theirs)"),
    "merge.status": ("状态两边改法不同：我方 {ours}，对方 {theirs}", "status changed two ways: {ours} (ours), {theirs} (theirs)"),
    "merge.removed": ("一方删除了本事项，另一方修改了它", "removed on one side and changed on the other"),
    "merge.progress": ("两边都改动或删除了已有的进展记录（不只是追加）", "progress reports were changed or removed (not only added) on both sides"),
    "merge.lists": ("两边都改动了列表或删除了字段，请手工合并本事项", "both sides changed lists or removed fields; merge this item by hand"),
    "merge.unreadable": ("有一方不是有效的事项 YAML", "not a valid item on one side"),
    "merge.head": ("计划、部分、任务或单位两边改法不同", "the plan, sections, tasks or organisations changed two ways"),
    "merge.tail": ("事项清单之后的内容两边改法不同", "the text after the items changed two ways"),
    "merge.layout": ("登记册不是逐项排列的列表，已逐行合并，有冲突", "the registry is not a block list of items: merged line by line, with conflicts"),
    "merge.conflicts": ("{path}：{count} 处冲突，已按 git 冲突格式写入，请手工解决后 git add", "{path}: {count} conflicts, written as git conflicts: resolve them, then git add"),
    "merge.invalid": ("{path}：合并结果不是有效的登记册，请修正后 git add", "{path}: the merged registry is not valid: fix it, then git add"),
    "setup.attributes": ("已在 {file} 中加入：{line}", "added to {file}: {line}"),
    "setup.attributes_kept": ("{file} 已有：{line}", "{file} already has: {line}"),
    "setup.config": ("已设置 git config merge.workplan.driver = {driver}", "set git config merge.workplan.driver = {driver}"),
    "setup.config_kept": ("git config merge.workplan.* 已是最新", "git config merge.workplan.* already set"),
    "setup.commit": ("请提交 .gitattributes，让每个克隆都使用合并驱动；每个克隆各运行一次 workplan setup-git",
                     "commit .gitattributes so every clone uses the driver; run workplan setup-git once in each clone"),
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
