def test_registry_counts(registry):
    assert len(registry.sections) == 6
    assert len(registry.tasks) == 25
    assert len(registry.items) == 59
    assert sum(len(i.milestones) for i in registry.items) == 60
