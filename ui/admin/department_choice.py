"""The box a department user's own department is chosen in (new user, change of role, the
department of a user), filled off the GUI thread."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from hotline.i18n import _
from ui.common.messages import error_text
from ui.common.tasks import run_task


def department_combo(parent: QWidget, selected: int | None = None) -> QComboBox:
    """The active departments to choose a department user's own from; read off the GUI
    thread (the box offers only 请选择 until they arrive), ``selected`` chosen then."""
    from hotline import admin

    combo = QComboBox(parent)
    combo.setObjectName("departmentChoice")
    combo.addItem(_("（请选择）"), None)

    def fill(departments: list[admin.DepartmentRecord]) -> None:
        for department in departments:
            combo.addItem(department.name, department.id)
        combo.setCurrentIndex(max(0, combo.findData(selected)))

    def failed(exc: BaseException) -> None:  # said in the box: no dialog over a dialog
        combo.setItemText(0, _("（无法读取承办单位：{reason}）").format(reason=error_text(exc)))

    run_task(combo, lambda: admin.list_departments(include_inactive=False), fill, failed)
    return combo
