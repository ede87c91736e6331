"""The first administrator's options and password, shared by ``init`` and ``server setup``."""

from __future__ import annotations

import argparse
import getpass

from hotline.cli.context import Context
from hotline.i18n import _


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--admin", metavar="NAME", help=_("首个管理员的用户名"))
    parser.add_argument("--display-name", metavar="NAME", help=_("管理员姓名（默认同用户名）"))
    parser.add_argument(
        "--password-stdin", action="store_true", help=_("从标准输入读取管理员密码（第一行）")
    )


def requested(ctx: Context) -> tuple[tuple[str, str, str] | None, str | None]:
    """The first administrator asked for as (user name, display name, password), or None;
    and what is wrong with the command line, or None."""
    args = ctx.args
    if args.password_stdin and not args.admin:
        return None, _("--password-stdin 需与 --admin 一起使用")
    if not args.admin:
        return None, None
    password = read_password(ctx)
    if password is None:
        return None, _("请用 --password-stdin 从标准输入提供密码")
    return (args.admin, args.display_name or args.admin, password), None


def read_password(ctx: Context) -> str | None:
    """The password from the first line of standard input, or asked twice on a terminal
    ("" when the two differ); None when there is no terminal to ask on."""
    if ctx.args.password_stdin:
        return ctx.stdin.readline().rstrip("\r\n")
    if not ctx.stdin.isatty():
        return None
    first = getpass.getpass(_("管理员密码："))
    if getpass.getpass(_("再次输入密码：")) != first:
        return ""
    return first
