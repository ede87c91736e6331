"""``call --from NUMBER [--line L] [--extension E] [--call-id ID] [--at TIME]``: hand an
incoming call to the desktop app running for this user on this workstation (the screen pop).

It needs no database: the event goes over the app's local socket (hotline/calls.py), which
only this user can reach. Exit code 0 when the app showed the call, 1 when it refused the event
or none is running (the reason printed), 2 on usage errors.
"""

from __future__ import annotations

import argparse
from typing import Any

from hotline.cli.context import Context
from hotline.i18n import _


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "call",
        parents=[common],
        help=_("来电弹屏：把来电交给本机当前用户正在运行的工作台"),
    )
    parser.add_argument(
        "--from", dest="number", required=True, metavar="NUMBER", help=_("来电号码")
    )
    parser.add_argument("--line", default="", metavar="L", help=_("中继线或线路"))
    parser.add_argument("--extension", default="", metavar="E", help=_("坐席分机号"))
    parser.add_argument("--call-id", default="", metavar="ID", help=_("电话系统的通话编号"))
    parser.add_argument(
        "--at", default="", metavar="TIME", help=_("来电时间（ISO 8601；默认：现在）")
    )
    parser.set_defaults(handler=run_call)


def run_call(ctx: Context) -> int:
    from hotline import calls

    args = ctx.args
    event = {"type": "call", "from": args.number}
    for key, value in (
        ("line", args.line),
        ("extension", args.extension),
        ("call_id", args.call_id),
        ("at", args.at),
    ):
        if value:
            event[key] = value
    calls.parse_event(event)  # a wrong field is named here, before anything is sent
    reply = calls.send(event)
    if ctx.json:
        ctx.emit(reply)
    if not reply.get("ok"):
        if not ctx.json:
            ctx.note(_("工作台未接受来电事件：{reason}").format(reason=reply.get("error", "")))
        return 1
    if not ctx.json:
        shown = reply.get("shown")
        ctx.say(_("已弹出登记表单") if shown == "form" else _("正在填写的表单未改动，已提示新来电"))
    return 0
