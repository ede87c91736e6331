"""``export`` and ``import``: cases to and from JSON, CSV (and XLSX for import)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from hotline.cli.context import Context
from hotline.i18n import N_, _

MSG_DRY_RUN = N_("试运行：读取 {read} 条，可导入 {imported} 条，有误 {rejected} 条；未写入任何数据")
MSG_IMPORTED = N_("读取 {read} 条，已导入 {imported} 条，有误 {rejected} 条")
MSG_SKIPPED = N_("已导入过，跳过 {skipped} 条")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    export = subparsers.add_parser("export", parents=[common], help=_("导出全部案件"))
    export.add_argument(
        "--format", choices=("json", "csv"), default="json", help=_("格式（默认 json）")
    )
    export.add_argument("-o", "--output", metavar="FILE", help=_("写入文件（默认输出到标准输出）"))
    export.add_argument(
        "--mask-confidential", action="store_true", help=_("隐去保密案件的联系人姓名和电话")
    )
    export.set_defaults(handler=run_export)
    load = subparsers.add_parser(
        "import", parents=[common], help=_("批量导入案件（JSON、CSV、XLSX，格式同导出）")
    )
    load.add_argument("file", metavar="FILE", help=_("要导入的文件"))
    load.add_argument("--dry-run", action="store_true", help=_("只检查，不写入任何数据"))
    load.set_defaults(handler=run_import)


def run_export(ctx: Context) -> int:
    from hotline import output_files
    from hotline.attachments import bundle
    from hotline.i18n import format_number
    from hotline.transfer import exporting

    args = ctx.args
    ctx.open_db()
    if not args.output:
        out: TextIO = ctx.stdout
        if out is sys.stdout and hasattr(out, "reconfigure") and not out.isatty():
            out.reconfigure(encoding="utf-8")
        exporting.export(ctx.actor, out, args.format, mask_confidential=args.mask_confidential)
        return 0
    path = Path(args.output)
    # Spreadsheets need the BOM to read UTF-8 CSV as such.
    encoding = "utf-8-sig" if args.format == "csv" else "utf-8"
    # Never over the database; the file appears only when complete.
    with output_files.replacing(path, encoding=encoding, newline="") as handle:
        count = exporting.export(
            ctx.actor, handle, args.format, mask_confidential=args.mask_confidential
        )
    documents = None
    if args.format == "json" and bundle.count():
        documents = bundle.export_bundle(
            ctx.actor, bundle.bundle_path(path), mask_confidential=args.mask_confidential
        )
    if ctx.json:
        shown: dict[str, object] = {"exported": count, "file": str(path)}
        if documents is not None:
            shown["attachments"] = {
                "file": str(documents.path),
                "exported": documents.exported,
                "withheld": documents.withheld,
            }
        ctx.emit(shown)
        return 0
    ctx.say(_("已导出 {count} 个案件到 {path}").format(count=format_number(count), path=path))
    if documents is not None:
        ctx.say(
            _("已导出 {count} 个附件到 {path}").format(
                count=format_number(documents.exported), path=documents.path
            )
        )
        if documents.withheld:
            ctx.say(
                _("保密案件的 {count} 个附件无法隐去来电人信息，未导出").format(
                    count=format_number(documents.withheld)
                )
            )
    return 0


def run_import(ctx: Context) -> int:
    from hotline.i18n import format_number
    from hotline.transfer import importing

    args = ctx.args
    path = Path(args.file)
    if not path.is_file():
        raise FileNotFoundError(2, _("文件不存在"), str(path))
    ctx.open_db(create=True)
    rejected: list[importing.Rejected] = []

    def on_reject(row: importing.Rejected) -> None:
        if ctx.json:
            rejected.append(row)
            return
        ctx.say(
            _("第 {line} 行（第 {position} 条）{case_no}：").format(
                line=row.line, position=row.position, case_no=row.case_no or ""
            )
        )
        for reason in row.reasons():
            ctx.say(f"  {reason}")

    report = importing.import_file(ctx.actor, path, dry_run=args.dry_run, on_reject=on_reject)
    documents = report.attachments
    if ctx.json:
        ctx.emit(
            {
                "attachments": None
                if documents is None
                else {
                    "file": str(documents.path),
                    "imported": documents.imported,
                    "skipped": documents.skipped,
                    "errors": [p.as_dict() for p in documents.problems],
                },
                "read": report.read,
                "imported": report.imported,
                "rejected": report.rejected,
                "skipped": report.skipped,
                "dry_run": report.dry_run,
                "rejects_file": str(report.rejects_file) if report.rejects_file else None,
                "errors": [row.as_dict() for row in rejected],
                "file_problems": [p.as_dict() for p in report.file_problems],
            }
        )
        return 0 if report.ok and (documents is None or documents.ok) else 1
    for problem in report.file_problems:
        ctx.say(f"{problem.text}")
    if report.file_problems and not report.imported and not report.stopped:
        ctx.say(_("文件未能读完，未导入任何数据"))
        return 1
    ctx.say(
        _(MSG_DRY_RUN if report.dry_run else MSG_IMPORTED).format(
            read=format_number(report.read),
            imported=format_number(report.imported),
            rejected=format_number(report.rejected),
        )
    )
    if report.skipped:
        ctx.say(_(MSG_SKIPPED).format(skipped=format_number(report.skipped)))
    if report.rejects_file:
        ctx.say(_("有误的行及原因已写入 {path}").format(path=report.rejects_file))
    if documents is not None:
        ctx.say(
            _(
                "附件（{path}）：导入 {imported} 个，已导入过 {skipped} 个，有误 {problems} 个"
            ).format(
                path=documents.path,
                imported=format_number(documents.imported),
                skipped=format_number(documents.skipped),
                problems=format_number(len(documents.problems)),
            )
        )
        for problem in documents.problems:
            ctx.say(f"  {problem.text}")
    return 0 if report.ok and (documents is None or documents.ok) else 1
