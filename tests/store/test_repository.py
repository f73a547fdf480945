"""The repository: the caller declares what it needs, the repository picks how to read the file."""

from __future__ import annotations

import datetime as dt

import pytest

from workplan.core.codes import Status
from workplan.core.needs import Need
from workplan.core.update import UpdateRequest, plan_update
from workplan.store.repository import Repository
from workplan.store.writer import ConcurrentModificationError, InvalidEditError

DAY = dt.date(2024, 10, 15)


def item(reg, item_id):
    return next(i for i in reg.items if i.id == item_id)


def test_each_need_is_served_with_the_fields_it_names(registry_copy):
    repository = Repository(registry_copy)
    repository.open()  # cold: fills the cache
    query = repository.open(Need.QUERY)
    detail = repository.open(Need.DETAIL)
    full = repository.open(Need.ALL)
    assert [i.id for i in query.items] == [i.id for i in detail.items] == [i.id for i in full.items]
    assert not hasattr(item(query, "2024-24"), "measures")  # the query index: no measures
    assert item(detail, "2024-24").measures == item(full, "2024-24").measures
    assert item(full, "2024-01").progress == item(Repository(registry_copy, use_cache=False).open(Need.ALL), "2024-01").progress


def test_preview_shows_the_change_and_writes_nothing(registry_copy):
    repository = Repository(registry_copy)
    before = registry_copy.read_bytes()
    reg, _ = repository.open_for_change()
    plan = plan_update(reg, item(reg, "2024-24"), UpdateRequest(status=Status.in_progress, note="平台试运行", by="浙江省局"),
                       as_of=DAY)
    preview = repository.preview([plan], today=DAY)
    added = [line for line in preview.diff() if line.startswith("+") and not line.startswith("+++")]
    assert preview.changed and any("平台试运行" in line for line in added)
    assert registry_copy.read_bytes() == before


def test_save_writes_once_and_refuses_a_file_changed_since_it_was_read(registry_copy):
    repository = Repository(registry_copy)
    reg, digest = repository.open_for_change()
    plan = plan_update(reg, item(reg, "2024-24"), UpdateRequest(note="第一次", by="浙江省局"), as_of=DAY)
    repository.save([plan], expected_sha256=digest, today=DAY)
    written = registry_copy.read_bytes()
    assert "第一次" in written.decode("utf-8")
    with pytest.raises(ConcurrentModificationError):
        repository.save([plan], expected_sha256=digest, today=DAY)
    assert registry_copy.read_bytes() == written


def test_a_change_that_would_break_the_registry_is_refused_in_preview(registry_copy):
    from workplan.store.writer import Edit

    repository = Repository(registry_copy)
    before = registry_copy.read_bytes()
    with pytest.raises(InvalidEditError):
        repository.preview([Edit("2024-24", ("section",), 99)], today=DAY)
    assert registry_copy.read_bytes() == before
