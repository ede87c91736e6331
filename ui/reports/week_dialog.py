"""Choosing the weekly report to make: the ISO week (default the last complete one) and
whether every case's summary is appended."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from hotline import clock
from hotline.errors import ValidationError
from hotline.i18n import _
from hotline.reports.weeks import IsoWeek, last_complete_week, parse_week

WEEKS_LISTED = 26


def recent_weeks(today: dt.date, count: int = WEEKS_LISTED) -> list[IsoWeek]:
    """The current week (still running) and the ``count - 1`` weeks before it, newest first."""
    weeks = [IsoWeek.containing(today)]
    while len(weeks) < count:
        weeks.append(weeks[-1].previous())
    return weeks


class WeeklyReportDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("生成周报"))
        self.setObjectName("weeklyReportDialog")
        today = today or clock.today()
        current = IsoWeek.containing(today)
        self.week_box = QComboBox(editable=True)
        self.week_box.setObjectName("weekBox")
        self.week_box.setMinimumWidth(380)
        self.weeks = recent_weeks(today)
        for week in self.weeks:
            label = f"{week.code}　{week.title()}"
            if week == current:
                label += "　" + _("（本周，尚未结束）")
            self.week_box.addItem(label)
        self.week_box.setCurrentIndex(self.weeks.index(last_complete_week(today)))
        line_edit = self.week_box.lineEdit()
        assert line_edit is not None  # the combo is editable
        line_edit.setPlaceholderText("2026-W47")
        # Enter starts the report (the default button) from the week box too: the editable
        # combo would otherwise take the key to add the text to its list.
        self.week_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line_edit.returnPressed.connect(self.accept)
        self.week_box.setToolTip(_("从列表中选择，或输入 ISO 周，如 2026-W47"))
        self.with_cases = QCheckBox(_("附上每个案件的摘要（页数较多，生成较慢）"))
        self.with_cases.setObjectName("withCases")
        self.message = QLabel(objectName="fieldMessage", wordWrap=True)
        self.message.setStyleSheet("color: #b3261e;")
        self.message.hide()

        form = QFormLayout()
        form.addRow(_("统计周(&W)"), self.week_box)
        form.addRow("", self.with_cases)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("生成"))
        self.ok_button.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.week_box.setFocus()

    def week(self) -> IsoWeek:
        """The chosen week; raises :class:`ValidationError` for text that is not a week."""
        text = self.week_box.currentText().strip()
        index = self.week_box.findText(text)
        if 0 <= index < len(self.weeks):
            return self.weeks[index]
        return parse_week(text.split()[0] if text else text)

    def accept(self) -> None:
        if self.result() == QDialog.DialogCode.Accepted and not self.isVisible():
            return  # already accepted (Enter reaches both the week box and the dialog)
        try:
            self.week()
        except ValidationError as exc:
            self.message.setText("\n".join(p.text for p in exc.problems))
            self.message.show()
            self.week_box.setFocus()
            return
        super().accept()
