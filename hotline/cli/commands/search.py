"""``search TEXT``: the same search as the app, newest first.

As in the app, a confidential case's caller (name, phone) finds it only for a role allowed to
see confidential callers, and for the others its subject is shown scrubbed of them.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from hotline.cli.context import Context
from hotline.i18n import _

if TYPE_CHECKING:
    from hotline.models import Case


def _limit(value: str) -> int:
    number = int(value)
    if not 1 <= number <= 10_000:
        raise argparse.ArgumentTypeError(_("应在 1 到 10000 之间"))
    return number


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("search", parents=[common], help=_("搜索案件"))
    parser.add_argument("text", nargs="+", metavar="TEXT", help=_("要找的文字（多个词须同时出现）"))
    parser.add_argument(
        "--limit", type=_limit, default=50, metavar="N", help=_("最多显示 N 条（默认 50）")
    )
    parser.set_defaults(handler=run_search)


def run_search(ctx: Context) -> int:
    from hotline import cases, contacts
    from hotline.enums import Status
    from hotline.i18n import format_datetime
    from hotline.masking import scrub
    from hotline.permissions import Action
    from hotline.search import search
    from hotline.transfer.exporting import iso

    ctx.open_db()
    reveal = ctx.actor.can(Action.CASE_VIEW_CONFIDENTIAL)
    page = search(" ".join(ctx.args.text), limit=ctx.args.limit, reveal_confidential=reveal)
    found = cases.load_many(page.case_ids)
    callers = {} if reveal else contacts.of_cases(c for c in found if c.confidential)

    def subject(case: Case) -> str:
        if case.confidential and not reveal:
            caller = callers[case.id]
            return scrub(case.subject, name=caller.name, phone=caller.phone)
        return case.subject

    if ctx.json:
        ctx.emit(
            [
                {
                    "case_no": case.case_no,
                    "received_at": iso(case.received_at),
                    "status": case.status,
                    "subject": subject(case),
                    "enterprise": case.enterprise.name if case.enterprise is not None else "",
                }
                for case in found
            ]
        )
        return 0
    for case in found:
        enterprise = case.enterprise.name if case.enterprise is not None else ""
        ctx.say(
            "  ".join(
                [
                    case.case_no,
                    format_datetime(case.received_at),
                    Status(case.status).label,
                    subject(case),
                    enterprise,
                ]
            )
        )
    if page.partial:
        ctx.note(_("只查到较近的案件：更早的案件可能也符合，请把搜索词写得更具体"))
    elif not found:
        ctx.note(_("没有找到匹配的案件"))
    return 0
