"""``audit verify [--expect N:HASH]``: check the audit chain; exit 1 when it was tampered with.

``--expect`` takes an anchor written down outside the database (printed by ``backup`` and on
every weekly report): the chain must still hold that entry with that hash.
"""

from __future__ import annotations

import argparse
from typing import Any

from hotline.cli.context import Context
from hotline.i18n import _


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("audit", parents=[common], help=_("审计日志"))
    actions = parser.add_subparsers(dest="audit_command", metavar=_("操作"))
    verify = actions.add_parser("verify", parents=[common], help=_("核对审计日志是否完整"))
    verify.add_argument(
        "--expect",
        metavar="N:HASH",
        help=_(
            "记下的锚点（备份输出或周报上印的“第 N 条 · 哈希”）：审计链必须仍含第 N 条且哈希一致；哈希可只写前 16 位以上"
        ),
    )
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
    expect = audit.Anchor.parse(ctx.args.expect) if ctx.args.expect else None
    ctx.open_db()
    result = audit.verify(expect=expect)
    if ctx.json:
        ctx.emit(
            {
                "ok": result.ok,
                "checked": result.checked,
                "bad_entry_id": result.bad_entry_id,
                "problem": result.problem or None,
                "message": audit.describe(result),
                "last_entry": result.last_id if result.ok else None,
                "last_hash": result.last_hash if result.ok else None,
            }
        )
    else:
        ctx.say(audit.describe(result))
    return 0 if result.ok else 1
