"""The people and the Monday morning that the workflow and correction tests share, and a case
registered then."""

from __future__ import annotations

import datetime as dt

from hotline import cases, clock
from hotline.enums import Role
from hotline.models import Case, DepartmentMember, User
from hotline.permissions import Actor
from tests.conftest import sample_case

OPERATOR = Actor("坐席甲", Role.OPERATOR, None)
LEAD = Actor("值班长乙", Role.SHIFT_LEAD, None)
MANAGER = Actor("科长丙", Role.MANAGER, None)
NOW = dt.datetime(2026, 11, 23, 9, 30)  # a Monday


def register_case(**overrides) -> Case:
    """A sample case registered by the operator, received at :data:`NOW`."""
    return cases.register(OPERATOR, sample_case(received_at=NOW.isoformat(), **overrides))


def department_person(name: str, department_id: int | None, user_id: int) -> Actor:
    """A department person (部门) of ``department_id``, user ``user_id`` once
    :func:`add_people` has written them: on a server a department acts as its own login role,
    and every timeline entry it writes must be its own user's."""
    return Actor(name, Role.DEPARTMENT, user_id, department_id=department_id)


def add_people(*people: Actor) -> None:
    """The users of ``people`` in the open database, with their ids and departments."""
    for person in people:
        User.insert(
            id=person.user_id,
            username=f"person{person.user_id}",
            display_name=person.name,
            role=person.role.value,
            password_hash="-",
            created_at=clock.now(),
        ).execute()
        if person.department_id is not None:
            DepartmentMember.insert(user=person.user_id, department=person.department_id).execute()
