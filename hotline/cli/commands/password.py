"""``password``: a person changes their own password from the command line.

On a server where each person signs in as their own login role, a one-time password (given by
``server setup`` or an administrator's reset) lets the command line do nothing else until it
is changed (:meth:`hotline.cli.context.Context.open_db`), as the desktop program asks
for a new one at the first sign-in. The current password is the sign-in's (``--sign-in-stdin``,
first line) or asked on the terminal; the new one is the next line of standard input
(``--new-password-stdin``) or asked twice on the terminal. The same rules as in the app
(length, not the old one), the same audit entry.
"""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from hotline.cli.context import Context, UsageError
from hotline.i18n import N_, _

MSG_CHANGED = N_("已更改用户 {user} 的密码")
MSG_MISMATCH = N_("两次输入的新密码不一致")
MSG_NO_TERMINAL = N_("请用 --new-password-stdin 从标准输入提供新密码（当前密码用 --sign-in-stdin）")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "password",
        parents=[common],
        help=_("更改自己的密码（一次性密码须先在此或工作台更改）"),
    )
    parser.add_argument(
        "--new-password-stdin",
        action="store_true",
        help=_("从标准输入读取新密码（在 --sign-in-stdin 的当前密码之后的一行）"),
    )
    parser.set_defaults(handler=run_password)


def run_password(ctx: Context) -> int:
    from hotline import auth
    from hotline.models import User
    from hotline.permissions import os_user

    name = ctx.args.user or os_user()
    if not name:
        raise UsageError(N_("请用 --user 指定要更改密码的用户"))
    current = ctx.sign_in_password
    if current is None:
        current = _ask(ctx, _("当前密码："))
    new = _new_password(ctx)
    ctx.open_db()
    user = User.get_or_none(User.username == name)
    if user is None:
        raise UsageError(N_("用户 {user} 不存在"), user=name)
    auth.change_password(user, current, new)
    ctx.say(_(MSG_CHANGED).format(user=name))
    return 0


def _new_password(ctx: Context) -> str:
    if ctx.args.new_password_stdin:
        return ctx.stdin.readline().rstrip("\r\n")
    first = _ask(ctx, _("新密码："))
    if _ask(ctx, _("再次输入新密码：")) != first:
        raise UsageError(MSG_MISMATCH)
    return first


def _ask(ctx: Context, prompt: str) -> str:
    if not ctx.stdin.isatty():
        raise UsageError(MSG_NO_TERMINAL)
    return getpass.getpass(prompt)
