"""The names of a database's roles: roles are cluster-wide, so each database has its own.

The prefix is derived from the database name, so a workstation that knows the URL knows the
role to sign in as without reading anything first: database ``hotline`` gives the groups
``hotline_operator``, ``hotline_admin`` … and the login role ``hotline.zhangsan`` for the user
``zhangsan``. A long database name is shortened and made unique with a hash of the full name.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from hotline.enums import Role
from hotline.errors import ValidationError
from hotline.i18n import N_

# hotline.auth.USERNAME, repeated: importing hotline.auth here would make an import cycle
# (hotline.db looks up these names when it connects).
USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,40}$")
PREFIX_LIMIT = 19  # prefix + "." + a 40-character user name fits the 60-character actor column
_UNSAFE = re.compile(r"[^a-z0-9_]+")

# Group roles beyond the app's roles: the next issue's departments sign in with this one.
DEPARTMENT = "department"
OWNER = "owner"
USER_ADMIN = "useradmin"  # owns the functions that create and change login roles


def prefix_for(database: str) -> str:
    """The role prefix of ``database`` (lowercase letters, digits and ``_``)."""
    clean = _UNSAFE.sub("_", database.lower()).strip("_") or "db"
    if clean[0].isdigit():
        clean = "db_" + clean
    if len(clean) <= PREFIX_LIMIT and clean == database:
        return clean
    digest = hashlib.sha256(database.encode("utf-8")).hexdigest()[:8]
    return f"{clean[: PREFIX_LIMIT - 9].rstrip('_')}_{digest}"


@dataclass(frozen=True)
class RoleNames:
    prefix: str

    @classmethod
    def for_database(cls, database: str) -> RoleNames:
        return cls(prefix_for(database))

    @property
    def owner(self) -> str:
        return f"{self.prefix}_{OWNER}"

    @property
    def user_admin(self) -> str:
        return f"{self.prefix}_{USER_ADMIN}"

    @property
    def department(self) -> str:
        return f"{self.prefix}_{DEPARTMENT}"

    def group(self, role: Role | str) -> str:
        return f"{self.prefix}_{Role(role).value}"

    def groups(self) -> dict[str, str]:
        """Every group role: the app's roles by their code, and the department role."""
        names = {role.value: self.group(role) for role in Role}
        names[DEPARTMENT] = self.department
        return names

    def login(self, username: str) -> str:
        """The login role of the app's user ``username``."""
        if not USERNAME.match(username):
            raise ValidationError.single("username", N_("用户名须为 2–40 位字母、数字或 _ . -"))
        return f"{self.prefix}.{username}"

    def all_fixed(self) -> list[str]:
        """The roles ``server setup`` creates before any person."""
        return [self.owner, self.user_admin, *self.groups().values()]
