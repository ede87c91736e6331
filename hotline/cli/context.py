"""What a subcommand's handler gets: its arguments, the streams, the actor and the database."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from peewee import Database

from hotline import db, models
from hotline.errors import HotlineError, ValidationError
from hotline.i18n import N_, _
from hotline.permissions import Actor

MSG_CHANGE_FIRST = N_(
    "这是一次性密码，须先更改：运行 password 命令（或在工作台登录）设置新密码后再执行其他命令"
)


class UsageError(HotlineError):
    """The command line was used wrongly (exit status 2)."""


@dataclass
class Context:
    args: argparse.Namespace
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    _actor: Actor | None = field(default=None, init=False, repr=False)
    _password: str | None = field(default=None, init=False, repr=False)

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    @property
    def actor(self) -> Actor:
        """Command-line work is recorded as ``--user`` or the operating-system user, by the
        name of their account if they have one, marked as done on the command line.

        On an SQLite file ``--user`` must name an active account there (else exit 2).
        """
        if self._actor is None:
            self._actor = self._find_actor()
        return self._actor

    def check_user(self) -> None:
        """Refuse a ``--user`` that names no account before the command does anything; read
        the password of ``--sign-in-stdin`` (the first line, before the command reads the
        rest of standard input)."""
        if getattr(self.args, "sign_in_stdin", False) and self._password is None:
            self._password = self.stdin.readline().rstrip("\r\n")
            if not self._password:
                raise UsageError(N_("--sign-in-stdin：标准输入的第一行应是密码"))
        if getattr(self.args, "user", None) is not None and not db.is_url(self.target):
            _ = self.actor

    def _find_actor(self) -> Actor:
        from hotline import auth

        name = getattr(self.args, "user", None)
        target = self.target
        sqlite = not db.is_url(target)
        try:
            if _is_open(target):
                person = _signed_in_person()
                if person is not None:  # the server knows who this is: its login role
                    return auth.command_line_actor(person, require_account=True)
                return auth.command_line_actor(name, require_account=sqlite)
            if not sqlite:
                return Actor.command_line(name)  # the server's roles are the gate there
            return _with_accounts_of(target, name)
        except auth.NotAnAccount as exc:
            raise UsageError(exc.message, **exc.params) from exc

    @property
    def sign_in_password(self) -> str | None:
        """The password of ``--sign-in-stdin`` (None without it)."""
        return self._password

    @property
    def target(self) -> str:
        return db.resolve_target(getattr(self.args, "db", None))

    def open_db(self, *, create: bool = False) -> Database:
        """The database of ``--db`` / ``HOTLINE_DB`` / the default file, schema made current.

        Only commands that make a database (``init``, ``demo``, ``intake``, ``import``) may
        create a missing file; the others say it is missing (a mistyped path or an unmounted
        network drive must not look like an empty hotline).
        """
        try:
            return db.open_database(self.target, create=create)
        except db.PersonalSignInNeeded:
            return self._open_as_person()

    def _open_as_person(self) -> Database:
        """A server where each person has a login role: sign in as ``--user`` (else the
        operating-system user), the password from standard input (``--sign-in-stdin``) or
        from libpq's password file (``~/.pgpass``); the server checks it."""
        from hotline.auth import USERNAME
        from hotline.permissions import os_user
        from hotline.pg.server import accounts

        name = getattr(self.args, "user", None) or os_user() or ""
        if not USERNAME.match(name):
            raise UsageError(N_("用户名须为 2–40 位字母、数字或 _ . -"))
        from hotline.auth import SignInFailed
        from hotline.errors import DatabaseRefused

        try:
            accounts.open_as(self.target, name, self._password)
        except DatabaseRefused as exc:
            reason = accounts.refusal_reason(exc)
            if reason is not None:
                raise SignInFailed(reason) from exc
            raise
        if getattr(self.args, "command", None) != "password" and _must_change_password(name):
            db.close()  # a one-time password opens nothing but the change of it
            raise SignInFailed(MSG_CHANGE_FIRST)
        return db.current()

    def say(self, text: str = "") -> None:
        """A line of human output (suppressed under ``--json``)."""
        if not self.json:
            print(text, file=self.stdout)

    def note(self, text: str) -> None:
        """A remark that is not the command's output (standard error)."""
        print(text, file=self.stderr)

    def emit(self, value: Any) -> None:
        """The command's JSON output (under ``--json``)."""
        json.dump(value, self.stdout, ensure_ascii=False, indent=2, default=str)
        self.stdout.write("\n")

    def usage_error(self, message: str) -> int:
        print(_("用法错误：{message}").format(message=message), file=self.stderr)
        return 2

    def read_text(self, source: str) -> str:
        """The contents of a file, or of standard input for ``-``."""
        if source == "-":
            return self.stdin.read()
        path = Path(source)
        try:
            return path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError.single(
                "file", N_("文件 {path} 不是 UTF-8 文本"), path=str(path)
            ) from exc


def _is_open(target: str) -> bool:
    handle = models.database_proxy.obj
    return handle is not None and not handle.is_closed() and db.opened_target() == target


def _must_change_password(name: str) -> bool:
    from hotline.models import User

    row = User.select(User.must_change_password).where(User.username == name).tuples().first()
    return bool(row and row[0])


def _signed_in_person() -> str | None:
    """On a server where each person has a login role: the user name of the session's."""
    names = db.server_roles()
    if names is None:
        return None
    login = str(db.current().execute_sql("SELECT session_user").fetchone()[0])
    prefix = names.prefix + "."
    return login[len(prefix) :] if login.startswith(prefix) else None


def _with_accounts_of(path: str, name: str | None) -> Actor:
    """The actor, looked up in the SQLite file at ``path`` without opening it for writing."""
    from peewee import PeeweeException, SqliteDatabase

    from hotline import auth
    from hotline.models import User

    if not Path(path).exists():
        if name is not None:  # no file, no accounts
            raise UsageError(
                N_("数据库文件 {path} 不存在，无法核对 --user {user}"), path=path, user=name
            )
        return Actor.command_line(None)
    reader = SqliteDatabase(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        with reader.bind_ctx([User]):
            return auth.command_line_actor(name, require_account=True)
    except (PeeweeException, sqlite3.Error) as exc:
        if name is None:
            return Actor.command_line(None)  # the command itself will say what is wrong
        raise UsageError(
            N_("无法在数据库 {path} 中核对 --user {user}：{reason}"),
            path=path,
            user=name,
            reason=str(exc),
        ) from exc
    finally:
        reader.close()
