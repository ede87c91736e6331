"""``knowledge import|export|list``: the knowledge base from the command line.

The same service as the knowledge window (:mod:`hotline.knowledge.transfer`): the same
permission (编辑知识库), the same all-or-nothing import with every problem located (row and
column, or file), the same audit entries. Problems go to standard error in the user's language
(or into ``--json``); the exit code is 1 when anything was wrong and nothing was written.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hotline.cli.context import Context
from hotline.i18n import N_, _

if TYPE_CHECKING:
    from hotline.errors import Problem
    from hotline.knowledge.status import Status
    from hotline.permissions import Actor

MSG_IMPORTED = N_("已导入知识：新建 {created} 条，更新 {updated} 条，未变 {unchanged} 条")
MSG_DRY_RUN = N_(
    "试运行：可新建 {created} 条，更新 {updated} 条，未变 {unchanged} 条；未写入任何数据"
)
MSG_PROBLEMS = N_("未导入任何知识：发现 {count} 处问题")
MSG_DRY_PROBLEMS = N_("试运行：发现 {count} 处问题；未写入任何数据")
MSG_EXPORTED = N_("已导出 {count} 条知识到 {path}")
MSG_NONE = N_("没有符合条件的知识")


def _statuses(value: str) -> list[Status]:
    """``--status``: codes or labels (draft, 已发布…), several separated by commas."""
    from hotline.knowledge.status import Status

    found: list[Status] = []
    for part in value.replace("，", ",").split(","):
        if not part.strip():
            continue
        status = Status.parse(part)
        if status is None:
            raise argparse.ArgumentTypeError(
                _(
                    "状态“{text}”无效，应为 草稿、已发布 或 已停用（draft、published、retired）"
                ).format(text=part.strip())
            )
        found.append(status)
    return found


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--status",
        type=_statuses,
        action="extend",
        default=[],
        metavar="S",
        help=_(
            "只含该状态的知识：草稿、已发布、已停用（或 draft、published、retired），可用逗号分隔多个"
        ),
    )
    parser.add_argument("--category", default="", metavar="C", help=_("只含该分类的知识"))


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "knowledge",
        parents=[common],
        help=_("知识库：导入、导出、列出知识（须有编辑知识库的权限）"),
        description=_(
            "知识库的批量导入、导出和清单，与知识库窗口相同：须有编辑知识库的权限，"
            "导入全部成功或全部不写入，每处问题注明行和列（或文件），并记入审计日志。"
        ),
    )
    commands = parser.add_subparsers(dest="knowledge_command", metavar=_("操作"))

    load = commands.add_parser(
        "import",
        parents=[common],
        help=_("导入知识（XLSX、CSV、Word 文件或 Markdown 文件夹），全部成功或全部不写入"),
        description=_(
            "每行（每个文件）一条知识。带编号的行更新该条知识（内容相同则不变），"
            "不带编号的行新建。有任何问题时不写入任何数据，并列出每处问题所在的行和列（或文件），退出码为 1。"
        ),
    )
    load.add_argument(
        "source",
        metavar="FILE_OR_FOLDER",
        help=_("要导入的 .xlsx、.csv、.docx 文件或 Markdown 文件夹"),
    )
    load.add_argument(
        "--dry-run", action="store_true", help=_("只检查并报告将新建和更新多少条，不写入任何数据")
    )
    load.add_argument(
        "--new",
        dest="as_new",
        action="store_true",
        help=_("忽略编号列，每行都新建知识（载入从另一个数据库导出的知识库）"),
    )
    load.add_argument(
        "--category",
        default="",
        metavar="C",
        help=_("Word 文件中未写明分类的知识归入该分类"),
    )
    load.set_defaults(handler=run_import)

    export = commands.add_parser(
        "export",
        parents=[common],
        help=_("导出知识到 .xlsx、.csv 文件或 Markdown 文件夹（可再导入）"),
        description=_(
            "导出全部知识（含草稿和已停用的）或符合筛选条件的知识。文件已存在时整体替换；"
            "导出到文件夹时替换其中以前导出的文件，文件夹中有其他 Markdown 文件时不导出。"
        ),
    )
    export.add_argument(
        "target", metavar="FILE_OR_FOLDER", help=_("要写入的文件（.xlsx、.csv）或文件夹")
    )
    export.add_argument(
        "--format",
        choices=("xlsx", "csv", "md"),
        default=None,
        help=_("格式（默认按文件扩展名；没有扩展名时为 Markdown 文件夹）"),
    )
    _add_filters(export)
    export.set_defaults(handler=run_export)

    listing = commands.add_parser(
        "list", parents=[common], help=_("列出知识：编号、状态、分类、复核日期、标题")
    )
    _add_filters(listing)
    listing.set_defaults(handler=run_list)


def _editor(ctx: Context) -> Actor:
    """Who acts, after the database is open. On a server where each person signs in as their
    own login role, that person's role decides, as in the app (the server lets everyone read
    the articles, so an operator must not list or export the editors' drafts by typing a
    command); elsewhere the command line's actor (whoever may write an SQLite file
    administers it)."""
    from dataclasses import replace

    from hotline import db
    from hotline.enums import Role
    from hotline.models import User
    from hotline.permissions import Action

    actor = ctx.actor
    if db.per_person() and actor.user_id is not None:
        role = User.select(User.role).where(User.id == actor.user_id).scalar()
        if role is not None:
            actor = replace(actor, role=Role(role))
    actor.require(Action.KNOWLEDGE_EDIT)
    return actor


def _problem(problem: Problem) -> dict[str, object]:
    from hotline.knowledge import transfer

    shown: dict[str, object] = {"field": problem.field, "message": problem.text}
    where = problem.params.get("row")
    if where is not None:
        if problem.message == transfer.MSG_WHERE_ROW:
            shown["row"] = int(where)
        else:
            shown["file"] = where
        shown["column"] = problem.params.get("column")
        shown["reason"] = problem.params.get("message")
    return shown


def run_import(ctx: Context) -> int:
    from hotline.errors import ValidationError
    from hotline.i18n import format_number
    from hotline.knowledge import transfer

    args = ctx.args
    ctx.open_db()
    try:
        result = transfer.import_articles(
            _editor(ctx),
            Path(args.source),
            category=args.category,
            dry_run=args.dry_run,
            as_new=args.as_new,
        )
    except ValidationError as exc:
        heading = _(MSG_DRY_PROBLEMS if args.dry_run else MSG_PROBLEMS).format(
            count=format_number(len(exc.problems))
        )
        if ctx.json:
            ctx.emit(
                {
                    "error": heading,
                    "dry_run": args.dry_run,
                    "problems": [_problem(p) for p in exc.problems],
                }
            )
            return 1
        ctx.note(heading)
        for problem in exc.problems:
            ctx.note(f"  {problem.text}")
        return 1
    if ctx.json:
        ctx.emit(
            {
                "file": str(args.source),
                "dry_run": result.dry_run,
                "read": result.read,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            }
        )
        return 0
    ctx.say(
        _(MSG_DRY_RUN if result.dry_run else MSG_IMPORTED).format(
            created=format_number(result.created),
            updated=format_number(result.updated),
            unchanged=format_number(result.unchanged),
        )
    )
    return 0


def run_export(ctx: Context) -> int:
    from hotline.i18n import format_number
    from hotline.knowledge import transfer

    args = ctx.args
    ctx.open_db()
    target = Path(args.target)
    count = transfer.export_articles(
        _editor(ctx), target, fmt=args.format, statuses=args.status, category=args.category
    )
    if ctx.json:
        ctx.emit(
            {
                "exported": count,
                "file": str(target),
                "format": args.format or transfer.format_of(target),
            }
        )
        return 0
    ctx.say(_(MSG_EXPORTED).format(count=format_number(count), path=target))
    return 0


def run_list(ctx: Context) -> int:
    from hotline import clock
    from hotline.knowledge import articles

    args = ctx.args
    ctx.open_db()
    found = articles.listed(_editor(ctx), args.status, args.category)
    today = clock.today()
    if ctx.json:
        ctx.emit(
            [
                {
                    "id": a.id,
                    "title": a.title,
                    "status": a.status.value,
                    "category": a.category,
                    "department": a.department_name,
                    "version": a.version,
                    "review_on": a.review_on.isoformat() if a.review_on else None,
                    "expires_on": a.expires_on.isoformat() if a.expires_on else None,
                    "open_flags": a.open_flags,
                    "attention": a.attention(today),
                }
                for a in found
            ]
        )
        return 0
    if not found:
        ctx.note(_(MSG_NONE))
        return 0
    for a in found:
        cells = [
            f"{a.id:>5}",
            a.status.label,
            a.category,
            a.review_on.isoformat() if a.review_on else "—",
            a.title,
        ]
        attention = a.attention(today)
        if attention:
            cells.append("（" + "；".join(attention) + "）")
        ctx.say("  ".join(cells))
    return 0
