"""``migrate-to URL``: copy the SQLite database (``--db``) into an empty PostgreSQL database."""

from __future__ import annotations

import argparse
from typing import Any

from hotline.cli.context import Context
from hotline.i18n import _

PROGRESS_EVERY = 50_000  # rows between progress lines of a large table


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "migrate-to",
        parents=[common],
        help=_("把 SQLite 数据库复制到空的 PostgreSQL 数据库（逐表核对）"),
        description=_(
            "把 --db 指定的 SQLite 数据库（默认为本机数据库）复制到一个空的 PostgreSQL 数据库，逐表核对行数和校验和，并校验审计链；任何不一致都会撤销全部复制。"
        ),
    )
    parser.add_argument("url", metavar="URL", help=_("目标：postgresql://用户@服务器:端口/数据库"))
    parser.set_defaults(handler=run_migrate_to)


def run_migrate_to(ctx: Context) -> int:
    from hotline.migrate_to import migrate
    from hotline.permissions import Action

    ctx.actor.require(Action.BACKUP)

    def progress(table: str, done: int, total: int) -> None:
        if done == total or done % PROGRESS_EVERY == 0:
            ctx.note(
                _("正在复制 {table}：{done}/{total}").format(table=table, done=done, total=total)
            )

    stages = {
        "indexes": _("正在建立索引和外键约束……"),
        "statistics": _("正在收集查询统计信息……"),
        "search": _("正在建立搜索索引……"),
        "verify": _("正在逐表核对行数和校验和……"),
    }

    def step(name: str) -> None:
        ctx.note(stages[name])

    report = migrate(ctx.target, ctx.args.url, progress=progress, steps=step)
    if ctx.json:
        ctx.emit(report.as_dict())
        return 0
    ctx.say(
        _("已把 {source} 复制到 {target}（{seconds} 秒）：").format(
            source=report.source, target=report.target, seconds=f"{report.seconds:.1f}"
        )
    )
    for table in report.tables:
        ctx.say(
            _("  {table}：{rows} 行，校验和 {checksum}… 与源一致").format(
                table=table.table, rows=table.target_rows, checksum=table.target_checksum[:12]
            )
        )
    ctx.say(
        _("审计链已核对 {count} 条；已为 {cases} 个案件建立搜索索引。").format(
            count=report.audit_entries_verified, cases=report.indexed_cases
        )
    )
    ctx.say(
        _("请让各工作站改用 --db {target}（或环境变量 HOTLINE_DB）。").format(target=report.target)
    )
    return 0
