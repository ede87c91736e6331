"""Demo accounts for the departments' desks: one user of role 部门 per active department
(``dept_<code>``), with a password made for this run and printed once, so that a department's
desk can be tried on the demo database."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass

from hotline import auth
from hotline.enums import Role
from hotline.models import Department, User
from hotline.permissions import Actor


@dataclass(frozen=True)
class DemoAccount:
    username: str
    department: str
    password: str


def _password() -> str:
    letters = "".join(secrets.choice(string.ascii_letters) for _i in range(6))
    digits = "".join(secrets.choice(string.digits) for _i in range(4))
    return f"{letters}{digits}"


def create(actor: Actor) -> list[DemoAccount]:
    """A department user for each active department that has none by that name yet."""
    made: list[DemoAccount] = []
    for department in Department.select().where(Department.active).order_by(Department.code):
        username = f"dept_{department.code.lower()}"[:40]
        if User.select().where(User.username == username).exists():
            continue
        password = _password()
        auth.create_user(
            actor,
            username,
            department.name[:40],
            Role.DEPARTMENT.value,
            password,
            must_change=False,
            department_id=department.id,
        )
        made.append(DemoAccount(username, department.name, password))
    return made
