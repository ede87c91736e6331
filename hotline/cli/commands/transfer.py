"""``export`` and ``import``: cases to and from JSON, CSV (and XLSX for import)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from hotline.cli import case_filters
from hotline.cli.context import Context
from hotline.i18n import N_, _

MSG_DRY_RUN = N_("试运行：读取 {read} 条，可导入 {imported} 条，有误 {rejected} 条；未写入任何数据")
MSG_IMPORTED = N_("读取 {read} 条，已导入 {imported} 条，有误 {rejected} 条")
MSG_SKIPPED = N_("已导入过，跳过 {skipped} 条")
MSG_XLSX_FILE = N_("xlsx 格式须用 -o 指定要写入的文件")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    export = subparsers.add_parser(
        "export", parents=[common], help=_("导出案件（全部，或符合筛选条件的）")
    )
    export.add_argument(
        "--format",
        choices=("json", "csv", "xlsx"),
        default=None,
        help=_("格式（默认按文件扩展名，否则 json）；xlsx 须用 -o 写入文件"),
    )
    export.add_argument("-o", "--output", metavar="FILE", help=_("写入文件（默认输出到标准输出）"))
    export.add_argument(
        "--mask-confidential", action="store_true", help=_("隐去保密案件的联系人姓名和电话")
    )
    labels = export.add_mutually_exclusive_group()
    labels.add_argument(
        "--labels",
        action="store_true",
        default=None,
        help=_("写中文表头和名称而不是代码（xlsx 默认如此；csv 默认写代码）"),
    )
    labels.add_argument(
        "--codes", dest="labels", action="store_false", help=_("写代码（csv 默认如此）")
    )
    case_filters.add_arguments(export)
    export.set_defaults(handler=run_export)
    load = subparsers.add_parser(
        "import", parents=[common], help=_("批量导入案件（JSON、CSV、XLSX，格式同导出）")
    )
    load.add_argument("file", metavar="FILE", help=_("要导入的文件"))
    load.add_argument("--dry-run", action="store_true", help=_("只检查，不写入任何数据"))
    load.set_defaults(handler=run_import)


def run_export(ctx: Context) -> int:
    from hotline import case_queries
    from hotline.attachments import bundle
    from hotline.i18n import format_number
    from hotline.transfer import exporting

    args = ctx.args
    fmt = args.format or (exporting.format_of(Path(args.output)) if args.output else "json")
    if fmt == "xlsx" and not args.output:
        from hotline.cli.context import UsageError

        raise UsageError(MSG_XLSX_FILE)
    ctx.open_db()
    options = {
        "mask_confidential": args.mask_confidential,
        "labels": args.labels,
        **case_filters.export_options(ctx),
    }
    if not args.output:
        out: TextIO = ctx.stdout
        if out is sys.stdout and hasattr(out, "reconfigure") and not out.isatty():
            out.reconfigure(encoding="utf-8")
        exporting.export(ctx.actor, out, fmt, **options)
        return 0
    path = Path(args.output)
    count = exporting.export_file(ctx.actor, path, fmt, **options)
    documents = None
    if fmt == "json" and bundle.count():  # the documents go in a zip beside the JSON
        chosen = options.get("case_filter")
        documents = bundle.export_bundle(
            ctx.actor,
            bundle.bundle_path(path),
            mask_confidential=args.mask_confidential,
            case_ids=None if chosen is None else case_queries.case_ids(chosen),
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
