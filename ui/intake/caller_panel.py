"""Beside the intake form when the phone rings: who the number is, everyone and every enterprise
it called about before (those with open cases first), and its cases, open ones first.

F3 (or Enter in the list) takes the highlighted caller and enterprise into the form; F4 adds a
follow-up note (催办) to the highlighted open case instead of registering a new one.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hotline.callers import CallerCase, CallerHistory, KnownCaller
from hotline.calls import IncomingCall
from hotline.i18n import _, format_datetime
from ui.common import shortcuts
from ui.common.case_brief_model import CaseHistoryModel

STYLE = (
    "QGroupBox#callerPanel { border: 2px solid #2f6fd6; border-radius: 4px; margin-top: 12px; }"
    " QGroupBox#callerPanel::title { color: #173a7a; }"
)


def call_title(call: IncomingCall) -> str:
    """来电 0392-3311234 · 线路 2 · 分机 8001 · 09:30:12"""
    parts = [_("来电 {number}").format(number=call.phone or call.number)]
    if call.line:
        parts.append(_("线路 {line}").format(line=call.line))
    if call.extension:
        parts.append(_("分机 {extension}").format(extension=call.extension))
    parts.append(format_datetime(call.at, "medium"))
    return " · ".join(parts)


def caller_text(caller: KnownCaller) -> str:
    name = caller.contact_name or _("（未留姓名）")
    enterprise = caller.enterprise.name if caller.enterprise else _("（无企业）")
    if caller.open_cases:
        counts = _("{count} 件，{open} 件在办").format(count=caller.cases, open=caller.open_cases)
    else:
        counts = _("{count} 件，均已办结").format(count=caller.cases)
    last = format_datetime(caller.last_at)
    return _("{name} · {enterprise}（{counts}；最近 {last}）").format(
        name=name, enterprise=enterprise, counts=counts, last=last
    )


class _CallerList(QListWidget):
    """Enter takes the highlighted caller (as Enter takes a highlighted suggestion)."""

    chosen = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.chosen.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class CallerPanel(QGroupBox):
    take = Signal(object)  # KnownCaller
    follow_up = Signal(object)  # CallerCase
    open_case = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callerPanel")
        self.setStyleSheet(STYLE)
        self.history: CallerHistory | None = None
        self._cases: list[CallerCase] = []
        layout = QVBoxLayout(self)
        self.status = QLabel(wordWrap=True, objectName="callerStatus")
        layout.addWidget(self.status)
        self.callers = _CallerList(objectName="knownCallers")
        self.callers.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.callers.setStyleSheet("QListWidget::item { padding: 3px; }")
        self.callers.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.callers.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.callers.chosen.connect(self.take_current)
        self.callers.itemDoubleClicked.connect(lambda _item: self.take_current())
        self.callers.currentRowChanged.connect(self._caller_changed)
        layout.addWidget(self.callers)
        self.cases_title = QLabel()
        layout.addWidget(self.cases_title)
        self.model = CaseHistoryModel(("case_no", "received_at", "status", "enterprise", "subject"))
        self.cases = QTableView(objectName="callerCases")
        self.cases.setModel(self.model)
        self.cases.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cases.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.cases.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cases.verticalHeader().hide()
        header = self.cases.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.cases.doubleClicked.connect(self._open)
        layout.addWidget(self.cases, 1)
        self.take_button = QPushButton(
            _("采用来电人和企业（{key}）").format(key=shortcuts.shown("take_caller"))
        )
        self.take_button.clicked.connect(self.take_current)
        self.follow_button = QPushButton(
            _("在所选在办案件上记录催办（{key}）").format(key=shortcuts.shown("follow_up"))
        )
        self.follow_button.clicked.connect(self.follow_up_current)
        for button in (self.take_button, self.follow_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.follow_button)
        buttons.addWidget(self.take_button)
        layout.addLayout(buttons)
        self.hide()

    # What is shown

    def show_call(self, call: IncomingCall) -> None:
        """The call has come in; its history is being looked up."""
        self.history = None
        self.setTitle(call_title(call))
        self.status.setText(_("正在查找该号码的既往来电……"))
        self.status.show()
        self._set_rows(None)
        self.show()

    def show_history(self, history: CallerHistory) -> None:
        self.history = history
        if not history.known:
            self.status.setText(_("新来电人：该号码没有既往案件。请登记来电人和企业。"))
        else:
            self.status.setText(
                _("该号码曾为 {callers} 位来电人/企业来电 {count} 件{more}。").format(
                    callers=len(history.callers),
                    count=len(history.cases),
                    more=_("（仅列出最近的）") if history.more else "",
                )
            )
        self._set_rows(history)

    def _set_rows(self, history: CallerHistory | None) -> None:
        self.callers.clear()
        self._cases = list(history.cases) if history else []
        self.model.set_rows([c.brief for c in self._cases])
        known = bool(history and history.known)
        for widget in (self.callers, self.cases_title, self.cases, self.take_button):
            widget.setVisible(known)
        self.follow_button.setVisible(known)
        if history is None or not known:
            return
        for caller in history.callers:
            item = QListWidgetItem(caller_text(caller))
            item.setToolTip(caller_text(caller))
            item.setData(Qt.ItemDataRole.UserRole, caller)
            self.callers.addItem(item)
        opened = sum(1 for c in self._cases if c.is_open)
        self.cases_title.setText(
            _("既往案件（{count} 件，在办 {open} 件在前）").format(
                count=len(self._cases), open=opened
            )
        )
        rows = min(4, self.callers.count())
        row_height = max(self.callers.sizeHintForRow(0), self.fontMetrics().lineSpacing() + 8)
        self.callers.setFixedHeight(row_height * rows + 2 * self.callers.frameWidth() + 2)
        self.callers.setCurrentRow(0)  # highlighted: Enter or F3 takes it

    def clear(self) -> None:
        self.history = None
        self._set_rows(None)
        self.hide()

    # The operator's choices

    def current_caller(self) -> KnownCaller | None:
        item = self.callers.currentItem()
        if item is None or not self.isVisible():
            return None
        caller: KnownCaller = item.data(Qt.ItemDataRole.UserRole)
        return caller

    def current_case(self) -> CallerCase | None:
        index = self.cases.currentIndex()
        if not index.isValid() or index.row() >= len(self._cases):
            return None
        return self._cases[index.row()]

    def open_case_for_follow_up(self) -> CallerCase | None:
        """The highlighted case if it is open, else the caller's first open case."""
        case = self.current_case()
        if case is not None and case.is_open:
            return case
        return next((c for c in self._cases if c.is_open), None)

    def take_current(self) -> None:
        caller = self.current_caller()
        if caller is not None:
            self.take.emit(caller)

    def follow_up_current(self) -> None:
        case = self.open_case_for_follow_up()
        if case is not None:
            self.follow_up.emit(case)

    def _caller_changed(self, row: int) -> None:
        """Highlight the chosen caller's newest open case (else their newest case)."""
        if row < 0 or self.history is None:
            return
        caller = self.history.callers[row]
        enterprise_id = caller.enterprise.id if caller.enterprise else None

        def theirs(case: CallerCase) -> bool:
            return case.contact_name.strip() == caller.contact_name and (
                case.enterprise_id == enterprise_id
            )

        rows = [i for i, c in enumerate(self._cases) if theirs(c)]
        if not rows:
            return
        chosen = next((i for i in rows if self._cases[i].is_open), rows[0])
        self.cases.selectionModel().setCurrentIndex(
            self.model.index(chosen, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_case.emit(self._cases[index.row()].brief.id)
