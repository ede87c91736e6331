"""``init``: create or upgrade the schema, and create the first administrator."""

from __future__ import annotations

import argparse
from typing import Any

from hotline.cli import first_admin
from hotline.cli.context import Context
from hotline.i18n import _


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "init", parents=[common], help=_("创建或升级数据库，并创建首个管理员")
    )
    first_admin.add_arguments(parser)
    parser.set_defaults(handler=run_init)


def run_init(ctx: Context) -> int:
    from hotline import auth, db, migrations

    wanted, problem = first_admin.requested(ctx)
    if problem is not None:
        return ctx.usage_error(problem)
    database = db.connect(ctx.target)
    before = migrations.check_not_newer(database)
    after = migrations.upgrade(database, ctx.target)
    admin = None
    if wanted is not None:
        admin = auth.create_first_admin(*wanted).username
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
