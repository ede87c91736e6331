"""Backups: consistent online copies, checks before a restore, automatic rotated copies.

SQLite's online backup API copies a database while the app keeps writing to it. A file is
restored only after it passes SQLite's integrity check, carries exactly the schema this program
creates for its version and an intact audit chain, and only while no program has the database
open; the database it replaces is kept aside, never deleted.
PostgreSQL centres back up with ``pg_dump`` (see README).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from hotline import audit, clock, db, output_files, private_files
from hotline.errors import DatabaseUnavailable, HotlineError
from hotline.i18n import N_, _
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
    audit_last_id: int = 0  # the backup's audit head: its anchor
    audit_last_hash: str = ""


def _target(target: str | None) -> str:
    """``target``, else the database open now, else the configured one."""
    return target or db.opened_target() or db.resolve_target(None)


def _sqlite_path(target: str | None) -> Path:
    resolved = _target(target)
    if db.is_url(resolved):
        raise HotlineError(N_("PostgreSQL 数据库请用 pg_dump 备份与恢复，见 README"))
    return Path(resolved)


Progress = Callable[[int, int], object]  # (pages copied, pages in all), from the copying thread


def backup_to(output: Path, target: str | None = None, progress: Progress | None = None) -> Path:
    """Copy the database ``target`` to ``output`` consistently, even while it is in use."""
    source = _sqlite_path(target)
    if not source.exists():
        raise HotlineError(N_("数据库文件不存在：{path}"), path=str(source))
    output = Path(output)
    private_files.private_folder(output.parent)
    # Never over the database or its files; complete or not at all; owner-only.
    output_files.copy_sqlite(source, output, progress=progress)
    log.info("backed up %s to %s", source, output)
    return output


def check_backup(path: Path, expect: audit.Anchor | None = None) -> BackupCheck:
    """Integrity, schema and audit chain of a backup file, without changing it.

    The schema must be exactly what this program creates for the backup's schema version
    (:mod:`hotline.schema_check`). The chain must be intact, end where the anchor recorded
    beside the backup says (when there is one), and hold ``expect`` when given.
    """
    from hotline import migrations, schema_check

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
            version = int(version or 0)
            if version > migrations.latest_version():
                return BackupCheck(
                    False,
                    N_("备份由更新版本的程序写入（架构版本 {found}），不能恢复"),
                    {"found": version},
                )
            differs = schema_check.differences(conn, version)
            if differs:
                return BackupCheck(
                    False,
                    N_(
                        "备份的数据库结构与本程序架构版本 {version} 创建的不同（{differences}），不能恢复"
                    ),
                    {"version": version, "differences": schema_check.summary(differs)},
                    version,
                )
            (cases,) = conn.execute('SELECT count(*) FROM "case"').fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return BackupCheck(False, N_("备份文件已损坏：{reason}"), {"reason": str(exc)})
    verdict = _verify_chain(path, expect)
    if not verdict.ok:
        return BackupCheck(
            False,
            N_("备份中的审计链未通过核对，不能恢复：{problem}"),
            {"problem": audit.describe(verdict)},
            version,
            cases,
        )
    recorded = read_anchor(path)
    if recorded is not None and (recorded.entry, recorded.hash) != (
        verdict.last_id,
        verdict.last_hash,
    ):
        return BackupCheck(
            False,
            N_("备份中的审计链与备份时记下的不符（备份时到{recorded}，现在到{found}），不能恢复"),
            {
                "recorded": audit.anchor_text(entry=recorded.entry, digest=recorded.hash),
                "found": audit.anchor_text(verdict),
            },
            version,
            cases,
        )
    return BackupCheck(
        True, "", None, version, cases, verdict.checked, verdict.last_id, verdict.last_hash
    )


def _verify_chain(path: Path, expect: audit.Anchor | None = None) -> audit.VerifyResult:
    from peewee import SqliteDatabase

    other = SqliteDatabase(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        with other.bind_ctx([AuditEntry, AuditHead]):
            return audit.verify(expect=expect)
    finally:
        other.close()


# The anchor of a backup: its audit chain's last entry, written beside it when it is made
# (``<backup>.audit.json``) and printed by ``backup``; a restore checks the backup against it.
ANCHOR_SUFFIX = ".audit.json"


def anchor_path(backup: Path) -> Path:
    return Path(backup).with_name(Path(backup).name + ANCHOR_SUFFIX)


def record_anchor(backup: Path) -> audit.Anchor:
    """Write the backup's audit head beside it; returns it. Reads the file with sqlite3 only
    (safe in the app's worker threads)."""
    uri = f"{Path(backup).resolve().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        row = conn.execute("SELECT last_id, last_hash FROM audit_head WHERE id = 1").fetchone()
    anchor = audit.Anchor(int(row[0]), str(row[1])) if row else audit.Anchor(0, "")
    data = {"audit_last_entry": anchor.entry, "audit_last_hash": anchor.hash}
    with output_files.replacing(anchor_path(backup), encoding="utf-8") as handle:
        json.dump(data, handle)
    return anchor


def read_anchor(backup: Path) -> audit.Anchor | None:
    try:
        data = json.loads(anchor_path(backup).read_text(encoding="utf-8"))
        return audit.Anchor(int(data["audit_last_entry"]), str(data["audit_last_hash"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def prune_anchors(folder: Path) -> None:
    """Remove anchors whose backup is gone (automatic backups are rotated)."""
    for anchor in Path(folder).glob(f"*{ANCHOR_SUFFIX}"):
        if not anchor.with_name(anchor.name[: -len(ANCHOR_SUFFIX)]).exists():
            anchor.unlink(missing_ok=True)


MSG_IN_USE = N_(
    "数据库正被使用，不能恢复，数据库没有改动：{holders}。请先在这些电脑上退出热线程序（或结束这些进程），再恢复。"
)
MSG_IN_USE_OTHER = N_(
    "数据库 {path} 正被其他程序打开（例如 sqlite3 命令行或数据库查看工具），不能恢复，数据库没有改动。请先关闭该程序，再恢复。"
)


def _refuse_if_held(destination: Path) -> None:
    from hotline import holders

    found = holders.holders(destination)
    if found:
        described = "；".join(
            _("{user}（{host} 上的 {command}，进程 {pid}，{since} 起）").format(
                user=h.user or h.os_user,
                host=h.host,
                command=h.command,
                pid=h.pid,
                since=h.since,
            )
            for h in found
        )
        raise DatabaseUnavailable(MSG_IN_USE, holders=described)


def check_restore_target(target: str | None = None) -> Path:
    """The SQLite file a restore would replace, if no other program has it open now (asked
    before the app closes its windows for a restore); refused with the core's message."""
    destination = _sqlite_path(target)
    if destination.exists():
        _refuse_if_held(destination)
    return destination


def restore_from(
    source: Path,
    target: str | None = None,
    expect: audit.Anchor | None = None,
    progress: Progress | None = None,
) -> Path | None:
    """Replace the database with ``source`` after checking it; returns where the old one went.

    Refused while any process has the database open: this program's processes are named by
    their records (:mod:`hotline.holders`); others are found by SQLite's own locks. Then,
    holding SQLite's exclusive lock on the database, everything committed (its WAL included)
    is checkpointed and copied aside, and the backup is copied into the database through
    SQLite's backup API: a restore that is killed half-way is rolled back by SQLite's journal.
    """
    check = check_backup(Path(source), expect)
    if not check.ok:
        raise HotlineError(check.problem, **(check.params or {}))
    destination = _sqlite_path(target)
    db.close()
    if not destination.exists():
        destination.parent.mkdir(parents=True, exist_ok=True)
        output_files.copy_sqlite(Path(source), destination, progress=progress)
        log.info("restored %s from %s", destination, source)
        return None
    _refuse_if_held(destination)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    kept = destination.with_name(f"{destination.name}.replaced-{stamp}")
    for n in range(2, 1000):  # two restores within a second keep both old databases
        if not kept.exists():
            break
        kept = destination.with_name(f"{destination.name}.replaced-{stamp}-{n}")
    live = sqlite3.connect(str(destination), timeout=0, isolation_level=None)
    unreadable = False
    try:
        live.execute("PRAGMA locking_mode=EXCLUSIVE")
        try:
            # Every connection to a WAL database holds a shared lock on the file as long as
            # it is open, so this fails while any program (ours or not) has it open.
            live.execute("BEGIN EXCLUSIVE")
            live.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                raise DatabaseUnavailable(MSG_IN_USE_OTHER, path=str(destination)) from exc
            raise
        _refuse_if_held(destination)  # a program that started meanwhile, now locked out
        try:
            live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.DatabaseError as exc:  # a damaged WAL: kept aside as it is below
            log.warning("could not checkpoint %s before restoring: %s", destination, exc)
        _keep_aside(destination, kept)
        # SQLite leaves WAL itself (its WAL now empty) and removes the WAL file.
        live.execute("PRAGMA journal_mode=DELETE")
        uri = f"{Path(source).resolve().as_uri()}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as incoming:
            incoming.backup(live, pages=1024, progress=output_files.sqlite_progress(progress))
        # Still under the exclusive lock, so no WAL connection can be using it.
        Path(str(destination) + "-shm").unlink(missing_ok=True)
    except sqlite3.OperationalError as exc:  # disk full, I/O error: rolled back by SQLite
        raise HotlineError(N_("恢复失败，数据库没有改动：{reason}"), reason=str(exc)) from exc
    except sqlite3.DatabaseError as exc:  # not a database, or damaged: replaced whole below
        log.warning("database %s is unreadable (%s): replacing the file", destination, exc)
        unreadable = True
    finally:
        live.close()
    if unreadable:
        _replace_unreadable(Path(source), destination, kept)
    log.info("restored %s from %s; previous database kept at %s", destination, source, kept)
    return kept


_COMPANIONS = ("-wal", "-journal")  # files that may hold part of a database's data


def _keep_aside(destination: Path, kept: Path) -> None:
    """Copy the database file and whatever of it a WAL or journal still holds, byte for byte
    (under SQLite's exclusive lock, or for a file no program can read)."""
    output_files.copy_file(destination, kept)  # owner-only, complete or not at all
    for suffix in _COMPANIONS:
        companion = Path(str(destination) + suffix)
        if companion.exists() and companion.stat().st_size > 0:
            output_files.copy_file(companion, str(kept) + suffix)


def _replace_unreadable(source: Path, destination: Path, kept: Path) -> None:
    """Replace a file SQLite cannot read (restore's very use case), keeping every byte of it
    and of its WAL and journal aside first."""
    _refuse_if_held(destination)
    if not kept.exists():
        _keep_aside(destination, kept)
    incoming = destination.with_name(destination.name + ".restoring")
    output_files.copy_sqlite(source, incoming, overwrite=True)
    for suffix in (*_COMPANIONS, "-shm"):  # copied aside above: they belong to the old file
        Path(str(destination) + suffix).unlink(missing_ok=True)
    incoming.replace(destination)


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
    private_files.private_folder(directory)
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
