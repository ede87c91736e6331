"""``demo [--cases N] [--seed S]``: fill a database with realistic synthetic cases."""

from __future__ import annotations

import argparse
import time
from typing import Any

from hotline.cli.context import Context
from hotline.errors import HotlineError
from hotline.i18n import N_, _

MAX_CASES = 10_000_000


def _count(value: str) -> int:
    number = int(value)
    if not 1 <= number <= MAX_CASES:
        raise argparse.ArgumentTypeError(_("应在 1 到 {limit} 之间").format(limit=MAX_CASES))
    return number


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "demo", parents=[common], help=_("生成演示数据（虚构的企业和案件）")
    )
    parser.add_argument(
        "--cases", type=_count, default=1000, metavar="N", help=_("案件数（默认 1000）")
    )
    parser.add_argument(
        "--seed", type=int, metavar="S", help=_("随机种子：相同的种子生成相同的数据")
    )
    parser.add_argument(
        "--append", action="store_true", help=_("数据库中已有案件时仍然追加演示数据")
    )
    parser.add_argument(
        "--no-department-users",
        action="store_true",
        help=_("不创建各承办单位的演示账号（dept_代码）"),
    )
    parser.set_defaults(handler=run_demo)


def run_demo(ctx: Context) -> int:
    from hotline.demo import generator
    from hotline.i18n import format_number
    from hotline.models import Case

    ctx.open_db(create=True)
    existing = Case.select().count()
    if existing and not ctx.args.append:
        raise HotlineError(
            N_("数据库中已有 {count} 个案件，演示数据会与之混在一起；确需追加请加 --append"),
            count=existing,
        )
    show = not ctx.json and ctx.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if show:
            ctx.stderr.write(f"\r{done * 100 // max(total, 1):3d}%")
            ctx.stderr.flush()

    started = time.perf_counter()
    count = generator.generate(ctx.args.cases, ctx.args.seed, progress, actor=ctx.actor)
    seconds = time.perf_counter() - started
    if show:
        ctx.stderr.write("\n")
    accounts = []
    if not ctx.args.no_department_users:
        from hotline.demo import department_users

        accounts = department_users.create(ctx.actor)
    if ctx.json:
        ctx.emit(
            {
                "cases": count,
                "seed": ctx.args.seed,
                "seconds": round(seconds, 1),
                "department_users": [
                    {"username": a.username, "department": a.department, "password": a.password}
                    for a in accounts
                ],
            }
        )
    else:
        ctx.say(
            _("已生成 {count} 个演示案件，用时 {seconds} 秒").format(
                count=format_number(count), seconds=f"{seconds:.1f}"
            )
        )
        if accounts:
            ctx.say(_("各承办单位的演示账号（部门工作台；密码只显示这一次）："))
            for account in accounts:
                ctx.say(
                    _("  {username}  {password}  {department}").format(
                        username=account.username,
                        password=account.password,
                        department=account.department,
                    )
                )
    return 0
