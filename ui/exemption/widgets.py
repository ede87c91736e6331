"""Answer controls where "not known" is a choice like any other.

``TriState`` (是 / 否 / 不清楚), ``HarmChoice`` (没有 / 轻微 / 较重 / 不清楚), ``DateFact`` (a
date, or 不清楚) and ``EndDateFact`` (不清楚 / 一次性行为 / 持续到 a date). Each starts at
"unknown", says when the user changes it (``changed``) and gives its value as the facts
JSON has it: ``True``/``False``/``None``, a harm code or ``None``, an ISO date or ``None``.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QRadioButton,
    QWidget,
)

from hotline import clock
from hotline.i18n import _

UNKNOWN_STYLE = "QRadioButton#unknownChoice { color: #5f6368; }"


class Choices(QWidget):
    """A row of radio buttons, one checked; the last one means "not known"."""

    changed = Signal()

    def __init__(self, options: list[tuple[str, object]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(14)
        self.group = QButtonGroup(self)
        self.buttons: list[tuple[QRadioButton, object]] = []
        for index, (label, value) in enumerate(options):
            button = QRadioButton(label)
            if value is None:
                button.setObjectName("unknownChoice")
            self.group.addButton(button, index)
            self.buttons.append((button, value))
            row.addWidget(button)
        row.addStretch(1)
        self.setStyleSheet(UNKNOWN_STYLE)
        self.set_value(None)
        self.group.idToggled.connect(self._toggled)

    def _toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self.changed.emit()

    def value(self) -> object:
        for button, value in self.buttons:
            if button.isChecked():
                return value
        return None

    def set_value(self, value: object) -> None:
        for button, option in self.buttons:
            if option == value:
                button.blockSignals(True)
                button.setChecked(True)
                button.blockSignals(False)
                return

    def button_for(self, value: object) -> QRadioButton:
        return next(button for button, option in self.buttons if option == value)


class TriState(Choices):
    def __init__(self, unknown: str = "", parent: QWidget | None = None) -> None:
        super().__init__(
            [(_("是"), True), (_("否"), False), (unknown or _("不清楚"), None)], parent
        )


class HarmChoice(Choices):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                (_("没有危害后果"), "none"),
                (_("轻微"), "minor"),
                (_("较重"), "serious"),
                (_("不清楚"), None),
            ],
            parent,
        )


def _iso_date(edit: QDateEdit) -> str:
    """The date shown, as YYYY-MM-DD (the stubs type ``QDate.toPython`` as ``object``)."""
    return cast(dt.date, edit.date().toPython()).isoformat()


def _date_edit() -> QDateEdit:
    edit: QDateEdit = QDateEdit(calendarPopup=True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMaximumDate(QDate(clock.today()))
    edit.setDate(QDate(clock.today()))
    return edit


class DateFact(QWidget):
    """A date, or "not known" (the default)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.date = _date_edit()
        self.unknown = QCheckBox(_("不清楚"))
        row.addWidget(self.date)
        row.addWidget(self.unknown)
        row.addStretch(1)
        self.unknown.setChecked(True)
        self.date.setEnabled(False)
        self.unknown.toggled.connect(self._toggled)
        self.date.dateChanged.connect(lambda _d: self.changed.emit())

    def _toggled(self, unknown: bool) -> None:
        self.date.setEnabled(not unknown)
        if not unknown:
            self.date.setFocus()
        self.changed.emit()

    def value(self) -> str | None:
        if self.unknown.isChecked():
            return None
        return _iso_date(self.date)

    def set_value(self, value: str | dt.date | None) -> None:
        self.blockSignals(True)
        if value is None:
            self.unknown.setChecked(True)
        else:
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
            self.date.setDate(QDate(day))
            self.unknown.setChecked(False)
        self.blockSignals(False)


class EndDateFact(Choices):
    """When the act ended: not known, a one-off act (the act's day), or a continuing act."""

    ONE_OFF = "one_off"
    UNTIL = "until"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                (_("一次性行为（同发生日期）"), self.ONE_OFF),
                (_("持续到"), self.UNTIL),
                (_("不清楚"), None),
            ],
            parent,
        )
        self.date = _date_edit()
        self.date.setEnabled(False)
        row = self.layout()
        assert isinstance(row, QHBoxLayout)
        row.insertWidget(2, self.date)
        self.changed.connect(lambda: self.date.setEnabled(self.mode() == self.UNTIL))
        self.date.dateChanged.connect(lambda _d: self.changed.emit())

    def mode(self) -> object:
        return Choices.value(self)

    def end_date(self, act_date: str | None) -> str | None:
        mode = self.mode()
        if mode == self.ONE_OFF:
            return act_date
        if mode == self.UNTIL:
            return _iso_date(self.date)
        return None

    def set_end(self, act_date: str | None, end_date: str | None) -> None:
        if end_date is None:
            self.set_value(None)
        elif end_date == act_date:
            self.set_value(self.ONE_OFF)
        else:
            self.date.blockSignals(True)
            self.date.setDate(QDate(dt.date.fromisoformat(end_date)))
            self.date.blockSignals(False)
            self.set_value(self.UNTIL)
        self.date.setEnabled(self.mode() == self.UNTIL)
