"""The labels catalogue: both languages complete, fields alike, every code of the domain named."""

from __future__ import annotations

import string

import pytest

from workplan.core.codes import Light, OrgKind, Status
from workplan.core.labels import CATALOGUE, LANGS, light_label, org_kind_label, status_label, t


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_key_has_both_languages_with_the_same_fields(key):
    zh, en = CATALOGUE[key]
    assert zh.strip() and en.strip()
    assert fields(zh) == fields(en)


def test_every_code_has_a_label_in_both_languages():
    for lang in LANGS:
        assert len({status_label(s, lang) for s in Status}) == len(Status)
        assert len({light_label(x, lang) for x in Light}) == len(Light)
        assert len({org_kind_label(k, lang) for k in OrgKind}) == len(OrgKind)


def test_lookup_by_code_or_member_and_fields_filled():
    assert status_label(Status.done) == status_label("done") == "已完成"
    assert light_label("red", "en") == "overdue"
    assert t("unit.items", "zh", count=3) == "3 项"
    assert t("unit.items", "en", count=3) == "3 items"
