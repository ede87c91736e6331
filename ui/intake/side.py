"""Beside the intake form: the enterprise on file, its service steward, its earlier cases, and a
warning when the case being typed looks like a repeat of an open or recent one."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hotline.case_briefs import CaseBrief
from hotline.enterprises import EnterpriseContext
from hotline.enums import Category, Status
from hotline.i18n import _, format_datetime
from ui.common.case_brief_model import CaseHistoryModel

REPEAT_STYLE = (
    "QFrame#repeatWarning { background: #fff4e5; border: 1px solid #e0a040; border-radius: 4px; }"
)


def _value_label() -> QLabel:
    label = QLabel()
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class IntakeSidePanel(QWidget):
    open_case = Signal(int)
    open_enterprise = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._enterprise_id: int | None = None
        self._repeat_id: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.repeat_box = QFrame(objectName="repeatWarning")
        self.repeat_box.setStyleSheet(REPEAT_STYLE)
        repeat_layout = QHBoxLayout(self.repeat_box)
        self.repeat_text = QLabel(wordWrap=True)
        self.repeat_button = QPushButton(_("查看该案件"))
        self.repeat_button.clicked.connect(self._open_repeat)
        repeat_layout.addWidget(self.repeat_text, 1)
        repeat_layout.addWidget(self.repeat_button)
        self.repeat_box.hide()
        layout.addWidget(self.repeat_box)

        box = QGroupBox(_("企业档案"))
        form = self._form = QFormLayout(box)
        self.status = QLabel(_("输入企业名称后，这里显示该企业的档案和既往诉求。"), wordWrap=True)
        self.status.setStyleSheet("color: palette(placeholder-text);")
        form.addRow(self.status)
        self.name = _value_label()
        self.uscc = _value_label()
        self.industry = _value_label()
        self.steward = _value_label()
        self.details = [
            (_("企业名称"), self.name),
            (_("信用代码"), self.uscc),
            (_("所属行业"), self.industry),
            (_("服务专员"), self.steward),
        ]
        for title, label in self.details:
            form.addRow(title, label)
        self.enterprise_button = QPushButton(_("打开企业档案"))
        self.enterprise_button.clicked.connect(self._open_enterprise)
        self._button_row = QHBoxLayout()
        self._button_row.addStretch(1)
        self._button_row.addWidget(self.enterprise_button)
        form.addRow(self._button_row)
        layout.addWidget(box)

        self.history_box = QGroupBox(_("既往诉求"))
        history_layout = QVBoxLayout(self.history_box)
        self.model = CaseHistoryModel(("case_no", "received_at", "status", "subject"))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        history_layout.addWidget(self.table)
        layout.addWidget(self.history_box, 1)
        self.show_context(None)

    def show_context(self, found: EnterpriseContext | None, *, searched: bool = False) -> None:
        """Show the enterprise on file; None means none found (yet)."""
        self._enterprise_id = found.enterprise.id if found else None
        for _title, label in self.details:
            self._form.setRowVisible(label, found is not None)
        self._form.setRowVisible(self._button_row, found is not None)
        self.history_box.setVisible(found is not None)
        if found is None:
            self.status.setText(
                _("未找到该企业的档案，保存时将新建。")
                if searched
                else _("输入企业名称后，这里显示该企业的档案和既往诉求。")
            )
            self.status.show()
            self.model.set_rows([])
            return
        self.status.hide()
        info = found.enterprise
        self.name.setText(info.name)
        self.uscc.setText(info.uscc or _("（未登记）"))
        self.industry.setText(info.industry or _("（未登记）"))
        if info.steward_name:
            self.steward.setText(
                _("{name}　{phone}").format(name=info.steward_name, phone=info.steward_phone)
            )
        else:
            self.steward.setText(_("（未指定）"))
        self.model.set_rows(found.cases)
        self.history_box.setTitle(_("既往诉求（{count} 件）").format(count=len(found.cases)))

    def show_repeat(self, brief: CaseBrief | None) -> None:
        self._repeat_id = brief.id if brief else None
        if brief is None:
            self.repeat_box.hide()
            return
        category = Category.parse(brief.category)
        status = Status.parse(brief.status)
        self.repeat_text.setText(
            _(
                "<b>可能是重复诉求</b>：该企业已有同类（{category}）案件 {case_no}，"
                "{received} 受理，当前{status}：{subject}。保存后将自动关联。"
            ).format(
                category=category.label if category else brief.category,
                case_no=brief.case_no,
                received=format_datetime(brief.received_at),
                status=status.label if status else brief.status,
                subject=html.escape(brief.subject),
            )
        )
        self.repeat_box.show()

    def repeat_case_id(self) -> int | None:
        return self._repeat_id

    def enterprise_id(self) -> int | None:
        return self._enterprise_id

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_case.emit(self.model.case_id(index.row()))

    def _open_repeat(self) -> None:
        if self._repeat_id is not None:
            self.open_case.emit(self._repeat_id)

    def _open_enterprise(self) -> None:
        if self._enterprise_id is not None:
            self.open_enterprise.emit(self._enterprise_id)
