"""The breakdown table of the statistics window: one row per department (district, category,
type or channel), a column per figure, a total row; every count cell names its figure
(``FIGURE_ROLE``) so a click lists its cases."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from hotline.i18n import _, format_number, format_percent
from hotline.reports.data import BreakdownRow, Dimension, FigureRef, Measure, PeriodReport
from hotline.reports.xlsx import BREAKDOWN_COLUMNS, DIMENSION_NAMES, breakdown_total

Index = QModelIndex | QPersistentModelIndex
FIGURE_ROLE = int(Qt.ItemDataRole.UserRole) + 11  # the FigureRef of a count cell, else None

MEASURES = {m.value: m for m in Measure}


class BreakdownModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dimension = Dimension.DEPARTMENT
        self.rows: list[BreakdownRow] = []
        self.total = BreakdownRow()

    def set_report(self, report: PeriodReport | None, dimension: Dimension) -> None:
        self.beginResetModel()
        self.dimension = dimension
        self.rows = list(report.breakdowns.get(dimension, [])) if report else []
        counts = breakdown_total(self.rows)
        self.total = BreakdownRow(name=_("合计"), **vars(counts))
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self.rows else len(self.rows) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(BREAKDOWN_COLUMNS) + 1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return _(DIMENSION_NAMES[self.dimension])
        return _(BREAKDOWN_COLUMNS[section - 1][0])

    def figure(self, index: Index) -> FigureRef | None:
        """The figure of a count cell (the total row: the period's figure)."""
        if not index.isValid() or index.column() == 0:
            return None
        attribute = BREAKDOWN_COLUMNS[index.column() - 1][1]
        measure = MEASURES.get(attribute)
        if measure is None:
            return None
        if index.row() == len(self.rows):
            return FigureRef(measure)
        return FigureRef(measure, dimension=self.dimension, key=self.rows[index.row()].key)

    def row_name(self, row: int) -> str:
        return self.total.name if row == len(self.rows) else self.rows[row].name

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.total if index.row() == len(self.rows) else self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return row.name
            value = getattr(row, BREAKDOWN_COLUMNS[column - 1][1])
            return (
                format_percent(value)
                if isinstance(value, float) or value is None
                else (format_number(value))
            )
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
        if role == Qt.ItemDataRole.ForegroundRole and self.figure(index) is not None:
            return None
        return None
