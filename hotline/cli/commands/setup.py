"""``init``: create or upgrade the schema, and create the first administrator."""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from hotline.cli.context import Context
from hotline.i18n import _


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "init", parents=[common], help=_("创建或升级数据库，并创建首个管理员")
    )
    parser.add_argument("--admin", metavar="NAME", help=_("首个管理员的用户名"))
    parser.add_argument("--display-name", metavar="NAME", help=_("管理员姓名（默认同用户名）"))
    parser.add_argument(
        "--password-stdin", action="store_true", help=_("从标准输入读取管理员密码（第一行）")
    )
    parser.set_defaults(handler=run_init)


def _password(ctx: Context) -> str | None:
    if ctx.args.password_stdin:
        return ctx.stdin.readline().rstrip("\r\n")
    if not ctx.stdin.isatty():
        return None
    first = getpass.getpass(_("管理员密码："))
    if getpass.getpass(_("再次输入密码：")) != first:
        return ""
    return first


def run_init(ctx: Context) -> int:
    from hotline import auth, db, migrations

    args = ctx.args
    if args.password_stdin and not args.admin:
        return ctx.usage_error(_("--password-stdin 需与 --admin 一起使用"))
    password = None
    if args.admin:
        password = _password(ctx)
        if password is None:
            return ctx.usage_error(_("请用 --password-stdin 从标准输入提供密码"))
    database = db.connect(ctx.target)
    before = migrations.check_not_newer(database)
    after = migrations.upgrade(database, ctx.target)
    admin = None
    if args.admin:
        user = auth.create_first_admin(args.admin, args.display_name or args.admin, password or "")
        admin = user.username
    if ctx.json:
        ctx.emit(
            {
                "database": db.describe(ctx.target),
                "schema_version": after,
                "previous_version": before,
                "admin": admin,
            }
        )
        return 0
    if before == 0:
        ctx.say(
            _("已创建数据库 {target}（架构版本 {version}）").format(
                target=db.describe(ctx.target), version=after
            )
        )
    elif before < after:
        ctx.say(
            _("已将数据库 {target} 从架构版本 {old} 升级到 {new}（升级前已备份原文件）").format(
                target=db.describe(ctx.target), old=before, new=after
            )
        )
    else:
        ctx.say(
            _("数据库 {target} 已是最新（架构版本 {version}）").format(
                target=db.describe(ctx.target), version=after
            )
        )
    if admin:
        ctx.say(_("已创建管理员 {username}").format(username=admin))
    return 0
