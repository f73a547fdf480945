"""What a command reads of the items, declared by the command and served by the repository."""

from __future__ import annotations

from enum import Flag


class Need(Flag):
    """Parts of an item beyond its query fields (ids, titles, units, departments, section, task,
    status and deadlines). A command asks for what it shows; the repository decides how to read it."""

    QUERY = 0          # the query fields alone
    DETAIL = 1         # measures, the milestones' measures and events, notes
    PROGRESS = 2       # the progress entries
    SHARES = 4         # each lead unit's state of a joint item (the query index holds it; else from PROGRESS)
    ALL = DETAIL | PROGRESS | SHARES
