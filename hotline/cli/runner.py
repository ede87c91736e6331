"""Building the parser, running a subcommand, and turning errors into messages and exit codes."""

from __future__ import annotations

import argparse
import logging
import sqlite3
import sys
from collections.abc import Sequence
from typing import TextIO

from peewee import DatabaseError as PeeweeDatabaseError

from hotline import db, file_errors, transactions, version
from hotline.cli.commands import (
    audit,
    backup,
    call,
    demo,
    exemption,
    intake,
    knowledge,
    migrate_to,
    password,
    report,
    search,
    server,
    setup,
    transfer,
)
from hotline.cli.context import Context, UsageError
from hotline.errors import HotlineError, ValidationError
from hotline.i18n import _
from hotline.permissions import MSG_NAME_CHARACTERS, has_unsafe_name_characters

log = logging.getLogger(__name__)

OK, INVALID, USAGE = 0, 1, 2
USER_NAME_LIMIT = 40

# The subcommands, in the order of the help; each module has ``register(subparsers, common)``.
COMMANDS = (
    setup,
    intake,
    demo,
    search,
    transfer,
    knowledge,
    audit,
    backup,
    report,
    exemption,
    migrate_to,
    server,
    password,
    call,
)


def _user_name(value: str) -> str:
    name = value.strip()
    if not name or len(name) > USER_NAME_LIMIT:
        raise argparse.ArgumentTypeError(
            _("用户名应为 1–{limit} 个字符").format(limit=USER_NAME_LIMIT)
        )
    if has_unsafe_name_characters(name):
        raise argparse.ArgumentTypeError(_(MSG_NAME_CHARACTERS))
    return name


def _read_db_url(value: str) -> str:
    from hotline.targets import is_url

    if not is_url(value.strip()):
        raise argparse.ArgumentTypeError(
            _("只读副本必须是 PostgreSQL 地址（postgresql://…）：{url}").format(url=value)
        )
    return value.strip()


def _global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """--db, --read-db, --json and --user, accepted before or after the subcommand."""
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=default,
        help=_(
            "数据库文件或 postgresql:// 地址（默认：环境变量 HOTLINE_DB，或用户数据目录中的文件）"
        ),
    )
    parser.add_argument(
        "--read-db",
        metavar="URL",
        type=_read_db_url,
        default=default,
        help=_(
            "PostgreSQL 只读副本的地址：周报、统计、导出和搜索从副本读取，副本不可用时改读主库（默认：环境变量 HOTLINE_READ_DB）"
        ),
    )
    parser.add_argument(
        "--json",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help=_("以 JSON 输出"),
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        type=_user_name,
        default=default,
        help=_(
            "记录为该账号的操作，标注“命令行”（默认：操作系统用户名）；在 SQLite 数据库上须是已有且未停用的账号"
        ),
    )
    parser.add_argument(
        "--sign-in-stdin",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help=_(
            "在每人一个登录角色的服务器上，从标准输入第一行读取 --user 的密码（默认：PostgreSQL 密码文件 ~/.pgpass）"
        ),
    )


def program_name() -> str:
    """How the command is typed: ``hotline`` in the installed package, ``main.py`` from source."""
    return "hotline" if getattr(sys, "frozen", False) else "main.py"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=program_name(),
        description=_("营商环境投诉热线工作台。不带子命令时打开桌面程序。"),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=version.version_line(),
        help=_("显示程序版本和数据库架构版本后退出"),
    )
    _global_options(parser, top=True)
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, top=False)
    subparsers = parser.add_subparsers(dest="command", metavar=_("子命令"))
    for command in COMMANDS:
        command.register(subparsers, common)
    return parser


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parse ``argv``; argparse exits with status 2 on a usage error."""
    return build_parser().parse_args(list(argv))


def _problems_text(exc: ValidationError) -> str:
    lines = [_("输入有误：")]
    lines.extend(f"  {p.field}: {p.text}" for p in exc.problems)
    return "\n".join(lines)


def run(
    args: argparse.Namespace,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the subcommand in ``args``; returns the exit code."""
    ctx = Context(args, stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr)
    handler = getattr(args, "handler", None)
    if handler is None:
        return ctx.usage_error(_("请指定子命令，用 --help 查看"))
    try:
        ctx.check_user()
        return int(handler(ctx))
    except UsageError as exc:
        if ctx.json:
            ctx.emit({"error": exc.text})
            return USAGE
        return ctx.usage_error(exc.text)
    except ValidationError as exc:
        if ctx.json:
            ctx.emit({"error": _(exc.message), "problems": [p.as_dict() for p in exc.problems]})
        else:
            ctx.note(_problems_text(exc))
        return INVALID
    except HotlineError as exc:
        return _fail(ctx, exc.text)
    except (PeeweeDatabaseError, sqlite3.DatabaseError) as exc:
        # A write outside a transaction that the database refused (disk full, read-only).
        translated = transactions.translate_write_error(transactions.first_failure(exc))
        if not isinstance(translated, HotlineError):
            raise
        return _fail(ctx, translated.text)
    except OSError as exc:
        reason = file_errors.reason(exc)
        if exc.filename:
            return _fail(
                ctx, _("无法读写文件 {path}：{reason}").format(path=exc.filename, reason=reason)
            )
        return _fail(ctx, _("读写文件失败：{reason}").format(reason=reason))
    except KeyboardInterrupt:
        ctx.note(_("已中断"))
        return 130
    finally:
        db.close()


def _fail(ctx: Context, message: str) -> int:
    if ctx.json:
        ctx.emit({"error": message})
    else:
        ctx.note(message)
    return INVALID


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Parse and run; usage errors give 2 (``--help`` gives 0) instead of exiting."""
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else USAGE
    return run(args, stdin=stdin, stdout=stdout, stderr=stderr)
