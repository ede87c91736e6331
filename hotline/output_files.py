"""Every file the program writes: never over the database, never half a file, owner-only.

Exports, the audit export, reports, rejects files, backups and drafts all go through
:func:`replacing` (or :func:`copy_file` / :func:`copy_sqlite`), which

- refuse a target that is, or resolves to (a link, ``..``, another spelling, a hard link), the
  open database, its ``-wal``/``-shm``/``-journal``, or a file the command is about to read
  (``reading``: an import's input, the database a backup copies). A target that is a link
  to an allowed file replaces that file; the link stays;
- write into a temporary file beside the target, flush it to disk and only then put it in
  place, so a failed write (full disk) or a killed program leaves the old file untouched.
  On Linux the temporary file has no name at all (``O_TMPFILE``) until it is complete, so a
  kill leaves nothing; elsewhere it is named ``.<name>.<random>.hotline-partial``, locked while
  written, and removed by the next write to the same folder if its writer is gone;
- create files readable by their owner only (``0600``); folders the program makes are ``0700``
  (:func:`hotline.private_files.private_folder`). Folders the user chose are left as they are.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from pathlib import Path
from typing import IO, Any

from hotline import file_errors, targets
from hotline.errors import HotlineError
from hotline.i18n import N_
from hotline.private_files import FILE_MODE

log = logging.getLogger(__name__)

PARTIAL = ".hotline-partial"
DATABASE_SIDECARS = ("-wal", "-shm", "-journal")

CANNOT_WRITE = N_("无法写入 {path}：{reason}")
NO_FOLDER = N_("无法写入 {path}：文件夹 {folder} 不存在")
IS_FOLDER = N_("无法写入 {path}：这是一个文件夹，请指定文件名")
IS_DATABASE = N_(
    "不能写入 {path}：它就是正在使用的数据库 {database}（或其附属文件），未做任何改动。"
)
IS_SOURCE = N_("不能写入 {path}：它就是要读取的文件 {source}，未做任何改动。")
EXISTS = N_("目标文件已存在，未覆盖：{path}")

PathLike = str | os.PathLike[str]


def database_files(path: PathLike) -> list[Path]:
    """An SQLite file and the files SQLite keeps beside it."""
    main = Path(path)
    return [main, *(Path(f"{main}{suffix}") for suffix in DATABASE_SIDECARS)]


def _open_database_files() -> list[Path]:
    target = targets.opened()
    if not target or targets.is_url(target):
        return []
    return database_files(target)


def _same_file(raw: Path, real: Path, other: Path) -> bool:
    with contextlib.suppress(OSError):
        if raw.exists() and other.exists():
            return os.path.samefile(raw, other)  # hard links and other spellings too
    return os.path.normcase(real) == os.path.normcase(os.path.realpath(other))


def check_target(path: PathLike, *, reading: Iterable[PathLike] = ()) -> Path:
    """The real path to write for ``path`` (links resolved), or :class:`HotlineError` when it
    is the open database (or one of its files) or one of the files in ``reading``."""
    raw = Path(path).expanduser()
    if raw.is_dir():
        raise HotlineError(IS_FOLDER, path=str(raw))
    real = Path(os.path.realpath(raw))
    for protected in _open_database_files():
        if _same_file(raw, real, protected):
            raise HotlineError(IS_DATABASE, path=str(raw), database=str(protected))
    for source in reading:
        if _same_file(raw, real, Path(source)):
            raise HotlineError(IS_SOURCE, path=str(raw), source=str(source))
    if not real.parent.is_dir():
        raise HotlineError(NO_FOLDER, path=str(raw), folder=str(real.parent))
    return real


def output_path(out: PathLike, default_name: str) -> Path:
    """The file to write: ``out``, or ``default_name`` inside ``out`` when it is a folder."""
    path = Path(out).expanduser()
    if path.is_dir():
        return path / default_name
    if not path.parent.is_dir():
        raise HotlineError(NO_FOLDER, path=str(path), folder=str(path.parent))
    return path


def _reason(exc: BaseException) -> str:
    return file_errors.reason(exc)  # a full or read-only disk in the user's language


def _lock(fd: int) -> None:
    """Mark a named temporary file as in use (POSIX), so no other writer removes it."""
    with contextlib.suppress(ImportError, OSError):
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def remove_stale(target: Path) -> None:
    """Remove the named temporary files (and their SQLite journals) that a killed writer of
    ``target`` left behind; one still being written is locked and kept."""
    for partial in target.parent.glob(f".{target.name}.*{PARTIAL}"):
        try:
            fd = os.open(partial, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        except OSError:
            continue
        try:
            try:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except ImportError:
                pass  # Windows: a file still open cannot be removed below
            except OSError:
                continue  # its writer is still at work
            for path in database_files(partial):
                with contextlib.suppress(OSError):
                    path.unlink()
                    log.info("removed %s left by an interrupted write", path)
        finally:
            os.close(fd)


def _named_temp(target: Path) -> tuple[int, Path]:
    name = target.with_name(f".{target.name}.{secrets.token_hex(4)}{PARTIAL}")
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(name, flags, FILE_MODE)
    _lock(fd)
    return fd, name


def _temp(target: Path) -> tuple[int, Path | None]:
    """A new, empty, owner-only file in ``target``'s folder: unnamed where the system can."""
    tmpfile = getattr(os, "O_TMPFILE", 0)
    if tmpfile:
        try:
            return os.open(target.parent, tmpfile | os.O_RDWR, FILE_MODE), None
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
                raise
    return _named_temp(target)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _name_unnamed(fd: int, target: Path) -> Path | None:
    """Give the complete unnamed file (``O_TMPFILE``) a name: ``target`` itself when there is
    no file by that name (returns None), else a temporary name beside it to rename."""
    proc = f"/proc/self/fd/{fd}"
    folder = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        # dst_dir_fd makes Python call linkat(AT_SYMLINK_FOLLOW), which names the file itself.
        try:
            os.link(proc, target.name, dst_dir_fd=folder, follow_symlinks=True)
            return None
        except FileExistsError:
            temp_name = f".{target.name}.{secrets.token_hex(4)}{PARTIAL}"
            os.link(proc, temp_name, dst_dir_fd=folder, follow_symlinks=True)
            return target.with_name(temp_name)
        except OSError:  # no /proc, or a file system that cannot: copy it into a named file
            copy, name = _named_temp(target)
            try:
                os.lseek(fd, 0, os.SEEK_SET)
                while chunk := os.read(fd, 1 << 20):
                    os.write(copy, chunk)
                os.fsync(copy)
            except BaseException:
                with contextlib.suppress(OSError):
                    name.unlink()
                raise
            finally:
                os.close(copy)
            return name
    finally:
        os.close(folder)


