"""The department work table of the statistics window: one row per department with its
handling figures (hotline.reports.department_work), a total row; every count cell names its
figure (``FIGURE_ROLE``) so a click lists the cases it counts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from hotline.i18n import _, format_number
from hotline.reports import department_work as work
from hotline.reports.data import FigureRef, Measure, PeriodReport
from hotline.reports.department_work import DepartmentWork
from ui.statistics.breakdown_model import FIGURE_ROLE

Index = QModelIndex | QPersistentModelIndex
COLUMNS = list(work.MEASURES)  # then the average working days


class DepartmentWorkModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[DepartmentWork] = []
        self.total = DepartmentWork(0, "")

    def set_report(self, report: PeriodReport | None) -> None:
        self.beginResetModel()
        self.rows = list(report.department_work) if report is not None else []
        self.total = work.total(self.rows)
        self.total.name = _("合计")
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self.rows else len(self.rows) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS) + 2

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return _("承办单位")
        if section <= len(COLUMNS):
            return _(work.MEASURES[COLUMNS[section - 1]])
        return _(work.AVERAGE_WORKDAYS)

    def _row(self, index: Index) -> DepartmentWork:
        return self.total if index.row() == len(self.rows) else self.rows[index.row()]

    def figure(self, index: Index) -> FigureRef | None:
        """The figure of a count cell (the total row: department 0)."""
        if not index.isValid() or not 0 < index.column() <= len(COLUMNS):
            return None
        row = self._row(index)
        key = f"{row.department_id}:{COLUMNS[index.column() - 1]}"
        return FigureRef(Measure.DEPARTMENT_WORK, key=key)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._row(index)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return row.name
            if column <= len(COLUMNS):
                return format_number(row.counts[COLUMNS[column - 1]])
            average = row.average_workdays
            return "—" if average is None else f"{average:.1f}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row is self.total:
            font = QFont()
            font.setBold(True)
            return font
        if role == FIGURE_ROLE:
            return self.figure(index)
        if role == Qt.ItemDataRole.ToolTipRole and self.figure(index) is not None:
            return _("单击查看这些案件")
        return None
