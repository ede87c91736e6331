"""The fields of the intake form, in the order an operator fills them while on the phone.

Each field has a key of :func:`hotline.intake.parse_intake` (``enterprise.name``, ``kind``, …)
and a message line under it for validation. ``values()`` gives the dict the core validates;
``set_values()`` puts one back (a restored draft); ``clear()`` starts a new case.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from hotline import clock
from hotline.enums import Category, Channel, Kind, Urgency
from hotline.i18n import _
from ui.common.choice_combos import ChoiceCombo

TEXT_KEYS = (
    "enterprise.name",
    "enterprise.uscc",
    "contact.name",
    "contact.phone",
    "subject",
    "description",
    "request",
)
COLUMNS = 6  # label, field; up to three fields side by side
FIRST_COLUMN = ("enterprise.name", "enterprise.uscc", "contact.name", "kind", "subject", "channel")
REQUIRED_MARK = '<span style="color:#b3261e">*</span>'


def _label(text: str, required: bool) -> QLabel:
    label = QLabel(f"{text}{REQUIRED_MARK}" if required else text)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


class IntakeFields(QWidget):
    """The form itself: widgets, their order, and their values as the core expects them."""

    edited = Signal(str)  # the key of the field the user changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.widgets: dict[str, QWidget] = {}
        self.messages: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)

        self.enterprise_name = QLineEdit(
            placeholderText=_("输入企业名称或信用代码，会提示已登记的企业")
        )
        self.enterprise_uscc = QLineEdit(placeholderText=_("18位，可不填"))
        self.district = ChoiceCombo(placeholder=_("输入区县名称"))
        self.contact_name = QLineEdit()
        self.contact_phone = QLineEdit(placeholderText=_("手机号或带区号的固定电话"))
        self.confidential = QCheckBox(_("来电人要求保密（联系方式将被隐藏）"))
        self.kind = ChoiceCombo.for_enum(Kind, placeholder=_("如：投诉"))
        self.category = ChoiceCombo.for_enum(Category, placeholder=_("如：行政审批"))
        self.urgency = ChoiceCombo.for_enum(Urgency)
        self.subject = QLineEdit(placeholderText=_("一句话概括诉求"))
        self.description = QPlainTextEdit(placeholderText=_("来电人反映的情况：时间、地点、经过"))
        self.request = QPlainTextEdit(placeholderText=_("企业希望如何解决"))
        self.channel = ChoiceCombo.for_enum(Channel)
        self.received_at = QDateTimeEdit(calendarPopup=True)
        self.received_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        for editor, lines in ((self.description, 5), (self.request, 2)):
            editor.setTabChangesFocus(True)
            editor.setMinimumHeight(editor.fontMetrics().lineSpacing() * lines + 16)
        self.request.setMaximumHeight(self.request.fontMetrics().lineSpacing() * 3 + 16)

        self.titles: dict[str, str] = {}
        enterprise = self._section(
            _("企业"),
            [
                [("enterprise.name", _("企业名称"), self.enterprise_name, True)],
                [
                    ("enterprise.uscc", _("信用代码"), self.enterprise_uscc, False),
                    ("district", _("所在区县"), self.district, True),
                ],
            ],
        )
        caller = self._section(
            _("来电人"),
            [
                [
                    ("contact.name", _("联系人"), self.contact_name, True),
                    ("contact.phone", _("联系电话"), self.contact_phone, True),
                ],
                [("confidential", "", self.confidential, False)],
            ],
        )
        matter = self._section(
            _("诉求"),
            [
                [
                    ("kind", _("诉求类型"), self.kind, True),
                    ("category", _("问题类别"), self.category, True),
                    ("urgency", _("紧急程度"), self.urgency, False),
                ],
                [("subject", _("主题"), self.subject, True)],
                [("description", _("诉求描述"), self.description, True)],
                [("request", _("企业诉求"), self.request, False)],
            ],
            stretch_row=2,
        )
        source = self._section(
            _("来源"),
            [
                [
                    ("channel", _("来源渠道"), self.channel, True),
                    ("received_at", _("受理时间"), self.received_at, False),
                ],
            ],
        )
        for box in (enterprise, caller):
            layout.addWidget(box)
        layout.addWidget(matter, 1)
        layout.addWidget(source)
        self._align_label_column()
        order = list(self.widgets.values())
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        self._connect_edits()
        self.clear()

    def _section(
        self,
        title: str,
        rows: list[list[tuple[str, str, QWidget, bool]]],
        stretch_row: int | None = None,
    ) -> QGroupBox:
        """A titled block; each row holds one to three fields side by side."""
        box = QGroupBox(title)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        for column in range(1, COLUMNS, 2):
            grid.setColumnStretch(column, 1)
        for row_number, row in enumerate(rows):
            for position, (key, text, widget, required) in enumerate(row):
                column = position * 2
                span = COLUMNS - 1 - column if position == len(row) - 1 else 1
                label = _label(text, required)
                label.setBuddy(widget)
                # Line the label's text up with the first line of the field.
                lift = max(0, (widget.sizeHint().height() - label.sizeHint().height()) // 2)
                label.setContentsMargins(0, min(lift, 6), 0, 0)
                top = Qt.AlignmentFlag.AlignTop
                grid.addWidget(label, row_number, column, Qt.AlignmentFlag.AlignRight | top)
                cell = self._cell(key, widget)
                if row_number == stretch_row:
                    grid.addWidget(cell, row_number, column + 1, 1, span)
                else:
                    grid.addWidget(cell, row_number, column + 1, 1, span, top)
                self.widgets[key] = widget
                self.labels[key] = label
                self.titles[key] = text or self.confidential.text()
                widget.setObjectName(key.replace(".", "_"))
            if row_number == stretch_row:
                grid.setRowStretch(row_number, 1)
        return box

    def _cell(self, key: str, widget: QWidget) -> QWidget:
        """The field with its message line under it (hidden until there is a problem)."""
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget, 1)
        message = QLabel(objectName="fieldMessage", wordWrap=True)
        message.hide()
        column.addWidget(message)
        self.messages[key] = message
        return cell

    def _align_label_column(self) -> None:
        """The first label column is as wide in every section, so the fields line up."""
        firsts = [self.labels[key] for key in FIRST_COLUMN]
        width = max(label.sizeHint().width() for label in firsts)
        for label in firsts:
            label.setMinimumWidth(width)

    def _connect_edits(self) -> None:
        for key, widget in self.widgets.items():

            def emit(*_args: object, key: str = key) -> None:
                if not self._loading:
                    self.edited.emit(key)

            if isinstance(widget, (QLineEdit, QPlainTextEdit)):
                widget.textChanged.connect(emit)
            elif isinstance(widget, ChoiceCombo):
                widget.editTextChanged.connect(emit)
            elif isinstance(widget, QCheckBox):
                widget.toggled.connect(emit)
            elif isinstance(widget, QDateTimeEdit):
                widget.dateTimeChanged.connect(emit)

    def set_districts(self, items: list[tuple[str, str]]) -> None:
        """(name, code) of the active districts."""
        self._loading = True
        try:
            self.district.set_items(items)
        finally:
            self._loading = False

    def first_widget(self) -> QWidget:
        return self.enterprise_name

    def values(self) -> dict[str, Any]:
        """The form as :func:`hotline.intake.parse_intake` takes it (text as typed)."""
        received: dt.datetime = self.received_at.dateTime().toPython()  # type: ignore[assignment]
        return {
            "channel": self.channel.value(),
            "kind": self.kind.value(),
            "category": self.category.value(),
            "urgency": self.urgency.value(),
            "district": self.district.value(),
            "enterprise": {
                "name": self.enterprise_name.text(),
                "uscc": self.enterprise_uscc.text(),
            },
            "contact": {"name": self.contact_name.text(), "phone": self.contact_phone.text()},
            "subject": self.subject.text(),
            "description": self.description.toPlainText(),
            "request": self.request.toPlainText(),
            "confidential": self.confidential.isChecked(),
            "received_at": received.replace(second=0, microsecond=0).isoformat(),
        }

    def set_values(self, data: dict[str, Any]) -> None:
        """Put a saved form back (a restored draft); unknown keys are ignored."""
        enterprise = data.get("enterprise") or {}
        contact = data.get("contact") or {}
        self._loading = True
        try:
            self.channel.set_value(str(data.get("channel") or Channel.HOTLINE.value))
            self.kind.set_value(str(data.get("kind") or ""))
            self.category.set_value(str(data.get("category") or ""))
            self.urgency.set_value(str(data.get("urgency") or Urgency.NORMAL.value))
            self.district.set_value(str(data.get("district") or ""))
            self.enterprise_name.setText(str(enterprise.get("name") or ""))
            self.enterprise_uscc.setText(str(enterprise.get("uscc") or ""))
            self.contact_name.setText(str(contact.get("name") or ""))
            self.contact_phone.setText(str(contact.get("phone") or ""))
            self.subject.setText(str(data.get("subject") or ""))
            self.description.setPlainText(str(data.get("description") or ""))
            self.request.setPlainText(str(data.get("request") or ""))
            self.confidential.setChecked(bool(data.get("confidential")))
            self._set_received(data.get("received_at"))
        finally:
            self._loading = False

    def _set_received(self, value: object) -> None:
        when = clock.now()
        if isinstance(value, str) and value:
            try:
                when = dt.datetime.fromisoformat(value)
            except ValueError:
                pass
        self.received_at.setDateTime(QDateTime(when.replace(second=0, microsecond=0)))

    def clear(self) -> None:
        """An empty form for the next call, received now."""
        self.set_values({})

    def is_blank(self) -> bool:
        """Nothing typed yet (the defaults do not count)."""
        values = self.values()
        texts = [
            values["enterprise"]["name"],
            values["enterprise"]["uscc"],
            values["contact"]["name"],
            values["contact"]["phone"],
            values["subject"],
            values["description"],
            values["request"],
            values["kind"],
            values["category"],
            values["district"],
        ]
        return not any(str(text).strip() for text in texts)
