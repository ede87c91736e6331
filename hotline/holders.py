"""Who has an SQLite database open: one small record per process, locked while it is open.

Every process of this program that opens an SQLite file (the app, a command) writes a record
into the folder ``<database>.in-use`` beside it (operating-system user, signed-in user, host,
process id, since when, which command) and holds an operating-system lock on that record
until it closes the database (``flock`` on POSIX, ``msvcrt.locking`` on Windows). A record
whose lock can be taken belongs to a process that is gone (killed, crashed) and is removed.

``restore`` reads the records to name who has the database open; programs other than this
one (the ``sqlite3`` shell, DB Browser) leave no record and are found by SQLite's own locks
(see :func:`hotline.backup.restore_from`).
"""

from __future__ import annotations

import atexit
import contextlib
import getpass
import json
import logging
import os
import socket
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from hotline import clock

log = logging.getLogger(__name__)

SUFFIX = ".in-use"
# Windows locks are mandatory: lock a byte far beyond the record so that it stays readable.
_WINDOWS_LOCK_OFFSET = 1 << 30


@dataclass(frozen=True)
class Holder:
    """A process of this program that has the database open."""

    pid: int
    host: str
    os_user: str
    since: str
    command: str
    user: str = ""  # who signed in (the app), else empty

    @property
    def is_this_process(self) -> bool:
        return self.pid == os.getpid() and self.host == _host()


def folder_of(database: Path) -> Path:
    return database.with_name(database.name + SUFFIX)


def _host() -> str:
    return socket.gethostname() or "?"


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "?"


def _command() -> str:
    """What this process is, for a person: the program and its subcommand, no other arguments."""
    argv = sys.argv or [""]
    words = [Path(argv[0]).name]
    words += [a for a in argv[1:] if not a.startswith("-")][:1]
    return " ".join(w for w in words if w)[:80]


def _try_lock(fd: int) -> bool:
    """Take the record's lock without waiting; False when another process holds it."""
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows
            import msvcrt

            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


_release_lock = threading.Lock()


class _Record:
    """This process's record for one database, locked from creation until :meth:`release`."""

    def __init__(self, database: Path, user: str = "") -> None:
        self.folder = folder_of(database)
        self.path = self.folder / f"{_host()}-{os.getpid()}.json"
        self.fd: int | None = None
        self.since = clock.now().strftime("%Y-%m-%d %H:%M:%S")  # the program's own time
        self.user = user

    def acquire(self) -> None:
        self.folder.mkdir(mode=0o700, exist_ok=True)
        for _attempt in range(3):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            if not _try_lock(fd):  # pragma: no cover - another process with our pid and host
                os.close(fd)
                raise OSError(f"holder record {self.path} is locked by another process")
            # A restore that found the empty file unlocked may have removed it meanwhile.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                self.fd = fd
                self.write()
                return
            os.close(fd)

    def write(self) -> None:
        if self.fd is None:
            return
        record = Holder(os.getpid(), _host(), _os_user(), self.since, _command(), self.user)
        data = json.dumps(record.__dict__, ensure_ascii=False).encode("utf-8")
        os.lseek(self.fd, 0, os.SEEK_SET)
        os.ftruncate(self.fd, 0)
        os.write(self.fd, data)

    def release(self) -> None:
        # Two threads may close the database at once (the app's workers): only one of them
        # takes the descriptor; the other finds nothing left to release.
        with _release_lock:
            fd, self.fd = self.fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        with contextlib.suppress(OSError):
            os.close(fd)  # closing releases the lock
        with contextlib.suppress(OSError):
            self.folder.rmdir()  # only when empty


_held: _Record | None = None


def hold(database: Path) -> None:
    """Record that this process has ``database`` open (replacing a record for another one)."""
    global _held
    database = Path(database)
    if _held is not None:
        if _held.folder == folder_of(database):
            return
        release()
    record = _Record(database)
    try:
        record.acquire()
    except OSError as exc:  # a read-only folder: the database itself will say so
        log.warning("could not record that %s is open: %s", database, exc)
        return
    _held = record


def set_user(name: str) -> None:
    """Add who signed in to this process's record."""
    if _held is not None:
        _held.user = name
        with contextlib.suppress(OSError):
            _held.write()


def release() -> None:
    global _held
    if _held is not None:
        _held.release()
        _held = None


# A process that ends without closing the database removes its record too; a killed one
# leaves it unlocked, and the next look finds it stale.
atexit.register(release)


def holders(database: Path) -> list[Holder]:
    """The other processes of this program that have ``database`` open now.

    Records left by processes that are gone are removed on the way.
    """
    folder = folder_of(Path(database))
    found: list[Holder] = []
    try:
        paths = sorted(folder.glob("*.json"))
    except OSError:
        return found
    for path in paths:
        if _held is not None and path == _held.path:
            continue
        try:
            fd = os.open(path, os.O_RDWR)
        except PermissionError:  # another user's record: it may well be alive
            found.append(_read(path))
            continue
        except OSError:
            continue
        try:
            if _try_lock(fd):  # nobody holds it: the process is gone
                with contextlib.suppress(OSError):
                    path.unlink()
                continue
            found.append(_read(path))
        finally:
            os.close(fd)
    return found


def _read(path: Path) -> Holder:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Holder(**{k: data[k] for k in Holder.__dataclass_fields__ if k in data})
    except (OSError, ValueError, TypeError):  # still being written: name what the file says
        host, _, pid = path.stem.rpartition("-")
        return Holder(int(pid) if pid.isdigit() else 0, host, "?", "?", "?")
