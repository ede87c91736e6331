"""What the connection's login may do, as the server decides it (known once per connection:
its login does not change).

On a server set up with a login role per person, row-level security applies to the person's
session and the server itself restricts what they read (:mod:`hotline.pg.server.policies`);
the program asks these facts once and then lets the server's rule stand instead of repeating
it (a department's list) or asks in the way the server allows (the search index). For the
table owner, a server of one login or SQLite nothing here applies.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from peewee import Database, PostgresqlDatabase

from hotline.pg.server.policies import SEARCH_SIGNATURE


@dataclass(frozen=True)
class LoginRules:
    search_function: bool  # candidates from hotline_search_cases (hotline.pg.search)
    private_index: bool  # may read case_private_search's tokens
    case_policies: bool  # row-level security restricts "case" for this login


# Whether a policy of the search index that lets every row through applies to the login (the
# centre's roles): PostgreSQL drops such a policy from the plan, so the index is asked directly
# as fast as by the owner; only a login with a narrower rule (a department's) needs the
# function (through it a manager's two-word searches took 1.6–1.9 times the owner's).
_EVERY_ROW = (
    "EXISTS (SELECT 1 FROM pg_catalog.pg_policies AS p "
    "WHERE p.schemaname = 'public' AND p.tablename = 'case_search' "
    "AND p.cmd IN ('ALL', 'SELECT') AND p.qual = 'true' "
    "AND EXISTS (SELECT 1 FROM unnest(p.roles) AS r(name) "
    "WHERE pg_has_role(session_user, r.name, 'USAGE')))"
)

_KNOWN: weakref.WeakKeyDictionary[Database, LoginRules] = weakref.WeakKeyDictionary()


def of(db: Database) -> LoginRules:
    """The rules of ``db``'s login (a PostgreSQL database)."""
    known = _KNOWN.get(db)
    if known is None:
        function, private, cases = db.execute_sql(
            "SELECT CASE WHEN to_regprocedure(%s) IS NULL THEN false "
            "ELSE row_security_active('public.case_search') "
            f"AND has_function_privilege(%s, 'EXECUTE') AND NOT {_EVERY_ROW} END, "
            "coalesce(has_column_privilege("
            "to_regclass('public.case_private_search'), 'tokens', 'SELECT'), true), "
            "row_security_active('public.case')",
            (f"public.{SEARCH_SIGNATURE}", f"public.{SEARCH_SIGNATURE}"),
        ).fetchone()
        known = _KNOWN[db] = LoginRules(bool(function), bool(private), bool(cases))
    return known


def forget(db: Database) -> None:
    """Ask again next time (a test harness that changes the role of one connection)."""
    _KNOWN.pop(db, None)


def server_restricts_cases(db: Database) -> bool:
    """Whether the server applies the case rule of this login itself (row-level security)."""
    return isinstance(db, PostgresqlDatabase) and of(db).case_policies
