"""``intake FILE|-``: register one case (a JSON object) or several (an array), all or nothing."""

from __future__ import annotations

import argparse
import json
from typing import Any

from hotline.cli.context import Context
from hotline.errors import ValidationError
from hotline.i18n import N_, _


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "intake", parents=[common], help=_("从 JSON 登记一个或多个案件，打印案件编号")
    )
    parser.add_argument("file", metavar="FILE", help=_("JSON 文件，- 表示标准输入"))
    parser.set_defaults(handler=run_intake)


def parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", 0)
        raise ValidationError.single(
            "file",
            N_("不是有效的 JSON：第 {line} 行 {reason}"),
            line=line,
            reason=getattr(exc, "msg", str(exc)),
        ) from exc


def run_intake(ctx: Context) -> int:
    from hotline import cases

    data = parse_json(ctx.read_text(ctx.args.file))
    if not isinstance(data, dict | list):
        raise ValidationError.single("file", N_("应为一个 JSON 对象或 JSON 数组"))
    ctx.open_db(create=True)
    if isinstance(data, dict):
        registered = [cases.register(ctx.actor, data)]
    else:
        registered = cases.register_many(ctx.actor, data)
    if ctx.json:
        ctx.emit([{"case_no": case.case_no} for case in registered])
    else:
        for case in registered:
            ctx.say(case.case_no)
    return 0
