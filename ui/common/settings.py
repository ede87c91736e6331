"""The workstation's own settings (language, idle lock, window layout) in one typed object.

Settings live in an INI file in the user's data directory (``HOTLINE_HOME`` in tests), read
and written through ``QSettings``. Administrator settings shared by all workstations (deadline
policy, holidays) are in the database instead, see :mod:`hotline.admin`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QCloseEvent, QHideEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QSplitter, QWidget

from hotline import paths
from hotline.i18n import LOCALES, normalize_locale

log = logging.getLogger(__name__)
_T = TypeVar("_T")

DEFAULTS: dict[str, Any] = {
    "language": "zh_CN",
    "idle_lock_minutes": 15,  # 0: never lock
    "backups_kept": 7,  # automatic daily backups kept in the data folder; 0: none made
    "last_username": "",
    "reminder_messages": True,  # tray notifications of new reminders
    "case_list/hidden_columns": "",  # the columns the user hid (ui.case_list.columns.KEYS)
}


def _as_bool(value: Any) -> bool:
    """A flag as QSettings' INI files hand it back: a bool, or the text "true"/"false"."""
    if isinstance(value, str):
        if value.strip().lower() in ("true", "1", "yes"):
            return True
        if value.strip().lower() in ("false", "0", "no"):
            return False
        raise ValueError(value)
    return bool(value)


def qsettings() -> QSettings:
    return QSettings(str(paths.data_dir() / "settings.ini"), QSettings.Format.IniFormat)


class AppSettings:
    """Typed access to the workstation settings, with their defaults in one place."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store or qsettings()

    def _get(self, key: str, kind: Callable[[Any], _T]) -> _T:
        value = self._store.value(key, DEFAULTS[key])
        try:
            return kind(value)
        except (TypeError, ValueError):
            log.warning("setting %s has an unreadable value %r; using the default", key, value)
            default: _T = DEFAULTS[key]
            return default

    @property
    def language(self) -> str:
        value = normalize_locale(self._get("language", str))
        return value if value in LOCALES else DEFAULTS["language"]

    @language.setter
    def language(self, value: str) -> None:
        self._store.setValue("language", normalize_locale(value))

    @property
    def idle_lock_minutes(self) -> int:
        return max(0, min(240, self._get("idle_lock_minutes", int)))

    @idle_lock_minutes.setter
    def idle_lock_minutes(self, value: int) -> None:
        self._store.setValue("idle_lock_minutes", int(value))

    @property
    def backups_kept(self) -> int:
        return max(0, min(365, self._get("backups_kept", int)))

    @backups_kept.setter
    def backups_kept(self, value: int) -> None:
        self._store.setValue("backups_kept", int(value))

    @property
    def reminder_messages(self) -> bool:
        """Whether new reminders are announced in the system tray (counts show regardless)."""
        return self._get("reminder_messages", _as_bool)

    @reminder_messages.setter
    def reminder_messages(self, value: bool) -> None:
        self._store.setValue("reminder_messages", bool(value))

    @property
    def last_username(self) -> str:
        return self._get("last_username", str)

    @last_username.setter
    def last_username(self, value: str) -> None:
        self._store.setValue("last_username", value)

    @property
    def hidden_case_columns(self) -> set[str]:
        text = self._get("case_list/hidden_columns", str)
        return {key for key in text.split(",") if key}

    @hidden_case_columns.setter
    def hidden_case_columns(self, keys: set[str]) -> None:
        self._store.setValue("case_list/hidden_columns", ",".join(sorted(keys)))

    def sync(self) -> None:
        self._store.sync()

    # Window layout: geometry, splitters and table headers, under the window's key

    def save_layout(self, key: str, widget: QWidget) -> None:
        self._store.setValue(f"layout/{key}/geometry", widget.saveGeometry())
        for splitter in widget.findChildren(QSplitter):
            if splitter.objectName():
                self._store.setValue(f"layout/{key}/{splitter.objectName()}", splitter.saveState())
        for view in widget.findChildren(QAbstractItemView):
            header = getattr(view, "horizontalHeader", None)
            if view.objectName() and header is not None:
                self._store.setValue(f"layout/{key}/{view.objectName()}", header().saveState())
        self._store.sync()

    def restore_layout(self, key: str, widget: QWidget) -> bool:
        """Restore what :meth:`save_layout` stored; False when nothing was stored."""
        geometry = self._store.value(f"layout/{key}/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            widget.restoreGeometry(geometry)
        for splitter in widget.findChildren(QSplitter):
            state = self._store.value(f"layout/{key}/{splitter.objectName()}")
            if splitter.objectName() and isinstance(state, QByteArray):
                splitter.restoreState(state)
        for view in widget.findChildren(QAbstractItemView):
            header = getattr(view, "horizontalHeader", None)
            state = self._store.value(f"layout/{key}/{view.objectName()}")
            if view.objectName() and header is not None and isinstance(state, QByteArray):
                restored: QHeaderView = header()
                restored.restoreState(state)
        return isinstance(geometry, QByteArray) and not geometry.isEmpty()


class PreserveGeometry:
    """Mixin for a top-level widget: remembers its layout under ``layout_key`` (like Picard's).

    Call ``self.restore_layout()`` at the end of ``__init__``; the layout is saved when the
    widget is hidden or closed.
    """

    layout_key = ""

    def restore_layout(self) -> bool:
        assert isinstance(self, QWidget)
        return AppSettings().restore_layout(self.layout_key or type(self).__name__, self)

    def save_layout(self) -> None:
        assert isinstance(self, QWidget)
        AppSettings().save_layout(self.layout_key or type(self).__name__, self)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)  # type: ignore[misc]

    def hideEvent(self, event: QHideEvent) -> None:
        if not event.spontaneous():
            self.save_layout()
        super().hideEvent(event)  # type: ignore[misc]
