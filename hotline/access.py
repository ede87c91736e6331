"""Which cases a person may see: the one rule that lists, counts, search, the case window
and every service apply (a database policy for departments mirrors :func:`case_condition`).

The centre's roles see every case. A user of role 部门 (:attr:`Role.DEPARTMENT`) sees only the
cases whose department (``case.department_id``) is their own and those their department
assists on (会办, :mod:`hotline.cohandling`; on those it answers its part and adds notes, it
does not act as the lead), and nothing at all without a department. A confidential caller
stays masked for a department unless the centre granted it, to the lead department, on that
case (``case_handling.caller_granted``, set by a shift lead or manager, audited).

The lists of the desktop program are read for whoever is signed in at this workstation:
:func:`begin_session` (called by :func:`hotline.auth.sign_in` and when a window session
starts) makes :func:`list_condition` restrict every case query of the process to what that
person may see, so no window can show more than the rule allows, whatever filter it builds.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from hotline.enums import Role
from hotline.errors import NotFound
from hotline.i18n import N_
from hotline.permissions import Action, Actor

if TYPE_CHECKING:
    from peewee import Expression

    from hotline.models import Case

MSG_NOT_VISIBLE = N_("案件不存在或不属于本单位")

_lock = threading.Lock()
_session: Actor | None = None


def department_of(user_id: int | None) -> int | None:
    """The department a user of role 部门 works for (None: none recorded)."""
    from hotline.models import DepartmentMember

    if user_id is None:
        return None
    row = DepartmentMember.get_or_none(DepartmentMember.user == user_id)
    return int(row.department_id) if row is not None else None


def is_department(actor: Actor | None) -> bool:
    return actor is not None and actor.role is Role.DEPARTMENT


def case_condition(actor: Actor | None) -> Expression | None:
    """The condition on ``Case`` that selects what ``actor`` may see (None: every case)."""
    from hotline.models import Case

    if actor is None or not is_department(actor):
        return None
    if actor.department_id is None:
        return Case.id.is_null()  # the key is never NULL: no row
    from hotline.cohandling import assisted_cases

    condition: Expression = (Case.department == actor.department_id) | Case.id.in_(
        assisted_cases(actor.department_id)
    )
    return condition


def may_see(actor: Actor, case: Case) -> bool:
    if not is_department(actor):
        return True
    if actor.department_id is None:
        return False
    if case.department_id == actor.department_id:
        return True
    from hotline.cohandling import assisting

    return assisting(case.id, actor.department_id)


def leads(actor: Actor, case: Case) -> bool:
    """Whether ``actor`` is of the case's lead department (主办单位); the centre's roles act
    on every case as before."""
    if not is_department(actor):
        return True
    return actor.department_id is not None and case.department_id == actor.department_id


def require_case(actor: Actor, case: Case) -> None:
    """Refuse a case ``actor`` may not see as if it did not exist (its number stays unsaid)."""
    if not may_see(actor, case):
        raise NotFound(MSG_NOT_VISIBLE)


def caller_granted(case_id: int) -> bool:
    from hotline.models import CaseHandling

    row = CaseHandling.get_or_none(CaseHandling.case == case_id)
    return bool(row is not None and row.caller_granted)


def may_see_caller(actor: Actor, case: Case) -> bool:
    """Whether ``actor`` sees ``case``'s caller unmasked."""
    if not case.confidential:
        return True
    if actor.can(Action.CASE_VIEW_CONFIDENTIAL):
        return True
    # Granted to the lead department only: an assisting department never sees the caller.
    return is_department(actor) and leads(actor, case) and caller_granted(case.id)


# The signed-in person of this process (the desktop program has one at a time).


def begin_session(actor: Actor) -> None:
    """From now on every case list of this process is read for ``actor``."""
    global _session
    with _lock:
        _session = actor


def end_session() -> None:
    global _session
    with _lock:
        _session = None


def session_actor() -> Actor | None:
    with _lock:
        return _session


def list_condition() -> Expression | None:
    """:func:`case_condition` of the signed-in person (None: no restriction).

    Where the server applies that very rule to the session itself (a department person's own
    login on a server set up per person: the policy of ``case`` in
    :mod:`hotline.pg.server.policies`), the query leaves it to the server: asked twice, the
    department's assisted cases were gathered twice a query (docs/server-security.md, 4c).
    """
    condition = case_condition(session_actor())
    if condition is not None and _server_restricts_cases():
        return None
    return condition


def _server_restricts_cases() -> bool:
    from hotline.models import database_proxy
    from hotline.pg.login_rules import server_restricts_cases

    database = database_proxy.obj
    return database is not None and server_restricts_cases(database)
