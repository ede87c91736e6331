"""Administration: extra days off and make-up workdays that override the official calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QLineEdit, QPushButton, QSpinBox, QWidget

from hotline import admin, clock, workdays
from hotline.i18n import N_, _, format_date
from ui.admin.forms import (
    FormDialog,
    RecordsLoader,
    confirm,
    page_layout,
    record_table,
    run_change,
    selected_record,
)
from ui.admin.table_model import RecordTableModel
from ui.common.events import app_events
from ui.common.session import Session

WEEKDAYS = [N_("周一"), N_("周二"), N_("周三"), N_("周四"), N_("周五"), N_("周六"), N_("周日")]

COLUMNS = [
    (N_("日期"), lambda h: format_date(h.day)),
    (N_("星期"), lambda h: _(WEEKDAYS[h.day.weekday()])),
    (N_("类型"), lambda h: _("调休上班") if h.is_workday else _("休息")),
    (N_("说明"), lambda h: h.note),
]


class HolidayDialog(FormDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(_("设置日期"), parent)
        self.session = session
        self.day = self.add_field("day", _("日期"), QDateEdit(self))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setDate(QDate(clock.today()))
        self.kind = self.add_field("is_workday", _("类型"), QComboBox(self))
        self.kind.addItem(_("休息（不计工作日）"), False)
        self.kind.addItem(_("调休上班（计为工作日）"), True)
        self.note = self.add_field("note", _("说明"), QLineEdit(self))
        self.note.setPlaceholderText(_("如：市政府通知临时放假"))

    def submit(self) -> Callable[[], object]:
        day: dt.date = self.day.date().toPython()  # type: ignore[assignment]
        actor, workday, note = self.session.actor, bool(self.kind.currentData()), self.note.text()
        return lambda: admin.set_holiday(actor, day, workday, note)


class HolidaysPage(QWidget):
    loaded = Signal()  # the year's days were read again and are shown

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.loader = RecordsLoader(self)
        self.model = RecordTableModel(COLUMNS, parent=self)
        self.table = record_table(self, self.model, "holidaysTable")
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(clock.today().year)
        self.year.setPrefix(_("年份 "))
        self.add_button = QPushButton(_("添加…"), self)
        self.remove_button = QPushButton(_("删除"), self)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.year.valueChanged.connect(lambda _v: self.reload())
        years = workdays.OFFICIAL_YEARS
        note = _(
            "程序已收录 {first}–{last} 年国务院公布的法定节假日和调休安排；其他年份按周一至周五计算。"
            "此处设置的日期优先于上述安排。"
        ).format(first=years.start, last=years.stop - 1)
        page_layout(self, self.table, [self.year, self.add_button, self.remove_button], note)
        self.reload()

    def reload(self) -> None:
        """Read the year's days again (off the GUI thread)."""
        year = self.year.value()
        self.loader.load(lambda: admin.list_holidays(year), self._show)

    def _show(self, holidays: Sequence[admin.HolidayEntry]) -> None:
        self.model.set_records(holidays)
        self.remove_button.setEnabled(bool(self.model.records))
        self.loaded.emit()

    def add(self) -> None:
        dialog = HolidayDialog(self.session, self)
        if dialog.exec():
            self.year.setValue(dialog.day.date().year())
            self.reload()
            app_events().settings_changed.emit()

    def remove(self) -> None:
        holiday = selected_record(self.table)
        if not isinstance(holiday, admin.HolidayEntry):
            return
        if not confirm(self, _("删除 {day} 的设置？").format(day=format_date(holiday.day))):
            return
        actor = self.session.actor
        run_change(self, lambda: admin.remove_holiday(actor, holiday.day), on_done=self._changed)

    def _changed(self) -> None:
        self.reload()
        app_events().settings_changed.emit()
