"""``server setup URL`` and ``server upgrade URL``: a shared PostgreSQL database where the
server enforces who may do what (docs/server-security.md)."""

from __future__ import annotations

import argparse
from typing import Any

from hotline.cli import first_admin
from hotline.cli.context import Context
from hotline.i18n import _


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "server",
        parents=[common],
        help=_("设置或升级共用的 PostgreSQL 服务器数据库（由服务器管理员运行）"),
    )
    actions = parser.add_subparsers(dest="server_command", metavar=_("操作"), required=True)
    setup = actions.add_parser(
        "setup",
        parents=[common],
        help=_("创建属主与角色组、数据库结构、授权、审计触发器和首个管理员"),
        description=_(
            "用超级用户或有 CREATEROLE 权限的数据库属主的地址运行一次。可重复运行：已完成的步骤会报告“已存在”而不改动。密码从标准输入读取，绝不放在命令行上。"
        ),
    )
    setup.add_argument("url", metavar="URL", help=_("postgresql://超级用户@服务器:端口/数据库"))
    first_admin.add_arguments(setup)
    setup.set_defaults(handler=run_setup)
    upgrade = actions.add_parser(
        "upgrade",
        parents=[common],
        help=_("升级数据库结构并重新核对授权与触发器（工作站不会自行升级共用数据库）"),
    )
    upgrade.add_argument("url", metavar="URL", help=_("postgresql://超级用户@服务器:端口/数据库"))
    upgrade.set_defaults(handler=run_upgrade)
    convert = actions.add_parser(
        "convert",
        parents=[common],
        help=_("把单一登录的数据库转为每人一个登录角色（一次性密码只显示一次）"),
        description=_(
            "用超级用户（或有 CREATEROLE 权限的数据库属主）的地址运行一次：表的属主改为不能登录的属主角色，装上授权与审计触发器，每个用户得到自己的登录角色和一次性密码（首次登录须修改）。可重复运行：已转换的用户不会得到新密码。"
        ),
    )
    convert.add_argument("url", metavar="URL", help=_("postgresql://超级用户@服务器:端口/数据库"))
    convert.set_defaults(handler=run_convert)


def _url(ctx: Context) -> str | None:
    from hotline import db

    url: str = ctx.args.url
    return url if db.is_url(url) else None


def _print(ctx: Context, report: Any) -> int:
    if ctx.json:
        ctx.emit(
            {
                "database": report.database,
                "role_prefix": report.prefix,
                "changed": report.changed,
                "steps": [
                    {
                        "text": _(step.message).format(**_translated(step.params)),
                        "changed": step.changed,
                        "warning": step.warning,
                    }
                    for step in report.steps
                ],
            }
        )
        return 0
    for step in report.steps:
        mark = "!" if step.warning else ("+" if step.changed else "=")
        ctx.say(f"{mark} " + _(step.message).format(**_translated(step.params)))
    if report.changed:
        ctx.say(_("完成：数据库 {database}（角色前缀 {prefix}）").format(
            database=report.database, prefix=report.prefix))  # fmt: skip
    else:
        ctx.say(_("已全部完成过，没有改动：数据库 {database}（角色前缀 {prefix}）").format(
            database=report.database, prefix=report.prefix))  # fmt: skip
    return 0


def _translated(params: dict[str, Any]) -> dict[str, Any]:
    return {key: _(value) if key == "what" else value for key, value in params.items()}


def run_setup(ctx: Context) -> int:
    from hotline.pg.server import setup

    url = _url(ctx)
    if url is None:
        return ctx.usage_error(_("server setup 需要 postgresql:// 地址"))
    admin, problem = first_admin.requested(ctx)
    if problem is not None:
        return ctx.usage_error(problem)
    return _print(ctx, setup.run(url, admin=admin))


def run_upgrade(ctx: Context) -> int:
    from hotline.pg.server import setup

    url = _url(ctx)
    if url is None:
        return ctx.usage_error(_("server upgrade 需要 postgresql:// 地址"))
    return _print(ctx, setup.run(url, upgrade_only=True))


def run_convert(ctx: Context) -> int:
    from hotline.pg.server import setup

    url = _url(ctx)
    if url is None:
        return ctx.usage_error(_("server convert 需要 postgresql:// 地址"))
    return _print(ctx, setup.run(url, convert=True))
