"""One enterprise on one screen: its details, its service steward, and all its cases.

Industry and steward are editable (``hotline.enterprises.update_details``); a case opens with
a double-click or Enter, asked for through ``case_requested``.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hotline import enterprises
from hotline.enterprises import EnterpriseView
from hotline.errors import ValidationError
from hotline.i18n import _
from hotline.permissions import Action
from ui.common import shortcuts
from ui.common.case_brief_model import CaseHistoryModel
from ui.common.events import app_events
from ui.common.field_marks import STYLE, FieldMarks
from ui.common.messages import show_error
from ui.common.session import Session
from ui.common.tables import read_only_rows
from ui.common.tasks import run_task

log = logging.getLogger(__name__)

CASE_LIMIT = 500
COLUMNS = ("case_no", "received_at", "kind", "category", "status", "subject", "deadline")


class EnterpriseWindow(QWidget):
    loaded = Signal(object)  # EnterpriseView
    saved = Signal(int)
    case_requested = Signal(int)  # a case of the list is to be opened (Enter, double-click)

    def __init__(self, session: Session, enterprise_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("enterpriseWindow")
        self.setWindowTitle(_("企业档案"))
        self.setStyleSheet(STYLE)
        self.resize(1100, 760)
        self.session = session
        self.enterprise_id = enterprise_id
        self.view: EnterpriseView | None = None

        self.name = QLabel(objectName="enterpriseName")
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.name.setFont(font)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.identity = QLabel()
        self.identity.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.industry = QLineEdit()
        self.steward_name = QLineEdit()
        self.steward_phone = QLineEdit(placeholderText=_("手机号或带区号的固定电话"))
        self.edits = {
            "industry": self.industry,
            "steward_name": self.steward_name,
            "steward_phone": self.steward_phone,
        }
        self.messages = {
            key: QLabel(objectName="fieldMessage", wordWrap=True) for key in self.edits
        }
        self.marks = FieldMarks(self.edits, self.messages)
        self.save_button = QPushButton(_("保存（{key}）").format(key=shortcuts.shown("save")))
        self.save_button.clicked.connect(self.save)
        self.status = QLabel()
        self.model = CaseHistoryModel(COLUMNS)
        self.table = QTableView()
        self._build_layout()

        can_edit = session.can(Action.CASE_REGISTER)
        for edit in self.edits.values():
            edit.setReadOnly(not can_edit)
            edit.textEdited.connect(lambda _text, edit=edit: self._edited(edit))
        self.save_button.setVisible(can_edit)
        shortcuts.bind("save", self, self.save)
        shortcuts.bind("refresh", self, self.reload)
        shortcuts.bind("close_window", self, self.close)
        shortcuts.bind("cancel", self, self.close)
        app_events().case_saved.connect(self._case_saved)
        self.reload()

    def _build_layout(self) -> None:
        details = QGroupBox(_("企业信息与服务专员"))
        form = QFormLayout(details)
        titles = {
            "industry": _("所属行业"),
            "steward_name": _("服务专员"),
            "steward_phone": _("专员电话"),
        }
        for key, edit in self.edits.items():
            cell = QWidget()
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(edit)
            self.messages[key].hide()
            column.addWidget(self.messages[key])
            form.addRow(titles[key], cell)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.save_button)
        form.addRow(row)

        self.table.setModel(self.model)
        read_only_rows(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COLUMNS.index("subject"), QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._open_case)
        self.table.doubleClicked.connect(self._open_case)
        self.cases_box = QGroupBox(_("全部诉求"))
        QVBoxLayout(self.cases_box).addWidget(self.table)

        layout = QVBoxLayout(self)
        layout.addWidget(self.name)
        layout.addWidget(self.identity)
        layout.addWidget(details)
        layout.addWidget(self.cases_box, 1)

    def reload(self) -> None:
        enterprise_id = self.enterprise_id
        run_task(
            self,
            lambda: enterprises.enterprise_view(enterprise_id, CASE_LIMIT),
            on_done=self._show,
            on_error=self._load_failed,
        )

    def _load_failed(self, exc: BaseException) -> None:
        if self.isVisible():
            show_error(self, exc)

    def _case_saved(self, _case_id: int) -> None:
        if self.isVisible():
            self.reload()  # a case of this enterprise may have changed or been added

    def _show(self, view: EnterpriseView) -> None:
        keep_edits = self._dirty()  # never overwrite what the user is typing
        self.view = view
        info = view.info
        self.setWindowTitle(_("企业档案：{name}").format(name=info.name))
        self.name.setText(info.name)
        parts = [
            _("统一社会信用代码：{uscc}").format(uscc=info.uscc or _("（未登记）")),
            _("所在区县：{district}").format(district=view.district or _("（未登记）")),
        ]
        self.identity.setText("　　".join(parts))
        if not keep_edits:
            self.industry.setText(info.industry)
            self.steward_name.setText(info.steward_name)
            self.steward_phone.setText(info.steward_phone)
        self.model.set_rows(view.cases)
        title = _("全部诉求（{count} 件）").format(count=len(view.cases))
        if len(view.cases) >= CASE_LIMIT:
            title = _("最近 {count} 件诉求").format(count=len(view.cases))
        self.cases_box.setTitle(title)
        self.loaded.emit(view)

    def _dirty(self) -> bool:
        if self.view is None:
            return False
        info = self.view.info
        return (self.industry.text(), self.steward_name.text(), self.steward_phone.text()) != (
            info.industry,
            info.steward_name,
            info.steward_phone,
        )

    def _edited(self, edit: QLineEdit) -> None:
        key = next(k for k, e in self.edits.items() if e is edit)
        self.marks.unmark(key)
        self.status.clear()

    def save(self) -> None:
        if not self.save_button.isVisible() or not self.save_button.isEnabled():
            return
        actor = self.session.actor
        enterprise_id = self.enterprise_id
        values = {key: edit.text() for key, edit in self.edits.items()}
        self.save_button.setEnabled(False)
        run_task(
            self,
            lambda: enterprises.update_details(actor, enterprise_id, **values),
            on_done=self._saved,
            on_error=self._save_failed,
        )

    def _saved(self, _enterprise: object) -> None:
        self.save_button.setEnabled(True)
        self.marks.clear()
        self.status.setText(_("已保存"))
        self.view = None  # show what was stored
        app_events().enterprise_saved.emit(self.enterprise_id)
        self.saved.emit(self.enterprise_id)
        self.reload()

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.marks.show(exc.problems)
            self.status.setText(_("请修改标出的内容"))
        else:
            show_error(self, exc)

    def _open_case(self, index: QModelIndex) -> None:
        if index.isValid():
            self.case_requested.emit(self.model.case_id(index.row()))
