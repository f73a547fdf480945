"""Property: on any valid registry, every query command prints the same from a warm cache as from
the YAML (--no-cache), in every format.

The registries are generated around the real plan, sections, tasks and organisations, with texts
chosen to trip a cache that guessed types from the look of a value: texts that read like dates,
numbers, YAML's yes/no and null, empty strings where the field allows them, CJK, and any
control-free Unicode.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from conftest import REGISTRY
from workplan.store import cache

AS_OF = "2024-10-15"
TODAY = dt.date(2024, 10, 15)
ISSUED = dt.date(2024, 3, 29)

with REGISTRY.open(encoding="utf-8") as _handle:
    _BASE = yaml.safe_load(_handle)
ORG_NAMES = [name for org in _BASE["organisations"] for name in (org["name"], *org.get("aliases", []))]
_ORGS = {name: org for org in _BASE["organisations"] for name in (org["name"], *org.get("aliases", []))}


def lead_units(leads: list[str]) -> set[str]:
    units = set()
    for name in leads:
        org = _ORGS[name]
        units |= {org["name"], *org.get("members", [])}
    return units


def reporters(leads: list[str]) -> list[str]:
    """Units that lead no share of the item: their reports set every share (workplan.core.units),
    so the item's status is simply that of its last report."""
    units = lead_units(leads)
    return [name for name, org in _ORGS.items() if org["kind"] != "group" and org["name"] not in units]
TASKS = [(task["number"], task["section"]) for task in _BASE["tasks"]]
SECTIONS = [section["number"] for section in _BASE["sections"]]

LOOKALIKES = ["2024-10-08", "2024-12-31", "2024-10-15", "20241008", "yes", "no", "on", "off", "true", "null",
              "~", "1", "0", "-1", "1.5", "1e3", "0o17", "0x1F", ".inf", "12月底前", "浙江省局", "三省一市局",
              "- x", "[a]", "{b: c}", "#", "'", '"', "a: b", "*x", "&y", "!tag", "%", "@", "`", "2024-02-30"]
UNICODE = st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Zl", "Zp"))
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
texts = st.one_of(st.sampled_from(LOOKALIKES), st.text(CJK, min_size=1, max_size=12),
                  st.text(UNICODE, min_size=1, max_size=12))
optional_texts = st.one_of(st.none(), st.just(""), texts)  # "" only where the field allows it
# Mostly the days the lookalike texts spell, so that a date and a text that reads the same meet.
SPELT = [dt.date(2024, 10, 8), dt.date(2024, 12, 31), TODAY]
# From the issue date on: the rules refuse an earlier deadline unless a reason is given.
days = st.one_of(st.sampled_from(SPELT), st.dates(min_value=ISSUED, max_value=dt.date(2024, 12, 31)))
past_days = st.one_of(st.sampled_from(SPELT[::2]), st.dates(min_value=ISSUED, max_value=TODAY))
ids = st.one_of(st.sampled_from(["2024-10-08", "1", "yes", "null", "1e3", "0o17", "2024-x"]),
                st.from_regex(r"\A[0-9A-Za-z][0-9A-Za-z_.-]{0,8}\Z"))


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True  # a registry has no anchors (*name is refused): repeated values are written out


def optional(data: dict, **values) -> dict:
    """Leave out the fields drawn as None, as a person leaves them out of the file."""
    return data | {key: value for key, value in values.items() if value is not None}


@st.composite
def milestones(draw, several: bool) -> dict:
    return optional({"due": draw(days), "text": draw(texts)},
                    measure=draw(texts) if several else draw(optional_texts),
                    tentative=draw(st.one_of(st.none(), st.booleans())),
                    event=draw(optional_texts), event_text=draw(optional_texts),
                    done_on=draw(st.one_of(st.none(), past_days)))


# Reports in a history that follows the transition rules, with the item's status after them.
HISTORIES = [[], ["in_progress"], ["in_progress", "done"], ["delayed", "in_progress"], ["not_started"],
             ["cancelled"], ["in_progress", "in_progress", "delayed"]]


