"""Users: creation, passwords (Argon2), sign-in with lockout, resets and deactivation."""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from peewee import Case as PeeweeCase

from hotline import access, audit, clock
from hotline.db import per_person, write_transaction
from hotline.enums import Role
from hotline.errors import DatabaseRefused, HotlineError, NotFound, Problems, ValidationError
from hotline.i18n import N_
from hotline.models import User
from hotline.permissions import (
    MSG_NAME_CHARACTERS,
    Action,
    Actor,
    escaped_name,
    has_unsafe_name_characters,
    os_user,
)
from hotline.storable import MSG_CONTROL, has_control_characters, is_blank, visible_text

if TYPE_CHECKING:
    from argon2 import PasswordHasher

log = logging.getLogger(__name__)

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8
USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,40}$")

# Memory-hard KDF, made when a password is first checked or set (argon2 need not load before
# the sign-in dialog shows); tests may set a cheaper one (the parameters are stored in each hash).
hasher: PasswordHasher | None = None


def _hasher() -> PasswordHasher:
    global hasher
    if hasher is None:
        from argon2 import PasswordHasher

        hasher = PasswordHasher()
    return hasher


def _verify(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches; False for a wrong password or an unreadable hash."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(stored_hash, password or "")
    except (VerificationError, InvalidHashError):  # VerifyMismatchError is a VerificationError
        return False


_dummy: tuple[PasswordHasher, str] | None = None


def _dummy_hash() -> str:
    """A hash of a random secret made with the current parameters: checked instead of a
    user's hash where there is none to check, so that such an answer takes as long."""
    global _dummy
    current = _hasher()
    if _dummy is None or _dummy[0] is not current:
        _dummy = (current, current.hash(secrets.token_urlsafe(16)))
    return _dummy[1]


MSG_NO_DEPARTMENT = N_(
    "该部门账号尚未指定所属承办单位，不能登录：请管理员在“用户”页为其选择承办单位"
)


class SignInFailed(HotlineError):
    """Wrong name or password, an inactive account, or a locked one."""


class AccountLocked(SignInFailed):
    """Too many wrong passwords in a row: no password is checked until ``until``."""

    def __init__(self, until: dt.datetime | None, now: dt.datetime) -> None:
        until = until or now + LOCKOUT
        minutes = max(1, math.ceil((until - now).total_seconds() / 60))
        super().__init__(
            N_("密码错误次数过多，账号已锁定，请 {minutes} 分钟后再试"), minutes=minutes
        )
        self.until = until


def password_problems(password: str) -> list[str]:
    """Why ``password`` is too weak (message ids); empty when it is acceptable."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(N_("密码至少需要 8 个字符"))
    classes = sum(
        bool(re.search(pattern, password)) for pattern in (r"[A-Za-z]", r"[0-9]", r"[^A-Za-z0-9]")
    )
    if classes < 2:
        problems.append(N_("密码需包含字母、数字、符号中的至少两类"))
    return problems


def _check_new_user(username: str, display_name: str, role: str, password: str) -> Role:
    problems = Problems()
    if not USERNAME.match(username or ""):
        problems.add("username", N_("用户名须为 2–40 位字母、数字或 _ . -"))
    elif User.select().where(User.username == username).exists():
        problems.add("username", N_("用户名 {username} 已存在"), username=username)
    if is_blank(display_name):
        problems.add("display_name", N_("请填写姓名"))
    elif has_control_characters(display_name):
        problems.add("display_name", MSG_CONTROL)
    parsed = Role.parse(role)
    if parsed is None:
        problems.add("role", N_("未知的角色：{role}"), role=role)
    for message in password_problems(password or ""):
        problems.add("password", message)
    named = any(p.field == "display_name" for p in problems.items)
    # Invisible characters at the ends are dropped when stored; inside the name they are not.
    if not named and has_unsafe_name_characters(visible_text(display_name)):
        problems.add("display_name", MSG_NAME_CHARACTERS)
    problems.raise_if_any()
    assert isinstance(parsed, Role)
    return parsed


def has_users() -> bool:
    """Whether the database has its administrator (any account of that role, even one that
    was deactivated): until then the program asks for the first one. Accounts of other roles
    alone (the demo's department users) do not make a centre that can be administered."""
    return bool(User.select().where(User.role == Role.ADMIN.value).exists())


def create_first_admin(username: str, display_name: str, password: str) -> User:
    """The first administrator of an empty database (no acting user exists yet)."""
    if has_users():
        raise HotlineError(N_("已存在用户，不能再创建首个管理员"))
    return _create(
        Actor(name=username, role=Role.ADMIN, via="setup"),
        username,
        display_name,
        Role.ADMIN,
        password,
    )


def create_user(
    actor: Actor,
    username: str,
    display_name: str,
    role: str,
    password: str,
    *,
    must_change: bool = True,
    department_id: int | None = None,
) -> User:
    """A new account; a user of role 部门 needs ``department_id`` (recorded with it)."""
    actor.require(Action.USER_MANAGE)
    if Role.parse(role) is Role.DEPARTMENT:
        _check_department(department_id)
    elif department_id is not None:
        raise ValidationError.single("department", MSG_DEPARTMENT_ROLE_ONLY)
    user = _create(actor, username, display_name, role, password, must_change=must_change)
    if department_id is not None:
        set_department(actor, user.id, department_id)
    return user


MSG_DEPARTMENT_ROLE_ONLY = N_("只有“部门”角色的用户才能指定所属承办单位")


def _check_department(department_id: int | None) -> None:
    from hotline.models import Department

    department = (
        Department.get_or_none(Department.id == department_id)
        if department_id is not None
        else None
    )
    if department is None or not department.active:
        raise ValidationError.single("department", N_("请选择有效的承办单位"))


def _create(
    actor: Actor,
    username: str,
    display_name: str,
    role: str | Role,
    password: str,
    *,
    must_change: bool = False,
) -> User:
    username = (username or "").strip()
    parsed = _check_new_user(username, display_name, str(role), password)
    if per_person():
        return _create_person(actor, username, display_name, parsed, password)
    with write_transaction():
        user = User.create(
            username=username,
            display_name=visible_text(display_name),
            role=parsed.value,
            password_hash=_hasher().hash(password),
            created_at=clock.now(),
            must_change_password=must_change,
        )
        audit.record(
            actor, "user.create", "user", user.id, {"username": username, "role": parsed.value}
        )
    return user


def _create_person(
    actor: Actor, username: str, display_name: str, role: Role, password: str
) -> User:
    """A login role of its own (shared server): through ``hotline_create_person``."""
    from hotline.pg.server import accounts

    with write_transaction():
        accounts.create_person(username, visible_text(display_name), role.value, password)
        user = User.get(User.username == username)
        audit.record(
            actor, "user.create", "user", user.id, {"username": username, "role": role.value}
        )
    return user


@dataclass(frozen=True)
class SignedInUser:
    """Who signed in to the desktop program, as plain data: whom the windows act for."""

    id: int
    username: str
    display_name: str
    role: str
    must_change_password: bool = False
    department_id: int | None = None  # a user of role 部门: their department

    @classmethod
    def of(cls, user: User | SignedInUser) -> SignedInUser:
        if isinstance(user, SignedInUser):
            return user
        return cls(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            must_change_password=bool(user.must_change_password),
            department_id=_department_of(user),
        )


def signed_in_user(user_id: int) -> SignedInUser:
    """The account as stored now (after its password was changed, say)."""
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise NotFound(N_("用户不存在"))
    return SignedInUser.of(user)


def _department_of(user: User) -> int | None:
    return access.department_of(user.id) if user.role == Role.DEPARTMENT.value else None


def actor_for(user: User | SignedInUser) -> Actor:
    department = user.department_id if isinstance(user, SignedInUser) else _department_of(user)
    return Actor(
        name=user.display_name or user.username,
        role=Role(user.role),
        user_id=user.id,
        department_id=department,
    )


class NotAnAccount(HotlineError):
    """The command line was told to act as someone who has no usable account."""


def command_line_actor(username: str | None, *, require_account: bool) -> Actor:
    """Who command-line work is recorded as: ``--user``, else the operating-system user.

    A name with an active account is recorded as that account (its name and id), marked as
    command line. Without an account, ``--user`` is refused where ``require_account`` (an
    SQLite file: a guard against typing the wrong name, not a security boundary on a file
    its user may write anyway); the OS user is recorded by its login name, marked likewise.
    """
    given = username is not None
    name = (username if given else os_user()) or ""
    if has_unsafe_name_characters(name):
        message = (
            N_("用户名 {user} 含有控制字符、零宽字符或文字方向控制符")
            if given
            else N_(
                "操作系统用户名 {user} 含有控制字符、零宽字符或文字方向控制符；请用 --user 指定账号"
            )
        )
        raise NotAnAccount(message, user=escaped_name(name))
    account = User.get_or_none(User.username == name)
    if account is not None and account.active:
        return Actor.command_line(account.display_name or account.username, account.id)
    if given and require_account:
        if account is not None:
            raise NotAnAccount(N_("账号 {user} 已停用，不能以其名义在命令行操作"), user=name)
        raise NotAnAccount(
            N_(
                "没有用户名为 {user} 的账号：在 SQLite 数据库上，--user 须是一个已有且未停用的账号的用户名"
            ),
            user=name,
        )
    return Actor.command_line(name)


def sign_in(username: str, password: str, *, server: str | None = None) -> User:
    """The user if the password is right; counts failures and locks after too many.

    ``server``: the URL of a server where each person signs in as their own login role; the
    database is (re)opened as ``username`` and PostgreSQL checks the password (the server's
    ``auth_delay`` slows guessing there, see README).
    A department user whose department is not recorded is refused (they would see nothing);
    from then on the process's case lists are read for this user (:mod:`hotline.access`)."""
    if server is not None:
        signed_in = _sign_in_to_server(server, (username or "").strip(), password)
    else:
        user = User.get_or_none(User.username == (username or "").strip())
        signed_in = _attempt(user, password, unlocking=False)
    actor = actor_for(signed_in)
    if actor.role is Role.DEPARTMENT and actor.department_id is None:
        raise SignInFailed(MSG_NO_DEPARTMENT)
    access.begin_session(actor)
    return signed_in


def _sign_in_to_server(target: str, username: str, password: str | None) -> User:
    from hotline.pg.server import accounts

    if not USERNAME.match(username) or password == "":
        raise SignInFailed(accounts.MSG_WRONG)  # an empty password would read ~/.pgpass
    try:
        accounts.open_as(target, username, password)
    except DatabaseRefused as exc:
        reason = accounts.refusal_reason(exc)
        if reason is not None:
            raise SignInFailed(reason) from exc
        raise
    user = User.get_or_none(User.username == username)
    if user is None or not user.active:
        from hotline import db

        db.close()
        raise SignInFailed(accounts.MSG_DISABLED if user is not None else accounts.MSG_WRONG)
    with write_transaction():
        accounts.stamp_sign_in()
        audit.record(actor_for(user), "user.sign_in", "user", user.id, {})
    return User.get_by_id(user.id)


def unlock(user_id: int, password: str) -> User:
    """The signed-in user's password again, to open the idle-locked window.

    Counted exactly as a sign-in: wrong passwords here and at the sign-in dialog add up, and
    lock the account for :data:`LOCKOUT` after :data:`MAX_FAILURES` in a row. On a server
    with a login role per person the server checks the password (with a connection of its
    own), as at sign-in.
    """
    if per_person():
        return _unlock_on_server(user_id, password)
    return _attempt(User.get_or_none(User.id == user_id), password, unlocking=True)


def _unlock_on_server(user_id: int, password: str) -> User:
    from hotline.pg.server import accounts

    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise SignInFailed(N_("密码不正确"))
    right = accounts.password_is(user.username, password)
    with write_transaction():
        action = "user.unlock" if right else "user.unlock_failed"
        audit.record(actor_for(user), action, "user", user.id, {} if right else {"locked": False})
    if not right:
        raise SignInFailed(N_("密码不正确"))
    return user


def _attempt(user: User | None, password: str, *, unlocking: bool) -> User:
    """One password check, counted before it is made.

    Every path checks one Argon2 hash, so an unknown, inactive or locked account answers
    after as long as a wrong password does.
    """
    generic = N_("密码不正确") if unlocking else N_("用户名或密码错误")
    if user is None:
        _verify(_dummy_hash(), password)
        raise SignInFailed(generic)
    if not user.active:
        _verify(_dummy_hash(), password)
        raise SignInFailed(N_("该账号已停用，请联系管理员"))
    now = clock.now()
    reserved, locked_until = _reserve_attempt(user.id, now)
    if not reserved:
        _verify(_dummy_hash(), password)
        raise AccountLocked(locked_until, now)
    if not _verify(user.password_hash, password):
        _record_failure(user, locked_until, unlocking=unlocking)
        if locked_until is not None:
            raise AccountLocked(locked_until, now)
        raise SignInFailed(generic)
    with write_transaction():
        fields: dict[Any, Any] = {User.failed_attempts: 0, User.locked_until: None}
        if not unlocking:
            fields[User.last_login_at] = now
        if _hasher().check_needs_rehash(user.password_hash):
            fields[User.password_hash] = _hasher().hash(password)
        User.update(fields).where(User.id == user.id).execute()
        action = "user.unlock" if unlocking else "user.sign_in"
        audit.record(actor_for(user), action, "user", user.id, {})
    return User.get_by_id(user.id)


def sign_out(user: User | SignedInUser, reason: str = "user") -> None:
    """Record that ``user`` signed out of the app (``reason``: "user" when asked for, as
    when switching user; the audit log tells the shifts at a workstation apart)."""
    with write_transaction():
        audit.record(actor_for(user), "user.sign_out", "user", user.id, {"reason": reason})
    access.end_session()
    log.info("user %s signed out (%s)", user.username, reason)


def _reserve_attempt(user_id: int, now: dt.datetime) -> tuple[bool, dt.datetime | None]:
    """Count one more attempt before its password is checked, unless the account is locked.

    One conditional UPDATE does it, so parallel attempts (several windows, processes or
    computers) get no more than :data:`MAX_FAILURES` checks between them: the attempt that
    reaches the limit locks the account in the same statement, before its own check. A
    right password then resets the count. Returns whether this attempt may check the
    password, and when the account is (now) locked until, if it is.
    """
    expired = User.locked_until.is_null(False) & (User.locked_until <= now)
    counted = PeeweeCase(None, [(expired, 0)], User.failed_attempts) + 1
    until = User.locked_until.to_value(now + LOCKOUT)
    with write_transaction():
        reserved = (
            User.update(
                failed_attempts=counted,
                locked_until=PeeweeCase(None, [(counted >= MAX_FAILURES, until)], None),
            )
            .where(
                (User.id == user_id) & (User.locked_until.is_null() | (User.locked_until <= now))
            )
            .execute()
        )
        row = User.select(User.locked_until).where(User.id == user_id).get()
    return bool(reserved), row.locked_until


def _record_failure(user: User, locked_until: dt.datetime | None, *, unlocking: bool) -> None:
    with write_transaction():
        audit.record(
            Actor(name=user.username, role=Role(user.role), user_id=user.id),
            "user.unlock_failed" if unlocking else "user.sign_in_failed",
            "user",
            user.id,
            {"locked": locked_until is not None},
        )
    log.info("wrong password for user id %s (locked: %s)", user.id, locked_until is not None)


def verify_password(user: User, password: str) -> bool:
    """Check a password without counting it (the old password when changing it)."""
    if per_person():
        from hotline.pg.server import accounts

        return accounts.password_is(user.username, password)
    return _verify(user.password_hash, password)


def change_password(user: User, old_password: str, new_password: str) -> None:
    problems = Problems()
    if not verify_password(user, old_password):
        problems.add("old_password", N_("原密码不正确"))
    for message in password_problems(new_password or ""):
        problems.add("password", message)
    if old_password == new_password:
        problems.add("password", N_("新密码不能与原密码相同"))
    problems.raise_if_any()
    with write_transaction():
        if per_person():
            from hotline.pg.server import accounts

            accounts.change_own_password(user.username, new_password)
        else:
            User.update(
                password_hash=_hasher().hash(new_password), must_change_password=False
            ).where(User.id == user.id).execute()
        audit.record(actor_for(user), "user.change_password", "user", user.id, {})


def change_own_password(user_id: int, old_password: str, new_password: str) -> None:
    """The signed-in user replaces their password (see :func:`change_password`)."""
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise NotFound(N_("用户不存在"))
    change_password(user, old_password, new_password)


def reset_password(actor: Actor, user_id: int, new_password: str) -> None:
    """An administrator sets a temporary password; the user must change it at next sign-in."""
    actor.require(Action.USER_MANAGE)
    problems = Problems()
    for message in password_problems(new_password or ""):
        problems.add("password", message)
    problems.raise_if_any()
    if per_person():
        _on_server(actor, user_id, "user.reset_password", {}, reset=new_password)
        return
    with write_transaction():
        count = (
            User.update(
                password_hash=_hasher().hash(new_password),
                must_change_password=True,
                failed_attempts=0,
                locked_until=None,
            )
            .where(User.id == user_id)
            .execute()
        )
        if not count:
            raise NotFound(N_("用户不存在"))
        audit.record(actor, "user.reset_password", "user", user_id, {})


def set_active(actor: Actor, user_id: int, active: bool) -> None:
    actor.require(Action.USER_MANAGE)
    if actor.user_id == user_id and not active:
        raise HotlineError(N_("不能停用自己的账号"))
    if per_person():
        _on_server(
            actor, user_id, "user.activate" if active else "user.deactivate", {}, active=active
        )
        return
    with write_transaction():
        count = User.update(active=active).where(User.id == user_id).execute()
        if not count:
            raise NotFound(N_("用户不存在"))
        audit.record(actor, "user.activate" if active else "user.deactivate", "user", user_id, {})


def _on_server(
    actor: Actor,
    user_id: int,
    action: str,
    detail: dict[str, Any],
    *,
    reset: str | None = None,
    active: bool | None = None,
) -> None:
    """A reset or an (de)activation through the people functions (shared server)."""
    from hotline.pg.server import accounts

    with write_transaction():
        user = User.get_or_none(User.id == user_id)
        if user is None:
            raise NotFound(N_("用户不存在"))
        if reset is not None:
            accounts.reset_password(user.username, reset)
        if active is not None:
            accounts.set_active(user.username, active)
        audit.record(actor, action, "user", user_id, detail)


@dataclass(frozen=True)
class UserAccount:
    """An account as the administrator's users page lists it."""

    id: int
    username: str
    display_name: str
    role: str
    active: bool
    must_change_password: bool
    last_login_at: dt.datetime | None
    department_id: int | None = None  # a user of role 部门: their department
    department: str = ""  # its name


def list_users() -> list[UserAccount]:
    from hotline.models import Department, DepartmentMember, tuples

    query = DepartmentMember.select(
        DepartmentMember.user, DepartmentMember.department, Department.name
    ).join(Department)
    members = {
        int(user_id): (int(department_id), str(name))
        for user_id, department_id, name in tuples(query)
    }
    return [
        UserAccount(
            id=u.id,
            username=u.username,
            display_name=u.display_name,
            role=u.role,
            active=bool(u.active),
            must_change_password=bool(u.must_change_password),
            last_login_at=u.last_login_at,
            department_id=members.get(u.id, (None, ""))[0],
            department=members.get(u.id, (None, ""))[1],
        )
        for u in User.select().order_by(User.username)
    ]


def set_department(actor: Actor, user_id: int, department_id: int | None) -> UserAccount:
    """Record the department a user of role 部门 works for (None: none). Audited."""
    from hotline.models import DepartmentMember

    actor.require(Action.USER_MANAGE)
    with write_transaction():
        user = User.get_or_none(User.id == user_id)
        if user is None:
            raise NotFound(N_("用户不存在"))
        if user.role != Role.DEPARTMENT.value and department_id is not None:
            raise ValidationError.single("department", MSG_DEPARTMENT_ROLE_ONLY)
        before = access.department_of(user.id)
        if department_id is not None:
            _check_department(department_id)
        if before == department_id:
            return next(u for u in list_users() if u.id == user_id)
        DepartmentMember.delete().where(DepartmentMember.user == user.id).execute()
        if department_id is not None:
            DepartmentMember.insert(user=user.id, department=department_id).execute()
        audit.record(
            actor,
            "user.set_department",
            "user",
            user.id,
            {"username": user.username, "before": before, "after": department_id},
        )
    return next(u for u in list_users() if u.id == user_id)


def change_role(
    actor: Actor, user_id: int, role: str, *, department_id: int | None = None
) -> UserAccount:
    """Give an account another role. The last active administrator keeps theirs: a centre
    without one could no longer manage users or settings. The role 部门 needs the
    department the user works for (``department_id``), recorded with it."""
    actor.require(Action.USER_MANAGE)
    parsed = Role.parse(role)
    if parsed is None:
        raise ValidationError.single("role", N_("未知的角色：{role}"), role=role)
    if parsed is Role.DEPARTMENT:
        _check_department(department_id)
    elif department_id is not None:
        raise ValidationError.single("department", MSG_DEPARTMENT_ROLE_ONLY)
    with write_transaction():
        user = User.get_or_none(User.id == user_id)
        if user is None:
            raise NotFound(N_("用户不存在"))
        before = Role(user.role)
        if before == parsed:
            raise ValidationError.single(
                "role", N_("{name} 的角色已是“{role}”"), name=user.display_name, role=parsed.label
            )
        if before == Role.ADMIN and user.active and _other_active_admins(user.id) == 0:
            raise HotlineError(
                N_("{name} 是唯一在用的系统管理员，不能改为其他角色：请先让另一位用户成为管理员"),
                name=user.display_name,
            )
        from hotline.models import DepartmentMember

        # A department's user works for one department; any other role for none. (Written
        # before the role: an administrator who gives up their own role on a server loses the
        # administrators' rights at once, in this transaction too.)
        DepartmentMember.delete().where(DepartmentMember.user == user.id).execute()
        if parsed is Role.DEPARTMENT:
            DepartmentMember.insert(user=user.id, department=department_id).execute()
        if per_person():
            from hotline.pg.server import accounts

            accounts.set_role(user.username, parsed.value)
        else:
            User.update(role=parsed.value).where(User.id == user.id).execute()
        audit.record(
            actor,
            "user.change_role",
            "user",
            user.id,
            {
                "username": user.username,
                "before": before.value,
                "after": parsed.value,
                "department": department_id,
            },
        )
    log.info("user id %s: role %s -> %s", user_id, before.value, parsed.value)
    return next(u for u in list_users() if u.id == user_id)


def _other_active_admins(user_id: int) -> int:
    """Active administrators other than ``user_id`` (rows locked on PostgreSQL so that two
    administrators demoting each other at once cannot both succeed)."""
    from hotline.db import is_sqlite

    query = User.select(User.id).where(
        (User.role == Role.ADMIN.value) & (User.active == True) & (User.id != user_id)  # noqa: E712
    )
    if not is_sqlite() and not per_person():  # a person may not lock "user" (no UPDATE)
        query = query.for_update()
    return len(list(query))
