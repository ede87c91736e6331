"""The enterprise directory's changes: correcting a name (the old one kept as 曾用名), merging
two records of one enterprise, changing the service steward. Each saves off the GUI thread
through the core, which checks the permission and audits; problems are shown in the dialog,
what was typed is kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from hotline import clock, enterprise_directory, enterprises
from hotline.enterprise_directory import DirectoryPage, DirectoryRow
from hotline.i18n import _
from ui.common.dialog_parts import error_label, ok_cancel_buttons, refusal_text
from ui.common.latest_request import LatestRequest
from ui.common.messages import error_text
from ui.common.session import Session
from ui.common.tasks import run_task


class _ChangeDialog(QDialog):
    """A form that runs one core change on a worker; ``done`` carries its result."""

    changed = Signal(object)  # what the core returned

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.form = QFormLayout()
        self.error = error_label(self)
        self.buttons, self.ok_button = ok_cancel_buttons(self, _("保存"), self.submit)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.buttons)

    def change(self) -> Callable[[], Any] | None:
        """The core call to run (None: nothing to do yet, the error says why)."""
        raise NotImplementedError

    def submit(self) -> None:
        self.error.clear()
        work = self.change()
        if work is None:
            return
        self.ok_button.setEnabled(False)
        run_task(self, work, self._done, self._failed)

    def _done(self, result: object) -> None:
        self.changed.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.error.setText(refusal_text(exc))


class RenameDialog(_ChangeDialog):
    def __init__(self, session: Session, row: DirectoryRow, parent: QWidget | None = None) -> None:
        super().__init__(_("更正企业名称"), parent)
        self.setObjectName("renameDialog")
        self.session = session
        self.row = row
        self.name = QLineEdit(row.name, self)
        self.name.setObjectName("name")
        self.name.setMaxLength(enterprise_directory.NAME_LIMIT)
        self.changed_on = QDateEdit(self)
        self.changed_on.setObjectName("changedOn")
        self.changed_on.setCalendarPopup(True)
        self.changed_on.setDisplayFormat("yyyy-MM-dd")
        self.changed_on.setDate(QDate(clock.today()))
        self.changed_on.setMaximumDate(QDate(clock.today()))
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(_("如：营业执照变更、登记时写错"))
        self.form.addRow(_("现名称"), QLabel(row.name, self))
        self.form.addRow(_("新名称"), self.name)
        self.form.addRow(_("更名日期"), self.changed_on)
        self.form.addRow(_("原因"), self.reason)
        note = QLabel(_("原名称记为曾用名（含使用起止日期），按原名称仍能查到该企业。"), self)
        note.setObjectName("hint")
        note.setWordWrap(True)
        self.layout_.addWidget(note)
        self.finish_layout()
        self.name.selectAll()

    def change(self) -> Callable[[], Any] | None:
        actor, enterprise_id = self.session.actor, self.row.id
        name, reason = self.name.text(), self.reason.text()
        day = self.changed_on.date()
        changed_on = dt.date(day.year(), day.month(), day.day())
        return lambda: enterprise_directory.rename(
            actor, enterprise_id, name, reason=reason, changed_on=changed_on
        )


class StewardDialog(_ChangeDialog):
    def __init__(self, session: Session, row: DirectoryRow, parent: QWidget | None = None) -> None:
        super().__init__(_("更改服务专员：{name}").format(name=row.name), parent)
        self.setObjectName("stewardDialog")
        self.session = session
        self.row = row
        self.steward_name = QLineEdit(row.steward_name, self)
        self.steward_name.setObjectName("stewardName")
        self.steward_phone = QLineEdit(row.steward_phone, self)
        self.steward_phone.setObjectName("stewardPhone")
        self.steward_phone.setPlaceholderText(_("手机号或带区号的固定电话"))
        self.form.addRow(_("服务专员"), self.steward_name)
        self.form.addRow(_("专员电话"), self.steward_phone)
        self.finish_layout()

    def change(self) -> Callable[[], Any] | None:
        actor, row = self.session.actor, self.row
        name, phone = self.steward_name.text(), self.steward_phone.text()
        return lambda: enterprises.EnterpriseInfo.of(
            enterprises.update_details(
                actor, row.id, industry=row.industry, steward_name=name, steward_phone=phone
            )
        )


def _describe(row: DirectoryRow) -> str:
    return _("{name}（信用代码 {uscc}，{cases} 件案件）").format(
        name=row.name, uscc=row.uscc or _("未登记"), cases=row.cases
    )


class MergeDialog(_ChangeDialog):
    """Pick the other record of the same enterprise, then which of the two is kept."""

    searched = Signal(int)  # how many candidates were listed

    def __init__(self, session: Session, row: DirectoryRow, parent: QWidget | None = None) -> None:
        super().__init__(_("合并重复的企业档案"), parent)
        self.setObjectName("mergeDialog")
        self.setMinimumWidth(620)
        self.session = session
        self.row = row
        self.other: DirectoryRow | None = None
        self._latest = LatestRequest()
        self.search = QLineEdit(self)
        self.search.setObjectName("mergeSearch")
        self.search.setPlaceholderText(_("输入另一条档案的名称、曾用名或信用代码"))
        self.candidates = QListWidget(self)
        self.candidates.setObjectName("mergeCandidates")
        self.keep_this = QRadioButton(self)
        self.keep_other = QRadioButton(self)
        self.keep_this.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.keep_this)
        group.addButton(self.keep_other)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reason")
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.form.addRow(_("本档案"), QLabel(_describe(row), self))
        self.form.addRow(_("另一条档案"), self.search)
        self.form.addRow("", self.candidates)
        self.form.addRow(_("保留"), self.keep_this)
        self.form.addRow("", self.keep_other)
        self.form.addRow(_("原因"), self.reason)
        self.layout_.addWidget(self.summary)
        self.finish_layout()
        self.ok_button.setText(_("合并"))
        # Enter in the search field searches; it never merges nor cancels.
        for button in self.buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
                button.setDefault(False)
        self.search.textEdited.connect(self._find)
        self.search.returnPressed.connect(lambda: self._find(self.search.text()))
        self.search.setFocus()
        self.candidates.currentItemChanged.connect(self._picked)
        self.keep_this.toggled.connect(self._update)
        self._update()

    def _find(self, text: str) -> None:
        ticket = self._latest.start()
        own_id = self.row.id
        run_task(
            self,
            lambda: enterprise_directory.search_page(text, 0, 30),
            lambda page: self._listed(ticket, page, own_id),
            lambda exc: self.error.setText(error_text(exc)),
        )

    def _listed(self, ticket: int, page: DirectoryPage, own_id: int) -> None:
        if not self._latest.is_current(ticket):
            return
        self.candidates.clear()
        for row in page.rows:
            if row.id == own_id:
                continue
            item = QListWidgetItem(_describe(row), self.candidates)
            item.setData(256, row)  # Qt.UserRole
        self.searched.emit(self.candidates.count())

    def _picked(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        self.other = item.data(256) if item is not None else None
        self._update()

    def _update(self, *_args: object) -> None:
        other = self.other
        self.keep_this.setText(_("保留本档案“{name}”").format(name=self.row.name))
        self.keep_other.setText(
            _("保留另一条档案“{name}”").format(name=other.name) if other else _("保留另一条档案")
        )
        self.keep_other.setEnabled(other is not None)
        self.ok_button.setEnabled(other is not None)
        if other is None:
            self.summary.setText(_("请先找到并选中另一条档案。"))
            return
        survivor, duplicate = (self.row, other) if self.keep_this.isChecked() else (other, self.row)
        text = _(
            "“{duplicate}”的 {cases} 件案件将移到“{survivor}”，“{duplicate}”记为其曾用名，"
            "该档案随后删除。合并记入审计日志，不能撤销。"
        ).format(duplicate=duplicate.name, survivor=survivor.name, cases=duplicate.cases)
        if survivor.uscc and duplicate.uscc and survivor.uscc != duplicate.uscc:
            text = _(
                "两条档案的统一社会信用代码不同（{first}、{second}），是两家不同的企业，不能合并。"
            ).format(first=survivor.uscc, second=duplicate.uscc)
            self.ok_button.setEnabled(False)
        self.summary.setText(text)

    def change(self) -> Callable[[], Any] | None:
        if self.other is None:
            return None
        keep_this = self.keep_this.isChecked()
        survivor = self.row.id if keep_this else self.other.id
        duplicate = self.other.id if keep_this else self.row.id
        actor, reason = self.session.actor, self.reason.text()
        return lambda: enterprise_directory.merge(actor, survivor, duplicate, reason)
