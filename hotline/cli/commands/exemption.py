"""``exemption list|assess|import|versions|penalty``: the first-offense exemption checklist.

``exemption assess`` reads the facts as a JSON object (standard input, or FILE) and prints the
decision; with ``--case`` the enterprise's history settles an unknown first offense, and
``--save`` stores the assessment on the case. Invalid facts exit 1 with the reasons and store
nothing.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from hotline.cli.context import Context
from hotline.errors import ValidationError
from hotline.i18n import N_, _


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("exemption", parents=[common], help=_("首错免罚清单与评估"))
    commands = parser.add_subparsers(dest="exemption_command", metavar=_("操作"))

    listing = commands.add_parser("list", parents=[common], help=_("列出现行清单的事项"))
    listing.add_argument("--body", metavar="B", help=_("只列出该实施主体的事项"))
    listing.add_argument("--search", metavar="TEXT", help=_("按文字或拼音首字母查找事项"))
    listing.set_defaults(handler=run_list)

    assess = commands.add_parser("assess", parents=[common], help=_("按事实（JSON）评估能否免罚"))
    assess.add_argument(
        "file", nargs="?", default="-", metavar="FILE", help=_("事实 JSON 文件（默认读标准输入）")
    )
    assess.add_argument("--case", metavar="CASE_NO", help=_("案件编号：据企业历史判断是否初次违法"))
    assess.add_argument(
        "--save", action="store_true", help=_("把评估保存到案件（须同时指定 --case）")
    )
    assess.add_argument(
        "--override-reason",
        metavar="TEXT",
        help=_("不按历史记录、认定为初次违法的理由（记入审计日志）"),
    )
    assess.set_defaults(handler=run_assess)

    load = commands.add_parser(
        "import", parents=[common], help=_("导入新版清单（CSV、XLSX 或 JSON）")
    )
    load.add_argument("file", metavar="FILE", help=_("清单文件"))
    load.add_argument("--version", dest="catalogue_version", metavar="V", help=_("版本号"))
    load.add_argument("--effective-date", metavar="D", help=_("施行日期（YYYY-MM-DD）"))
    load.add_argument("--name", metavar="N", help=_("清单名称"))
    load.add_argument("--source", metavar="S", help=_("来源（发布机关、文号）"))
    load.add_argument("--note", metavar="TEXT", help=_("说明"))
    load.set_defaults(handler=run_import)

    versions = commands.add_parser("versions", parents=[common], help=_("列出清单的各个版本"))
    versions.set_defaults(handler=run_versions)

    penalty = commands.add_parser(
        "penalty", parents=[common], help=_("登记企业因清单事项受到的行政处罚")
    )
    penalty.add_argument("--enterprise", required=True, metavar="USCC", help=_("统一社会信用代码"))
    penalty.add_argument("--item", required=True, metavar="CODE", help=_("清单事项编号"))
    penalty.add_argument("--date", required=True, metavar="D", help=_("处罚决定日期（YYYY-MM-DD）"))
    penalty.add_argument("--case", metavar="CASE_NO", help=_("相关案件编号"))
    penalty.add_argument("--note", default="", metavar="TEXT", help=_("说明（如处罚决定书文号）"))
    penalty.set_defaults(handler=run_penalty)


def run_list(ctx: Context) -> int:
    from hotline.exemption.store import catalogue_in_force

    ctx.open_db()
    catalogue = catalogue_in_force()
    items = catalogue.search(ctx.args.search, body=ctx.args.body)
    if ctx.json:
        ctx.emit([{**item.to_dict(), "catalogue_version": catalogue.version} for item in items])
        return 0
    ctx.note(
        _("{name}（{version} 版，{date} 施行）").format(
            name=catalogue.name, version=catalogue.version, date=catalogue.effective_date
        )
    )
    for item in items:
        ctx.say("  ".join([item.code, item.body, item.area, item.violation]))
    if not items:
        ctx.note(_("没有找到匹配的事项"))
    return 0


def _read_facts(ctx: Context) -> dict[str, Any]:
    text = ctx.read_text(ctx.args.file)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError.single(
            f"line {exc.lineno}", N_("JSON 格式错误：{error}"), error=exc.msg
        ) from exc
    if not isinstance(data, dict):
        raise ValidationError.single("facts", N_("事实应为一个 JSON 对象"))
    return data


def _print_decision(ctx: Context, decision: Any) -> None:
    if decision.exempt:
        nature = _("羁束，应当不予处罚") if decision.mandatory else _("裁量，可以不予处罚")
        ctx.say(
            _("结论：{outcome}（{nature}）").format(outcome=decision.outcome.label, nature=nature)
        )
    else:
        ctx.say(_("结论：{outcome}").format(outcome=decision.outcome.label))
    for number, reason in enumerate(decision.reasons, start=1):
        ctx.say(f"{number}. {reason.text}")
        ctx.say("   " + _("依据：{basis}").format(basis=reason.basis_text))
    if decision.missing:
        ctx.say(_("需要查明："))
        for missing in decision.missing:
            ctx.say(f"  - {missing.text}")
    if decision.first_offense_source:
        ctx.say(_("初次违法的认定依据：{source}").format(source=decision.first_offense_source))


def run_assess(ctx: Context) -> int:
    from hotline import cases
    from hotline.exemption import service

    args = ctx.args
    if args.save and not args.case:
        return ctx.usage_error(_("--save 须与 --case 一起使用"))
    facts = _read_facts(ctx)
    ctx.open_db()
    case_id = cases.get_by_number(args.case).id if args.case else None
    override = service.Override(args.override_reason) if args.override_reason is not None else None
    decision = service.assess(ctx.actor, case_id, facts, override=override, save=args.save)
    if ctx.json:
        ctx.emit({**decision.to_json(), "saved": bool(args.save), "case": args.case})
        return 0
    _print_decision(ctx, decision)
    if args.save:
        ctx.say(_("已保存到案件 {case_no}").format(case_no=args.case))
    return 0


def run_import(ctx: Context) -> int:
    from hotline.exemption.store import import_catalogue

    args = ctx.args
    ctx.open_db()
    info = import_catalogue(
        ctx.actor,
        args.file,
        version=args.catalogue_version,
        effective_date=args.effective_date,
        name=args.name,
        source=args.source,
        note=args.note,
    )
    if ctx.json:
        ctx.emit(info.to_json())
        return 0
    ctx.say(
        _("已导入清单 {version} 版（{count} 项，{date} 施行）").format(
            version=info.version, count=info.item_count, date=info.effective_date
        )
    )
    current = next(v for v in _versions() if v.in_force)
    ctx.say(_("现行版本：{version}").format(version=current.version))
    return 0


def _versions() -> list[Any]:
    from hotline.exemption.store import list_versions

    return list_versions()


def run_versions(ctx: Context) -> int:
    ctx.open_db()
    infos = _versions()
    if ctx.json:
        ctx.emit([info.to_json() for info in infos])
        return 0
    for info in infos:
        mark = _("（现行）") if info.in_force else ""
        ctx.say(
            "  ".join(
                [
                    info.version + mark,
                    info.effective_date.isoformat(),
                    _("{count} 项").format(count=info.item_count),
                    info.name,
                ]
            )
        )
    return 0


def run_penalty(ctx: Context) -> int:
    from hotline.exemption.history import record_penalty

    args = ctx.args
    ctx.open_db()
    record = record_penalty(
        ctx.actor, args.enterprise, args.item, args.date, case_no=args.case, note=args.note
    )
    if ctx.json:
        ctx.emit(
            {
                "id": record.id,
                "enterprise": record.enterprise_uscc,
                "item": record.item_code,
                "decided_on": str(record.decided_on),
            }
        )
        return 0
    ctx.say(_("已登记处罚记录 {id}").format(id=record.id))
    return 0
