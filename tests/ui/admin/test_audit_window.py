"""An administrator views, verifies and exports the audit trail; others may not."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt

from hotline import audit, cases, db
from hotline.enums import Role
from hotline.errors import PermissionDenied
from hotline.models import AuditEntry
from hotline.permissions import Actor
from tests.conftest import sample_case
from ui.admin.audit_window import AuditWindow


def test_view_verify_and_export(qtbot, session, cli_actor, tmp_path) -> None:
    for n in range(3):
        cases.register(cli_actor, sample_case(subject=f"审计窗口{n}"))
    window = AuditWindow(session)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.model.rowCount() > 0)
    assert window.model.rows[0].id > window.model.rows[-1].id  # newest first
    window.verify()
    qtbot.waitUntil(lambda: "完整" in window.status.text())
    out = tmp_path / "audit.csv"
    window.export(str(out))
    qtbot.waitUntil(lambda: out.exists() and "已导出" in window.status.text())
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["id", "at", "actor"]
    assert sum(1 for r in rows if r[3] == "case.register") == 3
    assert audit.verify().ok  # the export itself is audited, the chain stays whole


def test_operators_may_not_read_the_audit_trail(database) -> None:
    with pytest.raises(PermissionDenied):
        audit.entries(Actor("坐席", Role.OPERATOR, None))


@pytest.mark.parametrize("database_target", ["sqlite"], indirect=True)  # a server has no file
def test_export_over_the_database_is_refused_and_keeps_it(
    qtbot, session, cli_actor, database_target, monkeypatch
) -> None:
    """The dialog's file goes through the same check as the command line (issue 12, class 1)."""
    from PySide6.QtWidgets import QMessageBox

    from hotline import db

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *a: shown.append((title, text))
    )
    cases.register(cli_actor, sample_case(subject="保留的案件"))
    window = AuditWindow(session)
    qtbot.addWidget(window)
    window.export(database_target)
    qtbot.waitUntil(lambda: bool(shown))
    assert "未做任何改动" in shown[0][1] and database_target in shown[0][1]
    with open(database_target, "rb") as handle:
        assert handle.read(16) == db.SQLITE_HEADER
    assert audit.verify().ok


def test_entries_read_as_sentences_with_the_record_on_demand(qtbot, session, cli_actor) -> None:
    from hotline import workflow
    from hotline.models import Department

    case = cases.register(cli_actor, sample_case(subject="审计句子"))
    department = Department.get(code="SCJG")
    workflow.dispatch(cli_actor, case.id, department.id)
    window = AuditWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.rowCount() >= 2)
    model = window.model
    headers = [
        model.headerData(c, Qt.Orientation.Horizontal, 0) for c in range(model.columnCount())
    ]
    assert headers == ["时间", "操作人", "操作", "序号"]
    shown = [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    sentences = [row[2] for row in shown]
    assert f"将案件 {case.case_no} 派至{department.name}" in sentences[0]
    assert all("{" not in cell and "case.dispatch" not in cell for row in shown for cell in row)
    stored = AuditEntry.select().order_by(AuditEntry.id.desc()).first().actor
    # (A set-up server names the login role, and keeps how the person acted beside.)
    assert shown[0][1] == ("tester（命令行）" if db.server_roles() is None else stored)

    assert window.raw.isHidden()
    window.table.selectRow(0)
    window.raw_button.click()  # the stored record, for whoever needs it
    assert window.raw.isVisible()
    assert "case.dispatch" in window.raw.toPlainText()
    assert f'"department": {department.id}' in window.raw.toPlainText()
    # The register entry, the next of the program's (a set-up server has its own between).
    window.table.selectRow(next(r for r, row in enumerate(shown[1:], 1) if "登记" in row[2]))
    assert "case.register" in window.raw.toPlainText()
