"""Users: creation, passwords (Argon2), sign-in with lockout, resets and deactivation."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import TYPE_CHECKING

from hotline import audit, clock
from hotline.db import write_transaction
from hotline.enums import Role
from hotline.errors import HotlineError, NotFound, Problems
from hotline.i18n import N_
from hotline.models import User
from hotline.permissions import Action, Actor
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


class SignInFailed(HotlineError):
    """Wrong name or password, an inactive account, or a locked one."""


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
    problems.raise_if_any()
    assert isinstance(parsed, Role)
    return parsed


def has_users() -> bool:
    return User.select().exists()


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
) -> User:
    actor.require(Action.USER_MANAGE)
    return _create(actor, username, display_name, role, password, must_change=must_change)


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


def actor_for(user: User) -> Actor:
    return Actor(name=user.display_name or user.username, role=Role(user.role), user_id=user.id)


def sign_in(username: str, password: str) -> User:
    """The user if the password is right; counts failures and locks after too many."""
    now = clock.now()
    user = User.get_or_none(User.username == (username or "").strip())
    generic = N_("用户名或密码错误")
    if user is None:
        _hasher().hash("timing-equaliser")
        raise SignInFailed(generic)
    if not user.active:
        raise SignInFailed(N_("该账号已停用，请联系管理员"))
    if user.locked_until and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise SignInFailed(
            N_("密码错误次数过多，账号已锁定，请 {minutes} 分钟后再试"), minutes=minutes
        )
    if not _verify(user.password_hash, password):
        _record_failure(user, now)
        raise SignInFailed(generic)
    with write_transaction():
        fields = {User.failed_attempts: 0, User.locked_until: None, User.last_login_at: now}
        if _hasher().check_needs_rehash(user.password_hash):
            fields[User.password_hash] = _hasher().hash(password)
        User.update(fields).where(User.id == user.id).execute()
        audit.record(actor_for(user), "user.sign_in", "user", user.id, {})
    return User.get_by_id(user.id)


def _record_failure(user: User, now: dt.datetime) -> None:
    failures = user.failed_attempts + 1
    locked = now + LOCKOUT if failures >= MAX_FAILURES else None
    with write_transaction():
        User.update(failed_attempts=0 if locked else failures, locked_until=locked).where(
            User.id == user.id
        ).execute()
        audit.record(
            Actor(name=user.username, role=Role(user.role), user_id=user.id),
            "user.sign_in_failed",
            "user",
            user.id,
            {"locked": bool(locked)},
        )
    log.info("failed sign-in for user id %s (%s in a row)", user.id, failures)


def verify_password(user: User, password: str) -> bool:
    """Check a password without counting it as a sign-in (unlocking an idle window)."""
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
        User.update(password_hash=_hasher().hash(new_password), must_change_password=False).where(
            User.id == user.id
        ).execute()
        audit.record(actor_for(user), "user.change_password", "user", user.id, {})


def reset_password(actor: Actor, user_id: int, new_password: str) -> None:
    """An administrator sets a temporary password; the user must change it at next sign-in."""
    actor.require(Action.USER_MANAGE)
    problems = Problems()
    for message in password_problems(new_password or ""):
        problems.add("password", message)
    problems.raise_if_any()
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
    with write_transaction():
        count = User.update(active=active).where(User.id == user_id).execute()
        if not count:
            raise NotFound(N_("用户不存在"))
        audit.record(actor, "user.activate" if active else "user.deactivate", "user", user_id, {})


def list_users() -> list[User]:
    return list(User.select().order_by(User.username))