@st.composite
def items(draw, item_id: str, position: int) -> dict:
    several = draw(st.booleans())
    task, section = draw(st.one_of(st.sampled_from(TASKS), st.tuples(st.none(), st.sampled_from(SECTIONS))))
    leads = draw(st.lists(st.sampled_from(ORG_NAMES), min_size=1, max_size=2, unique_by=lambda n: _ORGS[n]["name"]))
    if len(leads) == 2 and lead_units(leads[:1]) & lead_units(leads[1:]):
        leads = leads[:1]  # a group and one of its members: the rules refuse both
    history = draw(st.sampled_from(HISTORIES))
    dates = sorted(draw(st.lists(past_days, min_size=len(history), max_size=len(history))))
    progress = [optional({"date": day, "by": draw(st.sampled_from(reporters(leads))), "status": status,
                          "text": draw(texts)},
                         evidence=draw(optional_texts),
                         milestone=draw(st.one_of(st.none(), st.integers(1, 2 if several else 1))),
                         forced=draw(st.one_of(st.none(), st.booleans())))
                for day, status in zip(dates, history)]
    status = history[-1] if history else draw(st.sampled_from(["not_started", "in_progress", "delayed", "cancelled"]))
    return optional({
        "id": item_id,
        "seq": position,
        "title": draw(texts),
        "measures": draw(texts),
        "departments": draw(st.lists(texts, min_size=1, max_size=3)),
        "leads": leads,
        "section": section,
        "task": task,
        # In date order, as the rules want them.
        "milestones": sorted(draw(st.lists(milestones(several), min_size=2 if several else 1, max_size=2 if several else 1,
                                           unique_by=lambda m: m["due"])), key=lambda m: m["due"]),
        "status": status,
    }, departments_text=draw(optional_texts), note=draw(optional_texts), progress=progress or None)


@st.composite
def registries(draw) -> dict:
    item_ids = draw(st.lists(ids, min_size=1, max_size=6, unique=True))
    return {key: _BASE[key] for key in ("version", "plan", "sections", "tasks", "organisations")} | {
        "items": [draw(items(item_id, n + 1)) for n, item_id in enumerate(item_ids)]}


def commands(data: dict) -> list[list[str]]:
    first = data["items"][0]
    words = first["title"].split()
    queries = [
        ["list", "--lead", "浙江省局", "--as-of", AS_OF],
        ["due", "--before", "2024-12-31", "--as-of", AS_OF], ["overdue", "--as-of", AS_OF],
        ["upcoming", "--as-of", AS_OF, "--within", "90d"], ["show", first["id"], "--as-of", AS_OF],
        ["search", words[0] if words else first["title"]], ["stats"], ["orgs"], ["log"],
        ["status", "--as-of", AS_OF],
    ]
    return [[*query, "-f", fmt] for query in queries for fmt in ("table", "csv", "json", "yaml", "md")]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=registries(), large=st.booleans())
def test_every_query_prints_the_same_from_a_warm_cache_as_from_the_yaml(cli, data, large):
    with tempfile.TemporaryDirectory() as scratch, pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", os.path.join(scratch, "cache"))  # a fresh cache per example
        if large:
            patch.setattr(cache, "_VALIDATE_ABOVE", 0)
        path = Path(scratch) / "items.yaml"
        path.write_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
        # The registry's rules refuse a few draws (a milestone text naming another date than its
        # deadline): the property is about valid registries only.
        assume(cli("validate", path).exit_code == 0)
        first = cli("stats", "--data", path)
        assert first.exit_code == 0, first.stderr
        assert list((Path(scratch) / "cache").rglob("*.json"))  # and now cached
        for command in commands(data):
            warm = cli(*command, "--data", path)
            fresh = cli(*command, "--data", path, "--no-cache")
            assert (warm.exit_code, warm.stdout, warm.stderr) == (fresh.exit_code, fresh.stdout, fresh.stderr), command
            assert warm.exit_code in (0, 2), (command, warm.stderr)  # 2: a search word that is no word
