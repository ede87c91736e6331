"""The enterprise screen: details, steward (editable), and all its cases, each one openable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from hotline import cases, enterprises
from hotline.enums import Role
from hotline.models import Enterprise
from tests.conftest import sample_case
from tests.ui.conftest import make_user
from tests.ui.typing_helpers import press, type_text
from ui.common.session import Session
from ui.enterprise.window import EnterpriseWindow


@pytest.fixture
def enterprise(cli_actor) -> Enterprise:
    cases.register(cli_actor, sample_case())
    cases.register(cli_actor, sample_case(category="tax_fees", subject="留抵退税未到账"))
    cases.register(cli_actor, sample_case(enterprise={"name": "别家公司"}, subject="无关"))
    return enterprises.find("鹤壁市华联商贸有限公司", None)


def open_window(qtbot, session, enterprise_id) -> EnterpriseWindow:
    window = EnterpriseWindow(session, enterprise_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.view is not None, timeout=5000)
    return window


def test_shows_details_and_all_its_cases(qtbot, operator_session, enterprise):
    window = open_window(qtbot, operator_session, enterprise.id)
    assert window.name.text() == "鹤壁市华联商贸有限公司"
    assert "91410600MA44XKQ35C" in window.identity.text()
    assert "淇滨区" in window.identity.text()
    subjects = {window.model.rows[row].subject for row in range(window.model.rowCount())}
    assert subjects == {"施工许可审批拖延", "留抵退税未到账"}
    assert "2 件" in window.cases_box.title()


def test_steward_is_edited_and_saved(qtbot, operator_session, enterprise):
    window = open_window(qtbot, operator_session, enterprise.id)
    type_text(window.industry, "批发零售")
    type_text(window.steward_name, "赵敏")
    type_text(window.steward_phone, "13937201234")
    with qtbot.waitSignal(window.saved, timeout=5000):
        window.save()
    stored = Enterprise.get_by_id(enterprise.id)
    assert (stored.industry, stored.steward_name, stored.steward_phone) == (
        "批发零售",
        "赵敏",
        "13937201234",
    )


def test_a_wrong_phone_is_marked_and_kept(qtbot, operator_session, enterprise):
    window = open_window(qtbot, operator_session, enterprise.id)
    type_text(window.steward_name, "赵敏")
    type_text(window.steward_phone, "12345")
    window.save()
    qtbot.waitUntil(lambda: "steward_phone" in window.marks.marked, timeout=5000)
    assert window.steward_phone.text() == "12345"
    assert window.steward_name.text() == "赵敏"
    assert Enterprise.get_by_id(enterprise.id).steward_name == ""


def test_a_manager_cannot_edit(qtbot, database, enterprise, tmp_path):
    manager = Session(make_user("boss", Role.MANAGER), str(tmp_path / "db"))
    window = open_window(qtbot, manager, enterprise.id)
    assert window.industry.isReadOnly()
    assert window.save_button.isHidden()


def test_enter_on_a_case_opens_it(qtbot, operator_session, enterprise):
    from ui.links import open_enterprise

    # opened the way the main window, intake and a case window open it
    window = open_enterprise(operator_session, enterprise.id)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.view is not None, timeout=5000)
    window.table.setFocus()
    window.table.setCurrentIndex(window.model.index(0, 0))
    press(window.table, Qt.Key.Key_Return)
    opened = [
        w
        for w in QApplication.topLevelWidgets()
        if type(w).__name__ == "CaseDetailWindow" and w.isVisible()
    ]
    assert [w.case_id for w in opened] == [window.model.case_id(0)]
    for w in opened:
        qtbot.addWidget(w)
