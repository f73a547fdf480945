"""The query index's plain records are the models' records, field for field, without pydantic."""

from __future__ import annotations

import dataclasses
import typing

import pytest

from workplan.core import models
from workplan.core.units import unit_states
from workplan.store import cache, index


PAIRS = [(index.IndexedSafeguard, models.Safeguard), (index.IndexedPlan, models.Plan),
         (index.IndexedSection, models.Section), (index.IndexedTask, models.Task),
         (index.IndexedOrganisation, models.Organisation), (index.IndexedRegistry, models.Registry)]
PLAIN = {model: plain for plain, model in PAIRS} | {models.Item: index.IndexedItem}


def plain_type(annotation):
    """A model field's type as the plain records spell it: constraints dropped, models replaced."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return plain_type(typing.get_args(annotation)[0])
    if origin is list:
        return list[plain_type(typing.get_args(annotation)[0])]
    if origin in (typing.Union, getattr(__import__("types"), "UnionType")):
        args = [plain_type(a) for a in typing.get_args(annotation)]
        return args[0] | args[1]
    return PLAIN.get(annotation, annotation)


@pytest.mark.parametrize("plain, model", PAIRS, ids=[model.__name__ for _, model in PAIRS])
def test_the_plain_records_have_the_fields_and_types_of_the_models(plain, model):
    hints = typing.get_type_hints(plain)
    assert [f.name for f in dataclasses.fields(plain)] == list(model.model_fields)
    assert {name: hints[name] for name in model.model_fields} == {
        name: plain_type(info.annotation) for name, info in model.model_fields.items()}


def test_indexed_items_carry_item_fields_only():
    # and `shares`, each lead unit's state of a joint item, which core/units.py derives from the progress
    assert set(index.IndexedItem.__slots__) - {"shares"} <= set(models.Item.model_fields)
    assert set(index.IndexedMilestone.__slots__) <= set(models.Milestone.model_fields)


def test_the_indexed_registry_holds_the_registry_and_answers_its_lookups(registry_copy):
    full = cache.load(registry_copy)
    light = cache.load(registry_copy, index=True)
    assert type(light) is index.IndexedRegistry
    assert dataclasses.asdict(light.plan) == full.plan.model_dump()
    for name in ("sections", "tasks", "organisations"):
        assert [dataclasses.asdict(r) for r in getattr(light, name)] == [r.model_dump() for r in getattr(full, name)]
    assert light.version == full.version
    assert light.org_names() == full.org_names()
    assert [light.org(n).name for n in light.org_names()] == [full.org(n).name for n in full.org_names()]
    assert [g.name for g in light.groups_of("浙江省局")] == [g.name for g in full.groups_of("浙江省局")]
    assert light.section(3).title == full.section(3).title and light.task(19).text == full.task(19).text
    for plain_item, item in zip(light.items, full.items, strict=True):
        assert light.lead_names_and_units(plain_item) == full.lead_names_and_units(item)
        assert light.item_lead_names(plain_item) == full.item_lead_names(item)
    joint = [(plain_item, item) for plain_item, item in zip(light.items, full.items)
             if len(full.lead_names_and_units(item)[1]) > 1]
    assert len(joint) == 14
    for plain_item, item in joint:  # each lead unit's share, without the progress entries
        assert [(s.unit, s.status, s.date) for s in unit_states(light, plain_item)] == \
            [(s.unit, s.status, s.date) for s in unit_states(full, item)]
        assert light.expanded_leads(plain_item) == full.expanded_leads(item)
