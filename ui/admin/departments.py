"""Administration: departments cases are dispatched to (承办单位), and districts (区县)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

from hotline import admin
from hotline.i18n import N_, _
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


def _state(record: admin.DepartmentRecord | admin.DistrictRecord) -> str:
    return _("在用") if record.active else _("已停用")


DEPARTMENT_COLUMNS = [
    (N_("编码"), lambda d: d.code),
    (N_("名称"), lambda d: d.name),
    (N_("执法主体"), lambda d: d.enforcement_body or ""),
    (N_("电话"), lambda d: d.phone),
    (N_("状态"), _state),
]
DISTRICT_COLUMNS = [
    (N_("区划代码"), lambda d: d.code),
    (N_("名称"), lambda d: d.name),
    (N_("状态"), _state),
]


class DepartmentDialog(FormDialog):
    def __init__(
        self,
        session: Session,
        department: admin.DepartmentRecord | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("编辑承办单位") if department else _("新增承办单位"), parent)
        self.session = session
        self.department = department
        self.code = self.add_field("code", _("编码"), QLineEdit(self))
        self.name = self.add_field("name", _("名称"), QLineEdit(self))
        self.body = self.add_field("enforcement_body", _("执法主体"), QLineEdit(self))
        self.body.setPlaceholderText(_("如：市场监督管理部门（首错免罚清单中的实施主体）"))
        self.phone = self.add_field("phone", _("电话"), QLineEdit(self))
        if department is not None:
            self.code.setText(department.code)
            self.name.setText(department.name)
            self.body.setText(department.enforcement_body or "")
            self.phone.setText(department.phone)

    def submit(self) -> Callable[[], object]:
        actor, department_id = self.session.actor, self.department.id if self.department else None
        code, name, body, phone = (f.text() for f in (self.code, self.name, self.body, self.phone))
        return lambda: admin.save_department(
            actor,
            department_id=department_id,
            code=code,
            name=name,
            enforcement_body=body,
            phone=phone,
        )


class DistrictDialog(FormDialog):
    def __init__(
        self, session: Session, district: admin.DistrictRecord | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(_("修改区县名称") if district else _("新增区县"), parent)
        self.session = session
        self.district = district
        self.code = self.add_field("code", _("区划代码"), QLineEdit(self))
        self.name = self.add_field("name", _("名称"), QLineEdit(self))
        if district is not None:
            self.code.setText(district.code)
            self.code.setReadOnly(True)
            self.name.setText(district.name)

    def submit(self) -> Callable[[], object]:
        actor, code, name, new = (
            self.session.actor,
            self.code.text(),
            self.name.text(),
            self.district is None,
        )
        return lambda: admin.save_district(actor, code=code, name=name, new=new)


class _ReferencePage(QWidget):
    """A list of records with add, edit and deactivate/reactivate."""

    columns: ClassVar[list[tuple[str, Callable[[Any], str]]]] = []
    table_name = ""
    loaded = Signal()  # the records were read again and are shown

    def __init__(self, session: Session, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.loader = RecordsLoader(self)
        self.model = RecordTableModel(self.columns, muted=lambda r: not r.active, parent=self)
        self.table = record_table(self, self.model, self.table_name)
        self.add_button = QPushButton(_("新增…"), self)
        self.edit_button = QPushButton(_("编辑…"), self)
        self.active_button = QPushButton(_("停用"), self)
        self.add_button.clicked.connect(lambda: self._edit(None))
        self.edit_button.clicked.connect(lambda: self._edit(selected_record(self.table)))
        self.active_button.clicked.connect(self.toggle_active)
        self.table.doubleClicked.connect(lambda _i: self._edit(selected_record(self.table)))
        page_layout(self, self.table, [self.add_button, self.edit_button, self.active_button], note)
        self.table.selectionModel().currentChanged.connect(self._update_buttons)
        self.reload()

    def records(self) -> list:  # type: ignore[type-arg]
        """The records, read from the core (on a worker: no widget)."""
        raise NotImplementedError

    def dialog(self, record: object | None) -> FormDialog:
        raise NotImplementedError

    def set_active(self, record: object, active: bool) -> None:
        """Deactivate or reactivate ``record`` through the core (on a worker: no widget)."""
        raise NotImplementedError

    def reload(self, key: object = None, *, code: str | None = None) -> None:
        """Read the records again (off the GUI thread), then select the one of ``key`` (or of
        ``code``, any case), else the first."""
        self.loader.load(self.records, lambda records: self._show(records, key, code))

    def _show(self, records: Sequence[Any], key: object, code: str | None) -> None:
        self.model.set_records(records)
        keys = [self.key_of(r) for r in self.model.records]
        if code is not None:
            key = next((self.key_of(r) for r in records if r.code.upper() == code), key)
        if keys:
            self.table.selectRow(keys.index(key) if key in keys else 0)
        self._update_buttons()
        self.loaded.emit()

    @staticmethod
    def key_of(record: object) -> object:
        return getattr(record, "id", None) or getattr(record, "code", None)

    def _update_buttons(self, *_args: object) -> None:
        record = selected_record(self.table)
        self.edit_button.setEnabled(record is not None)
        self.active_button.setEnabled(record is not None)
        active = record is None or record.active
        self.active_button.setText(_("停用") if active else _("启用"))

    def _edit(self, record: object | None) -> None:
        dialog = self.dialog(record)
        if dialog.exec():
            code = dialog.code.text().strip().upper()  # type: ignore[attr-defined]
            self.reload(code=code)
            app_events().settings_changed.emit()

    def toggle_active(self) -> None:
        record = selected_record(self.table)
        if record is None:
            return
        active = bool(record.active)
        question = _("停用“{name}”？已有的案件不受影响，以后不能再选择它。")
        if active and not confirm(self, question.format(name=record.name)):
            return
        run_change(
            self,
            lambda: self.set_active(record, not active),
            on_done=lambda: self._changed(self.key_of(record)),
        )

    def _changed(self, key: object) -> None:
        self.reload(key)
        app_events().settings_changed.emit()


class DepartmentsPage(_ReferencePage):
    columns = DEPARTMENT_COLUMNS
    table_name = "departmentsTable"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        note = _("承办单位不会删除：停用后不能再派单给它，已有案件保持不变。")
        super().__init__(session, note, parent)

    def records(self) -> list[admin.DepartmentRecord]:
        return admin.department_records()

    def dialog(self, record: object | None) -> FormDialog:
        return DepartmentDialog(self.session, record, self)  # type: ignore[arg-type]

    def set_active(self, record: object, active: bool) -> None:
        admin.set_department_active(self.session.actor, record.id, active)  # type: ignore[attr-defined]


class DistrictsPage(_ReferencePage):
    columns = DISTRICT_COLUMNS
    table_name = "districtsTable"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        note = _("区划代码为 6 位行政区划代码，保存后不能修改；停用的区县不再出现在登记表中。")
        super().__init__(session, note, parent)

    def records(self) -> list[admin.DistrictRecord]:
        return admin.district_records()

    def dialog(self, record: object | None) -> FormDialog:
        return DistrictDialog(self.session, record, self)  # type: ignore[arg-type]

    def set_active(self, record: object, active: bool) -> None:
        admin.set_district_active(self.session.actor, record.code, active)  # type: ignore[attr-defined]
