"""``audit verify``: check the audit chain; exit 1 when it was tampered with."""

from __future__ import annotations

import argparse
from typing import Any

from hotline.cli.context import Context
from hotline.i18n import N_, _

PROBLEMS = {
    "altered": N_("记录内容被改动"),
    "inserted": N_("有记录被插入"),
    "deleted": N_("有记录被删除"),
}


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("audit", parents=[common], help=_("审计日志"))
    actions = parser.add_subparsers(dest="audit_command", metavar=_("操作"))
    verify = actions.add_parser("verify", parents=[common], help=_("核对审计日志是否完整"))
    verify.set_defaults(handler=run_verify)
    export = actions.add_parser("export", parents=[common], help=_("把审计日志导出为 CSV"))
    export.add_argument("-o", "--output", required=True, metavar=_("文件"))
    export.set_defaults(handler=run_export)


def run_export(ctx: Context) -> int:
    from pathlib import Path

    from hotline import audit

    ctx.open_db()
    count = audit.export_csv(ctx.actor, Path(ctx.args.output))
    if ctx.json:
        ctx.emit({"path": ctx.args.output, "rows": count})
    else:
        ctx.say(_("已导出 {count} 条审计记录到 {path}").format(count=count, path=ctx.args.output))
    return 0


def run_verify(ctx: Context) -> int:
    from hotline import audit
    from hotline.permissions import Action

    ctx.actor.require(Action.AUDIT_VIEW)
    ctx.open_db()
    result = audit.verify()
    if ctx.json:
        ctx.emit(
            {
                "ok": result.ok,
                "checked": result.checked,
                "bad_entry_id": result.bad_entry_id,
                "problem": result.problem or None,
            }
        )
    elif result.ok:
        ctx.say(_("审计日志完整：已核对 {count} 条记录").format(count=result.checked))
    else:
        reason = PROBLEMS.get(result.problem)
        ctx.say(
            _("审计日志已被破坏：第 {entry} 条记录处{problem}（此前 {count} 条完好）").format(
                entry=result.bad_entry_id,
                problem=_(reason) if reason else result.problem,
                count=result.checked,
            )
        )
    return 0 if result.ok else 1
