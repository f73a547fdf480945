"""The codes the registry stores and the domain computes: statuses, kinds of organisation, lights.

Kept apart from the pydantic models so that code reading a validated cache needs no pydantic.
"""

from __future__ import annotations

from enum import Enum

from workplan.core.labels import Message, Refusal, status_label


class Status(str, Enum):
    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"
    delayed = "delayed"
    cancelled = "cancelled"

    @property
    def label(self) -> str:
        return status_label(self)

    @classmethod
    def parse(cls, text: str) -> "Status":
        """Accept a code (in_progress), a Chinese label (推进中) or an English label (in progress)."""
        key = text.strip().lower().replace(" ", "_").replace("-", "_")
        for status in cls:
            if key in (status.value, status_label(status), status_label(status, "en").replace(" ", "_")):
                return status
        raise Refusal("error.unknown_status", text=text, choices=status_choices())


class OrgKind(str, Enum):
    group = "group"
    provincial_bureau = "provincial_bureau"
    drug_administration = "drug_administration"
    city_bureau = "city_bureau"
    county_bureau = "county_bureau"
    institute = "institute"


class Light(str, Enum):
    red = "red"          # past due and not done
    yellow = "yellow"    # due within the warning window
    green = "green"      # on track
    done = "done"
    cancelled = "cancelled"
    none = "none"        # an open item with no deadline (长期坚持, 持续推进): no light, shown as 无时限


def status_choices() -> list[Message]:
    """Every status as 推进中 (in_progress), for messages that list what may be typed."""
    return [Message("hint.status_choice", label=Message(f"status.{s.value}"), code=s.value) for s in Status]
