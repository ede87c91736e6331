"""The people and the Monday morning that the workflow and correction tests share, and a case
registered then."""

from __future__ import annotations

import datetime as dt

from hotline import cases
from hotline.enums import Role
from hotline.models import Case
from hotline.permissions import Actor
from tests.conftest import sample_case

OPERATOR = Actor("坐席甲", Role.OPERATOR, None)
LEAD = Actor("值班长乙", Role.SHIFT_LEAD, None)
MANAGER = Actor("科长丙", Role.MANAGER, None)
NOW = dt.datetime(2026, 11, 23, 9, 30)  # a Monday


def register_case(**overrides) -> Case:
    """A sample case registered by the operator, received at :data:`NOW`."""
    return cases.register(OPERATOR, sample_case(received_at=NOW.isoformat(), **overrides))
