"""Backups: consistent online copies, checks before a restore, automatic rotated copies.

SQLite's online backup API copies a database while the app keeps writing to it. A file is
restored only after it passes SQLite's integrity check, carries a schema this program can read
and an intact audit chain; the database it replaces is kept aside, never deleted.
PostgreSQL centres back up with ``pg_dump`` (see README).
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from hotline import audit, clock, db, file_errors
from hotline.errors import HotlineError
from hotline.i18n import N_
from hotline.models import AuditEntry, AuditHead

log = logging.getLogger(__name__)

AUTO_PREFIX = "auto-"


@dataclass(frozen=True)
class BackupCheck:
    ok: bool
    problem: str = ""  # message id, translated by the caller
    params: dict[str, object] | None = None
    schema_version: int = 0
    cases: int = 0
    audit_entries: int = 0


def _target(target: str | None) -> str:
    """``target``, else the database open now, else the configured one."""
    return target or db.opened_target() or db.resolve_target(None)


def _sqlite_path(target: str | None) -> Path:
    resolved = _target(target)
    if db.is_url(resolved):
        raise HotlineError(N_("PostgreSQL 数据库请用 pg_dump 备份与恢复，见 README"))
    return Path(resolved)


def backup_to(output: Path, target: str | None = None) -> Path:
    """Copy the database ``target`` to ``output`` consistently, even while it is in use."""
    source = _sqlite_path(target)
    if not source.exists():
        raise HotlineError(N_("数据库文件不存在：{path}"), path=str(source))
    output = Path(output)
    if output.exists():
        raise HotlineError(N_("目标文件已存在，未覆盖：{path}"), path=str(output))
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    try:
        _copy(source, partial, read_only=True)
        partial.replace(output)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise HotlineError(N_("备份失败：{reason}"), reason=file_errors.reason(exc)) from exc
    log.info("backed up %s to %s", source, output)
    return output


def _copy(source: Path, destination: Path, *, read_only: bool) -> None:
    """SQLite online backup of ``source`` into a new file ``destination`` (rollback journal)."""
    uri = f"{source.resolve().as_uri()}{'?mode=ro' if read_only else ''}"
    with (
        closing(sqlite3.connect(uri, uri=True)) as src,
        closing(sqlite3.connect(str(destination))) as dst,
    ):
        src.backup(dst, pages=1024)
        dst.execute("PRAGMA journal_mode=DELETE")


def check_backup(path: Path) -> BackupCheck:
    """Integrity, schema version and audit chain of a backup file, without changing it."""
    from hotline import migrations

    path = Path(path)
    if not path.exists():
        return BackupCheck(False, N_("文件不存在：{path}"), {"path": str(path)})
    with path.open("rb") as handle:
        if handle.read(16) != db.SQLITE_HEADER:
            return BackupCheck(
                False, N_("文件 {path} 不是本程序的数据库，未做任何改动。"), {"path": str(path)}
            )
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                return BackupCheck(False, N_("备份文件已损坏：{reason}"), {"reason": result})
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if "schema_version" not in tables:
                return BackupCheck(
                    False, N_("该数据库不是本程序创建的（缺少版本表），未做任何改动。")
                )
            (version,) = conn.execute("SELECT max(version) FROM schema_version").fetchone()
            (cases,) = conn.execute('SELECT count(*) FROM "case"').fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return BackupCheck(False, N_("备份文件已损坏：{reason}"), {"reason": str(exc)})
    if version > migrations.latest_version():
        return BackupCheck(
            False, N_("备份由更新版本的程序写入（架构版本 {found}），不能恢复"), {"found": version}
        )
    verdict = _verify_chain(path)
    if not verdict.ok:
        return BackupCheck(
            False,
            N_("备份中的审计链在第 {entry} 条处断开（{problem}），不能恢复"),
            {"entry": verdict.bad_entry_id, "problem": verdict.problem},
            version,
            cases,
        )
    return BackupCheck(True, "", None, version, cases, verdict.checked)


def _verify_chain(path: Path) -> audit.VerifyResult:
    from peewee import SqliteDatabase

    other = SqliteDatabase(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        with other.bind_ctx([AuditEntry, AuditHead]):
            return audit.verify()
    finally:
        other.close()


def restore_from(source: Path, target: str | None = None) -> Path | None:
    """Replace the database with ``source`` after checking it; returns where the old one went."""
    check = check_backup(Path(source))
    if not check.ok:
        raise HotlineError(check.problem, **(check.params or {}))
    destination = _sqlite_path(target)
    db.close()
    kept: Path | None = None
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    if destination.exists():
        kept = destination.with_name(f"{destination.name}.replaced-{stamp}")
        # A consistent copy of the old database (including what is still in its WAL).
        _copy(destination, kept, read_only=False)
    incoming = destination.with_name(destination.name + ".restoring")
    _copy(Path(source), incoming, read_only=True)
    for suffix in ("-wal", "-shm"):
        Path(str(destination) + suffix).unlink(missing_ok=True)
    incoming.replace(destination)
    log.info("restored %s from %s; previous database kept at %s", destination, source, kept)
    return kept


def auto_backup(
    directory: Path,
    keep: int = 7,
    target: str | None = None,
    every: dt.timedelta = dt.timedelta(days=1),
) -> Path | None:
    """Make a backup in ``directory`` if the newest one is older than ``every``; keep ``keep``."""
    resolved = _target(target)
    if db.is_url(resolved):
        return None
    directory.mkdir(parents=True, exist_ok=True)
    existing = sorted(directory.glob(f"{AUTO_PREFIX}*.sqlite3"))
    now = clock.now()
    made = None
    if not existing or now - _stamp_of(existing[-1]) >= every:
        made = backup_to(directory / f"{AUTO_PREFIX}{now:%Y%m%d-%H%M%S}.sqlite3", resolved)
        existing.append(made)
    for old in existing[: max(0, len(existing) - keep)]:
        old.unlink(missing_ok=True)
    return made


def _stamp_of(path: Path) -> dt.datetime:
    try:
        return dt.datetime.strptime(path.stem[len(AUTO_PREFIX) :], "%Y%m%d-%H%M%S")
    except ValueError:
        return dt.datetime.min


def disk_free(path: Path) -> int:
    return shutil.disk_usage(path if path.is_dir() else path.parent).free
