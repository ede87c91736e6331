"""Turning core exceptions into messages the user can read, in their language."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from hotline import file_errors, transactions
from hotline.errors import ConflictError, HotlineError, PermissionDenied, ValidationError
from hotline.i18n import _

log = logging.getLogger(__name__)


def error_text(exc: BaseException) -> str:
    exc = transactions.translate_write_error(
        transactions.first_failure(exc)
    )  # disk full, read-only: our words
    if isinstance(exc, ValidationError):
        return "\n".join(p.text for p in exc.problems)
    if isinstance(exc, HotlineError):
        return exc.text
    if isinstance(exc, OSError):
        return _("无法读写文件 {path}：{reason}").format(
            path=exc.filename or "", reason=file_errors.reason(exc)
        )
    log.error("unexpected error", exc_info=exc)
    return _("发生意外错误：{error}。已写入日志，您输入的内容仍保留。").format(error=str(exc))


def show_error(parent: QWidget | None, exc: BaseException, title: str | None = None) -> None:
    if isinstance(exc, ConflictError):
        heading = _("内容已被他人修改")
    elif isinstance(exc, PermissionDenied):
        heading = _("没有权限")
    elif isinstance(exc, ValidationError):
        heading = _("请修改标出的内容")
    else:
        heading = title or _("操作未完成")
    QMessageBox.warning(parent, heading, error_text(exc))
