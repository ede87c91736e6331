"""``backup -o FILE`` and ``restore FILE``: consistent copies, checked before replacing.

``backup`` prints the copy's audit anchor (its chain's last entry and hash) and writes it
beside the copy; ``restore`` checks the copy against it (and ``--expect N:HASH``) and refuses
while any program has the database open.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from hotline.cli.context import Context
from hotline.i18n import _


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    backup = subparsers.add_parser(
        "backup", parents=[common], help=_("备份数据库（程序运行时也可以备份）")
    )
    backup.add_argument("-o", "--output", required=True, metavar=_("文件"), help=_("备份文件"))
    backup.set_defaults(handler=run_backup)
    restore = subparsers.add_parser(
        "restore", parents=[common], help=_("检查备份文件后用它替换数据库；原数据库保留在旁边")
    )
    restore.add_argument("file", metavar=_("文件"), help=_("备份文件"))
    restore.add_argument(
        "--expect",
        metavar="N:HASH",
        help=_("备份时记下的审计锚点：备份中的审计链必须含第 N 条且哈希一致"),
    )
    restore.set_defaults(handler=run_restore)


def run_backup(ctx: Context) -> int:
    from hotline import backup
    from hotline.audit import anchor_text
    from hotline.permissions import Action

    ctx.actor.require(Action.BACKUP)
    made = backup.backup_to(Path(ctx.args.output), ctx.target)
    check = backup.check_backup(made)
    if check.ok:
        backup.record_anchor(made)
    if ctx.json:
        ctx.emit(
            {
                "path": str(made),
                "ok": check.ok,
                "cases": check.cases,
                "audit_entries": check.audit_entries,
                "audit_last_entry": check.audit_last_id if check.ok else None,
                "audit_last_hash": check.audit_last_hash if check.ok else None,
                "problem": None if check.ok else _(check.problem).format(**(check.params or {})),
            }
        )
    elif check.ok:
        ctx.say(
            _("已备份到 {path}：{cases} 件案件，审计链完整").format(path=made, cases=check.cases)
        )
        ctx.say(
            _(
                "审计锚点：{anchor}（请另行记下；核对：audit verify --expect {entry}:{hash}）"
            ).format(
                anchor=anchor_text(entry=check.audit_last_id, digest=check.audit_last_hash),
                entry=check.audit_last_id,
                hash=check.audit_last_hash,
            )
        )
    else:
        ctx.say(
            _("备份 {path} 未通过检查：{problem}").format(
                path=made, problem=_(check.problem).format(**(check.params or {}))
            )
        )
    return 0 if check.ok else 1


def run_restore(ctx: Context) -> int:
    from hotline import backup
    from hotline.audit import Anchor
    from hotline.permissions import Action

    ctx.actor.require(Action.BACKUP)
    expect = Anchor.parse(ctx.args.expect) if ctx.args.expect else None
    check = backup.check_backup(Path(ctx.args.file), expect)
    if not check.ok:
        message = _(check.problem).format(**(check.params or {}))
        if ctx.json:
            ctx.emit({"ok": False, "problem": message})
        else:
            ctx.say(_("备份未通过检查，数据库没有改动：{problem}").format(problem=message))
        return 1
    kept = backup.restore_from(Path(ctx.args.file), ctx.target, expect)
    if ctx.json:
        ctx.emit(
            {"ok": True, "cases": check.cases, "replaced_kept_at": str(kept) if kept else None}
        )
    else:
        ctx.say(_("已从 {file} 恢复 {cases} 件案件").format(file=ctx.args.file, cases=check.cases))
        if kept:
            ctx.say(_("原数据库已保留在 {path}").format(path=kept))
    return 0
