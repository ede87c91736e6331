"""The case list's filters on the command line (``export``): the same view, filters, search
and order as the app's list, turned into a :class:`hotline.case_queries.CaseFilter`."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from hotline.case_queries import SORTS, VIEWS, CaseFilter
from hotline.enums import Category, Kind, LabelledEnum, Status
from hotline.i18n import N_, _

if TYPE_CHECKING:
    from hotline.cli.context import Context

MSG_UNKNOWN_VALUE = N_("{option} 的值“{value}”无效：可用 {choices}")
MSG_UNKNOWN_PLACE = N_("{option} 的值“{value}”不是已有的{what}（代码或名称）")
MSG_DATE = N_("{option} 的值“{value}”不是日期（如 2026-03-01）")
SEARCH_BATCH = 500


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(_("筛选（同程序中的案件列表；不给则导出全部）"))
    group.add_argument(
        "--view", metavar="VIEW", help=_("视图：{views}").format(views=", ".join(VIEWS))
    )
    group.add_argument("--status", metavar="STATUS", help=_("状态（代码或名称）"))
    group.add_argument("--kind", metavar="KIND", help=_("诉求类型（代码或名称）"))
    group.add_argument("--category", metavar="CATEGORY", help=_("诉求类别（代码或名称）"))
    group.add_argument("--district", metavar="DISTRICT", help=_("区县（代码或名称）"))
    group.add_argument("--department", metavar="DEPARTMENT", help=_("承办单位（代码或名称）"))
    group.add_argument("--from", dest="received_from", metavar="DATE", help=_("受理日期起"))
    group.add_argument("--to", dest="received_to", metavar="DATE", help=_("受理日期止（含）"))
    group.add_argument("--search", metavar="TEXT", help=_("只导出搜索到的案件（同搜索框）"))
    group.add_argument(
        "--sort",
        choices=tuple(SORTS),
        default="id",
        help=_("排序（默认 id，即登记顺序）"),
    )
    group.add_argument("--descending", action="store_true", help=_("倒序"))


def export_options(ctx: Context) -> dict[str, Any]:
    """``case_filter`` (None: every case), ``sort`` and ``descending`` for the export."""
    args = ctx.args
    given = [
        args.view,
        args.status,
        args.kind,
        args.category,
        args.district,
        args.department,
        args.received_from,
        args.received_to,
        args.search,
    ]
    options: dict[str, Any] = {"sort": args.sort, "descending": args.descending}
    if not any(value is not None for value in given):
        options["case_filter"] = None if args.sort == "id" else CaseFilter()
        return options
    view = args.view or "all"
    if view not in VIEWS:
        _usage(MSG_UNKNOWN_VALUE, option="--view", value=view, choices=", ".join(VIEWS))
    options["case_filter"] = CaseFilter(
        view=view,
        user_id=ctx.actor.user_id,
        statuses=_enum("--status", args.status, Status),
        kinds=_enum("--kind", args.kind, Kind),
        categories=_enum("--category", args.category, Category),
        districts=_district(args.district),
        department_ids=_department(args.department),
        received_from=_date("--from", args.received_from),
        received_to=_date("--to", args.received_to),
        case_ids=_search(ctx, args.search),
    )
    return options


def _usage(message: str, **values: str) -> None:
    from hotline.cli.context import UsageError

    raise UsageError(message, **values)


def _enum(option: str, value: str | None, enum: type[LabelledEnum]) -> tuple[str, ...]:
    if value is None:
        return ()
    member = enum.parse(value)
    if member is None:
        choices = ", ".join(f"{m.value} ({m.label})" for m in enum)
        _usage(MSG_UNKNOWN_VALUE, option=option, value=value, choices=choices)
    return (str(member.value),) if member is not None else ()


def _district(value: str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    from hotline.admin import district_names

    for code, name in district_names().items():
        if value.strip() in (code, name):
            return (code,)
    _usage(MSG_UNKNOWN_PLACE, option="--district", value=value, what=_("区县"))
    return ()


def _department(value: str | None) -> tuple[int, ...]:
    if value is None:
        return ()
    from hotline.models import Department

    text = value.strip()
    found = Department.get_or_none((Department.code == text) | (Department.name == text))
    if found is None:
        _usage(MSG_UNKNOWN_PLACE, option="--department", value=value, what=_("承办单位"))
        return ()
    return (int(found.id),)


def _date(option: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        _usage(MSG_DATE, option=option, value=value)
        return None


def _search(ctx: Context, text: str | None) -> tuple[int, ...] | None:
    """Every case the search finds (all its pages), as the app's search box would."""
    if text is None:
        return None
    from hotline.permissions import Action
    from hotline.search import search

    reveal = ctx.actor.can(Action.CASE_VIEW_CONFIDENTIAL)
    found: list[int] = []
    before: int | None = None
    while True:
        page = search(text, limit=SEARCH_BATCH, before_id=before, reveal_confidential=reveal)
        found.extend(page.case_ids)
        if page.next_before is None:
            return tuple(found)
        before = page.next_before
