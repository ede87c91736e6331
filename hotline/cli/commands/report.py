"""``report case NO -o F.pdf``, ``report weekly [--week 2026-W47] -o F.pdf`` and the reports
of other periods: ``report monthly [2026-11]``, ``report quarterly [2026Q3]``,
``report annual [2026]``, ``report period --from 2026-11-01 --to 2026-11-15`` (the same
figures and definitions as the weekly report; without a period, the last complete one).

Headless (reportlab only, never Qt), so a scheduled job can make Monday's report. On
success the path of the file is printed (``--json``: the file, its pages and size); an
unknown case, a bad week or a file that cannot be written gives exit code 1 and a message.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from hotline.cli.context import Context
from hotline.i18n import _

if TYPE_CHECKING:
    from hotline.reports.service import PdfMade


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("report", parents=[common], help=_("生成 PDF 报告"))
    kinds = parser.add_subparsers(dest="report_command", metavar=_("报告种类"))

    case = kinds.add_parser("case", parents=[common], help=_("单个案件的摘要 PDF"))
    case.add_argument("case_no", metavar="CASE_NO", help=_("案件编号"))
    _output_option(case)
    case.add_argument(
        "--no-internal",
        action="store_true",
        help=_("不含内部记录（交给企业的对外版）"),
    )
    case.set_defaults(handler=run_case)

    weekly = kinds.add_parser("weekly", parents=[common], help=_("周报 PDF"))
    weekly.add_argument(
        "--week",
        metavar="YYYY-Www",
        help=_("ISO 周，如 2026-W47（默认：最近一个完整的周）"),
    )
    weekly.add_argument("--with-cases", action="store_true", help=_("在周报后附上每个案件的摘要"))
    weekly.add_argument("--no-internal", action="store_true", help=_("附上的案件摘要不含内部记录"))
    _output_option(weekly)
    weekly.set_defaults(handler=run_weekly)

    from hotline.reports.periods import MONTH, QUARTER, YEAR

    for name, kind, example, help_text, default_help in (
        ("monthly", MONTH, "2026-11", _("月报 PDF"), _("月份，如 2026-11（默认：上个月）")),
        ("quarterly", QUARTER, "2026Q3", _("季报 PDF"), _("季度，如 2026Q3（默认：上个季度）")),
        ("annual", YEAR, "2026", _("年报 PDF"), _("年份，如 2026（默认：上一年）")),
    ):
        sub = kinds.add_parser(name, parents=[common], help=help_text)
        sub.add_argument("period", nargs="?", metavar=example, help=default_help)
        _period_options(sub)
        sub.set_defaults(handler=run_period, period_kind=kind)

    custom = kinds.add_parser("period", parents=[common], help=_("任意起止日期的统计报告 PDF"))
    custom.add_argument(
        "--from", dest="first", metavar="YYYY-MM-DD", required=True, help=_("开始日期（含）")
    )
    custom.add_argument(
        "--to", dest="last", metavar="YYYY-MM-DD", required=True, help=_("结束日期（含）")
    )
    _period_options(custom)
    custom.set_defaults(handler=run_period, period_kind="custom", period=None)


def _period_options(parser: argparse.ArgumentParser) -> None:
    listing = parser.add_mutually_exclusive_group()
    listing.add_argument(
        "--case-list",
        dest="case_list",
        action="store_true",
        default=None,
        help=_("列出统计期内受理的每个案件（默认不列出，只有周报列出）"),
    )
    listing.add_argument(
        "--no-case-list", dest="case_list", action="store_false", help=_("不列出案件清单")
    )
    parser.add_argument("--with-cases", action="store_true", help=_("在报告后附上每个案件的摘要"))
    parser.add_argument("--no-internal", action="store_true", help=_("附上的案件摘要不含内部记录"))
    _output_option(parser)


def _output_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE.pdf",
        required=True,
        help=_("写入的 PDF 文件；给出文件夹时使用默认文件名"),
    )


def _open_existing(ctx: Context) -> None:
    """The database must exist: a mistyped ``--db`` in a scheduled job must not quietly make
    an empty database and an empty report."""
    from hotline import db

    db.open_database(ctx.target, create=False)


def run_case(ctx: Context) -> int:
    from hotline.reports.service import make_case_pdf

    _open_existing(ctx)
    made = make_case_pdf(
        ctx.actor, ctx.args.case_no, ctx.args.output, include_internal=not ctx.args.no_internal
    )
    if ctx.json:
        ctx.emit({"case_no": ctx.args.case_no.strip(), **made.as_dict()})
    else:
        ctx.say(str(made.path))
    return 0


def run_weekly(ctx: Context) -> int:
    from hotline.reports.service import make_weekly_pdf
    from hotline.reports.weeks import parse_week

    week = parse_week(ctx.args.week) if ctx.args.week else None
    _open_existing(ctx)
    if week is None:
        from hotline.reports.gather import default_week

        week = default_week()
    made = make_weekly_pdf(
        ctx.actor,
        week,
        ctx.args.output,
        with_cases=ctx.args.with_cases,
        include_internal=not ctx.args.no_internal,
    )
    return _made(ctx, made, {"week": week.code}, week.monday, week.sunday)


def run_period(ctx: Context) -> int:
    from hotline.reports import periods
    from hotline.reports.service import make_period_pdf

    kind = ctx.args.period_kind
    if kind == periods.CUSTOM:
        period = periods.Period.custom(
            periods.parse_day(ctx.args.first, "from"), periods.parse_day(ctx.args.last, "to")
        )
    elif ctx.args.period:
        period = periods.parse_period(kind, ctx.args.period)
    else:
        period = None
    _open_existing(ctx)
    if period is None:
        from hotline.reports.gather import default_period

        period = default_period(kind)
    made = make_period_pdf(
        ctx.actor,
        period,
        ctx.args.output,
        with_list=ctx.args.case_list,
        with_cases=ctx.args.with_cases,
        include_internal=not ctx.args.no_internal,
    )
    return _made(ctx, made, {"period": period.code}, period.first, period.last)


def _made(ctx: Context, made: PdfMade, which: dict[str, str], first: dt.date, last: dt.date) -> int:
    """The report's path; with --json, ``which`` report, the days it covers and what it holds."""
    if ctx.json:
        ctx.emit(
            {
                **which,
                "from": first.isoformat(),
                "to": last.isoformat(),
                "cases": made.cases,
                **made.as_dict(),
            }
        )
    else:
        ctx.say(str(made.path))
    return 0
