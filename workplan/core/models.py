"""The registry as pydantic models: what a plan, its tasks, items and organisations are.

No I/O and no terminal here. Every field carries a Chinese title (the seed's own term) so the
JSON Schema shows 合作事项, 牵头单位 … in editors.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from workplan.core.codes import OrgKind, Status
from workplan.core.lookups import RegistryLookups


Text = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    # defer_build: the validators are built on first use, so a warm run, which reads the cache
    # without validating (see cache.trusted_model), never pays for them.
    model_config = ConfigDict(extra="forbid", frozen=False, defer_build=True)


class Safeguard(Strict):
    label: Text = Field(title="序号", description="如（一）")
    title: Text = Field(title="标题")
    text: Text = Field(title="内容")


class Plan(Strict):
    title: Text = Field(title="文件标题")
    doc_number: Text = Field(title="文号")
    issuer: Text = Field(title="发文单位")
    issuer_seal: str | None = Field(None, title="代章单位")
    issued: dt.date = Field(title="印发日期")
    year: StrictInt = Field(title="计划年度", ge=2000, le=2100)
    preamble: str | None = Field(None, title="引言")
    guiding_principles: str | None = Field(None, title="指导思想")
    safeguards: list[Safeguard] = Field(default_factory=list, title="组织保障")


class Section(Strict):
    number: StrictInt = Field(title="部分序号", ge=1)
    label: Text = Field(title="部分编号", description="如（一）")
    title: Text = Field(title="部分标题")
    note: str | None = Field(None, title="备注")


class Task(Strict):
    number: StrictInt = Field(title="任务序号", ge=1)
    section: StrictInt = Field(title="所属部分")
    title: Text = Field(title="任务名称", description="主要任务的首句（要点）")
    text: Text = Field(title="任务全文")


class Organisation(Strict):
    name: Text = Field(title="单位简称", description="本计划使用的规范名称")
    full_name: str | None = Field(None, title="单位全称")
    kind: OrgKind = Field(title="单位类别")
    province: str | None = Field(None, title="所属省市", description="上海、江苏、浙江、安徽")
    aliases: list[Text] = Field(default_factory=list, title="别名", description="原文中的其他写法")
    members: list[Text] = Field(default_factory=list, title="成员单位", description="仅用于组")
    note: str | None = Field(None, title="备注")


class Milestone(Strict):
    due: dt.date = Field(title="截止日期", description="时间节点所指期间的最后一天（含）")
    text: Text = Field(title="时间节点", description="原文写法，如 9月底前")
    measure: str | None = Field(
        None, title="对应举措", description="该时间节点对应的举措；事项只有一个时间节点时省略，指全部举措"
    )
    tentative: bool = Field(False, title="拟定", description="原文为“拟于……”")
    event: str | None = Field(None, title="关联会议", description="如 2024年长三角市场监管联席会议")
    event_text: str | None = Field(None, title="会议安排原文")
    done_on: dt.date | None = Field(None, title="完成日期")
    adjusted_due: dt.date | None = Field(
        None, title="调整后时限", description="经批准的新截止日期；红黄绿灯与逾期按此计算，原时限 due 保留"
    )
    adjusted_by: str | None = Field(None, title="批准单位", description="批准调整时限的单位或领导")
    adjusted_on: dt.date | None = Field(None, title="批准日期")
    adjust_reason: str | None = Field(None, title="调整原因")
    due_reason: str | None = Field(
        None, title="时限说明", description="截止日期早于印发日期或不在计划年度内时，说明原因（原文如此）"
    )

    @property
    def effective_due(self) -> dt.date:
        """The date the milestone is held to: the approved new date, else the original."""
        return self.adjusted_due or self.due


class ProgressEntry(Strict):
    date: dt.date = Field(title="报送日期")
    by: Text = Field(title="报送单位")
    status: Status = Field(title="报送后状态")
    text: Text = Field(title="进展情况")
    evidence: str | None = Field(None, title="佐证材料", description="链接或文号")
    milestone: StrictInt | None = Field(None, title="时间节点序号", ge=1, description="针对第几个时间节点（从 1 起）")
    forced: bool = Field(False, title="强制变更", description="越过状态转换规则的变更（如已完成改回推进中），由 update --force 记录")
    amends: StrictInt | None = Field(
        None, title="更正第几条", ge=1,
        description="本条更正同一事项的第 N 条进展记录（从 1 起）；原记录保留并标为已更正（workplan amend / undo）",
    )
    withdraws: bool = Field(False, title="撤回", description="与 amends 连用：撤回第 N 条记录，状态恢复到该记录之前")


class Item(Strict):
    # `from` is a Python keyword: the field is carried_from, written `from:` in the registry.
    model_config = ConfigDict(populate_by_name=True)

    id: Text = Field(title="编号", description="唯一且稳定，如 2024-36b", pattern=r"^[0-9A-Za-z][0-9A-Za-z_.-]*$")
    seq: StrictInt = Field(title="序号", description="清单中印刷的序号（可能重复）", ge=1)
    carried_from: str | None = Field(
        None, alias="from", title="结转自", pattern=r"^[0-9A-Za-z][0-9A-Za-z_.-]*$",
        description="由上一年度计划结转而来的事项：原事项的编号，如 2024-11（workplan carry-over 写入）")
    title: Text = Field(title="合作事项")
    measures: Text = Field(title="年度主要举措及时间节点")
    departments: list[Text] = Field(title="责任部门", min_length=1)
    departments_text: str | None = Field(
        None, title="责任部门（原文）", description="原文写法与列表以“、”连接不同时保留原文"
    )
    leads: list[Text] = Field(title="牵头单位", min_length=1)
    section: StrictInt = Field(title="所属部分")
    task: StrictInt | None = Field(title="对应主要任务", description="无对应任务时为 null")
    milestones: list[Milestone] = Field(title="时间节点", description="无时限的事项（长期坚持、持续推进）为空列表")
    status: Status = Field(Status.not_started, title="状态")
    progress: list[ProgressEntry] = Field(default_factory=list, title="进展记录")
    note: str | None = Field(None, title="备注")

    @property
    def departments_display(self) -> str:
        return self.departments_text or "、".join(self.departments)


# The lookups (org(), section(), task(), expanded_leads() …) are in workplan.core.lookups, shared with
# the plain registry of a warm query. (No docstring: it would become the JSON Schema's description.)
class Registry(Strict, RegistryLookups):
    version: StrictInt = Field(1, title="格式版本")
    plan: Plan = Field(title="计划")
    sections: list[Section] = Field(title="部分")
    tasks: list[Task] = Field(title="主要任务")
    organisations: list[Organisation] = Field(title="单位")
    items: list[Item] = Field(title="合作事项清单")


def registry_json_schema() -> dict:
    """The JSON Schema for data/items.yaml, with the Chinese field titles."""
    schema = Registry.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "长三角市场监管一体化工作要点 — 合作事项清单"
    return schema
