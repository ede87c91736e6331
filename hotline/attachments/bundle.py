"""The attachments beside a JSON export: ``cases.json`` goes with ``cases.attachments.zip``.

The zip holds ``manifest.json`` and one member per document, ``files/<n>``, stored as it is
(no compression: PDFs, images and Office files are compressed already). The manifest lists
every attachment, tombstones included, by case number::

    {"format": "hotline-attachments", "version": 1, "attachments": [
      {"case_no": "…", "name": "…", "size": 123, "content_type": "pdf", "sha256": "…",
       "added_by": "…", "added_at": "2026-11-25T09:30:00", "removed_at": null,
       "removed_by": null, "removed_reason": null, "file": "files/1"}, …]}

Content is streamed both ways, one chunk at a time. Exporting checks every chunk as it reads
it (a damaged attachment stops the export, naming it). A confidential case's documents are
left out when the export is masked (their content cannot be masked); the count says so.

Importing (with the cases, :func:`hotline.transfer.importing.import_file`) finds each case by
its number, re-checks the type by content and the SHA-256 and size against the manifest while
storing, and keeps who added it and when. An entry already there (same case, name, hash and
time) is skipped, so importing again adds nothing twice; one that does not check out is
refused and reported, the others are imported. The administrator's size limits do not apply
to an import: it carries documents another centre accepted under its own limits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import zipfile
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hotline import audit, output_files
from hotline.attachments import chunks, content_types
from hotline.attachments.schema import CHUNK_SIZE, Attachment
from hotline.db import write_transaction
from hotline.errors import HotlineError, Problem, ValidationError
from hotline.i18n import N_
from hotline.models import Case, tuples
from hotline.permissions import Action, Actor

log = logging.getLogger(__name__)

FORMAT = "hotline-attachments"
VERSION = 1
MANIFEST = "manifest.json"
SUFFIX = ".attachments.zip"
BATCH = 500

MSG_NO_CASE = N_("附件 {name}：案件 {case_no} 不在数据库中，未导入")
MSG_HASH = N_("附件 {name}（案件 {case_no}）的内容与清单中的 SHA-256 或大小不符，未导入")
MSG_MISSING = N_("附件 {name}（案件 {case_no}）在压缩包中缺少文件 {member}，未导入")
MSG_BAD_BUNDLE = N_("附件包 {path} 无法读取：{reason}")
MSG_BAD_ENTRY = N_("附件包清单第 {n} 项不完整，未导入")


def bundle_path(export_path: str | Path) -> Path:
    """``cases.json`` → ``cases.attachments.zip`` (beside it)."""
    path = Path(export_path)
    return path.with_name(path.stem + SUFFIX)


@dataclass
class BundleReport:
    path: Path
    exported: int = 0
    withheld: int = 0  # confidential cases' documents left out of a masked export
    imported: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value).replace(" ", "T", 1)


def _rows(only: Collection[int] | None = None) -> Iterator[tuple[Attachment, str, bool]]:
    """Every attachment (tombstones too) with its case number and confidentiality; of the
    cases ``only`` when given (an export of some cases carries only their documents)."""
    last = 0
    while True:
        batch = list(
            Attachment.select(Attachment, Case.case_no, Case.confidential)
            .join(Case)
            .where(Attachment.id > last)
            .order_by(Attachment.id)
            .limit(BATCH)
        )
        if not batch:
            return
        for row in batch:
            if only is None or row.case_id in only:
                yield row, row.case.case_no, bool(row.case.confidential)
        last = batch[-1].id


def count() -> int:
    return int(Attachment.select().count())


def export_bundle(
    actor: Actor,
    target: str | Path,
    *,
    mask_confidential: bool = False,
    progress: Callable[[int], None] | None = None,
    case_ids: Collection[int] | None = None,
) -> BundleReport:
    """Write every attachment (of the cases ``case_ids`` when given) to the zip ``target``
    (complete or not at all, owner-only)."""
    actor.require(Action.CASE_EXPORT)
    masked = mask_confidential or not actor.can(Action.CASE_VIEW_CONFIDENTIAL)
    report = BundleReport(Path(target))
    entries: list[dict[str, Any]] = []
    with (
        output_files.replacing(target) as handle,
        zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED, allowZip64=True) as archive,
    ):
        for row, case_no, confidential in _rows(case_ids):
            if confidential and masked:
                report.withheld += 1
                continue
            member = None
            if row.removed_at is None:
                member = f"files/{len(entries) + 1}"
                with archive.open(member, "w", force_zip64=True) as out:
                    chunks.copy_to(row, case_no, out)
            entries.append(_entry(row, case_no, member))
            report.exported += 1
            if progress is not None:
                progress(report.exported)
        manifest = {"format": FORMAT, "version": VERSION, "attachments": entries}
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    with write_transaction():
        audit.record(
            actor,
            "attachment.export",
            "export",
            "",
            {"file": str(target), "count": report.exported, "withheld": report.withheld},
        )
    log.info(
        "exported %s attachments to %s (%s withheld)", report.exported, target, report.withheld
    )
    return report


def _entry(row: Attachment, case_no: str, member: str | None) -> dict[str, Any]:
    return {
        "case_no": case_no,
        "name": row.name,
        "size": int(row.size),
        "content_type": row.content_type,
        "sha256": row.sha256,
        "added_by": row.added_by_name,
        "added_at": _iso(row.added_at),
        "removed_at": _iso(row.removed_at),
        "removed_by": row.removed_by_name,
        "removed_reason": row.removed_reason,
        "file": member,
    }


# -- importing -------------------------------------------------------------------------------


def import_bundle(actor: Actor, source: str | Path, *, dry_run: bool = False) -> BundleReport:
    """Import the attachments of the zip ``source`` for cases already in the database."""
    actor.require(Action.CASE_IMPORT)
    path = Path(source)
    report = BundleReport(path)
    try:
        with zipfile.ZipFile(path) as archive:
            entries = _manifest(archive)
            for n, entry in enumerate(entries, start=1):
                _import_entry(actor, archive, n, entry, report, dry_run)
    except (OSError, zipfile.BadZipFile, ValueError, KeyError) as exc:
        report.problems.append(
            Problem("file", MSG_BAD_BUNDLE, {"path": str(path), "reason": str(exc)})
        )
    log.info(
        "attachments of %s: %s imported, %s skipped, %s problems (dry run: %s)",
        path,
        report.imported,
        report.skipped,
        len(report.problems),
        dry_run,
    )
    return report


def _manifest(archive: zipfile.ZipFile) -> list[dict[str, Any]]:
    data = json.loads(archive.read(MANIFEST).decode("utf-8"))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not a hotline attachments bundle")
    entries = data.get("attachments")
    if not isinstance(entries, list):
        raise ValueError("manifest without attachments")
    return entries


def _import_entry(
    actor: Actor,
    archive: zipfile.ZipFile,
    n: int,
    entry: Any,
    report: BundleReport,
    dry_run: bool,
) -> None:
    try:
        case_no = str(entry["case_no"])
        name = str(entry["name"])
        sha256 = str(entry["sha256"])
        size = int(entry["size"])
        added_at = dt.datetime.fromisoformat(str(entry["added_at"]))
        removed_at = (
            dt.datetime.fromisoformat(str(entry["removed_at"])) if entry.get("removed_at") else None
        )
    except (KeyError, TypeError, ValueError):
        report.problems.append(Problem(f"attachments[{n}]", MSG_BAD_ENTRY, {"n": n}))
        return
    params = {"name": name, "case_no": case_no}
    found = list(tuples(Case.select(Case.id).where(Case.case_no == case_no)))
    if not found and not dry_run:
        report.problems.append(Problem(f"attachments[{n}]", MSG_NO_CASE, params))
        return
    case_id = int(found[0][0]) if found else 0
    if found and _already_there(case_id, name, sha256, added_at):
        report.skipped += 1
        return
    member = entry.get("file")
    if removed_at is None and (not member or member not in archive.namelist()):
        report.problems.append(
            Problem(f"attachments[{n}]", MSG_MISSING, params | {"member": str(member)})
        )
        return
    try:
        if dry_run:
            if removed_at is None:
                _check_member(archive, str(member), name, sha256, size, params)
        else:
            with write_transaction():
                _store(
                    actor,
                    archive,
                    entry,
                    case_id,
                    case_no,
                    name,
                    sha256,
                    size,
                    added_at,
                    removed_at,
                )
    except ValidationError as exc:
        report.problems.extend(exc.problems)
        return
    except HotlineError as exc:
        report.problems.append(Problem(f"attachments[{n}]", exc.message, exc.params))
        return
    report.imported += 1


def _already_there(case_id: int, name: str, sha256: str, added_at: dt.datetime) -> bool:
    return (
        Attachment.select(Attachment.id)
        .where(
            (Attachment.case == case_id)
            & (Attachment.name == name)
            & (Attachment.sha256 == sha256)
            & (Attachment.added_at == added_at)
        )
        .exists()
    )


def _check_member(
    archive: zipfile.ZipFile, member: str, name: str, sha256: str, size: int, params: dict[str, Any]
) -> None:
    digest = hashlib.sha256()
    total = 0
    with archive.open(member) as handle:
        content_types.sniff(handle, name)
        while piece := handle.read(CHUNK_SIZE):
            digest.update(piece)
            total += len(piece)
    if digest.hexdigest() != sha256 or total != size:
        raise HotlineError(MSG_HASH, **params)


def _store(
    actor: Actor,
    archive: zipfile.ZipFile,
    entry: dict[str, Any],
    case_id: int,
    case_no: str,
    name: str,
    sha256: str,
    size: int,
    added_at: dt.datetime,
    removed_at: dt.datetime | None,
) -> None:
    params = {"name": name, "case_no": case_no}
    row = Attachment.create(
        case=case_id,
        name=name[:200],
        size=size,
        content_type=str(entry.get("content_type") or ""),
        sha256=sha256,
        chunks=0,
        chunk_root="",
        added_by=None,
        added_by_name=str(entry.get("added_by") or "")[:40],
        added_at=added_at,
        removed_at=removed_at,
        removed_by_name=(str(entry["removed_by"])[:40] if entry.get("removed_by") else None),
        removed_reason=entry.get("removed_reason"),
    )
    if removed_at is None:
        with archive.open(str(entry["file"])) as handle:
            content_type = content_types.sniff(handle, name)
            text = content_types.TextCheck(name) if content_type == "text" else None
            stored = chunks.write(
                row.id,
                handle,
                name=name,
                limit_bytes=max(size, 1),
                on_piece=text.feed if text else None,
            )
            if text is not None:
                text.finish()
        if stored.sha256 != sha256 or stored.size != size:
            raise HotlineError(MSG_HASH, **params)
        Attachment.update(
            chunks=stored.chunks, chunk_root=stored.root, content_type=content_type
        ).where(Attachment.id == row.id).execute()
    audit.record(
        actor,
        "attachment.import",
        "case",
        case_no,
        {"name": name, "sha256": sha256, "size": size, "removed": removed_at is not None},
    )


__all__ = ["BundleReport", "bundle_path", "count", "export_bundle", "import_bundle"]
