"""Why a file could not be written, in the user's language (a full or read-only disk first).

The operating system's own text (``No space left on device``) is English whatever the
interface language; the errors a user can do something about get a message of ours.
"""

from __future__ import annotations

import errno
import sqlite3

from hotline.i18n import N_, _

MSG_FULL = N_("磁盘已满")
MSG_QUOTA = N_("磁盘配额已用完")
MSG_READ_ONLY = N_("磁盘或文件是只读的")
MSG_TOO_BIG = N_("文件超过了系统允许的大小")
MSG_DENIED = N_("没有写入权限")
MSG_IO = N_("磁盘读写出错")

_ERRNO = {
    errno.ENOSPC: MSG_FULL,
    getattr(errno, "EDQUOT", -1): MSG_QUOTA,
    errno.EROFS: MSG_READ_ONLY,
    errno.EFBIG: MSG_TOO_BIG,
    errno.EACCES: MSG_DENIED,
    errno.EPERM: MSG_DENIED,
    errno.EIO: MSG_IO,
}
# SQLite's primary result codes, for files SQLite writes itself (a backup copy).
_SQLITE = (
    ("SQLITE_FULL", MSG_FULL),
    ("SQLITE_READONLY", MSG_READ_ONLY),
    ("SQLITE_IOERR", MSG_IO),
    ("SQLITE_CANTOPEN", MSG_DENIED),
)


def reason(exc: BaseException) -> str:
    """A short, translated reason for a failed file write (else the system's own text)."""
    from hotline.errors import HotlineError

    if isinstance(exc, HotlineError):  # already said in our words (hotline.output_files)
        return exc.text
    if isinstance(exc, OSError) and exc.errno in _ERRNO:
        return _(_ERRNO[exc.errno])
    name = getattr(exc, "sqlite_errorname", None)
    if isinstance(exc, sqlite3.Error) and name:
        for prefix, message in _SQLITE:
            if name.startswith(prefix):
                return _(message)
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)
