"""UNCHANGED: a field a change leaves out (an API PATCH sends only what changes)."""

import enum
from typing import TypeVar

Value = TypeVar("Value")


class Unchanged(enum.Enum):
    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED


def changed(value: "Value | Unchanged", current: Value) -> Value:
    """The value sent, or the current one when the field was left out."""
    return current if value is UNCHANGED else value