def _publish(fd: int, temp: Path | None, target: Path) -> None:
    """Put the complete temporary file in place of ``target`` in one step."""
    named = temp if temp is not None else _name_unnamed(fd, target)
    if named is not None:
        try:
            os.replace(named, target)
        except BaseException:
            if temp is None:  # the name given here; the caller removes its own
                with contextlib.suppress(OSError):
                    named.unlink()
            raise
    _sync_folder(target.parent)


@contextlib.contextmanager
def replacing(
    path: PathLike,
    *,
    reading: Iterable[PathLike] = (),
    encoding: str | None = None,
    newline: str | None = None,
) -> Iterator[IO[Any]]:
    """A new file (text with ``encoding``, else binary) that becomes ``path`` when the block
    ends without an error; on an error ``path`` keeps its old contents and no temporary file
    is left. Raises :class:`HotlineError` for a refused target or a failed write."""
    reading = list(reading)
    target = check_target(path, reading=reading)
    remove_stale(target)
    try:
        fd, temp = _temp(target)
    except OSError as exc:
        raise HotlineError(CANNOT_WRITE, path=str(path), reason=_reason(exc)) from exc
    try:
        mode = "w" if encoding else "wb"
        with os.fdopen(fd, mode, encoding=encoding, newline=newline, closefd=False) as handle:
            yield handle
            handle.flush()
            os.fsync(fd)
        check_target(path, reading=reading)  # nothing swapped in a link meanwhile
        _publish(fd, temp, target)
    except BaseException as exc:
        if temp is not None:
            with contextlib.suppress(OSError):
                temp.unlink()
        if isinstance(exc, OSError):
            raise HotlineError(CANNOT_WRITE, path=str(path), reason=_reason(exc)) from exc
        raise
    finally:
        os.close(fd)


def copy_file(source: PathLike, target: PathLike) -> Path:
    """Copy ``source`` to ``target`` through :func:`replacing`."""
    import shutil

    try:
        with (
            open(source, "rb") as reader,
            replacing(target, reading=[source]) as writer,
        ):
            shutil.copyfileobj(reader, writer, 1 << 20)
    except OSError as exc:
        raise HotlineError(CANNOT_WRITE, path=str(target), reason=_reason(exc)) from exc
    return Path(target)


def copy_sqlite(
    source: PathLike,
    target: PathLike,
    *,
    overwrite: bool = False,
    progress: Callable[[int, int], object] | None = None,
) -> Path:
    """A consistent copy of the SQLite database ``source`` (SQLite's online backup, even
    while it is written to) as a rollback-journal file ``target``, owner-only.

    The copy is made in a locked, recognisably named temporary file with no journal (a
    half-made copy is thrown away anyway, so SQLite has no ``-journal`` to leave behind),
    then renamed into place. ``target`` must not be ``source`` or one of its files.
    """
    source = Path(source)
    real = check_target(target, reading=database_files(source))
    if real.exists() and not overwrite:
        raise HotlineError(EXISTS, path=str(target))
    remove_stale(real)
    fd = -1
    temp: Path | None = None
    try:
        fd, temp = _named_temp(real)
        uri = f"{source.resolve().as_uri()}?mode=ro"
        with (
            closing(sqlite3.connect(uri, uri=True)) as src,
            closing(sqlite3.connect(str(temp))) as dst,
        ):
            dst.execute("PRAGMA journal_mode=OFF")
            report = sqlite_progress(progress)
            if report is None:
                src.backup(dst, pages=1024)
            else:
                src.backup(dst, pages=1024, progress=report)
            # The copied header says WAL when the source is: make the copy one plain file.
            dst.execute("PRAGMA journal_mode=DELETE")
        os.fsync(fd)
        check_target(target, reading=database_files(source))
        os.replace(temp, real)
        temp = None
        _sync_folder(real.parent)
    except (sqlite3.Error, OSError) as exc:
        raise HotlineError(CANNOT_WRITE, path=str(target), reason=_reason(exc)) from exc
    finally:
        if temp is not None:
            for leftover in database_files(temp):
                with contextlib.suppress(OSError):
                    leftover.unlink()
        if fd >= 0:
            os.close(fd)
    return real


def sqlite_progress(
    progress: Callable[[int, int], object] | None,
) -> Callable[[int, int, int], object] | None:
    """SQLite's backup callback (status, remaining, total pages) as ``progress(done, total)``."""
    if progress is None:
        return None

    def report(_status: int, remaining: int, total: int) -> None:
        progress(total - remaining, total)

    return report
