"""The program's people on a server where each person signs in as their own login role.

PostgreSQL checks the password (SCRAM); the program never sees a hash of it. Signing in opens
the database as ``prefix.username``; an administrator's changes go through the functions of
:mod:`hotline.pg.server.people` with a verifier computed here, never the plain password.
"""

from __future__ import annotations

from typing import Any

from hotline import db
from hotline.errors import DatabaseRefused
from hotline.i18n import N_
from hotline.pg.server import people
from hotline.pg.server.names import RoleNames

MSG_WRONG = N_("用户名或密码错误")
MSG_DISABLED = N_("该账号已停用，请联系管理员")
MSG_NOT_PER_PERSON = N_(
    "数据库 {target} 不是按人登录的服务器数据库（没有用 server setup 或 server convert 设置）：请在地址中写明共用的登录名和密码"
)

# What libpq says when the name or the password is wrong (the server says no more, on purpose).
_WRONG = ("password authentication failed", "no password supplied", "password is required")
_DISABLED = "not permitted to log in"


def names() -> RoleNames:
    found = db.server_roles()
    if found is None:
        raise RuntimeError("not a database with a login role per person")
    return found


def refusal_reason(exc: BaseException) -> str | None:
    """MSG_WRONG or MSG_DISABLED when ``exc`` (a refused connection) says so, else None."""
    text = str(exc.__cause__ or exc)
    if _DISABLED in text:
        return MSG_DISABLED
    if any(part in text for part in _WRONG) or "permission denied for database" in text:
        return MSG_WRONG
    return None


def open_as(target: str, username: str, password: str | None) -> None:
    """Open ``target`` as the person ``username`` (``password`` None: the libpq password
    file). A refused connection raises DatabaseRefused (see :func:`refusal_reason` for a
    wrong name or password or a disabled person), as does a schema that is not the
    program's (``server upgrade``)."""
    db.close()
    try:
        db.open_database(target, person=(username, password), create=False)
    except DatabaseRefused:
        db.close()
        raise
    if not db.per_person():
        db.close()
        raise DatabaseRefused(MSG_NOT_PER_PERSON, target=db.describe(target))


def password_is(username: str, password: str) -> bool:
    """Whether ``password`` is ``username``'s now: the server is asked with a connection of
    its own (which is then closed), the open session is not touched."""
    import psycopg2

    from hotline.pg.connection import connect_params

    target = db.opened_target()
    if target is None or not password:
        return False
    params = connect_params(target)
    params.update(user=names().login(username), password=password)
    try:
        psycopg2.connect(**params).close()
    except psycopg2.Error:
        return False
    return True


def _cursor() -> Any:
    return db.current().connection().cursor()


def stamp_sign_in() -> None:
    with _cursor() as cur:
        cur.execute("SELECT public.hotline_signed_in()")


def _verifier(username: str, password: str) -> str:
    return people.verifier(db.current().connection(), password, names().login(username))


def create_person(username: str, display_name: str, role: str, password: str) -> None:
    with _cursor() as cur:
        cur.execute(
            "SELECT public.hotline_create_person(%s, %s, %s, %s)",
            (username, display_name, role, _verifier(username, password)),
        )


def reset_password(username: str, password: str) -> None:
    with _cursor() as cur:
        cur.execute(
            "SELECT public.hotline_reset_password(%s, %s)",
            (username, _verifier(username, password)),
        )


def set_active(username: str, active: bool) -> None:
    with _cursor() as cur:
        cur.execute("SELECT public.hotline_set_person_active(%s, %s)", (username, active))


def set_role(username: str, role: str) -> None:
    with _cursor() as cur:
        cur.execute("SELECT public.hotline_set_person_role(%s, %s)", (username, role))


def change_own_password(username: str, password: str) -> None:
    """The signed-in person's new password; the open session reconnects with it later."""
    with _cursor() as cur:
        cur.execute(
            "SELECT public.hotline_change_own_password(%s)", (_verifier(username, password),)
        )
    db.current().connect_params["password"] = password
