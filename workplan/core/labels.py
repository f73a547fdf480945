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
    "light.none": ("无时限", "no deadline"),
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
    "caption.source": ("数据来源：{path}", "Registry: {path}"),
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
    # several plans: plans, init, carry-over, add, edit, show's history
    "plans.all_title": ("全部计划（{years}）", "All plans ({years})"),
    "plans.title": ("计划 · {count} 个", "{count} plans"),
    "plans.col.name": ("计划", "Plan"),
    "plans.col.path": ("文件", "File"),
    "plans.col.year": ("年度", "Year"),
    "plans.col.title": ("文件标题", "Title"),
    "plans.col.doc_number": ("文号", "Document"),
    "plans.col.issued": ("印发日期", "Issued"),
    "plans.col.items": ("事项数", "Items"),
    "plans.col.open": ("未完成", "Unfinished"),
    "plans.col.carried": ("结转事项", "Carried over"),
    "plans.col.first_due": ("最早节点", "First due"),
    "plans.col.last_due": ("最晚节点", "Last due"),
    "plans.invalid": ("（无法读取：{problem}）", "(cannot be read: {problem})"),
    "plans.unknown": ("--plan：没有计划 {name}{hint}（本文件夹的计划：{known}；也可写 all 或登记册文件）",
                      "--plan: no plan {name}{hint} (plans here: {known}, or all, or a registry file)"),
    "plans.did_you_mean": ("；是否要找 {names}？", "; did you mean {names}?"),
    "plans.none_here": ("无", "none"),
    "plans.one_only": ("--plan all：{what} 只处理一个计划，请指明，例如 --plan 2025",
                       "--plan all: {what} works on one plan; name it, e.g. --plan 2025"),
    "plans.empty_folder": ("--plan all：本文件夹没有计划（workplan init 可创建项目文件夹）",
                           "--plan all: this folder has no plans (workplan init makes a project folder)"),
    "plans.id_clash": ("事项编号 {id} 同时出现在计划 {first} 和计划 {second} 中：各计划的编号不能重复（请为其中一个换用其他前缀）",
                       "item id {id} is in plan {first} and in plan {second}: ids must be unique across plans (give one of them another prefix)"),
    "plans.elsewhere": ("；它在计划 {plan} 中：加 --plan {plan}", "; it is in plan {plan}: add --plan {plan}"),
    "plans.no_origin": ("结转自 {id}，但本文件夹的计划中没有这个事项", "carried from {id}, which no plan of this folder has"),
    "plans.xlsx_all": ("--xlsx 不能与 --plan all 同用：工作簿要导入回某一个计划，请指明，例如 --plan 2025",
                       "--xlsx with --plan all: a workbook is read back into one plan by import; name one, e.g. --plan 2025"),
    "carry.same_plan": ("--from 与 --to 是同一个计划", "--from and --to name the same plan"),
    "init.not_folder": ("{path}：是文件，不是文件夹", "{path}: is a file, not a folder"),
    "init.cannot_write": ("{path}：无法写入：{reason}", "{path}: cannot write: {reason}"),
    "edit.refused_field": ("--field {key}：{reason}", "--field {key}: {reason}"),
    "edit.why_id": ("编号保持不变：其他计划和进展记录都引用它", "ids are stable: other plans and reports refer to them"),
    "edit.why_status": ("状态请用 workplan update ID --status 修改", "use workplan update ID --status"),
    "edit.why_progress": ("进展请用 workplan update ID --note 报送", "use workplan update ID --note"),
    "edit.why_done_on": ("完成日期请用 workplan update ID --milestone N --done 记录", "use workplan update ID --milestone N --done"),
    "edit.milestone_form": ("请写成 milestones.N.字段，字段为 {fields} 之一（N 从 1 起）",
                            "write milestones.N.FIELD, FIELD one of {fields} (N from 1)"),
    "edit.milestone_count": ("该事项只有 {count} 个时间节点", "the item has {count} milestone(s)"),
    "edit.unknown_field": ("没有这个字段；可选：{fields}", "unknown field; choose from {fields}"),
    "edit.needs_text": ("需要填写文字", "needs a text"),
    "edit.not_number": ("{value} 不是数字", "{value} is not a number"),
    "edit.needs_values": ("至少需要一个值（多个值用 、 或 , 分隔）", "needs at least one value (separate several with 、 or ,)"),
    "edit.flag": ("请写 是 或 否（true 或 false）", "write true or false (是 or 否)"),
    "edit.key_value": ("--field {text}：请写成 字段=值，例如 --field title=新的事项名称",
                       "--field {text}: write KEY=VALUE, e.g. --field title=新的事项名称"),
    "add.deadlines": ("--deadline：每个 --due 对应一个（共 {count} 个），或都不给",
                      "--deadline: give one per --due ({count}), or none"),
    "add.id_taken": ("--id：{id} 已被本文件夹的计划使用", "--id: {id} is already used by a plan of this folder"),
    "init.created": ("已创建 {path}", "created {path}"),
    "init.kept": ("已存在，未改动：{path}", "exists, left as it is: {path}"),
    "init.done": ("项目文件夹已就绪：{folder}（新建 {created} 个文件，保留 {kept} 个）",
                  "project folder ready: {folder} ({created} files created, {kept} left as they were)"),
    "init.setup_git": ("合并设置：{detail}", "merge setup: {detail}"),
    "init.no_git": ("未配置 git 合并驱动（{reason}）；.gitattributes 已写好：git init 后运行 workplan setup-git，或用 workplan init --git",
                    "git merge driver not configured ({reason}); .gitattributes is written: after git init run workplan setup-git, or use workplan init --git"),
    "carry.due_outside": ("--due {due} 不在目标计划年度 {year} 内", "--due {due} is outside the target plan year {year}"),
    "carry.date_before_plan": ("--date {date} 早于目标计划的印发日期 {issued}",
                               "--date {date} is before the target plan was issued ({issued})"),
    "carry.no_section": ("目标计划没有第 {section} 部分", "the target plan has no section {section}"),
    "carry.unknown_item": ("{year} 年计划中没有事项 {ids}", "no item {ids} in the {year} plan"),
    "carry.already": ("已结转为 {id}", "already carried over as {id}"),
    "carry.no_task": ("目标计划中没有与原任务 {task}（{title}）同名的主要任务，对应主要任务留空",
                      "no key task titled like task {task} ({title}) in the target plan: key task left empty"),
    "carry.same_number": ("目标计划中没有同名部分，按原编号归入第 {section} 部分",
                          "no section with the same title in the target plan: filed under section {section}, the same number"),
    "carry.no_place": ("{id}：目标计划中没有同名部分，也没有第 {section} 部分；请用 --section 指定",
                       "{id}: the target plan has no section of the same title nor a section {section}; give --section"),
    "carry.report": ("由 {year} 年计划结转（原事项 {id}，原状态：{status}）；未完成的时间节点 {old} 顺延至 {due}",
                     "carried over from the {year} plan (item {id}, status {status}); open milestones {old} moved to {due}"),
    "carry.report_no_deadline": ("由 {year} 年计划结转（原事项 {id}，原状态：{status}）；无时限",
                                 "carried over from the {year} plan (item {id}, status {status}); no deadline"),
    "carry.summary": ("{count} 个未完成事项由 {source} 结转至 {target}", "{count} unfinished items carried from {source} to {target}"),
    "carry.nothing": ("没有需要结转的事项", "nothing to carry over"),
    "carry.skipped": ("未结转 {id}：{reason}", "not carried {id}: {reason}"),
    "carry.org_added": ("新增单位 {name}（由 {source} 计划复制）", "unit {name} added (copied from the {source} plan)"),
    "write.dry_run": ("试运行，未写入：{summary}", "dry run, nothing written: {summary}"),
    "write.done": ("已写入 {path}：{summary}", "updated {path}: {summary}"),
    "add.summary": ("新增事项 {id} {title}", "added item {id} {title}"),
    "edit.summary": ("修改事项 {id}：{fields}", "edited item {id}: {fields}"),
    "edit.unchanged": ("{id} 没有变化", "{id} is unchanged"),
    "history.title": ("跨年度记录", "History across years"),
    "history.from": ("结转自 {id}（{plan} 计划）：{status}", "carried over from {id} (plan {plan}): {status}"),
    "history.to": ("已结转至 {id}（{plan} 计划）：{status}", "carried over to {id} (plan {plan}): {status}"),
    "history.unknown": ("结转自 {id}（原计划不在本项目文件夹中）", "carried over from {id} (its plan is not in this project folder)"),
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
